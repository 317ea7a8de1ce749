//! net/http, gin, echo and chi routes.
//!
//! Routes are registration calls on a router (`r.GET("/x", mw, h)`,
//! `e.POST("/x", h, mw)`, `r.Post("/x", h)`, `mux.HandleFunc("GET /x", h)`).
//! A router's prefix and middleware come from how it was made in this
//! file: `v1 := r.Group("/v1", auth)`, `g.Use(auth)`, chi's
//! `r.Route("/x", func(r chi.Router) {...})`, `r.Group(func(r chi.Router)
//! {...})` and `r.With(auth)`.

use super::{
    apply_scan, endpoint, function_name, is_auth_name, is_full_url, is_neutral_middleware,
    join_path, returns_collection, scan, status_code, string_value, HandlerFacts, Route,
};
use crate::context::{Call, FileContext};
use crate::lang::Shape;
use pab_core::Known;
use std::collections::HashMap;
use tree_sitter::Node;

/// Route registration methods per router library, with the method they
/// register (`None`: the method is the first argument or in the pattern).
const REGISTRATIONS: &[(&str, Option<&str>)] = &[
    ("GET", Some("GET")),
    ("POST", Some("POST")),
    ("PUT", Some("PUT")),
    ("PATCH", Some("PATCH")),
    ("DELETE", Some("DELETE")),
    ("HEAD", Some("HEAD")),
    ("OPTIONS", Some("OPTIONS")),
    ("Any", Some("ANY")),
    ("Get", Some("GET")),
    ("Post", Some("POST")),
    ("Put", Some("PUT")),
    ("Patch", Some("PATCH")),
    ("Delete", Some("DELETE")),
    ("Head", Some("HEAD")),
    ("Options", Some("OPTIONS")),
    ("HandleFunc", None),
    ("Handle", None),
    ("Method", None),
    ("MethodFunc", None),
    ("Add", None),
];

#[derive(Debug, Clone)]
struct Router {
    framework: &'static str,
    prefix: String,
    auth: Known,
    /// Made in this file from a constructor (or the default mux): its
    /// prefix is complete.
    rooted: bool,
}

