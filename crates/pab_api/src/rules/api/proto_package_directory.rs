//! Protobuf files whose directory does not match their package.

use crate::proto::ProtoFile;
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct ProtoPackageDirectory;

static META: RuleMeta = RuleMeta {
    id: "api/proto-package-directory",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Protobuf,
    default_enabled: true,
    summary: "A protobuf file's directory does not match its package (`shop/v1/` for `shop.v1`).",
    docs: RuleDocs {
        what: "Compares the directories the file is in with the package's components, from the innermost outwards: `package shop.orders.v1` must be in a directory `.../shop/orders/v1/`. Only the directories the reviewed path shows are compared (a file given as `orders.proto` has none to compare); the finding is on the package name.",
        why: "Imports are paths and type references are packages; when the two agree, a reader finds the file that defines `shop.orders.v1.Order` without searching, and protoc, buf and every language's generator resolve imports the same way. When they disagree, two files of one package end up in different directories and generated code in some languages lands in the wrong place.",
        lock: "",
        bad: "// file: proto/orders/order.proto\npackage shop.orders.v1;",
        good: "// file: proto/shop/orders/v1/order.proto\npackage shop.orders.v1;",
        fix: "Move the file to the directory that spells its package (`shop/orders/v1/`) under the proto root, and update the `import` lines that name it.",
    },
};

impl ApiRule for ProtoPackageDirectory {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_proto(&self, cx: &ProtoFile, out: &mut Reporter) {
        let Some(package) = &cx.package else { return };
        let path = cx.file.path.replace('\\', "/");
        let mut dirs: Vec<&str> = path.split('/').collect();
        dirs.pop(); // the file name
                    // Only the directories after the last `..` or `.` are known by name.
        let known_from = dirs
            .iter()
            .rposition(|d| d.is_empty() || *d == "." || *d == "..")
            .map_or(0, |i| i + 1);
        let dirs = &dirs[known_from..];
        let parts: Vec<&str> = package.text.split('.').collect();
        let mismatch = dirs
            .iter()
            .rev()
            .zip(parts.iter().rev())
            .any(|(dir, part)| dir != part);
        // An absolute path shows every directory, and so must hold them all.
        let too_short = path.starts_with('/') && known_from <= 1 && dirs.len() < parts.len();
        if !mismatch && !too_short {
            return;
        }
        let expected = parts.join("/");
        out.report_in(
            &META,
            package.range,
            cx.package_statement,
            format!(
                "package `{}` is declared in `{}/`, not in a `{expected}/` directory",
                package.text,
                dirs.join("/")
            ),
            format!("Move the file under `{expected}/` (relative to the proto root) and update its imports."),
        );
    }
}
