//! List RPCs without page_size / page_token / next_page_token.

use crate::proto::{standard_method, ProtoFile};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct ProtoAipListPagination;

static META: RuleMeta = RuleMeta {
    id: "api/proto-aip-list-pagination",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Protobuf,
    default_enabled: true,
    summary: "A `List...` RPC's messages lack `page_size`/`page_token` or `next_page_token`.",
    docs: RuleDocs {
        what: "For every unary RPC named `List<Something>` whose request and response messages are defined in the same file, reports a request without a `page_size` or a `page_token` field and a response without a `next_page_token` field (AIP-158). Server-streaming RPCs are not reported: the stream is their paging.",
        why: "A list grows with the data. Without paging the server must return everything in one message, hitting gRPC's 4 MB default message limit or a timeout once the collection grows; adding paging afterwards changes what an old client gets (a first page it thinks is the whole list), which is a silent breaking change.",
        lock: "",
        bad: "message ListOrdersRequest {\n  string customer_id = 1;\n}\n\nmessage ListOrdersResponse {\n  repeated Order orders = 1;\n}",
        good: "message ListOrdersRequest {\n  string customer_id = 1;\n  int32 page_size = 2;\n  string page_token = 3;\n}\n\nmessage ListOrdersResponse {\n  repeated Order orders = 1;\n  string next_page_token = 2;\n}",
        fix: "Add `int32 page_size` and `string page_token` to the request and `string next_page_token` to the response from the first release. Give `page_size` a default and a maximum on the server, return an opaque token, and leave `next_page_token` empty on the last page.",
    },
};

impl ApiRule for ProtoAipListPagination {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_proto(&self, cx: &ProtoFile, out: &mut Reporter) {
        for s in &cx.services {
            for m in &s.methods {
                if m.server_streaming || m.client_streaming {
                    continue;
                }
                if !matches!(standard_method(&m.name.text), Some(("List", _))) {
                    continue;
                }
                if let Some(req) = cx.message(&m.input.text) {
                    let missing: Vec<&str> = ["page_size", "page_token"]
                        .into_iter()
                        .filter(|f| req.field(f).is_none())
                        .collect();
                    if !missing.is_empty() {
                        let fields = missing
                            .iter()
                            .map(|f| format!("`{f}`"))
                            .collect::<Vec<_>>()
                            .join(" and ");
                        out.report_in(
                            &META,
                            req.name.range,
                            req.name.range,
                            format!(
                                "`{}`, the request of `{}`, has no {fields} {}",
                                req.path,
                                m.name.text,
                                if missing.len() > 1 { "fields" } else { "field" }
                            ),
                            "Add `int32 page_size` and `string page_token`, and page the results on the server.",
                        );
                    }
                }
                if let Some(resp) = cx.message(&m.output.text) {
                    if resp.field("next_page_token").is_none() {
                        out.report_in(
                            &META,
                            resp.name.range,
                            resp.name.range,
                            format!(
                                "`{}`, the response of `{}`, has no `next_page_token` field",
                                resp.path, m.name.text
                            ),
                            "Add `string next_page_token`, empty on the last page.",
                        );
                    }
                }
            }
        }
    }
}
