//! Descriptions that do not say who to contact.

use crate::openapi::Spec;
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct OasInfoContact;

static META: RuleMeta = RuleMeta {
    id: "api/oas-info-contact",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Yaml,
    default_enabled: true,
    summary: "`info` has no `contact` (or a contact with neither `email` nor `url`).",
    docs: RuleDocs {
        what: "Reports an `info` object without `contact`, or whose `contact` gives neither an `email` nor a `url`.",
        why: "Consumers of the API need to know who owns it: where to report a bug, ask about a deprecation or request access. The contact is shown at the top of every documentation page.",
        lock: "",
        bad: "info:\n  title: Billing API\n  version: 2.1.0",
        good: "info:\n  title: Billing API\n  version: 2.1.0\n  contact:\n    name: Billing team\n    email: billing-api@example.com",
        fix: "Add `info.contact` with the owning team's `name` and an `email` or `url` that someone reads.",
    },
};

impl ApiRule for OasInfoContact {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        let Some((key, info)) = cx.root.entry("info") else {
            return;
        };
        match info.entry("contact") {
            None => out.report(
                &META,
                key.range(),
                "`info` has no `contact`",
                "add `info.contact` with the owning team's `email` or `url`",
            ),
            Some((k, contact)) if contact.get("email").is_none() && contact.get("url").is_none() => out.report(
                &META,
                k.range(),
                "`info.contact` has neither `email` nor `url`",
                "add an `email` or `url` where the API's owners can be reached",
            ),
            _ => {}
        }
    }
}
