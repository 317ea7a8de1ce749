//! `ALTER TABLE ... ADD [CONSTRAINT name] UNIQUE (...)` without `USING
//! INDEX`, or `ADD COLUMN ... UNIQUE`, on a table that already exists: the
//! index is built while the table is locked.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::{Context, ExistingAlter};
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::{AlterTableType, ConstrType};

pub struct AddUniqueConstraintWithoutIndex;

static META: RuleMeta = RuleMeta {
    id: "migration/add-unique-constraint-without-index",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Sql,
    default_enabled: true,
    summary: "Adding a UNIQUE constraint builds its index while nobody can read or write the table.",
    docs: RuleDocs {
        what: "Reports `ALTER TABLE ... ADD [CONSTRAINT name] UNIQUE (...)` without `USING INDEX`, and `ADD COLUMN ... UNIQUE`, on a table not created earlier in the same file.",
        why: "The constraint needs a unique index, and `ALTER TABLE` builds it on the spot: it reads and sorts the whole table while holding an `ACCESS EXCLUSIVE` lock. On a large table every query on it waits for minutes. Building the index concurrently first and attaching it is instant.",
        lock: "`ACCESS EXCLUSIVE` on the table for the whole index build: every read and write waits. `CREATE UNIQUE INDEX CONCURRENTLY` takes `SHARE UPDATE EXCLUSIVE` (reads and writes continue), and `ADD CONSTRAINT ... UNIQUE USING INDEX` then holds `ACCESS EXCLUSIVE` only for a moment.",
        bad: "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);",
        good: "-- outside a transaction\nCREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;",
        fix: "1. `CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);` in a migration that runs outside a transaction. If it fails (duplicates, or a cancelled build), it leaves an INVALID index: drop it with `DROP INDEX CONCURRENTLY` and retry.\n2. `ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;` (instant; the index is renamed to the constraint's name).\n\nFor a new column, add the column first, then follow the same two steps.",
    },
};

impl SqlRule for AddUniqueConstraintWithoutIndex {
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
            let Some(added) = ast::adds_index_constraint(&act, ConstrType::ConstrUnique) else {
                continue;
            };
            let (constraint, columns) = (added.constraint, &added.columns);
            let message = match added.column {
                None => {
                    let what = if constraint.conname.is_empty() {
                        format!("UNIQUE ({})", columns.join(", "))
                    } else {
                        format!("UNIQUE constraint `{}`", constraint.conname)
                    };
                    format!("Adding {what} to `{table}` builds its index while holding an ACCESS EXCLUSIVE lock")
                }
                Some(column) => format!("`ADD COLUMN {column} UNIQUE` on `{table}` builds its index while holding an ACCESS EXCLUSIVE lock"),
            };
            let name = if constraint.conname.is_empty() {
                format!("{relname}_{}_key", columns.join("_"))
            } else {
                constraint.conname.clone()
            };
            let name = ast::quote_ident(&name);
            let cols = ast::quote_idents(columns);
            let nulls = if constraint.nulls_not_distinct {
                " NULLS NOT DISTINCT"
            } else {
                ""
            };
            let first = if act.kind == AlterTableType::AtAddColumn {
                "Add the column without UNIQUE, then build the index outside a transaction with"
            } else {
                "Build the index outside a transaction with"
            };
            out.report(
                cx,
                &META,
                stmt.action(alter.relation_at, act.index),
                message,
                format!("{first} `CREATE UNIQUE INDEX CONCURRENTLY {name} ON {table_sql} ({cols}){nulls};`, then attach it instantly with `ALTER TABLE {table_sql} ADD CONSTRAINT {name} UNIQUE USING INDEX {name};`."),
            );
        }
    }
}
