//! The code serves a path with a different HTTP method than the API description. Reported by [`crate::drift`], which compares the
//! endpoints of code and descriptions once every file of a run is read; the
//! rule has no per-file check of its own.

use crate::rule::ApiRule;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct SpecDriftMethodMismatch;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "api/spec-drift-method-mismatch",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Python,
    default_enabled: true,
    summary: "The code serves a path with a different HTTP method than the API description.",
    docs: RuleDocs {
        what: "When code and description cover the same path but the code serves it with a method the description does not list there (and the description lists another method that no route serves), reports the route once, naming both methods: `PUT` in the code, `PATCH` in the description.",
        why: "A method mismatch breaks every generated client for that operation (405 Method Not Allowed) while both sides look complete when read alone. It usually comes from a change of semantics (full replacement vs partial update) made on one side only.",
        lock: "",
        bad: "# openapi.yaml: patch: /users/{userId}\n@app.put(\"/users/{user_id}\")\ndef update_user(user_id: int, body: UserUpdate): ...",
        good: "# openapi.yaml: patch: /users/{userId}\n@app.patch(\"/users/{user_id}\")\ndef update_user(user_id: int, body: UserUpdate): ...",
        fix: "Decide which method is right (PUT replaces the whole resource, PATCH changes part of it) and make the code and the description agree.",
    },
};

impl ApiRule for SpecDriftMethodMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}
