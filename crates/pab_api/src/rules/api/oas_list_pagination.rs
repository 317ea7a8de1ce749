//! Collection endpoints without pagination.

use crate::openapi::endpoints::{is_array_schema, is_pagination_param};
use crate::openapi::Spec;
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct OasListPagination;

static META: RuleMeta = RuleMeta {
    id: "api/oas-list-pagination",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Yaml,
    default_enabled: false,
    summary: "A GET operation returns an array but takes no pagination parameter. Off by default: an API design convention.",
    docs: RuleDocs {
        what: "Reports GET operations whose success response body is an array (at the top level) and which take no query parameter that pages or bounds it (`limit`, `offset`, `page`, `per_page`, `page_size`, `cursor`, `after`, `before`, `page_token`, `top`/`skip`...). Responses that wrap the list in an object are not reported: they usually carry the paging links themselves. Off by default.",
        why: "A list without paging returns every row: fine with a hundred, an outage with millions, and adding paging later breaks every client that expects the whole list in one response.",
        lock: "",
        bad: "/orders:\n  get:\n    responses:\n      '200':\n        content:\n          application/json:\n            schema: {type: array, items: {$ref: '#/components/schemas/Order'}}",
        good: "/orders:\n  get:\n    parameters:\n      - {name: limit, in: query, schema: {type: integer, maximum: 200}}\n      - {name: cursor, in: query, schema: {type: string}}\n    responses:\n      '200':\n        content:\n          application/json:\n            schema: {type: array, items: {$ref: '#/components/schemas/Order'}}",
        fix: "Add a page-size parameter with a maximum and a cursor (or offset) parameter, and return the next cursor (in a wrapper object or a `Link` header).",
    },
};

impl ApiRule for OasListPagination {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        for op in &cx.operations {
            if op.method != "get" {
                continue;
            }
            let lists = cx.responses(op).into_iter().any(|(status, response)| {
                status.scalar_text().is_some_and(|s| s.starts_with('2'))
                    && cx.response_schemas(response).iter().any(|(_, s)| is_array_schema(cx, s))
            });
            if !lists {
                continue;
            }
            let paged = cx
                .parameters(op)
                .iter()
                .any(|p| p.location == "query" && is_pagination_param(p.name));
            if !paged {
                out.report_in(
                    &META,
                    op.key.range(),
                    op.anchor(),
                    format!("{} returns a list but takes no pagination parameter", op.label()),
                    "add a bounded page-size parameter (`limit`) and a `cursor` (or `offset`)",
                );
            }
        }
    }
}
