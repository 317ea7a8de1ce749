//! A `CONCURRENTLY` operation (`CREATE INDEX`, `DROP INDEX`, `REINDEX`,
//! `DETACH PARTITION`) inside a transaction block, where PostgreSQL refuses
//! to run it.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::AlterTableType;
use pg_query::NodeEnum;

pub struct ConcurrentlyInTransaction;

static META: RuleMeta = RuleMeta {
    id: "migration/concurrently-in-transaction",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Sql,
    default_enabled: true,
    summary: "CONCURRENTLY operations cannot run inside a transaction block: the migration fails.",
    docs: RuleDocs {
        what: "Reports `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX ... CONCURRENTLY` and `ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY` inside a transaction: after an explicit `BEGIN`, or anywhere before a `COMMIT` when the migration tool is assumed to wrap each file in a transaction (`assume-in-transaction`).",
        why: "These commands work in several transactions of their own, so PostgreSQL refuses them inside a transaction block (`cannot run inside a transaction block`). The migration fails on deploy, and everything before it in the same transaction is rolled back.",
        lock: "",
        bad: "BEGIN;\nCREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);\nCOMMIT;",
        good: "-- a migration of its own, run outside a transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON orders (customer_id);",
        fix: "1. Put the concurrent statement in a migration of its own, without `BEGIN`/`COMMIT`.\n2. Tell the migration tool not to wrap that migration in a transaction: Django `atomic = False`, Alembic `with op.get_context().autocommit_block():`, Rails `disable_ddl_transaction!`; other tools have a per-migration switch or marker.\n3. Keep the `CONCURRENTLY`: dropping it makes the statement lock the table instead.",
    },
};

impl SqlRule for ConcurrentlyInTransaction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[
            StmtKind::CreateIndex,
            StmtKind::DropIndex,
            StmtKind::Reindex,
            StmtKind::AlterTable,
        ]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        if !cx.in_transaction {
            return;
        }
        let Some(node) = stmt.node else { return };
        let (what, target, range) = match node {
            NodeEnum::IndexStmt(i) if i.concurrent => (
                "CREATE INDEX CONCURRENTLY",
                format!(" on `{}`", ast::qualified(&i.relation)),
                stmt.keyword("CONCURRENTLY", 0),
            ),
            NodeEnum::DropStmt(d) if d.concurrent => (
                "DROP INDEX CONCURRENTLY",
                String::new(),
                stmt.keyword("CONCURRENTLY", 0),
            ),
            NodeEnum::ReindexStmt(r) => {
                let Some(opt) = ast::option_on(&r.params, "concurrently") else {
                    return;
                };
                let name = match &r.relation {
                    Some(_) => ast::qualified(&r.relation),
                    None => r.name.clone(),
                };
                (
                    "REINDEX CONCURRENTLY",
                    format!(" of `{name}`"),
                    Some(stmt.token_at(opt.location)),
                )
            }
            NodeEnum::AlterTableStmt(a) => {
                let detach = a.cmds.iter().find_map(|c| match &c.node {
                    Some(NodeEnum::AlterTableCmd(cmd))
                        if AlterTableType::try_from(cmd.subtype)
                            == Ok(AlterTableType::AtDetachPartition) =>
                    {
                        match cmd.def.as_deref().and_then(|d| d.node.as_ref()) {
                            Some(NodeEnum::PartitionCmd(p)) if p.concurrent => Some(p),
                            _ => None,
                        }
                    }
                    _ => None,
                });
                let Some(p) = detach else { return };
                let from = p.name.as_ref().map_or(0, |n| n.location);
                (
                    "DETACH PARTITION CONCURRENTLY",
                    format!(" of `{}`", ast::qualified(&p.name)),
                    stmt.keyword("CONCURRENTLY", from),
                )
            }
            _ => return,
        };
        let range = range.unwrap_or_else(|| stmt.range());
        let help = match cx.open_begin {
            Some(_) => "Move this statement out of the `BEGIN ... COMMIT` block, into a migration of its own that runs without a transaction.".to_string(),
            None => "Put this statement in a migration of its own and turn off the tool's transaction for it (Django `atomic = False`, Alembic `autocommit_block()`, Rails `disable_ddl_transaction!`).".to_string(),
        };
        out.report(
            cx,
            &META,
            range,
            format!("`{what}`{target} cannot run inside a transaction block: PostgreSQL rejects it and the migration fails"),
            help,
        );
    }
}
