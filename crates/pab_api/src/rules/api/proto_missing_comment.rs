//! Services and RPCs without a comment.

use crate::proto::ProtoFile;
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct ProtoMissingComment;

static META: RuleMeta = RuleMeta {
    id: "api/proto-missing-comment",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Protobuf,
    default_enabled: false,
    summary: "A protobuf service or RPC has no leading comment (off by default).",
    docs: RuleDocs {
        what: "Reports services and RPC methods that have no comment on the lines right above them (a comment separated by a blank line does not count: protobuf tools do not attach it). Off by default: how much to document is a team's choice; enable it for public APIs.",
        why: "Leading comments become the documentation in generated clients, API references and gRPC reflection tools. An RPC named `Sync` or `Apply` says nothing about its side effects, idempotency or errors; the comment is where callers look.",
        lock: "",
        bad: "service OrderService {\n  rpc CancelOrder(CancelOrderRequest) returns (CancelOrderResponse);\n}",
        good: "// Places and manages customer orders.\nservice OrderService {\n  // Cancels an order that has not shipped. Idempotent; fails with\n  // FAILED_PRECONDITION once the order has shipped.\n  rpc CancelOrder(CancelOrderRequest) returns (CancelOrderResponse);\n}",
        fix: "Write a `//` comment directly above the service or RPC (no blank line between) saying what it does, its side effects and its error cases.",
    },
};

impl ApiRule for ProtoMissingComment {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_proto(&self, cx: &ProtoFile, out: &mut Reporter) {
        for s in &cx.services {
            if s.comment.is_none() {
                out.report(
                    &META,
                    s.name.range,
                    format!("service `{}` has no comment", s.name.text),
                    "Add a `//` comment right above the service saying what it is for.",
                );
            }
            for m in s.methods.iter().filter(|m| m.comment.is_none()) {
                out.report_in(
                    &META,
                    m.name.range,
                    m.range,
                    format!("RPC `{}.{}` has no comment", s.name.text, m.name.text),
                    "Add a `//` comment right above the RPC: what it does, side effects, errors.",
                );
            }
        }
    }
}
