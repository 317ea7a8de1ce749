//! Express, Fastify and NestJS routes.
//!
//! Express and Fastify register routes with calls on an app or router
//! (`router.post('/users', auth, validate(schema), handler)`,
//! `fastify.route({method, url, handler})`); a router's prefix comes from
//! its mount in the same file (`app.use('/api', router)`) and router-wide
//! middleware from `router.use(...)`. NestJS declares them with decorators
//! (`@Controller('users')` on the class, `@Get(':id')` on the method).

use super::{
    apply_scan, endpoint, function_name, is_auth_name, is_neutral_middleware, is_validation_name,
    join_path, resolve_handler, returns_collection, scan, status_code, string_value, HandlerFacts,
    Route,
};
use crate::context::{Call, FileContext};
use crate::lang::Shape;
use pab_core::{Known, Param, ParamLocation};
use std::collections::HashMap;
use tree_sitter::Node;

const METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "del", "all", "head", "options",
];

/// Names an app or router conventionally has when its constructor is in
/// another file.
const ROUTER_NAMES: &[&str] = &[
    "app",
    "router",
    "api",
    "server",
    "fastify",
    "routes",
    "apiRouter",
];

#[derive(Debug, Clone, Default)]
struct Router {
    framework: &'static str,
    prefix: String,
    /// Router-wide middleware: an auth step (Yes), only neutral ones (No),
    /// or one we cannot name (Unknown).
    auth: Known,
    validates: bool,
    /// The application, or mounted on it in this file.
    rooted: bool,
}

pub(super) fn extract<'t>(cx: &FileContext<'t>, ix: &super::Index<'t>) -> Vec<Route<'t>> {
    let mut routes = Vec::new();
    if cx.file.text.contains("@nestjs/") {
        nest(cx, ix, &mut routes);
    }
    let default_framework = if cx.file.text.contains("fastify") {
        "fastify"
    } else {
        "express"
    };
    let routers = routers(cx, default_framework);
    // An `app` or `router` made in another file is trusted only in a file
    // that imports the framework itself: a front-end module that mentions
    // `useRouter(` calls `api.post('/users', data)` on an HTTP client.
    let text = cx.file.text.as_str();
    let imports_server = ["'express'", "\"express\"", "'fastify'", "\"fastify\""]
        .iter()
        .any(|m| text.contains(m));
    for call in cx.calls() {
        if call.name == "route" && call.args.first().is_some_and(|a| a.kind() == "object") {
            fastify_route(cx, ix, call, &routers, &mut routes);
            continue;
        }
        if !METHODS.contains(&call.name) || call.args.len() < 2 {
            continue;
        }
        let Some(receiver) = call.receiver else {
            continue;
        };
        // `router.route('/x').get(h).post(h)`
        let (router_node, path_node, args) = if receiver.kind() == "call_expression" {
            let Some(inner) = super::call_at(cx, receiver) else {
                continue;
            };
            if inner.name != "route" {
                continue;
            }
            let (Some(r), Some(&p)) = (inner.receiver, inner.args.first()) else {
                continue;
            };
            (r, p, &call.args[..])
        } else {
            (receiver, call.args[0], &call.args[1..])
        };
        let name = cx.text(router_node);
        let router = routers.get(name);
        if router.is_none() && !(imports_server && ROUTER_NAMES.contains(&name)) {
            continue;
        }
        let Some(path) = string_value(cx, path_node) else {
            continue;
        };
        if !(path.starts_with('/') || path == "*") {
            continue;
        }
        let Some((&handler, middleware)) = args.split_last() else {
            continue;
        };
        if !is_handler_expr(cx, handler) {
            continue;
        }
        let framework = router.map_or(default_framework, |r| r.framework);
        let method = match call.name {
            "all" => "ANY",
            "del" => "DELETE",
            m => m,
        };
        let full = join_path(router.map_or("", |r| r.prefix.as_str()), &path);
        let mut ep = endpoint(cx, framework, method, &full, call.node);
        // The registration's first line, not the inline handler's body.
        ep.span = cx.file.span(
            call.node.start_byte(),
            path_node.end_byte().max(call.callee.end_byte()),
        );
        ep.auth = router.map_or(Known::No, |r| r.auth);
        if router.is_some_and(|r| r.validates) {
            ep.validation = Known::Yes;
        }
        for m in middleware {
            middleware_arg(cx, *m, &mut ep);
        }
        let facts = handler_facts(cx, ix, handler, &mut ep);
        routes.push(Route {
            endpoint: ep,
            decl: call.callee,
            group: name.to_string(),
            body: facts,
            rooted: router.map_or(is_app_name(name), |r| r.rooted),
        });
    }
    routes
}

