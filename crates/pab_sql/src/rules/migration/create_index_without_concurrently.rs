//! `CREATE INDEX` without `CONCURRENTLY` on a table that already exists.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::NodeEnum;

pub struct CreateIndexWithoutConcurrently;

static META: RuleMeta = RuleMeta {
    id: "migration/create-index-without-concurrently",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Sql,
    default_enabled: true,
    summary: "CREATE INDEX without CONCURRENTLY blocks every write to an existing table until the index is built.",
    docs: RuleDocs {
        what: "Reports `CREATE [UNIQUE] INDEX` without `CONCURRENTLY` on a table that was not created earlier in the same file.",
        why: "A plain index build reads the whole table while holding a lock that stops every INSERT, UPDATE and DELETE. On a large table that is minutes of failed or queued writes, and the queue also blocks readers behind it.",
        lock: "`SHARE` on the table for the whole build: reads continue, all writes wait. `CREATE INDEX CONCURRENTLY` takes `SHARE UPDATE EXCLUSIVE`, which lets reads and writes continue.",
        bad: "CREATE INDEX orders_customer_id_idx ON orders (customer_id);",
        good: "-- in a migration that runs outside a transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON orders (customer_id);",
        fix: "1. Use `CREATE INDEX CONCURRENTLY`.\n2. Run it outside a transaction block: most migration tools have a per-migration switch (Django `atomic = False`, Alembic `autocommit_block()`, Rails `disable_ddl_transaction!`).\n3. A failed concurrent build leaves an INVALID index that `IF NOT EXISTS` will not rebuild: drop it with `DROP INDEX CONCURRENTLY` and retry.",
    },
};

impl SqlRule for CreateIndexWithoutConcurrently {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::CreateIndex]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(NodeEnum::IndexStmt(index)) = stmt.node else { return };
        if index.concurrent || cx.created_here(ast::relname(&index.relation)) {
            return;
        }
        let table = ast::qualified(&index.relation);
        out.report(
            cx,
            &META,
            stmt.range(),
            format!("`CREATE INDEX` on `{table}` blocks writes to it until the index is built"),
            format!("Use `CREATE INDEX CONCURRENTLY` on `{table}`, in a migration that runs outside a transaction."),
        );
    }
}
