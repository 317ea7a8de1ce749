//! Mutations that return a scalar or a list instead of a payload type.

use crate::graphql::{Operation, Schema};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct GraphqlMutationPayload;

static META: RuleMeta = RuleMeta {
    id: "api/graphql-mutation-payload",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::GraphQl,
    default_enabled: true,
    summary: "A mutation returns a scalar, an enum or a list, which can never grow new fields.",
    docs: RuleDocs {
        what: "Reports fields of the root mutation type whose type is a list, or a scalar or enum (built-in, or defined in the same file): `deleteOrder(id: ID!): Boolean`. Mutations returning an object type are not reported, whether or not it is a dedicated payload.",
        why: "What a mutation returns is where it reports what happened: the changed object, user-facing errors, a job id. A `Boolean` or `ID` can never carry more, so the first time the mutation needs to return an error code or the updated entity, it needs a new name and every client has to move.",
        lock: "",
        bad: "type Mutation {\n  cancelOrder(id: ID!): Boolean!\n}",
        good: "type CancelOrderPayload {\n  order: Order\n  userErrors: [UserError!]!\n}\n\ntype Mutation {\n  cancelOrder(input: CancelOrderInput!): CancelOrderPayload!\n}",
        fix: "Return an object type named after the mutation (`CancelOrderPayload`) holding what clients need now (the changed object, a list of user errors); later additions are then compatible fields.",
    },
};

impl ApiRule for GraphqlMutationPayload {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_graphql(&self, cx: &Schema, out: &mut Reporter) {
        for f in cx.root_fields(Operation::Mutation) {
            let Some(ty) = &f.ty else { continue };
            let what = if ty.list {
                "a list"
            } else if cx.is_leaf(&ty.name) == Some(true) {
                "a scalar"
            } else {
                continue;
            };
            out.report_in(
                &META,
                f.name.range,
                f.range,
                format!(
                    "mutation `{}` returns {what} (`{}`), which cannot grow new fields",
                    f.name.text, ty.name
                ),
                "Return a payload object type named after the mutation (`...Payload`) with the changed object and any user errors.",
            );
        }
    }
}
