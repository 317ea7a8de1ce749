//! Generates the rule registry from the files under src/rules/<area>/ (see
//! pab_build): `src/rules/migration/ban_drop_table.rs` must define
//! `pub struct BanDropTable;` implementing `SqlRule`.

fn main() {
    pab_build::generate_registry(
        "crate::rule::SqlRule",
        "Every SQL rule, generated from src/rules/<area>/<rule>.rs.",
    );
}
