//! A list endpoint whose contract has no pagination or limit parameter.

use crate::context::FileContext;
use crate::rule::{CodeRule, Reporter, ALL_LANGUAGES};
use pab_core::{Known, Language, RuleDocs, RuleMeta, Severity};

pub struct UnpaginatedList;

static META: RuleMeta = RuleMeta {
    id: "api/unpaginated-list",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Python,
    default_enabled: true,
    summary: "A GET endpoint returns a collection but accepts no pagination or limit parameter.",
    docs: RuleDocs {
        what: "Reports the declaration of a GET route that visibly returns a list (`response_model=List[...]`, a `-> list[...]` annotation, returning a list or array literal, a comprehension, `.all()`, `findMany()`, a Go slice) when it reads no pagination parameter (`limit`, `offset`, `page`, `cursor`, `per_page`, `page_size`, `skip`, `take`...) and applies no fixed limit itself. This is about the endpoint's contract; the query without a `LIMIT` inside it is `perf/unbounded-query`'s finding, on its own line.",
        why: "A list endpoint without pagination returns every row: fine with 50 rows in development, a multi-megabyte response, a slow query and an out-of-memory worker with 5 million in production. Adding pagination later is a breaking change for every client that assumed the full list.",
        lock: "",
        bad: "@router.get(\"/orders\", response_model=list[OrderOut])\ndef list_orders(db: Session = Depends(get_db)):\n    return db.query(Order).all()",
        good: "@router.get(\"/orders\", response_model=list[OrderOut])\ndef list_orders(limit: int = Query(50, le=200), cursor: int | None = None, db: Session = Depends(get_db)):\n    q = db.query(Order).order_by(Order.id)\n    if cursor:\n        q = q.filter(Order.id > cursor)\n    return q.limit(limit).all()",
        fix: "Accept `limit` (with a default and a maximum) and a `cursor` (keyset, stable under inserts) or `page`/`offset`, apply them to the query, and return the next cursor. Do it before the first client ships.",
    },
};

impl CodeRule for UnpaginatedList {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn languages(&self) -> &'static [Language] {
        ALL_LANGUAGES
    }

    fn check(&self, cx: &FileContext, out: &mut Reporter) {
        for route in cx.routes() {
            let ep = &route.endpoint;
            if ep.method != "GET" || ep.returns_list != Known::Yes || !ep.pagination.is_empty() {
                continue;
            }
            if route.body.as_ref().is_some_and(|b| b.bounded) {
                continue;
            }
            out.report(
                cx,
                &META,
                route.decl,
                format!(
                    "`GET {}` returns a list but takes no pagination or limit parameter",
                    ep.path
                ),
                "accept `limit` (with a default and a maximum) and a `cursor` or `page`, and apply them to the query",
            );
        }
    }
}
