//! Keys next to a `$ref` that tools ignore.

use crate::openapi::{Spec, Version};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct OasRefSiblings;

static META: RuleMeta = RuleMeta {
    id: "api/oas-ref-siblings",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Yaml,
    default_enabled: true,
    summary: "In OpenAPI 2.0 and 3.0, keys written next to a `$ref` are ignored.",
    docs: RuleDocs {
        what: "In 2.0 and 3.0 descriptions, reports keys beside a `$ref` in the same object (`description`, `nullable`, `example`...), except `x-` extensions. 3.1 allows siblings in schemas and `summary`/`description` on other references, so 3.1 files are not checked.",
        why: "The specification says an object with `$ref` is replaced by its target: the sibling keys are silently dropped by every conforming tool, so the `nullable: true` or the description the author added does not exist for clients, validators or docs.",
        lock: "",
        bad: "owner:\n  $ref: '#/components/schemas/User'\n  nullable: true",
        good: "owner:\n  nullable: true\n  allOf:\n    - $ref: '#/components/schemas/User'",
        fix: "Wrap the reference in `allOf: [{$ref: ...}]` and put the extra keys next to the `allOf`, or move them into the referenced component; or move to OpenAPI 3.1.",
    },
};

impl ApiRule for OasRefSiblings {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        if cx.version == Version::V31 {
            return;
        }
        for node in cx.refs() {
            for (key, _) in node.entries() {
                let Some(name) = key.as_str() else { continue };
                if name == "$ref" || name.starts_with("x-") {
                    continue;
                }
                out.report(
                    &META,
                    key.range(),
                    format!("`{name}` next to `$ref` is ignored"),
                    "wrap the reference in `allOf: [{$ref: ...}]` and keep the key beside the `allOf`, or move it into the referenced object",
                );
            }
        }
    }
}
