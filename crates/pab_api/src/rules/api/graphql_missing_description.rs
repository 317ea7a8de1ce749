//! Types and fields without a description.

use crate::graphql::{is_reserved, Schema};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct GraphqlMissingDescription;

static META: RuleMeta = RuleMeta {
    id: "api/graphql-missing-description",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::GraphQl,
    default_enabled: false,
    summary: "A GraphQL type or field has no description (off by default).",
    docs: RuleDocs {
        what: "Reports type definitions (not extensions) and fields of object and interface types that have no description string, or an empty one. Off by default: how much to document is a team's choice; enable it for public schemas.",
        why: "Descriptions are the documentation clients see in GraphiQL, in IDE completion and in generated code. For a public API the schema is often the only documentation; a field called `status` or `amount` without a word on its meaning or unit gets misused.",
        lock: "",
        bad: "type Order {\n  amount: Int!\n}",
        good: "\"\"\"A customer's order.\"\"\"\ntype Order {\n  \"Total in the smallest currency unit (cents).\"\n  amount: Int!\n}",
        fix: "Add a string before the definition: `\"...\"` for one line, `\"\"\"...\"\"\"` for several. Say what the value means, its unit and when it can be null.",
    },
};

impl ApiRule for GraphqlMissingDescription {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_graphql(&self, cx: &Schema, out: &mut Reporter) {
        for t in &cx.types {
            if !t.extension && !t.described && !is_reserved(&t.name.text) {
                out.report_in(
                    &META,
                    t.name.range,
                    t.header,
                    format!("{} `{}` has no description", t.kind.as_str(), t.name.text),
                    "Add a description string before the definition saying what the type represents.",
                );
            }
            for f in t
                .fields
                .iter()
                .filter(|f| !f.described && !is_reserved(&f.name.text))
            {
                out.report_in(
                    &META,
                    f.name.range,
                    f.range,
                    format!("field `{}.{}` has no description", t.name.text, f.name.text),
                    "Add a description string before the field: what it means, its unit, when it is null.",
                );
            }
        }
    }
}