/// An application made in another file is still the root; a router is
/// mounted somewhere this file does not show.
fn is_app_name(name: &str) -> bool {
    matches!(name, "app" | "server" | "fastify")
}

fn is_handler_expr(cx: &FileContext, node: Node) -> bool {
    matches!(
        cx.lang.shape(node.kind()),
        Shape::Function | Shape::Identifier | Shape::Member { .. } | Shape::Call
    )
}

/// Routers and apps of this file by name, with mounts and router-wide
/// middleware.
fn routers(cx: &FileContext, default_framework: &'static str) -> HashMap<String, Router> {
    let mut routers: HashMap<String, Router> = HashMap::new();
    for call in cx.calls() {
        let framework = match (call.name, call.receiver.map(|r| cx.text(r))) {
            ("Router", _) | ("express", None) => "express",
            ("fastify" | "Fastify", None) => "fastify",
            _ => continue,
        };
        let Some(decl) = call
            .node
            .parent()
            .filter(|p| p.kind() == "variable_declarator")
        else {
            continue;
        };
        let Some(name) = decl.child_by_field_name("name").map(|n| cx.text(n)) else {
            continue;
        };
        routers.insert(
            name.to_string(),
            Router {
                framework,
                prefix: String::new(),
                auth: Known::No,
                validates: false,
                rooted: call.name != "Router",
            },
        );
    }
    let _ = default_framework;
    // `router.use(auth)`, `app.use('/api', router)`, `app.use('/admin', auth, router)`.
    let mut mounts: Vec<(String, String, String)> = Vec::new();
    for call in cx.calls() {
        if call.name != "use" {
            continue;
        }
        let Some(receiver) = call.receiver.map(|r| cx.text(r)) else {
            continue;
        };
        let mut args = call.args.as_slice();
        let mount = args.first().and_then(|a| string_value(cx, *a));
        if mount.is_some() {
            args = &args[1..];
        }
        let mounted: Vec<&str> = args
            .iter()
            .map(|a| cx.text(*a))
            .filter(|a| routers.contains_key(*a))
            .collect();
        if let (Some(prefix), false) = (&mount, mounted.is_empty()) {
            for m in &mounted {
                mounts.push((receiver.to_string(), prefix.clone(), m.to_string()));
            }
        }
        for arg in args {
            let text = cx.text(*arg);
            if routers.contains_key(text) {
                continue;
            }
            // Middleware mounted on a path of its own guards that path
            // only: it says nothing about the router's other routes.
            if mount.is_some() && mounted.is_empty() {
                continue;
            }
            let targets: Vec<String> = if mounted.is_empty() {
                vec![receiver.to_string()]
            } else {
                mounted.iter().map(|m| m.to_string()).collect()
            };
            for target in targets {
                let Some(router) = routers.get_mut(&target) else {
                    continue;
                };
                if is_auth_name(text) {
                    router.auth = Known::Yes;
                } else if is_validation_name(text) {
                    router.validates = true;
                } else if router.auth == Known::No && !is_neutral_middleware(text) {
                    router.auth = Known::Unknown;
                }
            }
        }
    }
    for (parent, prefix, child) in mounts {
        let parent = routers.get(&parent).cloned().unwrap_or_default();
        if let Some(router) = routers.get_mut(&child) {
            router.prefix = join_path(&join_path(&parent.prefix, &prefix), &router.prefix);
            router.rooted |= parent.rooted;
            if parent.auth == Known::Yes {
                router.auth = Known::Yes;
            } else if parent.auth == Known::Unknown && router.auth == Known::No {
                router.auth = Known::Unknown;
            }
        }
    }
    routers
}

