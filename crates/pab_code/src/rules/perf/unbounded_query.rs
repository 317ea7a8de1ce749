//! List endpoints that return a whole table.

use crate::context::{Call, FileContext};
use crate::rule::{CodeRule, Reporter, ALL_LANGUAGES};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use std::collections::HashSet;
use tree_sitter::Node;

pub struct UnboundedQuery;

static META: RuleMeta = RuleMeta {
    id: "perf/unbounded-query",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Python,
    default_enabled: true,
    summary: "A request handler returns every row of a table: no filter, no limit, no pagination.",
    docs: RuleDocs {
        what: "Reports a query that reads a whole table with no filter, limit or pagination, inside an HTTP request handler, whose result is what the handler returns or renders. Queries: Django `Model.objects.all()` (and `order_by`/`values`/`select_related` chains on it), SQLAlchemy `session.query(Model).all()` and `session.scalars(select(Model)).all()`, Flask-SQLAlchemy `Model.query.all()`; Prisma `findMany()` without `where`/`take`/`cursor`, Sequelize `findAll()` without `where`/`limit`, Mongoose and TypeORM `find()` / `find({})` without `where`/`take`/`.limit()`; gorm `db.Find(&rows)` without `Where`/`Limit`/`Scopes` or inline conditions. Handlers: FastAPI/Flask route decorators (`@app.get`, `@router.get`, `@bp.route`, `@api_view`), Django function views (first parameter `request`), Express/Fastify/Koa route callbacks (`app.get('/path', ...)`), NestJS `@Get()` methods, and Go functions taking `*gin.Context`, `echo.Context`, `*fiber.Ctx` or `http.ResponseWriter`. Slicing (`[:50]`) or any filter, limit or pagination in the chain passes. Python, JavaScript, TypeScript and Go. Test code (`tests/`, `test_*.py`, `*_test.go`, `*.spec.ts`...) is not checked.",
        why: "A list endpoint that returns the whole table is fast with 100 rows and an outage with 10 million: each request loads every row into memory, serialises it, and ships megabytes to the client, so latency, memory and database load grow with the table, and a single client (or crawler) paging through nothing can take the service down.",
        lock: "",
        bad: "@app.get(\"/orders\")\ndef list_orders(db: Session = Depends(get_db)):\n    return db.query(Order).all()",
        good: "@app.get(\"/orders\")\ndef list_orders(limit: int = 50, offset: int = 0, db: Session = Depends(get_db)):\n    return db.query(Order).order_by(Order.id).offset(offset).limit(min(limit, 200)).all()",
        fix: "Paginate: take a page size (capped) and a cursor or offset from the request and apply them in the query (`.limit()`/`.offset()`, Django `Paginator` or slicing, DRF pagination classes, Prisma `take`/`cursor`, Sequelize `limit`/`offset`, gorm `Limit`/`Offset` or a `Scopes(Paginate(...))`). Prefer keyset pagination (`WHERE id > :last ORDER BY id LIMIT :n`) for large tables, and return the next cursor with the page.",
    },
};

/// Words in a query chain that bound or filter it.
const BOUNDING: &[&str] = &[
    "filter",
    "where",
    "Where",
    "limit",
    "Limit",
    "offset",
    "Offset",
    "paginate",
    "Paginate",
    "exclude",
    "first",
    "First",
    "get(",
    "slice",
    "take",
    "skip",
    "cursor",
    "Scopes",
    "page",
    "Page",
    "Raw",
    "Not(",
    "Or(",
    "Take",
    "count",
    "Count",
    "exists",
    "aggregate",
    "[",
];

/// Keys of a JavaScript query object that bound or filter it.
const BOUNDING_KEYS: &[&str] = &["where", "take", "skip", "cursor", "limit", "offset"];

/// Calls that send their arguments as the response.
const PY_RESPONSES: &[&str] = &[
    "jsonify",
    "JsonResponse",
    "Response",
    "render",
    "render_template",
    "TemplateResponse",
    "JSONResponse",
    "ORJSONResponse",
];
const JS_RESPONSES: &[&str] = &["json", "send", "jsonp", "render"];
const GO_RESPONSES: &[&str] = &[
    "JSON",
    "IndentedJSON",
    "PureJSON",
    "SecureJSON",
    "JSONP",
    "XML",
    "YAML",
    "Encode",
    "Marshal",
    "JSONPretty",
    "HTML",
    "Render",
];
const PY_ROUTE_DECORATORS: &[&str] = &["get", "route", "api_route", "api_view"];
const GO_HANDLER_TYPES: &[&str] = &[
    "*gin.Context",
    "echo.Context",
    "*fiber.Ctx",
    "fiber.Ctx",
    "http.ResponseWriter",
];

