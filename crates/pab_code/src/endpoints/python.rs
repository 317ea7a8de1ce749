//! FastAPI, Flask and Django routes.
//!
//! FastAPI and Flask declare a route with a decorator on the handler
//! (`@router.get("/items/{id}")`, `@bp.route("/x", methods=["POST"])`);
//! the router's prefix comes from its constructor (`APIRouter(prefix=)`,
//! `Blueprint(url_prefix=)`) and from its mount in the same file
//! (`include_router(prefix=)`, `register_blueprint(url_prefix=)`). Django
//! declares routes in `urls.py` (`path()`, `re_path()`, DRF routers).

use super::{
    apply_scan, endpoint, function_name, is_auth_name, join_path, object_keys, pagination_name,
    scan, status_code, string_value, Route,
};
use crate::context::{Call, FileContext};
use crate::lang::Shape;
use pab_core::{Known, Param, ParamLocation};
use std::collections::HashMap;
use tree_sitter::Node;

const METHODS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options"];

/// A router, app or blueprint assigned to a name in this file.
#[derive(Debug, Clone, Default)]
struct Router {
    framework: &'static str,
    /// Its own prefix plus where it is mounted in this file.
    prefix: String,
    /// Router-wide dependencies include an auth step.
    auth: bool,
    /// The application, or mounted on it in this file.
    rooted: bool,
}

pub(super) fn extract<'t>(cx: &FileContext<'t>, ix: &super::Index<'t>) -> Vec<Route<'t>> {
    let text = cx.file.text.as_str();
    let default_framework = if text.contains("fastapi") {
        "fastapi"
    } else if text.contains("flask") {
        "flask"
    } else {
        "django"
    };
    let routers = routers(cx);
    // A hook that runs before every request may authenticate all routes.
    let global_hook = text.contains("before_request") || text.contains("add_middleware");
    let mut routes = Vec::new();
    for call in cx.calls() {
        if call.node.parent().is_some_and(|p| p.kind() == "decorator") {
            decorator_route(
                cx,
                ix,
                call,
                &routers,
                default_framework,
                global_hook,
                &mut routes,
            );
        } else if matches!(call.name, "path" | "re_path" | "url") && call.receiver.is_none() {
            django_path(cx, call, &mut routes);
        } else if call.name == "register" && call.args.len() >= 2 {
            drf_register(cx, call, &mut routes);
        } else if call.name == "add_url_rule" {
            flask_url_rule(cx, call, &routers, &mut routes);
        }
    }
    routes
}

/// Routers by variable name, with their prefixes and mounts resolved.
fn routers(cx: &FileContext) -> HashMap<String, Router> {
    let mut routers: HashMap<String, Router> = HashMap::new();
    for call in cx.calls() {
        let framework = match call.name {
            "APIRouter" | "FastAPI" => "fastapi",
            "Blueprint" | "Flask" => "flask",
            _ => continue,
        };
        let rooted = matches!(call.name, "FastAPI" | "Flask");
        let Some(name) = assigned_name(cx, call.node) else {
            continue;
        };
        let prefix = call
            .keyword("prefix")
            .or_else(|| call.keyword("url_prefix"))
            .and_then(|p| string_value(cx, p))
            .unwrap_or_default();
        let auth = call
            .keyword("dependencies")
            .is_some_and(|d| depends_auth(cx, d));
        routers.insert(
            name.to_string(),
            Router {
                framework,
                prefix,
                auth,
                rooted,
            },
        );
    }
    // Mounts: `app.include_router(router, prefix="/api")`.
    for call in cx.calls() {
        if !matches!(call.name, "include_router" | "register_blueprint") {
            continue;
        }
        let Some(&arg) = call.args.first() else {
            continue;
        };
        let mount = call
            .keyword("prefix")
            .or_else(|| call.keyword("url_prefix"))
            .and_then(|p| string_value(cx, p));
        let parent = call
            .receiver
            .and_then(|r| routers.get(cx.text(r)))
            .cloned()
            .unwrap_or_default();
        let deps = call
            .keyword("dependencies")
            .is_some_and(|d| depends_auth(cx, d));
        if let Some(router) = routers.get_mut(cx.text(arg)) {
            let own = if call.name == "register_blueprint" && mount.is_some() {
                // Flask: the registration's url_prefix replaces the blueprint's.
                String::new()
            } else {
                std::mem::take(&mut router.prefix)
            };
            let mounted = join_path(&parent.prefix, mount.as_deref().unwrap_or(""));
            router.prefix = if own.is_empty() {
                mounted
            } else {
                join_path(&mounted, &own)
            };
            router.auth |= deps || parent.auth;
            router.rooted |= parent.rooted;
        }
    }
    routers
}

