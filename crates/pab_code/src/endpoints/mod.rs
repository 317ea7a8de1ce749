//! The endpoint model from code: every route a file declares (FastAPI,
//! Flask, Django; Express, Fastify, NestJS; net/http, gin, echo, chi), with
//! its method, full path (router prefixes and groups of the same file
//! resolved), handler, authentication, validation, pagination, statuses
//! and whether it returns a list. One file per framework family; this
//! module holds what they share: path normalization, the handler-body scan
//! and the name tables.
//!
//! Extraction only runs on files that mention a web framework
//! ([`mentions_framework`]), so a plain module costs one substring search.

mod go;
mod js;
mod python;

use crate::context::{Call, FileContext};
use crate::lang::{Lang, Shape};
use crate::literal;
use crate::names;
use pab_core::{Endpoint, EndpointOrigin, Known, Param, ParamLocation};
use std::collections::{HashMap, HashSet};
use tree_sitter::Node;

/// One route with what the `api/*` rules need beyond the public
/// [`Endpoint`]: the syntax nodes to report on and facts about its handler.
#[derive(Debug, Clone)]
pub struct Route<'t> {
    pub endpoint: Endpoint,
    /// The declaration (decorator, registration call).
    pub decl: Node<'t>,
    /// Routes registered on the same router, blueprint, group or
    /// controller share this key: "sibling" routes.
    pub group: String,
    /// The handler scan, when the handler's body is in this file.
    pub body: Option<HandlerFacts<'t>>,
    /// The path is complete: the route is on the application itself or on
    /// a router mounted in this file. A router made here and mounted from
    /// another file has a prefix this file does not know.
    pub rooted: bool,
}

/// What the handler's body shows.
#[derive(Debug, Clone, Default)]
pub struct HandlerFacts<'t> {
    /// Where the raw request body is read (`req.body`, `request.json`,
    /// `json.NewDecoder(r.Body)`), if it is.
    pub body_read: Option<Node<'t>>,
    /// The handler applies a fixed limit itself (`.limit(50)`, `[:100]`,
    /// `LIMIT` in SQL): the response is bounded even without parameters.
    pub bounded: bool,
    /// The handler creates something (`.create(`, `.save(`, `INSERT`).
    pub creates: bool,
    /// Error responses with a recognisable shape: the node and the shape
    /// (`{error}`, `{detail}`, `text`).
    pub error_shapes: Vec<(Node<'t>, String)>,
    /// The handler names a `Location` header (a create that says where).
    pub mentions_location: bool,
    /// Successful responses that carry a body (`res.json(x)`,
    /// `return {...}`), with their node.
    pub body_responses: Vec<Node<'t>>,
}

/// What route extraction looks up by name, indexed once per file (a
/// lookup per route would be quadratic on files with thousands of routes):
/// top-level functions and methods, and module-level list literals.
pub(crate) struct Index<'t> {
    functions: HashMap<&'t str, Node<'t>>,
    literal_lists: HashSet<&'t str>,
}

impl<'t> Index<'t> {
    fn new(cx: &FileContext<'t>) -> Index<'t> {
        let mut functions = HashMap::new();
        let mut literal_lists = HashSet::new();
        let mut cursor = cx.root.walk();
        for child in cx.root.named_children(&mut cursor) {
            let decl = match child.kind() {
                "export_statement" => child.child_by_field_name("declaration").unwrap_or(child),
                "decorated_definition" => child.child_by_field_name("definition").unwrap_or(child),
                "expression_statement" => child.named_child(0).unwrap_or(child),
                _ => child,
            };
            match decl.kind() {
                "function_declaration"
                | "function_definition"
                | "generator_function_declaration"
                | "method_declaration" => {
                    if let Some(name) = function_name(cx, decl) {
                        functions.entry(name).or_insert(decl);
                    }
                }
                "lexical_declaration" | "variable_declaration" => {
                    let mut c = decl.walk();
                    for d in decl.named_children(&mut c) {
                        let (Some(name), Some(value)) = (
                            d.child_by_field_name("name"),
                            d.child_by_field_name("value"),
                        ) else {
                            continue;
                        };
                        if cx.lang.shape(value.kind()) == Shape::Function {
                            functions.entry(cx.text(name)).or_insert(value);
                        } else if value.kind() == "array" {
                            literal_lists.insert(cx.text(name));
                        }
                    }
                }
                "assignment" => {
                    if let (Some(left), Some(right)) = (
                        decl.child_by_field_name("left"),
                        decl.child_by_field_name("right"),
                    ) {
                        if right.kind() == "list" && cx.is_identifier(left) {
                            literal_lists.insert(cx.text(left));
                        }
                    }
                }
                _ => {}
            }
        }
        Index {
            functions,
            literal_lists,
        }
    }

    /// A top-level function or method of this file by name.
    pub(crate) fn function(&self, name: &str) -> Option<Node<'t>> {
        self.functions.get(name).copied()
    }

