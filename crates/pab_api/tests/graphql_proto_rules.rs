//! Every GraphQL and protobuf rule's annotated fixtures, in
//! `fixtures/graphql/<rule-name>/` and `fixtures/proto/<rule-name>/` (the
//! rule id without `api/`; subdirectories allowed, the path below the
//! format's directory is the path the file is reviewed under). A marker
//! comment says what must happen on the next line of code:
//!
//! ```graphql
//! # expect: api/graphql-field-naming
//! created_at: String
//! # ok: api/graphql-field-naming
//! createdAt: String
//! ```
//!
//! An `expect` line must get a finding of the rule starting on it, an `ok`
//! line none, and a finding on any other line fails too. Each rule needs
//! both kinds of marker, each fixture a marker of its rule; every fixture
//! must parse and be reviewed without notes. Each fixture's findings are
//! snapshotted. Only the rule of the directory runs (the checking is
//! pab_testkit's, shared with the other analyzers' fixture tests).

use pab_api::rules::ALL_RULES;
use pab_api::ApiAnalyzer;
use pab_core::Engine;
use pab_testkit::{files_under, render, Fixture, FixtureCheck};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// GraphQL comments start with `#`, protobuf ones with `//`.
fn comment(path: &Path) -> &'static str {
    if path.extension().is_some_and(|e| e == "proto") {
        "//"
    } else {
        "#"
    }
}

fn format_of(id: &str) -> Option<&'static str> {
    if id.starts_with("api/graphql-") {
        Some("graphql")
    } else if id.starts_with("api/proto-") {
        Some("proto")
    } else {
        None
    }
}

#[test]
fn every_graphql_and_proto_rule_has_docs_and_fixtures() {
    let mut seen = 0;
    for rule in ALL_RULES {
        let m = rule.meta();
        let Some(format) = format_of(m.id) else {
            continue;
        };
        seen += 1;
        if let Some(field) = m.empty_docs_field() {
            panic!("{}: docs field `{field}` is empty", m.id);
        }
        let expected = if format == "graphql" {
            pab_core::Language::GraphQl
        } else {
            pab_core::Language::Protobuf
        };
        assert_eq!(m.language, expected, "{}", m.id);
        let name = m.id.trim_start_matches("api/");
        assert!(
            fixtures_dir().join(format).join(name).is_dir(),
            "{}: no fixtures in tests/fixtures/{format}/{name}/",
            m.id
        );
    }
    assert!(
        seen >= 20,
        "only {seen} GraphQL and protobuf rules registered"
    );
}

#[test]
fn fixtures_match_their_markers() {
    let engine = Engine::new(vec![Box::new(ApiAnalyzer)]);
    let only = std::env::var("PAB_RULE").unwrap_or_default();
    // A rule's good and bad examples may be separate files.
    let mut check = FixtureCheck::new(&engine, comment, false);
    let mut snapshots = BTreeMap::new();
    for rule in ALL_RULES.iter().filter(|r| r.meta().id.starts_with(&only)) {
        let meta = rule.meta();
        let Some(format) = format_of(meta.id) else {
            continue;
        };
        let name = meta.id.trim_start_matches("api/");
        let root = fixtures_dir().join(format);
        let fixtures = files_under(&root.join(name))
            .into_iter()
            .map(|p| Fixture::below(&root, p))
            .collect();
        for (fixture, own) in check.rule(meta.id, fixtures) {
            snapshots.insert(fixture.name.replace('/', "__"), render(&own));
        }
    }
    check.finish();
    for (name, text) in snapshots {
        insta::assert_snapshot!(name, text);
    }
}
