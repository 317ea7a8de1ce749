//! The report as every renderer sees it: findings, errors and notes sorted
//! once, and the counts the summaries print. Sorting here, not in each
//! renderer, is what makes all formats list things in the same order.

use pab_core::{FileError, Finding, Note, Report, Severity};
use std::collections::BTreeSet;

pub(crate) struct View<'a> {
    pub report: &'a Report,
    /// Sorted by (path, line, column, rule) whatever order the caller used,
    /// so that output never depends on the order threads finished in.
    pub findings: Vec<&'a Finding>,
    pub errors: Vec<&'a FileError>,
    pub notes: Vec<&'a Note>,
}

impl<'a> View<'a> {
    pub fn new(report: &'a Report) -> Self {
        let mut findings: Vec<&Finding> = report.findings.iter().collect();
        findings.sort_by(|a, b| {
            (&a.path, a.span.start.line, a.span.start.column, a.rule).cmp(&(
                &b.path,
                b.span.start.line,
                b.span.start.column,
                b.rule,
            ))
        });
        let mut errors: Vec<&FileError> = report.errors.iter().collect();
        errors.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
        let mut notes: Vec<&Note> = report.notes.iter().collect();
        notes.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        View {
            report,
            findings,
            errors,
            notes,
        }
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.report.count(severity)
    }

    /// Whole milliseconds the run took.
    pub fn duration_ms(&self) -> u64 {
        u64::try_from(self.report.duration.as_millis()).unwrap_or(u64::MAX)
    }

    /// Paths that have at least one finding, sorted.
    pub fn paths_with_findings(&self) -> BTreeSet<&'a str> {
        self.findings.iter().map(|f| f.path.as_str()).collect()
    }

    /// Reviewed files known to have neither findings nor errors.
    ///
    /// The report carries only a count of files, so this is the count minus
    /// every path that has a finding or an error. A file that could not even
    /// be read is not in the count but is subtracted all the same: the
    /// number can come out low, never high, so no file is ever claimed to
    /// have passed when it was not reviewed.
    pub fn clean_files(&self) -> usize {
        let mut flagged = self.paths_with_findings();
        flagged.extend(self.errors.iter().map(|e| e.path.as_str()));
        self.report.files.saturating_sub(flagged.len())
    }
}

/// `1 finding`, `2 findings`: counts read as English in every format.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `3 findings (1 critical, 1 warning, 1 suggestion)`.
pub(crate) fn findings_phrase(view: &View) -> String {
    format!(
        "{} ({} critical, {}, {})",
        plural(view.findings.len(), "finding", "findings"),
        view.count(Severity::Critical),
        plural(view.count(Severity::Warning), "warning", "warnings"),
        plural(
            view.count(Severity::Suggestion),
            "suggestion",
            "suggestions"
        ),
    )
}

/// `path:line:column`, leaving out what is unknown.
pub(crate) fn location(path: &str, line: Option<u32>, column: Option<u32>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("{path}:{l}:{c}"),
        (Some(l), None) => format!("{path}:{l}"),
        _ => path.to_string(),
    }
}