/// The name a call's result is assigned to (`router = APIRouter()`).
fn assigned_name<'t>(cx: &FileContext<'t>, call: Node<'t>) -> Option<&'t str> {
    let parent = call.parent().filter(|p| p.kind() == "assignment")?;
    let left = parent.child_by_field_name("left")?;
    cx.is_identifier(left).then(|| cx.text(left))
}

/// Whether a `Depends(...)` / `Security(...)` (or a list of them) names an
/// auth dependency.
fn depends_auth(cx: &FileContext, node: Node) -> bool {
    let text = cx.text(node);
    let mut rest = text;
    while let Some(at) = rest.find("Depends(").or_else(|| rest.find("Security(")) {
        let inner = &rest[at..];
        let open = inner.find('(').unwrap_or(0) + 1;
        let arg = inner[open..].split([')', ',']).next().unwrap_or("");
        if is_auth_name(arg.trim()) || is_security_scheme(cx, arg.trim()) {
            return true;
        }
        rest = &inner[open..];
    }
    false
}

/// FastAPI's security schemes: a dependency on one of them authenticates
/// (`security = HTTPBasic()`, then `Depends(security)`).
const SECURITY_SCHEMES: &[&str] = &[
    "HTTPBasic(",
    "HTTPBearer(",
    "HTTPDigest(",
    "OAuth2PasswordBearer(",
    "OAuth2AuthorizationCodeBearer(",
    "OAuth2(",
    "OpenIdConnect(",
    "APIKeyHeader(",
    "APIKeyCookie(",
    "APIKeyQuery(",
];

fn is_security_scheme(cx: &FileContext, name: &str) -> bool {
    if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return false;
    }
    let text = cx.file.text.as_str();
    let assignment = format!("{name} = ");
    text.match_indices(&assignment).any(|(at, _)| {
        let at_line_start = at == 0 || text[..at].ends_with('\n');
        let rest = &text[at + assignment.len()..];
        at_line_start && SECURITY_SCHEMES.iter().any(|s| rest.starts_with(s))
    })
}

