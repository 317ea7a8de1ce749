//! Outbound HTTP calls that can wait forever for a server that does not
//! answer.

use crate::context::{Call, FileContext};
use crate::rule::{CodeRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use tree_sitter::Node;

pub struct HttpWithoutTimeout;

static META: RuleMeta = RuleMeta {
    id: "reliability/http-without-timeout",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Python,
    default_enabled: true,
    summary: "An outbound HTTP request has no timeout, so a server that never answers blocks the caller forever.",
    docs: RuleDocs {
        what: "Python: `requests.get/post/put/patch/delete/head/options/request(...)` and the same methods on a `requests.Session()` created in the function, without a `timeout=` argument (calls that pass `**kwargs` are not reported: the timeout may be in them); `urllib.request.urlopen(url)` without a timeout (unless the file calls `socket.setdefaulttimeout`); and an explicit `timeout=None` on `requests` or `httpx` calls and `httpx.Client`/`AsyncClient`. httpx without `timeout=` is not reported: it defaults to 5 seconds. Go: `http.Get/Post/Head/PostForm` and the same methods of `http.DefaultClient` (the default client has no timeout), and `http.Client{...}` literals without `Timeout` or `Transport` in files that never put a deadline on a request (`NewRequestWithContext`, `context.WithTimeout`...). JavaScript is not checked: Node's `fetch` has 300-second header and body timeouts built in, and axios defaults are often set in another module, so a missing timeout there cannot be seen with confidence. Test code (`tests/`, `test_*.py`, `*_test.go`, `*.spec.ts`...) is not checked.",
        why: "`requests`, `urllib` and Go's default client wait forever by default. When a dependency hangs (a full TCP backlog, a dead load balancer, a stuck upstream), every request that calls it hangs too: worker threads, goroutines and connections pile up until the service itself stops answering, turning one slow dependency into an outage.",
        lock: "",
        bad: "def fetch_rates():\n    resp = requests.get(\"https://rates.example.com/latest\")\n    resp.raise_for_status()\n    return resp.json()",
        good: "def fetch_rates():\n    resp = requests.get(\"https://rates.example.com/latest\", timeout=(3.05, 10))\n    resp.raise_for_status()\n    return resp.json()",
        fix: "Pass a timeout on every call: `requests.get(url, timeout=(connect, read))`, `urlopen(url, timeout=10)`, `httpx.Client(timeout=10.0)`. In Go build one client with `&http.Client{Timeout: 10 * time.Second}` and reuse it, or attach a deadline per request with `http.NewRequestWithContext(ctx, ...)` and `context.WithTimeout`. Choose the timeout from the caller's own deadline: shorter than the time your client waits for you.",
    },
};

const REQUESTS_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "head", "options", "request",
];
const HTTPX_CALLS: &[&str] = &[
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "options",
    "request",
    "stream",
    "Client",
    "AsyncClient",
];
const GO_DEFAULT_CLIENT_CALLS: &[&str] = &["Get", "Post", "Head", "PostForm"];

/// Go code that puts a deadline on requests some other way.
const GO_DEADLINE_WORDS: &[&str] = &[
    "NewRequestWithContext",
    "WithContext(",
    "context.WithTimeout",
    "context.WithDeadline",
    "SetDeadline",
];

impl CodeRule for HttpWithoutTimeout {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn languages(&self) -> &'static [Language] {
        &[Language::Python, Language::Go]
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["composite_literal"]
    }

    fn required_text(&self, language: Language) -> &'static [&'static [&'static str]] {
        match language {
            Language::Python => &[&["requests", "httpx", "urlopen"]],
            _ => &[&["http"]],
        }
    }

    fn checks_test_code(&self) -> bool {
        false
    }

    fn check(&self, cx: &FileContext, out: &mut Reporter) {
        if crate::names::is_test_path(&cx.file.path) {
            return;
        }
        match cx.lang.language() {
            Language::Python => python(cx, out),
            Language::Go => go(cx, out),
            _ => {}
        }
    }
}

