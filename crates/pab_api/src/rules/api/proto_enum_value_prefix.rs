//! Protobuf enum values prefixed with their enum's name.

use crate::proto::{is_pascal_case, is_upper_snake_case, upper_snake, ProtoFile};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct ProtoEnumValuePrefix;

static META: RuleMeta = RuleMeta {
    id: "api/proto-enum-value-prefix",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Protobuf,
    default_enabled: true,
    summary: "Protobuf enum values start with the enum's name in UPPER_SNAKE_CASE (`ORDER_STATUS_...`).",
    docs: RuleDocs {
        what: "Reports values of an enum named in PascalCase (`OrderStatus`) that do not start with the enum's name in UPPER_SNAKE_CASE and an underscore (`ORDER_STATUS_`). Values that are not UPPER_SNAKE_CASE at all are left to `api/proto-enum-value-upper-snake-case`.",
        why: "Protobuf enum values follow C++ scoping: they are siblings of the enum, not children. Two enums in one package that both have `PENDING` do not compile together, so adding a second enum later can break the build. The prefix makes every value unique in its package.",
        lock: "",
        bad: "enum OrderStatus {\n  ORDER_STATUS_UNSPECIFIED = 0;\n  PENDING = 1;\n}",
        good: "enum OrderStatus {\n  ORDER_STATUS_UNSPECIFIED = 0;\n  ORDER_STATUS_PENDING = 1;\n}",
        fix: "Prefix every value with the enum's name (`ORDER_STATUS_PENDING`). Binary clients only see numbers; for JSON clients add the new names as aliases (`option allow_alias = true;`) before removing the old ones.",
    },
};

impl ApiRule for ProtoEnumValuePrefix {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_proto(&self, cx: &ProtoFile, out: &mut Reporter) {
        for e in cx.enums.iter().filter(|e| is_pascal_case(&e.name.text)) {
            let prefix = format!("{}_", upper_snake(&e.name.text));
            for v in &e.values {
                let name = &v.name.text;
                if !is_upper_snake_case(name) || name.starts_with(&prefix) {
                    continue;
                }
                out.report_in(
                    &META,
                    v.name.range,
                    v.range,
                    format!("enum value `{name}` does not start with `{prefix}`"),
                    format!(
                        "Rename it `{prefix}{name}`: enum values share their package's namespace."
                    ),
                );
            }
        }
    }
}
