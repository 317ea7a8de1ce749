//! AIP standard methods' request shapes.

use crate::proto::{simple_name, standard_method, ProtoFile};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct ProtoAipStandardMethods;

static META: RuleMeta = RuleMeta {
    id: "api/proto-aip-standard-methods",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Protobuf,
    default_enabled: true,
    summary: "An AIP standard method's request lacks the field its shape requires.",
    docs: RuleDocs {
        what: "In files that follow the resource-oriented design (they import `google/api/resource.proto` or declare a `google.api.resource`), checks the requests of the standard methods on resources defined in the same file (`GetOrder` when the file defines `Order`), when the request is defined there too: `Get<X>` and `Delete<X>` requests need a `name` field (AIP-131, AIP-135), `Create<X>` requests a field of type `X` (AIP-133), `Update<X>` requests a field of type `X` and an `update_mask` (AIP-134). Files that do not opt into AIP are not judged by it.",
        why: "Clients, gateways and generated libraries rely on the standard shapes: a Get that takes `order_id` instead of `name` cannot be routed by resource name, a Create that flattens the resource's fields into the request drifts from the resource on every change, and an Update without a field mask cannot tell \"clear this field\" from \"leave it alone\", so partial updates erase data.",
        lock: "",
        bad: "message GetOrderRequest {\n  string order_id = 1;\n}\n\nmessage UpdateOrderRequest {\n  Order order = 1;\n}",
        good: "message GetOrderRequest {\n  string name = 1;\n}\n\nmessage UpdateOrderRequest {\n  Order order = 1;\n  google.protobuf.FieldMask update_mask = 2;\n}",
        fix: "Give Get and Delete requests `string name` (the resource name), Create requests the resource as a field (`Order order`), Update requests the resource and `google.protobuf.FieldMask update_mask`, and apply only the masked fields on the server.",
    },
};

impl ApiRule for ProtoAipStandardMethods {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_proto(&self, cx: &ProtoFile, out: &mut Reporter) {
        let aip = cx.imports("google/api/resource.proto")
            || cx
                .messages
                .iter()
                .any(|m| m.custom_options.iter().any(|o| o == "google.api.resource"));
        if !aip {
            return;
        }
        for s in &cx.services {
            for m in &s.methods {
                let Some((verb, resource)) = standard_method(&m.name.text) else {
                    continue;
                };
                // A request that is the resource itself (`CreateTopic(Topic)`)
                // is `api/proto-rpc-standard-names`' finding, not a shape to check.
                // Only methods on a resource this file defines: `GetOrderStatus`
                // may be a custom method of `Order`, not a standard one.
                if simple_name(&m.input.text) == resource || cx.message(resource).is_none() {
                    continue;
                }
                let Some(req) = cx.message(&m.input.text) else {
                    continue;
                };
                let has_resource = req.fields.iter().any(|f| {
                    f.type_name
                        .as_deref()
                        .is_some_and(|t| simple_name(t) == resource)
                });
                let mut missing = Vec::new();
                match verb {
                    "Get" | "Delete" if req.field("name").is_none() => {
                        missing.push("a `string name` field (the resource name)".to_string())
                    }
                    "Create" if !has_resource => {
                        missing.push(format!("a `{resource}` field (the resource to create)"))
                    }
                    "Update" => {
                        if !has_resource {
                            missing.push(format!("a `{resource}` field (the resource to update)"));
                        }
                        if req.field("update_mask").is_none() {
                            missing.push("a `google.protobuf.FieldMask update_mask` field".into());
                        }
                    }
                    _ => {}
                }
                if missing.is_empty() {
                    continue;
                }
                out.report_in(
                    &META,
                    req.name.range,
                    req.name.range,
                    format!(
                        "`{}`, the request of the standard method `{}`, lacks {}",
                        req.path,
                        m.name.text,
                        missing.join(" and ")
                    ),
                    format!(
                        "Follow the standard {verb} shape (AIP): add {}.",
                        missing.join(" and ")
                    ),
                );
            }
        }
    }
}
