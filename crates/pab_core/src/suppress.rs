//! Inline suppressions: `proagent-backend: ignore[rule-id, ...] reason` in a
//! comment of the file's own syntax: the analyzer names the file's language
//! and [`Language::comment_starts`] says how its comments start (`#` in
//! Python, `//` and `/*` in JavaScript, TypeScript and Go, `--` and `/*` in
//! SQL). A file of no known language accepts all of them.
//!
//! A comment alone on its line applies to the next line of code; a comment
//! after code applies to its own line. `ignore-file[...]` applies to the
//! whole file. A finding is covered when that line falls inside the construct
//! the finding belongs to (for SQL, its whole statement), so a comment above
//! a statement covers everything reported on it.
//!
//! Suppressions that cover nothing are reported as
//! `reliability/unused-suppression`: stale ones hide the next real problem.

use crate::finding::{Finding, Severity};
use crate::registry::RuleRegistry;
use crate::rule::{Language, RuleDocs, RuleMeta};
use crate::source::SourceFile;

const MARKER: &str = "proagent-backend:";
/// Comment starts for a file whose language is not known.
const ANY_COMMENT_STARTS: &[&str] = &["--", "#", "//", "/*"];

pub static UNUSED_SUPPRESSION: RuleMeta = RuleMeta {
    id: "reliability/unused-suppression",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Sql,
    default_enabled: true,
    summary: "A suppression comment names a rule that reports nothing there, or no rule at all.",
    docs: RuleDocs {
        what: "Reports `proagent-backend: ignore[...]` comments whose rule ids match no finding on the line they cover, name no known rule, or are malformed.",
        why: "A suppression outlives the code it was written for. Once stale it silently hides the next real problem on that line, and an id with a typo never suppressed anything in the first place.",
        lock: "",
        bad: "-- proagent-backend: ignore[migration/ban-drop-table] table was emptied in 0042\nALTER TABLE users ADD COLUMN nickname text;",
        good: "ALTER TABLE users ADD COLUMN nickname text;",
        fix: "Delete the comment, or the ids in it that no longer match. Check the spelling of the id with `proagent-backend rules`.",
    },
};

/// One parsed suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// Line of the comment itself.
    pub line: u32,
    pub column: u32,
    /// Line of code it covers; `None` for `ignore-file`.
    pub target: Option<u32>,
    pub rules: Vec<String>,
}

/// Malformed suppression comments, reported instead of being ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// Whether a line holds only a comment (or the inside of a block comment, by
/// its leading `*`), so that a suppression above it looks further down.
fn is_comment_line(line: &str, starts: &[&str]) -> bool {
    let t = line.trim_start();
    starts.iter().any(|c| t.starts_with(c))
        || (starts.contains(&"/*") && t.starts_with('*') && !t.starts_with("*="))
}

/// Finds every suppression comment in a file of `language` (`None`: any
/// comment syntax).
pub fn parse(file: &SourceFile, language: Option<Language>) -> (Vec<Suppression>, Vec<Malformed>) {
    let starts = language.map_or(ANY_COMMENT_STARTS, Language::comment_starts);
    let mut found = Vec::new();
    let mut malformed = Vec::new();
    let finder = memchr::memmem::Finder::new(MARKER);
    let mut last_line = 0;
    for offset in finder.find_iter(file.text.as_bytes()) {
        let pos = file.position(offset);
        if pos.line == last_line {
            continue;
        }
        last_line = pos.line;
        let line = file.line_text(pos.line);
        let Some(marker_at) = line.find(MARKER) else {
            continue;
        };
        let before = &line[..marker_at];
        let Some(comment_at) = starts.iter().filter_map(|c| before.find(c)).min() else {
            continue; // not in a comment: a string that mentions us, say
        };
        let trailing = !before[..comment_at].trim().is_empty();
        let directive = line[marker_at + MARKER.len()..].trim_start();
        let (file_wide, rest) = if let Some(rest) = directive.strip_prefix("ignore-file") {
            (true, rest)
        } else if let Some(rest) = directive.strip_prefix("ignore") {
            (false, rest)
        } else {
            malformed.push(Malformed {
                line: pos.line,
                column: pos.column,
                message: "unknown directive: expected `proagent-backend: ignore[rule-id] reason`"
                    .into(),
            });
            continue;
        };
        let rules = rest
            .strip_prefix('[')
            .and_then(|r| r.split_once(']'))
            .map(|(ids, _)| {
                ids.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
            })
            .filter(|ids| !ids.is_empty());
        let Some(rules) = rules else {
            malformed.push(Malformed {
                line: pos.line,
                column: pos.column,
                message:
                    "a suppression must name its rules: `proagent-backend: ignore[rule-id] reason`"
                        .into(),
            });
            continue;
        };
        let target = if file_wide {
            None
        } else if trailing {
            Some(pos.line)
        } else {
            (pos.line + 1..=file.line_count())
                .find(|&l| {
                    let text = file.line_text(l);
                    !text.trim().is_empty() && !is_comment_line(text, starts)
                })
                .or(Some(pos.line))
        };
        found.push(Suppression {
            line: pos.line,
            column: pos.column,
            target,
            rules,
        });
    }
    (found, malformed)
}