fn python(cx: &FileContext, out: &mut Reporter) {
    let file = cx.file.text.as_str();
    for call in cx.calls() {
        let receiver = call.receiver.map(|r| cx.text(r));
        let has_splat = call.args.iter().any(|a| a.kind() == "dictionary_splat");
        // An explicit `timeout=None` disables the timeout, in any client.
        if let Some(t) = call.keyword("timeout") {
            let client = matches!(receiver, Some("requests"))
                && REQUESTS_METHODS.contains(&call.name)
                || matches!(receiver, Some("httpx")) && HTTPX_CALLS.contains(&call.name);
            if client && cx.text(t) == "None" {
                out.report(
                    cx,
                    &META,
                    t,
                    format!(
                        "`{}(..., timeout=None)` disables the timeout: a server that never answers blocks this call forever",
                        cx.node_snippet(call.callee)
                    ),
                    "Pass a finite timeout in seconds (`timeout=10`, or `(connect, read)` with requests, `httpx.Timeout(10.0)` with httpx).",
                );
            }
            continue;
        }
        if has_splat {
            continue;
        }
        let requests_call = REQUESTS_METHODS.contains(&call.name)
            && (receiver == Some("requests")
                || call
                    .receiver
                    .is_some_and(|r| is_requests_session(cx, call, r)));
        if requests_call {
            out.report(
                cx,
                &META,
                call.node,
                format!(
                    "`{}(...)` has no `timeout=`: requests waits forever for a server that does not answer",
                    cx.node_snippet(call.callee)
                ),
                "Pass `timeout=` on every call, e.g. `timeout=(3.05, 10)` for (connect, read) seconds.",
            );
            continue;
        }
        let urlopen = call.name == "urlopen"
            && match receiver {
                Some(r) => {
                    r == "urllib.request"
                        || r == "request" && file.contains("from urllib import request")
                }
                None => file.contains("from urllib.request import"),
            };
        if urlopen && call.args.len() < 3 && !file.contains("setdefaulttimeout") {
            out.report(
                cx,
                &META,
                call.node,
                "`urlopen(...)` without `timeout=` waits forever for a server that does not answer (there is no default socket timeout)",
                "Pass `timeout=` in seconds: `urlopen(url, timeout=10)`.",
            );
        }
    }
}

/// Whether `receiver` names a `requests.Session()` made in this function
/// (`s = requests.Session()` or `with requests.Session() as s`) that has no
/// adapter mounted (a mounted adapter may set a timeout).
fn is_requests_session<'t>(cx: &FileContext<'t>, call: &Call<'t>, receiver: Node<'t>) -> bool {
    if !cx.is_identifier(receiver) {
        return false;
    }
    let name = cx.text(receiver);
    let is_session = |n: Node| matches!(cx.text(n), "requests.Session()" | "requests.session()");
    let scope = cx.flow.scope_of(call.node);
    if cx.text(scope).contains(&format!("{name}.mount(")) {
        return false;
    }
    if cx.flow.single_definition(receiver).is_some_and(is_session) {
        return true;
    }
    let mut at = call.node.parent();
    while let Some(n) = at {
        if n.id() == scope.id() {
            break;
        }
        if n.kind() == "with_statement" {
            let mut stack = vec![n];
            while let Some(m) = stack.pop() {
                if m.kind() == "as_pattern" {
                    let value = m.named_child(0);
                    let alias = m.child_by_field_name("alias");
                    if value.is_some_and(is_session) && alias.is_some_and(|a| cx.text(a) == name) {
                        return true;
                    }
                }
                if m.kind() == "block" {
                    continue;
                }
                let mut c = m.walk();
                stack.extend(m.named_children(&mut c));
            }
        }
        at = n.parent();
    }
    false
}

fn go(cx: &FileContext, out: &mut Reporter) {
    let file = cx.file.text.as_str();
    let deadlines_elsewhere = GO_DEADLINE_WORDS.iter().any(|w| file.contains(w));
    for call in cx.calls() {
        let receiver = call.receiver.map(|r| cx.text(r));
        let default_client = match receiver {
            Some("http") => GO_DEFAULT_CLIENT_CALLS.contains(&call.name),
            Some("http.DefaultClient") => {
                GO_DEFAULT_CLIENT_CALLS.contains(&call.name)
                    || call.name == "Do" && !deadlines_elsewhere
            }
            _ => false,
        };
        if !default_client {
            continue;
        }
        out.report(
            cx,
            &META,
            call.node,
            format!(
                "`{}` uses `http.DefaultClient`, which has no timeout: a server that never answers blocks this goroutine forever",
                cx.node_snippet(call.callee)
            ),
            "Use a client with a timeout (`client := &http.Client{Timeout: 10 * time.Second}`, built once and reused), or a request with a deadline (`http.NewRequestWithContext` with `context.WithTimeout`).",
        );
    }
    if deadlines_elsewhere {
        return;
    }
    for &lit in cx.nodes("composite_literal") {
        if lit.child_by_field_name("type").map(|t| cx.text(t)) != Some("http.Client") {
            continue;
        }
        let Some(body) = lit.child_by_field_name("body") else {
            continue;
        };
        let mut c = body.walk();
        let keyed: Vec<&str> = body
            .named_children(&mut c)
            .filter(|e| e.kind() == "keyed_element")
            .filter_map(|e| e.named_child(0))
            .map(|k| cx.text(k).trim())
            .collect();
        if keyed.iter().any(|k| matches!(*k, "Timeout" | "Transport")) {
            continue;
        }
        let scope = cx.text(cx.flow.scope_of(lit));
        let assigned_later = scope.match_indices(".Timeout").any(|(at, m)| {
            let rest = scope[at + m.len()..].trim_start();
            rest.starts_with('=') && !rest.starts_with("==")
        });
        if assigned_later {
            continue;
        }
        out.report(
            cx,
            &META,
            lit,
            "`http.Client` without `Timeout`, and no request in this file carries a deadline: a server that never answers blocks the caller forever",
            "Set `Timeout` on the client (`&http.Client{Timeout: 10 * time.Second}`), or give each request a deadline with `http.NewRequestWithContext` and `context.WithTimeout`.",
        );
    }
}