    /// Whether `node` names a module-level list literal (`items = [...]`,
    /// `const items = [...]`): demo data, not a table.
    pub(crate) fn is_literal_list(&self, cx: &FileContext, node: Node) -> bool {
        cx.is_identifier(node) && self.literal_lists.contains(cx.text(node))
    }
}

/// The routes of a file, in file order. Empty when the file uses no web
/// framework we know.
pub fn extract<'t>(cx: &FileContext<'t>) -> Vec<Route<'t>> {
    // Routes declared by tests exercise a framework; they are not the
    // service's API, in the inventory or for the rules.
    if !cx.mentions_framework || names::is_test_path(&cx.file.path) {
        return Vec::new();
    }
    let ix = Index::new(cx);
    let mut routes = match cx.lang {
        Lang::Python => python::extract(cx, &ix),
        Lang::JavaScript | Lang::TypeScript | Lang::Tsx => js::extract(cx, &ix),
        Lang::Go => go::extract(cx, &ix),
    };
    // A full URL is where a client sends a request, never a route.
    routes.retain(|r| !is_full_url(&r.endpoint.path));
    routes.sort_by_key(|r| r.decl.start_byte());
    routes
}

/// Whether `path` is a full URL (`https://host/x`), which a route path
/// never is.
pub(crate) fn is_full_url(path: &str) -> bool {
    path.contains("://")
}

/// A cheap look at the text: does the file import a web framework at all?
pub fn mentions_framework(lang: Lang, text: &str) -> bool {
    let needles: &[&str] = match lang {
        Lang::Python => &["fastapi", "flask", "django", "rest_framework"],
        Lang::JavaScript | Lang::TypeScript | Lang::Tsx => {
            &["express", "fastify", "@nestjs/", "Router("]
        }
        Lang::Go => &[
            "net/http",
            "gin-gonic/gin",
            "labstack/echo",
            "go-chi/chi",
            "gorilla/mux",
        ],
    };
    needles.iter().any(|n| text.contains(n))
}

/// A new endpoint for `decl`, with the path normalized and its path
/// parameters listed.
pub(crate) fn endpoint(
    cx: &FileContext,
    framework: &'static str,
    method: &str,
    path: &str,
    decl: Node,
) -> Endpoint {
    let path = normalize_path(path);
    let params = path_params(&path)
        .into_iter()
        .map(|name| Param {
            name,
            location: ParamLocation::Path,
        })
        .collect();
    Endpoint {
        origin: EndpointOrigin::Code,
        framework,
        method: method.to_ascii_uppercase(),
        path,
        handler: None,
        file: cx.file.path.clone(),
        span: cx.file.span(decl.start_byte(), decl.end_byte()),
        auth: Known::Unknown,
        validation: Known::Unknown,
        returns_list: Known::Unknown,
        pagination: Vec::new(),
        params,
        statuses: Vec::new(),
    }
}

/// Joins a prefix and a path with exactly one `/` between them.
pub(crate) fn join_path(prefix: &str, path: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    let path = path.trim_start_matches('/');
    match (prefix.is_empty(), path.is_empty()) {
        (true, _) => format!("/{path}"),
        (false, true) => prefix.to_string(),
        (false, false) => format!("{prefix}/{path}"),
    }
}

