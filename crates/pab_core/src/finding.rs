//! What a review produces: findings on rules, and errors or notes about files
//! that could not be (fully) reviewed.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How much a finding matters. Ordered: `Suggestion < Warning < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Style or a better way to do it; never fails a run by default.
    Suggestion,
    /// Likely production pain.
    Warning,
    /// Data loss, or a long exclusive lock on an existing table.
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Critical, Severity::Warning, Severity::Suggestion];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Suggestion => "suggestion",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "suggestion" | "info" => Ok(Severity::Suggestion),
            "warning" | "warn" => Ok(Severity::Warning),
            "critical" | "error" => Ok(Severity::Critical),
            other => Err(format!(
                "unknown severity `{other}`: expected `critical`, `warning` or `suggestion`"
            )),
        }
    }
}

/// A 1-based line and column; columns count Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// A range in a file, with byte offsets kept for renderers that underline it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: Position,
    pub end: Position,
    pub start_byte: usize,
    pub end_byte: usize,
}

/// One problem a rule found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable rule id, `<area>/<kebab-name>`.
    pub rule: &'static str,
    pub severity: Severity,
    pub path: String,
    pub span: Span,
    /// Lines of the enclosing construct (a whole SQL statement, say): a
    /// suppression comment on any of them, or just above them, applies.
    pub anchor_lines: (u32, u32),
    /// What is wrong, one sentence.
    pub message: String,
    /// How to fix it, concretely.
    pub help: String,
    /// Stable across unrelated edits; see [`crate::fingerprint`].
    pub fingerprint: String,
    /// The source lines the span covers (at most a few), for renderers.
    pub excerpt: Excerpt,
}

impl Finding {
    /// The finding as plain text: position, severity, rule, message, help
    /// and excerpt. The analyzers' fixture snapshots are written in it, so a
    /// reviewer reads every rule's changes the same way.
    pub fn to_plain_text(&self) -> String {
        let mut s = format!(
            "{}:{}-{}:{} {} [{}] {}\n  help: {}\n",
            self.span.start.line,
            self.span.start.column,
            self.span.end.line,
            self.span.end.column,
            self.severity,
            self.rule,
            self.message,
            self.help
        );
        for line in self.excerpt.text.lines() {
            s.push_str("  | ");
            s.push_str(line);
            s.push('\n');
        }
        s
    }
}

/// Source lines around a finding, copied so that renderers need not reread files
/// (the hook reviews content that is not on disk yet).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Excerpt {
    pub first_line: u32,
    pub text: String,
}

/// A file that could not be read or parsed (in full or in part).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileError {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    pub message: String,
}

/// Something the user should know about a file that is not a problem in it,
/// such as psql meta-commands that were skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub message: String,
}
