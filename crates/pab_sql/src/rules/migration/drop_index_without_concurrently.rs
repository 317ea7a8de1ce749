//! `DROP INDEX` without `CONCURRENTLY`, unless every index it drops was
//! created earlier in the same file on a table also created there.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::{DropBehavior, ObjectType};
use pg_query::NodeEnum;

pub struct DropIndexWithoutConcurrently;

static META: RuleMeta = RuleMeta {
    id: "migration/drop-index-without-concurrently",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "DROP INDEX without CONCURRENTLY locks the index's table against all access; behind a long query, that lock queues every other query.",
    docs: RuleDocs {
        what: "Reports `DROP INDEX` without `CONCURRENTLY`. An index created earlier in the same file on a table also created there is exempt; for any other index the table cannot be known from the file, so it is assumed to exist and be in use.",
        why: "The drop itself is quick, but it needs an `ACCESS EXCLUSIVE` lock on the table. If a long query or an idle transaction holds any lock on the table, the drop waits, and every query that arrives after it waits behind it: reads included. A one-millisecond change turns into an outage as long as the slowest query.",
        lock: "`ACCESS EXCLUSIVE` on the index's table until the transaction ends: blocks every read and write. `DROP INDEX CONCURRENTLY` takes `SHARE UPDATE EXCLUSIVE`, waits for running transactions to finish using the index, and blocks neither reads nor writes.",
        bad: "DROP INDEX orders_status_idx;",
        good: "-- in a migration that runs outside a transaction\nDROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;",
        fix: "1. Use `DROP INDEX CONCURRENTLY IF EXISTS name`, one index per statement: the concurrent form accepts a single index and no `CASCADE`.\n2. Run it outside a transaction block (Django `atomic = False`, Alembic `autocommit_block()`, Rails `disable_ddl_transaction!`).\n3. If you must keep the plain form, set a short `lock_timeout` first so the drop gives up instead of queueing everyone behind it, and retry.",
    },
};

impl SqlRule for DropIndexWithoutConcurrently {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::DropIndex]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(NodeEnum::DropStmt(drop)) = stmt.node else {
            return;
        };
        if drop.concurrent || ObjectType::try_from(drop.remove_type) != Ok(ObjectType::ObjectIndex)
        {
            return;
        }
        let names: Vec<Vec<&str>> = drop
            .objects
            .iter()
            .filter_map(|o| match &o.node {
                Some(NodeEnum::List(l)) => Some(ast::strings(&l.items)),
                _ => None,
            })
            .collect();
        let all_new = !names.is_empty()
            && names
                .iter()
                .all(|n| n.last().is_some_and(|i| cx.created_here(cx.index_table(i))));
        if all_new {
            return;
        }
        let quoted: Vec<String> = names
            .iter()
            .map(|n| {
                n.iter()
                    .map(|p| ast::quote_ident(p))
                    .collect::<Vec<_>>()
                    .join(".")
            })
            .collect();
        let target = match (quoted.as_slice(), names.first().and_then(|n| n.last())) {
            ([one], Some(index)) => match cx.index_table(index) {
                Some(table) => format!("`{one}` locks `{table}`"),
                None => format!("`{one}` locks its table"),
            },
            _ => format!(
                "{} locks their tables",
                quoted
                    .iter()
                    .map(|q| format!("`{q}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let statements = quoted
            .iter()
            .map(|q| format!("`DROP INDEX CONCURRENTLY IF EXISTS {q};`"))
            .collect::<Vec<_>>()
            .join(" then ");
        let mut help = format!("Use {statements}");
        if DropBehavior::try_from(drop.behavior) == Ok(DropBehavior::DropCascade) {
            help.push_str(
                " (the concurrent form has no `CASCADE`: drop the dependent objects first)",
            );
        }
        help.push_str(", in a migration that runs outside a transaction.");
        out.report(
            cx,
            &META,
            stmt.range(),
            format!("`DROP INDEX` of {target} in ACCESS EXCLUSIVE mode: it queues behind running queries and blocks every query that arrives after it"),
            help,
        );
    }
}
