//! Operations that say nothing about what they do.

use crate::openapi::{Node, Spec};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct OasOperationDescription;

static META: RuleMeta = RuleMeta {
    id: "api/oas-operation-description",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Yaml,
    default_enabled: true,
    summary: "An operation has neither a `summary` nor a `description`.",
    docs: RuleDocs {
        what: "Reports operations with no non-empty `summary` and no non-empty `description`.",
        why: "The summary is the operation's title in documentation and the doc comment of the generated client method; without one, readers have only the path and method to guess what it does, its side effects and its errors.",
        lock: "",
        bad: "paths:\n  /users/{id}/lock:\n    post:\n      operationId: lockUser",
        good: "paths:\n  /users/{id}/lock:\n    post:\n      operationId: lockUser\n      summary: Lock a user account\n      description: The user is signed out everywhere and cannot sign in until unlocked.",
        fix: "Add a one-line `summary` (what the operation does) and, where there is more to say (side effects, permissions, errors), a `description`.",
    },
};

fn filled(node: Option<&Node>) -> bool {
    node.and_then(Node::as_str).is_some_and(|s| !s.trim().is_empty())
}

impl ApiRule for OasOperationDescription {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        for op in &cx.operations {
            if !filled(op.node.get("summary")) && !filled(op.node.get("description")) {
                out.report_in(
                    &META,
                    op.key.range(),
                    op.anchor(),
                    format!("{} has no `summary` or `description`", op.label()),
                    "add a one-line `summary` saying what the operation does",
                );
            }
        }
    }
}
