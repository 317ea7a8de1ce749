//! Generates the rule registry from the files under src/rules/<area>/ (see
//! pab_build): `src/rules/security/sql_injection.rs` must define
//! `pub struct SqlInjection;` implementing `CodeRule`.

fn main() {
    pab_build::generate_registry(
        "crate::rule::CodeRule",
        "Every code rule, generated from src/rules/<area>/<rule>.rs.",
    );
}
