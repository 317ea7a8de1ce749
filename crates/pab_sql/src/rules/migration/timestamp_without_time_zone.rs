//! `timestamp` (without time zone) columns.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct TimestampWithoutTimeZone;

static META: RuleMeta = RuleMeta {
    id: "migration/timestamp-without-time-zone",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "timestamp without time zone stores a wall-clock reading, not an instant: its meaning depends on who reads it.",
    docs: RuleDocs {
        what: "Reports columns (and arrays) of type `timestamp`, `timestamp(p)` or `timestamp without time zone` in `CREATE TABLE`, `ALTER TABLE ... ADD COLUMN` and `ALTER COLUMN ... TYPE`. `timestamptz` / `timestamp with time zone` is fine.",
        why: "A `timestamp` value is a date and a clock reading with no zone. `now()` is converted to the session's `TimeZone` when stored, so two application servers, a cron job and a developer's psql session configured differently write different values for the same instant, and an hour around each daylight-saving change is ambiguous. `timestamptz` stores an absolute instant (in UTC) and converts on output, and takes the same 8 bytes.",
        lock: "",
        bad: "CREATE TABLE events (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    created_at timestamp NOT NULL DEFAULT now()\n);",
        good: "CREATE TABLE events (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    created_at timestamptz NOT NULL DEFAULT now()\n);",
        fix: "1. Declare new columns `timestamptz`.\n2. To convert an existing column, say how its values were written: `ALTER COLUMN c TYPE timestamptz USING c AT TIME ZONE 'UTC'`. This rewrites the table under `ACCESS EXCLUSIVE` (PostgreSQL 12+ skips the rewrite for a plain `TYPE timestamptz` when the session `TimeZone` is UTC and the stored values are UTC), so for large tables go through a new column and a batched backfill.\n3. If the column deliberately holds local wall-clock times (an alarm at 09:00 in whatever zone the user is in, with the zone stored next to it), keep it and suppress this finding with a comment saying so.",
    },
};

impl SqlRule for TimestampWithoutTimeZone {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::CreateTable, StmtKind::AlterTable]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(node) = stmt.node else { return };
        for col in ast::declared_columns(node) {
            if ast::builtin_type_name(col.type_name) != Some("timestamp") {
                continue;
            }
            let span = stmt.type_at(col.type_name.location);
            let written = cx.file.text.get(span.0..span.1).unwrap_or("timestamp");
            let table = ast::qualified(col.table);
            let column = col.column;
            let array = if col.type_name.array_bounds.is_empty() {
                ""
            } else {
                "[]"
            };
            out.report(
                cx,
                &META,
                span,
                format!("`{table}.{column}` is `{written}`, a wall-clock reading with no zone: the instant it means depends on the TimeZone of whoever wrote it"),
                format!("Declare `{column}` as `timestamptz{array}`, which stores an absolute instant."),
            );
        }
    }
}
