//! `@deprecated` on an argument or input field clients must still send.

use crate::graphql::{InputValue, Schema};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct GraphqlDeprecatedRequiredInput;

static META: RuleMeta = RuleMeta {
    id: "api/graphql-deprecated-required-input",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::GraphQl,
    default_enabled: true,
    summary: "A required argument or input field is deprecated, but clients cannot stop sending it.",
    docs: RuleDocs {
        what: "Reports `@deprecated` on an argument or input field whose type is non-null (`String!`) and that has no default value. The GraphQL specification forbids it, and servers built on graphql-js refuse such a schema at startup.",
        why: "Deprecation asks clients to stop using something. A required input cannot be left out, so every client keeps sending it and the deprecation can never complete; depending on the server library the schema does not even load.",
        lock: "",
        bad: "type Query {\n  orders(first: Int!, limit: Int! @deprecated(reason: \"Use first.\")): OrderConnection!\n}",
        good: "type Query {\n  orders(first: Int!, limit: Int @deprecated(reason: \"Use first.\")): OrderConnection!\n}",
        fix: "Make the deprecated input optional (drop the `!`) or give it a default value, and have the server treat a missing value as before; then deprecate it.",
    },
};

fn report(out: &mut Reporter, v: &InputValue, what: String) {
    let Some(ty) = &v.ty else { return };
    if !ty.non_null || v.has_default {
        return;
    }
    let Some(d) = v.directives.iter().find(|d| d.name == "deprecated") else {
        return;
    };
    out.report_in(
        &META,
        d.range,
        v.range,
        format!(
            "{what} is required (`!`, no default) and deprecated: clients cannot stop sending it"
        ),
        "Make it optional or give it a default value before deprecating it.",
    );
}

impl ApiRule for GraphqlDeprecatedRequiredInput {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_graphql(&self, cx: &Schema, out: &mut Reporter) {
        for t in &cx.types {
            let ty = &t.name.text;
            for f in &t.fields {
                for a in &f.args {
                    report(
                        out,
                        a,
                        format!("argument `{}` of `{ty}.{}`", a.name.text, f.name.text),
                    );
                }
            }
            for f in &t.input_fields {
                report(out, f, format!("input field `{ty}.{}`", f.name.text));
            }
        }
    }
}
