//! `ALTER TABLE ... ALTER COLUMN ... SET NOT NULL` on a table that already
//! exists, unless a validated `CHECK (col IS NOT NULL)` lets PostgreSQL 12+
//! skip the scan.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::{Context, ExistingAlter};
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::AlterTableType;

pub struct SetNotNull;

static META: RuleMeta = RuleMeta {
    id: "migration/set-not-null",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Sql,
    default_enabled: true,
    summary: "SET NOT NULL scans the whole table for NULLs while nobody can read or write it.",
    docs: RuleDocs {
        what: "Reports `ALTER TABLE ... ALTER COLUMN ... SET NOT NULL` on a table not created earlier in the same file. On PostgreSQL 12 and later it is not reported when the file first validated a `CHECK (column IS NOT NULL)` on that table (added `NOT VALID`, then `VALIDATE CONSTRAINT`), or validated a constraint added by an earlier migration on that table, which is how the recipe usually spans two migrations.",
        why: "To set NOT NULL PostgreSQL reads every row looking for a NULL, holding an `ACCESS EXCLUSIVE` lock the whole time. On a large table every query on it waits for the scan. Since PostgreSQL 12 the scan is skipped when a valid CHECK constraint already proves the column has no NULLs.",
        lock: "`ACCESS EXCLUSIVE` on the table for the whole scan: every read and write waits. With a validated `CHECK (col IS NOT NULL)` (PostgreSQL 12+) the lock is only held for a moment.",
        bad: "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
        good: "ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;\n-- next migration:\nALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\nALTER TABLE users DROP CONSTRAINT users_email_not_null;",
        fix: "1. `ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;` (instant; new rows are checked).\n2. In a separate transaction: `ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;` (scans while reads and writes continue).\n3. `ALTER TABLE users ALTER COLUMN email SET NOT NULL;` (PostgreSQL 12+ sees the valid check and skips the scan).\n4. `ALTER TABLE users DROP CONSTRAINT users_email_not_null;`\n\nOn PostgreSQL 18 steps 1-3 can also be `ADD CONSTRAINT users_email_not_null NOT NULL email NOT VALID` then `VALIDATE CONSTRAINT users_email_not_null`. Before PostgreSQL 12, `SET NOT NULL` always scans: keep the validated CHECK constraint instead of the column's NOT NULL.",
    },
};

impl SqlRule for SetNotNull {
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
        let version = cx.postgres_version();
        for act in alter.actions() {
            if act.kind != AlterTableType::AtSetNotNull {
                continue;
            }
            let column = &act.cmd.name;
            if version >= 12
                && (cx.has_validated_not_null_check(relname, column)
                    || cx.validated_unknown_constraint(relname))
            {
                continue;
            }
            let ident = ast::quote_ident(column);
            let help = if version >= 12 {
                let pg18 = if version >= 18 {
                    format!("; on PostgreSQL 18 you can instead `ADD CONSTRAINT ... NOT NULL {ident} NOT VALID` and validate it, which makes the column NOT NULL")
                } else {
                    String::new()
                };
                format!("First `ALTER TABLE {table_sql} ADD CONSTRAINT ... CHECK ({ident} IS NOT NULL) NOT VALID;` and, in a separate transaction, `VALIDATE CONSTRAINT` it; then `SET NOT NULL` skips the scan and the check can be dropped{pg18}.")
            } else {
                format!("Before PostgreSQL 12 `SET NOT NULL` always scans: enforce it with `CHECK ({ident} IS NOT NULL) NOT VALID` plus `VALIDATE CONSTRAINT` in a separate transaction instead, or run it in a quiet window with a short `lock_timeout`.")
            };
            out.report(
                cx,
                &META,
                stmt.action(alter.relation_at, act.index),
                format!("`SET NOT NULL` on `{table}.{column}` scans the whole table for NULLs while holding an ACCESS EXCLUSIVE lock"),
                help,
            );
        }
    }
}
