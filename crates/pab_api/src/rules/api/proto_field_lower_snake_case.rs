//! Protobuf field and oneof names in lower_snake_case.

use crate::proto::{is_lower_snake_case, ProtoFile};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct ProtoFieldLowerSnakeCase;

static META: RuleMeta = RuleMeta {
    id: "api/proto-field-lower-snake-case",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Protobuf,
    default_enabled: true,
    summary: "Protobuf field and oneof names are lower_snake_case.",
    docs: RuleDocs {
        what: "Reports message fields and oneofs whose name is not lowercase letters and digits in words joined by single underscores, starting with a letter (`pageSize`, `Page_Size`, `page__size`).",
        why: "Field names become JSON names (`page_size` is sent as `pageSize` by the canonical JSON mapping) and accessor names in every language; the conversion assumes snake_case. A camelCase field produces odd accessors in some languages and a JSON name that differs from what the other fields' style suggests, and renaming it later breaks JSON clients and generated code.",
        lock: "",
        bad: "message ListOrdersRequest {\n  int32 pageSize = 1;\n}",
        good: "message ListOrdersRequest {\n  int32 page_size = 1;\n}",
        fix: "Rename the field to lower_snake_case. The binary wire format only carries field numbers, so a rename is safe for binary clients, but JSON clients and generated code see the new name: coordinate the change.",
    },
};

impl ApiRule for ProtoFieldLowerSnakeCase {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_proto(&self, cx: &ProtoFile, out: &mut Reporter) {
        for m in &cx.messages {
            for f in m
                .fields
                .iter()
                .filter(|f| !is_lower_snake_case(&f.name.text))
            {
                out.report_in(
                    &META,
                    f.name.range,
                    f.range,
                    format!("field `{}.{}` is not lower_snake_case", m.path, f.name.text),
                    "Name fields in lower_snake_case (`page_size`).",
                );
            }
            for o in m.oneofs.iter().filter(|o| !is_lower_snake_case(&o.text)) {
                out.report(
                    &META,
                    o.range,
                    format!("oneof `{}.{}` is not lower_snake_case", m.path, o.text),
                    "Name oneofs in lower_snake_case (`payment_method`).",
                );
            }
        }
    }
}