pub(super) fn extract<'t>(cx: &FileContext<'t>, ix: &super::Index<'t>) -> Vec<Route<'t>> {
    let text = cx.file.text.as_str();
    let default_framework = if text.contains("gin-gonic/gin") {
        "gin"
    } else if text.contains("labstack/echo") {
        "echo"
    } else if text.contains("go-chi/chi") {
        "chi"
    } else if text.contains("gorilla/mux") {
        "gorilla"
    } else {
        "net/http"
    };
    let mut routes = Vec::new();
    let mut memo = Memo::new();
    for call in cx.calls() {
        let Some(&(_, fixed)) = REGISTRATIONS.iter().find(|(n, _)| *n == call.name) else {
            continue;
        };
        let Some(receiver) = call.receiver else {
            continue;
        };
        // `http.HandleFunc` and `http.Handle` register on the default mux;
        // any other registration-like name on the package is a client call
        // (`http.Post(url, contentType, body)`, `http.Get(url)`).
        let on_default_mux = cx.text(receiver) == "http";
        if on_default_mux && !matches!(call.name, "HandleFunc" | "Handle") {
            continue;
        }
        let (method, path_arg, rest) = match fixed {
            Some(m) => (m.to_string(), call.args.first(), call.args.get(1..)),
            None if matches!(call.name, "Method" | "MethodFunc" | "Add") => (
                call.args
                    .first()
                    .and_then(|a| string_value(cx, *a).or_else(|| method_const(cx, *a)))
                    .unwrap_or_default(),
                call.args.get(1),
                call.args.get(2..),
            ),
            None => (String::new(), call.args.first(), call.args.get(1..)),
        };
        let (Some(&path_arg), Some(rest)) = (path_arg, rest) else {
            continue;
        };
        let Some(pattern) = string_value(cx, path_arg).filter(|p| !is_full_url(p)) else {
            continue;
        };
        // Go 1.22 patterns: "GET /items/{id}", "POST example.com/x".
        let (method, path) = match pattern.split_once(' ') {
            Some((m, p)) if method.is_empty() && m.chars().all(|c| c.is_ascii_uppercase()) => {
                (m.to_string(), p.trim().to_string())
            }
            _ => (
                if method.is_empty() {
                    "ANY".to_string()
                } else {
                    method
                },
                pattern,
            ),
        };
        let Some(path) = path
            .find('/')
            .map(|at| path[at..].to_string())
            .filter(|_| !method.is_empty())
        else {
            continue;
        };
        let router = if on_default_mux {
            Some(Router {
                framework: "net/http",
                prefix: String::new(),
                auth: Known::No,
                rooted: true,
            })
        } else {
            router_of(cx, receiver, 0, &mut memo)
        };
        let Some(router) = router else { continue };
        // gorilla/mux: `r.HandleFunc("/x", h).Methods("GET", "POST")`.
        let methods: Vec<String> = if method == "ANY" {
            gorilla_methods(cx, call).unwrap_or_else(|| vec![method.clone()])
        } else {
            vec![method.clone()]
        };
        let framework = if router.framework.is_empty() {
            default_framework
        } else {
            router.framework
        };
        if rest.is_empty() {
            continue;
        }
        // gin: middleware before the handler; echo: after it; chi and
        // net/http: the handler alone (possibly wrapped).
        let (handler, middleware): (Node, Vec<Node>) = match framework {
            "echo" => (rest[0], rest[1..].to_vec()),
            _ => (rest[rest.len() - 1], rest[..rest.len() - 1].to_vec()),
        };
        let mut ep = endpoint(
            cx,
            framework,
            &method,
            &join_path(&router.prefix, &path),
            call.node,
        );
        ep.span = cx.file.span(
            call.node.start_byte(),
            path_arg.end_byte().max(call.callee.end_byte()),
        );
        ep.auth = router.auth;
        for m in middleware {
            apply_middleware(cx, m, &mut ep.auth);
        }
        // `mux.Handle("/x", requireAuth(h))`: a wrapper is middleware.
        let mut handler = handler;
        while handler.kind() == "call_expression" {
            let callee = handler
                .child_by_field_name("function")
                .map_or("", |f| cx.text(f));
            if matches!(callee, "http.HandlerFunc") {
                // A conversion, not a wrapper.
            } else {
                apply_middleware(cx, handler, &mut ep.auth);
            }
            let Some(inner) = handler
                .child_by_field_name("arguments")
                .and_then(|a| a.named_child((a.named_child_count() as u32).saturating_sub(1)))
            else {
                break;
            };
            handler = inner;
        }
        let facts = handler_facts(cx, ix, handler, &mut ep);
        let group = cx.text(receiver).to_string();
        for m in methods {
            let mut ep = ep.clone();
            ep.method = m;
            routes.push(Route {
                endpoint: ep,
                decl: call.callee,
                group: group.clone(),
                body: facts.clone(),
                rooted: router.rooted,
            });
        }
    }
    routes
}

/// The methods of a gorilla/mux route: the `.Methods(...)` call chained
/// on the registration.
fn gorilla_methods(cx: &FileContext, registration: &Call) -> Option<Vec<String>> {
    let member = registration
        .node
        .parent()
        .filter(|p| p.kind() == "selector_expression")?;
    let chained = super::call_at(cx, member.parent()?)?;
    if chained.name != "Methods" {
        return None;
    }
    let methods: Vec<String> = chained
        .args
        .iter()
        .filter_map(|a| string_value(cx, *a).or_else(|| method_const(cx, *a)))
        .map(|m| m.to_ascii_uppercase())
        .collect();
    (!methods.is_empty()).then_some(methods)
}

/// `http.MethodGet` -> `GET`.
fn method_const(cx: &FileContext, node: Node) -> Option<String> {
    let text = cx.text(node);
    text.rsplit('.')
        .next()
        .and_then(|m| m.strip_prefix("Method"))
        .map(str::to_ascii_uppercase)
}

fn apply_middleware(cx: &FileContext, node: Node, auth: &mut Known) {
    let text = cx.text(node);
    if is_auth_name(text) {
        *auth = Known::Yes;
    } else if *auth == Known::No && !is_neutral_middleware(text) {
        *auth = Known::Unknown;
    }
}

/// The prefix, framework and auth of the router an expression designates.
/// Routers already resolved, by (enclosing function, name): every route of
/// a group asks for the same one, and resolving walks the function's calls.
type Memo = HashMap<(usize, String), Option<Router>>;

fn router_of<'t>(
    cx: &FileContext<'t>,
    node: Node<'t>,
    depth: u32,
    memo: &mut Memo,
) -> Option<Router> {
    if depth > 8 {
        return None;
    }
    if cx.is_identifier(node) {
        let key = (enclosing_function(node).id(), cx.text(node).to_string());
        if let Some(known) = memo.get(&key) {
            return known.clone();
        }
        let found = resolve_router(cx, node, depth, memo);
        memo.insert(key, found.clone());
        return found;
    }
    resolve_router(cx, node, depth, memo)
}

