//! `LIKE` / `ILIKE` filters whose constant pattern starts with a wildcard, in
//! WHERE and JOIN ... ON conditions on a column.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::{self, a_const, AExpr};
use pg_query::{NodeEnum, NodeRef};

pub struct LeadingWildcardLike;

static META: RuleMeta = RuleMeta {
    id: "query/leading-wildcard-like",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "LIKE '%term' cannot use a B-tree index, so the filter reads every row.",
    docs: RuleDocs {
        what: "Reports `LIKE`, `ILIKE`, `NOT LIKE`, `NOT ILIKE` and their operators (`~~`, `~~*`, `!~~`, `!~~*`, also with `ANY`/`ALL`) in a WHERE, JOIN ... ON or MERGE ... ON condition, testing a column (possibly cast or wrapped in `lower`/`upper`), when the pattern is a string constant starting with `%` or `_`, or a concatenation that starts with one (`'%' || $1`).",
        why: "A B-tree index can serve a LIKE only through the fixed prefix of its pattern (and only with the `C` collation or a `text_pattern_ops` index). A pattern that starts with a wildcard has no prefix, so PostgreSQL reads and tests every row of the table: fine on a thousand rows, seconds of CPU and I/O per query on millions, and it gets slower as the table grows.",
        lock: "",
        bad: "SELECT id, name FROM products WHERE name ILIKE '%phone%';",
        good: "CREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE INDEX CONCURRENTLY products_name_trgm_idx ON products USING gin (name gin_trgm_ops);\n\nSELECT id, name FROM products WHERE name ILIKE '%phone%';  -- served by the trigram index",
        fix: "1. For substring search, create a trigram index (`CREATE EXTENSION pg_trgm; CREATE INDEX CONCURRENTLY ... USING gin (col gin_trgm_ops)`): it serves `LIKE`/`ILIKE` with any wildcards, for patterns of three characters or more.\n2. For word search in text, use full-text search (`to_tsvector(...) @@ websearch_to_tsquery(...)` with a GIN index on the tsvector).\n3. For suffix search (`LIKE '%.example.com'`), index `reverse(col)` and search `reverse(col) LIKE reverse('.example.com') || '%'`.\n4. If the table is known to stay small, suppress the finding with a comment saying so.",
    },
};

/// The LIKE operators, as the parser names them, and how they are written.
fn like_operator(e: &AExpr) -> Option<&'static str> {
    let name = ast::strings(&e.name);
    Some(match name.last().copied()? {
        "~~" => "LIKE",
        "~~*" => "ILIKE",
        "!~~" => "NOT LIKE",
        "!~~*" => "NOT ILIKE",
        _ => return None,
    })
}

/// A pattern's leading string constant: its value, its location, and
/// whether more is concatenated to it.
struct Pattern<'a> {
    text: &'a str,
    location: i32,
    concatenated: bool,
}

/// The string constant that a pattern expression starts with.
fn leading_constant(node: &protobuf::Node) -> Option<Pattern<'_>> {
    match node.node.as_ref()? {
        NodeEnum::AConst(c) => match &c.val {
            Some(a_const::Val::Sval(s)) => Some(Pattern {
                text: s.sval.as_str(),
                location: c.location,
                concatenated: false,
            }),
            _ => None,
        },
        NodeEnum::TypeCast(c) => leading_constant(c.arg.as_deref()?),
        // `'%' || $1`
        NodeEnum::AExpr(e) if ast::strings(&e.name) == ["||"] => {
            leading_constant(e.lexpr.as_deref()?).map(|p| Pattern {
                concatenated: true,
                ..p
            })
        }
        // `LIKE pattern ESCAPE c` becomes like_escape(pattern, c).
        NodeEnum::FuncCall(f) if ast::strings(&f.funcname).last() == Some(&"like_escape") => {
            leading_constant(f.args.first()?)
        }
        _ => None,
    }
}

/// The patterns of a LIKE: the right operand, or the elements of the array
/// of `LIKE ANY (ARRAY[...])`.
fn patterns(e: &AExpr) -> Vec<Pattern<'_>> {
    let Some(rexpr) = e.rexpr.as_deref() else {
        return Vec::new();
    };
    match &rexpr.node {
        Some(NodeEnum::AArrayExpr(a)) => a.elements.iter().filter_map(leading_constant).collect(),
        _ => leading_constant(rexpr).into_iter().collect(),
    }
}

/// The column a LIKE tests, when it is one that an index could serve:
/// `name`, `p.name`, `lower(name)`, `name::text`.
fn indexable_column(node: &protobuf::Node) -> Option<&str> {
    match node.node.as_ref()? {
        NodeEnum::ColumnRef(c) => ast::strings(&c.fields).last().copied(),
        NodeEnum::TypeCast(c) => indexable_column(c.arg.as_deref()?),
        NodeEnum::CollateClause(c) => indexable_column(c.arg.as_deref()?),
        NodeEnum::FuncCall(f)
            if f.args.len() == 1
                && matches!(
                    ast::strings(&f.funcname).last(),
                    Some(&("lower" | "upper" | "unaccent"))
                ) =>
        {
            indexable_column(f.args.first()?)
        }
        _ => None,
    }
}

impl SqlRule for LeadingWildcardLike {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        crate::classify::QUERIES
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(node) = stmt.node else { return };
        ast::walk_node(node, &mut |n| {
            let filter = match n {
                // HAVING filters groups, after any index could have helped.
                NodeRef::SelectStmt(s) => &s.where_clause,
                NodeRef::JoinExpr(j) => &j.quals,
                NodeRef::UpdateStmt(u) => &u.where_clause,
                NodeRef::DeleteStmt(d) => &d.where_clause,
                NodeRef::MergeStmt(m) => &m.join_condition,
                _ => return true,
            };
            if let Some(filter) = filter.as_deref().and_then(|f| f.node.as_ref()) {
                check_filter(filter, stmt, cx, out);
            }
            true
        });
    }
}

/// Reports the LIKEs of one condition; subqueries in it are conditions of
/// their own, reached by the outer walk.
fn check_filter(filter: &NodeEnum, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
    ast::walk_node(filter, &mut |n| match n {
        NodeRef::SelectStmt(_) => false,
        NodeRef::AExpr(e) => {
            let Some(operator) = like_operator(e) else {
                return true;
            };
            let Some(column) = e.lexpr.as_deref().and_then(indexable_column) else {
                return true;
            };
            for pattern in patterns(e) {
                if !(pattern.text.starts_with('%') || pattern.text.starts_with('_')) {
                    continue;
                }
                let mut written =
                    format!("'{}'", pattern.text.chars().take(40).collect::<String>());
                if pattern.concatenated {
                    written.push_str(" || ...");
                }
                out.report(
                    cx,
                    &META,
                    stmt.token_at(pattern.location),
                    format!("`{operator} {written}` starts with a wildcard, so no B-tree index on `{column}` can serve it and every row is read"),
                    "Index the column with pg_trgm (`CREATE INDEX CONCURRENTLY ... USING gin (col gin_trgm_ops)`) or use full-text search; or anchor the pattern at the start.",
                );
            }
            true
        }
        _ => true,
    });
}