impl CodeRule for UnboundedQuery {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn languages(&self) -> &'static [Language] {
        ALL_LANGUAGES
    }

    fn required_text(&self, language: Language) -> &'static [&'static [&'static str]] {
        match language {
            // `.all()` in a route handler (a route decorator or a Django
            // view's `request` parameter).
            Language::Python => &[&["all"], &["get", "route", "api_view", "request"]],
            Language::JavaScript | Language::TypeScript => &[&["find"]],
            _ => &[&["Find"], &["gorm"]],
        }
    }

    fn checks_test_code(&self) -> bool {
        false
    }

    fn check(&self, cx: &FileContext, out: &mut Reporter) {
        if crate::names::is_test_path(&cx.file.path) {
            return;
        }
        let mut reported = HashSet::new();
        for call in cx.calls() {
            if !unbounded(cx, call) {
                continue;
            }
            let chain = cx.chain_top(call.node);
            if bounded_text(cx.text(chain)) || !reported.insert(chain.id()) {
                continue;
            }
            // `Model.objects.all()[:50]`
            if chain
                .parent()
                .is_some_and(|p| p.kind() == "subscript" || p.kind() == "slice")
            {
                continue;
            }
            let handler = cx.flow.scope_of(call.node);
            if handler.id() == cx.root.id() || !is_handler(cx, handler) {
                continue;
            }
            if !reaches_response(cx, handler, chain) {
                continue;
            }
            out.report(
                cx,
                &META,
                chain,
                format!(
                    "`{}` reads every row of the table and the handler returns it all: no filter, limit or pagination",
                    cx.node_snippet(chain)
                ),
                match cx.lang.language() {
                    Language::Python => "Paginate: take a capped page size and a cursor or offset from the request and apply them (`.limit(n).offset(k)`, slicing `[:n]`, Django `Paginator`, DRF pagination).",
                    Language::Go => "Paginate: read a capped page size and cursor from the request and apply `Limit(n).Offset(k)` or a `Scopes(Paginate(r))` scope.",
                    _ => "Paginate: read a capped page size and cursor from the request and pass `take`/`skip`/`cursor` (Prisma), `limit`/`offset` (Sequelize, TypeORM `take`/`skip`) or `.limit()` (Mongoose).",
                },
            );
        }
    }
}

fn bounded_text(text: &str) -> bool {
    BOUNDING.iter().any(|w| text.contains(w))
}

/// Whether a call reads a whole table.
fn unbounded(cx: &FileContext, call: &Call) -> bool {
    let Some(recv) = call.receiver else {
        return false;
    };
    let recv_text = cx.text(recv);
    match cx.lang.language() {
        Language::Python => {
            if call.name != "all" || !call.args.is_empty() {
                return false;
            }
            // Django `Model.objects.all()`, Flask-SQLAlchemy `Model.query.all()`
            let model_attr = |suffix: &str| {
                recv_text.strip_suffix(suffix).is_some_and(|m| {
                    let last = m.rsplit('.').next().unwrap_or(m);
                    last.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                })
            };
            if recv_text.contains(".objects")
                && (model_attr(".objects") || recv_text.contains(".objects."))
            {
                return true;
            }
            if model_attr(".query") {
                return true;
            }
            // SQLAlchemy `session.query(M)...all()`, `session.scalars(select(M)).all()`
            let session = |t: &str| {
                let head = t.split('(').next().unwrap_or("");
                let last = head.rsplit('.').nth(1).unwrap_or("");
                last == "session" || last == "db" || last.ends_with("_session")
            };
            (recv_text.contains(".query(")
                || recv_text.contains(".scalars(select(")
                || recv_text.contains(".execute(select("))
                && session(recv_text)
        }
        Language::JavaScript | Language::TypeScript => {
            let arg_ok = || match call.args.as_slice() {
                [] => true,
                [a] if a.kind() == "object" => {
                    let mut c = a.walk();
                    let keys: Vec<&str> = a
                        .named_children(&mut c)
                        .filter_map(|p| match p.kind() {
                            "pair" => p.child_by_field_name("key").map(|k| cx.text(k)),
                            "shorthand_property_identifier" => Some(cx.text(p)),
                            _ => Some("..."),
                        })
                        .collect();
                    !keys
                        .iter()
                        .any(|k| BOUNDING_KEYS.contains(k) || *k == "...")
                }
                _ => false,
            };
            let last = recv_text.rsplit('.').next().unwrap_or("");
            let model = last.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && last.chars().any(|c| c.is_ascii_lowercase());
            let repository = last.to_ascii_lowercase().ends_with("repository");
            match call.name {
                "findMany" => recv.kind() == "member_expression" && arg_ok(),
                "findAll" => model && arg_ok(),
                "find" => (model || repository) && !matches!(last, "Array" | "Object") && arg_ok(),
                _ => false,
            }
        }
        Language::Go => {
            if call.name != "Find" || call.args.len() != 1 {
                return false;
            }
            let file = cx.file.text.as_str();
            if !(file.contains("gorm.io/gorm") || file.contains("jinzhu/gorm")) {
                return false;
            }
            let mut handle = recv;
            while handle.kind() == "call_expression" {
                let Some(f) = handle
                    .child_by_field_name("function")
                    .filter(|f| f.kind() == "selector_expression")
                else {
                    break;
                };
                let Some(op) = f.child_by_field_name("operand") else {
                    break;
                };
                handle = op;
            }
            let last = cx
                .text(handle)
                .rsplit('.')
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            matches!(last.as_str(), "db" | "tx" | "orm" | "gormdb" | "database")
                || last.ends_with("db")
        }
        _ => false,
    }
}

