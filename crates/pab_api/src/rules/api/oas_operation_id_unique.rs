//! Two operations with the same `operationId`.

use crate::openapi::{Node, Spec};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use std::collections::HashMap;

pub struct OasOperationIdUnique;

static META: RuleMeta = RuleMeta {
    id: "api/oas-operation-id-unique",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Yaml,
    default_enabled: true,
    summary: "Two operations share an `operationId`.",
    docs: RuleDocs {
        what: "Reports every operation whose `operationId` an earlier operation in the description already uses (the comparison is exact, case included).",
        why: "The specification requires `operationId`s to be unique. Code generators emit one method per id, so a duplicate either fails generation or silently shadows one of the operations; links and callbacks that name the id become ambiguous.",
        lock: "",
        bad: "paths:\n  /users:\n    get:\n      operationId: getUsers\n  /admins:\n    get:\n      operationId: getUsers",
        good: "paths:\n  /users:\n    get:\n      operationId: listUsers\n  /admins:\n    get:\n      operationId: listAdmins",
        fix: "Rename one of the operations so every `operationId` names one operation; keep the one clients already use if the API is published.",
    },
};

impl ApiRule for OasOperationIdUnique {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        let mut seen: HashMap<&str, String> = HashMap::new();
        for op in &cx.operations {
            let Some(value) = op.node.get("operationId") else {
                continue;
            };
            let Some(id) = value.as_str().filter(|s| !s.is_empty()) else {
                continue;
            };
            match seen.get(id) {
                Some(first) => out.report_in(
                    &META,
                    Node::range(value),
                    op.anchor(),
                    format!("`operationId: {id}` is already used by {first}"),
                    "give each operation its own `operationId`",
                ),
                None => {
                    seen.insert(id, op.label());
                }
            }
        }
    }
}
