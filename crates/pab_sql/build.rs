//! Generates the rule registry from the files under src/rules/<area>/, so that
//! adding a rule is adding one file: `src/rules/migration/ban_drop_table.rs`
//! must define `pub struct BanDropTable;` implementing `SqlRule`, and the
//! registry, `rules`, `explain` and the docs pick it up from there.

use std::fmt::Write as _;
use std::path::Path;

fn pascal_case(snake: &str) -> String {
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

fn main() {
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
    let mut list = String::from("/// Every SQL rule, generated from src/rules/<area>/<rule>.rs.\npub static ALL_RULES: &[&dyn crate::rule::SqlRule] = &[\n");
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
