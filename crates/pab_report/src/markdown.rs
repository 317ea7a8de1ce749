//! `--format markdown`: the review report that users of the Claude Code plugin
//! expect, also fit for a pull-request comment. A verdict per file (PASS /
//! NEEDS ATTENTION / CRITICAL) with its findings by severity, a score out of
//! 10 whose formula is documented in docs/output.md and printed with it, and
//! the three fixes that matter most.

use crate::view::{plural, View};
use pab_core::{Finding, RuleRegistry, Severity};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{self, Write};

/// Points a finding or file error takes off the score, in tenths so that
/// the arithmetic is exact and every score prints with one decimal.
const CRITICAL_TENTHS: u32 = 30;
const WARNING_TENTHS: u32 = 10;
const SUGGESTION_TENTHS: u32 = 2;
const ERROR_TENTHS: u32 = 10;

/// How many fixes `## Top actions` lists.
const TOP_ACTIONS: usize = 3;

/// The verdict on a file, or on the whole run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Pass,
    NeedsAttention,
    Critical,
}

impl Verdict {
    fn of(findings: &[&Finding]) -> Verdict {
        match findings.iter().map(|f| f.severity).max() {
            Some(Severity::Critical) => Verdict::Critical,
            Some(Severity::Warning) => Verdict::NeedsAttention,
            Some(Severity::Suggestion) | None => Verdict::Pass,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::NeedsAttention => "NEEDS ATTENTION",
            Verdict::Critical => "CRITICAL",
        }
    }
}

/// The score of a run in tenths of a point, 0 to 100:
/// `max(0, 10 − 3·critical − 1·warning − 0.2·suggestion − 1·file error)`.
///
/// It counts over the whole run, not per file averaged: an average lets many
/// clean files hide a critical finding, and one critical finding anywhere is
/// reason enough not to merge.
pub(crate) fn score_tenths(
    critical: usize,
    warning: usize,
    suggestion: usize,
    errors: usize,
) -> u32 {
    let penalty = |count: usize, tenths: u32| {
        u32::try_from(count)
            .unwrap_or(u32::MAX)
            .saturating_mul(tenths)
    };
    100u32
        .saturating_sub(penalty(critical, CRITICAL_TENTHS))
        .saturating_sub(penalty(warning, WARNING_TENTHS))
        .saturating_sub(penalty(suggestion, SUGGESTION_TENTHS))
        .saturating_sub(penalty(errors, ERROR_TENTHS))
}

fn format_score(tenths: u32) -> String {
    format!("{}.{}", tenths / 10, tenths % 10)
}

pub(crate) fn render(view: &View, registry: &RuleRegistry, out: &mut dyn Write) -> io::Result<()> {
    // Built in a String: fmt::Write into a String cannot fail, and the
    // report goes out in one write.
    let mut md = String::new();
    write_report(&mut md, view, registry).map_err(io::Error::other)?;
    out.write_all(md.as_bytes())
}