fn resolve_router<'t>(
    cx: &FileContext<'t>,
    node: Node<'t>,
    depth: u32,
    memo: &mut Memo,
) -> Option<Router> {
    if node.kind() == "call_expression" {
        // `r.With(auth).Post(...)`
        let call = super::call_at(cx, node)?;
        if call.name != "With" {
            return None;
        }
        let mut router = router_of(cx, call.receiver?, depth + 1, memo)?;
        for a in &call.args {
            apply_middleware(cx, *a, &mut router.auth);
        }
        return Some(router);
    }
    if !cx.is_identifier(node) {
        // `s.router.GET(...)`: a router held in a field, made elsewhere.
        return Some(Router {
            framework: "",
            prefix: String::new(),
            auth: Known::Unknown,
            rooted: false,
        });
    }
    let name = cx.text(node);
    // A chi sub-router parameter: `r.Route("/x", func(r chi.Router) {...})`.
    let mut at = node.parent();
    while let Some(n) = at {
        if n.kind() == "func_literal" && declares_param(cx, n, name) {
            let call = n
                .parent()
                .and_then(|a| a.parent())
                .and_then(|c| super::call_at(cx, c))?;
            let mut router = router_of(cx, call.receiver?, depth + 1, memo)?;
            if call.name == "Route" {
                let path = call.args.first().and_then(|a| string_value(cx, *a))?;
                router.prefix = join_path(&router.prefix, &path);
            }
            use_calls(cx, n, name, &mut router.auth);
            return Some(router);
        }
        if matches!(n.kind(), "function_declaration" | "method_declaration") {
            break;
        }
        at = n.parent();
    }
    // A local: `v1 := r.Group("/v1", auth)`, `r := gin.Default()`.
    let scope = enclosing_function(node);
    let def = definition(cx, scope, name, node.start_byte());
    let mut router = match def {
        Some(call) => match call.name {
            "Group" if call.receiver.is_some() => {
                let mut parent = router_of(cx, call.receiver?, depth + 1, memo)?;
                let mut args = call.args.iter();
                if let Some(path) = call.args.first().and_then(|a| string_value(cx, *a)) {
                    parent.prefix = join_path(&parent.prefix, &path);
                    args.next();
                }
                for a in args {
                    apply_middleware(cx, *a, &mut parent.auth);
                }
                parent
            }
            "Default" | "New" | "NewRouter" | "NewServeMux" | "NewMux" => Router {
                framework: match call.receiver.map(|r| cx.text(r)) {
                    Some("gin") => "gin",
                    Some("echo") => "echo",
                    Some("chi") => "chi",
                    Some("mux") => "gorilla",
                    Some("http") => "net/http",
                    _ => "",
                },
                prefix: String::new(),
                auth: Known::No,
                rooted: true,
            },
            _ => return None,
        },
        // A parameter or a package-level router, made elsewhere: what
        // is visible is what this file adds (as for an Express router
        // imported from another module). The `api/*` rules compare
        // routes with their siblings, which share that blind spot.
        None => Router {
            framework: "",
            prefix: String::new(),
            auth: Known::No,
            rooted: false,
        },
    };
    use_calls(cx, scope, name, &mut router.auth);
    Some(router)
}

fn enclosing_function(node: Node<'_>) -> Node<'_> {
    let mut at = node;
    while let Some(p) = at.parent() {
        if matches!(
            p.kind(),
            "func_literal" | "function_declaration" | "method_declaration"
        ) {
            return p;
        }
        at = p;
    }
    at
}

fn declares_param<'t>(cx: &FileContext<'t>, func: Node<'t>, name: &str) -> bool {
    func.child_by_field_name("parameters").is_some_and(|ps| {
        let mut c = ps.walk();
        let found = ps.named_children(&mut c).any(|p| {
            p.child_by_field_name("name")
                .is_some_and(|n| cx.text(n) == name)
        });
        found
    })
}

/// The call that last assigned `name` in `scope` before `before`.
fn definition<'c, 't>(
    cx: &'c FileContext<'t>,
    scope: Node<'t>,
    name: &str,
    before: usize,
) -> Option<&'c Call<'t>> {
    super::calls_within(cx, scope)
        .iter()
        .filter(|c| c.node.start_byte() < before)
        .rfind(|c| {
            let Some(list) = c.node.parent().filter(|p| p.kind() == "expression_list") else {
                return false;
            };
            let Some(stmt) = list
                .parent()
                .filter(|s| matches!(s.kind(), "short_var_declaration" | "assignment_statement"))
            else {
                return false;
            };
            stmt.child_by_field_name("left")
                .and_then(|l| l.named_child(0))
                .is_some_and(|l| cx.text(l) == name)
        })
}

