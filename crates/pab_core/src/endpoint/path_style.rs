//! Path-shape checks on endpoints, written once so that a route in code and
//! an operation in an API description are judged by the same conventions
//! and reported with the same ids and words: verbs in paths, singular
//! collection names, segments that are not kebab-case, and a missing
//! version prefix (when the project configures one).
//!
//! Every analyzer that extracts endpoints calls [`report_path_style`] once
//! per file, at the end of its `analyze`. The engine registers the rules
//! ([`RULES`]) next to its own, so they can be selected, ignored, given a
//! severity and suppressed like any other rule.

use super::Endpoint;
use crate::config::Settings;
use crate::engine::Diagnostics;
use crate::finding::Severity;
use crate::rule::{Language, RuleDocs, RuleMeta};
use crate::source::SourceFile;
use std::collections::HashSet;

pub static VERB_IN_PATH: RuleMeta = RuleMeta {
    id: "api/verb-in-path",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Python,
    default_enabled: true,
    summary: "An endpoint path names an action (`/getUsers`, `/users/delete`) instead of a resource.",
    docs: RuleDocs {
        what: "Reports a path segment that starts with a CRUD verb (`get`, `create`, `update`, `delete`, `remove`, `add`, `fetch`, `insert`, `modify`, `retrieve`, `destroy`), either as a word of a compound segment (`/getUsers`, `/create-order`) or alone after a resource (`/users/delete`, `/users/{id}/update`). Words that are resources or well-known operations (`/login`, `/search`, `/health`, `/webhooks`, `/status`, `/add-ons`) are not verbs here, and neither are server-rendered form pages (a path served for every method, like a Django view, or for both GET and POST: HTML forms cannot send PUT or DELETE). Applies to routes found in code and to operations of API descriptions alike.",
        why: "In HTTP the method is the verb: `DELETE /users/{id}` says what `POST /users/delete` says, and caches, proxies, retries, logs, API gateways and client generators understand it. Verbs in paths multiply the surface (one path per action), hide which calls are safe to retry, and drift into RPC naming that no two endpoints share.",
        lock: "",
        bad: "@app.post(\"/users/delete\")\ndef delete_user(body: DeleteUser): ...\n\n@app.get(\"/getUsers\")\ndef get_users(): ...",
        good: "@app.delete(\"/users/{user_id}\", status_code=204)\ndef delete_user(user_id: int): ...\n\n@app.get(\"/users\")\ndef list_users(): ...",
        fix: "Name the resource in the path and move the action to the method: `GET /users`, `POST /users`, `PATCH /users/{id}`, `DELETE /users/{id}`. For a real action that is not CRUD, use a noun sub-resource (`POST /orders/{id}/cancellation`) or a documented action segment.",
    },
};

pub static SINGULAR_COLLECTION: RuleMeta = RuleMeta {
    id: "api/singular-collection",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Python,
    default_enabled: true,
    summary: "A collection segment followed by an id is singular (`/user/{id}`); collections are plural.",
    docs: RuleDocs {
        what: "Reports a path segment that is directly followed by a parameter segment (so it names a collection of items addressed by id) and is an obviously singular noun: a lower-case word that does not end in `s`, and is not an uncountable noun (`data`, `media`, `staff`, `inventory`...), an irregular plural (`people`, `children`), an acronym, or a non-collection word (`me`, `auth`, `admin`, `api`, `v1`...). Applies to routes in code and to operations of API descriptions.",
        why: "`/users` is the collection and `/users/{id}` one of its items: one name for both, so clients and generated SDKs find the list and the item in the same place. Mixing `/user/{id}` with `/users` makes every consumer guess which form each resource uses.",
        lock: "",
        bad: "@app.get(\"/user/{user_id}\")\ndef get_user(user_id: int): ...",
        good: "@app.get(\"/users/{user_id}\")\ndef get_user(user_id: int): ...",
        fix: "Use the plural collection name for the item path too (`/users/{id}`), keeping the old path as a redirect or deprecated alias while clients move.",
    },
};

