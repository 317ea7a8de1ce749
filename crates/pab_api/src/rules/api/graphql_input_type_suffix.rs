//! GraphQL input types named `...Input`.

use crate::graphql::{is_reserved, Schema, TypeKind};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct GraphqlInputTypeSuffix;

/// Endings that already say a type is an argument: `Input`, and the
/// filter and ordering shapes of query arguments, a convention of their own.
const ACCEPTED_SUFFIXES: &[&str] = &["Input", "Filter", "Where", "OrderBy", "Sort"];

static META: RuleMeta = RuleMeta {
    id: "api/graphql-input-type-suffix",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::GraphQl,
    default_enabled: true,
    summary: "GraphQL input types are named `...Input`.",
    docs: RuleDocs {
        what: "Reports `input` type definitions whose name does not end in `Input`. Names ending in `Filter`, `Where`, `OrderBy` or `Sort` are accepted too: they are the established names of query argument shapes and say as clearly that the type is an argument.",
        why: "Input and output types live in one namespace, and an input named like an entity (`Address`) takes the natural name from the output type and makes readers guess which is which. The `Input` suffix keeps `Address` for the type clients read and `AddressInput` for what they send, and generated client code stays unambiguous.",
        lock: "",
        bad: "input Address {\n  street: String!\n  city: String!\n}",
        good: "input AddressInput {\n  street: String!\n  city: String!\n}",
        fix: "Rename the input type with an `Input` suffix. Renaming an input type is not visible in queries unless clients name it in variable declarations (`$address: Address!`); check the operations your clients send before renaming a published one.",
    },
};

impl ApiRule for GraphqlInputTypeSuffix {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_graphql(&self, cx: &Schema, out: &mut Reporter) {
        for t in &cx.types {
            if t.kind != TypeKind::InputObject || t.extension {
                continue;
            }
            let name = &t.name.text;
            if is_reserved(name) || ACCEPTED_SUFFIXES.iter().any(|s| name.ends_with(s)) {
                continue;
            }
            out.report_in(
                &META,
                t.name.range,
                t.header,
                format!("input type `{name}` does not end in `Input`"),
                format!(
                    "Rename it `{name}Input`, so that it cannot be mistaken for an output type."
                ),
            );
        }
    }
}