/// `name.Use(mw)` in `scope`.
fn use_calls<'t>(cx: &FileContext<'t>, scope: Node<'t>, name: &str, auth: &mut Known) {
    for call in super::calls_within(cx, scope) {
        if call.name == "Use"
            && call.receiver.is_some_and(|r| cx.text(r) == name)
            && enclosing_function(call.node).id() == scope.id()
        {
            for a in &call.args {
                apply_middleware(cx, *a, auth);
            }
        }
    }
}

fn handler_facts<'t>(
    cx: &FileContext<'t>,
    ix: &super::Index<'t>,
    handler: Node<'t>,
    ep: &mut pab_core::Endpoint,
) -> Option<HandlerFacts<'t>> {
    let func = if handler.kind() == "func_literal" {
        Some(handler)
    } else {
        // `listItems` or `h.listItems`: a function or method of this file.
        let name = match cx.lang.shape(handler.kind()) {
            Shape::Member { property, .. } => {
                handler.child_by_field_name(property).map(|p| cx.text(p))
            }
            Shape::Identifier => Some(cx.text(handler)),
            _ => None,
        };
        ep.handler = name.map(str::to_string);
        let name = name?;
        ix.function(name)
    }?;
    if ep.handler.is_none() {
        ep.handler = function_name(cx, func).map(str::to_string);
    }
    let s = scan(cx, ix, func, &|c| go_status(cx, c), &|n| body_read(cx, n));
    apply_scan(ep, &s);
    let mut facts = s.facts;
    let body_text = cx.text(func);
    for call in super::calls_within(cx, func) {
        if !matches!(
            call.name,
            "JSON" | "IndentedJSON" | "JSONPretty" | "Encode" | "XML" | "Render"
        ) {
            continue;
        }
        let status = go_status(cx, call);
        let Some(&payload) = call.args.last() else {
            continue;
        };
        let is_list = returns_collection(cx, payload, 0)
            || (cx.is_identifier(payload) && {
                let n = cx.text(payload);
                body_text.contains(&format!("var {n} []"))
                    || body_text.contains(&format!("{n} := []"))
                    || body_text.contains(&format!("{n} := make([]"))
            });
        if status.is_none_or(|s| s < 300) {
            if is_list {
                ep.returns_list = Known::Yes;
            }
            facts.body_responses.push(call.node);
        }
    }
    Some(facts)
}

/// `c.JSON(http.StatusCreated, x)`, `c.Status(204)`, `w.WriteHeader(...)`,
/// `http.Error(w, msg, http.StatusBadRequest)`, `c.NoContent(204)`.
fn go_status(cx: &FileContext, call: &Call) -> Option<u16> {
    let arg = match call.name {
        "JSON"
        | "IndentedJSON"
        | "JSONPretty"
        | "String"
        | "XML"
        | "Status"
        | "AbortWithStatus"
        | "AbortWithStatusJSON"
        | "NoContent"
        | "WriteHeader"
        | "Data"
        | "Blob"
        | "HTML" => call.args.first(),
        "Error" if call.receiver.is_some_and(|r| cx.text(r) == "http") => call.args.get(2),
        "Redirect" if call.receiver.is_some_and(|r| cx.text(r) == "http") => call.args.get(3),
        "Redirect" => call.args.first(),
        _ => None,
    }?;
    status_code(cx, *arg)
}

/// `r.Body`, `c.ShouldBindJSON(&x)`, `c.Bind(&x)`, `c.BodyParser(&x)`.
fn body_read(cx: &FileContext, node: Node) -> bool {
    match cx.lang.shape(node.kind()) {
        Shape::Member { object, property } => {
            node.child_by_field_name(property)
                .is_some_and(|p| cx.text(p) == "Body")
                && node
                    .child_by_field_name(object)
                    .is_some_and(|o| cx.is_identifier(o))
        }
        Shape::Call => node.child_by_field_name("function").is_some_and(|f| {
            let t = cx.text(f);
            let last = t.rsplit('.').next().unwrap_or(t);
            matches!(
                last,
                "ShouldBindJSON"
                    | "BindJSON"
                    | "ShouldBind"
                    | "Bind"
                    | "BodyParser"
                    | "ShouldBindWith"
            )
        }),
        _ => false,
    }
}
