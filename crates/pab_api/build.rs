//! Generates the rule registry from the files under src/rules/<area>/ (see
//! pab_build): `src/rules/api/oas_operation_id.rs` must define
//! `pub struct OasOperationId;` implementing `ApiRule`.

fn main() {
    pab_build::generate_registry(
        "crate::rule::ApiRule",
        "Every API contract rule, generated from src/rules/<area>/<rule>.rs.",
    );
}
