//! Path keys with a trailing slash or a query string.

use crate::openapi::Spec;
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct OasPathShape;

static META: RuleMeta = RuleMeta {
    id: "api/oas-path-shape",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Yaml,
    default_enabled: true,
    summary: "A path key ends with `/`, contains a query string or fragment, or does not start with `/`.",
    docs: RuleDocs {
        what: "Reports keys of `paths` that end with a slash (`/users/`, except `/` itself), contain `?` or `#` (a query string or fragment written into the path), or do not start with `/`.",
        why: "Servers and gateways treat `/users` and `/users/` differently (often a redirect or a 404), so the documented URL may not be the one that works. Query parameters in the key are invisible to clients and validators, which read only `parameters`; a key without a leading slash is invalid and joined wrongly to the server URL.",
        lock: "",
        bad: "paths:\n  /users/:\n    get: {}\n  /search?q={q}:\n    get: {}",
        good: "paths:\n  /users:\n    get: {}\n  /search:\n    get:\n      parameters:\n        - {name: q, in: query, schema: {type: string}}",
        fix: "Remove the trailing slash; move query parameters into `parameters` with `in: query`; start every path with `/`.",
    },
};

impl ApiRule for OasPathShape {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        let Some(paths) = cx.root.get("paths") else {
            return;
        };
        for (key, _) in paths.entries() {
            let Some(path) = key.as_str() else { continue };
            if path.starts_with("x-") {
                continue;
            }
            let (message, help) = if !path.starts_with('/') {
                ("does not start with `/`", "start the path with `/`")
            } else if path.contains('?') || path.contains('#') {
                (
                    "contains a query string or fragment",
                    "declare query parameters in `parameters` with `in: query` and keep the path key to the path",
                )
            } else if path.len() > 1 && path.ends_with('/') {
                ("ends with `/`", "remove the trailing slash: `/users/` and `/users` are different URLs to most servers")
            } else {
                continue;
            };
            out.report(&META, key.range(), format!("path `{path}` {message}"), help);
        }
    }
}
