//! CORS that allows every origin and also credentials (cookies,
//! authorization headers).

use crate::context::{Call, FileContext};
use crate::lang::Shape;
use crate::names;
use crate::rule::{CodeRule, Reporter, ALL_LANGUAGES};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use tree_sitter::Node;

pub struct CorsWildcardWithCredentials;

static META: RuleMeta = RuleMeta {
    id: "security/cors-wildcard-with-credentials",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Python,
    default_enabled: true,
    summary: "CORS allows any origin together with credentials: any website can make authenticated requests and read the answers.",
    docs: RuleDocs {
        what: "Reports CORS configurations that allow every origin and credentials at once: Starlette/FastAPI `CORSMiddleware` (`add_middleware` or `Middleware`) with `allow_origins` containing `\"*\"` (or `allow_origin_regex=\".*\"`) and `allow_credentials=True`; flask-cors `CORS(...)` / `@cross_origin(...)` with `supports_credentials=True` and origins `*` or left at their `*` default; Express `cors({ origin: '*' | true, credentials: true })`, the same options given to `app.register(cors, ...)` (Fastify), `app.enableCors(...)` or a `cors:` option (NestJS); Go gin-contrib/cors `cors.Config{AllowAllOrigins: true, AllowCredentials: true}` or `AllowOrigins: []string{\"*\"}`, rs/cors `cors.Options{AllowedOrigins: []string{\"*\"}, AllowCredentials: true}`; and a function that sets `Access-Control-Allow-Origin: *` and `Access-Control-Allow-Credentials: true` itself, unconditionally (a CORS library sets them under conditions from its options, which is not reported) (Python, JavaScript, TypeScript, Go). An origin list, or a function that checks the origin, passes. Severity warning: browsers refuse a literal `*` with credentials, so the configuration is either broken or (where the library reflects the caller's origin, as Starlette, `origin: true` and rs/cors do) open to every site.",
        why: "With credentials allowed for every origin, a page on any site the user visits can call the API with the user's cookies and read the responses: their data, their CSRF tokens, anything the session can see.",
        lock: "",
        bad: "app.add_middleware(\n    CORSMiddleware,\n    allow_origins=[\"*\"],\n    allow_credentials=True,\n)",
        good: "app.add_middleware(\n    CORSMiddleware,\n    allow_origins=[\"https://app.example.com\"],\n    allow_credentials=True,\n)",
        fix: "List the origins that may call the API with credentials (`allow_origins=[\"https://app.example.com\"]`, `origin: ['https://app.example.com']`, `AllowOrigins: []string{...}`), or drop credentials for a truly public API and authenticate with a token header instead of cookies.",
    },
};

const WILDCARD_HELP: &str = "List the trusted origins explicitly (or drop credentials for a public API): `allow_origins=[\"https://app.example.com\"]`, `origin: [\"https://app.example.com\"]`, `AllowOrigins: []string{\"https://app.example.com\"}`.";

impl CodeRule for CorsWildcardWithCredentials {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn languages(&self) -> &'static [Language] {
        ALL_LANGUAGES
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["composite_literal", "object", "assignment"]
    }

    fn required_text(&self, language: Language) -> &'static [&'static [&'static str]] {
        let _ = language;
        // Every report is about credentials allowed (`allow_credentials`,
        // `credentials: true`, `AllowCredentials`, the header).
        &[&["credentials"]]
    }

    fn check(&self, cx: &FileContext, out: &mut Reporter) {
        match cx.lang.language() {
            Language::Python => {
                for call in cx.calls() {
                    if let Some(message) = python_config(cx, call) {
                        out.report(cx, &META, call.node, message, WILDCARD_HELP);
                    }
                }
            }
            Language::JavaScript | Language::TypeScript => {
                for &object in cx.nodes("object") {
                    // The cheap test first: most objects are not CORS options.
                    if wildcard_credentials_object(cx, object) && js_options_object(cx, object) {
                        out.report(
                            cx,
                            &META,
                            object,
                            "CORS options allow every origin with `credentials: true`: any website can send the user's cookies and read the responses",
                            WILDCARD_HELP,
                        );
                    }
                }
            }
            Language::Go => {
                for &literal in cx.nodes("composite_literal") {
                    if go_cors_literal(cx, literal) {
                        out.report(
                            cx,
                            &META,
                            literal,
                            "CORS config allows every origin with `AllowCredentials: true`: any website can send the user's cookies and read the responses",
                            WILDCARD_HELP,
                        );
                    }
                }
            }
            _ => {}
        }
        manual_headers(cx, out);
    }
}

