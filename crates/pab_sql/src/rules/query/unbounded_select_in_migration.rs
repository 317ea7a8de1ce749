//! In a migration, a top-level `SELECT` or `INSERT ... SELECT` that reads a
//! whole existing table: no WHERE, no LIMIT.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::{SelectStmt, SetOperation};
use pg_query::{NodeEnum, NodeRef};
use std::collections::HashSet;

pub struct UnboundedSelectInMigration;

static META: RuleMeta = RuleMeta {
    id: "query/unbounded-select-in-migration",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "A migration that reads or copies a whole table in one statement runs a long transaction in the deploy path.",
    docs: RuleDocs {
        what: "In a migration file, reports a top-level `SELECT` or `INSERT ... SELECT` whose FROM list reads a table that existed before the file, with neither a WHERE clause nor a LIMIT. Left alone: SELECTs without FROM (`SELECT set_config(...)`, `SELECT 1`); reads of tables created earlier in the file, of `WITH` queries, functions and system catalogs (`pg_catalog`, `information_schema`, `pg_*`); and queries whose select list is only aggregates without GROUP BY (`SELECT count(*)`, `SELECT setval('s', max(id))`), which return one row and have nothing to batch.",
        why: "A migration runs in the deploy path, usually inside one transaction. Copying a whole table (`INSERT INTO new_t SELECT ... FROM old_t`) in one statement takes as long as the table is big, writes all of it to the WAL at once (replicas fall behind), holds its locks until the migration commits, and fails the deploy when it hits `statement_timeout`. A bare `SELECT` of a whole table in a migration does no useful work but still scans it and holds its lock, which also keeps any lock the migration already took on other tables for that long.",
        lock: "`ACCESS SHARE` on the tables read (and `ROW EXCLUSIVE` on the table inserted into) until the migration's transaction ends: harmless alone, but any `ALTER TABLE` queued behind it waits, and every query queues behind that.",
        bad: "-- migrations/0042_copy_orders.sql\nINSERT INTO orders_v2 (id, customer_id, total)\nSELECT id, customer_id, total FROM orders;",
        good: "-- migration: schema only\nCREATE TABLE orders_v2 (id bigint PRIMARY KEY, customer_id bigint, total numeric(12, 2));\n\n-- backfill job, run after the deploy, batch by batch:\nINSERT INTO orders_v2 (id, customer_id, total)\nSELECT id, customer_id, total FROM orders\nWHERE id >= $1 AND id < $1 + 10000\nON CONFLICT (id) DO NOTHING;",
        fix: "1. Keep the migration to schema changes.\n2. Do the backfill in a job that copies by primary-key ranges (`WHERE id >= :lo AND id < :hi`), committing after each batch, and can be resumed (`ON CONFLICT DO NOTHING`).\n3. Keep new writes in sync meanwhile (write to both tables from the application, or a trigger), then switch readers over.\n4. Remove leftover diagnostic `SELECT`s from migrations.",
    },
};

/// Aggregate functions: a select list of only these returns a single row.
const AGGREGATES: &[&str] = &[
    "count",
    "sum",
    "min",
    "max",
    "avg",
    "bool_and",
    "bool_or",
    "every",
    "array_agg",
    "string_agg",
    "json_agg",
    "jsonb_agg",
    "json_object_agg",
    "jsonb_object_agg",
];

impl SqlRule for UnboundedSelectInMigration {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::Select, StmtKind::Insert]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        if !cx.is_migration {
            return;
        }
        let (select, with, target) = match stmt.node {
            Some(NodeEnum::SelectStmt(s)) => (s.as_ref(), s.with_clause.as_ref(), None),
            Some(NodeEnum::InsertStmt(i)) => {
                match i.select_stmt.as_deref().and_then(|n| n.node.as_ref()) {
                    Some(NodeEnum::SelectStmt(s)) => (
                        s.as_ref(),
                        i.with_clause.as_ref().or(s.with_clause.as_ref()),
                        Some(&i.relation),
                    ),
                    _ => return,
                }
            }
            _ => return,
        };
        let ctes: HashSet<&str> = with
            .into_iter()
            .chain(select.with_clause.as_ref())
            .flat_map(|w| w.ctes.iter())
            .filter_map(|c| match &c.node {
                Some(NodeEnum::CommonTableExpr(c)) => Some(c.ctename.as_str()),
                _ => None,
            })
            .collect();
        let Some(table) = unbounded_read(select, &ctes, cx) else {
            return;
        };
        let (message, help) = match target {
            None => (
                format!("This migration reads every row of `{table}` (no WHERE, no LIMIT)"),
                "Remove the query from the migration, or bound it with WHERE or LIMIT; migrations should change the schema, not scan tables.",
            ),
            Some(into) => (
                format!(
                    "This migration fills `{}` from every row of `{table}` in one statement (no WHERE, no LIMIT)",
                    ast::qualified(into)
                ),
                "Move the backfill out of the migration into a job that copies by primary-key ranges (`WHERE id >= :lo AND id < :hi`), committing between batches.",
            ),
        };
        out.report(cx, &META, stmt.range(), message, help);
    }
}

/// The existing table a query reads whole, if it does: no WHERE, no LIMIT,
/// not a single-row aggregate. Set operations are checked branch by branch.
fn unbounded_read(s: &SelectStmt, ctes: &HashSet<&str>, cx: &Context) -> Option<String> {
    if SetOperation::try_from(s.op).unwrap_or(SetOperation::SetopNone) != SetOperation::SetopNone {
        if s.limit_count.is_some() {
            return None;
        }
        return [&s.larg, &s.rarg]
            .into_iter()
            .flatten()
            .find_map(|arm| unbounded_read(arm, ctes, cx));
    }
    if s.where_clause.is_some() || s.limit_count.is_some() || aggregates_only(s) {
        return None;
    }
    // The first table or view read that existed before this file; the
    // catalogs are small and reading them is the point of such a query.
    ast::from_tables(&s.from_clause, ctes)
        .into_iter()
        .find(|r| {
            let catalog = matches!(r.schemaname.as_str(), "pg_catalog" | "information_schema")
                || r.relname.starts_with("pg_");
            !catalog && !cx.created_here(Some(&r.relname))
        })
        .map(ast::range_var_name)
}

/// A select list of aggregates without GROUP BY: one row.
fn aggregates_only(s: &SelectStmt) -> bool {
    s.group_clause.is_empty()
        && !s.target_list.is_empty()
        && s.target_list.iter().all(|t| {
            let mut found = false;
            if let Some(n) = &t.node {
                ast::walk_node(n, &mut |n| {
                    match n {
                        NodeRef::FuncCall(f) if f.over.is_none() => {
                            let name = ast::strings(&f.funcname).last().copied().unwrap_or("");
                            found |= f.agg_star || AGGREGATES.contains(&name);
                        }
                        NodeRef::SelectStmt(_) => return false,
                        _ => {}
                    }
                    true
                });
            }
            found
        })
}

