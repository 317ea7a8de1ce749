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
use pab_core::{Engine, Finding, Settings};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Expect,
    Ok,
}

/// (marker, rule id, 1-based line of the next non-marker line).
fn markers(text: &str) -> Vec<(Marker, String, u32)> {
    let lines: Vec<&str> = text.lines().collect();
    let parse = |line: &str| -> Option<(Marker, Vec<String>)> {
        let rest = line.trim().strip_prefix('#')?.trim();
        let (marker, ids) = if let Some(ids) = rest.strip_prefix("expect:") {
            (Marker::Expect, ids)
        } else {
            (Marker::Ok, rest.strip_prefix("ok:")?)
        };
        Some((
            marker,
            ids.split(',').map(|s| s.trim().to_string()).collect(),
        ))
    };
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some((marker, ids)) = parse(line) else {
            continue;
        };
        let target = (i + 1..lines.len())
            .find(|&j| !lines[j].trim().is_empty() && parse(lines[j]).is_none())
            .map_or(0, |j| j as u32 + 1);
        for id in ids {
            out.push((marker, id, target));
        }
    }
    out
}

fn render(findings: &[Finding]) -> String {
    findings.iter().map(Finding::to_plain_text).collect()
}

pub fn settings_for(engine: &Engine, ids: &[&str]) -> Settings {
    Settings {
        rules: engine
            .registry()
            .rule_set(
                Some(&ids.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
                &[],
                &BTreeMap::new(),
            )
            .unwrap(),
        postgres_version: 16,
        assume_in_transaction: false,
        api_version_prefix: None,
    }
}

#[test]
fn every_openapi_rule_has_docs_and_fixtures_that_behave() {
    let engine = Engine::new(vec![Box::new(ApiAnalyzer)]);
    let only = std::env::var("PAB_RULE").unwrap_or_default();
    let mut problems = Vec::new();
    for rule in ALL_RULES {
        let meta = rule.meta();
        if !meta.id.starts_with("api/oas-") || !meta.id.starts_with(&only) {
            continue;
        }
        if let Some(field) = meta.empty_docs_field() {
            problems.push(format!("{}: docs field `{field}` is empty", meta.id));
        }
        let name = meta.id.trim_start_matches("api/");
        let dir = fixtures_dir().join(name);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| e.path())
                    // `_name.yaml` files are referenced by the fixtures.
                    .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('_'))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        if files.is_empty() {
            problems.push(format!("{}: no fixtures in {}", meta.id, dir.display()));
        }
        let mut kinds = Vec::new();
        for path in &files {
            let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
            let label = format!("{}/{file_name}", meta.id);
            let text = std::fs::read_to_string(path).unwrap();
            let settings = settings_for(&engine, &[meta.id]);
            let marks = markers(&text);
            // Relative to the fixture's directory, so multi-file references
            // resolve.
            let shown = path.to_string_lossy().into_owned();
            let outcome = engine.review_source(&shown, text, &settings);
            if !outcome.errors.is_empty() || !outcome.notes.is_empty() {
                problems.push(format!(
                    "{label}: fixtures must be reviewed cleanly: {:?} {:?}",
                    outcome.errors, outcome.notes
                ));
            }
            let own: Vec<Finding> = outcome
                .findings
                .into_iter()
                .filter(|f| f.rule == meta.id)
                .collect();
            let mine: Vec<_> = marks.iter().filter(|(_, id, _)| id == meta.id).collect();
            kinds.extend(mine.iter().map(|(m, _, _)| *m));
            for (marker, _, line) in &mine {
                let hit = own.iter().any(|f| f.span.start.line == *line);
                match marker {
                    Marker::Expect if !hit => {
                        problems.push(format!("{label}:{line}: expected a finding, got none"))
                    }
                    Marker::Ok if hit => problems.push(format!(
                        "{label}:{line}: expected no finding, got {}",
                        render(&own)
                    )),
                    _ => {}
                }
            }
            for f in &own {
                let line = f.span.start.line;
                if !mine
                    .iter()
                    .any(|(m, _, l)| *m == Marker::Expect && *l == line)
                {
                    problems.push(format!(
                        "{label}:{line}: unexpected finding {}",
                        f.to_plain_text()
                    ));
                }
            }
            let mut s = insta::Settings::clone_current();
            s.set_snapshot_suffix(format!("{name}-{file_name}"));
            s.set_prepend_module_to_snapshot(false);
            s.bind(|| insta::assert_snapshot!("fixture", render(&own)));
        }
        for kind in [Marker::Expect, Marker::Ok] {
            if !kinds.contains(&kind) {
                problems.push(format!("{}: fixtures need `{kind:?}` markers", meta.id));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
