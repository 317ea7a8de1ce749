//! `--format text`: what a person reads in a terminal. Each finding gets a
//! grep- and editor-friendly header (`path:line:col: severity[rule] message`),
//! the flagged lines with the span underlined (rendered by annotate-snippets,
//! the rustc-style renderer), and its fix; then file errors, notes and a
//! one-line summary.

use crate::view::{findings_phrase, location, plural, View};
use crate::RenderOptions;
use annotate_snippets::{Level, Renderer, Snippet};
use anstyle::{AnsiColor, Style};
use pab_core::finding::Excerpt;
use pab_core::{Finding, Position, Severity};
use std::io::{self, Write};
use std::ops::Range;

pub(crate) fn render(view: &View, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let paint = Paint {
        color: options.color,
    };
    for finding in &view.findings {
        write_finding(finding, paint, out)?;
        writeln!(out)?;
    }
    for error in &view.errors {
        writeln!(
            out,
            "{}: {}: {}",
            paint.apply(ERROR, "error"),
            paint.apply(BOLD, &location(&error.path, error.line, error.column)),
            error.message
        )?;
    }
    for note in &view.notes {
        writeln!(
            out,
            "{}: {}: {}",
            paint.apply(NOTE, "note"),
            paint.apply(BOLD, &location(&note.path, note.line, None)),
            note.message
        )?;
    }
    if !view.errors.is_empty() || !view.notes.is_empty() {
        writeln!(out)?;
    }
    let files = plural(view.report.files, "file", "files");
    let summary = if view.findings.is_empty() {
        format!("No findings in {files}.")
    } else {
        format!(
            "Found {} in {files} in {} ms.",
            findings_phrase(view),
            view.duration_ms()
        )
    };
    writeln!(out, "{}", paint.apply(BOLD, &summary))?;
    if !view.errors.is_empty() {
        writeln!(
            out,
            "{} above: those files were not fully reviewed.",
            plural(view.errors.len(), "file error", "file errors")
        )?;
    }
    Ok(())
}

fn write_finding(finding: &Finding, paint: Paint, out: &mut dyn Write) -> io::Result<()> {
    let severity = severity_style(finding.severity);
    writeln!(
        out,
        "{}: {} {}",
        paint.apply(
            BOLD,
            &location(
                &finding.path,
                Some(finding.span.start.line),
                Some(finding.span.start.column)
            )
        ),
        paint.apply(severity, &format!("{}[{}]", finding.severity, finding.rule)),
        finding.message
    )?;
    // The header above already says where and what, so the message given to
    // annotate-snippets has an empty title and its first rendered line (the
    // bare level name) is dropped. The underline is always annotated as an
    // error, because annotate-snippets draws `^` only for errors and `-` for
    // every other level, which reads as a secondary label; the severity's
    // color goes in through the stylesheet instead.
    let mut message = Level::Error.title("");
    let underlined = underline(&finding.excerpt, finding.span.start, finding.span.end);
    if let Some((source, range)) = &underlined {
        message = message.snippet(
            Snippet::source(source)
                .line_start(finding.excerpt.first_line as usize)
                .annotation(Level::Error.span(range.clone())),
        );
    }
    if !finding.help.is_empty() {
        message = message.footer(Level::Help.title(&finding.help));
    }
    let renderer = if paint.color {
        Renderer::styled().error(severity)
    } else {
        Renderer::plain()
    };
    let rendered = renderer.render(message).to_string();
    if let Some((_, body)) = rendered.split_once('\n') {
        writeln!(out, "{body}")?;
    }
    Ok(())
}

/// The excerpt lines to show and the byte range of the span within them.
///
/// Positions are 1-based lines and code-point columns in the file; the range
/// is in bytes of the excerpt, which starts at `excerpt.first_line`. A span
/// that runs past the excerpt (excerpts are capped at a few lines) is cut at
/// its end, and a span ending at column 1 of a later line (right after a line
/// break) ends on the line before, so no empty line is underlined. Tabs
/// come back expanded to four spaces.
pub(crate) fn underline(
    excerpt: &Excerpt,
    start: Position,
    end: Position,
) -> Option<(String, Range<usize>)> {
    let text = excerpt.text.as_str();
    let lines = line_bounds(text);
    if lines.is_empty() {
        return None;
    }
    let end = if end.line > start.line && end.column <= 1 {
        Position {
            line: end.line - 1,
            column: u32::MAX,
        }
    } else {
        end
    };
    let (start_byte, _) = offset(text, &lines, excerpt.first_line, start);
    let (end_byte, end_index) = offset(text, &lines, excerpt.first_line, end);
    let end_byte = end_byte.max(start_byte);
    // Show the lines up to the end of the span, without the final line break
    // (annotate-snippets would print an empty numbered line after it).
    let source = &text[..lines[end_index].end];
    let end_byte = end_byte.min(source.len());
    // annotate-snippets prints a tab as four spaces but does not move the
    // underline with it, so tabs are expanded here, where the range is known.
    let widened = |offset: usize| offset + 3 * source[..offset].matches('\t').count();
    Some((
        source.replace('\t', "    "),
        widened(start_byte)..widened(end_byte),
    ))
}

/// Where each line of `text` starts and ends, line breaks excluded.
fn line_bounds(text: &str) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        lines.push(start..start + content.len());
        start += line.len();
    }
    lines
}

/// The byte offset of `pos` in `text`, clamped to the excerpt, and the index
/// of the line it falls on.
fn offset(text: &str, lines: &[Range<usize>], first_line: u32, pos: Position) -> (usize, usize) {
    let Some(index) = pos.line.checked_sub(first_line) else {
        return (0, 0);
    };
    let index = index as usize;
    let Some(bounds) = lines.get(index) else {
        let last = lines.len() - 1;
        return (lines[last].end, last);
    };
    let line = &text[bounds.clone()];
    let skip = pos.column.saturating_sub(1) as usize;
    let within = line.char_indices().nth(skip).map_or(line.len(), |(i, _)| i);
    (bounds.start + within, index)
}

