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
use pab_core::{Engine, Finding, Settings};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Expect,
    Ok,
}

/// The markers of a fixture: (marker, rule id, 1-based line of the code it
/// is about).
fn markers(text: &str, comment: &str) -> Vec<(Marker, String, u32)> {
    let lines: Vec<&str> = text.lines().collect();
    let parse = |line: &str| -> Option<(Marker, Vec<String>)> {
        let rest = line.trim().strip_prefix(comment)?.trim();
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
    let mut problems = Vec::new();
    let mut snapshots = BTreeMap::new();
    for rule in ALL_RULES.iter().filter(|r| r.meta().id.starts_with(&only)) {
        let meta = rule.meta();
        let (area, name) = meta.id.split_once('/').unwrap();
        let dir = fixtures_dir().join(area).join(name);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| Lang::from_path(p).is_some())
            .collect();
        files.sort();
        let covered: BTreeSet<_> = files
            .iter()
            .filter_map(|p| Lang::from_path(p).map(|l| l.language().as_str()))
            .collect();
        for language in rule.languages() {
            if !covered.contains(language.as_str()) {
                problems.push(format!("{}: no {} fixture", meta.id, language.as_str()));
            }
        }
        for path in files {
            let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
            let label = format!("{}/{file_name}", meta.id);
            let text = std::fs::read_to_string(&path).unwrap();
            let lang = Lang::from_path(&path).unwrap();
            let settings = Settings {
                rules: engine
                    .registry()
                    .rule_set(Some(&[meta.id.to_string()]), &[], &BTreeMap::new())
                    .unwrap(),
                postgres_version: 16,
                assume_in_transaction: false,
                api_version_prefix: None,
            };
            let marks = markers(&text, lang.language().line_comment());
            let outcome = engine.review_source(&file_name, text, &settings);
            if !outcome.errors.is_empty() || !outcome.notes.is_empty() {
                problems.push(format!(
                    "{label}: fixtures must parse and be reviewed: {:?} {:?}",
                    outcome.errors, outcome.notes
                ));
            }
            let own: Vec<_> = outcome
                .findings
                .into_iter()
                .filter(|f| f.rule == meta.id)
                .collect();
            let mine: Vec<_> = marks.iter().filter(|(_, id, _)| id == meta.id).collect();
            for kind in [Marker::Expect, Marker::Ok] {
                if !mine.iter().any(|(m, _, _)| *m == kind) {
                    problems.push(format!(
                        "{label}: needs `{kind:?}` markers: every bad line needs its safe mirror and the other way round"
                    ));
                }
            }
            for (marker, _, line) in &mine {
                let hit = own.iter().any(|f| f.span.start.line == *line);
                match marker {
                    Marker::Expect if !hit => {
                        problems.push(format!("{label}:{line}: expected a finding, got none"))
                    }
                    Marker::Ok if hit => {
                        problems.push(format!("{label}:{line}: expected no finding, got one"))
                    }
                    _ => {}
                }
            }
            for f in &own {
                let expected = mine
                    .iter()
                    .any(|(m, _, line)| *m == Marker::Expect && *line == f.span.start.line);
                if !expected {
                    problems.push(format!(
                        "{label}:{}: unexpected finding (add an `expect` marker or fix the rule): {}",
                        f.span.start.line, f.message
                    ));
                }
            }
            snapshots.insert(format!("{area}__{name}__{file_name}"), render(&own));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    for (name, text) in snapshots {
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn markers_point_at_the_next_line_of_code() {
    let m = markers("# expect: a/b, c/d\n\n# ok: e/f\nx = 1\n", "#");
    assert_eq!(
        m,
        vec![
            (Marker::Expect, "a/b".to_string(), 4),
            (Marker::Expect, "c/d".to_string(), 4),
            (Marker::Ok, "e/f".to_string(), 4),
        ]
    );
}
