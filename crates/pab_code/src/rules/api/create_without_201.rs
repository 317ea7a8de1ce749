//! A POST handler creates a resource and answers 200 instead of 201.

use crate::context::FileContext;
use crate::rule::{CodeRule, Reporter, ALL_LANGUAGES};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct CreateWithout201;

static META: RuleMeta = RuleMeta {
    id: "api/create-without-201",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Python,
    default_enabled: true,
    summary: "A POST route creates a resource but answers 200, without 201 Created or a Location header.",
    docs: RuleDocs {
        what: "Reports the declaration of a POST route whose handler (in the same file) creates something (`.create(`, `.insert(`, `.save(`, `.add(`, `INSERT`) and sets no success status other than 200: no `status_code=201`, `res.status(201)`, `http.StatusCreated`, `@HttpCode(201)`, no 202 or 204, and no `Location` header. NestJS POST routes answer 201 by default and DRF's `create` too, so they are not reported.",
        why: "201 Created (with a `Location` header naming the new resource) tells clients, caches and API tooling that something now exists and where; generated clients and contract tests expect it. A 200 makes a create indistinguishable from a query, and retries or idempotency logic cannot tell them apart.",
        lock: "",
        bad: "@router.post(\"/orders\")\ndef create_order(order: OrderIn, db: Session = Depends(get_db)):\n    row = Order(**order.dict())\n    db.add(row)\n    return row",
        good: "@router.post(\"/orders\", status_code=201)\ndef create_order(order: OrderIn, response: Response, db: Session = Depends(get_db)):\n    row = Order(**order.dict())\n    db.add(row)\n    response.headers[\"Location\"] = f\"/orders/{row.id}\"\n    return row",
        fix: "Answer 201 (`status_code=201`, `res.status(201)`, `c.JSON(http.StatusCreated, ...)`) and set `Location` to the new resource's URL.",
    },
};

impl CodeRule for CreateWithout201 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn languages(&self) -> &'static [Language] {
        ALL_LANGUAGES
    }

    fn check(&self, cx: &FileContext, out: &mut Reporter) {
        for route in cx.routes() {
            let ep = &route.endpoint;
            if ep.method != "POST" {
                continue;
            }
            let Some(body) = &route.body else { continue };
            if !body.creates
                || ep
                    .statuses
                    .iter()
                    .any(|s| (201..300).contains(s) || (300..400).contains(s))
            {
                continue;
            }
            if body.mentions_location {
                continue;
            }
            out.report(
                cx,
                &META,
                route.decl,
                format!("`POST {}` creates a resource but answers 200", ep.path),
                "answer 201 Created with a `Location` header naming the new resource",
            );
        }
    }
}
