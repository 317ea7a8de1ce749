//! Reusable components that nothing references.

use crate::openapi::{refs, Spec, Version};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use std::collections::HashSet;

pub struct OasUnusedComponent;

static META: RuleMeta = RuleMeta {
    id: "api/oas-unused-component",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Yaml,
    default_enabled: true,
    summary: "A reusable component (schema, parameter, response, request body, header, example) is never referenced.",
    docs: RuleDocs {
        what: "Reports entries of `components.schemas`, `parameters`, `responses`, `requestBodies`, `headers`, `examples` and `links` (3.x), or of `definitions`, `parameters` and `responses` (2.0), that no `$ref` in the file points at. A reference from another file cannot be seen, so descriptions that are only components (no `paths`, no `webhooks`) are not checked.",
        why: "An unreferenced component is dead weight that still gets generated into every client as a type nobody uses, and it usually marks a mistake: the operation that should use it references an older copy, or a rename left the old one behind.",
        lock: "",
        bad: "paths:\n  /users:\n    get:\n      responses:\n        '200':\n          description: Users\ncomponents:\n  schemas:\n    User:\n      type: object",
        good: "paths:\n  /users:\n    get:\n      responses:\n        '200':\n          description: Users\n          content:\n            application/json:\n              schema:\n                type: array\n                items: {$ref: '#/components/schemas/User'}\ncomponents:\n  schemas:\n    User:\n      type: object",
        fix: "Reference the component where it was meant to be used, or delete it.",
    },
};

impl ApiRule for OasUnusedComponent {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        if cx.root.get("paths").is_none_or(|p| p.entries().is_empty()) && cx.root.get("webhooks").is_none() {
            return;
        }
        // Every pointer and each of its prefixes: a reference into a
        // component (`#/components/schemas/User/properties/id`) uses it.
        let mut used: HashSet<&str> = HashSet::new();
        for pointer in cx
            .refs()
            .iter()
            .filter_map(|n| refs::ref_text(n).strip_prefix('#'))
        {
            used.insert(pointer);
            for (i, _) in pointer.match_indices('/').skip(1) {
                used.insert(&pointer[..i]);
            }
        }
        let (base, kinds): (&str, &[&str]) = match cx.version {
            Version::V2 => ("", &["definitions", "parameters", "responses"]),
            _ => (
                "/components",
                &["schemas", "parameters", "responses", "requestBodies", "headers", "examples", "links"],
            ),
        };
        let Some(holder) = cx.components() else { return };
        for kind in kinds {
            for (name, _) in holder.get(kind).map(|k| k.entries()).unwrap_or(&[]) {
                let Some(text) = name.as_str() else { continue };
                let escaped = text.replace('~', "~0").replace('/', "~1");
                let pointer = format!("{base}/{kind}/{escaped}");
                if !used.contains(pointer.as_str()) {
                    out.report(
                        &META,
                        name.range(),
                        format!("`{}{kind}.{text}` is not referenced anywhere", if base.is_empty() { "" } else { "components." }),
                        "reference it where it was meant to be used, or delete it",
                    );
                }
            }
        }
    }
}