fn decorator_route<'t>(
    cx: &FileContext<'t>,
    ix: &super::Index<'t>,
    call: &Call<'t>,
    routers: &HashMap<String, Router>,
    default_framework: &'static str,
    global_hook: bool,
    routes: &mut Vec<Route<'t>>,
) {
    let methods: Vec<String> = match call.name {
        m if METHODS.contains(&m) => vec![m.to_ascii_uppercase()],
        "route" | "api_route" => match call.keyword("methods") {
            Some(list) => {
                let mut cursor = list.walk();
                list.named_children(&mut cursor)
                    .filter_map(|m| string_value(cx, m))
                    .map(|m| m.to_ascii_uppercase())
                    .collect()
            }
            None => vec!["GET".to_string()],
        },
        _ => return,
    };
    let Some(receiver) = call.receiver else {
        return;
    };
    let Some(path) = call.argument(0, "path").and_then(|p| string_value(cx, p)) else {
        return;
    };
    let router = routers.get(cx.text(receiver));
    let framework = router.map_or(default_framework, |r| r.framework);
    let full = join_path(router.map_or("", |r| r.prefix.as_str()), &path);
    let Some(decorator) = call.node.parent() else {
        return;
    };
    let Some(decorated) = decorator
        .parent()
        .filter(|p| p.kind() == "decorated_definition")
    else {
        return;
    };
    let func = decorated.child_by_field_name("definition");
    // Other decorators: known auth ones, or unknown ones that may be.
    let mut auth = if router.is_some_and(|r| r.auth)
        || call
            .keyword("dependencies")
            .is_some_and(|d| depends_auth(cx, d))
    {
        Known::Yes
    } else if global_hook {
        Known::Unknown
    } else {
        Known::No
    };
    let mut cursor = decorated.walk();
    for other in decorated.named_children(&mut cursor) {
        if other.kind() != "decorator" || other.id() == decorator.id() {
            continue;
        }
        let text = cx.text(other).trim_start_matches('@');
        if text.contains("AllowAny") {
            continue;
        }
        if is_auth_name(text) {
            auth = Known::Yes;
        } else if auth == Known::No && !is_neutral_decorator(text) {
            auth = Known::Unknown;
        }
    }
    for method in methods {
        let mut ep = endpoint(cx, framework, &method, &full, decorator);
        ep.auth = auth;
        if let Some(code) = call.keyword("status_code").and_then(|s| status_code(cx, s)) {
            ep.statuses.push(code);
        }
        if let Some(model) = call.keyword("response_model") {
            if is_list_type(cx.text(model)) {
                ep.returns_list = Known::Yes;
            }
        }
        let mut facts = None;
        if let Some(func) = func {
            ep.handler = function_name(cx, func).map(str::to_string);
            if func
                .child_by_field_name("return_type")
                .is_some_and(|t| is_list_type(cx.text(t)))
            {
                ep.returns_list = Known::Yes;
            }
            if framework == "fastapi" {
                fastapi_params(cx, func, &mut ep);
            }
            let s = scan(cx, ix, func, &|c| python_status(cx, c), &|n| {
                body_read(cx, n)
            });
            apply_scan(&mut ep, &s);
            let mut f = s.facts;
            tuple_returns(cx, func, &mut ep, &mut f);
            facts = Some(f);
        }
        if ep.statuses.is_empty() && ep.method == "POST" && framework == "fastapi" {
            // FastAPI answers 200 unless told otherwise.
        }
        let group = cx.text(receiver).to_string();
        routes.push(Route {
            endpoint: ep,
            decl: decorator,
            group,
            body: facts,
            rooted: router.is_some_and(|r| r.rooted),
        });
    }
}

/// Decorators that never authenticate (caching, rate limits, docs).
fn is_neutral_decorator(text: &str) -> bool {
    let head = text.split('(').next().unwrap_or(text);
    let last = head.rsplit('.').next().unwrap_or(head);
    matches!(
        last,
        "limit"
            | "cache"
            | "cached"
            | "csrf_exempt"
            | "wraps"
            | "staticmethod"
            | "classmethod"
            | "retry"
            | "timed"
            | "transaction"
            | "atomic"
            | "swagger_auto_schema"
            | "extend_schema"
            | "doc"
            | "api_view"
            | "require_http_methods"
            | "require_GET"
            | "require_POST"
            | "cross_origin"
    ) || ["route", "get", "post", "put", "patch", "delete"].contains(&last)
}

fn is_list_type(text: &str) -> bool {
    let t = text.trim();
    ["List[", "list[", "Sequence[", "Iterable[", "typing.List["]
        .iter()
        .any(|p| t.starts_with(p))
}

