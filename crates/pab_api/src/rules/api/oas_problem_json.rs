//! Error responses without a problem-details body.

use crate::openapi::{Node, Spec, Version};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct OasProblemJson;

static META: RuleMeta = RuleMeta {
    id: "api/oas-problem-json",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Yaml,
    default_enabled: false,
    summary: "A 4xx/5xx response has a body but not `application/problem+json` (RFC 9457). Off by default: an API design convention.",
    docs: RuleDocs {
        what: "Reports 4xx and 5xx responses (and `4XX`/`5XX`/`default`) whose body is described with media types of which none is `application/problem+json` (or `application/problem+xml`); in 2.0, operations whose error responses have a schema while neither the operation's nor the document's `produces` lists a problem type. Responses without a body are not reported. Off by default.",
        why: "A single, standard error shape lets every client handle every error of every API the same way (`type`, `title`, `status`, `detail`), instead of learning one ad-hoc error format per endpoint.",
        lock: "",
        bad: "'404':\n  description: Not found\n  content:\n    application/json:\n      schema: {$ref: '#/components/schemas/Error'}",
        good: "'404':\n  description: Not found\n  content:\n    application/problem+json:\n      schema: {$ref: '#/components/schemas/Problem'}",
        fix: "Describe error bodies as `application/problem+json` with a Problem schema (`type`, `title`, `status`, `detail`, `instance`), and send that content type from the server.",
    },
};

fn is_error(status: &str) -> bool {
    status.starts_with('4') || status.starts_with('5') || status == "default"
}

fn is_problem(media: &str) -> bool {
    let m = media.split(';').next().unwrap_or("").trim();
    m == "application/problem+json" || m == "application/problem+xml"
}

impl ApiRule for OasProblemJson {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        for op in &cx.operations {
            let Some(responses) = op.node.get("responses") else { continue };
            for (status, response) in responses.entries() {
                let Some(code) = status.scalar_text() else { continue };
                if !is_error(&code) {
                    continue;
                }
                let response = cx.deref(response);
                let ok = match cx.version {
                    Version::V2 => {
                        if response.get("schema").is_none() {
                            continue;
                        }
                        op.node
                            .get("produces")
                            .or_else(|| cx.root.get("produces"))
                            .is_some_and(|p| p.items().iter().filter_map(Node::as_str).any(is_problem))
                    }
                    _ => {
                        let Some(content) = response.get("content").filter(|c| !c.entries().is_empty()) else {
                            continue;
                        };
                        content.entries().iter().any(|(m, _)| m.as_str().is_some_and(is_problem))
                    }
                };
                if !ok {
                    out.report_in(
                        &META,
                        status.range(),
                        op.anchor(),
                        format!("{}: error response `{code}` is not `application/problem+json`", op.label()),
                        "describe the error body as `application/problem+json` with a Problem schema",
                    );
                }
            }
        }
    }
}
