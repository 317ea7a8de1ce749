//! Security requirements naming schemes that do not exist.

use crate::openapi::{Node, Spec, Version};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct OasSecurityDefined;

static META: RuleMeta = RuleMeta {
    id: "api/oas-security-defined",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Yaml,
    default_enabled: true,
    summary: "A `security` requirement names a scheme that `securitySchemes` (2.0 `securityDefinitions`) does not define.",
    docs: RuleDocs {
        what: "Reports every name used in a top-level or operation `security` requirement that is not a key of `components.securitySchemes` (3.x) or `securityDefinitions` (2.0).",
        why: "A requirement on an undefined scheme means nothing to tools: generated clients send no credentials, gateways configured from the description leave the operation open, and readers cannot tell how to authenticate.",
        lock: "",
        bad: "security:\n  - bearerAuth: []\ncomponents:\n  securitySchemes:\n    BearerAuth:\n      type: http\n      scheme: bearer",
        good: "security:\n  - BearerAuth: []\ncomponents:\n  securitySchemes:\n    BearerAuth:\n      type: http\n      scheme: bearer",
        fix: "Use the exact name of a defined scheme (names are case-sensitive), or define the scheme.",
    },
};

impl ApiRule for OasSecurityDefined {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        let schemes = match cx.version {
            Version::V2 => cx.root.get("securityDefinitions"),
            _ => cx.root.get("components").and_then(|c| c.get("securitySchemes")),
        };
        let defined: Vec<&str> = schemes
            .map(|s| s.entries().iter().filter_map(|(k, _)| k.as_str()).collect())
            .unwrap_or_default();
        let mut lists: Vec<&Node> = cx.root.get("security").into_iter().collect();
        lists.extend(cx.operations.iter().filter_map(|op| op.node.get("security")));
        for requirement in lists.iter().flat_map(|l| l.items()) {
            for (name, _) in requirement.entries() {
                let Some(text) = name.as_str() else { continue };
                if !defined.contains(&text) {
                    out.report(
                        &META,
                        name.range(),
                        format!("security scheme `{text}` is not defined"),
                        if cx.version == Version::V2 {
                            "define it under `securityDefinitions`, or use a defined name"
                        } else {
                            "define it under `components.securitySchemes`, or use a defined name"
                        },
                    );
                }
            }
        }
    }
}
