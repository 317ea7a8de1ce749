//! Descriptions without an introduction.

use crate::openapi::{Node, Spec};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct OasInfoDescription;

static META: RuleMeta = RuleMeta {
    id: "api/oas-info-description",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Yaml,
    default_enabled: true,
    summary: "`info` has no `description`.",
    docs: RuleDocs {
        what: "Reports an `info` object without a non-empty `description`.",
        why: "The description is the API's front page: what it is for, how to authenticate, rate limits, where to start. Without it, every reader reconstructs that from the operations.",
        lock: "",
        bad: "info:\n  title: Billing API\n  version: 2.1.0",
        good: "info:\n  title: Billing API\n  version: 2.1.0\n  description: |\n    Invoices and payments. Authenticate with an OAuth2 client-credentials token.",
        fix: "Add `info.description`: the API's purpose, authentication, and anything a first-time reader must know (Markdown is allowed).",
    },
};

impl ApiRule for OasInfoDescription {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        let Some((key, info)) = cx.root.entry("info") else {
            return;
        };
        let filled = info
            .get("description")
            .and_then(Node::as_str)
            .is_some_and(|s| !s.trim().is_empty());
        if info.is_map() && !filled {
            out.report(
                &META,
                key.range(),
                "`info` has no `description`",
                "add `info.description`: what the API is for and how to start using it",
            );
        }
    }
}