pub static NON_KEBAB_PATH_SEGMENT: RuleMeta = RuleMeta {
    id: "api/non-kebab-path-segment",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Python,
    default_enabled: true,
    summary: "A path segment is camelCase or snake_case; URL paths are conventionally kebab-case.",
    docs: RuleDocs {
        what: "Reports a literal path segment (not a parameter) that contains an upper-case letter or an underscore (`/orderItems`, `/order_items`) when the same file (source file or API description) also has kebab-case segments, or when the segment itself mixes styles (`/order_items-v2`). A file whose paths are consistently snake_case or camelCase is left alone: that is a style, and changing it breaks clients. A segment already reported by `api/verb-in-path` is not reported again.",
        why: "Paths are case-sensitive on most servers but not on every proxy, CDN or human: `/orderItems` and `/orderitems` become two resources, and mixed styles across endpoints make the API harder to guess. Lower-case kebab-case is the common convention (Google, Microsoft and Zalando API guidelines).",
        lock: "",
        bad: "@app.get(\"/order_items\")\ndef list_order_items(): ...",
        good: "@app.get(\"/order-items\")\ndef list_order_items(): ...",
        fix: "Rename the segment to lower-case kebab-case (`/order-items`); keep the old path as a redirect while clients move.",
    },
};

pub static MISSING_VERSION_PREFIX: RuleMeta = RuleMeta {
    id: "api/missing-version-prefix",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Python,
    default_enabled: true,
    summary: "An endpoint path does not start with the configured API version prefix (`api.version-prefix`).",
    docs: RuleDocs {
        what: "Only when the configuration sets `[api] version-prefix` (for example `\"/api/v1\"`): reports an endpoint whose full path does not start with that prefix. Operational endpoints (`/health`, `/healthz`, `/readyz`, `/livez`, `/metrics`, `/docs`, `/openapi.json`, `/favicon.ico`, `/`) are exempt. Without the setting the rule reports nothing, so enabling it is one line of configuration. In code, only routes whose full path the file shows are checked: routes on the application, or on a router mounted in the same file; a router that another module mounts (`app.include_router(orders.router, prefix=\"/api/v1\")` in main.py) is not.",
        why: "A team that versions its API in the path relies on every public endpoint carrying the version: an endpoint outside it cannot be evolved with the rest, breaks the gateway's routing rules, and is missed when v1 is retired.",
        lock: "",
        bad: "# proagent-backend.toml: [api] version-prefix = \"/api/v1\"\n@app.get(\"/orders\")\ndef list_orders(): ...",
        good: "router = APIRouter(prefix=\"/api/v1\")\n\n@router.get(\"/orders\")\ndef list_orders(): ...",
        fix: "Mount the endpoint under the versioned router (`APIRouter(prefix=\"/api/v1\")`, `app.use('/api/v1', router)`), or exempt it deliberately with a suppression comment that says why.",
    },
};

/// The rules of this module, for the engine's registry.
pub static RULES: [&RuleMeta; 4] = [
    &VERB_IN_PATH,
    &SINGULAR_COLLECTION,
    &NON_KEBAB_PATH_SEGMENT,
    &MISSING_VERSION_PREFIX,
];

/// Verbs that name CRUD actions. Kept short on purpose: `login`, `search`,
/// `register`, `verify` name well-known operations, not misplaced methods.
const VERBS: &[&str] = &[
    "get", "create", "update", "delete", "remove", "add", "fetch", "insert", "modify", "retrieve",
    "destroy",
];

/// Compound segments that start with a verb word but name a resource.
const VERB_EXCEPTIONS: &[&str] = &["add-on", "add-ons", "addon", "addons", "get-started"];