fn write_report(md: &mut String, view: &View, registry: &RuleRegistry) -> std::fmt::Result {
    let critical = view.count(Severity::Critical);
    let warning = view.count(Severity::Warning);
    let suggestion = view.count(Severity::Suggestion);
    let errors = view.errors.len();
    let score = format_score(score_tenths(critical, warning, suggestion, errors));
    let mut verdict = Verdict::of(&view.findings);
    if verdict == Verdict::Pass && errors > 0 {
        // A file that could not be reviewed is not a pass.
        verdict = Verdict::NeedsAttention;
    }

    let mut by_file: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &view.findings {
        by_file.entry(&f.path).or_default().push(f);
    }
    let clean = view.clean_files();

    writeln!(md, "# proagent-backend review\n")?;
    writeln!(md, "**Result: {}** — score {score}/10\n", verdict.as_str())?;
    let error_files = view
        .errors
        .iter()
        .map(|e| e.path.as_str())
        .filter(|p| !by_file.contains_key(p))
        .collect::<BTreeSet<_>>()
        .len();
    write!(
        md,
        "- Files reviewed: {} ({} with findings, ",
        view.report.files,
        by_file.len()
    )?;
    if error_files > 0 {
        write!(md, "{error_files} with errors only, ")?;
    }
    writeln!(md, "{clean} passed)")?;
    writeln!(
        md,
        "- Findings: {} ({critical} critical, {}, {})",
        view.findings.len(),
        plural(warning, "warning", "warnings"),
        plural(suggestion, "suggestion", "suggestions")
    )?;
    if errors > 0 {
        writeln!(md, "- File errors: {errors}")?;
    }

    for (path, findings) in &by_file {
        writeln!(
            md,
            "\n## {} — {}",
            code(path),
            Verdict::of(findings).as_str()
        )?;
        for (severity, title) in [
            (Severity::Critical, "Critical"),
            (Severity::Warning, "Warnings"),
            (Severity::Suggestion, "Suggestions"),
        ] {
            let of_severity: Vec<_> = findings.iter().filter(|f| f.severity == severity).collect();
            if of_severity.is_empty() {
                continue;
            }
            writeln!(md, "\n### {title}\n")?;
            for f in of_severity {
                write!(
                    md,
                    "- **{}** (line {}): {}",
                    f.rule,
                    f.span.start.line,
                    inline(&f.message)
                )?;
                if !f.help.is_empty() {
                    write!(md, " — *Fix:* {}", inline(&f.help))?;
                }
                writeln!(md)?;
            }
        }
    }
    if clean > 0 {
        writeln!(md, "\n## Other files — PASS\n")?;
        if by_file.is_empty() && errors == 0 {
            writeln!(md, "All {} passed.", plural(clean, "file", "files"))?;
        } else {
            writeln!(md, "{} passed.", plural(clean, "other file", "other files"))?;
        }
    }

    if !view.errors.is_empty() {
        writeln!(md, "\n## Errors\n")?;
        writeln!(md, "These files were not (fully) reviewed:\n")?;
        for e in &view.errors {
            writeln!(
                md,
                "- {}{}: {}",
                code(&e.path),
                where_(e.line, e.column),
                inline(&e.message)
            )?;
        }
    }
    if !view.notes.is_empty() {
        writeln!(md, "\n## Notes\n")?;
        for n in &view.notes {
            writeln!(
                md,
                "- {}{}: {}",
                code(&n.path),
                where_(n.line, None),
                inline(&n.message)
            )?;
        }
    }

    writeln!(md, "\n## Score: {score}/10\n")?;
    // The formula, then the run's numbers in it, so the score explains itself.
    let result = if score == "0.0" {
        "≤ 0, so 0.0".to_string()
    } else {
        format!("= {score}")
    };
    // A trailing backslash is a Markdown line break.
    writeln!(
        md,
        "10 − 3 per critical − 1 per warning − 0.2 per suggestion − 1 per file error, never below 0:\\"
    )?;
    writeln!(
        md,
        "10 − 3 × {critical} − 1 × {warning} − 0.2 × {suggestion} − 1 × {errors} {result}"
    )?;

    let actions = top_actions(&view.findings, registry);
    if !actions.is_empty() {
        writeln!(md, "\n## Top actions\n")?;
        for (i, action) in actions.iter().enumerate() {
            writeln!(md, "{}. {action}", i + 1)?;
        }
    }
    Ok(())
}

/// The most important fixes: one per rule, highest severity first, then the
/// rule with the most findings, then by rule id so ties are stable.
fn top_actions(findings: &[&Finding], registry: &RuleRegistry) -> Vec<String> {
    let mut by_rule: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        by_rule.entry(f.rule).or_default().push(f);
    }
    let mut groups: Vec<(Severity, &str, Vec<&Finding>)> = by_rule
        .into_iter()
        .map(|(rule, fs)| {
            let severity = fs
                .iter()
                .map(|f| f.severity)
                .max()
                .unwrap_or(Severity::Suggestion);
            (severity, rule, fs)
        })
        .collect();
    groups.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.2.len().cmp(&a.2.len()))
            .then(a.1.cmp(b.1))
    });
    groups
        .into_iter()
        .take(TOP_ACTIONS)
        .map(|(severity, rule, fs)| {
            format!(
                "Fix {} × **{rule}** ({severity}): {}",
                fs.len(),
                inline(&action_help(rule, &fs, registry))
            )
        })
        .collect()
}

/// What to do about all findings of one rule: their help when they share it;
/// otherwise (each help names its own table or column) the rule's generic
/// fix, whose first paragraph is meant to stand alone.
fn action_help(rule: &str, findings: &[&Finding], registry: &RuleRegistry) -> String {
    let first = findings.first().map_or("", |f| f.help.as_str());
    if findings.iter().all(|f| f.help == first) {
        return first.to_string();
    }
    match registry.get(rule) {
        Some(meta) if !meta.docs.fix.trim().is_empty() => {
            let paragraph = meta.docs.fix.trim().split("\n\n").next().unwrap_or("");
            paragraph.split_whitespace().collect::<Vec<_>>().join(" ")
        }
        _ => first.to_string(),
    }
}

/// ` (line 4, column 12)`, or as much of it as is known.
fn where_(line: Option<u32>, column: Option<u32>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(" (line {l}, column {c})"),
        (Some(l), None) => format!(" (line {l})"),
        _ => String::new(),
    }
}