/// One middleware argument of a route (or an element of an array of them,
/// or Fastify's route options object).
fn middleware_arg(cx: &FileContext, node: Node, ep: &mut pab_core::Endpoint) {
    match node.kind() {
        "array" => {
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                middleware_arg(cx, child, ep);
            }
        }
        "object" => fastify_options(cx, node, ep),
        _ => {
            let text = cx.text(node);
            let head = text.split('(').next().unwrap_or(text);
            if is_auth_name(text) {
                ep.auth = Known::Yes;
            } else if is_validation_name(text)
                || ["body", "check", "param", "query", "checkSchema", "oneOf"].contains(&head)
                || text.contains(".validate")
            {
                // express-validator chains (`body('email').isEmail()`),
                // celebrate, joi/zod middleware.
                ep.validation = Known::Yes;
            } else if ep.auth == Known::No && !is_neutral_middleware(text) {
                ep.auth = Known::Unknown;
            }
        }
    }
}

/// Fastify route options: `schema` validates, `preHandler` /
/// `onRequest` / `preValidation` hooks may authenticate.
fn fastify_options(cx: &FileContext, obj: Node, ep: &mut pab_core::Endpoint) {
    let mut cursor = obj.walk();
    for pair in obj.named_children(&mut cursor) {
        let key = match pair.kind() {
            "pair" => pair.child_by_field_name("key").map(|k| cx.text(k)),
            "shorthand_property_identifier" => Some(cx.text(pair)),
            _ => None,
        };
        let value = pair.child_by_field_name("value");
        match key {
            Some("schema") => {
                let has_body = value.is_none_or(|v| cx.text(v).contains("body"));
                if has_body {
                    ep.validation = Known::Yes;
                }
            }
            Some("preHandler" | "onRequest" | "preValidation" | "preParsing") => {
                if let Some(v) = value {
                    middleware_arg(cx, v, ep);
                }
            }
            _ => {}
        }
    }
}

/// `fastify.route({ method: 'POST', url: '/x', schema, handler })`.
fn fastify_route<'t>(
    cx: &FileContext<'t>,
    ix: &super::Index<'t>,
    call: &Call<'t>,
    routers: &HashMap<String, Router>,
    routes: &mut Vec<Route<'t>>,
) {
    let Some(receiver) = call.receiver.map(|r| cx.text(r)) else {
        return;
    };
    if !routers.contains_key(receiver) && !ROUTER_NAMES.contains(&receiver) {
        return;
    }
    let obj = call.args[0];
    let mut methods = Vec::new();
    let mut url = None;
    let mut handler = None;
    let mut cursor = obj.walk();
    for pair in obj.named_children(&mut cursor) {
        let key = match pair.kind() {
            "pair" => pair.child_by_field_name("key").map(|k| cx.text(k)),
            "shorthand_property_identifier" => Some(cx.text(pair)),
            "method_definition" => pair.child_by_field_name("name").map(|k| cx.text(k)),
            _ => None,
        };
        let value = pair.child_by_field_name("value");
        match (key, value) {
            (Some("method"), Some(v)) => {
                if v.kind() == "array" {
                    let mut c = v.walk();
                    methods.extend(v.named_children(&mut c).filter_map(|m| string_value(cx, m)));
                } else if let Some(m) = string_value(cx, v) {
                    methods.push(m);
                }
            }
            (Some("url" | "path"), Some(v)) => url = string_value(cx, v),
            (Some("handler"), v) => handler = v.or(Some(pair)),
            _ => {}
        }
    }
    let Some(url) = url else { return };
    let prefix = routers.get(receiver).map_or("", |r| r.prefix.as_str());
    for method in methods {
        let mut ep = endpoint(
            cx,
            "fastify",
            &method,
            &join_path(prefix, &url),
            call.callee,
        );
        ep.auth = routers.get(receiver).map_or(Known::No, |r| r.auth);
        fastify_options(cx, obj, &mut ep);
        let facts = handler.and_then(|h| handler_facts(cx, ix, h, &mut ep));
        routes.push(Route {
            endpoint: ep,
            decl: call.callee,
            group: receiver.to_string(),
            body: facts,
            rooted: routers
                .get(receiver)
                .map_or(is_app_name(receiver), |r| r.rooted),
        });
    }
}

