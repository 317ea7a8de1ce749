//! `SELECT *` and `SELECT t.*` in the target list of a query that reads a
//! table: the outer query, subqueries, CTEs and the query of `INSERT ...
//! SELECT`. `EXISTS (SELECT * ...)` and `count(*)` are not stars over columns.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::lexer::TokenKind;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::{self, SubLinkType};
use pg_query::{NodeEnum, NodeRef};

pub struct SelectStar;

static META: RuleMeta = RuleMeta {
    id: "query/select-star",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Sql,
    default_enabled: true,
    summary: "SELECT * returns whatever columns the table has today, so results change shape when the schema does.",
    docs: RuleDocs {
        what: "Reports `*` and `alias.*` in the select list of a query that reads a table or view: a top-level `SELECT`, a subquery, a `WITH` query, or the query of `INSERT ... SELECT`. Stars over a `WITH` query of the same statement, over a subquery or over a function are left alone (their columns are spelled out in the statement), as are `EXISTS (SELECT * ...)`, `count(*)` and `TABLE t`.",
        why: "The columns `*` returns are decided by the schema at run time, not by the query. Adding a column makes every such query return more data (wide text and JSON columns included), and dropping or reordering columns breaks code that reads results by position. `INSERT INTO a SELECT * FROM b` is worse: it silently depends on both tables having the same columns in the same order, and puts values in the wrong columns when they drift apart. Listing columns also lets PostgreSQL answer from an index alone.",
        lock: "",
        bad: "SELECT * FROM orders WHERE customer_id = $1;\n\nINSERT INTO orders_archive SELECT * FROM orders WHERE created_at < '2020-01-01';",
        good: "SELECT id, status, total, created_at FROM orders WHERE customer_id = $1;\n\nINSERT INTO orders_archive (id, status, total, created_at)\nSELECT id, status, total, created_at FROM orders WHERE created_at < '2020-01-01';",
        fix: "1. List the columns the caller uses.\n2. For `INSERT ... SELECT`, list the target columns and the selected columns in the same order.\n3. Tools that generate code from queries (such as sqlc) expand `*` at generation time; you may keep `*` there and disable this rule for those files.",
    },
};

impl SqlRule for SelectStar {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        crate::classify::QUERIES
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(node) = stmt.node else { return };
        let ctes = ast::cte_names(node);
        ast::walk_node(node, &mut |n| match n {
            // What EXISTS selects is never read.
            NodeRef::SubLink(l) => {
                SubLinkType::try_from(l.sub_link_type) != Ok(SubLinkType::ExistsSublink)
            }
            NodeRef::SelectStmt(s) => {
                let read = ast::from_tables(&s.from_clause, &ctes);
                let Some(first) = read.first() else {
                    return true;
                };
                let first = ast::range_var_name(first);
                for target in &s.target_list {
                    let Some((location, qualifier)) = star(target) else {
                        continue;
                    };
                    let table = match (qualifier, read.len()) {
                        // `t.*` over a table; over a WITH query, subquery or
                        // function alias it is spelled out in the statement.
                        (Some(q), _) => match read.iter().find(|r| {
                            r.alias
                                .as_ref()
                                .map_or(q == r.relname || q == ast::range_var_name(r), |a| a.aliasname == q)
                        }) {
                            Some(r) => format!("`{}`", ast::range_var_name(r)),
                            None => continue,
                        },
                        (None, 1) => format!("`{first}`"),
                        (None, _) => format!("`{first}` and the tables joined to it"),
                    };
                    report(stmt, cx, out, location, &table);
                }
                true
            }
            _ => true,
        });
    }
}

/// The location of a `*` or `t.*` select-list entry, and its `t`.
fn star(target: &protobuf::Node) -> Option<(i32, Option<String>)> {
    let Some(NodeEnum::ResTarget(t)) = &target.node else {
        return None;
    };
    let Some(NodeEnum::ColumnRef(c)) = t.val.as_deref().and_then(|v| v.node.as_ref()) else {
        return None;
    };
    let is_star = matches!(
        c.fields.last().and_then(|f| f.node.as_ref()),
        Some(NodeEnum::AStar(_))
    );
    // `TABLE t` is written without a star (location -1).
    if !is_star || c.location < 0 {
        return None;
    }
    let qualifier = ast::strings(&c.fields).join(".");
    Some((c.location, (!qualifier.is_empty()).then_some(qualifier)))
}

fn report(stmt: &Stmt, cx: &Context, out: &mut Reporter, location: i32, table: &str) {
    let start = stmt.at(location);
    let end = stmt
        .tokens()
        .iter()
        .find(|t| {
            stmt.start + t.start >= start
                && t.kind == TokenKind::Punct
                && &stmt.text[t.start..t.end] == "*"
        })
        .map_or(start + 1, |t| stmt.start + t.end);
    let written = cx.file.text[start..end].to_string();
    out.report(
        cx,
        &META,
        (start, end),
        format!("`{written}` selects whatever columns {table} has when the query runs"),
        "List the columns the caller needs (for `INSERT ... SELECT`, list the target columns too, in the same order).",
    );
}
