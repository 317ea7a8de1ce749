//! Go HTTP servers that never time out a slow client.

use crate::context::FileContext;
use crate::rule::{CodeRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use tree_sitter::Node;

pub struct GoServerWithoutTimeouts;

static META: RuleMeta = RuleMeta {
    id: "reliability/go-server-without-timeouts",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Go,
    default_enabled: true,
    summary: "A Go HTTP server is started without a read timeout, so slow clients hold its connections forever.",
    docs: RuleDocs {
        what: "Reports `http.ListenAndServe`, `http.ListenAndServeTLS`, `http.Serve` and `http.ServeTLS` (they run a `http.Server` whose timeouts are all zero), and `http.Server{...}` / `&http.Server{...}` literals that set neither `ReadHeaderTimeout` nor `ReadTimeout`, unless the function assigns one of them to the server afterwards (`srv.ReadHeaderTimeout = ...`). Go only. Test code (`tests/`, `test_*.py`, `*_test.go`, `*.spec.ts`...) is not checked.",
        why: "With no read timeout, a client that opens a connection and sends its headers one byte a minute (Slowloris) keeps a goroutine and a file descriptor busy forever; a few hundred such clients exhaust the process's descriptors and the service stops accepting real requests. Without `WriteTimeout` or per-handler deadlines, a stalled reader holds responses the same way.",
        lock: "",
        bad: "func main() {\n\thttp.HandleFunc(\"/\", index)\n\tlog.Fatal(http.ListenAndServe(\":8080\", nil))\n}",
        good: "func main() {\n\thttp.HandleFunc(\"/\", index)\n\tsrv := &http.Server{\n\t\tAddr:              \":8080\",\n\t\tReadHeaderTimeout: 5 * time.Second,\n\t\tReadTimeout:       30 * time.Second,\n\t\tWriteTimeout:      30 * time.Second,\n\t\tIdleTimeout:       120 * time.Second,\n\t}\n\tlog.Fatal(srv.ListenAndServe())\n}",
        fix: "Build an `http.Server` yourself and set at least `ReadHeaderTimeout` (a few seconds), plus `ReadTimeout`, `WriteTimeout` and `IdleTimeout` sized to your slowest legitimate request; handlers that stream or take long can extend their own deadline with `http.NewResponseController(w).SetWriteDeadline(...)`.",
    },
};

/// `http.*` functions that serve with a zero-value `http.Server`.
const DEFAULT_SERVERS: &[&str] = &["ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS"];

/// Fields that bound how long reading a request may take.
const READ_TIMEOUTS: &[&str] = &["ReadHeaderTimeout", "ReadTimeout"];

impl CodeRule for GoServerWithoutTimeouts {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn languages(&self) -> &'static [Language] {
        &[Language::Go]
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["composite_literal"]
    }

    fn required_text(&self, language: Language) -> &'static [&'static [&'static str]] {
        let _ = language;
        // `http.ListenAndServe*`, `http.Serve*`, `http.Server{...}`.
        &[&["Serve"]]
    }

    fn checks_test_code(&self) -> bool {
        false
    }

    fn check(&self, cx: &FileContext, out: &mut Reporter) {
        if crate::names::is_test_path(&cx.file.path) {
            return;
        }
        for call in cx.calls() {
            if call.receiver.map(|r| cx.text(r)) != Some("http")
                || !DEFAULT_SERVERS.contains(&call.name)
            {
                continue;
            }
            out.report(
                cx,
                &META,
                call.node,
                format!(
                    "`http.{}` serves with a `http.Server` that has no read, write or idle timeout: slow clients can hold its connections forever",
                    call.name
                ),
                "Create `&http.Server{Addr: ..., Handler: ..., ReadHeaderTimeout: 5 * time.Second, ReadTimeout: ..., WriteTimeout: ..., IdleTimeout: ...}` and call its `ListenAndServe()`.",
            );
        }
        for &lit in cx.nodes("composite_literal") {
            let Some(ty) = lit.child_by_field_name("type") else {
                continue;
            };
            if cx.text(ty) != "http.Server" {
                continue;
            }
            let keys = literal_keys(cx, lit);
            if keys.iter().any(|k| READ_TIMEOUTS.contains(k)) || set_later(cx, lit) {
                continue;
            }
            out.report(
                cx,
                &META,
                lit,
                "`http.Server` without `ReadHeaderTimeout` or `ReadTimeout`: a client that sends its request slowly holds a connection forever",
                "Set `ReadHeaderTimeout` (a few seconds) and `ReadTimeout`, `WriteTimeout`, `IdleTimeout` sized to your slowest legitimate request.",
            );
        }
    }
}

/// The keys of a keyed composite literal (`Addr`, `Handler`...).
fn literal_keys<'t>(cx: &FileContext<'t>, lit: Node<'t>) -> Vec<&'t str> {
    let Some(body) = lit.child_by_field_name("body") else {
        return Vec::new();
    };
    let mut c = body.walk();
    body.named_children(&mut c)
        .filter(|e| e.kind() == "keyed_element")
        .filter_map(|e| e.child_by_field_name("key").or_else(|| e.named_child(0)))
        .map(|k| cx.text(k).trim())
        .collect()
}

/// Whether the function holding the literal assigns a read timeout to some
/// server afterwards (`srv.ReadHeaderTimeout = 5 * time.Second`).
fn set_later<'t>(cx: &FileContext<'t>, lit: Node<'t>) -> bool {
    let scope = cx.flow.scope_of(lit);
    let text = cx.text(scope);
    READ_TIMEOUTS.iter().any(|field| {
        text.match_indices(&format!(".{field}")).any(|(at, m)| {
            text[at + m.len()..].trim_start().starts_with('=')
                && !text[at + m.len()..].trim_start().starts_with("==")
        })
    })
}
