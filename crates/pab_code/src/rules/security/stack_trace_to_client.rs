//! Stack traces and raw exception text sent back in HTTP responses.

use crate::context::FileContext;
use crate::lang::Shape;
use crate::rule::{CodeRule, Reporter, ALL_LANGUAGES};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use tree_sitter::Node;

pub struct StackTraceToClient;

static META: RuleMeta = RuleMeta {
    id: "security/stack-trace-to-client",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Python,
    default_enabled: true,
    summary: "A stack trace, or the text of an unexpected exception, is sent back to the client.",
    docs: RuleDocs {
        what: "Reports, in Python: `traceback.format_exc()` / `format_exception` / `format_tb` / `format_stack`, and `str(e)` / `repr(e)` / `f\"{e}\"` of an exception caught by a broad `except Exception as e` (or `BaseException`), passed to a response (`jsonify`, `JsonResponse`, `JSONResponse`, `Response`, `HttpResponse`, `make_response`, `PlainTextResponse`, `HTTPException(detail=...)`, `abort`) or returned from a route handler (`@app.get`, `@bp.route`...); in JavaScript and TypeScript: `err.stack` passed to `res.send/json/end/write` (also `reply.send`, `response.*`) or assigned to `ctx.body`; in Go: `debug.Stack()` written to the response (`w.Write`, `fmt.Fprint*(w, ...)`, `http.Error`, gin/echo `c.String/JSON/Data`). Traces sent only under a debug condition (`if settings.DEBUG:`, `trace if DEBUG else \"error\"`) are not reported. The message of a specific exception (`except ValueError as e: ... detail=str(e)`) is deliberate and not reported; neither is Go's `http.Error(w, err.Error(), 500)`, which is very common and only sometimes leaks (a precise rule would need to know the error's origin). Severity warning: the leak helps an attacker map the system, it does not breach it by itself.",
        why: "A traceback shows file paths, library versions, code lines and sometimes local values; an unexpected exception's text carries SQL statements, hostnames, internal ids or credentials in connection strings. It tells an attacker what to try next, and leaks data the user should not see.",
        lock: "",
        bad: "@app.post(\"/orders\")\ndef create_order():\n    try:\n        return place(request.json)\n    except Exception:\n        return jsonify(error=traceback.format_exc()), 500",
        good: "@app.post(\"/orders\")\ndef create_order():\n    try:\n        return place(request.json)\n    except Exception:\n        log.exception(\"order failed\")\n        return jsonify(error=\"internal error\"), 500",
        fix: "Log the exception with its trace on the server (`logger.exception`, `console.error(err)`, `log.Printf(\"%+v\", err)`) and answer with a generic message and a correlation id the user can quote; send specific messages only for errors you raise on purpose for the client.",
    },
};

/// Python calls whose arguments become the HTTP response.
const PY_RESPONSES: &[&str] = &[
    "jsonify",
    "JsonResponse",
    "JSONResponse",
    "Response",
    "HttpResponse",
    "make_response",
    "PlainTextResponse",
    "HTMLResponse",
    "HTTPException",
    "abort",
    "HttpResponseServerError",
    "ORJSONResponse",
    "UJSONResponse",
];

const PY_TRACE_FUNCTIONS: &[&str] = &[
    "format_exc",
    "format_exception",
    "format_tb",
    "format_stack",
];

/// Response methods in JavaScript (on `res`, `reply`, `response`) and Go
/// (on a gin/echo context or the `ResponseWriter`).
const JS_SENDS: &[&str] = &["send", "json", "end", "write", "jsonp"];
const JS_RESPONSE_NAMES: &[&str] = &["res", "response", "reply", "resp"];
const GO_SENDS: &[&str] = &[
    "Write",
    "WriteString",
    "String",
    "JSON",
    "Data",
    "Fprint",
    "Fprintf",
    "Fprintln",
    "Error",
    "AbortWithStatusJSON",
    "IndentedJSON",
    "HTML",
    "Blob",
];

