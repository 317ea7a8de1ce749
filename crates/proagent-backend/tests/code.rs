//! Code files through the whole engine, with every analyzer registered:
//! SQL embedded in code is checked by the PostgreSQL analyzer and reported
//! on the host file's lines, under the host's suppressions and fingerprints;
//! suppression comments work in each language's syntax; files with syntax
//! errors are still reviewed.

use pab_core::{FileOutcome, Settings};
use std::collections::BTreeMap;

/// Reviews with the security and query rules (and the unused-suppression
/// check): these tests are about embedding and suppressions, so that rules
/// of other areas firing on the same snippets (an unchecked Go error, say)
/// do not blur them.
fn review(path: &str, text: &str) -> FileOutcome {
    let engine = proagent_backend::engine();
    let areas = [
        "security".to_string(),
        "query".to_string(),
        "reliability/unused-suppression".to_string(),
    ];
    let settings = Settings {
        rules: engine
            .registry()
            .rule_set(Some(&areas), &[], &BTreeMap::new())
            .unwrap(),
        postgres_version: 16,
        assume_in_transaction: false,
        api_version_prefix: None,
    };
    engine.review_source(path, text.to_string(), &settings)
}

/// (rule, line, column) of each finding.
fn found(outcome: &FileOutcome) -> Vec<(&'static str, u32, u32)> {
    outcome
        .findings
        .iter()
        .map(|f| (f.rule, f.span.start.line, f.span.start.column))
        .collect()
}

#[test]
fn embedded_sql_is_checked_and_mapped_to_the_host_lines() {
    let py = "def purge(cursor):\n    cursor.execute(\n        \"DELETE \"\n        \"FROM sessions\"\n    )\n    cursor.execute(\"SELECT id FROM users WHERE id = %s\", (1,))\n";
    let outcome = review("app/jobs.py", py);
    // The second literal of the implicit concatenation starts the clause
    // the rule points at; the column is the host file's.
    assert_eq!(
        found(&outcome),
        vec![("query/delete-without-where", 3, 10)],
        "{outcome:?}"
    );
    let f = &outcome.findings[0];
    assert_eq!(f.path, "app/jobs.py");
    assert!(f.excerpt.text.contains("DELETE"), "{f:?}");
    assert!(!f.fingerprint.is_empty());

    let go = "package p\n\nfunc f(db *sql.DB) {\n\tdb.Exec(`UPDATE accounts SET balance = 0`)\n}\n";
    assert_eq!(
        found(&review("p/f.go", go)),
        vec![("query/update-without-where", 4, 11)]
    );

    let ts = "const q = \"DELETE FROM carts\";\nexport const purge = () => pool.query(q);\n";
    assert_eq!(
        found(&review("src/purge.ts", ts)),
        vec![("query/delete-without-where", 1, 12)]
    );
}

#[test]
fn embedded_sql_obeys_host_suppressions_and_skips_other_dialects() {
    let py = "def purge(cursor):\n    # proagent-backend: ignore[query/delete-without-where] nightly job empties the table\n    cursor.execute(\"DELETE FROM sessions\")\n";
    assert_eq!(found(&review("jobs.py", py)), vec![]);

    // `?` placeholders are not PostgreSQL: the query is skipped with a note,
    // never reported as a syntax error of the Python file.
    let py =
        "def one(cursor, i):\n    cursor.execute(\"SELECT name FROM users WHERE id = ?\", (i,))\n";
    let outcome = review("one.py", py);
    assert!(
        outcome.errors.is_empty() && outcome.findings.is_empty(),
        "{outcome:?}"
    );
    assert_eq!(outcome.notes.len(), 1, "{outcome:?}");
}

#[test]
fn only_single_query_rules_run_on_fragments() {
    // A migration-only rule must not fire on a query in application code,
    // even in a directory named like migrations.
    let py = "def f(cursor):\n    cursor.execute(\"SELECT * FROM orders\")\n";
    let rules: Vec<_> = found(&review("db/migrations/0002_backfill.py", py))
        .into_iter()
        .map(|(r, _, _)| r)
        .collect();
    assert!(
        !rules.contains(&"query/unbounded-select-in-migration"),
        "{rules:?}"
    );
}

