//! `--format github`: GitHub Actions workflow commands, which the runner turns
//! into annotations on the pull request's lines. One command per finding and
//! per file error; notes and the summary are plain log lines, because
//! annotations are capped per step and notes should not use up the quota.

use crate::view::{findings_phrase, location, plural, View};
use pab_core::Severity;
use std::io::{self, Write};

pub(crate) fn render(view: &View, out: &mut dyn Write) -> io::Result<()> {
    for f in &view.findings {
        let command = match f.severity {
            Severity::Critical => "error",
            Severity::Warning => "warning",
            Severity::Suggestion => "notice",
        };
        let mut data = f.message.clone();
        if !f.help.is_empty() {
            data.push_str("\nhelp: ");
            data.push_str(&f.help);
        }
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&f.path),
            f.span.start.line,
            f.span.start.column,
            f.span.end.line,
            f.span.end.column,
            escape_property(f.rule),
            escape_data(&data)
        )?;
    }
    for e in &view.errors {
        let mut properties = format!("file={}", escape_property(&e.path));
        if let Some(line) = e.line {
            properties.push_str(&format!(",line={line}"));
            if let Some(col) = e.column {
                properties.push_str(&format!(",col={col}"));
            }
        }
        writeln!(out, "::error {properties}::{}", escape_data(&e.message))?;
    }
    // Plain lines still go through escape_data: a line break in a message
    // could otherwise start a line with `::` and inject a command.
    for n in &view.notes {
        writeln!(
            out,
            "note: {}: {}",
            escape_data(&location(&n.path, n.line, None)),
            escape_data(&n.message)
        )?;
    }
    writeln!(
        out,
        "proagent-backend: {} in {}, {}.",
        findings_phrase(view),
        plural(view.report.files, "file", "files"),
        plural(view.errors.len(), "file error", "file errors")
    )
}

/// Escapes the message of a workflow command, as @actions/core does.
pub(crate) fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value, where `:` and `,` are separators too.
pub(crate) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::rendered;
    use crate::Format;

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered(Format::Github));
    }

    #[test]
    fn escaping_follows_actions_core() {
        assert_eq!(escape_data("100%\r\nok: a,b"), "100%25%0D%0Aok: a,b");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn one_line_per_command_and_severity_mapping() {
        let out = rendered(Format::Github);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].starts_with("::notice file=migrations/001_init.sql,line=2,col=8,"));
        assert!(lines[1].starts_with("::error file=migrations/001_init.sql,line=7,col=13,endLine=7,endColumn=31,title=migration/ban-drop-table::"));
        assert!(lines[1].contains("for good.%0Ahelp: Rename it first"));
        assert!(lines[1].contains("100%25 reversible"));
        assert!(lines[2].starts_with("::warning "));
        assert_eq!(
            lines[4],
            "::error file=migrations/003_broken.sql,line=4,col=12::syntax error at or near \"TABEL\""
        );
    }
}
