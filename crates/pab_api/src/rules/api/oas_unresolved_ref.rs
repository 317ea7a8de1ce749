//! `$ref`s that point at nothing.

use crate::openapi::refs::RefError;
use crate::openapi::Spec;
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct OasUnresolvedRef;

static META: RuleMeta = RuleMeta {
    id: "api/oas-unresolved-ref",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Yaml,
    default_enabled: true,
    summary: "A `$ref` points at nothing: a missing component, a misspelled pointer or a file that is not there.",
    docs: RuleDocs {
        what: "Reports every `$ref` in an OpenAPI description that cannot be followed: a JSON pointer into the same file (`#/components/schemas/User`) naming a node that does not exist, or a reference to another file (`common.yaml#/Error`, relative to the description) that is missing, unreadable, not YAML/JSON, or lacks the node, and every reference to a file outside the project (an absolute path, or one leading out of the git work tree the description is in, else out of its directory), which is never read. Remote references (`https://...`) are not fetched and not reported; references that only lead back to themselves are reported as a note.",
        why: "Every tool that reads the description (code generators, documentation, gateways, contract tests) fails or silently drops the part behind a broken reference: a client is generated without the type, the docs show an empty body, validation lets anything through.",
        lock: "",
        bad: "paths:\n  /users/{id}:\n    get:\n      responses:\n        '200':\n          description: The user\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Usr'\ncomponents:\n  schemas:\n    User:\n      type: object",
        good: "paths:\n  /users/{id}:\n    get:\n      responses:\n        '200':\n          description: The user\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/User'\ncomponents:\n  schemas:\n    User:\n      type: object",
        fix: "Correct the pointer (names are case-sensitive; `/` in a name is written `~1`), add the missing component, or fix the file path (relative to the file that holds the `$ref`).",
    },
};

impl ApiRule for OasUnresolvedRef {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        for node in cx.refs() {
            let Some(value) = node.get("$ref") else {
                continue;
            };
            match cx.resolve(node) {
                Ok(_) | Err(RefError::Circular(_) | RefError::Remote(_)) => {}
                Err(e) => out.report(
                    &META,
                    value.range(),
                    format!("unresolved reference: {e}"),
                    "point the `$ref` at an existing node (`#/components/schemas/Name`, or `file.yaml#/Name` relative to this file)",
                ),
            }
        }
    }
}