/// A code span that holds any text, backticks included.
fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// Message text made safe inside a list item: `<` outside code spans would
/// start an HTML tag that renderers swallow, and a line break would end the
/// item, so continuation lines are indented into it.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '<' if !in_code => out.push_str("&lt;"),
            '\n' => out.push_str("\n  "),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{finding, registry, render_report, rendered, DROP_TABLE, NOT_NULL};
    use crate::Format;
    use pab_core::Report;

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered(Format::Markdown));
    }

    #[test]
    fn score_formula() {
        assert_eq!(format_score(score_tenths(0, 0, 0, 0)), "10.0");
        assert_eq!(format_score(score_tenths(1, 0, 0, 0)), "7.0");
        assert_eq!(format_score(score_tenths(0, 2, 3, 0)), "7.4");
        assert_eq!(format_score(score_tenths(2, 1, 1, 1)), "1.8");
        assert_eq!(format_score(score_tenths(4, 0, 0, 0)), "0.0");
        assert_eq!(format_score(score_tenths(usize::MAX, 0, 0, 0)), "0.0");
        assert_eq!(format_score(score_tenths(0, 0, 5, 0)), "9.0");
    }

    #[test]
    fn the_score_shows_its_arithmetic() {
        let mut report = crate::test_support::report();
        let out = render_report(Format::Markdown, &report);
        assert!(
            out.contains("\n10 − 3 × 2 − 1 × 1 − 0.2 × 1 − 1 × 1 = 1.8\n"),
            "{out}"
        );
        let extra = report.findings[0].clone();
        report.findings.extend([extra.clone(), extra]);
        let out = render_report(Format::Markdown, &report);
        assert!(out.contains("## Score: 0.0/10"), "{out}");
        assert!(
            out.contains("10 − 3 × 4 − 1 × 1 − 0.2 × 1 − 1 × 1 ≤ 0, so 0.0\n"),
            "{out}"
        );
    }

    #[test]
    fn verdicts_per_file() {
        let out = rendered(Format::Markdown);
        assert!(out.contains("**Result: CRITICAL** — score 1.8/10"), "{out}");
        assert!(out.contains("## `migrations/001_init.sql` — CRITICAL"));
        assert!(out.contains("## Other files — PASS\n\n2 other files passed."));

        // Only suggestions: PASS, and the suggestions are still listed.
        let mut report = crate::test_support::report();
        report.findings.retain(|f| f.rule == "query/select-star");
        report.errors.clear();
        let out = render_report(Format::Markdown, &report);
        assert!(out.contains("**Result: PASS** — score 9.8/10"), "{out}");
        assert!(out.contains("## `migrations/001_init.sql` — PASS\n\n### Suggestions\n\n- **query/select-star** (line 2)"), "{out}");

        let mut report = crate::test_support::report();
        report.findings.retain(|f| f.rule == NOT_NULL.id);
        let out = render_report(Format::Markdown, &report);
        assert!(
            out.contains("## `migrations/002_users.sql` — NEEDS ATTENTION"),
            "{out}"
        );
    }

    #[test]
    fn top_actions_rank_severity_then_frequency() {
        let f = |rule, line| {
            finding(
                rule,
                "a.sql",
                (line, 1),
                (line, 2),
                line,
                "x\n",
                "m",
                "same help",
            )
        };
        let findings = [
            f(&NOT_NULL, 1),
            f(&NOT_NULL, 2),
            f(&NOT_NULL, 3),
            f(&DROP_TABLE, 4),
        ];
        let refs: Vec<&Finding> = findings.iter().collect();
        let actions = top_actions(&refs, &registry());
        assert_eq!(
            actions,
            [
                "Fix 1 × **migration/ban-drop-table** (critical): same help",
                "Fix 3 × **migration/adding-not-null-column** (warning): same help",
            ]
        );
        // Different helps for one rule: the rule's generic fix.
        let out = rendered(Format::Markdown);
        assert!(out.contains(
            "1. Fix 2 × **migration/ban-drop-table** (critical): Stop using the table in code, rename it, and drop it a release later."
        ), "{out}");
    }

    #[test]
    fn a_clean_run() {
        let report = Report {
            files: 3,
            ..Report::default()
        };
        let out = render_report(Format::Markdown, &report);
        assert!(out.contains("**Result: PASS** — score 10.0/10"));
        assert!(out.contains("All 3 files passed."));
        assert!(!out.contains("## Top actions"));
    }

    #[test]
    fn inline_text_stays_in_its_list_item() {
        assert_eq!(inline("a <b> `<c>`\nnext"), "a &lt;b> `<c>`\n  next");
        assert_eq!(code("a`b"), "`` a`b ``");
    }
}
