//! `ALTER TABLE ... DROP COLUMN` on a table that already exists.

use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::AlterTableType;

pub struct DropColumn;

static META: RuleMeta = RuleMeta {
    id: "migration/drop-column",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Sql,
    default_enabled: true,
    summary: "Dropping a column deletes its data for good and breaks code that still reads or writes it.",
    docs: RuleDocs {
        what: "Reports each `DROP COLUMN` action of `ALTER TABLE` on a table that was not created earlier in the same file, with or without `IF EXISTS`.",
        why: "The column's values are gone once the migration commits; getting them back means restoring a backup. The application version still running during the deploy (and any rollback of the code) fails on every query that names the column, and ORMs that list every column in their SELECT and INSERT statements fail even without naming it in code.",
        lock: "`ACCESS EXCLUSIVE` on the table, briefly: the column is only marked as dropped, no rewrite. Waiting for the lock blocks every query on the table queued behind it.",
        bad: "ALTER TABLE users DROP COLUMN legacy_notes;",
        good: "-- after a release that no longer reads or writes legacy_notes\n-- (and after the data was archived, if it may be needed)\nSET lock_timeout = '2s';\nALTER TABLE users DROP COLUMN legacy_notes;",
        fix: "1. Remove every use of the column from the application, including the ORM model (Rails `ignored_columns`, Django: delete the field in code first), and deploy.\n2. If the data might be needed again, copy it out (`CREATE TABLE ... AS SELECT id, col FROM ...` or a dump).\n3. Then drop the column in a later migration, with a `lock_timeout`.\nOnce that order is guaranteed, suppress this finding with a comment saying the column is unused.",
    },
};

impl SqlRule for DropColumn {
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
        let table = &alter.table;
        for act in alter.actions() {
            if act.kind != AlterTableType::AtDropColumn {
                continue;
            }
            let column = &act.cmd.name;
            out.report(
                cx,
                &META,
                stmt.action(alter.relation_at, act.index),
                format!("Dropping column `{table}.{column}` deletes its data, and code that still uses `{column}` fails"),
                format!("Drop `{column}` only after a release that no longer reads or writes it, and copy its data out first if it may be needed again."),
            );
        }
    }
}
