//! TLS certificate verification turned off for outbound connections.

use crate::context::FileContext;
use crate::lang::Shape;
use crate::names;
use crate::rule::{CodeRule, Reporter, ALL_LANGUAGES};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use tree_sitter::Node;

pub struct TlsVerificationDisabled;

static META: RuleMeta = RuleMeta {
    id: "security/tls-verification-disabled",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Python,
    default_enabled: true,
    summary: "TLS certificate verification is turned off: anyone on the network path can read and change the traffic.",
    docs: RuleDocs {
        what: "Reports, in Python: `verify=False` given to `requests` / `httpx` calls, clients and sessions (`requests.get`, `session.post`, `httpx.Client(...)`...), `session.verify = False` (not on `self`, which is a wrapper's default), `ssl._create_unverified_context()`, and `ssl.CERT_NONE` assigned to `verify_mode` or passed as `cert_reqs`; in JavaScript and TypeScript: `rejectUnauthorized: false` in any options object (https agents, `tls.connect`, database `ssl` options), and `NODE_TLS_REJECT_UNAUTHORIZED` set to `0`; in Go: `InsecureSkipVerify: true` in a `tls.Config` literal or assigned. Test code (`tests/`, `*_test.go`, `*.spec.ts`...) is skipped: test servers use self-signed certificates on purpose.",
        why: "Without verification the client talks to whoever answers: on a shared network, a compromised router or a hostile DNS resolver, an attacker presents any certificate and reads the credentials, tokens and data in the traffic, or changes the responses the service trusts.",
        lock: "",
        bad: "resp = requests.get(url, headers=auth, verify=False)",
        good: "resp = requests.get(url, headers=auth, verify=\"/etc/ssl/internal-ca.pem\")",
        fix: "Keep verification on. For a private or self-signed CA, trust that CA instead of everything: `verify=\"/path/ca.pem\"` (requests/httpx), `ssl.create_default_context(cafile=...)`, Node `ca: fs.readFileSync(...)` or `NODE_EXTRA_CA_CERTS`, Go `tls.Config{RootCAs: pool}`.",
    },
};

/// Python HTTP calls and constructors that take `verify=`.
const PY_HTTP_CALLS: &[&str] = &[
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "options",
    "request",
    "stream",
    "send",
    "Client",
    "AsyncClient",
    "Session",
    "urlopen",
];

const HELP: &str = "Keep verification on; to trust a private CA, pass it explicitly (`verify=\"ca.pem\"`, `ca: ...`, `RootCAs: pool`).";

impl CodeRule for TlsVerificationDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn languages(&self) -> &'static [Language] {
        ALL_LANGUAGES
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &[
            "assignment",
            "assignment_expression",
            "assignment_statement",
            "pair",
            "keyed_element",
            "keyword_argument",
        ]
    }

    fn required_text(&self, language: Language) -> &'static [&'static [&'static str]] {
        let _ = language;
        // `verify=False`, `_create_unverified_context`, `CERT_NONE`,
        // `rejectUnauthorized`, `InsecureSkipVerify`.
        &[&["verif", "cert_none", "unauthorized"]]
    }

    fn checks_test_code(&self) -> bool {
        false
    }

    fn check(&self, cx: &FileContext, out: &mut Reporter) {
        if names::is_test_path(&cx.file.path) {
            return;
        }
        match cx.lang.language() {
            Language::Python => python(cx, out),
            Language::JavaScript | Language::TypeScript => javascript(cx, out),
            Language::Go => go(cx, out),
            _ => {}
        }
    }
}

