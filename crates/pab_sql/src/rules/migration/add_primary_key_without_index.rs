//! `ALTER TABLE ... ADD [CONSTRAINT name] PRIMARY KEY (...)` without `USING
//! INDEX`, or `ADD COLUMN ... PRIMARY KEY`, on a table that already exists:
//! the index is built while the table is locked.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::{Context, ExistingAlter};
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::ConstrType;

pub struct AddPrimaryKeyWithoutIndex;

static META: RuleMeta = RuleMeta {
    id: "migration/add-primary-key-without-index",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Sql,
    default_enabled: true,
    summary: "Adding a PRIMARY KEY builds its index (and checks for NULLs) while nobody can read or write the table.",
    docs: RuleDocs {
        what: "Reports `ALTER TABLE ... ADD [CONSTRAINT name] PRIMARY KEY (...)` without `USING INDEX`, and `ADD COLUMN ... PRIMARY KEY`, on a table not created earlier in the same file.",
        why: "A primary key needs a unique index and NOT NULL columns. `ALTER TABLE` builds the index on the spot, reading and sorting the whole table, and sets any nullable key column NOT NULL with another full scan, all while holding an `ACCESS EXCLUSIVE` lock. On a large table every query on it waits for minutes.",
        lock: "`ACCESS EXCLUSIVE` on the table for the index build and the NULL checks: every read and write waits. `CREATE UNIQUE INDEX CONCURRENTLY` takes `SHARE UPDATE EXCLUSIVE` (reads and writes continue), and `ADD PRIMARY KEY USING INDEX` on columns already NOT NULL holds `ACCESS EXCLUSIVE` only for a moment.",
        bad: "ALTER TABLE events ADD PRIMARY KEY (id);",
        good: "-- outside a transaction\nCREATE UNIQUE INDEX CONCURRENTLY events_pkey ON events (id);\nALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey;",
        fix: "1. Make the key columns NOT NULL without a long lock: `ADD CONSTRAINT ... CHECK (id IS NOT NULL) NOT VALID`, `VALIDATE CONSTRAINT` in a separate transaction, then `ALTER COLUMN id SET NOT NULL` (PostgreSQL 12+ skips the scan) and drop the check. Otherwise step 3 scans the table under its lock.\n2. `CREATE UNIQUE INDEX CONCURRENTLY events_pkey ON events (id);` in a migration that runs outside a transaction (a failed build leaves an INVALID index: drop it with `DROP INDEX CONCURRENTLY` and retry).\n3. `ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey;` (instant).\n\nFor a new column, add it as a plain column, fill it, then follow the same steps.",
    },
};

impl SqlRule for AddPrimaryKeyWithoutIndex {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::AlterTable]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(alter) = cx.alter_of_existing_table(stmt) else {
            return;
        };
        let ExistingAlter { relname, table, table_sql, .. } = &alter;
        for act in alter.actions() {
            let Some(added) = ast::adds_index_constraint(&act, ConstrType::ConstrPrimary) else {
                continue;
            };
            let (message, first) = match added.column {
                None => (
                    format!("Adding PRIMARY KEY ({}) to `{table}` builds its index while holding an ACCESS EXCLUSIVE lock", added.columns.join(", ")),
                    "Make the key columns NOT NULL first (CHECK ... NOT VALID, VALIDATE, SET NOT NULL), build the index outside a transaction with",
                ),
                Some(column) => (
                    format!("`ADD COLUMN {column} PRIMARY KEY` on `{table}` builds its index while holding an ACCESS EXCLUSIVE lock"),
                    "Add the column as a plain column, fill it and make it NOT NULL (CHECK ... NOT VALID, VALIDATE, SET NOT NULL), build the index outside a transaction with",
                ),
            };
            let constraint = added.constraint;
            let name = if constraint.conname.is_empty() {
                format!("{relname}_pkey")
            } else {
                constraint.conname.clone()
            };
            let name = ast::quote_ident(&name);
            let cols = ast::quote_idents(&added.columns);
            out.report(
                cx,
                &META,
                stmt.action(alter.relation_at, act.index),
                message,
                format!("{first} `CREATE UNIQUE INDEX CONCURRENTLY {name} ON {table_sql} ({cols});`, then attach it with `ALTER TABLE {table_sql} ADD CONSTRAINT {name} PRIMARY KEY USING INDEX {name};`."),
            );
        }
    }
}