/// Writes every framework's parameter syntax as `{name}`: `:id`, `:id?`,
/// `<int:id>`, `<id>`, `{id:[0-9]+}`, `{path...}`, `(?P<id>...)`; strips
/// regex anchors, and starts the path with `/`.
pub fn normalize_path(raw: &str) -> String {
    let raw = raw.trim().trim_start_matches('^').trim_end_matches('$');
    let mut out = String::with_capacity(raw.len() + 1);
    let chars: Vec<char> = raw.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let at_segment_start = i == 0 || chars[i - 1] == '/';
        if c == ':' && at_segment_start {
            // `:id`, `:id?`, `:id(\\d+)`
            let mut name = String::new();
            i += 1;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                name.push(chars[i]);
                i += 1;
            }
            while i < chars.len() && chars[i] != '/' {
                i += 1;
            }
            out.push_str(&format!("{{{name}}}"));
            continue;
        }
        if c == '<' {
            // `<int:id>`, `<id>`
            if let Some(len) = chars[i..].iter().position(|&c| c == '>') {
                let inner: String = chars[i + 1..i + len].iter().collect();
                let name = inner.rsplit(':').next().unwrap_or("");
                out.push_str(&format!("{{{name}}}"));
                i += len + 1;
                continue;
            }
        }
        if c == '(' && chars.get(i + 1) == Some(&'?') && chars.get(i + 2) == Some(&'P') {
            // `(?P<id>[0-9]+)`: the group's name, up to its closing paren.
            let close = matching(&chars, i);
            let inner: String = chars[i..close.min(chars.len())].iter().collect();
            let name = inner
                .split_once('<')
                .and_then(|(_, r)| r.split_once('>'))
                .map_or("", |(n, _)| n);
            out.push_str(&format!("{{{name}}}"));
            i = close + 1;
            continue;
        }
        if c == '{' {
            // `{id}`, `{id:[0-9]+}`, `{path...}`, `{id:int}`
            let close = matching(&chars, i);
            let inner: String = chars[i + 1..close.min(chars.len())].iter().collect();
            let name = inner
                .split(':')
                .next()
                .unwrap_or("")
                .trim_end_matches("...");
            out.push_str(&format!("{{{name}}}"));
            i = close + 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    if !out.starts_with('/') {
        out.insert(0, '/');
    }
    out
}

/// The index of the bracket that closes the one at `open` (or the end).
fn matching(chars: &[char], open: usize) -> usize {
    let (o, c) = match chars[open] {
        '(' => ('(', ')'),
        _ => ('{', '}'),
    };
    let mut depth = 0usize;
    for (j, &ch) in chars.iter().enumerate().skip(open) {
        if ch == o {
            depth += 1;
        } else if ch == c {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return j;
            }
        }
    }
    chars.len()
}

/// Parameter names of a normalized path.
pub fn path_params(path: &str) -> Vec<String> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The constant text of a string literal without interpolations.
pub(crate) fn string_value(cx: &FileContext, node: Node) -> Option<String> {
    let pieces = literal::pieces(cx.lang, node, &cx.file.text)?;
    if literal::has_holes(&pieces) {
        return None;
    }
    Some(literal::constant_text(&pieces, &cx.file.text))
}

/// Pagination and limit parameter names, compared after normalizing case
/// (`pageSize`, `page_size`, `per-page`).
const PAGINATION: &[&str] = &[
    "limit",
    "offset",
    "page",
    "cursor",
    "per_page",
    "page_size",
    "size",
    "skip",
    "take",
    "after",
    "before",
    "page_token",
    "next_token",
    "starting_after",
    "max_results",
];

/// `pageSize` -> `page_size` when it names a pagination parameter.
pub(crate) fn pagination_name(name: &str) -> Option<String> {
    let normalized = names::words(name).join("_");
    PAGINATION
        .contains(&normalized.as_str())
        .then_some(normalized)
}

/// Words that make a middleware, dependency or decorator an authentication
/// or authorization step.
const AUTH_WORDS: &[&str] = &[
    "auth",
    "authenticate",
    "authenticated",
    "authentication",
    "authorize",
    "authorized",
    "authorization",
    "authz",
    "authn",
    "jwt",
    "token",
    "login",
    "logged",
    "passport",
    "guard",
    "guards",
    "permission",
    "permissions",
    "admin",
    "role",
    "roles",
    "acl",
    "apikey",
    "bearer",
    "oauth",
    "oauth2",
    "protect",
    "protected",
    "user",
    // `get_current_customer`, `current_account`: FastAPI's convention for
    // the signed-in principal.
    "current",
    "principal",
    "identity",
    "claims",
    "superuser",
    "security",
    "credentials",
    "verify",
    "signed",
    "basicauth",
    "keyauth",
];