/// The name an assignment or key sets to `value`, with the value.
fn settings<'t>(cx: &FileContext<'t>, kinds: &[&str]) -> Vec<(Node<'t>, &'t str, Node<'t>)> {
    let mut out = Vec::new();
    for kind in kinds {
        for &node in cx.nodes(kind) {
            let (target, value) = match cx.lang.shape_of(node) {
                Shape::Assignment { left, right } | Shape::AugmentedAssignment { left, right } => (
                    node.child_by_field_name(left),
                    node.child_by_field_name(right),
                ),
                _ => (
                    node.child_by_field_name("key"),
                    node.child_by_field_name("value"),
                ),
            };
            let (Some(target), Some(value)) = (target, value) else {
                continue;
            };
            let single = |n: Node<'t>| {
                if (n.kind() == "expression_list" && n.named_child_count() == 1)
                    || n.kind() == "literal_element"
                {
                    n.named_child(0).unwrap_or(n)
                } else {
                    n
                }
            };
            let (target, value) = (single(target), single(value));
            if let Some(name) = names::key_name(cx, target) {
                out.push((node, name, value));
            }
        }
    }
    out
}

fn python<'t>(cx: &FileContext<'t>, out: &mut Reporter) {
    let http_client = ["requests", "httpx", "aiohttp", "urllib3"].iter().any(|m| {
        cx.file.text.contains(&format!("import {m}")) || cx.file.text.contains(&format!("from {m}"))
    });
    for call in cx.calls() {
        let receiver = call.receiver.map(|r| cx.text(r));
        if let Some(v) = call.keyword("verify") {
            if cx.text(v) == "False"
                && http_client
                && PY_HTTP_CALLS.contains(&call.name)
                && !receiver.is_some_and(|r| r.ends_with("jwt"))
            {
                out.report(
                    cx,
                    &META,
                    v.parent().unwrap_or(v),
                    format!("`{}(..., verify=False)` accepts any certificate: anyone on the network path can read and change the traffic", cx.node_snippet(call.callee)),
                    HELP,
                );
            }
        }
        if receiver == Some("ssl") && call.name == "_create_unverified_context" {
            out.report(
                cx,
                &META,
                call.node,
                "`ssl._create_unverified_context()` accepts any certificate: anyone on the network path can read and change the traffic",
                HELP,
            );
        }
        if let Some(v) = call
            .keyword("cert_reqs")
            .filter(|v| cx.text(*v).ends_with("CERT_NONE"))
        {
            out.report(
                cx,
                &META,
                v.parent().unwrap_or(v),
                "`cert_reqs=CERT_NONE` accepts any certificate: anyone on the network path can read and change the traffic",
                HELP,
            );
        }
    }
    for (node, name, value) in settings(cx, &["assignment"]) {
        let text = cx.text(value);
        let left = node.child_by_field_name("left");
        let attribute = left.is_some_and(|l| l.kind() == "attribute");
        // `self.verify_mode = CERT_NONE` in a class is a default of a
        // wrapper, not a connection made without verification.
        let on_self = left.is_some_and(|l| cx.text(l).starts_with("self."));
        let off = match name {
            "verify_mode" => text.ends_with("CERT_NONE") && !on_self,
            "verify" => text == "False" && http_client && attribute && !on_self,
            _ => false,
        };
        if off {
            out.report(
                cx,
                &META,
                node,
                format!("`{}` turns certificate verification off: anyone on the network path can read and change the traffic", cx.node_snippet(node)),
                HELP,
            );
        }
    }
}

fn javascript<'t>(cx: &FileContext<'t>, out: &mut Reporter) {
    for (node, name, value) in settings(cx, &["pair", "assignment_expression"]) {
        let text = cx.text(value).trim_matches(['"', '\'', '`']);
        let off = match name {
            "rejectUnauthorized" => text == "false",
            "NODE_TLS_REJECT_UNAUTHORIZED" => text == "0",
            _ => false,
        };
        if off {
            out.report(
                cx,
                &META,
                node,
                format!("`{}` accepts any certificate: anyone on the network path can read and change the traffic", cx.node_snippet(node)),
                HELP,
            );
        }
    }
}

fn go<'t>(cx: &FileContext<'t>, out: &mut Reporter) {
    for (node, name, value) in settings(cx, &["keyed_element", "assignment_statement"]) {
        if name == "InsecureSkipVerify" && cx.text(value) == "true" {
            out.report(
                cx,
                &META,
                node,
                "`InsecureSkipVerify: true` accepts any certificate: anyone on the network path can read and change the traffic",
                HELP,
            );
        }
    }
}
