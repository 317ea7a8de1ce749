//! Secrets passed in the query string.

use crate::openapi::{Node, Spec, Version};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct OasCredentialsInQuery;

static META: RuleMeta = RuleMeta {
    id: "api/oas-credentials-in-query",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Yaml,
    default_enabled: true,
    summary: "An API key, token or password is passed in the query string.",
    docs: RuleDocs {
        what: "Reports `apiKey` security schemes with `in: query`, and query parameters named like a credential (`api_key`, `apikey`, `access_token`, `token`, `auth_token`, `id_token`, `refresh_token`, `password`, `secret`, `client_secret`, `session_id`, `jwt`, in any case and with `-` or `_`).",
        why: "URLs are written to access logs, proxy and CDN logs, browser history and `Referer` headers sent to third parties: a credential in the query string leaks to everyone who can read any of those, and outlives its rotation in their archives.",
        lock: "",
        bad: "components:\n  securitySchemes:\n    ApiKey:\n      type: apiKey\n      in: query\n      name: api_key",
        good: "components:\n  securitySchemes:\n    ApiKey:\n      type: apiKey\n      in: header\n      name: X-API-Key",
        fix: "Move the credential to a header (`Authorization: Bearer ...` or an `X-API-Key` header) or a cookie, and stop accepting it in the query string once clients have moved.",
    },
};

const NAMES: &[&str] = &[
    "apikey", "accesstoken", "token", "authtoken", "idtoken", "refreshtoken", "password", "passwd", "secret",
    "clientsecret", "sessionid", "jwt", "bearer", "privatekey", "secretkey",
];

fn credential_name(name: &str) -> bool {
    let n: String = name.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect();
    NAMES.contains(&n.as_str())
}

impl ApiRule for OasCredentialsInQuery {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        let schemes = match cx.version {
            Version::V2 => cx.root.get("securityDefinitions"),
            _ => cx.root.get("components").and_then(|c| c.get("securitySchemes")),
        };
        for (name, scheme) in schemes.map(Node::entries).unwrap_or(&[]) {
            if scheme.get("type").and_then(Node::as_str) != Some("apiKey") {
                continue;
            }
            if let Some(location) = scheme.get("in").filter(|l| l.as_str() == Some("query")) {
                out.report(
                    &META,
                    location.range(),
                    format!("security scheme `{}` sends its API key in the query string", name.as_str().unwrap_or("")),
                    "send the key in a header (`in: header`, e.g. `X-API-Key`) instead",
                );
            }
        }
        let mut seen = std::collections::HashSet::new();
        for op in &cx.operations {
            for p in cx.parameters(op) {
                if p.location != "query" || !credential_name(p.name) {
                    continue;
                }
                let Ok((_, true)) = cx.resolve_local(p.at) else { continue };
                if !seen.insert(std::ptr::from_ref(p.node)) {
                    continue;
                }
                let at = p.node.get("name").map_or(p.at.range(), Node::range);
                out.report(
                    &META,
                    at,
                    format!("query parameter `{}` carries a credential in the URL", p.name),
                    "accept the credential in a header (`Authorization`) or cookie instead of the query string",
                );
            }
        }
    }
}
