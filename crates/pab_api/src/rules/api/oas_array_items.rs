//! Array schemas that do not say what they contain.

use crate::openapi::schema::{all_schemas, types};
use crate::openapi::Spec;
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct OasArrayItems;

static META: RuleMeta = RuleMeta {
    id: "api/oas-array-items",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Yaml,
    default_enabled: true,
    summary: "A schema of `type: array` has no `items`.",
    docs: RuleDocs {
        what: "Reports schemas (and 2.0 parameters and headers) whose only type is `array` and that have no `items` (3.1 `prefixItems` also counts).",
        why: "2.0 and 3.0 require `items` on arrays; without it, generated clients type the list as a list of anything, validation accepts any element, and readers do not know what the list holds.",
        lock: "",
        bad: "schema:\n  type: array",
        good: "schema:\n  type: array\n  items:\n    $ref: '#/components/schemas/User'",
        fix: "Add `items` with the element schema (`items: {}` if the elements really can be anything).",
    },
};

impl ApiRule for OasArrayItems {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        for schema in all_schemas(cx) {
            if types(schema) != ["array"] || schema.get("items").is_some() || schema.get("prefixItems").is_some() {
                continue;
            }
            let Some((key, _)) = schema.entry("type") else { continue };
            out.report(
                &META,
                key.range(),
                "array schema without `items`",
                "add `items` with the schema of the elements",
            );
        }
    }
}