/// Whether a middleware or dependency name reads as an auth step
/// (`requireAuth`, `passport.authenticate`, `get_current_user`,
/// `jwtauth.Verifier`, `IsAuthenticated`).
pub(crate) fn is_auth_name(text: &str) -> bool {
    let head = text.split('(').next().unwrap_or(text);
    names::words(head).iter().any(|w| {
        AUTH_WORDS.contains(&w.as_str())
            || w.starts_with("auth")
            || w.ends_with("auth")
            || w == "isauthenticated"
    })
}

/// Names of validation steps (middleware or calls): celebrate, joi, zod,
/// express-validator, class-validator, ajv, marshmallow, pydantic.
pub(crate) fn is_validation_name(text: &str) -> bool {
    let head = text.split('(').next().unwrap_or(text);
    names::words(head).iter().any(|w| {
        matches!(
            w.as_str(),
            "validate"
                | "validator"
                | "validation"
                | "validated"
                | "celebrate"
                | "schema"
                | "joi"
                | "zod"
                | "ajv"
                | "sanitize"
                | "checkschema"
                | "valibot"
                | "yup"
        )
    })
}

/// Middleware that is neither auth nor validation and never rejects a
/// request: it does not make a route's auth unknown.
pub(crate) fn is_neutral_middleware(text: &str) -> bool {
    let head = text.split('(').next().unwrap_or(text).to_ascii_lowercase();
    let last = head.rsplit('.').next().unwrap_or(&head);
    matches!(
        last,
        "json"
            | "urlencoded"
            | "raw"
            | "text"
            | "cors"
            | "helmet"
            | "morgan"
            | "compression"
            | "cookieparser"
            | "bodyparser"
            | "logger"
            | "recover"
            | "recoverer"
            | "requestid"
            | "realip"
            | "static"
            | "timeout"
            | "gzip"
            | "nocache"
            | "ratelimit"
            | "ratelimiter"
            | "limiter"
            | "cache"
            | "etag"
            | "secure"
            | "csrf"
    )
}

/// Collected facts of a handler body, read by every framework family:
/// statuses, pagination names read, list returns, body reads and
/// validation calls. The caller decides what is a body read for its
/// framework through `body_read`.
pub(crate) struct Scan<'t> {
    pub facts: HandlerFacts<'t>,
    pub statuses: Vec<u16>,
    pub pagination: Vec<String>,
    pub returns_list: bool,
    pub validates: bool,
    /// The handler reads the authenticated user (`req.user`,
    /// `request.user`, `current_user`): something upstream authenticates.
    pub reads_user: bool,
}

/// Calls whose result is a collection of rows or documents.
const LIST_CALLS: &[&str] = &[
    "all",
    "fetchall",
    "findAll",
    "findMany",
    "find",
    "filter",
    "scalars",
    "list",
    "values_list",
    "select",
    "query",
];

/// Calls that create a resource.
const CREATE_CALLS: &[&str] = &[
    "create",
    "insert",
    "insertOne",
    "insertMany",
    "save",
    "add",
    "bulk_create",
    "persist",
    "Create",
    "Insert",
];

/// Calls that validate their input against a schema or model.
const VALIDATE_CALLS: &[&str] = &[
    "parse",
    "safeParse",
    "parseAsync",
    "safeParseAsync",
    "validate",
    "validateSync",
    "validateAsync",
    "validateOrReject",
    "is_valid",
    "model_validate",
    "parse_obj",
    "load",
    "validationResult",
    "Validate",
    "Struct",
    "ShouldBindJSON",
    "ShouldBind",
    "BindJSON",
    "ShouldBindWith",
    "ShouldBindBodyWith",
    "MustBindWith",
];

