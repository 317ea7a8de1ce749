//! Protobuf messages, enums, services and RPCs in PascalCase.

use crate::proto::{is_pascal_case, ProtoFile};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct ProtoPascalCase;

static META: RuleMeta = RuleMeta {
    id: "api/proto-pascal-case",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Protobuf,
    default_enabled: true,
    summary: "Protobuf message, enum, service and RPC names are PascalCase.",
    docs: RuleDocs {
        what: "Reports messages (nested ones included), enums, services and RPC methods whose name does not start with a capital letter followed by letters and digits (`order_item`, `getOrder`, `Order_Item`).",
        why: "Generators turn these names into classes, types and method names in every client language; the style guide every protobuf tool follows writes them in PascalCase. An RPC name is also part of the wire contract (`/shop.v1.OrderService/GetOrder`), so it cannot be fixed after release without breaking callers.",
        lock: "",
        bad: "message order_item {\n  string sku = 1;\n}\n\nservice OrderService {\n  rpc getOrder(GetOrderRequest) returns (GetOrderResponse);\n}",
        good: "message OrderItem {\n  string sku = 1;\n}\n\nservice OrderService {\n  rpc GetOrder(GetOrderRequest) returns (GetOrderResponse);\n}",
        fix: "Rename to PascalCase before release. Renaming a message keeps the wire format (only field numbers travel) but breaks generated code; renaming an RPC or service changes its method path: add the new one, serve both, then remove the old.",
    },
};

impl ApiRule for ProtoPascalCase {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_proto(&self, cx: &ProtoFile, out: &mut Reporter) {
        let mut check = |what: &str, name: &crate::proto::Name, anchor: (usize, usize)| {
            if !is_pascal_case(&name.text) {
                out.report_in(
                    &META,
                    name.range,
                    anchor,
                    format!("{what} `{}` is not PascalCase", name.text),
                    format!("Name the {what} in PascalCase (`OrderItem`, `GetOrder`)."),
                );
            }
        };
        for m in &cx.messages {
            check("message", &m.name, m.name.range);
        }
        for e in &cx.enums {
            check("enum", &e.name, e.name.range);
        }
        for s in &cx.services {
            check("service", &s.name, s.name.range);
            for rpc in &s.methods {
                check("RPC", &rpc.name, rpc.range);
            }
        }
    }
}