impl CodeRule for StackTraceToClient {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn languages(&self) -> &'static [Language] {
        ALL_LANGUAGES
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["interpolation", "member_expression"]
    }

    fn required_text(&self, language: Language) -> &'static [&'static [&'static str]] {
        let _ = language;
        // A broad `except Exception`, a `traceback.format_*` call, a
        // JavaScript `err.stack` or Go's `debug.Stack()`.
        &[&["exception", "format_", "stack"]]
    }

    fn check(&self, cx: &FileContext, out: &mut Reporter) {
        let mut leaks: Vec<(Node, &str)> = Vec::new();
        match cx.lang.language() {
            Language::Python => {
                for call in cx.calls() {
                    let receiver = call.receiver.map(|r| cx.text(r));
                    if receiver == Some("traceback") && PY_TRACE_FUNCTIONS.contains(&call.name) {
                        leaks.push((call.node, "a stack trace"));
                    } else if receiver.is_none()
                        && matches!(call.name, "str" | "repr")
                        && call.args.len() == 1
                        && broad_exception(cx, call.args[0])
                    {
                        leaks.push((call.node, "an unexpected exception's text"));
                    }
                }
                for &hole in cx.nodes("interpolation") {
                    if hole.named_child(0).is_some_and(|e| broad_exception(cx, e)) {
                        leaks.push((hole, "an unexpected exception's text"));
                    }
                }
            }
            Language::JavaScript | Language::TypeScript => {
                for &member in cx.nodes("member_expression") {
                    let stack = member
                        .child_by_field_name("property")
                        .is_some_and(|p| cx.text(p) == "stack");
                    // `err.stack`, `e.stack`, `error.stack`: not a call's
                    // `.stack` property of something else.
                    let on_name = member
                        .child_by_field_name("object")
                        .is_some_and(|o| cx.is_identifier(o));
                    if stack && on_name {
                        leaks.push((member, "a stack trace"));
                    }
                }
            }
            Language::Go => {
                for call in cx.calls() {
                    if call.receiver.map(|r| cx.text(r)) == Some("debug") && call.name == "Stack" {
                        leaks.push((call.node, "a stack trace"));
                    }
                }
            }
            _ => {}
        }
        for (node, what) in leaks {
            if let Some(sink) = response_sink(cx, node) {
                out.report(
                    cx,
                    &META,
                    node,
                    format!("{what} (`{}`) is sent to the client through `{sink}`: it shows paths, code and internals to whoever triggers the error", cx.node_snippet(node)),
                    "Log the error with its trace on the server and answer with a generic message (and a correlation id).",
                );
            }
        }
    }
}

/// Whether `node` is the name bound by a broad `except Exception as e`
/// clause around it.
fn broad_exception<'t>(cx: &FileContext<'t>, node: Node<'t>) -> bool {
    if !cx.is_identifier(node) {
        return false;
    }
    let name = cx.text(node);
    let mut at = node.parent();
    while let Some(n) = at {
        if cx.lang.shape_of(n) == Shape::Function {
            return false;
        }
        if n.kind() == "except_clause" {
            let Some(pattern) = n.named_child(0).filter(|p| p.kind() == "as_pattern") else {
                return false;
            };
            let ty = pattern.named_child(0).map(|t| cx.text(t)).unwrap_or("");
            let alias = pattern
                .child_by_field_name("alias")
                .map(|a| cx.text(a))
                .unwrap_or("");
            return alias == name && matches!(ty, "Exception" | "BaseException");
        }
        at = n.parent();
    }
    false
}

/// The response call (or handler return) that `node`'s value reaches,
/// walking up through the expressions that carry it.
fn response_sink<'t>(cx: &FileContext<'t>, node: Node<'t>) -> Option<String> {
    if debug_only(cx, node) {
        return None;
    }
    let mut at = node;
    for _ in 0..24 {
        let parent = at.parent()?;
        let shape = cx.lang.shape_of(parent);
        match shape {
            Shape::Call if matches!(at.kind(), "arguments" | "argument_list") => {
                if let Some(sink) = sink_call(cx, parent, at) {
                    return Some(sink);
                }
                // Only conversions carry the text on.
                let callee = parent.child_by_field_name("function").map(|f| cx.text(f));
                if !matches!(
                    callee,
                    Some("str" | "string" | "String" | "dict" | "JSON.stringify" | "[]byte")
                ) {
                    return None;
                }
            }
            Shape::Function => return None,
            _ => {}
        }
        match parent.kind() {
            "return_statement" => {
                let func = enclosing_function(cx, parent)?;
                return (cx.lang.language() == Language::Python && cx.flow.is_route_handler(func))
                    .then(|| "the handler's return value".to_string());
            }
            "assignment_expression" if cx.lang.language() != Language::Python => {
                let left = parent.child_by_field_name("left").map(|l| cx.text(l));
                return matches!(left, Some("ctx.body" | "this.body")).then(|| "ctx.body".into());
            }
            "expression_statement"
            | "block"
            | "statement_block"
            | "if_statement"
            | "assignment"
            | "lexical_declaration"
            | "short_var_declaration" => return None,
            _ => {}
        }
        at = parent;
    }
    None
}