const BOLD: Style = Style::new().bold();
const ERROR: Style = AnsiColor::BrightRed.on_default().bold();
const NOTE: Style = AnsiColor::BrightCyan.on_default().bold();

fn severity_style(severity: Severity) -> Style {
    match severity {
        Severity::Critical => ERROR,
        Severity::Warning => AnsiColor::BrightYellow.on_default().bold(),
        Severity::Suggestion => AnsiColor::BrightBlue.on_default().bold(),
    }
}

/// Styles text only when colors are on.
#[derive(Clone, Copy)]
struct Paint {
    color: bool,
}

impl Paint {
    fn apply(self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{finding, render_report, rendered, report, DROP_TABLE};
    use crate::{render, Format, RenderOptions};
    use pab_core::Report;

    fn pos(line: u32, column: u32) -> Position {
        Position { line, column }
    }

    fn excerpt(first_line: u32, text: &str) -> Excerpt {
        Excerpt {
            first_line,
            text: text.to_string(),
        }
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered(Format::Text));
    }

    #[test]
    fn columns_are_code_points_and_ranges_bytes() {
        let e = excerpt(7, "SELECT 'é'; DROP TABLE \"café\";\n");
        let (source, range) = underline(&e, pos(7, 13), pos(7, 31)).unwrap();
        assert_eq!(&source[range], "DROP TABLE \"café\";");
    }

    #[test]
    fn spans_past_the_excerpt_are_clamped() {
        let e = excerpt(3, "a\nbc\n");
        let (source, range) = underline(&e, pos(3, 1), pos(40, 9)).unwrap();
        assert_eq!(source, "a\nbc");
        assert_eq!(range, 0..4);
        // Columns past the end of a line stop at the line's end.
        let (source, range) = underline(&e, pos(3, 5), pos(3, 9)).unwrap();
        assert_eq!((source.as_str(), range), ("a", 1..1));
        // A start before the excerpt starts at its beginning.
        let (_, range) = underline(&e, pos(1, 1), pos(4, 2)).unwrap();
        assert_eq!(range, 0..3);
    }

    #[test]
    fn a_span_ending_after_a_line_break_ends_on_the_line_before() {
        let e = excerpt(1, "select 1;\n\n");
        let (source, range) = underline(&e, pos(1, 1), pos(2, 1)).unwrap();
        assert_eq!(source, "select 1;");
        assert_eq!(range, 0..9);
    }

    #[test]
    fn an_empty_excerpt_renders_header_and_help_only() {
        let mut f = report().findings.remove(0);
        f.excerpt = Excerpt::default();
        let report = Report {
            findings: vec![f],
            files: 1,
            ..Report::default()
        };
        let out = render_report(Format::Text, &report);
        assert!(out.starts_with(
            "migrations/002_users.sql:9:1: critical[migration/ban-drop-table] `DROP TABLE legacy_users`"
        ));
        assert!(out.contains("= help: Stop reading"), "{out}");
        assert!(!out.contains(" | "), "{out}");
    }

    /// Renders a finding on `DROP TABLE x;` at `column` of `line` and checks
    /// that the carets sit under it, in display columns.
    fn assert_aligned(line: &str, column: u32, prefix_width: usize) {
        let f = finding(
            &DROP_TABLE,
            "a.sql",
            (1, column),
            (1, column + 13),
            1,
            &format!("{line}\n"),
            "m",
            "h",
        );
        let report = Report {
            findings: vec![f],
            files: 1,
            ..Report::default()
        };
        let out = render_report(Format::Text, &report);
        let carets = out.lines().find(|l| l.contains('^')).unwrap();
        let expected = format!("  | {}{}", " ".repeat(prefix_width), "^".repeat(13));
        assert_eq!(carets, expected, "{out}");
    }

    #[test]
    fn the_underline_stays_aligned() {
        assert_aligned("\tDROP TABLE x;", 2, 4);
        assert_aligned("/*日本*/DROP TABLE x;", 7, 8);
        assert_aligned("/*é*/DROP TABLE x;", 6, 5);
    }

    #[test]
    fn colors_only_when_asked() {
        let plain = rendered(Format::Text);
        assert!(!plain.contains('\x1b'));
        let mut out = Vec::new();
        let options = RenderOptions {
            color: true,
            tool_version: "0",
        };
        render(
            Format::Text,
            &report(),
            &crate::test_support::registry(),
            &options,
            &mut out,
        )
        .unwrap();
        let colored = String::from_utf8(out).unwrap();
        assert!(colored.contains('\x1b'));
        // Same text once the escapes are gone.
        let stripped = strip_ansi(&colored);
        assert_eq!(stripped, plain);
    }

    #[test]
    fn summary_without_findings() {
        let report = Report {
            files: 1,
            ..Report::default()
        };
        assert_eq!(
            render_report(Format::Text, &report),
            "No findings in 1 file.\n"
        );
    }

    #[test]
    fn singular_counts() {
        let f = finding(&DROP_TABLE, "a.sql", (1, 1), (1, 5), 1, "DROP;\n", "m", "h");
        let report = Report {
            findings: vec![f],
            files: 1,
            ..Report::default()
        };
        let out = render_report(Format::Text, &report);
        assert!(
            out.ends_with(
                "Found 1 finding (1 critical, 0 warnings, 0 suggestions) in 1 file in 0 ms.\n"
            ),
            "{out}"
        );
    }

    fn strip_ansi(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }
}
