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
//! both kinds of marker; every fixture must parse. Each fixture's findings
//! are snapshotted. Only the rule of the directory runs.

use pab_api::rules::ALL_RULES;
use pab_api::ApiAnalyzer;
use pab_core::{Engine, Finding, Settings};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Expect,
    Ok,
}

/// (marker, rule id, 1-based line of the code it is about).
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

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
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
    let mut problems = Vec::new();
    let mut snapshots = BTreeMap::new();
    for rule in ALL_RULES.iter().filter(|r| r.meta().id.starts_with(&only)) {
        let meta = rule.meta();
        let Some(format) = format_of(meta.id) else {
            continue;
        };
        let name = meta.id.trim_start_matches("api/");
        let root = fixtures_dir().join(format);
        let mut files = Vec::new();
        files_under(&root.join(name), &mut files);
        files.sort();
        let settings = Settings {
            rules: engine
                .registry()
                .rule_set(Some(&[meta.id.to_string()]), &[], &BTreeMap::new())
                .unwrap(),
            postgres_version: 16,
            assume_in_transaction: false,
            api_version_prefix: None,
        };
        let mut kinds = (false, false);
        for path in files {
            let rel = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let label = format!("{}/{rel}", meta.id);
            let text = std::fs::read_to_string(&path).unwrap();
            let comment = if format == "graphql" { "#" } else { "//" };
            let marks = markers(&text, comment);
            let outcome = engine.review_source(&rel, text, &settings);
            if !outcome.errors.is_empty() {
                problems.push(format!(
                    "{label}: fixtures must parse: {:?}",
                    outcome.errors
                ));
            }
            let own: Vec<&Finding> = outcome
                .findings
                .iter()
                .filter(|f| f.rule == meta.id)
                .collect();
            let mine: Vec<_> = marks.iter().filter(|(_, id, _)| id == meta.id).collect();
            if mine.is_empty() {
                problems.push(format!("{label}: no markers for {}", meta.id));
            }
            for (marker, _, line) in &mine {
                let hit = own.iter().any(|f| f.span.start.line == *line);
                match marker {
                    Marker::Expect => {
                        kinds.0 = true;
                        if !hit {
                            problems.push(format!("{label}:{line}: expected a finding, got none"));
                        }
                    }
                    Marker::Ok => {
                        kinds.1 = true;
                        if hit {
                            problems.push(format!("{label}:{line}: expected no finding, got one"));
                        }
                    }
                }
            }
            for f in &own {
                let expected = mine
                    .iter()
                    .any(|(m, _, line)| *m == Marker::Expect && *line == f.span.start.line);
                if !expected {
                    problems.push(format!(
                        "{label}:{}: unexpected finding: {}",
                        f.span.start.line, f.message
                    ));
                }
            }
            let rendered: String = own.iter().map(|f| f.to_plain_text()).collect();
            snapshots.insert(rel.replace('/', "__"), rendered);
        }
        if kinds != (true, true) {
            problems.push(format!(
                "{}: needs `expect` and `ok` markers: every bad line needs its good mirror",
                meta.id
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    for (name, text) in snapshots {
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn markers_point_at_the_next_line_of_code() {
    let m = markers("# expect: a/b\n\n# ok: c/d\nx\n", "#");
    assert_eq!(
        m,
        vec![
            (Marker::Expect, "a/b".to_string(), 4),
            (Marker::Ok, "c/d".to_string(), 4),
        ]
    );
}
