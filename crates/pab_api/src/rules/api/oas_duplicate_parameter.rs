//! The same parameter declared twice in one list.

use crate::openapi::{Node, Spec};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use std::collections::HashSet;

pub struct OasDuplicateParameter;

static META: RuleMeta = RuleMeta {
    id: "api/oas-duplicate-parameter",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Yaml,
    default_enabled: true,
    summary: "A parameter with the same `name` and `in` appears twice in one `parameters` list (or 2.0 declares two body parameters).",
    docs: RuleDocs {
        what: "Reports a parameter whose `name` and `in` repeat an earlier one in the same `parameters` list of an operation or path item (references followed), and in 2.0 a second `in: body` parameter, or `body` next to `formData`.",
        why: "The specification requires the pair to be unique: tools keep one of the two at random, so the documented type, description or requiredness may not be the one clients and validators use.",
        lock: "",
        bad: "parameters:\n  - {name: limit, in: query, schema: {type: integer}}\n  - {name: limit, in: query, schema: {type: string}}",
        good: "parameters:\n  - {name: limit, in: query, schema: {type: integer}}\n  - {name: offset, in: query, schema: {type: integer}}",
        fix: "Keep one declaration of the parameter; if the two meant different things, rename one.",
    },
};

impl ApiRule for OasDuplicateParameter {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        let mut lists_done = HashSet::new();
        for op in &cx.operations {
            for list in [op.node.get("parameters"), op.path_item.get("parameters")].into_iter().flatten() {
                if !lists_done.insert(std::ptr::from_ref(list)) {
                    continue;
                }
                let mut seen = HashSet::new();
                let mut body = false;
                let mut form = false;
                for item in list.items() {
                    let p = cx.deref(item);
                    let (Some(name), Some(loc)) = (
                        p.get("name").and_then(Node::as_str),
                        p.get("in").and_then(Node::as_str),
                    ) else {
                        continue;
                    };
                    let first_key = item.entries().first().map_or(item.range(), |(k, v)| (k.start, v.end.max(k.end)));
                    if !seen.insert((name, loc)) {
                        out.report(
                            &META,
                            first_key,
                            format!("parameter `{name}` (in {loc}) is declared twice in this list"),
                            "keep one declaration of it",
                        );
                    } else if loc == "body" && (body || form) || loc == "formData" && body {
                        out.report(
                            &META,
                            first_key,
                            format!("`{name}`: an operation has one body, given by one `in: body` parameter, or `formData` parameters, not both"),
                            "merge the body parameters into one schema",
                        );
                    }
                    body |= loc == "body";
                    form |= loc == "formData";
                }
            }
        }
    }
}
