//! A route that changes data has no authentication step while the routes
//! next to it (same router, blueprint, group or controller) have one: the
//! usual sign of a forgotten middleware, guard or dependency.

use crate::context::FileContext;
use crate::rule::{CodeRule, Reporter, ALL_LANGUAGES};
use pab_core::{Known, Language, RuleDocs, RuleMeta, Severity};

pub struct MutationWithoutAuth;

static META: RuleMeta = RuleMeta {
    id: "api/mutation-without-auth",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::JavaScript,
    default_enabled: true,
    summary: "A POST/PUT/PATCH/DELETE route has no auth step while the other write routes on the same router have one.",
    docs: RuleDocs {
        what: "Reports a route with method POST, PUT, PATCH or DELETE whose authentication is visibly absent (no auth middleware, guard, dependency or decorator on the route or its router) when another POST, PUT, PATCH or DELETE route registered on the same router, blueprint, route group or controller in the same file has one (reads are often public on purpose, so they do not set the convention). Auth is recognised by name: `Depends(get_current_user)`, `Security(...)`, `login_required`, `permission_classes`, `requireAuth`, `passport.authenticate`, `@UseGuards`, gin/echo/chi group middleware such as `AuthRequired()` or `jwtauth.Authenticator`. A route with an unknown middleware or decorator, a router behind a global hook, or a handler that reads `req.user` is not reported; nor are public operations by name (`/login`, `/signup`, `/register`, `/token`, `/webhooks`, `/password/reset`...).",
        why: "When the routes of a router are authenticated one by one, the one that was forgotten is public: anyone can create, change or delete data through it. The neighbours show the convention the author meant to follow.",
        lock: "",
        bad: "router.post('/products', requireAuth, createProduct);\nrouter.delete('/products/:id', deleteProduct);",
        good: "router.post('/products', requireAuth, createProduct);\nrouter.delete('/products/:id', requireAuth, deleteProduct);",
        fix: "Add the same auth step as the sibling routes (middleware, guard, `Depends`), or better, apply it once to the router (`router.use(requireAuth)`, `APIRouter(dependencies=[Depends(get_current_user)])`, `r.Group(...).Use(auth)`). If the route is public on purpose, suppress the finding with the reason.",
    },
};

/// Operations that are public by nature.
const PUBLIC: &[&str] = &[
    "login",
    "logout",
    "signin",
    "signup",
    "sign-in",
    "sign-up",
    "register",
    "token",
    "tokens",
    "refresh",
    "webhook",
    "webhooks",
    "callback",
    "forgot",
    "forgot-password",
    "reset",
    "reset-password",
    "password",
    "verify",
    "confirm",
    "contact",
    "subscribe",
    "unsubscribe",
    "oauth",
    "auth",
    "session",
    "sessions",
    "health",
    "healthz",
    "public",
    "events",
    "track",
];

fn is_mutation(method: &str) -> bool {
    matches!(method, "POST" | "PUT" | "PATCH" | "DELETE")
}

impl CodeRule for MutationWithoutAuth {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn languages(&self) -> &'static [Language] {
        ALL_LANGUAGES
    }

    fn check(&self, cx: &FileContext, out: &mut Reporter) {
        let routes = cx.routes();
        for route in routes {
            let ep = &route.endpoint;
            if !is_mutation(&ep.method) || ep.auth != Known::No {
                continue;
            }
            let public = ep
                .path
                .split('/')
                .any(|s| PUBLIC.contains(&s.to_ascii_lowercase().as_str()));
            if public {
                continue;
            }
            // The convention is read from the other writes: reads are
            // often public on purpose, and so is a sign-up next to an
            // authenticated `GET /me`.
            let Some(sibling) = routes.iter().find(|r| {
                r.group == route.group
                    && r.endpoint.auth == Known::Yes
                    && is_mutation(&r.endpoint.method)
            }) else {
                continue;
            };
            out.report(
                cx,
                &META,
                route.decl,
                format!(
                    "`{} {}` has no authentication step, while `{} {}` on the same router (line {}) has one",
                    ep.method, ep.path, sibling.endpoint.method, sibling.endpoint.path, sibling.endpoint.span.start.line
                ),
                "add the auth middleware, guard or dependency the sibling routes use, or apply it to the whole router; suppress with the reason if the route is public on purpose",
            );
        }
    }
}
