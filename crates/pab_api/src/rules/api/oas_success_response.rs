//! Operations that describe no successful response.

use crate::openapi::Spec;
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct OasSuccessResponse;

static META: RuleMeta = RuleMeta {
    id: "api/oas-success-response",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Yaml,
    default_enabled: true,
    summary: "An operation lists responses but none is a success (2xx) or redirect (3xx).",
    docs: RuleDocs {
        what: "Reports operations whose `responses` contain no `2xx`/`3xx` status (`200`, `2XX`...); `default` alone does not count as success. Operations without `responses` are left to `api/oas-structure`.",
        why: "Clients are generated from the success response: without one they return nothing typed, and readers cannot tell what a successful call produces.",
        lock: "",
        bad: "paths:\n  /users:\n    post:\n      responses:\n        '400': {description: Invalid user}",
        good: "paths:\n  /users:\n    post:\n      responses:\n        '201': {description: Created}\n        '400': {description: Invalid user}",
        fix: "Describe the response a successful call returns (`200`, `201`, `204`...), with its body schema.",
    },
};

impl ApiRule for OasSuccessResponse {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        for op in &cx.operations {
            let Some((key, responses)) = op.node.entry("responses") else {
                continue;
            };
            if !responses.is_map() {
                continue;
            }
            let ok = responses.entries().iter().any(|(status, _)| {
                status
                    .scalar_text()
                    .is_some_and(|s| s.starts_with('2') || s.starts_with('3'))
            });
            if !ok {
                out.report_in(
                    &META,
                    key.range(),
                    op.anchor(),
                    format!("{} describes no successful (2xx or 3xx) response", op.label()),
                    "add the response a successful call returns (`200`, `201`, `204`...)",
                );
            }
        }
    }
}