/// Resolves and scans the handler, filling the endpoint.
fn handler_facts<'t>(
    cx: &FileContext<'t>,
    ix: &super::Index<'t>,
    handler: Node<'t>,
    ep: &mut pab_core::Endpoint,
) -> Option<HandlerFacts<'t>> {
    let func = if handler.kind() == "method_definition" {
        Some(handler)
    } else {
        resolve_handler(cx, ix, handler)
    };
    ep.handler = match func.and_then(|f| function_name(cx, f)) {
        Some(name) => Some(name.to_string()),
        None if handler.kind() != "arrow_function" && handler.kind() != "function_expression" => {
            Some(cx.text(handler).to_string())
        }
        None => None,
    };
    let func = func?;
    let s = scan(cx, ix, func, &|c| js_status(cx, c), &|n| body_read(cx, n));
    apply_scan(ep, &s);
    let mut facts = s.facts;
    responses(cx, ix, func, ep, &mut facts);
    Some(facts)
}

/// `res.json(x)` / `res.send(x)` / `reply.send(x)`: list returns and
/// successful responses with a body.
fn responses<'t>(
    cx: &FileContext<'t>,
    ix: &super::Index<'t>,
    func: Node<'t>,
    ep: &mut pab_core::Endpoint,
    facts: &mut HandlerFacts<'t>,
) {
    for call in super::calls_within(cx, func) {
        if !matches!(call.name, "json" | "send") {
            continue;
        }
        let Some(&arg) = call.args.first() else {
            continue;
        };
        if returns_collection(cx, arg, 0) {
            ep.returns_list = Known::Yes;
        }
        if arg.kind() == "array" || ix.is_literal_list(cx, arg) {
            facts.bounded = true;
        }
        // `res.status(404).json(...)` is an error, not a success.
        let chained_status = call
            .receiver
            .filter(|r| r.kind() == "call_expression")
            .and_then(|r| super::call_at(cx, r))
            .and_then(|c| js_status(cx, c));
        if chained_status.is_none_or(|s| s < 300) {
            facts.body_responses.push(call.node);
        }
    }
}

/// `res.status(201)`, `res.sendStatus(204)`, `reply.code(201)`,
/// `new NotFoundException()`, `new HttpException(msg, HttpStatus.X)`.
fn js_status(cx: &FileContext, call: &Call) -> Option<u16> {
    match call.name {
        "status" | "sendStatus" | "code" => call.args.first().and_then(|a| status_code(cx, *a)),
        // `res.redirect(url)` / `res.redirect(301, url)`.
        "redirect" if call.receiver.is_some() => Some(
            call.args
                .first()
                .filter(|_| call.args.len() > 1)
                .and_then(|a| status_code(cx, *a))
                .unwrap_or(302),
        ),
        "HttpException" => call.args.get(1).and_then(|a| status_code(cx, *a)),
        name if call.node.kind() == "new_expression" => NEST_EXCEPTIONS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, c)| c),
        _ => None,
    }
}

const NEST_EXCEPTIONS: &[(&str, u16)] = &[
    ("BadRequestException", 400),
    ("UnauthorizedException", 401),
    ("ForbiddenException", 403),
    ("NotFoundException", 404),
    ("ConflictException", 409),
    ("GoneException", 410),
    ("UnprocessableEntityException", 422),
    ("InternalServerErrorException", 500),
];

/// `req.body`, `request.body`, `ctx.request.body`.
fn body_read(cx: &FileContext, node: Node) -> bool {
    let Shape::Member { object, property } = cx.lang.shape(node.kind()) else {
        return false;
    };
    let obj = node.child_by_field_name(object).map_or("", |o| cx.text(o));
    let prop = node
        .child_by_field_name(property)
        .map_or("", |p| cx.text(p));
    prop == "body" && matches!(obj, "req" | "request" | "ctx.request")
}