/// Removes suppressed findings and appends findings for unused or malformed
/// suppressions (when that rule is enabled).
pub fn apply(
    file: &SourceFile,
    language: Option<Language>,
    findings: &mut Vec<Finding>,
    registry: &RuleRegistry,
    report_unused: Option<Severity>,
    is_enabled: impl Fn(&RuleMeta) -> bool,
) -> Vec<Finding> {
    let (suppressions, malformed) = parse(file, language);
    let mut used: Vec<Vec<bool>> = suppressions
        .iter()
        .map(|s| vec![false; s.rules.len()])
        .collect();
    findings.retain(|f| {
        let Some(rule) = registry.get(f.rule) else {
            return true;
        };
        let mut keep = true;
        for (i, s) in suppressions.iter().enumerate() {
            let covers = match s.target {
                None => true,
                Some(t) => {
                    (f.anchor_lines.0..=f.anchor_lines.1).contains(&t)
                        || (f.span.start.line..=f.span.end.line).contains(&t)
                }
            };
            if !covers {
                continue;
            }
            for (j, id) in s.rules.iter().enumerate() {
                if rule.answers_to(id) {
                    used[i][j] = true;
                    keep = false;
                }
            }
        }
        keep
    });
    let Some(severity) = report_unused else {
        return Vec::new();
    };
    let mut extra = Vec::new();
    let mut report = |line: u32, column: u32, message: String| {
        let start = file.line_start(line) + column_to_byte(file.line_text(line), column);
        let end = file.line_start(line) + file.line_text(line).len();
        let span = file.span(start, end);
        extra.push(Finding {
            rule: UNUSED_SUPPRESSION.id,
            severity,
            path: file.path.clone(),
            anchor_lines: (line, line),
            excerpt: file.excerpt(&span),
            span,
            message,
            help: "Remove the comment or the ids that no longer match; `proagent-backend rules` lists valid ids.".into(),
            fingerprint: String::new(),
        });
    };
    for m in malformed {
        report(m.line, m.column, m.message);
    }
    for (s, used) in suppressions.iter().zip(&used) {
        for (id, used) in s.rules.iter().zip(used) {
            if *used {
                continue;
            }
            match registry.get(id) {
                None => report(
                    s.line,
                    s.column,
                    format!("`{id}` is not a rule, so this suppression does nothing"),
                ),
                Some(rule) if is_enabled(rule) => report(
                    s.line,
                    s.column,
                    format!("unused suppression: `{id}` reports nothing here"),
                ),
                // A disabled rule reports nothing anywhere; its suppression is
                // not stale, the configuration just differs.
                Some(_) => {}
            }
        }
    }
    extra
}

fn column_to_byte(line: &str, column: u32) -> usize {
    line.char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(line.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_alone_covers_next_code_line() {
        let file = SourceFile::new(
            "a.sql",
            "-- proagent-backend: ignore[migration/ban-drop-table] emptied in 0042\n-- more words\n\nDROP TABLE t;\n",
        );
        let (s, m) = parse(&file, None);
        assert!(m.is_empty());
        assert_eq!(s[0].target, Some(4));
        assert_eq!(s[0].rules, vec!["migration/ban-drop-table"]);
    }

    #[test]
    fn trailing_comment_covers_its_line_and_file_wide_covers_all() {
        let file = SourceFile::new(
            "a.sql",
            "DROP TABLE t; -- proagent-backend: ignore[a/b, c/d]\n# proagent-backend: ignore-file[x/y]\n",
        );
        let (s, _) = parse(&file, None);
        assert_eq!(s[0].target, Some(1));
        assert_eq!(s[0].rules, vec!["a/b", "c/d"]);
        assert_eq!(s[1].target, None);
    }

    #[test]
    fn malformed_and_non_comment_mentions() {
        let file = SourceFile::new(
            "a.sql",
            "-- proagent-backend: ignore reason only\nSELECT 'proagent-backend: ignore[x/y]';\n-- proagent-backend: skip[x/y]\n",
        );
        let (s, m) = parse(&file, None);
        assert!(s.is_empty());
        assert_eq!(m.len(), 2);
        assert_eq!((m[0].line, m[1].line), (1, 3));
    }

    #[test]
    fn comment_syntax_follows_the_language() {
        let text = "i-- // proagent-backend: ignore[a/b]\nlet s = \"# proagent-backend: ignore[c/d]\";\n// proagent-backend: ignore[e/f]\n// more\ncall();\n";
        let file = SourceFile::new("a.js", text);
        let (s, m) = parse(&file, Some(Language::JavaScript));
        assert!(m.is_empty(), "{m:?}");
        let found: Vec<_> = s.iter().map(|s| (s.rules[0].as_str(), s.target)).collect();
        assert_eq!(found, vec![("a/b", Some(1)), ("e/f", Some(5))]);

        let file = SourceFile::new(
            "a.py",
            "x = 1  # proagent-backend: ignore[a/b]\n# proagent-backend: ignore[c/d]\n*rest, = xs\n",
        );
        let (s, _) = parse(&file, Some(Language::Python));
        assert_eq!(s[0].target, Some(1));
        // `*rest` is code in Python, not the inside of a block comment.
        assert_eq!(s[1].target, Some(3));
    }
}