/// Scans a handler's body. `statuses_of` maps a call to the statuses it
/// sets (framework-specific), `body_read` says whether a node reads the
/// raw request body.
pub(crate) fn scan<'t>(
    cx: &FileContext<'t>,
    ix: &Index<'t>,
    handler: Node<'t>,
    status_of: &dyn Fn(&Call<'t>) -> Option<u16>,
    body_read: &dyn Fn(Node<'t>) -> bool,
) -> Scan<'t> {
    let mut s = Scan {
        facts: HandlerFacts::default(),
        statuses: Vec::new(),
        pagination: Vec::new(),
        returns_list: false,
        validates: false,
        reads_user: false,
    };
    for call in calls_within(cx, handler) {
        if let Some(code) = status_of(call) {
            s.statuses.push(code);
            if code >= 400 {
                if let Some(shape) = error_shape(cx, call) {
                    s.facts.error_shapes.push((call.node, shape));
                }
            }
        }
        if CREATE_CALLS.contains(&call.name) && call.receiver.is_some() {
            s.facts.creates = true;
        }
        if VALIDATE_CALLS.contains(&call.name)
            || (call.receiver.is_none() && is_validation_name(call.name))
        {
            s.validates = true;
        }
        // `.limit(50)`: a constant bound, not a client's parameter.
        if matches!(call.name, "limit" | "Limit" | "take" | "paginate" | "LIMIT")
            && call
                .args
                .first()
                .is_some_and(|a| cx.lang.shape(a.kind()) == Shape::Scalar)
        {
            s.facts.bounded = true;
        }
        if body_read(call.node) && s.facts.body_read.is_none() {
            s.facts.body_read = Some(call.node);
        }
    }
    // Node-level facts: member reads, strings, returns.
    let mut stack = vec![handler];
    let mut visited = 0usize;
    while let Some(node) = stack.pop() {
        visited += 1;
        if visited > 20_000 {
            break;
        }
        let kind = node.kind();
        match cx.lang.shape(kind) {
            Shape::Member { property, object } => {
                if let Some(p) = node.child_by_field_name(property) {
                    let name = cx.text(p);
                    let obj = node.child_by_field_name(object).map_or("", |o| cx.text(o));
                    if matches!(
                        name,
                        "user" | "current_user" | "User" | "userId" | "user_id"
                    ) && matches!(
                        obj,
                        "req" | "request" | "self.request" | "ctx" | "ctx.state"
                    ) {
                        s.reads_user = true;
                    }
                    if let Some(p) = pagination_name(name) {
                        if obj.ends_with("query")
                            || obj.ends_with("args")
                            || obj.ends_with("GET")
                            || obj.ends_with("query_params")
                        {
                            push_unique(&mut s.pagination, p);
                        }
                    }
                }
                if body_read(node) && s.facts.body_read.is_none() {
                    s.facts.body_read = Some(node);
                }
            }
            Shape::String => {
                // `request.args.get("limit")`, `c.Query("page")`,
                // `r.URL.Query().Get("cursor")`, `LIMIT` in SQL.
                if let Some(text) = string_value(cx, node) {
                    if let Some(p) = pagination_name(&text) {
                        if in_query_read(cx, node) {
                            push_unique(&mut s.pagination, p);
                        }
                    }
                    if text.eq_ignore_ascii_case("location") {
                        s.facts.mentions_location = true;
                    }
                    let upper = text.to_ascii_uppercase();
                    if upper.contains(" LIMIT ") {
                        s.facts.bounded = true;
                    }
                    if upper.trim_start().starts_with("INSERT ") {
                        s.facts.creates = true;
                    }
                }
                continue;
            }
            Shape::Identifier if matches!(cx.text(node), "current_user" | "currentUser") => {
                s.reads_user = true;
            }
            _ => {}
        }
        if matches!(kind, "return_statement") {
            if let Some(value) = node.named_child(0) {
                if returns_collection(cx, value, 0) {
                    s.returns_list = true;
                }
                // A list written out in the source has the size it has.
                if matches!(value.kind(), "list" | "array") || ix.is_literal_list(cx, value) {
                    s.facts.bounded = true;
                }
            }
        }
        if kind == "shorthand_property_identifier_pattern" {
            // `const { limit, page } = req.query`
            if let Some(p) = pagination_name(cx.text(node)) {
                if destructured_from_query(cx, node) {
                    push_unique(&mut s.pagination, p);
                }
            }
        }
        if kind == "slice" && cx.lang == Lang::Python {
            s.facts.bounded = true;
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            stack.push(child);
        }
    }
    s.statuses.sort_unstable();
    s.statuses.dedup();
    s
}

/// The resolved call of a call node, found by position: calls are in
/// pre-order, so sorted by start (a chain's calls share their start).
pub(crate) fn call_at<'c, 't>(cx: &'c FileContext<'t>, node: Node) -> Option<&'c Call<'t>> {
    let calls = cx.calls();
    let start = node.start_byte();
    let first = calls.partition_point(|c| c.node.start_byte() < start);
    calls[first..]
        .iter()
        .take_while(|c| c.node.start_byte() == start)
        .find(|c| c.node.id() == node.id())
}

