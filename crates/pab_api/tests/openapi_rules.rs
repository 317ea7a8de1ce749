//! Every OpenAPI rule's annotated fixtures, in
//! `fixtures/rules/<rule-name>/*.yaml` (the rule `api/<rule-name>`): a
//! marker comment on the line before a line says what must happen there.
//!
//! ```yaml
//! # expect: api/oas-operation-id
//!     get:
//! # ok: api/oas-operation-id
//!     post:
//! ```
//!
//! An `expect` line must get a finding of that rule starting on it, an
//! `ok` line must get none, and a finding on any other line fails too.
//! Every rule's fixtures need both kinds of marker, every `api/oas-*` rule a
//! fixture, and every fixture must be reviewed without errors or notes.
//! Files named `_*.yaml` are not fixtures but files the fixtures reference.
//! Each fixture's findings are snapshotted.

use pab_api::rules::ALL_RULES;
use pab_api::ApiAnalyzer;
use pab_core::Engine;
use pab_testkit::{files_under, render, Fixture, FixtureCheck};
use std::path::{Path, PathBuf};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

#[test]
fn every_openapi_rule_has_docs_and_fixtures_that_behave() {
    let engine = Engine::new(vec![Box::new(ApiAnalyzer)]);
    let only = std::env::var("PAB_RULE").unwrap_or_default();
    // Good and bad descriptions may be separate files (`info-contact` has
    // `good.yaml` and `bad.yaml`): both kinds of marker per rule suffice.
    let mut check = FixtureCheck::new(&engine, |_| "#", false);
    for rule in ALL_RULES {
        let meta = rule.meta();
        if !meta.id.starts_with("api/oas-") || !meta.id.starts_with(&only) {
            continue;
        }
        if let Some(field) = meta.empty_docs_field() {
            check.problem(format!("{}: docs field `{field}` is empty", meta.id));
        }
        let name = meta.id.trim_start_matches("api/");
        let dir = fixtures_dir().join(name);
        let fixtures = files_under(&dir)
            .into_iter()
            // `_name.yaml` files are referenced by the fixtures.
            .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('_'))
            .map(|p| Fixture {
                // The whole path, so that references to other files resolve.
                review_as: p.to_string_lossy().into_owned(),
                ..Fixture::below(&dir, p)
            })
            .collect();
        for (fixture, own) in check.rule(meta.id, fixtures) {
            let mut s = insta::Settings::clone_current();
            s.set_snapshot_suffix(format!("{name}-{}", fixture.name));
            s.set_prepend_module_to_snapshot(false);
            s.bind(|| insta::assert_snapshot!("fixture", render(&own)));
        }
    }
    check.finish();
}
