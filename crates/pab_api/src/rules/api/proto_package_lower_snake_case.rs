//! Protobuf package names in lower_snake_case.

use crate::proto::{is_lower_snake_case, upper_snake, ProtoFile};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct ProtoPackageLowerSnakeCase;

static META: RuleMeta = RuleMeta {
    id: "api/proto-package-lower-snake-case",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Protobuf,
    default_enabled: true,
    summary: "A protobuf package has a component that is not lower_snake_case (`Shop.Orders.v1`).",
    docs: RuleDocs {
        what: "Reports a `package` with a dotted component that is not lowercase letters and digits in words joined by single underscores (`Shop`, `orderService`).",
        why: "The package becomes directories, Go import paths, Java and C# namespaces and every gRPC method path. Capitals in it produce paths that differ only by case, which break on case-insensitive file systems, and namespaces that clash with the type names beside them.",
        lock: "",
        bad: "package Shop.OrderService.v1;",
        good: "package shop.order_service.v1;",
        fix: "Rename the package in lower_snake_case, move the file to the matching directory, and update imports and type references. A published package is part of every method path: serve both until clients move.",
    },
};

impl ApiRule for ProtoPackageLowerSnakeCase {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_proto(&self, cx: &ProtoFile, out: &mut Reporter) {
        let Some(package) = &cx.package else { return };
        let Some(bad) = package.text.split('.').find(|p| !is_lower_snake_case(p)) else {
            return;
        };
        out.report_in(
            &META,
            package.range,
            cx.package_statement,
            format!(
                "package `{}` has a component `{bad}` that is not lower_snake_case",
                package.text
            ),
            format!("Write it `{}`.", suggestion(&package.text)),
        );
    }
}

/// `Shop.OrderService.v1` -> `shop.order_service.v1`.
fn suggestion(package: &str) -> String {
    package
        .split('.')
        .map(|p| {
            if is_lower_snake_case(p) {
                p.to_string()
            } else {
                upper_snake(p).to_ascii_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}
