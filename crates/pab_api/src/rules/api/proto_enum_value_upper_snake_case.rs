//! Protobuf enum values in UPPER_SNAKE_CASE.

use crate::proto::{is_upper_snake_case, ProtoFile};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct ProtoEnumValueUpperSnakeCase;

static META: RuleMeta = RuleMeta {
    id: "api/proto-enum-value-upper-snake-case",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Protobuf,
    default_enabled: true,
    summary: "Protobuf enum values are UPPER_SNAKE_CASE.",
    docs: RuleDocs {
        what: "Reports enum values that are not capital letters and digits in words joined by single underscores (`Pending`, `order_status_pending`).",
        why: "Enum values are constants in every generated language and are sent by name in the JSON mapping. Mixed casing makes generated constants inconsistent, and renaming a value later breaks every JSON client that sends or compares it.",
        lock: "",
        bad: "enum OrderStatus {\n  OrderStatusUnspecified = 0;\n  pending = 1;\n}",
        good: "enum OrderStatus {\n  ORDER_STATUS_UNSPECIFIED = 0;\n  ORDER_STATUS_PENDING = 1;\n}",
        fix: "Rename the values to UPPER_SNAKE_CASE. The numbers are what travels in binary; JSON clients see the names, so coordinate the rename (`option allow_alias = true;` lets old and new names share a number during the move).",
    },
};

impl ApiRule for ProtoEnumValueUpperSnakeCase {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_proto(&self, cx: &ProtoFile, out: &mut Reporter) {
        for e in &cx.enums {
            for v in e
                .values
                .iter()
                .filter(|v| !is_upper_snake_case(&v.name.text))
            {
                out.report_in(
                    &META,
                    v.name.range,
                    v.range,
                    format!(
                        "enum value `{}.{}` is not UPPER_SNAKE_CASE",
                        e.name.text, v.name.text
                    ),
                    "Write enum values in capitals with underscores (`ORDER_STATUS_PENDING`).",
                );
            }
        }
    }
}
