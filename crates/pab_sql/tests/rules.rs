//! Every rule's fixtures: `fixtures/<area>/<rule-name>/fail*.sql` must make the
//! rule report (and its findings are snapshotted), `pass*.sql` must not.
//! A rule without both kinds of fixture, or without docs, fails here.
//!
//! `PAB_RULE=migration/set-not-null cargo test -p pab_sql --test rules` checks
//! only the rules whose id starts with that prefix.
//!
//! A fixture's first line may set options:
//! `-- fixture: postgres=10 assume-in-transaction path=db/migrations/0001.sql`

use pab_core::{Engine, Settings};
use pab_sql::{rules::ALL_RULES, SqlAnalyzer};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

struct Options {
    postgres_version: u32,
    assume_in_transaction: bool,
    path: Option<String>,
}

fn options(text: &str) -> Options {
    let mut o = Options {
        postgres_version: 14,
        assume_in_transaction: false,
        path: None,
    };
    if let Some(header) = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("-- fixture:"))
    {
        for item in header.split_whitespace() {
            match item.split_once('=') {
                Some(("postgres", v)) => o.postgres_version = v.parse().expect("postgres=<major>"),
                Some(("path", p)) => o.path = Some(p.to_string()),
                None if item == "assume-in-transaction" => o.assume_in_transaction = true,
                _ => panic!("unknown fixture option `{item}`"),
            }
        }
    }
    o
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn render(findings: &[pab_core::Finding]) -> String {
    findings
        .iter()
        .map(pab_core::Finding::to_plain_text)
        .collect()
}

#[test]
fn every_rule_has_docs_and_an_id_matching_its_file() {
    for rule in ALL_RULES {
        let m = rule.meta();
        if let Some(field) = m.empty_docs_field() {
            panic!("{}: docs field `{field}` is empty", m.id);
        }
        assert!(
            !rule.kinds().is_empty(),
            "{}: reads no statement kind",
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
fn fixtures_fail_and_pass_as_labelled() {
    let engine = Engine::new(vec![Box::new(SqlAnalyzer::default())]);
    let mut problems = Vec::new();
    let mut snapshots = BTreeMap::new();
    let only = std::env::var("PAB_RULE").unwrap_or_default();
    for rule in ALL_RULES.iter().filter(|r| r.meta().id.starts_with(&only)) {
        let meta = rule.meta();
        let (area, name) = meta.id.split_once('/').unwrap();
        let dir = fixtures_dir().join(area).join(name);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "sql"))
            .collect();
        files.sort();
        let fails = files
            .iter()
            .filter(|p| file_stem(p).starts_with("fail"))
            .count();
        let passes = files
            .iter()
            .filter(|p| file_stem(p).starts_with("pass"))
            .count();
        if fails == 0 || passes == 0 {
            problems.push(format!(
                "{}: needs fail*.sql and pass*.sql fixtures",
                meta.id
            ));
            continue;
        }
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            let o = options(&text);
            let settings = Settings {
                rules: engine
                    .registry()
                    .rule_set(Some(&[meta.id.to_string()]), &[], &BTreeMap::new())
                    .unwrap(),
                postgres_version: o.postgres_version,
                assume_in_transaction: o.assume_in_transaction,
                api_version_prefix: None,
            };
            let shown = o
                .path
                .unwrap_or_else(|| format!("{}.sql", file_stem(&path)));
            let outcome = engine.review_source(&shown, text, &settings);
            let label = format!("{}/{}", meta.id, file_stem(&path));
            if !outcome.errors.is_empty() {
                problems.push(format!(
                    "{label}: fixture does not parse: {:?}",
                    outcome.errors
                ));
            }
            let own: Vec<_> = outcome
                .findings
                .into_iter()
                .filter(|f| f.rule == meta.id)
                .collect();
            if file_stem(&path).starts_with("fail") {
                if own.is_empty() {
                    problems.push(format!("{label}: expected findings, got none"));
                }
                snapshots.insert(
                    format!("{area}__{name}__{}", file_stem(&path)),
                    render(&own),
                );
            } else if !own.is_empty() {
                problems.push(format!(
                    "{label}: expected no findings, got:\n{}",
                    render(&own)
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    for (name, text) in snapshots {
        insta::assert_snapshot!(name, text);
    }
}

fn file_stem(p: &Path) -> String {
    p.file_stem().unwrap().to_string_lossy().into_owned()
}

/// A SQLite or MySQL script is not read as PostgreSQL: one note naming the
/// evidence, no syntax errors and no migration findings on what parses.
#[test]
fn files_in_another_dialect_get_a_note_not_findings() {
    let engine = Engine::new(vec![Box::new(SqlAnalyzer::default())]);
    let settings = Settings {
        rules: engine
            .registry()
            .rule_set(None, &[], &BTreeMap::new())
            .unwrap(),
        postgres_version: 16,
        assume_in_transaction: false,
        api_version_prefix: None,
    };
    let sqlite = "DROP TABLE IF EXISTS post;\n\nCREATE TABLE post (\n  id INTEGER PRIMARY KEY AUTOINCREMENT,\n  title TEXT NOT NULL\n);\n";
    let outcome = engine.review_source("schema.sql", sqlite.to_string(), &settings);
    assert!(outcome.findings.is_empty(), "{:?}", outcome.findings);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert_eq!(outcome.notes.len(), 1, "{:?}", outcome.notes);
    let note = format!("{:?}", outcome.notes[0]);
    assert!(
        note.contains("not PostgreSQL (looks like SQLite: AUTOINCREMENT)"),
        "{note}"
    );
    // The same statements without the SQLite column are reviewed.
    let postgres = sqlite.replace(" AUTOINCREMENT", "");
    let outcome = engine.review_source("schema.sql", postgres, &settings);
    assert!(
        outcome
            .findings
            .iter()
            .any(|f| f.rule == "migration/drop-table"),
        "{:?}",
        outcome.findings
    );
}