/// The calls inside `node`, in order, by position.
pub(crate) fn calls_within<'c, 't>(cx: &'c FileContext<'t>, node: Node) -> &'c [Call<'t>] {
    let calls = cx.calls();
    let range = node.byte_range();
    let first = calls.partition_point(|c| c.node.start_byte() < range.start);
    let end = first + calls[first..].partition_point(|c| c.node.start_byte() < range.end);
    &calls[first..end]
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

/// Whether a string is the key of a query-string read: an argument of a
/// call like `args.get`, `query.get`, `c.Query`, `c.DefaultQuery`,
/// `QueryParam`, `Query().Get`, `query_params.get`.
fn in_query_read(cx: &FileContext, string: Node) -> bool {
    let Some(call) = string
        .parent()
        .filter(|p| matches!(p.kind(), "argument_list" | "arguments"))
        .and_then(|p| p.parent())
    else {
        return false;
    };
    let callee = call
        .child_by_field_name("function")
        .map_or("", |f| cx.text(f));
    let lower = callee.to_ascii_lowercase();
    lower.contains("query")
        || lower.contains("args.get")
        || lower.contains("get.get")
        || lower.contains("formvalue")
}

fn destructured_from_query(cx: &FileContext, node: Node) -> bool {
    let mut at = node;
    for _ in 0..3 {
        let Some(p) = at.parent() else { return false };
        if p.kind() == "variable_declarator" {
            return p
                .child_by_field_name("value")
                .is_some_and(|v| cx.text(v).contains("query"));
        }
        at = p;
    }
    false
}

/// Whether an expression evaluates to a list: a list or array literal, a
/// comprehension, `x.map(...)`, a query call that returns rows
/// (`.all()`, `.findMany()`), or a local assigned from one of those.
pub(crate) fn returns_collection<'t>(cx: &FileContext<'t>, node: Node<'t>, depth: u32) -> bool {
    if depth > 3 {
        return false;
    }
    let kind = node.kind();
    if matches!(
        kind,
        "list" | "list_comprehension" | "array" | "generator_expression"
    ) {
        return true;
    }
    if kind == "composite_literal" {
        return node
            .child_by_field_name("type")
            .is_some_and(|t| t.kind() == "slice_type");
    }
    match cx.lang.shape(kind) {
        Shape::Transparent => node
            .named_child(0)
            .is_some_and(|c| returns_collection(cx, c, depth + 1)),
        Shape::Call => {
            let Some(callee) = node
                .child_by_field_name("function")
                .or_else(|| node.child_by_field_name("constructor"))
            else {
                return false;
            };
            let name = match cx.lang.shape(callee.kind()) {
                Shape::Member { property, .. } => callee
                    .child_by_field_name(property)
                    .map_or("", |p| cx.text(p)),
                _ => cx.text(callee),
            };
            if matches!(name, "map" | "filter" | "list" | "sorted") {
                return true;
            }
            // `jsonify([...])`, `JSONResponse(rows)`: the payload decides.
            if matches!(name, "jsonify" | "JSONResponse" | "Response" | "json") {
                return node
                    .child_by_field_name("arguments")
                    .and_then(|a| a.named_child(0))
                    .is_some_and(|a| returns_collection(cx, a, depth + 1));
            }
            // A query chain: look at its last call (`.all()`), then the
            // first (`find(...)` without `.limit`).
            LIST_CALLS.contains(&name) && !matches!(name, "query" | "select" | "find" | "filter")
                || (matches!(name, "findAll" | "findMany" | "fetchall"))
        }
        Shape::Identifier => cx
            .flow
            .single_definition(node)
            .is_some_and(|d| d.id() != node.id() && returns_collection(cx, d, depth + 1)),
        _ => false,
    }
}

/// The shape of an error response: the keys of the object literal it
/// sends (`{error}`, `{code,message}`), or `text` for a plain string.
fn error_shape(cx: &FileContext, call: &Call) -> Option<String> {
    // The payload is the status call's own object argument, or that of the
    // call chained on it (`res.status(400).json({...})`).
    let mut candidates: Vec<Node> = call.args.clone();
    candidates.extend(
        call.keywords
            .iter()
            .filter(|(k, _)| matches!(*k, "content" | "detail"))
            .map(|(_, v)| *v),
    );
    if let Some(parent_call) = call
        .node
        .parent()
        .filter(|p| matches!(cx.lang.shape(p.kind()), Shape::Member { .. }))
        .and_then(|m| m.parent())
        .filter(|c| cx.lang.shape(c.kind()) == Shape::Call)
    {
        if let Some(args) = parent_call.child_by_field_name("arguments") {
            let mut cursor = args.walk();
            candidates.extend(args.named_children(&mut cursor));
        }
    }
    if call.keyword("detail").is_some() {
        return Some("{detail}".into());
    }
    for arg in candidates {
        if let Some(keys) = object_keys(cx, arg) {
            return Some(format!("{{{}}}", keys.join(",")));
        }
    }
    None
}

