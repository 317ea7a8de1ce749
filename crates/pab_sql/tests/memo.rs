//! An analyzer that reuses the last file's parse trees must report exactly
//! what a fresh one does: over every fixture, each reviewed after a file
//! that shares statements with it (the previous fixture followed by this
//! one), so that reused and freshly parsed trees, syntax errors included,
//! mix in one review.

use pab_core::{Engine, FileOutcome, Settings};
use pab_sql::SqlAnalyzer;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn settings(engine: &Engine) -> Settings {
    Settings {
        rules: engine
            .registry()
            .rule_set(Some(&["all".to_string()]), &[], &BTreeMap::new())
            .unwrap(),
        postgres_version: 14,
        assume_in_transaction: false,
        api_version_prefix: None,
    }
}

fn fixtures() -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut paths = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "sql") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

fn summary(outcome: FileOutcome) -> Vec<String> {
    let findings = outcome
        .findings
        .into_iter()
        .map(|f| format!("{} {:?} {} {}", f.rule, f.span, f.message, f.fingerprint));
    let errors = outcome.errors.into_iter().map(|e| format!("{e:?}"));
    findings.chain(errors).collect()
}

#[test]
fn reused_trees_give_the_same_review() {
    let fresh = Engine::new(vec![Box::new(SqlAnalyzer::default())]);
    let reusing = Engine::new(vec![Box::new(SqlAnalyzer::reusing_last_trees())]);
    let settings = settings(&fresh);
    let texts = fixtures();
    assert!(texts.len() > 100, "fixtures not found");
    let mut previous = String::new();
    for text in texts {
        for version in [format!("{previous}\n{text}"), text.clone()] {
            let expected = summary(fresh.review_source("m.sql", version.clone(), &settings));
            let actual = summary(reusing.review_source("m.sql", version, &settings));
            assert_eq!(actual, expected);
        }
        previous = text;
    }
}
