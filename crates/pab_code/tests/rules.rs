//! Every rule's annotated fixtures, in `fixtures/<area>/<rule-name>/`: a
//! marker comment on the line before a line of code says what must happen
//! there, for the rule of the directory.
//!
//! ```python
//! # expect: security/sql-injection
//! cursor.execute("SELECT * FROM t WHERE id = " + uid)
//! # ok: security/sql-injection
//! cursor.execute("SELECT * FROM t WHERE id = %s", (uid,))
//! ```
//!
//! An `expect` line must get a finding of that rule starting on it, an `ok`
//! line must get none, and a finding on any line without an `expect` marker
//! fails too. Every fixture must have both kinds of marker (bad code next to
//! its safe mirror), every rule a fixture in each language it checks, and
//! every fixture must parse. Each fixture's findings are snapshotted.
//!
//! `PAB_RULE=security/sql-injection cargo test -p pab_code --test rules`
//! checks only the rules whose id starts with that prefix.

use pab_code::lang::Lang;
use pab_code::rules::ALL_RULES;
use pab_code::CodeAnalyzer;
use pab_core::Engine;
use pab_testkit::{files_under, render, Fixture, FixtureCheck};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Markers are line comments of the fixture's language.
fn comment(path: &Path) -> &'static str {
    Lang::from_path(path)
        .expect("only source files are fixtures")
        .language()
        .line_comment()
}

#[test]
fn every_rule_has_docs_and_an_id_matching_its_file() {
    for rule in ALL_RULES {
        let m = rule.meta();
        if let Some(field) = m.empty_docs_field() {
            panic!("{}: docs field `{field}` is empty", m.id);
        }
        assert!(
            rule.languages().contains(&m.language),
            "{}: the docs language must be one the rule checks",
            m.id
        );
        let (area, name) = m.id.split_once('/').expect("ids are area/name");
        assert!(
            fixtures_dir().join(area).join(name).is_dir(),
            "{}: no fixtures in tests/fixtures/{area}/{name}/",
            m.id
        );
    }
}

#[test]
fn fixtures_match_their_markers() {
    let engine = Engine::new(vec![Box::new(CodeAnalyzer)]);
    let only = std::env::var("PAB_RULE").unwrap_or_default();
    // Each fixture holds bad code next to its safe mirror.
    let mut check = FixtureCheck::new(&engine, comment, true);
    let mut snapshots = BTreeMap::new();
    for rule in ALL_RULES.iter().filter(|r| r.meta().id.starts_with(&only)) {
        let meta = rule.meta();
        let (area, name) = meta.id.split_once('/').unwrap();
        let dir = fixtures_dir().join(area).join(name);
        let files: Vec<_> = files_under(&dir)
            .into_iter()
            .filter(|p| Lang::from_path(p).is_some())
            .collect();
        let covered: BTreeSet<_> = files
            .iter()
            .filter_map(|p| Lang::from_path(p).map(|l| l.language().as_str()))
            .collect();
        for language in rule.languages() {
            if !covered.contains(language.as_str()) {
                check.problem(format!("{}: no {} fixture", meta.id, language.as_str()));
            }
        }
        let fixtures = files.into_iter().map(|p| Fixture::below(&dir, p)).collect();
        for (fixture, own) in check.rule(meta.id, fixtures) {
            snapshots.insert(format!("{area}__{name}__{}", fixture.name), render(&own));
        }
    }
    check.finish();
    for (name, text) in snapshots {
        insta::assert_snapshot!(name, text);
    }
}