/// Whether a value is `"*"`, a list containing `"*"`, or `.*`.
fn is_wildcard<'t>(cx: &FileContext<'t>, node: Node<'t>) -> bool {
    let text = cx.text(node);
    let inner = text.trim_matches(|c: char| matches!(c, '[' | ']' | '(' | ')' | ' ' | ','));
    let strip = |s: &str| s.trim().trim_matches(['"', '\'', '`']).to_string();
    match cx.lang.shape_of(node) {
        Shape::String => matches!(strip(text).as_str(), "*" | ".*" | "^.*$"),
        Shape::Collection => inner.split(',').any(|item| strip(item) == "*"),
        _ => false,
    }
}

fn is_true<'t>(cx: &FileContext<'t>, node: Node<'t>) -> bool {
    matches!(cx.text(node), "True" | "true")
}

fn python_config<'t>(cx: &FileContext<'t>, call: &Call<'t>) -> Option<String> {
    // Starlette / FastAPI.
    if let Some(creds) = call.keyword("allow_credentials") {
        let wildcard = call
            .keyword("allow_origins")
            .is_some_and(|o| is_wildcard(cx, o))
            || call
                .keyword("allow_origin_regex")
                .is_some_and(|o| is_wildcard(cx, o));
        return (is_true(cx, creds) && wildcard).then(|| {
            "`CORSMiddleware` allows every origin with `allow_credentials=True`: Starlette then echoes the caller's origin, so any website can send the user's cookies and read the responses".to_string()
        });
    }
    // flask-cors.
    if matches!(call.name, "CORS" | "cross_origin") {
        let creds = call.keyword("supports_credentials")?;
        if !is_true(cx, creds) || call.keyword("resources").is_some() {
            return None;
        }
        let wildcard = match call.keyword("origins") {
            Some(o) => is_wildcard(cx, o),
            None => true,
        };
        return wildcard.then(|| {
            format!("`{}` allows every origin (`*`, the default) with `supports_credentials=True`: any website can send the user's cookies and read the responses", call.name)
        });
    }
    None
}

/// Whether an object literal is CORS options: an argument of `cors(...)`,
/// `enableCors(...)`, `register(cors, ...)`, or the value of a `cors:` key.
fn js_options_object<'t>(cx: &FileContext<'t>, object: Node<'t>) -> bool {
    let Some(parent) = object.parent() else {
        return false;
    };
    if parent.kind() == "pair" {
        return parent
            .child_by_field_name("key")
            .and_then(|k| names::key_name(cx, k))
            .is_some_and(|k| k == "cors");
    }
    if parent.kind() != "arguments" {
        return false;
    }
    let Some(call) = cx.calls().iter().find(|c| Some(c.node) == parent.parent()) else {
        return false;
    };
    match call.name {
        "cors" | "enableCors" | "corsMiddleware" => true,
        "register" | "use" => call
            .args
            .first()
            .is_some_and(|a| cx.text(*a).to_ascii_lowercase().contains("cors")),
        _ => false,
    }
}

fn wildcard_credentials_object<'t>(cx: &FileContext<'t>, object: Node<'t>) -> bool {
    let mut origin_all = false;
    let mut credentials = false;
    let mut cursor = object.walk();
    for pair in object.named_children(&mut cursor) {
        if pair.kind() != "pair" {
            continue;
        }
        let (Some(key), Some(value)) = (
            pair.child_by_field_name("key")
                .and_then(|k| names::key_name(cx, k)),
            pair.child_by_field_name("value"),
        ) else {
            continue;
        };
        match key {
            "origin" => origin_all = is_true(cx, value) || is_wildcard(cx, value),
            "credentials" => credentials = is_true(cx, value),
            _ => {}
        }
    }
    origin_all && credentials
}

