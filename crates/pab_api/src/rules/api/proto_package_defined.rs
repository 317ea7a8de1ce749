//! Protobuf files without a package.

use crate::proto::ProtoFile;
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct ProtoPackageDefined;

static META: RuleMeta = RuleMeta {
    id: "api/proto-package-defined",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Protobuf,
    default_enabled: true,
    summary: "A protobuf file declares no package.",
    docs: RuleDocs {
        what: "Reports a `.proto` file that defines messages, enums or services but has no `package` statement. The finding is on the first line of code (usually `syntax`).",
        why: "Without a package every type lands in the global namespace: two files that both define `Order` cannot be compiled together, gRPC method paths (`/Service/Method`) collide, and generated code in most languages falls back to a default package that is different for every consumer.",
        lock: "",
        bad: "syntax = \"proto3\";\n\nmessage Order {\n  string id = 1;\n}",
        good: "syntax = \"proto3\";\n\npackage shop.orders.v1;\n\nmessage Order {\n  string id = 1;\n}",
        fix: "Add `package <company-or-product>.<api>.v1;` after the `syntax` line and put the file in the matching directory (`shop/orders/v1/`).",
    },
};

impl ApiRule for ProtoPackageDefined {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_proto(&self, cx: &ProtoFile, out: &mut Reporter) {
        if cx.package.is_some()
            || (cx.messages.is_empty() && cx.enums.is_empty() && cx.services.is_empty())
        {
            return;
        }
        // The first line of code (after the licence header, say).
        let line = (1..=cx.file.line_count())
            .find(|&l| {
                let t = cx.file.line_text(l).trim();
                !t.is_empty() && !t.starts_with("//") && !t.starts_with("/*") && !t.starts_with('*')
            })
            .unwrap_or(1);
        let start = cx.file.line_start(line);
        out.report(
            &META,
            (start, start + cx.file.line_text(line).len()),
            "this file declares no `package`: its types are in the global namespace",
            "Add `package <product>.<api>.v1;` and keep the file in the matching directory.",
        );
    }
}
