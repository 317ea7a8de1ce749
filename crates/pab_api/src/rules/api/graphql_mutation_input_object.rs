//! Mutations that take many scalar arguments instead of one input object.

use crate::graphql::{Operation, Schema};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct GraphqlMutationInputObject;

/// This many scalar or enum arguments make a mutation's input worth a type.
const MAX_SCALAR_ARGS: usize = 3;

static META: RuleMeta = RuleMeta {
    id: "api/graphql-mutation-input-object",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::GraphQl,
    default_enabled: true,
    summary: "A mutation takes several scalar arguments instead of one input object.",
    docs: RuleDocs {
        what: "Reports fields of the root mutation type that take three or more arguments whose types are scalars or enums (built-in, or defined in the same file). Arguments of types the file does not define are not counted: they may be input objects.",
        why: "A mutation's arguments are its contract. With one `input` argument, adding an optional field later is a compatible change and clients pass one variable; with a flat list of scalars every new argument lengthens every call site, arguments are easy to swap, and the shape cannot be reused by another mutation.",
        lock: "",
        bad: "type Mutation {\n  createOrder(customerId: ID!, sku: String!, quantity: Int!, note: String): CreateOrderPayload!\n}",
        good: "input CreateOrderInput {\n  customerId: ID!\n  sku: String!\n  quantity: Int!\n  note: String\n}\n\ntype Mutation {\n  createOrder(input: CreateOrderInput!): CreateOrderPayload!\n}",
        fix: "Move the arguments into an `input <Mutation>Input` type and take it as the single `input: <Mutation>Input!` argument. For a published mutation, add the new form under a new name and deprecate the old one.",
    },
};

impl ApiRule for GraphqlMutationInputObject {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_graphql(&self, cx: &Schema, out: &mut Reporter) {
        for f in cx.root_fields(Operation::Mutation) {
            let scalars = f
                .args
                .iter()
                .filter(|a| a.ty.as_ref().and_then(|t| cx.is_leaf(&t.name)) == Some(true))
                .count();
            if scalars < MAX_SCALAR_ARGS {
                continue;
            }
            let input = format!("{}Input", pascal(&f.name.text));
            out.report_in(
                &META,
                f.name.range,
                f.range,
                format!(
                    "mutation `{}` takes {scalars} scalar arguments instead of one input object",
                    f.name.text
                ),
                format!("Group them in `input {input}` and take `input: {input}!`."),
            );
        }
    }
}

/// `createOrder` -> `CreateOrder`.
fn pascal(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_ascii_uppercase().to_string() + chars.as_str()
    })
}
