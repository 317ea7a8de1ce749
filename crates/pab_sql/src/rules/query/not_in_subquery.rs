//! `x NOT IN (SELECT ...)` and its twin `x <> ALL (SELECT ...)`.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::{self, BoolExprType, NullTestType, SubLink, SubLinkType};
use pg_query::{NodeEnum, NodeRef};

pub struct NotInSubquery;

static META: RuleMeta = RuleMeta {
    id: "query/not-in-subquery",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "NOT IN (SELECT ...) returns nothing once the subquery yields a NULL, and cannot be planned as an anti-join.",
    docs: RuleDocs {
        what: "Reports `x NOT IN (SELECT ...)`, `NOT (x IN (SELECT ...))`, `NOT (x = ANY (SELECT ...))` and `x <> ALL (SELECT ...)` anywhere in a query. `NOT IN` with a list of values (`NOT IN (1, 2)`) is not a subquery and is not reported.",
        why: "`x NOT IN (subquery)` is true only if x differs from every value the subquery returns, and comparing with NULL is unknown: one NULL in the subquery's result makes the condition unknown for every row, so the query silently returns nothing. It also cannot be rewritten into an anti-join: PostgreSQL either hashes the whole subquery result (if it fits in `work_mem`) or re-scans it for every outer row, which is quadratic on large tables.",
        lock: "",
        bad: "SELECT id FROM customers\nWHERE id NOT IN (SELECT customer_id FROM orders);",
        good: "SELECT c.id FROM customers c\nWHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id);",
        fix: "1. Rewrite as `NOT EXISTS (SELECT 1 FROM t WHERE t.col = outer.col)`: it ignores NULLs the way people expect and is planned as an anti-join that can use an index on `t.col`.\n2. Or use `LEFT JOIN t ON t.col = outer.col ... WHERE t.col IS NULL`.\n3. Keep `NOT IN` only with a short list of literal values.",
    },
};

impl SqlRule for NotInSubquery {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        crate::classify::QUERIES
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(node) = stmt.node else { return };
        ast::walk_node(node, &mut |n| {
            // (the sublink, where the construct starts, its last keyword, how it reads)
            let (link, start, keyword, written) = match n {
                // NOT IN / NOT (= ANY): a NOT around an ANY sublink.
                NodeRef::BoolExpr(b)
                    if BoolExprType::try_from(b.boolop) == Ok(BoolExprType::NotExpr) =>
                {
                    match b.args.first().and_then(|a| a.node.as_ref()) {
                        Some(NodeEnum::SubLink(l))
                            if SubLinkType::try_from(l.sub_link_type)
                                == Ok(SubLinkType::AnySublink)
                                && matches!(ast::strings(&l.oper_name)[..], [] | ["="]) =>
                        {
                            if l.oper_name.is_empty() {
                                (l.as_ref(), b.location, "IN", "NOT IN (SELECT ...)")
                            } else {
                                (
                                    l.as_ref(),
                                    b.location,
                                    "ANY",
                                    "NOT (... = ANY (SELECT ...))",
                                )
                            }
                        }
                        _ => return true,
                    }
                }
                NodeRef::SubLink(l)
                    if SubLinkType::try_from(l.sub_link_type) == Ok(SubLinkType::AllSublink)
                        && ast::strings(&l.oper_name) == ["<>"] =>
                {
                    (l, l.location, "ALL", "<> ALL (SELECT ...)")
                }
                _ => return true,
            };
            let start = stmt.at(start);
            let end = stmt
                .keyword(keyword, link.location)
                .map_or(start, |k| k.1)
                .max(start);
            let message = if filters_nulls(link) {
                format!("`{written}` cannot be planned as an anti-join: the subquery's result is hashed or re-scanned for every row")
            } else {
                format!("`{written}` returns no rows at all as soon as the subquery yields a NULL, and cannot be planned as an anti-join")
            };
            out.report(
                cx,
                &META,
                (start, end),
                message,
                "Rewrite it as `NOT EXISTS (SELECT 1 FROM ... WHERE sub.col = outer.col)`, which handles NULLs as expected and runs as an anti-join.",
            );
            true
        });
    }
}

/// Whether the subquery selects one column and filters out its NULLs
/// (`WHERE col IS NOT NULL`, possibly among other AND-ed conditions).
fn filters_nulls(link: &SubLink) -> bool {
    let Some(NodeEnum::SelectStmt(s)) = link.subselect.as_deref().and_then(|n| n.node.as_ref())
    else {
        return false;
    };
    let [target] = &s.target_list[..] else {
        return false;
    };
    let Some(NodeEnum::ResTarget(t)) = &target.node else {
        return false;
    };
    let Some(NodeEnum::ColumnRef(col)) = t.val.as_deref().and_then(|v| v.node.as_ref()) else {
        return false;
    };
    let column = ast::strings(&col.fields).last().copied();
    let mut conjuncts: Vec<&protobuf::Node> = s.where_clause.as_deref().into_iter().collect();
    while let Some(c) = conjuncts.pop() {
        match &c.node {
            Some(NodeEnum::BoolExpr(b))
                if BoolExprType::try_from(b.boolop) == Ok(BoolExprType::AndExpr) =>
            {
                conjuncts.extend(b.args.iter())
            }
            Some(NodeEnum::NullTest(nt))
                if NullTestType::try_from(nt.nulltesttype) == Ok(NullTestType::IsNotNull) =>
            {
                if let Some(NodeEnum::ColumnRef(tested)) =
                    nt.arg.as_deref().and_then(|a| a.node.as_ref())
                {
                    if ast::strings(&tested.fields).last().copied() == column {
                        return true;
                    }
                }
            }
            _ => {}
        }
    }
    false
}
