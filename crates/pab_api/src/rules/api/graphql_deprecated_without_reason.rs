//! `@deprecated` without a reason.

use crate::graphql::{Directive, Schema};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct GraphqlDeprecatedWithoutReason;

static META: RuleMeta = RuleMeta {
    id: "api/graphql-deprecated-without-reason",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::GraphQl,
    default_enabled: true,
    summary: "`@deprecated` without a reason tells clients to stop but not what to use instead.",
    docs: RuleDocs {
        what: "Reports `@deprecated` on a field, argument, input field or enum value without a `reason` argument, or with an empty one.",
        why: "Deprecation is how a GraphQL schema evolves without versions: tools show the reason next to every use of the field. Without one, clients see the default \"No longer supported\" and have to find out on their own what replaces the field, so they don't migrate and the field can never be removed.",
        lock: "",
        bad: "type Order {\n  total: Float @deprecated\n}",
        good: "type Order {\n  total: Float @deprecated(reason: \"Use `totalPrice`, which carries the currency.\")\n}",
        fix: "Add `reason:` naming the replacement (and, if there is one, the date the field will be removed).",
    },
};

fn missing_reason(directives: &[Directive]) -> Option<&Directive> {
    directives.iter().find(|d| {
        d.name == "deprecated"
            && match d.arg("reason") {
                None => true,
                Some(Some(text)) => text.trim().is_empty(),
                // A variable or another value: not ours to judge.
                Some(None) => false,
            }
    })
}

impl ApiRule for GraphqlDeprecatedWithoutReason {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_graphql(&self, cx: &Schema, out: &mut Reporter) {
        let mut report = |d: &Directive, anchor: (usize, usize), what: String| {
            out.report_in(
                &META,
                d.range,
                anchor,
                format!("{what} is deprecated without a reason"),
                "Add `reason: \"Use ... instead.\"` naming what replaces it.",
            );
        };
        for t in &cx.types {
            let ty = &t.name.text;
            for f in &t.fields {
                if let Some(d) = missing_reason(&f.directives) {
                    report(d, f.range, format!("field `{ty}.{}`", f.name.text));
                }
                for a in &f.args {
                    if let Some(d) = missing_reason(&a.directives) {
                        report(
                            d,
                            a.range,
                            format!("argument `{}` of `{ty}.{}`", a.name.text, f.name.text),
                        );
                    }
                }
            }
            for f in &t.input_fields {
                if let Some(d) = missing_reason(&f.directives) {
                    report(d, f.range, format!("input field `{ty}.{}`", f.name.text));
                }
            }
            for v in &t.values {
                if let Some(d) = missing_reason(&v.directives) {
                    report(d, v.range, format!("enum value `{ty}.{}`", v.name.text));
                }
            }
        }
    }
}