#[test]
fn suppressions_use_each_languages_comments() {
    let cases = [
        (
            "a.py",
            "def f(cursor, name):\n    # proagent-backend: ignore[security/sql-injection] name is validated by the caller\n    cursor.execute(\"SELECT * FROM t WHERE name = '\" + name + \"'\")\n",
        ),
        (
            "a.js",
            "function f(db, name) {\n  // proagent-backend: ignore[security/sql-injection] validated\n  return db.query(`SELECT * FROM t WHERE name = '${name}'`);\n}\n",
        ),
        (
            "a.tsx",
            "export function f(db: any, name: string) {\n  return db.query(`SELECT * FROM t WHERE name = '${name}'`); // proagent-backend: ignore[security/sql-injection] validated\n}\n",
        ),
        (
            "a.go",
            "package a\n\nfunc f(db *sql.DB, name string) {\n\t/* proagent-backend: ignore[security/sql-injection] validated */\n\tdb.Query(\"SELECT * FROM t WHERE name = '\" + name + \"'\")\n}\n",
        ),
    ];
    for (path, text) in cases {
        let outcome = review(path, text);
        assert_eq!(found(&outcome), vec![], "{path}: {outcome:?}");
        // Without the comment, the same code is reported.
        let bare: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with(['#', '/']))
            .map(|l| l.split(" // proagent").next().unwrap_or(l).to_string() + "\n")
            .collect();
        let rules: Vec<_> = found(&review(path, &bare))
            .into_iter()
            .map(|f| f.0)
            .collect();
        assert_eq!(rules, vec!["security/sql-injection"], "{path}");
    }
    // A stale one is reported in the host's syntax too.
    let outcome = review(
        "b.py",
        "# proagent-backend: ignore[security/sql-injection]\nx = 1\n",
    );
    assert_eq!(
        found(&outcome),
        vec![("reliability/unused-suppression", 1, 3)]
    );
}

#[test]
fn files_with_syntax_errors_are_reviewed_where_they_parse() {
    let py = "def broken(:\n    pass\n\ndef f(cursor, name):\n    cursor.execute(\"SELECT * FROM t WHERE name = '\" + name + \"'\")\n";
    let outcome = review("broken.py", py);
    assert_eq!(
        found(&outcome),
        vec![("security/sql-injection", 5, 20)],
        "{outcome:?}"
    );
    assert_eq!(outcome.notes.len(), 1);
    assert_eq!(outcome.notes[0].line, Some(1), "{:?}", outcome.notes);
}

#[test]
fn vendored_and_minified_files_are_skipped_with_a_note() {
    let bad = "function f(db, n) { return db.query(`SELECT * FROM t WHERE n = '${n}'`); }\n";
    for path in ["node_modules/x/index.js", "static/app.min.js"] {
        let outcome = review(path, bad);
        assert!(outcome.findings.is_empty(), "{path}");
        assert!(
            outcome.notes[0].message.starts_with("not reviewed"),
            "{path}"
        );
    }
}

#[test]
fn third_party_directories_are_left_out_of_walks_with_one_note_each() {
    let dir = tempfile::tempdir().unwrap();
    let bad = "function f(db, n) { return db.query(`SELECT * FROM t WHERE n = '${n}'`); }\n";
    for name in [
        "src/app.js",
        "node_modules/a/index.js",
        "node_modules/a/node_modules/b/index.js",
        "vendor/github.com/x/y.js",
    ] {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bad).unwrap();
    }
    let out = assert_cmd::Command::cargo_bin("proagent-backend")
        .unwrap()
        .current_dir(dir.path())
        .args(["review", ".", "--format", "json", "--no-progress"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec!["src/app.js"], "{v}");
    let notes: Vec<(&str, &str)> = v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["path"].as_str().unwrap(), n["message"].as_str().unwrap()))
        .collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(
        notes[0].0.ends_with("node_modules") && notes[0].1.contains("2 file(s)"),
        "{notes:?}"
    );
    assert!(notes[1].0.ends_with("vendor"), "{notes:?}");
}