/// Top-level keys of a dict / object / `gin.H{...}` / `map[string]any{...}`
/// literal, sorted.
pub(crate) fn object_keys(cx: &FileContext, node: Node) -> Option<Vec<String>> {
    let body = match node.kind() {
        "dictionary" | "object" => node,
        "composite_literal" => node.child_by_field_name("body")?,
        _ => return None,
    };
    let mut keys = Vec::new();
    let mut cursor = body.walk();
    for child in body.named_children(&mut cursor) {
        let key = match child.kind() {
            "pair" => child.child_by_field_name("key"),
            "shorthand_property_identifier" => Some(child),
            "keyed_element" => child.named_child(0),
            "comment" => continue,
            _ => return None,
        }?;
        let key = if key.kind() == "literal_element" {
            key.named_child(0)?
        } else {
            key
        };
        let text = string_value(cx, key).unwrap_or_else(|| cx.text(key).to_string());
        keys.push(text);
    }
    if keys.is_empty() {
        return None;
    }
    keys.sort();
    Some(keys)
}

/// A status code from an expression: `201`, `status.HTTP_201_CREATED`,
/// `http.StatusCreated`, `HttpStatus.CREATED`, `HTTPStatus.CREATED`.
pub(crate) fn status_code(cx: &FileContext, node: Node) -> Option<u16> {
    let text = cx.text(node).trim();
    if let Ok(code) = text.parse::<u16>() {
        return (100..600).contains(&code).then_some(code);
    }
    let last = text.rsplit('.').next().unwrap_or(text);
    if let Some(rest) = last.strip_prefix("HTTP_") {
        return rest.get(..3).and_then(|d| d.parse().ok());
    }
    let name = last.strip_prefix("Status").unwrap_or(last);
    let key: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    STATUS_NAMES
        .iter()
        .find(|(n, _)| *n == key)
        .map(|&(_, c)| c)
}

/// Status names as Go (`StatusNotFound`), NestJS (`NOT_FOUND`) and Python
/// (`HTTPStatus.NOT_FOUND`) spell them, lower-cased without separators.
const STATUS_NAMES: &[(&str, u16)] = &[
    ("ok", 200),
    ("created", 201),
    ("accepted", 202),
    ("nocontent", 204),
    ("movedpermanently", 301),
    ("found", 302),
    ("seeother", 303),
    ("notmodified", 304),
    ("temporaryredirect", 307),
    ("badrequest", 400),
    ("unauthorized", 401),
    ("forbidden", 403),
    ("notfound", 404),
    ("methodnotallowed", 405),
    ("conflict", 409),
    ("gone", 410),
    ("unprocessableentity", 422),
    ("toomanyrequests", 429),
    ("internalservererror", 500),
    ("notimplemented", 501),
    ("badgateway", 502),
    ("serviceunavailable", 503),
];

/// The name of a function node (`def name`, `function name`, `func Name`,
/// a method), for the handler column.
pub(crate) fn function_name<'t>(cx: &FileContext<'t>, func: Node<'t>) -> Option<&'t str> {
    func.child_by_field_name("name").map(|n| cx.text(n))
}

/// The function a handler expression designates in this file: an inline
/// function, or a named one declared at the top level.
pub(crate) fn resolve_handler<'t>(
    cx: &FileContext<'t>,
    ix: &Index<'t>,
    expr: Node<'t>,
) -> Option<Node<'t>> {
    if cx.lang.shape(expr.kind()) == Shape::Function {
        return Some(expr);
    }
    if !cx.is_identifier(expr) {
        return None;
    }
    ix.function(cx.text(expr))
}