/// The sink's name when `call` sends its argument `arg` to the client.
fn sink_call<'t>(cx: &FileContext<'t>, call: Node<'t>, arg: Node<'t>) -> Option<String> {
    if !matches!(
        arg.kind(),
        "arguments" | "argument_list" | "keyword_argument"
    ) {
        return None;
    }
    let callee = call.child_by_field_name("function")?;
    let (receiver, name) = match cx.lang.shape_of(callee) {
        Shape::Member { object, property } => (
            callee.child_by_field_name(object).map(|o| cx.text(o)),
            cx.text(callee.child_by_field_name(property)?),
        ),
        Shape::Identifier => (None, cx.text(callee)),
        _ => return None,
    };
    let root = receiver.map(|r| r.split(['.', '(']).next().unwrap_or(r));
    let sends = match cx.lang.language() {
        Language::Python => PY_RESPONSES.contains(&name),
        Language::JavaScript | Language::TypeScript => {
            JS_SENDS.contains(&name) && root.is_some_and(|r| JS_RESPONSE_NAMES.contains(&r))
        }
        Language::Go => {
            GO_SENDS.contains(&name)
                && match receiver {
                    Some("fmt") => call
                        .child_by_field_name("arguments")
                        .and_then(|a| a.named_child(0))
                        .is_some_and(|w| matches!(cx.text(w), "w" | "rw" | "writer")),
                    Some("http") => name == "Error",
                    Some(r) => matches!(r, "w" | "rw" | "writer" | "c" | "ctx"),
                    None => false,
                }
        }
        _ => false,
    };
    sends.then(|| cx.node_snippet(callee))
}

/// Whether `node` is only evaluated in debug mode: in the branch of a
/// condition (`if settings.DEBUG:`, `x if DEBUG else y`, `isDev ? a : b`)
/// that names debug or development and is taken when it holds (the `else`
/// branch of `if not DEBUG`).
fn debug_only(cx: &FileContext, node: Node) -> bool {
    let mut child = node;
    let mut at = node.parent();
    while let Some(n) = at {
        if cx.lang.shape_of(n) == Shape::Function {
            return false;
        }
        let (condition, when_true, when_false) = match n.kind() {
            "if_statement" | "ternary_expression" => (
                n.child_by_field_name("condition"),
                n.child_by_field_name("consequence"),
                n.child_by_field_name("alternative"),
            ),
            // Python: `a if c else b`.
            "conditional_expression" => (n.named_child(1), n.named_child(0), n.named_child(2)),
            _ => (None, None, None),
        };
        if let Some(c) = condition {
            let text = cx.text(c).to_ascii_lowercase();
            if ["debug", "development", "isdev", "dev_mode", "devmode"]
                .iter()
                .any(|w| text.contains(w))
            {
                let text = text.trim_start_matches('(');
                let negated = text.starts_with("not ") || text.starts_with('!');
                let branch = if negated { when_false } else { when_true };
                if branch.is_some_and(|b| b.id() == child.id()) {
                    return true;
                }
            }
        }
        child = n;
        at = n.parent();
    }
    false
}

fn enclosing_function<'t>(cx: &FileContext<'t>, node: Node<'t>) -> Option<Node<'t>> {
    let mut at = node.parent();
    while let Some(n) = at {
        if cx.lang.shape_of(n) == Shape::Function {
            return Some(n);
        }
        at = n.parent();
    }
    None
}
