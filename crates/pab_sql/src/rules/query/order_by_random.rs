//! `ORDER BY random()` in a query that reads a table.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::{NodeEnum, NodeRef};

pub struct OrderByRandom;

static META: RuleMeta = RuleMeta {
    id: "query/order-by-random",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "ORDER BY random() reads and sorts every row to return a few.",
    docs: RuleDocs {
        what: "Reports `ORDER BY random()` (as the first sort key) in a query (or subquery) whose FROM list reads a table or view. Sorting the rows of a `VALUES` list, a function such as `unnest` or `generate_series`, a `WITH` query of the same statement, or a table created earlier in the same file is left alone.",
        why: "To pick random rows this way PostgreSQL computes `random()` for every row of the table and sorts them all, even with `LIMIT 1`: the cost grows with the table, not with the number of rows wanted, and no index helps. On a large table it is a full scan per call, and it is typically called often (a random item, a sample for a dashboard).",
        lock: "",
        bad: "SELECT id, question FROM quiz_questions ORDER BY random() LIMIT 1;",
        good: "-- about 1% of the table's pages, then a few rows of them\nSELECT id, question FROM quiz_questions TABLESAMPLE SYSTEM (1) LIMIT 1;\n\n-- or exactly n rows (extension tsm_system_rows)\nSELECT id, question FROM quiz_questions TABLESAMPLE SYSTEM_ROWS (5);",
        fix: "1. For a rough sample, use `TABLESAMPLE SYSTEM (percent)` or `BERNOULLI (percent)`, or `TABLESAMPLE SYSTEM_ROWS (n)` from the `tsm_system_rows` extension; these read only part of the table.\n2. For one random row by key, pick a random key and take the next existing one: `WHERE id >= (SELECT floor(random() * max(id))::bigint FROM t) ORDER BY id LIMIT 1` (uses the primary key index; slightly biased when keys have gaps).\n3. Or keep a precomputed random column with an index (`random_key double precision DEFAULT random()`), and read `WHERE random_key >= random() ORDER BY random_key LIMIT n`.",
    },
};

impl SqlRule for OrderByRandom {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        crate::classify::QUERIES
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(node) = stmt.node else { return };
        let ctes = ast::cte_names(node);
        ast::walk_node(node, &mut |n| {
            let NodeRef::SelectStmt(s) = n else {
                return true;
            };
            // The first table or view read that existed before this file.
            let Some(table) = ast::from_tables(&s.from_clause, &ctes)
                .into_iter()
                .find(|r| !cx.created_here(Some(&r.relname)))
                .map(ast::range_var_name)
            else {
                return true;
            };
            // random() as a tie-breaker after other keys can be served by an
            // index on them (incremental sort); only a leading random() sorts all.
            let Some(NodeEnum::SortBy(by)) = s.sort_clause.first().and_then(|n| n.node.as_ref())
            else {
                return true;
            };
            let Some(NodeEnum::FuncCall(f)) = by.node.as_deref().and_then(|n| n.node.as_ref())
            else {
                return true;
            };
            let random = matches!(
                ast::strings(&f.funcname)[..],
                ["random"] | ["pg_catalog", "random"]
            );
            if random && f.args.is_empty() {
                out.report(
                    cx,
                    &META,
                    stmt.call_at(f.location),
                    format!("`ORDER BY random()` computes a random value for every row of `{table}` and sorts them all"),
                    "Sample with `TABLESAMPLE SYSTEM (percent)` or `SYSTEM_ROWS (n)` (tsm_system_rows), or pick a random key and read the next row through the primary key index.",
                );
            }
            true
        });
    }
}
