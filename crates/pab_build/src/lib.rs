//! Build-script helper shared by the analyzers: generates a rule registry from
//! the files under `src/rules/<area>/`, so that adding a rule is adding one
//! file. `src/rules/security/sql_injection.rs` must define
//! `pub struct SqlInjection;` implementing the analyzer's rule trait; the
//! registry, `rules`, `explain` and the docs pick it up from there.
//!
//! One implementation for every analyzer, so that their registries cannot
//! drift apart in naming or ordering.

use std::fmt::Write as _;
use std::path::Path;

/// `ban_drop_table` -> `BanDropTable`.
pub fn pascal_case(snake: &str) -> String {
    snake
        .split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// Writes `$OUT_DIR/registry.rs`: one module per rule file and
/// `pub static ALL_RULES: &[&dyn <rule_trait>]`, sorted by area then file.
/// `rule_trait` is the trait's path as the including crate sees it
/// (`crate::rule::SqlRule`). Panics (failing the build with the reason) when
/// the tree cannot be read: there is nothing sensible to build without it.
pub fn generate_registry(rule_trait: &str, doc: &str) {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let rules_dir = Path::new(&manifest).join("src/rules");
    println!("cargo:rerun-if-changed={}", rules_dir.display());
    let mut areas: Vec<_> = std::fs::read_dir(&rules_dir)
        .expect("src/rules exists")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .collect();
    areas.sort_by_key(|e| e.file_name());
    let mut modules = String::new();
    let mut list = format!("/// {doc}\npub static ALL_RULES: &[&dyn {rule_trait}] = &[\n");
    for area in areas {
        let area_name = area.file_name().to_string_lossy().into_owned();
        println!("cargo:rerun-if-changed={}", area.path().display());
        let mut files: Vec<_> = std::fs::read_dir(area.path())
            .expect("area directory is readable")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "rs"))
            .collect();
        files.sort();
        writeln!(modules, "pub mod {area_name} {{").unwrap();
        for file in files {
            let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
            writeln!(
                modules,
                "    #[path = {:?}]\n    pub mod {stem};",
                file.display().to_string()
            )
            .unwrap();
            writeln!(list, "    &{area_name}::{stem}::{},", pascal_case(&stem)).unwrap();
        }
        modules.push_str("}\n");
    }
    list.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("registry.rs");
    std::fs::write(out, modules + &list).expect("OUT_DIR is writable");
}

#[cfg(test)]
mod tests {
    #[test]
    fn pascal_case_joins_words() {
        assert_eq!(super::pascal_case("ban_drop_table"), "BanDropTable");
        assert_eq!(super::pascal_case("sql_injection"), "SqlInjection");
    }
}