/// NestJS: `@Get(':id')` on a method of a `@Controller('users')` class.
fn nest<'t>(cx: &FileContext<'t>, ix: &super::Index<'t>, routes: &mut Vec<Route<'t>>) {
    for call in cx.calls() {
        let method = match call.name {
            "Get" | "Post" | "Put" | "Patch" | "Delete" | "Head" | "Options" => {
                call.name.to_ascii_uppercase()
            }
            "All" => "ANY".to_string(),
            _ => continue,
        };
        let Some(decorator) = call.node.parent().filter(|p| p.kind() == "decorator") else {
            continue;
        };
        let Some(func) = decorated_method(decorator) else {
            continue;
        };
        let Some(class) = func
            .parent()
            .filter(|b| b.kind() == "class_body")
            .and_then(|b| b.parent())
        else {
            continue;
        };
        let class_decorators = decorators_of_class(class);
        let Some(prefix) = class_decorators.iter().find_map(|d| {
            let text = cx.text(*d);
            if !text.starts_with("@Controller(") {
                return None;
            }
            let arg = d
                .named_child(0)
                .and_then(|c| c.child_by_field_name("arguments"));
            let path = arg
                .and_then(|a| a.named_child(0))
                .and_then(|a| {
                    if a.kind() == "object" {
                        let mut c = a.walk();
                        let found = a.named_children(&mut c).find(|p| {
                            p.child_by_field_name("key")
                                .is_some_and(|k| cx.text(k) == "path")
                        });
                        found.and_then(|p| p.child_by_field_name("value"))
                    } else {
                        Some(a)
                    }
                })
                .and_then(|a| string_value(cx, a));
            // `@Controller()` (or a prefix we cannot read): the root.
            Some(path.unwrap_or_default())
        }) else {
            continue;
        };
        let path = call
            .args
            .first()
            .and_then(|a| string_value(cx, *a))
            .unwrap_or_default();
        let mut ep = endpoint(cx, "nestjs", &method, &join_path(&prefix, &path), decorator);
        ep.auth = Known::No;
        let method_decorators = decorators_of_method(func);
        let mut http_code = None;
        for d in class_decorators.iter().chain(method_decorators.iter()) {
            let text = cx.text(*d).trim_start_matches('@');
            let head = text.split('(').next().unwrap_or(text);
            match head {
                "UseGuards" | "Roles" | "Auth" | "Authorized" => ep.auth = Known::Yes,
                "Public" | "SkipAuth" | "AllowAnonymous" => {}
                "HttpCode" => {
                    http_code = d
                        .named_child(0)
                        .and_then(|c| c.child_by_field_name("arguments"))
                        .and_then(|a| a.named_child(0))
                        .and_then(|a| status_code(cx, a));
                }
                "UsePipes" => ep.validation = Known::Yes,
                _ if is_auth_name(head) => ep.auth = Known::Yes,
                _ => {}
            }
        }
        if method_decorators.iter().any(|d| {
            matches!(
                cx.text(*d).trim_start_matches('@').split('(').next(),
                Some("Public" | "SkipAuth" | "AllowAnonymous")
            )
        }) {
            ep.auth = Known::No;
        }
        // Nest answers POST with 201 unless `@HttpCode` says otherwise.
        match http_code {
            Some(code) => ep.statuses.push(code),
            None if method == "POST" => ep.statuses.push(201),
            None => {}
        }
        let body_param = nest_params(cx, func, &mut ep);
        ep.handler = function_name(cx, func).map(str::to_string);
        let s = scan(cx, ix, func, &|c| js_status(cx, c), &|n| body_read(cx, n));
        apply_scan(&mut ep, &s);
        let mut facts = s.facts;
        if facts.body_read.is_none() {
            facts.body_read = body_param;
        }
        responses(cx, ix, func, &mut ep, &mut facts);
        if let Some(ret) = func.child_by_field_name("return_type") {
            let t = cx.text(ret);
            if t.contains("[]") || t.contains("Array<") {
                ep.returns_list = Known::Yes;
            }
        }
        let group = class
            .child_by_field_name("name")
            .map_or("controller", |n| cx.text(n))
            .to_string();
        routes.push(Route {
            endpoint: ep,
            decl: decorator,
            group,
            body: Some(facts),
            // `app.setGlobalPrefix('api')` lives in main.ts.
            rooted: false,
        });
    }
}