/// FastAPI parameters: a pydantic model is a validated body, `Depends`
/// on an auth function authenticates, scalars are query parameters.
fn fastapi_params(cx: &FileContext, func: Node, ep: &mut pab_core::Endpoint) {
    let Some(params) = func.child_by_field_name("parameters") else {
        return;
    };
    let path_params: Vec<String> = ep
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| p.name.clone())
        .collect();
    let mut cursor = params.walk();
    for param in params.named_children(&mut cursor) {
        let (name, ty, default) = match param.kind() {
            "identifier" => (Some(param), None, None),
            "typed_parameter" => (
                param.named_child(0),
                param.child_by_field_name("type"),
                None,
            ),
            "default_parameter" | "typed_default_parameter" => (
                param.child_by_field_name("name"),
                param.child_by_field_name("type"),
                param.child_by_field_name("value"),
            ),
            _ => continue,
        };
        let Some(name) = name.map(|n| cx.text(n)) else {
            continue;
        };
        let ty_text = ty.map_or("", |t| cx.text(t));
        let default_text = default.map_or("", |d| cx.text(d));
        if depends_auth(cx, param) {
            ep.auth = Known::Yes;
            continue;
        }
        if default_text.starts_with("Depends(")
            || default_text.starts_with("Security(")
            || ty_text.contains("Depends(")
        {
            continue;
        }
        if path_params.iter().any(|p| p == name) || name == "self" {
            continue;
        }
        let base = ty_text
            .trim_start_matches("Annotated[")
            .trim_start_matches("Optional[");
        let is_model = base.chars().next().is_some_and(char::is_uppercase)
            && !NOT_BODY_TYPES.iter().any(|t| base.starts_with(t))
            && !default_text.starts_with("Query(")
            && !ty_text.contains("Query(")
            && !default_text.starts_with("Header(")
            && !default_text.starts_with("Cookie(");
        if is_model || default_text.starts_with("Body(") {
            ep.validation = Known::Yes;
            ep.params.push(Param {
                name: name.to_string(),
                location: ParamLocation::Body,
            });
            continue;
        }
        if base.starts_with("Request") || base.starts_with("Response") {
            continue;
        }
        let location = if default_text.starts_with("Header(") {
            ParamLocation::Header
        } else if default_text.starts_with("Cookie(") {
            ParamLocation::Cookie
        } else {
            ParamLocation::Query
        };
        if location == ParamLocation::Query {
            if let Some(p) = pagination_name(name) {
                ep.pagination.push(p);
            }
        }
        ep.params.push(Param {
            name: name.to_string(),
            location,
        });
    }
}

/// Capitalized annotations that are not request bodies.
const NOT_BODY_TYPES: &[&str] = &[
    "Request",
    "Response",
    "Session",
    "AsyncSession",
    "BackgroundTasks",
    "WebSocket",
    "HTTPConnection",
    "UploadFile",
    "Optional",
    "Union",
    "Literal",
    "List",
    "Dict",
    "Any",
    "UUID",
    "Decimal",
    "datetime",
    "date",
    "Path",
    "Query",
    "Header",
    "Cookie",
    "Form",
    "File",
    "Annotated[int",
    "Annotated[str",
    "SecurityScopes",
    "HTTPAuthorizationCredentials",
    "OAuth2PasswordRequestForm",
];

/// The statuses a Python call sets: `HTTPException(404)`,
/// `HTTPException(status_code=...)`, `abort(404)`,
/// `JSONResponse(..., status_code=...)`, `Response(status=...)`.
fn python_status(cx: &FileContext, call: &Call) -> Option<u16> {
    // Form handlers answer with a redirect (Flask, Django).
    if call.name == "redirect" {
        return Some(302);
    }
    if matches!(call.name, "RedirectResponse" | "HttpResponseRedirect") {
        return Some(if call.name == "RedirectResponse" {
            307
        } else {
            302
        });
    }
    match call.name {
        "HTTPException" | "abort" | "JSONResponse" | "Response" | "HttpResponse"
        | "JsonResponse" | "PlainTextResponse" | "ORJSONResponse" => {}
        _ => return None,
    }
    let node = call
        .keyword("status_code")
        .or_else(|| call.keyword("status"))
        .or_else(|| {
            matches!(call.name, "HTTPException" | "abort")
                .then(|| call.args.first().copied())
                .flatten()
        })?;
    status_code(cx, node)
}

/// Whether a node reads the raw request body: `request.json`,
/// `request.get_json()`, `request.form`, `request.data`, `request.body`,
/// `request.POST` (Flask, Starlette, Django, DRF).
fn body_read(cx: &FileContext, node: Node) -> bool {
    let Shape::Member { object, property } = cx.lang.shape(node.kind()) else {
        return false;
    };
    let obj = node.child_by_field_name(object).map_or("", |o| cx.text(o));
    let prop = node
        .child_by_field_name(property)
        .map_or("", |p| cx.text(p));
    matches!(obj, "request" | "req" | "self.request")
        // Form posts (`request.form`, `request.POST`) belong to
        // server-rendered pages, which check fields by hand and re-render;
        // the rule is about JSON APIs.
        && matches!(prop, "json" | "get_json" | "data" | "body" | "stream")
}

