//! Service names ending in `Service`.

use crate::proto::ProtoFile;
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct ProtoServiceSuffix;

static META: RuleMeta = RuleMeta {
    id: "api/proto-service-suffix",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Protobuf,
    default_enabled: true,
    summary: "A protobuf service name does not end in `Service`.",
    docs: RuleDocs {
        what: "Reports services whose name does not end in `Service` (`Orders`, `OrderAPI`).",
        why: "Generated code derives client and server class names from the service (`OrdersClient`, `OrdersServer`), and a service named like a message collides with or reads like one (`Orders` the service, `Order` the message). The suffix makes the RPC surface easy to find and keeps the naming the same across every API of an organisation.",
        lock: "",
        bad: "service Orders {\n  rpc GetOrder(GetOrderRequest) returns (GetOrderResponse);\n}",
        good: "service OrderService {\n  rpc GetOrder(GetOrderRequest) returns (GetOrderResponse);\n}",
        fix: "Rename the service with a `Service` suffix. The service name is part of every method path (`/shop.v1.OrderService/GetOrder`): on a published API serve both names until clients move.",
    },
};

impl ApiRule for ProtoServiceSuffix {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_proto(&self, cx: &ProtoFile, out: &mut Reporter) {
        for s in cx
            .services
            .iter()
            .filter(|s| !s.name.text.ends_with("Service"))
        {
            out.report(
                &META,
                s.name.range,
                format!("service `{}` does not end in `Service`", s.name.text),
                format!(
                    "Rename it `{}Service`.",
                    s.name.text.trim_end_matches("Api").trim_end_matches("API")
                ),
            );
        }
    }
}