/// The method a method decorator belongs to: its parent (JavaScript) or
/// the next method among its siblings (TypeScript).
fn decorated_method(decorator: Node) -> Option<Node> {
    let parent = decorator.parent()?;
    if parent.kind() == "method_definition" {
        return Some(parent);
    }
    let mut next = decorator.next_named_sibling();
    while let Some(n) = next {
        match n.kind() {
            "method_definition" => return Some(n),
            "decorator" | "comment" => next = n.next_named_sibling(),
            _ => return None,
        }
    }
    None
}

fn decorators_of_method(func: Node) -> Vec<Node> {
    let mut out = Vec::new();
    let mut cursor = func.walk();
    out.extend(
        func.named_children(&mut cursor)
            .filter(|c| c.kind() == "decorator"),
    );
    let mut prev = func.prev_named_sibling();
    while let Some(p) = prev.filter(|p| matches!(p.kind(), "decorator" | "comment")) {
        if p.kind() == "decorator" {
            out.push(p);
        }
        prev = p.prev_named_sibling();
    }
    out
}

fn decorators_of_class(class: Node) -> Vec<Node> {
    let mut out = Vec::new();
    let mut cursor = class.walk();
    out.extend(
        class
            .named_children(&mut cursor)
            .filter(|c| c.kind() == "decorator"),
    );
    if let Some(export) = class.parent().filter(|p| p.kind() == "export_statement") {
        let mut cursor = export.walk();
        out.extend(
            export
                .named_children(&mut cursor)
                .filter(|c| c.kind() == "decorator"),
        );
    }
    out
}

/// `@Body() dto: CreateUserDto` (a DTO class: validated by the
/// ValidationPipe and class-validator), `@Body() body: any` (not),
/// `@Query('limit')`, `@Param('id')`.
fn nest_params<'t>(
    cx: &FileContext<'t>,
    func: Node<'t>,
    ep: &mut pab_core::Endpoint,
) -> Option<Node<'t>> {
    let params = func.child_by_field_name("parameters")?;
    let mut body_param = None;
    let mut cursor = params.walk();
    for param in params.named_children(&mut cursor) {
        let text = cx.text(param);
        let ty = param
            .child_by_field_name("type")
            .map_or("", |t| cx.text(t).trim_start_matches(':').trim());
        let name = param
            .child_by_field_name("pattern")
            .map_or("", |p| cx.text(p));
        if text.starts_with("@Body(") {
            let whole_body = text.starts_with("@Body()");
            let dto = ty.chars().next().is_some_and(char::is_uppercase)
                && !matches!(ty, "Record" | "Object" | "Partial")
                && !ty.starts_with("Record<");
            if ep.validation != Known::Yes {
                ep.validation = if whole_body && dto {
                    Known::Yes
                } else {
                    Known::No
                };
            }
            body_param = Some(param);
            ep.params.push(Param {
                name: name.to_string(),
                location: ParamLocation::Body,
            });
        } else if text.starts_with("@Query(") {
            let key = text
                .strip_prefix("@Query(")
                .and_then(|r| r.split(')').next())
                .map(|k| k.trim_matches(|c| c == '\'' || c == '"'))
                .filter(|k| !k.is_empty())
                .unwrap_or(name);
            if let Some(p) = super::pagination_name(key) {
                if !ep.pagination.contains(&p) {
                    ep.pagination.push(p);
                }
            }
            ep.params.push(Param {
                name: key.to_string(),
                location: ParamLocation::Query,
            });
        }
    }
    body_param
}

/// The files a relative module specifier may name (`./routes/users` ->
/// `routes/users.js`, `routes/users/index.ts`...); packages are not ours.
fn module_files(cx: &FileContext, spec: &str) -> Vec<String> {
    if !spec.starts_with('.') {
        return Vec::new();
    }
    let path = super::resolve_relative(&super::dir_of(&cx.file.path), spec);
    const EXTENSIONS: &[&str] = &[".js", ".ts", ".mjs", ".cjs", ".jsx", ".tsx"];
    if EXTENSIONS.iter().any(|e| path.ends_with(e)) {
        return vec![path];
    }
    let mut out: Vec<String> = EXTENSIONS.iter().map(|e| format!("{path}{e}")).collect();
    out.extend(
        ["index.js", "index.ts"]
            .iter()
            .map(|i| format!("{path}/{i}")),
    );
    out
}