/// Flask's `return body, 201` / `return jsonify(error=...), 404`.
fn tuple_returns<'t>(
    cx: &FileContext<'t>,
    func: Node<'t>,
    ep: &mut pab_core::Endpoint,
    facts: &mut super::HandlerFacts<'t>,
) {
    let mut stack = vec![func];
    while let Some(node) = stack.pop() {
        if node.kind() == "return_statement" {
            if let Some(value) = node.named_child(0) {
                let parts: Vec<Node> = if matches!(value.kind(), "expression_list" | "tuple") {
                    let mut c = value.walk();
                    value.named_children(&mut c).collect()
                } else {
                    vec![value]
                };
                let code = parts.get(1).and_then(|s| status_code(cx, *s));
                if let Some(code) = code {
                    if !ep.statuses.contains(&code) {
                        ep.statuses.push(code);
                        ep.statuses.sort_unstable();
                    }
                }
                let payload = parts[0];
                let shape = payload_keys(cx, payload);
                if code.is_some_and(|c| c >= 400) {
                    if let Some(keys) = shape {
                        facts
                            .error_shapes
                            .push((value, format!("{{{}}}", keys.join(","))));
                    }
                } else if payload.kind() != "none" {
                    facts.body_responses.push(value);
                }
            }
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            if child.kind() != "function_definition" {
                stack.push(child);
            }
        }
    }
}

/// Keys of `{...}` or `jsonify(error=...)` / `jsonify({...})`.
fn payload_keys(cx: &FileContext, node: Node) -> Option<Vec<String>> {
    if let Some(keys) = object_keys(cx, node) {
        return Some(keys);
    }
    if node.kind() != "call" {
        return None;
    }
    let args = node.child_by_field_name("arguments")?;
    let mut keys = Vec::new();
    let mut cursor = args.walk();
    for a in args.named_children(&mut cursor) {
        match a.kind() {
            "keyword_argument" => keys.push(cx.text(a.child_by_field_name("name")?).to_string()),
            _ => return object_keys(cx, a),
        }
    }
    keys.sort();
    (!keys.is_empty()).then_some(keys)
}

/// `path("items/<int:pk>/", views.item_detail)` in a Django URLconf.
fn django_path<'t>(cx: &FileContext<'t>, call: &Call<'t>, routes: &mut Vec<Route<'t>>) {
    let text = cx.file.text.as_str();
    if !(text.contains("django.urls") || text.contains("django.conf.urls")) || call.args.len() < 2 {
        return;
    }
    // A URLconf entry is an element of a list (`urlpatterns = [...]`,
    // `include([...])`), not any call named `path`.
    if call.node.parent().is_none_or(|p| p.kind() != "list") {
        return;
    }
    let Some(path) = string_value(cx, call.args[0]) else {
        return;
    };
    let view = call.args[1];
    let view_text = cx.text(view);
    if view_text.starts_with("include(") {
        return;
    }
    let handler = view_text
        .trim_end_matches(".as_view()")
        .split('(')
        .next()
        .unwrap_or(view_text);
    let handler = handler.rsplit('.').next().unwrap_or(handler);
    let mut ep = endpoint(cx, "django", "ANY", &path, call.node);
    ep.handler = Some(handler.to_string());
    routes.push(Route {
        endpoint: ep,
        decl: call.node,
        group: "urlpatterns".into(),
        body: None,
        // A URLconf is included from another one, at a prefix it does not see.
        rooted: false,
    });
}