/// gin-contrib/cors `Config` and rs/cors `Options` literals.
fn go_cors_literal<'t>(cx: &FileContext<'t>, literal: Node<'t>) -> bool {
    let ty = literal
        .child_by_field_name("type")
        .map_or("", |t| cx.text(t));
    if !matches!(ty, "cors.Config" | "cors.Options") {
        return false;
    }
    let Some(body) = literal.child_by_field_name("body") else {
        return false;
    };
    let mut all = false;
    let mut credentials = false;
    let mut cursor = body.walk();
    for element in body.named_children(&mut cursor) {
        if element.kind() != "keyed_element" {
            continue;
        }
        let (Some(key), Some(value)) = (
            element
                .child_by_field_name("key")
                .and_then(|k| names::key_name(cx, k)),
            element.child_by_field_name("value"),
        ) else {
            continue;
        };
        let value = value.named_child(0).unwrap_or(value);
        match key {
            "AllowAllOrigins" => all |= is_true(cx, value),
            "AllowOrigins" | "AllowedOrigins" => {
                all |= value
                    .child_by_field_name("body")
                    .is_some_and(|b| is_wildcard(cx, b) || cx.text(b).contains("\"*\""))
            }
            "AllowCredentials" => credentials = is_true(cx, value),
            _ => {}
        }
    }
    all && credentials
}

/// Whether `node` runs under an `if` (or a ternary) inside its function.
fn conditional(cx: &FileContext, node: Node) -> bool {
    let mut at = node.parent();
    while let Some(n) = at {
        if cx.lang.shape_of(n) == Shape::Function {
            return false;
        }
        if matches!(
            n.kind(),
            "if_statement"
                | "conditional_expression"
                | "ternary_expression"
                | "switch_statement"
                | "expression_switch_statement"
                | "match_statement"
        ) {
            return true;
        }
        at = n.parent();
    }
    false
}

/// `Access-Control-Allow-Origin: *` set by hand in a function that also
/// sets `Access-Control-Allow-Credentials: true`.
fn manual_headers<'t>(cx: &FileContext<'t>, out: &mut Reporter) {
    let header = |name: &str, value: Node| -> Option<(bool, bool)> {
        let name = name.to_ascii_lowercase();
        let value = cx
            .text(value)
            .trim_matches(['"', '\'', '`'])
            .to_ascii_lowercase();
        match name.as_str() {
            "access-control-allow-origin" => Some((value == "*", false)),
            "access-control-allow-credentials" => Some((false, value == "true")),
            _ => None,
        }
    };
    // (function, origin node) for `*`, and functions that allow credentials.
    let mut wildcards: Vec<(usize, Node)> = Vec::new();
    let mut with_credentials: Vec<usize> = Vec::new();
    let mut note = |node: Node<'t>, name: &str, value| {
        let Some((wild, creds)) = header(name, value) else {
            return;
        };
        // A library that sets the headers from its options does so under
        // conditions; a handler that sets both unconditionally means it.
        if conditional(cx, node) {
            return;
        }
        let scope = cx.flow.scope_of(node).id();
        if wild {
            wildcards.push((scope, node));
        }
        if creds {
            with_credentials.push(scope);
        }
    };
    for call in cx.calls() {
        if !matches!(
            call.name,
            "setHeader" | "header" | "set" | "Set" | "Add" | "append" | "writeHead"
        ) || call.args.len() != 2
        {
            continue;
        }
        let Some(name) = names::string_key(cx, call.args[0]) else {
            continue;
        };
        note(call.node, name, call.args[1]);
    }
    // `response.headers["Access-Control-Allow-Origin"] = "*"`
    for &assignment in cx.nodes("assignment") {
        let (Some(left), Some(right)) = (
            assignment.child_by_field_name("left"),
            assignment.child_by_field_name("right"),
        ) else {
            continue;
        };
        if !matches!(cx.lang.shape_of(left), Shape::Subscript { .. }) {
            continue;
        }
        let Some(name) = names::key_name(cx, left) else {
            continue;
        };
        note(assignment, name, right);
    }
    for (scope, node) in wildcards {
        if with_credentials.contains(&scope) {
            out.report(
                cx,
                &META,
                node,
                "`Access-Control-Allow-Origin: *` is sent with `Access-Control-Allow-Credentials: true`: browsers reject it, and echoing the origin instead would let any website read the user's data",
                WILDCARD_HELP,
            );
        }
    }
}
