//! Protobuf enums whose zero value is not `..._UNSPECIFIED`.

use crate::proto::ProtoFile;
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct ProtoEnumZeroValue;

/// Last words of a zero value that already means "not set". buf accepts
/// only `_UNSPECIFIED`; the others say the same thing, and renaming a
/// published value breaks JSON clients for no gain.
const SENTINELS: &[&str] = &["UNSPECIFIED", "UNKNOWN", "UNDEFINED", "UNSET"];

static META: RuleMeta = RuleMeta {
    id: "api/proto-enum-zero-value",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Protobuf,
    default_enabled: true,
    summary: "A protobuf enum's zero value is a real state instead of `..._UNSPECIFIED`.",
    docs: RuleDocs {
        what: "Reports the value numbered 0 of an enum when its name does not say \"not set\": its last word is not `UNSPECIFIED` (the convention), `UNKNOWN`, `UNDEFINED` or `UNSET`.",
        why: "Zero is what a reader sees when the field was never set: an old client that does not know the field, a new enum value an old server cannot decode, a bug that forgot to set it. If zero means `ACTIVE` or `PAID`, all of these silently read as that state. A dedicated `_UNSPECIFIED` zero makes \"not set\" distinguishable and rejectable.",
        lock: "",
        bad: "enum PaymentStatus {\n  PAYMENT_STATUS_PAID = 0;\n  PAYMENT_STATUS_REFUNDED = 1;\n}",
        good: "enum PaymentStatus {\n  PAYMENT_STATUS_UNSPECIFIED = 0;\n  PAYMENT_STATUS_PAID = 1;\n  PAYMENT_STATUS_REFUNDED = 2;\n}",
        fix: "For a new enum, make 0 `<ENUM>_UNSPECIFIED` and number the real states from 1. For a published enum, renumbering breaks the wire format: rename the zero value only if it really means \"unknown\", otherwise deprecate the enum and add a new one.",
    },
};

impl ApiRule for ProtoEnumZeroValue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_proto(&self, cx: &ProtoFile, out: &mut Reporter) {
        for e in &cx.enums {
            let Some(zero) = e.values.iter().find(|v| v.number == 0) else {
                continue;
            };
            let last = zero.name.text.rsplit('_').next().unwrap_or("");
            if SENTINELS.contains(&last) {
                continue;
            }
            out.report_in(
                &META,
                zero.name.range,
                zero.range,
                format!(
                    "the zero value of `{}` is `{}`, a real state: unset fields will read as it",
                    e.name.text, zero.name.text
                ),
                format!(
                    "Make 0 `{}_UNSPECIFIED` and number the real values from 1.",
                    crate::proto::upper_snake(&e.name.text)
                ),
            );
        }
    }
}
