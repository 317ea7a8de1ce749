//! `enum` lists with values of the wrong type or repeated values.

use crate::openapi::schema::{all_schemas, has_type, same_value, type_name, types};
use crate::openapi::{Spec, Value};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct OasEnumValues;

static META: RuleMeta = RuleMeta {
    id: "api/oas-enum-values",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Yaml,
    default_enabled: true,
    summary: "An `enum` value does not match the schema's `type`, or appears twice.",
    docs: RuleDocs {
        what: "For every schema (and 2.0 parameter, header and `items`) with an `enum`, reports values that are not of the declared `type` (`\"1\"` in an integer enum; `null` is accepted when the schema is `nullable` or allows `null`), and values that repeat an earlier one.",
        why: "A wrongly typed value can never validate, so clients generated from the enum offer a choice the server rejects (or the reverse); YAML makes this easy (unquoted `1.0` or `2024` are numbers, not the strings they look like). Duplicates produce enum types that do not compile in several languages.",
        lock: "",
        bad: "schema:\n  type: integer\n  enum: [1, 2, \"3\", 2]",
        good: "schema:\n  type: integer\n  enum: [1, 2, 3]",
        fix: "Write every value with the schema's type (quote strings in YAML: `'1.0'`, `'true'`), and list each value once.",
    },
};

impl ApiRule for OasEnumValues {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        for schema in all_schemas(cx) {
            let Some(values) = schema.get("enum") else { continue };
            let tys = types(schema);
            let nullable = schema.get("nullable").is_some_and(|n| n.value == Value::Bool(true));
            let items = values.items();
            for (i, value) in items.iter().enumerate() {
                let null_ok = value.value == Value::Null && (nullable || tys.contains(&"null"));
                if !tys.is_empty() && !null_ok && !tys.iter().any(|t| has_type(value, t)) {
                    out.report(
                        &META,
                        value.range(),
                        format!("enum value is {}, but the schema's type is {}", type_name(value), tys.join(" or ")),
                        "write the value with the schema's type (in YAML, quote strings that look like numbers)",
                    );
                } else if items[..i].iter().any(|earlier| same_value(earlier, value)) {
                    out.report(
                        &META,
                        value.range(),
                        "enum value repeats an earlier one",
                        "list each value once",
                    );
                }
            }
        }
    }
}
