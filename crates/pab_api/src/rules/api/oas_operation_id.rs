//! Operations without an `operationId`.

use crate::openapi::Spec;
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct OasOperationId;

static META: RuleMeta = RuleMeta {
    id: "api/oas-operation-id",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Yaml,
    default_enabled: true,
    summary: "An operation has no `operationId`.",
    docs: RuleDocs {
        what: "Reports operations without an `operationId` (or with an empty one).",
        why: "Generated clients name their methods after the `operationId`; without one, generators invent names from the path and method (`usersIdGet`), and those names change whenever the path does, breaking every caller. Documentation links, mocks and the drift check between the description and the code also key on it.",
        lock: "",
        bad: "paths:\n  /users/{id}:\n    get:\n      responses:\n        '200': {description: The user}",
        good: "paths:\n  /users/{id}:\n    get:\n      operationId: getUser\n      responses:\n        '200': {description: The user}",
        fix: "Add `operationId` to every operation: a stable verb-noun name (`listUsers`, `getUser`), unique in the description, that names what it does rather than how it is reached.",
    },
};

impl ApiRule for OasOperationId {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        for op in &cx.operations {
            if op.operation_id().is_none_or(|id| id.trim().is_empty()) {
                out.report_in(
                    &META,
                    op.key.range(),
                    op.anchor(),
                    format!("{} has no `operationId`", op.label()),
                    "add a stable, unique `operationId` (`getUser`): clients name their methods after it",
                );
            }
        }
    }
}
