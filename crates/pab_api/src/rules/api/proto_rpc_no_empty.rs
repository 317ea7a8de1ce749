//! `google.protobuf.Empty` as an RPC's request or response.

use crate::proto::{is_empty_type, standard_method, ProtoFile};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct ProtoRpcNoEmpty;

static META: RuleMeta = RuleMeta {
    id: "api/proto-rpc-no-empty",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Protobuf,
    default_enabled: true,
    summary: "An RPC takes or returns `google.protobuf.Empty`, which can never gain a field.",
    docs: RuleDocs {
        what: "Reports `google.protobuf.Empty` as an RPC's request or response. The response of an AIP `Delete<X>` method is accepted: AIP-135 prescribes it.",
        why: "Empty is shared by every API in the world, so nothing can ever be added to it: the first time `Ping` needs a client version or `ClearCart` needs to return how many items it removed, the method's types have to change, which breaks every caller. An empty message of your own costs one line and can grow compatibly.",
        lock: "",
        bad: "import \"google/protobuf/empty.proto\";\n\nservice CartService {\n  rpc ClearCart(ClearCartRequest) returns (google.protobuf.Empty);\n}",
        good: "service CartService {\n  rpc ClearCart(ClearCartRequest) returns (ClearCartResponse);\n}\n\nmessage ClearCartResponse {}",
        fix: "Declare an empty `<Rpc>Request` or `<Rpc>Response` message and use it instead; fields can be added to it later without breaking anyone.",
    },
};

impl ApiRule for ProtoRpcNoEmpty {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_proto(&self, cx: &ProtoFile, out: &mut Reporter) {
        for s in &cx.services {
            for m in &s.methods {
                let rpc = &m.name.text;
                if is_empty_type(&m.input.text) {
                    out.report_in(
                        &META,
                        m.input.range,
                        m.range,
                        format!("RPC `{rpc}` takes `google.protobuf.Empty`, which can never gain a field"),
                        format!("Declare `message {rpc}Request {{}}` and take it instead."),
                    );
                }
                let delete = matches!(standard_method(rpc), Some(("Delete", _)));
                if is_empty_type(&m.output.text) && !delete {
                    out.report_in(
                        &META,
                        m.output.range,
                        m.range,
                        format!("RPC `{rpc}` returns `google.protobuf.Empty`, which can never gain a field"),
                        format!("Declare `message {rpc}Response {{}}` and return it instead."),
                    );
                }
            }
        }
    }
}
