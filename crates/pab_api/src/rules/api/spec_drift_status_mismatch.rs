//! The code answers with a success status the API description does not document for that operation. Reported by [`crate::drift`], which compares the
//! endpoints of code and descriptions once every file of a run is read; the
//! rule has no per-file check of its own.

use crate::rule::ApiRule;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct SpecDriftStatusMismatch;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "api/spec-drift-status-mismatch",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Python,
    default_enabled: true,
    summary: "The code answers with a success status the API description does not document for that operation.",
    docs: RuleDocs {
        what: "For a route that matches a described operation, reports each success status (2xx) the code declares or returns (`status_code=201`, `res.status(201)`, `c.JSON(http.StatusCreated, ...)`) that the operation's responses do not list, when the operation lists at least one success status. Error statuses are not compared: frameworks add them implicitly (validation errors, 404s) and descriptions rarely list them all.",
        why: "Clients generated from the description often treat an undocumented status as an error, or decode the body with the wrong type: a `201 Created` where the contract says `200` breaks strict clients and contract tests even though the request worked.",
        lock: "",
        bad: "# openapi.yaml: post /orders -> responses: '200'\n@app.post(\"/orders\", status_code=201)\ndef create_order(order: OrderIn): ...",
        good: "# openapi.yaml: post /orders -> responses: '201'\n@app.post(\"/orders\", status_code=201)\ndef create_order(order: OrderIn): ...",
        fix: "Document the status the code returns in the operation's `responses` (with its body schema), or change the code to return the documented status.",
    },
};

impl ApiRule for SpecDriftStatusMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}
