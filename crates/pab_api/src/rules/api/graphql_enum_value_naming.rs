//! GraphQL enum values in SCREAMING_SNAKE_CASE.

use crate::graphql::{is_reserved, is_screaming_snake_case, Schema};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct GraphqlEnumValueNaming;

static META: RuleMeta = RuleMeta {
    id: "api/graphql-enum-value-naming",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::GraphQl,
    default_enabled: true,
    summary: "GraphQL enum values are SCREAMING_SNAKE_CASE.",
    docs: RuleDocs {
        what: "Reports enum values that are not capital letters and digits in words joined by single underscores (`pending`, `inTransit`, `In_Transit`).",
        why: "Enum values are constants: the GraphQL specification's examples and every major public schema write them in capitals, and client generators turn them into constants. A lowercase value reads like a field in queries and variables, and renaming it later breaks every client that sends or matches it.",
        lock: "",
        bad: "enum OrderStatus {\n  pending\n  inTransit\n}",
        good: "enum OrderStatus {\n  PENDING\n  IN_TRANSIT\n}",
        fix: "Rename the values before the enum ships. Once clients use them, add the new value, deprecate the old one with a reason, and map both to the same internal state until clients have moved.",
    },
};

impl ApiRule for GraphqlEnumValueNaming {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_graphql(&self, cx: &Schema, out: &mut Reporter) {
        for t in &cx.types {
            for v in &t.values {
                let name = &v.name.text;
                if is_reserved(name) || is_screaming_snake_case(name) {
                    continue;
                }
                out.report_in(
                    &META,
                    v.name.range,
                    v.range,
                    format!(
                        "enum value `{}.{name}` is not SCREAMING_SNAKE_CASE",
                        t.name.text
                    ),
                    "Write enum values in capitals with underscores between words (`IN_TRANSIT`).",
                );
            }
        }
    }
}