/// Words that are fine before a parameter although they do not end in `s`:
/// uncountable nouns, irregular plurals, and words that do not name a
/// collection.
const NOT_SINGULAR: &[&str] = &[
    "data",
    "metadata",
    "info",
    "media",
    "staff",
    "news",
    "feedback",
    "equipment",
    "software",
    "hardware",
    "inventory",
    "stock",
    "history",
    "content",
    "traffic",
    "mail",
    "music",
    "people",
    "children",
    "men",
    "women",
    "feet",
    "teeth",
    "mice",
    "geese",
    "criteria",
    "phenomena",
    "me",
    "auth",
    "oauth",
    "admin",
    "api",
    "public",
    "private",
    "internal",
    "static",
    "health",
    "search",
    "config",
    "download",
    "upload",
    "export",
    "import",
    "preview",
    "view",
    "edit",
    "new",
    "by",
    "for",
    "all",
    "latest",
    "current",
    "default",
    "bulk",
    "batch",
    "raw",
    "debug",
    "proxy",
    "redirect",
    "callback",
    "webhook",
    "graphql",
    "rpc",
    "ws",
    "sse",
    "cdn",
    "www",
    "docs",
    // HTTP methods and actions: not collections (`/reset/{token}`).
    "get",
    "post",
    "put",
    "patch",
    "head",
    "options",
    "reset",
    "confirm",
    "verify",
    "activate",
    "deactivate",
    "approve",
    "reject",
    "cancel",
    "resend",
    "subscribe",
    "unsubscribe",
    "login",
    "logout",
    "register",
    "fish",
    "sheep",
    "deer",
    "series",
    "species",
    "aircraft",
];

/// Operational endpoints that live outside a versioned API by design.
const UNVERSIONED: &[&str] = &[
    "health",
    "healthz",
    "health-check",
    "healthcheck",
    "ready",
    "readyz",
    "live",
    "livez",
    "ping",
    "metrics",
    "docs",
    "redoc",
    "openapi.json",
    "openapi.yaml",
    "swagger.json",
    "favicon.ico",
    "robots.txt",
    ".well-known",
];