/// Whether a function is an HTTP request handler.
fn is_handler<'t>(cx: &FileContext<'t>, func: Node<'t>) -> bool {
    match cx.lang.language() {
        Language::Python => {
            if let Some(decorated) = func.parent().filter(|p| p.kind() == "decorated_definition") {
                let mut c = decorated.walk();
                let route = decorated
                    .named_children(&mut c)
                    .filter(|d| d.kind() == "decorator")
                    .any(|d| {
                        let text = cx.text(d).trim_start_matches('@');
                        let callee = text.split('(').next().unwrap_or("");
                        let last = callee.rsplit('.').next().unwrap_or("");
                        PY_ROUTE_DECORATORS.contains(&last)
                            && (callee.contains('.') || last == "api_view")
                    });
                if route {
                    return true;
                }
            }
            // Django function view: `def order_list(request)` at module level.
            let module_level = cx.flow.scope_of(func).id() == cx.root.id()
                && func
                    .parent()
                    .is_some_and(|p| p.kind() == "module" || p.kind() == "decorated_definition");
            module_level
                && func
                    .child_by_field_name("parameters")
                    .and_then(|p| p.named_child(0))
                    .is_some_and(|p| cx.text(p) == "request")
        }
        Language::JavaScript | Language::TypeScript => {
            if func.kind() == "method_definition" {
                // Decorators are the method's children (JavaScript) or its
                // preceding siblings in the class body (TypeScript).
                let mut c = func.walk();
                let mut decorators: Vec<Node> = func
                    .children(&mut c)
                    .filter(|d| d.kind() == "decorator")
                    .collect();
                let mut prev = func.prev_named_sibling();
                while let Some(d) = prev.filter(|d| d.kind() == "decorator") {
                    decorators.push(d);
                    prev = d.prev_named_sibling();
                }
                return decorators.iter().any(|d| cx.text(*d).starts_with("@Get("));
            }
            let Some(args) = func.parent().filter(|p| p.kind() == "arguments") else {
                return false;
            };
            let Some(call) = args.parent() else {
                return false;
            };
            let Some(callee) = call
                .child_by_field_name("function")
                .filter(|f| f.kind() == "member_expression")
            else {
                return false;
            };
            let method = callee.child_by_field_name("property").map(|p| cx.text(p));
            let path = args
                .named_child(0)
                .filter(|a| matches!(a.kind(), "string" | "template_string"));
            method == Some("get") && path.is_some_and(|p| cx.text(p).get(1..2) == Some("/"))
        }
        Language::Go => {
            let Some(params) = func.child_by_field_name("parameters") else {
                return false;
            };
            let mut c = params.walk();
            let handler = params.named_children(&mut c).any(|p| {
                p.child_by_field_name("type")
                    .is_some_and(|t| GO_HANDLER_TYPES.contains(&cx.text(t)))
            });
            handler
        }
        _ => false,
    }
}

