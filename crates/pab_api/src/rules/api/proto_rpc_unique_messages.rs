//! Request and response messages shared between RPCs.

use crate::proto::{is_empty_type, returns_resource, Name, ProtoFile};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use std::collections::HashMap;

pub struct ProtoRpcUniqueMessages;

static META: RuleMeta = RuleMeta {
    id: "api/proto-rpc-unique-messages",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Protobuf,
    default_enabled: true,
    summary: "A message is the request or response of more than one RPC.",
    docs: RuleDocs {
        what: "Reports each use of a message as an RPC's request or response after its first use in the file's services: the same message taken by two RPCs, returned by two, or taken by one and returned by another. Not counted: `google.protobuf.Empty` (see `api/proto-rpc-no-empty`), `google.longrunning.Operation`, and the resource the AIP standard methods `Get`, `Create`, `Update` and `Undelete` return by design.",
        why: "Two RPCs that share a request are tied together: a field one of them needs becomes a field the other silently ignores, and documentation can no longer say which fields a method reads. Splitting them later changes a method's types, which is a breaking change.",
        lock: "",
        bad: "service OrderService {\n  rpc ShipOrder(OrderRef) returns (ShipOrderResponse);\n  rpc CancelOrder(OrderRef) returns (CancelOrderResponse);\n}",
        good: "service OrderService {\n  rpc ShipOrder(ShipOrderRequest) returns (ShipOrderResponse);\n  rpc CancelOrder(CancelOrderRequest) returns (CancelOrderResponse);\n}",
        fix: "Give every RPC its own `<Rpc>Request` and `<Rpc>Response`; if they share fields, put the shared part in a message both embed as a field.",
    },
};

impl ApiRule for ProtoRpcUniqueMessages {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_proto(&self, cx: &ProtoFile, out: &mut Reporter) {
        // Type as written (package-qualified or not) -> the RPC that used it first.
        let mut first: HashMap<String, String> = HashMap::new();
        let key = |t: &Name| {
            let local = match &cx.package {
                Some(p) => t
                    .text
                    .strip_prefix(p.text.as_str())
                    .and_then(|r| r.strip_prefix('.'))
                    .unwrap_or(&t.text),
                None => &t.text,
            };
            local.to_string()
        };
        for s in &cx.services {
            for m in &s.methods {
                let mut uses = vec![(&m.input, "request")];
                if !returns_resource(m) {
                    uses.push((&m.output, "response"));
                }
                for (t, role) in uses {
                    if is_empty_type(&t.text) || t.text == "google.longrunning.Operation" {
                        continue;
                    }
                    let rpc = format!("{}.{}", s.name.text, m.name.text);
                    match first.get(&key(t)) {
                        None => {
                            first.insert(key(t), rpc);
                        }
                        Some(earlier) => out.report_in(
                            &META,
                            t.range,
                            m.range,
                            format!(
                                "`{}` is the {role} of `{rpc}` and is already used by `{earlier}`",
                                t.text
                            ),
                            format!(
                                "Give `{}` its own `{}{}` message.",
                                m.name.text,
                                m.name.text,
                                if role == "request" {
                                    "Request"
                                } else {
                                    "Response"
                                }
                            ),
                        ),
                    }
                }
            }
        }
    }
}
