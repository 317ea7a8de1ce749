//! An operation the API description promises has no route in the code. Reported by [`crate::drift`], which compares the
//! endpoints of code and descriptions once every file of a run is read; the
//! rule has no per-file check of its own.

use crate::rule::ApiRule;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct SpecDriftUnimplementedOperation;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "api/spec-drift-unimplemented-operation",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Yaml,
    default_enabled: true,
    summary: "An operation the API description promises has no route in the code.",
    docs: RuleDocs {
        what: "When a review includes both an OpenAPI description and the handler code of the same API, reports each described operation (method and path) that no route in the reviewed code serves. Paths are compared by shape, parameter names ignored, and a prefix mounted outside the reviewed code does not count. Nothing is reported unless the code and the description line up: some route's whole path is described, or at least two described operations (and a quarter of the smaller side) are served by routes matching the end of their paths. Otherwise the description is another API's (a vendor's, next to the code) or the prefixes could not be resolved, and every finding would be noise.",
        why: "Clients generated from the description will call the operation and get 404 or 405 in production. An operation described but not implemented is usually a rename that was done on one side only, a feature removed from the code but not from the contract, or a route that is registered somewhere the reviewer does not look.",
        lock: "",
        bad: "paths:\n  /orders/{orderId}:\n    delete:\n      operationId: cancelOrder\n      responses:\n        '204':\n          description: Cancelled\n# and no DELETE /orders/{id} route in the code",
        good: "paths:\n  /orders/{orderId}:\n    delete:\n      operationId: cancelOrder\n      responses:\n        '204':\n          description: Cancelled\n# with, in the code:\n# @app.delete(\"/orders/{order_id}\", status_code=204)",
        fix: "Implement the operation, remove it from the description (with a deprecation period for public APIs), or include the code that serves it in the review if it lives in another directory.",
    },
};

impl ApiRule for SpecDriftUnimplementedOperation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}
