//! Missing or malformed server URLs.

use crate::openapi::{Node, Spec, Version};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct OasServers;

static META: RuleMeta = RuleMeta {
    id: "api/oas-servers",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Yaml,
    default_enabled: true,
    summary: "The description gives no server (3.x `servers`, 2.0 `host`), or a server URL is malformed, a placeholder, ends with `/` or uses an undeclared variable.",
    docs: RuleDocs {
        what: "3.x: reports a description without `servers` (or with an empty list), and each server whose `url` is missing, contains spaces, ends with `/`, points at `example.com`, or uses a `{variable}` not declared under `variables`. 2.0: reports a missing `host`, and a `host` that contains a scheme, a path or `example.com`.",
        why: "Clients, try-it consoles and contract tests send requests to the server URL: without one they send them to the documentation's own host; a trailing slash doubles the slash in every path (`https://api.x.com//users`); a placeholder host or an undefined variable yields requests that go nowhere.",
        lock: "",
        bad: "openapi: 3.0.3\nservers:\n  - url: https://{region}.example.com/\npaths: {}",
        good: "openapi: 3.0.3\nservers:\n  - url: https://{region}.api.acme.io/v1\n    variables:\n      region:\n        default: eu\n        enum: [eu, us]\npaths: {}",
        fix: "List the real base URLs under `servers` (or `host` + `basePath` + `schemes` in 2.0), without a trailing slash, and declare each `{variable}` with a `default`.",
    },
};

fn version_key<'a>(cx: &Spec<'a>) -> (usize, usize) {
    cx.root
        .entry("openapi")
        .or_else(|| cx.root.entry("swagger"))
        .map_or((0, 0), |(k, _)| k.range())
}

fn placeholder_host(host: &str) -> bool {
    let host = host.split(['/', ':']).next().unwrap_or("");
    host == "example.com" || host.ends_with(".example.com")
}

impl ApiRule for OasServers {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        if cx.version == Version::V2 {
            match cx.root.get("host") {
                None => out.report(
                    &META,
                    version_key(cx),
                    "no `host`: clients do not know where to send requests",
                    "add `host` (and `basePath`, `schemes`)",
                ),
                Some(host) => {
                    let text = host.as_str().unwrap_or("");
                    let problem = if text.contains("://") {
                        Some("contains a scheme; put it in `schemes`")
                    } else if text.contains('/') {
                        Some("contains a path; put it in `basePath`")
                    } else if placeholder_host(text) {
                        Some("is a placeholder (`example.com`)")
                    } else {
                        None
                    };
                    if let Some(problem) = problem {
                        out.report(&META, host.range(), format!("`host: {text}` {problem}"), "write the bare host name (and port) of the real API");
                    }
                }
            }
            return;
        }
        match cx.root.entry("servers") {
            None => out.report(
                &META,
                version_key(cx),
                "no `servers`: clients send requests to the host serving the description",
                "list the API's base URLs under `servers`",
            ),
            Some((key, list)) if list.items().is_empty() && list.is_seq() => out.report(
                &META,
                key.range(),
                "`servers` is empty",
                "list the API's base URLs under `servers`",
            ),
            Some(_) => {}
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
            check_server(server, out);
        }
    }
}

fn check_server(server: &Node, out: &mut Reporter) {
    let Some(url_node) = server.get("url") else {
        if server.is_map() {
            out.report(&META, server.range(), "server without `url`", "give every server its `url`");
        }
        return;
    };
    let url = url_node.as_str().unwrap_or("");
    let at = url_node.range();
    let problem = if url.trim().is_empty() {
        Some("is empty".to_string())
    } else if url.contains(char::is_whitespace) {
        Some("contains whitespace".to_string())
    } else if url.len() > 1 && url.ends_with('/') {
        Some("ends with `/`, so every path gets a double slash".to_string())
    } else if placeholder_host(crate::openapi::endpoints::url_path_host(url)) {
        Some("points at a placeholder host (`example.com`)".to_string())
    } else {
        let declared: Vec<&str> = server
            .get("variables")
            .map(|v| v.entries().iter().filter_map(|(k, _)| k.as_str()).collect())
            .unwrap_or_default();
        url.split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .find(|name| !declared.contains(name))
            .map(|name| format!("uses `{{{name}}}`, which `variables` does not declare"))
    };
    if let Some(problem) = problem {
        out.report(
            &META,
            at,
            format!("server URL `{url}` {problem}"),
            "write the real base URL without a trailing slash, declaring each `{variable}` with a `default`",
        );
    }
}