/// Reports the path-shape rules (`api/verb-in-path`,
/// `api/singular-collection`, `api/non-kebab-path-segment`,
/// `api/missing-version-prefix`) on the endpoints one file declares.
///
/// **Every analyzer that fills `Diagnostics::endpoints` calls this once per
/// file, at the end of `analyze`**, with the same `file`, `settings` and
/// the endpoints it extracted from that file (the code analyzer with its
/// routes, the OpenAPI analyzer with its operations). Paths must already be
/// full and normalized: prefixes and mounts resolved (for a description,
/// the server URL's base path prepended when it is a path, e.g.
/// `servers: [{url: /api/v1}]`), parameters written `{name}`.
///
/// Findings land on each endpoint's `span`, which is also the anchor for
/// suppression comments. A problem in a segment several endpoints share
/// (`/user/{id}` under GET, PUT and DELETE) is reported once, on the
/// first endpoint in `endpoints` order. Disabled rules are skipped through
/// `settings`; `api/missing-version-prefix` reports nothing unless
/// `settings.api_version_prefix` is set.
pub fn report_path_style(
    file: &SourceFile,
    settings: &Settings,
    endpoints: &[Endpoint],
    out: &mut Diagnostics,
) {
    let verbs_on = settings.rules.is_enabled(&VERB_IN_PATH);
    let singular_on = settings.rules.is_enabled(&SINGULAR_COLLECTION);
    let kebab_on = settings.rules.is_enabled(&NON_KEBAB_PATH_SEGMENT);
    let prefix = settings
        .api_version_prefix
        .as_deref()
        .map(|p| p.trim().trim_end_matches('/'))
        .filter(|p| !p.is_empty())
        .filter(|_| settings.rules.is_enabled(&MISSING_VERSION_PREFIX));
    // (rule, path up to the offending segment): one finding per problem.
    let mut seen: HashSet<(&'static str, String)> = HashSet::new();
    // The file's own convention: snake_case-only URLconfs (common in
    // Django) are a style, not a slip; a snake_case segment among kebab
    // ones is.
    let uses_kebab = endpoints.iter().any(|e| {
        e.path
            .split('/')
            .any(|s| is_plain(s) && s.contains('-') && s.chars().any(|c| c.is_ascii_alphabetic()))
    });
    // Server-rendered form pages register GET and POST on `/x/{id}/delete`
    // (HTML forms cannot send DELETE); a view serving every method is one.
    let posted: HashSet<&str> = endpoints
        .iter()
        .filter(|e| e.method == "POST")
        .map(|e| e.path.as_str())
        .collect();
    let form_pages: HashSet<&str> = endpoints
        .iter()
        .filter(|e| e.method == "ANY" || (e.method == "GET" && posted.contains(e.path.as_str())))
        .map(|e| e.path.as_str())
        .collect();
    for endpoint in endpoints {
        let range = (endpoint.span.start_byte, endpoint.span.end_byte);
        let segments: Vec<&str> = endpoint.path.split('/').filter(|s| !s.is_empty()).collect();
        for (i, segment) in segments.iter().enumerate() {
            if is_param(segment) || !is_plain(segment) {
                continue;
            }
            let key = segments[..=i].join("/");
            let next_is_param = segments.get(i + 1).is_some_and(|s| is_param(s));
            let is_last = i + 1 == segments.len();
            let verb = verb_of(segment, i > 0 && (is_last || next_is_param))
                .filter(|_| !form_pages.contains(endpoint.path.as_str()));
            if let Some(verb) = verb.filter(|_| verbs_on) {
                if seen.insert((VERB_IN_PATH.id, key.clone())) {
                    out.report(
                        file,
                        settings,
                        &VERB_IN_PATH,
                        range,
                        range,
                        format!(
                            "`{}` puts the verb `{verb}` in the path segment `{segment}`: the HTTP method should say what the call does",
                            endpoint.path
                        ),
                        verb_help(verb),
                    );
                }
                // The segment is reported; its spelling is the same problem.
                continue;
            }
            let mixed = segment.contains('-')
                || (segment.contains('_') && segment.chars().any(|c| c.is_ascii_uppercase()));
            if kebab_on
                && (uses_kebab || mixed)
                && segment.chars().any(|c| c.is_ascii_uppercase() || c == '_')
                && seen.insert((NON_KEBAB_PATH_SEGMENT.id, key.clone()))
            {
                out.report(
                    file,
                    settings,
                    &NON_KEBAB_PATH_SEGMENT,
                    range,
                    range,
                    format!(
                        "path segment `{segment}` of `{}` is not kebab-case",
                        endpoint.path
                    ),
                    format!("write it `{}`", kebab(segment)),
                );
            }
            if singular_on
                && next_is_param
                && is_obviously_singular(segment)
                && seen.insert((SINGULAR_COLLECTION.id, key.clone()))
            {
                out.report(
                    file,
                    settings,
                    &SINGULAR_COLLECTION,
                    range,
                    range,
                    format!(
                        "`{segment}` in `{}` names a collection addressed by id but is singular",
                        endpoint.path
                    ),
                    format!(
                        "name the collection in the plural (`/{}/{{id}}`), the same for the list and its items",
                        plural(segment)
                    ),
                );
            }
        }
        if let Some(prefix) = prefix {
            if !has_prefix(&endpoint.path, prefix) && !is_unversioned(&segments) {
                let key = segments.first().copied().unwrap_or("").to_string();
                if seen.insert((MISSING_VERSION_PREFIX.id, key)) {
                    out.report(
                        file,
                        settings,
                        &MISSING_VERSION_PREFIX,
                        range,
                        range,
                        format!(
                            "`{} {}` is outside the API version prefix `{prefix}`",
                            endpoint.method, endpoint.path
                        ),
                        format!(
                            "mount it under `{prefix}` (a router or blueprint prefix), or suppress this line with the reason it must stay unversioned"
                        ),
                    );
                }
            }
        }
    }
}

fn is_param(segment: &str) -> bool {
    segment.starts_with('{') || segment.starts_with(':') || segment == "*"
}

/// Plain text a person named: no regex, wildcard or template left over.
fn is_plain(segment: &str) -> bool {
    segment
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'))
}

/// The words of a segment: split at `-`, `_`, `.` and lower-to-upper
/// case changes (`getUsers` -> `get`, `users`).
fn words(segment: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in segment.chars() {
        if matches!(c, '-' | '_' | '.' | '~') {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// The verb a segment starts with: the first word of a compound segment
/// (`getUsers`), or the whole segment when it stands alone after a
/// resource (`/users/delete`, `/users/{id}/update`).
fn verb_of(segment: &str, alone_allowed: bool) -> Option<&'static str> {
    let lower = segment.to_ascii_lowercase();
    if VERB_EXCEPTIONS.contains(&lower.as_str()) {
        return None;
    }
    let words = words(segment);
    let first = words.first()?;
    let verb = VERBS.iter().find(|v| **v == first.as_str())?;
    if words.len() > 1 || alone_allowed {
        Some(verb)
    } else {
        None
    }
}

fn verb_help(verb: &str) -> String {
    let method = match verb {
        "get" | "fetch" | "retrieve" => "GET",
        "create" | "add" | "insert" => "POST",
        "update" | "modify" => "PUT or PATCH",
        _ => "DELETE",
    };
    format!("name the resource and use `{method}` on it (`{method} /users/{{id}}` rather than `POST /users/{verb}`)")
}

fn is_obviously_singular(segment: &str) -> bool {
    if segment.len() < 3 || !segment.chars().all(|c| c.is_ascii_lowercase()) {
        // Acronyms, versions (`v1`), compounds: not obvious.
        return false;
    }
    if segment.ends_with('s') || NOT_SINGULAR.contains(&segment) || VERBS.contains(&segment) {
        return false;
    }
    // Gerunds and mass nouns (`billing`, `tracking`, `shipping`,
    // `firmware`) name an area, not a collection.
    !(segment.ends_with("ing") || segment.ends_with("ware") || segment.ends_with("ed"))
}

fn plural(word: &str) -> String {
    let consonant_y =
        word.ends_with('y') && !word[..word.len() - 1].ends_with(|c: char| "aeiou".contains(c));
    if consonant_y {
        format!("{}ies", &word[..word.len() - 1])
    } else if word.ends_with("ch") || word.ends_with("sh") || word.ends_with('x') {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

fn kebab(segment: &str) -> String {
    words(segment).join("-")
}

fn has_prefix(path: &str, prefix: &str) -> bool {
    let prefix = prefix.trim_start_matches('/');
    let path = path.trim_start_matches('/');
    path == prefix || path.starts_with(&format!("{prefix}/"))
}

pub(crate) fn is_unversioned(segments: &[&str]) -> bool {
    segments
        .first()
        .is_none_or(|s| UNVERSIONED.contains(&s.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::{EndpointOrigin, Known};
    use crate::registry::RuleRegistry;
    use crate::Span;

    fn endpoint(method: &str, path: &str, at: usize) -> Endpoint {
        Endpoint {
            origin: EndpointOrigin::Code,
            framework: "fastapi",
            method: method.into(),
            path: path.into(),
            handler: None,
            file: "app.py".into(),
            span: Span {
                start: crate::Position { line: 1, column: 1 },
                end: crate::Position { line: 1, column: 2 },
                start_byte: at,
                end_byte: at + 1,
            },
            auth: Known::Unknown,
            validation: Known::Unknown,
            returns_list: Known::Unknown,
            pagination: Vec::new(),
            params: Vec::new(),
            statuses: Vec::new(),
        }
    }

    fn run(paths: &[(&str, &str)], prefix: Option<&str>) -> Vec<(String, String)> {
        let registry = RuleRegistry::new(RULES.to_vec());
        let settings = Settings {
            rules: registry.rule_set(None, &[], &Default::default()).unwrap(),
            postgres_version: 14,
            assume_in_transaction: false,
            api_version_prefix: prefix.map(str::to_string),
        };
        let file = SourceFile::new("app.py", "x\n".repeat(10));
        let endpoints: Vec<Endpoint> = paths.iter().map(|(m, p)| endpoint(m, p, 0)).collect();
        let mut out = Diagnostics::default();
        report_path_style(&file, &settings, &endpoints, &mut out);
        out.findings
            .iter()
            .map(|f| (f.rule.to_string(), f.message.clone()))
            .collect()
    }

    fn rules(paths: &[(&str, &str)], prefix: Option<&str>) -> Vec<String> {
        run(paths, prefix).into_iter().map(|(r, _)| r).collect()
    }

    #[test]
    fn verbs_in_paths_are_reported_conservatively() {
        assert_eq!(rules(&[("GET", "/getUsers")], None), ["api/verb-in-path"]);
        assert_eq!(
            rules(&[("POST", "/createOrder")], None),
            ["api/verb-in-path"]
        );
        assert_eq!(
            rules(&[("POST", "/users/delete")], None),
            ["api/verb-in-path"]
        );
        assert_eq!(
            rules(&[("POST", "/users/{id}/update")], None),
            ["api/verb-in-path"]
        );
        for ok in [
            "/login",
            "/logout",
            "/search",
            "/health",
            "/webhooks",
            "/status",
            "/add-ons",
            "/users/{id}/addresses",
            "/updates",
            "/deleted-items",
            "/delete",
        ] {
            assert!(rules(&[("POST", ok)], None).is_empty(), "{ok}");
        }
    }

    #[test]
    fn form_pages_may_name_their_action() {
        assert!(rules(
            &[
                ("GET", "/posts/{id}/delete"),
                ("POST", "/posts/{id}/delete")
            ],
            None
        )
        .is_empty());
        assert!(!rules(&[("ANY", "/author/{pk}/update/")], None)
            .iter()
            .any(|r| r == "api/verb-in-path"));
    }

    #[test]
    fn singular_collections_before_an_id() {
        assert_eq!(
            rules(&[("GET", "/user/{id}")], None),
            ["api/singular-collection"]
        );
        assert_eq!(
            rules(&[("GET", "/api/v1/category/{slug}")], None),
            ["api/singular-collection"]
        );
        for ok in [
            "/users/{id}",
            "/user",
            "/me/{x}",
            "/auth/{provider}",
            "/data/{key}",
            "/people/{id}",
            "/v1/{id}",
            "/api/{id}",
            "/address/{id}",
            "/billing/{id}",
            "/inventory/{sku}",
        ] {
            assert!(rules(&[("GET", ok)], None).is_empty(), "{ok}");
        }
        // An acronym is not a singular noun.
        assert!(rules(&[("GET", "/SKU/{id}")], None).is_empty());
    }

    #[test]
    fn one_finding_per_segment_across_methods() {
        let found = rules(
            &[
                ("GET", "/user/{id}"),
                ("PUT", "/user/{id}"),
                ("GET", "/user/{id}/orders"),
            ],
            None,
        );
        assert_eq!(found, ["api/singular-collection"]);
    }

    #[test]
    fn kebab_case_segments() {
        let found = run(
            &[("GET", "/order_items/{item_id}"), ("GET", "/gift-cards")],
            None,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "api/non-kebab-path-segment");
        // A consistent snake_case API is a style.
        assert!(rules(&[("GET", "/order_items"), ("GET", "/gift_cards")], None).is_empty());
        assert_eq!(
            rules(&[("GET", "/order_items-v2")], None),
            ["api/non-kebab-path-segment"]
        );
        assert!(rules(&[("GET", "/order-items/{orderItemId}")], None).is_empty());
        // The verb rule owns `getUsers`.
        assert_eq!(rules(&[("GET", "/getUsers")], None), ["api/verb-in-path"]);
    }

    #[test]
    fn version_prefix_only_when_configured() {
        assert!(rules(&[("GET", "/orders")], None).is_empty());
        assert_eq!(
            rules(&[("GET", "/orders")], Some("/api/v1")),
            ["api/missing-version-prefix"]
        );
        for ok in ["/api/v1/orders", "/api/v1", "/health", "/metrics", "/"] {
            assert!(rules(&[("GET", ok)], Some("/api/v1/")).is_empty(), "{ok}");
        }
        assert_eq!(
            rules(&[("GET", "/api/v10/orders")], Some("/api/v1")),
            ["api/missing-version-prefix"]
        );
    }

    #[test]
    fn helpers() {
        assert_eq!(plural("category"), "categories");
        assert_eq!(plural("box"), "boxes");
        assert_eq!(plural("key"), "keys");
        assert_eq!(kebab("orderItems"), "order-items");
        assert_eq!(kebab("order_items"), "order-items");
    }
}