/// Whether the chain's result is (part of) what the handler responds with.
fn reaches_response<'t>(cx: &FileContext<'t>, handler: Node<'t>, chain: Node<'t>) -> bool {
    let sinks = response_sinks(cx, handler);
    let within = |n: Node| {
        sinks
            .iter()
            .any(|s| s.start_byte() <= n.start_byte() && n.end_byte() <= s.end_byte())
    };
    if within(chain) {
        return true;
    }
    // Names holding the result: assigned from the chain (or, in Go, filled
    // through `&rows`), and names assigned from those.
    let mut names: HashSet<&str> = HashSet::new();
    if cx.lang.language() == Language::Go {
        if let Some(args) = chain.child_by_field_name("arguments") {
            let mut c = args.walk();
            for a in args.named_children(&mut c) {
                if a.kind() == "unary_expression" {
                    if let Some(op) = a.child_by_field_name("operand") {
                        names.insert(cx.text(op));
                    }
                }
            }
        }
    }
    let assignments = assignments_in(cx, handler);
    for (left, right) in &assignments {
        if right.start_byte() <= chain.start_byte() && chain.end_byte() <= right.end_byte() {
            names.extend(left.iter().copied());
        }
    }
    for _ in 0..3 {
        for (left, right) in &assignments {
            if mentions(cx, *right, &names) {
                names.extend(left.iter().copied());
            }
        }
    }
    !names.is_empty() && sinks.iter().any(|s| mentions(cx, *s, &names))
}

fn mentions(cx: &FileContext, node: Node, names: &HashSet<&str>) -> bool {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if cx.is_identifier(n) && names.contains(cx.text(n)) {
            return true;
        }
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c));
    }
    false
}

/// The handler's assignments: (names bound, value), in its own scope.
fn assignments_in<'t>(cx: &FileContext<'t>, handler: Node<'t>) -> Vec<(Vec<&'t str>, Node<'t>)> {
    let mut out = Vec::new();
    let Some(body) = handler.child_by_field_name("body") else {
        return out;
    };
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        if cx.lang.shape_of(n) == crate::lang::Shape::Function {
            continue;
        }
        let pair = match n.kind() {
            "assignment"
            | "assignment_expression"
            | "short_var_declaration"
            | "assignment_statement" => n
                .child_by_field_name("left")
                .zip(n.child_by_field_name("right")),
            "variable_declarator" => n
                .child_by_field_name("name")
                .zip(n.child_by_field_name("value")),
            _ => None,
        };
        if let Some((left, right)) = pair {
            let mut names = Vec::new();
            let mut s = vec![left];
            while let Some(m) = s.pop() {
                if matches!(
                    m.kind(),
                    "identifier" | "shorthand_property_identifier_pattern"
                ) {
                    names.push(cx.text(m));
                }
                let mut c = m.walk();
                s.extend(m.named_children(&mut c));
            }
            out.push((names, right));
        }
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c));
    }
    out
}

/// The expressions a handler responds with: its return values and the
/// arguments of response calls (`jsonify(...)`, `res.json(...)`,
/// `c.JSON(...)`), and an arrow function's expression body.
fn response_sinks<'t>(cx: &FileContext<'t>, handler: Node<'t>) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let Some(body) = handler.child_by_field_name("body") else {
        return out;
    };
    if !matches!(body.kind(), "block" | "statement_block") {
        out.push(body);
    }
    let responses: &[&str] = match cx.lang.language() {
        Language::Python => PY_RESPONSES,
        Language::Go => GO_RESPONSES,
        _ => JS_RESPONSES,
    };
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        if cx.lang.shape_of(n) == crate::lang::Shape::Function {
            continue;
        }
        match n.kind() {
            "return_statement" => out.push(n),
            k if cx.lang.shape(k) == crate::lang::Shape::Call => {
                let name = n.child_by_field_name("function").map(|f| {
                    let t = cx.text(f);
                    t.rsplit('.').next().unwrap_or(t)
                });
                if name.is_some_and(|name| responses.contains(&name)) {
                    if let Some(args) = n.child_by_field_name("arguments") {
                        out.push(args);
                    }
                }
            }
            // Koa: `ctx.body = rows`
            "assignment_expression"
                if n.child_by_field_name("left")
                    .is_some_and(|l| cx.text(l).ends_with(".body")) =>
            {
                out.extend(n.child_by_field_name("right"));
            }
            _ => {}
        }
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c));
    }
    out
}
