//! Protobuf packages whose last component is not a version.

use crate::proto::ProtoFile;
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct ProtoPackageVersion;

static META: RuleMeta = RuleMeta {
    id: "api/proto-package-version",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Protobuf,
    default_enabled: true,
    summary: "A protobuf package does not end in a version (`shop.orders.v1`).",
    docs: RuleDocs {
        what: "Reports a `package` whose last dotted component is not a version: `v` and a major number (`v0` included), optionally followed by a stability level (`v1`, `v2`, `v1beta1`, `v1alpha`, `v1test1`, `v1p1beta1`). Packages under `google.protobuf` are left alone.",
        why: "A package is the unit of compatibility. With the major version in the package, a breaking change goes into `v2` beside `v1`, both are served while clients migrate, and generated code of both can live in one program. Without it, the only way to break the contract is to break the clients.",
        lock: "",
        bad: "package shop.orders;",
        good: "package shop.orders.v1;",
        fix: "Append the major version (`.v1`) to the package, move the file into the matching `v1/` directory, and regenerate code. Changing the package of a published API changes its gRPC method paths: serve both until clients move.",
    },
};

/// `v1`, `v2beta1`, `v1alpha`, `v1test`, `v1p1beta1`.
pub fn is_version(part: &str) -> bool {
    let Some(rest) = part.strip_prefix('v') else {
        return false;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return false;
    }
    let mut rest = &rest[digits..];
    // `p1` patch level before a stability suffix.
    if let Some(after) = rest.strip_prefix('p') {
        let n = after.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &after[n..];
        if rest.is_empty() {
            return false;
        }
    }
    if rest.is_empty() {
        return true;
    }
    for level in ["alpha", "beta", "test"] {
        if let Some(n) = rest.strip_prefix(level) {
            return n.bytes().all(|b| b.is_ascii_digit());
        }
    }
    false
}

impl ApiRule for ProtoPackageVersion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_proto(&self, cx: &ProtoFile, out: &mut Reporter) {
        let Some(package) = &cx.package else { return };
        if package.text.starts_with("google.protobuf") {
            return;
        }
        let last = package.text.rsplit('.').next().unwrap_or("");
        if is_version(last) {
            return;
        }
        out.report_in(
            &META,
            package.range,
            cx.package_statement,
            format!("package `{}` does not end in a version", package.text),
            format!(
                "Use `package {}.v1;` (and a `v1/` directory).",
                package.text
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::is_version;

    #[test]
    fn versions() {
        for ok in [
            "v0",
            "v1",
            "v2",
            "v10",
            "v1beta1",
            "v1alpha",
            "v1test1",
            "v1p1beta1",
        ] {
            assert!(is_version(ok), "{ok}");
        }
        for bad in [
            "v", "version1", "v1beta_1", "v1gamma", "orders", "v1p1", "V1",
        ] {
            assert!(!is_version(bad), "{bad}");
        }
    }
}
