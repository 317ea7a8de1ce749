//! Resource messages without a `name` field.

use crate::proto::ProtoFile;
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct ProtoAipResourceName;

static META: RuleMeta = RuleMeta {
    id: "api/proto-aip-resource-name",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Protobuf,
    default_enabled: true,
    summary: "A message declared a resource (`google.api.resource`) has no `string name` field.",
    docs: RuleDocs {
        what: "Reports messages with `option (google.api.resource) = {...}` that have no field named `name`, or whose `name` is not a `string` (AIP-122). Messages without the option are not judged: the rule does not guess which messages are resources.",
        why: "In a resource-oriented API the `name` (`shops/1/orders/42`) is the resource's identity: Get, Update and Delete take it, references between resources hold it, and tools (gateways, IAM, client libraries) read it through the resource annotation. A resource without it forces each method to invent its own identifier and breaks every tool that relies on the convention.",
        lock: "",
        bad: "message Order {\n  option (google.api.resource) = {\n    type: \"shop.example.com/Order\"\n    pattern: \"orders/{order}\"\n  };\n  string id = 1;\n}",
        good: "message Order {\n  option (google.api.resource) = {\n    type: \"shop.example.com/Order\"\n    pattern: \"orders/{order}\"\n  };\n  string name = 1;\n}",
        fix: "Add `string name = 1;` holding the resource name in the pattern's format, and use it in the standard methods' requests instead of bare ids.",
    },
};

impl ApiRule for ProtoAipResourceName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_proto(&self, cx: &ProtoFile, out: &mut Reporter) {
        for m in &cx.messages {
            if !m.custom_options.iter().any(|o| o == "google.api.resource") {
                continue;
            }
            let problem = match m.field("name") {
                None => "has no `name` field",
                Some(f) if !f.is_string => "has a `name` field that is not a `string`",
                Some(_) => continue,
            };
            out.report_in(
                &META,
                m.name.range,
                m.name.range,
                format!("resource message `{}` {problem}", m.path),
                "Add `string name = 1;` holding the resource name (`orders/{order}`).",
            );
        }
    }
}
