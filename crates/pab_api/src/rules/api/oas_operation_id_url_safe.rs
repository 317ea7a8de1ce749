//! `operationId`s with characters that need escaping in a URL.

use crate::openapi::Spec;
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct OasOperationIdUrlSafe;

static META: RuleMeta = RuleMeta {
    id: "api/oas-operation-id-url-safe",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Yaml,
    default_enabled: true,
    summary: "An `operationId` contains characters that are not URL-safe (spaces, slashes, braces...).",
    docs: RuleDocs {
        what: "Reports an `operationId` with a character outside the unreserved and reserved URL characters (letters, digits, `-._~` and `:/?#[]@!$&'()*+,;=`): spaces, `{`, `}`, `\"`, `<`, `>`, `\\`, `^`, `` ` ``, `|`, `%` and non-ASCII characters.",
        why: "Documentation tools put the `operationId` in URL fragments (`#operation/getUser`) and code generators turn it into identifiers: a space or brace breaks deep links and produces mangled or uncompilable method names.",
        lock: "",
        bad: "paths:\n  /users:\n    get:\n      operationId: list users",
        good: "paths:\n  /users:\n    get:\n      operationId: listUsers",
        fix: "Write the `operationId` in camelCase or with `-`/`_` between words, ASCII letters and digits only.",
    },
};

fn url_safe(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=".contains(c)
}

impl ApiRule for OasOperationIdUrlSafe {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        for op in &cx.operations {
            let Some(value) = op.node.get("operationId") else {
                continue;
            };
            let Some(id) = value.as_str() else { continue };
            if let Some(bad) = id.chars().find(|c| !url_safe(*c)) {
                out.report_in(
                    &META,
                    value.range(),
                    op.anchor(),
                    format!("`operationId: {id}` contains {bad:?}, which is not URL-safe"),
                    "use ASCII letters and digits (camelCase, or `-`/`_` between words)",
                );
            }
        }
    }
}
