//! `REINDEX { INDEX | TABLE | SCHEMA | DATABASE }` without `CONCURRENTLY`:
//! the rebuild blocks writes, and the queries that use the indexes.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::ReindexObjectType;
use pg_query::NodeEnum;

pub struct ReindexWithoutConcurrently;

static META: RuleMeta = RuleMeta {
    id: "migration/reindex-without-concurrently",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Sql,
    default_enabled: true,
    summary: "REINDEX without CONCURRENTLY blocks writes to the table, and the queries that use its indexes, until the rebuild ends.",
    docs: RuleDocs {
        what: "Reports `REINDEX INDEX`, `REINDEX TABLE`, `REINDEX SCHEMA` and `REINDEX DATABASE` without `CONCURRENTLY` (neither the keyword nor a `(CONCURRENTLY)` option that is on). `REINDEX SYSTEM` is not reported: system catalogs cannot be reindexed concurrently. A table, or an index of a table, created earlier in the same file is exempt. On PostgreSQL 11 and earlier, where `REINDEX CONCURRENTLY` does not exist, it is still reported, and the help describes the manual replacement.",
        why: "A plain `REINDEX` rebuilds each index from scratch while it blocks every write to the table and locks the index itself exclusively. Queries that would use the index wait too, and since the planner opens all of a table's indexes, that is in practice most queries on the table. On a large table that is minutes of downtime per index.",
        lock: "`SHARE` on the table (every INSERT, UPDATE and DELETE waits) and `ACCESS EXCLUSIVE` on each index being rebuilt (queries that would use it wait), for the whole rebuild. `REINDEX CONCURRENTLY` takes `SHARE UPDATE EXCLUSIVE`: reads and writes continue.",
        bad: "REINDEX INDEX orders_customer_id_idx;",
        good: "-- outside a transaction, PostgreSQL 12+\nREINDEX INDEX CONCURRENTLY orders_customer_id_idx;",
        fix: "1. On PostgreSQL 12+, write `REINDEX INDEX CONCURRENTLY name` (or `REINDEX (CONCURRENTLY) TABLE name`) and run it outside a transaction block. A failed run leaves an INVALID index named `..._ccnew`: drop it with `DROP INDEX CONCURRENTLY` and retry.\n2. Before PostgreSQL 12: `CREATE INDEX CONCURRENTLY new_name ON ...` with the same definition, then `DROP INDEX CONCURRENTLY old_name;` and `ALTER INDEX new_name RENAME TO old_name;`. Indexes backing a constraint need `ADD CONSTRAINT ... USING INDEX` instead of the drop.",
    },
};

impl SqlRule for ReindexWithoutConcurrently {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::Reindex]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(NodeEnum::ReindexStmt(r)) = stmt.node else {
            return;
        };
        if ast::option_on(&r.params, "concurrently").is_some() {
            return;
        }
        let kind = ReindexObjectType::try_from(r.kind).unwrap_or(ReindexObjectType::Undefined);
        let (what, name, new) = match kind {
            ReindexObjectType::ReindexObjectIndex => {
                let index = ast::relname(&r.relation);
                (
                    "INDEX",
                    ast::qualified(&r.relation),
                    cx.created_here(index.and_then(|i| cx.index_table(i))),
                )
            }
            ReindexObjectType::ReindexObjectTable => (
                "TABLE",
                ast::qualified(&r.relation),
                cx.created_here(ast::relname(&r.relation)),
            ),
            ReindexObjectType::ReindexObjectSchema => ("SCHEMA", r.name.clone(), false),
            ReindexObjectType::ReindexObjectDatabase => ("DATABASE", r.name.clone(), false),
            _ => return,
        };
        if new {
            return;
        }
        let shown = if name.is_empty() {
            format!("REINDEX {what}")
        } else {
            format!("REINDEX {what} {name}")
        };
        let target = match kind {
            ReindexObjectType::ReindexObjectIndex => {
                "its table, and the queries that use the index,".to_string()
            }
            ReindexObjectType::ReindexObjectTable => {
                format!("`{name}`, and the queries that use its indexes,")
            }
            _ => "each table in turn, and the queries that use its indexes,".to_string(),
        };
        let sql_name = match kind {
            ReindexObjectType::ReindexObjectIndex | ReindexObjectType::ReindexObjectTable => {
                format!(" {}", ast::qualified_sql(&r.relation))
            }
            _ if name.is_empty() => String::new(),
            _ => format!(" {}", ast::quote_ident(&name)),
        };
        let help = if cx.postgres_version() >= 12 {
            format!("Use `REINDEX {what} CONCURRENTLY{sql_name};`, outside a transaction block.")
        } else {
            String::from("`REINDEX CONCURRENTLY` needs PostgreSQL 12: build a replacement with `CREATE INDEX CONCURRENTLY`, then `DROP INDEX CONCURRENTLY` the old index and rename the new one.")
        };
        out.report(
            cx,
            &META,
            stmt.range(),
            format!(
                "`{shown}` without CONCURRENTLY blocks writes to {target} until the rebuild ends"
            ),
            help,
        );
    }
}