/// `require('./x')` or `import(...)`'s specifier, when `node` is such a
/// call (possibly followed by a property: `require('./x').router`).
fn required_spec(cx: &FileContext, node: Node) -> Option<String> {
    let call = if matches!(cx.lang.shape(node.kind()), Shape::Member { .. }) {
        node.child_by_field_name("object")?
    } else {
        node
    };
    let c = super::call_at(cx, call)?;
    (c.name == "require" && c.receiver.is_none())
        .then(|| c.args.first().and_then(|a| string_value(cx, *a)))
        .flatten()
}

/// Local names bound to modules of this project: `const users =
/// require('./routes/users')`, `import users from './routes/users'`,
/// `import { router as users } from './routes/users'`.
fn imports(cx: &FileContext) -> HashMap<String, Vec<String>> {
    let mut out = HashMap::new();
    let mut cursor = cx.root.walk();
    for stmt in cx.root.named_children(&mut cursor) {
        match stmt.kind() {
            "import_statement" => {
                let Some(spec) = stmt
                    .child_by_field_name("source")
                    .and_then(|s| string_value(cx, s))
                else {
                    continue;
                };
                let files = module_files(cx, &spec);
                if files.is_empty() {
                    continue;
                }
                // Every name the clause binds: default, `* as x`, `{ a as b }`.
                let mut stack = vec![stmt];
                while let Some(n) = stack.pop() {
                    let mut c = n.walk();
                    for child in n.named_children(&mut c) {
                        match child.kind() {
                            "import_clause" | "named_imports" | "namespace_import" => {
                                stack.push(child)
                            }
                            "import_specifier" => {
                                let local = child
                                    .child_by_field_name("alias")
                                    .or_else(|| child.child_by_field_name("name"));
                                if let Some(local) = local {
                                    out.insert(cx.text(local).to_string(), files.clone());
                                }
                            }
                            "identifier" => {
                                out.insert(cx.text(child).to_string(), files.clone());
                            }
                            _ => {}
                        }
                    }
                }
            }
            "lexical_declaration" | "variable_declaration" => {
                let mut c = stmt.walk();
                for d in stmt.named_children(&mut c) {
                    let (Some(name), Some(value)) = (
                        d.child_by_field_name("name"),
                        d.child_by_field_name("value"),
                    ) else {
                        continue;
                    };
                    if let Some(spec) = required_spec(cx, value) {
                        let files = module_files(cx, &spec);
                        if !files.is_empty() && cx.is_identifier(name) {
                            out.insert(cx.text(name).to_string(), files);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// `app.use('/api', usersRouter)` with `usersRouter` from another module
/// of the project, or `app.use('/api', require('./routes/users'))`.
pub(super) fn mounts(cx: &FileContext) -> Vec<pab_core::Mount> {
    let calls: Vec<&Call> = cx
        .calls()
        .iter()
        .filter(|c| c.name == "use" && c.args.len() >= 2)
        .collect();
    if calls.is_empty() {
        return Vec::new();
    }
    let routers = routers(cx, "express");
    let imports = imports(cx);
    let mut out = Vec::new();
    for call in calls {
        let Some(prefix) = string_value(cx, call.args[0]) else {
            continue;
        };
        let above = call
            .receiver
            .and_then(|r| routers.get(cx.text(r)))
            .map_or("", |r| r.prefix.as_str());
        for arg in &call.args[1..] {
            let targets = if cx.is_identifier(*arg) && !routers.contains_key(cx.text(*arg)) {
                imports.get(cx.text(*arg)).cloned()
            } else {
                required_spec(cx, *arg).map(|spec| module_files(cx, &spec))
            };
            let Some(targets) = targets.filter(|t| !t.is_empty()) else {
                continue;
            };
            out.push(pab_core::Mount {
                file: cx.file.path.clone(),
                targets,
                prefix: join_path(above, &prefix),
            });
        }
    }
    out
}