/// `router.register(r"users", UserViewSet)`: the viewset's standard
/// actions, under the prefix the router is included at in this file.
fn drf_register<'t>(cx: &FileContext<'t>, call: &Call<'t>, routes: &mut Vec<Route<'t>>) {
    let text = cx.file.text.as_str();
    if !text.contains("rest_framework") {
        return;
    }
    let Some(receiver) = call.receiver.map(|r| cx.text(r)) else {
        return;
    };
    let Some(prefix) = string_value(cx, call.args[0]) else {
        return;
    };
    let viewset = cx.text(call.args[1]);
    let viewset = viewset.rsplit('.').next().unwrap_or(viewset);
    // `path("api/", include(router.urls))`
    let mount = cx
        .calls()
        .iter()
        .find(|c| {
            matches!(c.name, "path" | "re_path")
                && c.args
                    .get(1)
                    .is_some_and(|a| cx.text(*a).contains(&format!("{receiver}.urls")))
        })
        .and_then(|c| c.args.first().and_then(|a| string_value(cx, *a)))
        .unwrap_or_default();
    let base = join_path(&mount, &prefix);
    let read_only = viewset.contains("ReadOnly");
    let actions: &[(&str, &str, bool)] = &[
        ("GET", "list", false),
        ("POST", "create", false),
        ("GET", "retrieve", true),
        ("PUT", "update", true),
        ("PATCH", "partial_update", true),
        ("DELETE", "destroy", true),
    ];
    for &(method, action, item) in actions {
        if read_only && method != "GET" {
            continue;
        }
        let path = if item {
            join_path(&base, "{pk}")
        } else {
            base.clone()
        };
        let mut ep = endpoint(cx, "django", method, &path, call.node);
        ep.handler = Some(format!("{viewset}.{action}"));
        if action == "list" {
            ep.returns_list = Known::Yes;
        }
        if action == "create" {
            ep.statuses.push(201);
        }
        if action == "destroy" {
            ep.statuses.push(204);
        }
        routes.push(Route {
            endpoint: ep,
            decl: call.node,
            group: receiver.to_string(),
            body: None,
            rooted: false,
        });
    }
}

/// Flask's `bp.add_url_rule("/users/<int:id>", view_func=UserAPI.as_view("user"),
/// methods=["GET", "PUT"])`: the handler is a view function or a
/// `MethodView` class defined elsewhere, so only the declaration is read.
fn flask_url_rule<'t>(
    cx: &FileContext<'t>,
    call: &Call<'t>,
    routers: &HashMap<String, Router>,
    routes: &mut Vec<Route<'t>>,
) {
    let Some(receiver) = call.receiver.map(|r| cx.text(r)) else {
        return;
    };
    let Some(rule) = call.argument(0, "rule").and_then(|r| string_value(cx, r)) else {
        return;
    };
    let view = call
        .keyword("view_func")
        .or_else(|| call.args.get(2).copied());
    let handler = view.map(|v| {
        let text = cx.text(v);
        let head = text.split(".as_view").next().unwrap_or(text);
        head.rsplit('.').next().unwrap_or(head).to_string()
    });
    let methods: Vec<String> = match call.keyword("methods") {
        Some(list) => {
            let mut cursor = list.walk();
            list.named_children(&mut cursor)
                .filter_map(|m| string_value(cx, m))
                .map(|m| m.to_ascii_uppercase())
                .collect()
        }
        // A MethodView answers the methods it defines: unknown here.
        None if view.is_some_and(|v| cx.text(v).contains(".as_view")) => vec!["ANY".into()],
        None => vec!["GET".into()],
    };
    let prefix = routers.get(receiver).map_or("", |r| r.prefix.as_str());
    for method in methods {
        let mut ep = endpoint(cx, "flask", &method, &join_path(prefix, &rule), call.node);
        ep.handler = handler.clone();
        routes.push(Route {
            endpoint: ep,
            decl: call.node,
            group: receiver.to_string(),
            body: None,
            rooted: routers.get(receiver).is_some_and(|r| r.rooted),
        });
    }
}

/// What a local name was imported as: the files of the module it is
/// (`from app.routers import orders`) and of the module it comes from
/// (`from app.routers.orders import router as orders_router`).
struct Imported {
    as_module: Vec<String>,
    from_module: Vec<String>,
}

