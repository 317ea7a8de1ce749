//! A route the code serves is missing from the API description. Reported by [`crate::drift`], which compares the
//! endpoints of code and descriptions once every file of a run is read; the
//! rule has no per-file check of its own.

use crate::rule::ApiRule;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct SpecDriftUndocumentedRoute;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "api/spec-drift-undocumented-route",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Python,
    default_enabled: true,
    summary: "A route the code serves is missing from the API description.",
    docs: RuleDocs {
        what: "When a review includes both handler code and an OpenAPI description of the same API, reports each route (method and path) that the code declares and the description does not list. Paths are compared by shape, with parameter names ignored (`{id}` matches `{userId}`), and a prefix mounted outside the reviewed code (`/api/v1`) does not count as a difference. Nothing is reported unless the code and the description line up: some route's whole path is described, or at least two described operations (and a quarter of the smaller side) are served by routes matching the end of their paths. Otherwise the description is another API's (a vendor's, next to the code) or the prefixes could not be resolved, and every finding would be noise. A route whose path is described under other methods is reported by `api/spec-drift-method-mismatch` instead. Operational endpoints (`/`, `/health`, `/readyz`, `/metrics`, `/docs`...) are not expected in a description and are not reported.",
        why: "The description is what clients, SDK generators, gateways and documentation are built from. An undocumented route is either unknown to its consumers (so nobody can rely on it, and nobody notices when it changes) or, worse, a forgotten endpoint still reachable in production: an old admin action, a debug helper, an unauthenticated copy of a guarded route.",
        lock: "",
        bad: "# openapi.yaml describes GET /orders only\n@app.get(\"/orders\")\ndef list_orders(): ...\n\n@app.post(\"/orders/{order_id}/refund\")\ndef refund(order_id: int): ...",
        good: "# openapi.yaml describes GET /orders and POST /orders/{orderId}/refund\n@app.get(\"/orders\")\ndef list_orders(): ...\n\n@app.post(\"/orders/{order_id}/refund\")\ndef refund(order_id: int): ...",
        fix: "Add the operation to the description (path, parameters, request body, responses), generate the description from the code, or delete the route when nothing should call it.",
    },
};

impl ApiRule for SpecDriftUndocumentedRoute {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}
