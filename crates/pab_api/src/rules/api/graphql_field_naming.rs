//! GraphQL fields and arguments in camelCase.

use crate::graphql::{is_camel_case, is_reserved, Schema, TypeKind};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct GraphqlFieldNaming;

static META: RuleMeta = RuleMeta {
    id: "api/graphql-field-naming",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::GraphQl,
    default_enabled: true,
    summary: "GraphQL fields, arguments and input fields are camelCase.",
    docs: RuleDocs {
        what: "Reports fields of object and interface types, their arguments, and fields of input types whose name does not start with a lowercase letter followed by letters and digits (`created_at`, `CreatedAt`). Names starting with `_` (`__typename`, federation's `_entities`) are left alone.",
        why: "camelCase is the convention every GraphQL client library, code generator and public schema follows. A snake_case field in a camelCase schema leaks a database column name into the contract, and once clients select it the name is frozen: renaming it is a breaking change that needs a deprecation cycle.",
        lock: "",
        bad: "type Order {\n  created_at: DateTime!\n  line_items(first_n: Int): [LineItem!]!\n}",
        good: "type Order {\n  createdAt: DateTime!\n  lineItems(first: Int): [LineItem!]!\n}",
        fix: "Rename to camelCase before the field ships. If clients already use it, add the camelCase field, mark the old one `@deprecated(reason: \"Use createdAt.\")`, and remove it once no client selects it.",
    },
};

impl ApiRule for GraphqlFieldNaming {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_graphql(&self, cx: &Schema, out: &mut Reporter) {
        let bad = |name: &str| !is_reserved(name) && !is_camel_case(name);
        for t in &cx.types {
            for f in &t.fields {
                if bad(&f.name.text) {
                    out.report_in(
                        &META,
                        f.name.range,
                        f.range,
                        format!("field `{}.{}` is not camelCase", t.name.text, f.name.text),
                        "Name fields in camelCase (`createdAt`).",
                    );
                }
                for a in f.args.iter().filter(|a| bad(&a.name.text)) {
                    out.report_in(
                        &META,
                        a.name.range,
                        a.range,
                        format!(
                            "argument `{}` of `{}.{}` is not camelCase",
                            a.name.text, t.name.text, f.name.text
                        ),
                        "Name arguments in camelCase (`orderId`).",
                    );
                }
            }
            if t.kind == TypeKind::InputObject {
                for f in t.input_fields.iter().filter(|f| bad(&f.name.text)) {
                    out.report_in(
                        &META,
                        f.name.range,
                        f.range,
                        format!(
                            "input field `{}.{}` is not camelCase",
                            t.name.text, f.name.text
                        ),
                        "Name input fields in camelCase (`shippingAddress`).",
                    );
                }
            }
        }
    }
}
