//! Write operations left open in an otherwise secured API.

use crate::openapi::{Operation, Spec};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct OasUnsecuredWrite;

static META: RuleMeta = RuleMeta {
    id: "api/oas-unsecured-write",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Yaml,
    default_enabled: true,
    summary: "A POST, PUT, PATCH or DELETE operation requires no security while the rest of the API does.",
    docs: RuleDocs {
        what: "Reports write operations (POST, PUT, PATCH, DELETE) whose security is empty (`security: []`, a requirement list containing `{}`, or nothing at all) in a description where the top level or another operation requires a scheme. Operations that are open by nature are not reported: sign-in, sign-up, token, password-reset and webhook paths, and operations whose `operationId` says so (`signUp`, `registerUser`, `createToken`).",
        why: "A write operation without authentication lets anyone change data. When the rest of the API is secured, an open write operation is almost always a mistake (a `security: []` copied from a public GET, a forgotten requirement) and the description is what gateways and reviewers trust.",
        lock: "",
        bad: "security:\n  - BearerAuth: []\npaths:\n  /users/{id}:\n    delete:\n      security: []",
        good: "security:\n  - BearerAuth: []\npaths:\n  /users/{id}:\n    delete:\n      operationId: deleteUser",
        fix: "Remove the override so the top-level requirement applies, or name the scheme the operation requires. If the operation really is public, say why in a suppression comment.",
    },
};

/// Path words of operations that are public on purpose.
const OPEN_BY_NATURE: &[&str] = &[
    "login", "signin", "sign-in", "logout", "signup", "sign-up", "register", "registration", "token", "tokens",
    "oauth", "oauth2", "auth", "authorize", "password", "forgot-password", "reset-password", "password-reset",
    "webhook", "webhooks", "callback", "callbacks", "health", "healthz", "verify", "verification",
];

fn secured(requirements: Option<&crate::openapi::Node>) -> bool {
    requirements.is_some_and(|list| {
        !list.items().is_empty() && list.items().iter().all(|r| !r.entries().is_empty())
    })
}

/// Words of an `operationId` that name an operation public on purpose
/// (`signUp` on `POST /customers`), compared without case or separators.
const OPEN_OPERATION_WORDS: &[&str] = &[
    "signup", "signin", "login", "logout", "register", "token", "resetpassword", "forgotpassword",
    "webhook", "callback",
];

fn open_by_nature(op: &Operation) -> bool {
    let open_path = op.path.split('/').any(|segment| {
        let s = segment.to_ascii_lowercase();
        OPEN_BY_NATURE.contains(&s.as_str()) || s.contains("login") || s.contains("token")
    });
    let open_operation = op.operation_id().is_some_and(|id| {
        let id: String = id
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        OPEN_OPERATION_WORDS.iter().any(|w| id.contains(w))
    });
    open_path || open_operation
}

impl ApiRule for OasUnsecuredWrite {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        let api_secured = secured(cx.root.get("security"))
            || cx.operations.iter().any(|op| secured(op.node.get("security")));
        if !api_secured {
            return;
        }
        for op in &cx.operations {
            if !matches!(op.method, "post" | "put" | "patch" | "delete") || open_by_nature(op) {
                continue;
            }
            if !secured(cx.security(op)) {
                let at = op.node.entry("security").map_or(op.key.range(), |(k, _)| k.range());
                out.report_in(
                    &META,
                    at,
                    op.anchor(),
                    format!("{} changes data but requires no security, unlike the rest of the API", op.label()),
                    "require a security scheme for it (or drop the `security: []` override)",
                );
            }
        }
    }
}