/// Fills the endpoint from a scan.
pub(crate) fn apply_scan(endpoint: &mut Endpoint, scan: &Scan) {
    for s in &scan.statuses {
        if !endpoint.statuses.contains(s) {
            endpoint.statuses.push(*s);
        }
    }
    endpoint.statuses.sort_unstable();
    for p in &scan.pagination {
        if !endpoint.pagination.contains(p) {
            endpoint.pagination.push(p.clone());
        }
    }
    if scan.returns_list {
        endpoint.returns_list = Known::Yes;
    }
    if endpoint.validation == Known::Unknown {
        if scan.validates {
            endpoint.validation = Known::Yes;
        } else if scan.facts.body_read.is_some() {
            endpoint.validation = Known::No;
        }
    }
    if scan.facts.body_read.is_some()
        && !endpoint
            .params
            .iter()
            .any(|p| p.location == ParamLocation::Body)
    {
        endpoint.params.push(Param {
            name: "body".into(),
            location: ParamLocation::Body,
        });
    }
    for p in &scan.pagination {
        if !endpoint
            .params
            .iter()
            .any(|q| pagination_name(&q.name).as_ref() == Some(p))
        {
            endpoint.params.push(Param {
                name: p.clone(),
                location: ParamLocation::Query,
            });
        }
    }
    if endpoint.auth == Known::No && scan.reads_user {
        // Something upstream put a user on the request.
        endpoint.auth = Known::Unknown;
    }
}

/// Routers this file mounts from other modules (FastAPI `include_router`
/// of an imported router, Express/Fastify `app.use('/api', imported)`),
/// for the engine to prefix the mounted file's routes.
pub fn mounts(cx: &FileContext) -> Vec<pab_core::Mount> {
    if !cx.mentions_framework || names::is_test_path(&cx.file.path) {
        return Vec::new();
    }
    match cx.lang {
        Lang::Python => python::mounts(cx),
        Lang::JavaScript | Lang::TypeScript | Lang::Tsx => js::mounts(cx),
        Lang::Go => Vec::new(),
    }
}

/// The directory of a display path, with `/` separators (empty for a
/// file in the working directory).
pub(crate) fn dir_of(path: &str) -> String {
    let path = path.replace('\\', "/");
    match path.rfind('/') {
        Some(at) => path[..at].to_string(),
        None => String::new(),
    }
}

/// `dir` joined with a relative path, `.` and `..` resolved (a `..` above
/// the start is kept, as the display path would have it).
pub(crate) fn resolve_relative(dir: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = dir
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalized() {
        assert_eq!(normalize_path("/users/:id"), "/users/{id}");
        assert_eq!(normalize_path("/users/:id?/x"), "/users/{id}/x");
        assert_eq!(normalize_path("/users/<int:user_id>"), "/users/{user_id}");
        assert_eq!(normalize_path("users/<slug>/"), "/users/{slug}/");
        assert_eq!(normalize_path("/items/{id:[0-9]+}"), "/items/{id}");
        assert_eq!(normalize_path("/files/{path...}"), "/files/{path}");
        assert_eq!(
            normalize_path("^articles/(?P<year>[0-9]{4})/$"),
            "/articles/{year}/"
        );
        assert_eq!(normalize_path(""), "/");
        assert_eq!(join_path("/api/", "/users"), "/api/users");
        assert_eq!(join_path("", "users"), "/users");
        assert_eq!(join_path("/api", "/"), "/api");
        assert_eq!(
            resolve_relative("web/src", "./routes/users"),
            "web/src/routes/users"
        );
        assert_eq!(resolve_relative("a/b", "../c"), "a/c");
        assert_eq!(resolve_relative("", "./x"), "x");
        assert_eq!(resolve_relative("", "../x"), "../x");
        assert_eq!(dir_of("a/b/c.py"), "a/b");
        assert_eq!(dir_of("c.py"), "");
    }

    #[test]
    fn auth_and_pagination_names() {
        for yes in [
            "requireAuth",
            "passport.authenticate('jwt')",
            "get_current_user",
            "IsAuthenticated",
            "jwtauth.Verifier",
            "AuthGuard('jwt')",
            "login_required",
            "authMiddleware",
        ] {
            assert!(is_auth_name(yes), "{yes}");
        }
        for no in [
            "get_db",
            "express.json()",
            "cors()",
            "rateLimit",
            "upload.single",
        ] {
            assert!(!is_auth_name(no), "{no}");
        }
        assert_eq!(pagination_name("pageSize").as_deref(), Some("page_size"));
        assert_eq!(pagination_name("per_page").as_deref(), Some("per_page"));
        assert_eq!(pagination_name("name"), None);
    }
}
