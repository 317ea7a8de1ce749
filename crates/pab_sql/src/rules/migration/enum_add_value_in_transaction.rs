//! `ALTER TYPE ... ADD VALUE` inside a transaction block, which PostgreSQL
//! before 12 refuses.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::NodeEnum;

pub struct EnumAddValueInTransaction;

static META: RuleMeta = RuleMeta {
    id: "migration/enum-add-value-in-transaction",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Sql,
    default_enabled: true,
    summary: "Before PostgreSQL 12, ALTER TYPE ... ADD VALUE fails inside a transaction block, so the migration cannot run.",
    docs: RuleDocs {
        what: "Reports `ALTER TYPE ... ADD VALUE` inside a transaction (after `BEGIN`, or anywhere with `assume-in-transaction`) when the target PostgreSQL version is older than 12.",
        why: "PostgreSQL 11 and older reject `ALTER TYPE ... ADD VALUE` in a transaction block with `cannot run inside a transaction block`, even with `IF NOT EXISTS`. Migration tools that wrap each migration in a transaction therefore fail on it every time, and the rest of the migration is rolled back with it.",
        lock: "",
        bad: "-- PostgreSQL 11, migration tool runs this in a transaction\nALTER TYPE order_status ADD VALUE 'packed' AFTER 'paid';",
        good: "-- a migration of its own, marked non-transactional in the tool\nALTER TYPE order_status ADD VALUE IF NOT EXISTS 'packed' AFTER 'paid';",
        fix: "1. Move the statement to a migration of its own and mark it non-transactional in the tool (Rails `disable_ddl_transaction!`, Django `atomic = False`, Alembic `autocommit_block()`).\n2. Add `IF NOT EXISTS` so a retry after a partial failure succeeds.\n3. Or upgrade to PostgreSQL 12+, where it may run in a transaction (the new value is usable only after the transaction commits).",
    },
};

impl SqlRule for EnumAddValueInTransaction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::AlterType]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let version = cx.postgres_version();
        if version >= 12 || !cx.in_transaction {
            return;
        }
        let Some(NodeEnum::AlterEnumStmt(e)) = stmt.node else {
            return;
        };
        if e.new_val.is_empty() || !e.old_val.is_empty() {
            return;
        }
        let name = ast::strings(&e.type_name).join(".");
        let place = if cx.open_begin.is_some() {
            "inside this transaction block"
        } else {
            "inside the migration tool's transaction"
        };
        out.report(
            cx,
            &META,
            stmt.range(),
            format!("`ALTER TYPE {name} ADD VALUE` fails {place} on PostgreSQL {version}: it cannot run in a transaction before PostgreSQL 12"),
            "Move it to a migration of its own that runs outside a transaction (most tools have a per-migration switch), with `IF NOT EXISTS` so retries succeed.",
        );
    }
}
