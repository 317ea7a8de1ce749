//! A small synthetic report shared by the renderers' snapshot tests. It holds
//! what tends to break renderers: findings out of order, non-ASCII text
//! before a span (code points vs bytes), a multi-line span, characters that
//! need escaping in XML and workflow commands, a file error and a note.

use crate::{render, Format, RenderOptions};
use pab_core::finding::Excerpt;
use pab_core::{
    FileError, Finding, Language, Note, Position, Report, RuleDocs, RuleMeta, RuleRegistry,
    Severity, Span,
};
use std::time::Duration;

pub static DROP_TABLE: RuleMeta = RuleMeta {
    id: "migration/ban-drop-table",
    aliases: &["migration/drop-table"],
    severity: Severity::Critical,
    language: Language::Sql,
    default_enabled: true,
    summary: "Dropping a table deletes its data and breaks code that still reads it.",
    docs: RuleDocs {
        what: "Reports `DROP TABLE` on a table that existed before this migration.",
        why: "The data is gone for good, and the running release still queries the table.",
        lock: "ACCESS EXCLUSIVE on the table.",
        bad: "DROP TABLE users;",
        good: "ALTER TABLE users RENAME TO users_old;",
        fix: "Stop using the table in code, rename it, and drop it a release later.",
    },
};

pub static NOT_NULL: RuleMeta = RuleMeta {
    id: "migration/adding-not-null-column",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "Adding a NOT NULL column without a default fails on a non-empty table.",
    docs: RuleDocs {
        what: "Reports `ADD COLUMN ... NOT NULL` without a `DEFAULT`.",
        why: "Existing rows have no value for the column, so the statement fails.",
        lock: "ACCESS EXCLUSIVE on the table while it runs.",
        bad: "ALTER TABLE users ADD COLUMN name text NOT NULL;",
        good: "ALTER TABLE users ADD COLUMN name text NOT NULL DEFAULT '';",
        fix: "Add a default, or add the column nullable, backfill, then set NOT NULL.",
    },
};

pub static SELECT_STAR: RuleMeta = RuleMeta {
    id: "query/select-star",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Sql,
    default_enabled: false,
    summary: "`SELECT *` couples the query to every column of the table.",
    docs: RuleDocs {
        what: "Reports `SELECT *` outside `EXISTS`.",
        why: "Adding a column changes what the query returns.",
        lock: "",
        bad: "SELECT * FROM users;",
        good: "SELECT id, email FROM users;",
        fix: "List the columns the caller uses.",
    },
};

pub fn registry() -> RuleRegistry {
    RuleRegistry::new([&DROP_TABLE, &NOT_NULL, &SELECT_STAR])
}

/// A finding on `excerpt` (lines from `first_line`), columns in code points.
#[allow(clippy::too_many_arguments)]
pub fn finding(
    rule: &'static RuleMeta,
    path: &str,
    start: (u32, u32),
    end: (u32, u32),
    first_line: u32,
    excerpt: &str,
    message: &str,
    help: &str,
) -> Finding {
    Finding {
        rule: rule.id,
        severity: rule.severity,
        path: path.to_string(),
        span: Span {
            start: Position {
                line: start.0,
                column: start.1,
            },
            end: Position {
                line: end.0,
                column: end.1,
            },
            // Renderers must not need byte offsets into a file they never saw.
            start_byte: 0,
            end_byte: 0,
        },
        anchor_lines: (start.0, end.0),
        message: message.to_string(),
        help: help.to_string(),
        fingerprint: format!("{:016x}", u64::from(start.0) * 7919 + u64::from(end.1)),
        excerpt: Excerpt {
            first_line,
            text: excerpt.to_string(),
        },
    }
}

pub fn report() -> Report {
    let findings = vec![
        // Deliberately not in path/position order.
        finding(
            &DROP_TABLE,
            "migrations/002_users.sql",
            (9, 1),
            (9, 25),
            9,
            "DROP TABLE legacy_users;\n",
            "`DROP TABLE legacy_users` deletes the table and its data for good.",
            "Stop reading `legacy_users` in code, rename it, and drop it a release later.",
        ),
        finding(
            &NOT_NULL,
            "migrations/002_users.sql",
            (3, 1),
            (4, 35),
            3,
            "ALTER TABLE users\n  ADD COLUMN prénom text NOT NULL;\n",
            "Column `prénom` is NOT NULL without a default: the ALTER fails if `users` has rows.",
            "Add `DEFAULT ''`, or add it nullable, backfill, then `SET NOT NULL`.",
        ),
        finding(
            &DROP_TABLE,
            "migrations/001_init.sql",
            (7, 13),
            (7, 31),
            7,
            "SELECT 'é'; DROP TABLE \"café\";\n",
            "`DROP TABLE \"café\"` deletes the table <and> its data & history, for good.",
            "Rename it first (ALTER TABLE \"café\" RENAME TO café_old), ship, then drop it: 100% reversible.",
        ),
        finding(
            &SELECT_STAR,
            "migrations/001_init.sql",
            (2, 8),
            (2, 9),
            2,
            "SELECT * FROM café;\n",
            "`SELECT *` returns every column of `café`.",
            "List the columns the caller uses.",
        ),
    ];
    Report {
        findings,
        errors: vec![FileError {
            path: "migrations/003_broken.sql".to_string(),
            line: Some(4),
            column: Some(12),
            message: "syntax error at or near \"TABEL\"".to_string(),
        }],
        notes: vec![Note {
            path: "migrations/001_init.sql".to_string(),
            line: Some(1),
            message: "skipped psql meta-command `\\connect app`".to_string(),
        }],
        endpoints: Vec::new(),
        files: 5,
        duration: Duration::from_millis(12),
    }
}

/// The synthetic report rendered in `format`, colors off.
pub fn rendered(format: Format) -> String {
    render_report(format, &report())
}

pub fn render_report(format: Format, report: &Report) -> String {
    let options = RenderOptions {
        color: false,
        tool_version: "0.3.0",
    };
    let mut out = Vec::new();
    render(format, report, &registry(), &options, &mut out).expect("render to a Vec");
    String::from_utf8(out).expect("renderers write UTF-8")
}
