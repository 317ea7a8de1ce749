//! RPC request and response messages named after the RPC.

use crate::proto::{is_empty_type, returns_resource, simple_name, ProtoFile};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct ProtoRpcStandardNames;

static META: RuleMeta = RuleMeta {
    id: "api/proto-rpc-standard-names",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Protobuf,
    default_enabled: true,
    summary: "An RPC's request and response are named `<Rpc>Request` and `<Rpc>Response`.",
    docs: RuleDocs {
        what: "Reports an RPC whose request message is not named `<Rpc>Request` or `<Service><Rpc>Request`, or whose response is not `<Rpc>Response` or `<Service><Rpc>Response` (the names are compared without their package). Accepted as responses too: what the AIP standard methods return, the resource itself for `Get<X>`, `Create<X>`, `Update<X>` and `Undelete<X>` returning `X`, and `google.longrunning.Operation`. `google.protobuf.Empty` is left to `api/proto-rpc-no-empty`.",
        why: "A request or response type shared with anything else cannot change without changing that too: reusing `Order` as the response of `CreateOrder` means the day the method needs to return a warning, the entity grows a field that means nothing elsewhere. Per-RPC wrappers cost one line and keep every method free to evolve; the naming makes the pairing obvious.",
        lock: "",
        bad: "service OrderService {\n  rpc CancelOrder(Order) returns (Order);\n}",
        good: "service OrderService {\n  rpc CancelOrder(CancelOrderRequest) returns (CancelOrderResponse);\n}\n\nmessage CancelOrderRequest {\n  string order_id = 1;\n}\n\nmessage CancelOrderResponse {\n  Order order = 1;\n}",
        fix: "Declare `<Rpc>Request` and `<Rpc>Response` messages for the RPC and move what it takes and returns into them (the entity becomes a field). On a published API this changes the method's types: add a new RPC and deprecate the old one.",
    },
};

impl ApiRule for ProtoRpcStandardNames {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_proto(&self, cx: &ProtoFile, out: &mut Reporter) {
        for s in &cx.services {
            for m in &s.methods {
                let rpc = &m.name.text;
                let service = &s.name.text;
                let ok = |name: &str, suffix: &str| {
                    name == format!("{rpc}{suffix}") || name == format!("{service}{rpc}{suffix}")
                };
                let input = simple_name(&m.input.text);
                if !is_empty_type(&m.input.text) && !ok(input, "Request") {
                    out.report_in(
                        &META,
                        m.input.range,
                        m.range,
                        format!("RPC `{rpc}` takes `{input}`, not `{rpc}Request`"),
                        format!("Declare `message {rpc}Request` for this RPC alone."),
                    );
                }
                let output = simple_name(&m.output.text);
                if !is_empty_type(&m.output.text) && !ok(output, "Response") && !returns_resource(m)
                {
                    out.report_in(
                        &META,
                        m.output.range,
                        m.range,
                        format!("RPC `{rpc}` returns `{output}`, not `{rpc}Response`"),
                        format!("Declare `message {rpc}Response` for this RPC alone."),
                    );
                }
            }
        }
    }
}