/// A dotted module (`app.routers`, `.routers`, `..`) as a path: relative
/// imports from the file's directory, absolute ones as a suffix of the
/// display path (the package root is not known).
fn module_path(cx: &FileContext, module: &str) -> String {
    let dots = module.chars().take_while(|c| *c == '.').count();
    let rest = module[dots..].replace('.', "/");
    if dots == 0 {
        return rest;
    }
    let mut up = String::new();
    for _ in 1..dots {
        up.push_str("../");
    }
    super::resolve_relative(&super::dir_of(&cx.file.path), &format!("{up}{rest}"))
}

fn module_files(path: &str) -> Vec<String> {
    if path.is_empty() {
        return Vec::new();
    }
    vec![format!("{path}.py"), format!("{path}/__init__.py")]
}

fn imports(cx: &FileContext) -> HashMap<String, Imported> {
    let mut out = HashMap::new();
    let mut cursor = cx.root.walk();
    for stmt in cx.root.named_children(&mut cursor) {
        match stmt.kind() {
            "import_from_statement" => {
                let Some(module) = stmt.child_by_field_name("module_name") else {
                    continue;
                };
                let base = module_path(cx, cx.text(module));
                let mut c = stmt.walk();
                for name in stmt.children_by_field_name("name", &mut c) {
                    let (imported, local) = match name.kind() {
                        "aliased_import" => (
                            name.child_by_field_name("name").map(|n| cx.text(n)),
                            name.child_by_field_name("alias").map(|n| cx.text(n)),
                        ),
                        _ => (Some(cx.text(name)), Some(cx.text(name))),
                    };
                    let (Some(imported), Some(local)) = (imported, local) else {
                        continue;
                    };
                    let as_module = if base.is_empty() || base.ends_with('/') {
                        format!("{base}{imported}")
                    } else {
                        format!("{base}/{imported}")
                    };
                    out.insert(
                        local.to_string(),
                        Imported {
                            as_module: module_files(&as_module),
                            from_module: module_files(&base),
                        },
                    );
                }
            }
            "import_statement" => {
                let mut c = stmt.walk();
                for name in stmt.children_by_field_name("name", &mut c) {
                    if name.kind() != "aliased_import" {
                        continue;
                    }
                    let (Some(module), Some(alias)) = (
                        name.child_by_field_name("name"),
                        name.child_by_field_name("alias"),
                    ) else {
                        continue;
                    };
                    out.insert(
                        cx.text(alias).to_string(),
                        Imported {
                            as_module: module_files(&module_path(cx, cx.text(module))),
                            from_module: Vec::new(),
                        },
                    );
                }
            }
            _ => {}
        }
    }
    out
}

/// `app.include_router(orders.router, prefix="/api/v1")` with `orders`
/// imported: the routes of orders.py live under the prefix.
pub(super) fn mounts(cx: &FileContext) -> Vec<pab_core::Mount> {
    let calls: Vec<&Call> = cx
        .calls()
        .iter()
        .filter(|c| c.name == "include_router" && !c.args.is_empty())
        .collect();
    if calls.is_empty() {
        return Vec::new();
    }
    let routers = routers(cx);
    let imports = imports(cx);
    let mut out = Vec::new();
    for call in calls {
        let arg = call.args[0];
        let targets = match arg.kind() {
            // `orders.router`: the module `orders`.
            "attribute" => arg
                .child_by_field_name("object")
                .and_then(|o| imports.get(cx.text(o)))
                .map(|i| i.as_module.clone()),
            // `orders_router`, imported from the module that defines it.
            "identifier" if !routers.contains_key(cx.text(arg)) => {
                imports.get(cx.text(arg)).map(|i| i.from_module.clone())
            }
            _ => None,
        };
        let Some(targets) = targets.filter(|t| !t.is_empty()) else {
            continue;
        };
        let mount = call
            .keyword("prefix")
            .and_then(|p| string_value(cx, p))
            .unwrap_or_default();
        let above = call
            .receiver
            .and_then(|r| routers.get(cx.text(r)))
            .map_or("", |r| r.prefix.as_str());
        out.push(pab_core::Mount {
            file: cx.file.path.clone(),
            targets,
            prefix: join_path(above, &mount),
        });
    }
    out
}
