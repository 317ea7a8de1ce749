//! `OFFSET n` with a constant n of 1000 or more.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::lexer::TokenKind;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::{self, a_const};
use pg_query::{NodeEnum, NodeRef};

pub struct LargeOffset;

static META: RuleMeta = RuleMeta {
    id: "query/large-offset",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Sql,
    default_enabled: true,
    summary: "A large OFFSET still reads and throws away every skipped row; deep pages get slower and slower.",
    docs: RuleDocs {
        what: "Reports `OFFSET n` (also `OFFSET n ROWS` with `FETCH FIRST`) where n is an integer constant of 1000 or more, in any query or subquery. An OFFSET given as a parameter or expression is not reported: its value is not known here.",
        why: "PostgreSQL cannot jump to the n-th row of a result: it produces and discards the first n rows, through the whole plan (joins, sorts, index scans), before returning the page. Page 1000 costs a thousand pages of work, so deep pagination (crawlers, exports, infinite scroll) grows linearly slower and loads the database. Rows inserted or deleted between two requests also shift the pages, so items are skipped or shown twice.",
        lock: "",
        bad: "SELECT id, title FROM posts ORDER BY id LIMIT 50 OFFSET 100000;",
        good: "-- keyset pagination: continue after the last row of the previous page\nSELECT id, title FROM posts WHERE id > $1 ORDER BY id LIMIT 50;",
        fix: "1. Paginate by key: remember the sort key of the last row returned and ask for `WHERE (sort_key, id) > ($1, $2) ORDER BY sort_key, id LIMIT n`; an index on `(sort_key, id)` serves every page in the same time.\n2. For batch processing, walk the primary key in ranges (`WHERE id > $last ORDER BY id LIMIT 1000`).\n3. If users really need page numbers, cap how deep they can go.",
    },
};

/// Offsets from this value on are reported.
const LARGE: i64 = 1000;

fn constant(node: &protobuf::Node) -> Option<(i64, i32)> {
    match node.node.as_ref()? {
        NodeEnum::AConst(c) => match &c.val {
            Some(a_const::Val::Ival(i)) => Some((i64::from(i.ival), c.location)),
            // Integers beyond int4 arrive as numeric strings.
            Some(a_const::Val::Fval(f)) => f.fval.parse::<i64>().ok().map(|v| (v, c.location)),
            _ => None,
        },
        NodeEnum::TypeCast(c) => constant(c.arg.as_deref()?),
        _ => None,
    }
}

impl SqlRule for LargeOffset {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        crate::classify::QUERIES
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(node) = stmt.node else { return };
        ast::walk_node(node, &mut |n| {
            let NodeRef::SelectStmt(s) = n else {
                return true;
            };
            let Some((offset, location)) = s.limit_offset.as_deref().and_then(constant) else {
                return true;
            };
            if offset < LARGE {
                return true;
            }
            // From the OFFSET keyword just before the number.
            let number = stmt.token_at(location);
            let span = stmt
                .tokens()
                .iter()
                .rev()
                .find(|t| stmt.start + t.start < number.0 && t.kind == TokenKind::Word)
                .filter(|t| stmt.text[t.start..t.end].eq_ignore_ascii_case("offset"))
                .map_or(number, |t| (stmt.start + t.start, number.1));
            out.report(
                cx,
                &META,
                span,
                format!("`OFFSET {offset}` makes PostgreSQL produce and discard {offset} rows before returning any"),
                "Paginate by key instead: remember the last row's sort key and ask for `WHERE (sort_key, id) > ($1, $2) ORDER BY sort_key, id LIMIT n`.",
            );
            true
        });
    }
}
