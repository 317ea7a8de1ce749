//! Descriptions that do not state their license.

use crate::openapi::Spec;
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct OasInfoLicense;

static META: RuleMeta = RuleMeta {
    id: "api/oas-info-license",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Yaml,
    default_enabled: false,
    summary: "`info` has no `license`, or a license with neither `url` nor `identifier`. Off by default: internal APIs have no license to state.",
    docs: RuleDocs {
        what: "Reports an `info` object without `license`, or a `license` without `url` (or, in 3.1, `identifier`). Off by default; enable it for public APIs.",
        why: "For a public API, the license tells integrators what they may do with the description itself (generate and publish clients, mirror the docs); without it, the legal default is that they may not.",
        lock: "",
        bad: "info:\n  title: Public Maps API\n  version: 1.0.0",
        good: "info:\n  title: Public Maps API\n  version: 1.0.0\n  license:\n    name: Apache 2.0\n    url: https://www.apache.org/licenses/LICENSE-2.0.html",
        fix: "Add `info.license` with a `name` and a `url` (or an SPDX `identifier` in 3.1).",
    },
};

impl ApiRule for OasInfoLicense {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        let Some((key, info)) = cx.root.entry("info") else {
            return;
        };
        match info.entry("license") {
            None => out.report(&META, key.range(), "`info` has no `license`", "add `info.license` with a `name` and `url`"),
            Some((k, l)) if l.get("url").is_none() && l.get("identifier").is_none() => out.report(
                &META,
                k.range(),
                "`info.license` has no `url` (or `identifier`)",
                "link the license text with `url`, or give its SPDX `identifier` (3.1)",
            ),
            _ => {}
        }
    }
}
