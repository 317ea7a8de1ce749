//! Embedded SQL: a constant string handed to a query call is SQL we can
//! read, so it goes to the engine as a fragment (see
//! `pab_core::engine::Fragment`) and the PostgreSQL analyzer checks it;
//! findings come back on the literal's lines. pab_code never reads the SQL
//! itself.

use crate::context::FileContext;
use crate::lang::Shape;
use crate::literal;
use crate::sinks::{self, SinkKind};
use pab_core::engine::{Fragment, OffsetMap};
use pab_core::{Diagnostics, Language};
use std::collections::HashSet;
use tree_sitter::Node;

/// How many variables a constant is followed through (`q = base; run(q)`).
const MAX_HOPS: u32 = 4;

/// Queues every constant query in the file as a SQL fragment.
pub fn queue_fragments(cx: &FileContext, out: &mut Diagnostics) {
    let mut seen = HashSet::new();
    for call in cx.calls() {
        let Some((sink, arg)) = sinks::query_sink(cx, call) else {
            continue;
        };
        if sink.kind == SinkKind::Clause {
            continue; // a piece of a statement does not parse on its own
        }
        let mut text = String::new();
        let mut map = OffsetMap::default();
        if !constant_text(cx, arg, &mut text, &mut map, 0) || !sinks::starts_like_statement(&text) {
            continue;
        }
        // One literal reached from two calls is one query.
        if !seen.insert((map.host_offset(0), text.len())) {
            continue;
        }
        out.fragments.push(Fragment {
            language: Language::Sql,
            text,
            map,
            anchor: cx.anchor(call.node),
        });
    }
}

/// Appends the text of an expression built only from string literals
/// (concatenated, in parentheses, or through a variable assigned once);
/// `false` when any part is not constant.
fn constant_text<'t>(
    cx: &FileContext<'t>,
    node: Node<'t>,
    text: &mut String,
    map: &mut OffsetMap,
    hops: u32,
) -> bool {
    let src = cx.file.text.as_str();
    match cx.lang.shape_of(node) {
        Shape::String => literal::pieces(cx.lang, node, src)
            .is_some_and(|pieces| literal::decode_into(&pieces, src, text, map)),
        Shape::ConcatenatedString => {
            let mut cursor = node.walk();
            let parts: Vec<_> = node.named_children(&mut cursor).collect();
            parts
                .into_iter()
                .all(|p| constant_text(cx, p, text, map, hops))
        }
        Shape::Binary => {
            let op = node.child_by_field_name("operator").map(|o| cx.text(o));
            match (
                op,
                node.child_by_field_name("left"),
                node.child_by_field_name("right"),
            ) {
                (Some("+"), Some(l), Some(r)) => {
                    constant_text(cx, l, text, map, hops) && constant_text(cx, r, text, map, hops)
                }
                _ => false,
            }
        }
        Shape::Transparent => node
            .named_child(0)
            .is_some_and(|inner| constant_text(cx, inner, text, map, hops)),
        Shape::Identifier if hops < MAX_HOPS => cx
            .flow
            .single_definition(node)
            .is_some_and(|def| constant_text(cx, def, text, map, hops + 1)),
        _ => false,
    }
}
