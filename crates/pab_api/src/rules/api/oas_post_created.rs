//! Creating POSTs that do not answer 201.

use crate::openapi::Spec;
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct OasPostCreated;

static META: RuleMeta = RuleMeta {
    id: "api/oas-post-created",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Yaml,
    default_enabled: false,
    summary: "A POST to a collection answers `200` but not `201 Created` (or `202`). Off by default: an API design convention.",
    docs: RuleDocs {
        what: "Reports POST operations on a collection path (the last segment is a plain noun, not a `{parameter}` and not an action such as `search`, `login` or a `:verb`) whose success responses include `200` but none of `201`, `202`, `204` or a 3xx. Off by default.",
        why: "`201 Created` with a `Location` header tells clients, caches and tooling that a resource now exists and where; with `200` they cannot tell a creation from an action, and retries or idempotency handling get the semantics wrong.",
        lock: "",
        bad: "/orders:\n  post:\n    responses:\n      '200': {description: The order}",
        good: "/orders:\n  post:\n    responses:\n      '201':\n        description: The order\n        headers:\n          Location: {schema: {type: string}}",
        fix: "Answer `201` with a `Location` header pointing at the new resource (or `202` when creation is asynchronous).",
    },
};

/// Last path segments that name an action, not a collection.
const ACTIONS: &[&str] = &[
    "search", "query", "login", "logout", "signin", "signup", "register", "token", "refresh", "verify", "validate",
    "batch", "bulk", "import", "export", "send", "cancel", "approve", "reject", "confirm", "reset", "graphql", "rpc",
    "preview", "calculate", "estimate", "check", "lookup", "upload", "sync",
];

impl ApiRule for OasPostCreated {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        for op in &cx.operations {
            if op.method != "post" {
                continue;
            }
            let last = op.path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
            let lower = last.to_ascii_lowercase();
            if last.is_empty() || last.contains('{') || last.contains(':') || ACTIONS.iter().any(|a| lower.contains(a)) {
                continue;
            }
            let Some((key, responses)) = op.node.entry("responses") else { continue };
            let codes: Vec<String> = responses.entries().iter().filter_map(|(s, _)| s.scalar_text().map(|c| c.into_owned())).collect();
            let has_200 = codes.iter().any(|c| c == "200");
            let created = codes.iter().any(|c| matches!(c.as_str(), "201" | "202" | "204") || c.starts_with('3'));
            if has_200 && !created {
                out.report_in(
                    &META,
                    key.range(),
                    op.anchor(),
                    format!("{} creates in a collection but answers `200`, not `201 Created`", op.label()),
                    "answer `201` with a `Location` header (or `202` when creation is asynchronous)",
                );
            }
        }
    }
}
