//! Servers reached over plain HTTP.

use crate::openapi::{Node, Spec, Version};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct OasHttpsServers;

static META: RuleMeta = RuleMeta {
    id: "api/oas-https-servers",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Yaml,
    default_enabled: true,
    summary: "A server URL uses plain `http://` (or 2.0 `schemes` lists `http`) for a host that is not local.",
    docs: RuleDocs {
        what: "Reports 3.x server URLs starting with `http://`, and a 2.0 `schemes` list containing `http`, unless the host is local (`localhost`, `127.0.0.1`, `0.0.0.0`, `[::1]`, `*.local`, `*.localhost`, `*.test`).",
        why: "Over plain HTTP, credentials, tokens and personal data travel readable and modifiable by anyone on the path; clients generated from the description will use the insecure URL as their default.",
        lock: "",
        bad: "servers:\n  - url: http://api.acme.io/v1",
        good: "servers:\n  - url: https://api.acme.io/v1\n  - url: http://localhost:8080/v1\n    description: Local development",
        fix: "Serve the API over HTTPS and list the `https://` URL; keep `http://` only for local development servers.",
    },
};

fn local(host: &str) -> bool {
    let host = host.trim_start_matches('[');
    let name = host.split([':', '/', ']']).next().unwrap_or("");
    matches!(name, "localhost" | "127.0.0.1" | "0.0.0.0" | "::1" | "")
        || name.ends_with(".local")
        || name.ends_with(".localhost")
        || name.ends_with(".test")
        || name.starts_with('{')
}

impl ApiRule for OasHttpsServers {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        if cx.version == Version::V2 {
            let host = cx.root.get("host").and_then(Node::as_str).unwrap_or("");
            if local(host) && !host.is_empty() {
                return;
            }
            for scheme in cx.root.get("schemes").map(Node::items).unwrap_or(&[]) {
                if scheme.as_str() == Some("http") {
                    out.report(
                        &META,
                        scheme.range(),
                        "`schemes` includes plain `http`",
                        "serve the API over HTTPS and list only `https`",
                    );
                }
            }
            return;
        }
        let mut lists: Vec<&Node> = cx.root.get("servers").into_iter().collect();
        if let Some(paths) = cx.root.get("paths") {
            for (_, item) in paths.entries() {
                lists.extend(item.get("servers"));
                for (_, op) in item.entries() {
                    lists.extend(op.get("servers"));
                }
            }
        }
        for server in lists.iter().flat_map(|l| l.items()) {
            let Some(url) = server.get("url") else { continue };
            let Some(rest) = url.as_str().and_then(|u| u.strip_prefix("http://")) else {
                continue;
            };
            if !local(rest) {
                out.report(
                    &META,
                    url.range(),
                    format!("server `{}` uses plain HTTP", url.as_str().unwrap_or("")),
                    "use the `https://` URL; keep `http://` for local development servers only",
                );
            }
        }
    }
}
