//! End-to-end tests of the binary: every format, exit code, configuration
//! error, suppression, baseline and diff, and the bad inputs a user throws at
//! it (broken SQL, invalid UTF-8, binary, empty, huge, missing, many files).

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;
use tempfile::TempDir;

const UNSAFE: &str = "CREATE INDEX orders_status_idx ON orders (status);\n";
const SAFE: &str = "CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);\n";

fn bin() -> Command {
    let mut cmd = Command::cargo_bin("proagent-backend").unwrap();
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Narrows the tests' projects to one rule (and suppressions), so that
/// counts do not change as rules are added.
const ONE_RULE_CONFIG: &[u8] =
    b"select = [\"migration/create-index-without-concurrently\", \"reliability\"]\n";

fn project(files: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    if !files.iter().any(|(name, _)| name.ends_with(".toml")) {
        std::fs::write(dir.path().join("proagent-backend.toml"), ONE_RULE_CONFIG).unwrap();
    }
    for (name, content) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

fn review(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    bin()
        .current_dir(dir)
        .arg("review")
        .arg("--no-progress")
        .args(args)
        .assert()
}

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let out = review(dir, &[&["--format", "json"], args].concat())
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("json output parses")
}

/// One field (`rule`, `path`...) of every finding, in report order.
fn findings_field(v: &serde_json::Value, field: &str) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f[field].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn exit_codes_follow_findings_and_fail_level() {
    let dir = project(&[
        ("m/1.sql", UNSAFE.as_bytes()),
        ("ok/1.sql", SAFE.as_bytes()),
    ]);
    review(dir.path(), &["m"]).code(1);
    review(dir.path(), &["ok"])
        .code(0)
        .stdout(predicate::str::contains("No findings"));
    review(
        dir.path(),
        &[
            "m",
            "--ignore",
            "migration/create-index-without-concurrently",
        ],
    )
    .code(0);
    review(dir.path(), &["m", "--select", "query"]).code(0);
    review(dir.path(), &["m", "--select", "no-such-area"])
        .code(2)
        .stderr(predicate::str::contains("unknown rule or area"));
    review(dir.path(), &["m", "--format", "yaml"]).code(2);
}

#[test]
fn severity_filters_what_is_shown() {
    let dir = project(&[("1.sql", UNSAFE.as_bytes())]);
    let v = json(dir.path(), &["--severity", "critical"]);
    assert_eq!(
        findings_field(&v, "rule"),
        vec!["migration/create-index-without-concurrently"]
    );
    let v = json(dir.path(), &["--select", "all", "--severity", "suggestion"]);
    assert!(!findings_field(&v, "rule").is_empty());
}

#[test]
fn every_format_renders() {
    let dir = project(&[("migrations/1.sql", UNSAFE.as_bytes())]);
    let out = |format: &str| {
        String::from_utf8(
            review(dir.path(), &["--format", format])
                .code(1)
                .get_output()
                .stdout
                .clone(),
        )
        .unwrap()
    };
    let text = out("text");
    assert!(
        text.contains(
            "migrations/1.sql:1:1: critical[migration/create-index-without-concurrently]"
        ),
        "{text}"
    );
    assert!(text.contains("^^^") && text.contains("help:"), "{text}");
    let v: serde_json::Value = serde_json::from_str(&out("json")).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["findings"][0]["line"], 1);
    assert_eq!(v["summary"]["files"], 1);
    let sarif: serde_json::Value = serde_json::from_str(&out("sarif")).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(
        sarif["runs"][0]["results"][0]["ruleId"],
        "migration/create-index-without-concurrently"
    );
    let github = out("github");
    assert!(
        github.starts_with("::error file=migrations/1.sql,line=1"),
        "{github}"
    );
    let junit = out("junit");
    assert!(
        junit.contains("<testsuite") && junit.contains("<failure"),
        "{junit}"
    );
    let md = out("markdown");
    assert!(md.contains("CRITICAL") && md.contains("/10"), "{md}");
}

#[test]
fn rules_and_explain() {
    bin()
        .args(["rules"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "migration/create-index-without-concurrently",
        ));
    let out = bin()
        .args(["rules", "--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let list: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!(list.as_array().unwrap().len() > 1);
    bin()
        .args(["explain", "migration/create-index-without-concurrently"])
        .assert()
        .code(0)
        .stdout(
            predicate::str::contains("## Why it matters")
                .and(predicate::str::contains("## Lock taken")),
        );
    bin()
        .args(["explain", "migration/nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rule"));
    bin()
        .args(["explain", "migration"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is an area"));
}

#[test]
fn config_errors_point_at_the_line_and_exit_2() {
    let dir = project(&[
        (
            "proagent-backend.toml",
            b"select = [\"migration\"]\n[postgres]\nverison = 15\n",
        ),
        ("1.sql", UNSAFE.as_bytes()),
    ]);
    review(dir.path(), &[])
        .code(2)
        .stderr(predicate::str::contains(
            "proagent-backend.toml:3:1: unknown field `verison`",
        ));
    let dir = project(&[
        (
            "pyproject.toml",
            b"[tool.proagent-backend]\nignore = [\"migration/typo\"]\n",
        ),
        ("1.sql", UNSAFE.as_bytes()),
    ]);
    review(dir.path(), &[])
        .code(2)
        .stderr(predicate::str::contains("pyproject.toml:2:11"));
}

#[test]
fn nearest_config_wins() {
    let dir = project(&[
        ("proagent-backend.toml", b"ignore = [\"migration\"]\n"),
        ("a/1.sql", UNSAFE.as_bytes()),
        (
            "b/proagent-backend.toml",
            b"select = [\"migration/create-index-without-concurrently\"]\n",
        ),
        ("b/1.sql", UNSAFE.as_bytes()),
    ]);
    let v = json(dir.path(), &[]);
    let paths = findings_field(&v, "path");
    assert_eq!(paths, vec!["b/1.sql"]);
    // --config overrides discovery for every path.
    let v = json(dir.path(), &["--config", "b/proagent-backend.toml"]);
    assert_eq!(v["findings"].as_array().unwrap().len(), 2);
}

#[test]
fn exclude_and_overrides() {
    let dir = project(&[
        (
            "proagent-backend.toml",
            b"select = [\"migration/create-index-without-concurrently\"]\nexclude = [\"vendor/**\"]\n[[overrides]]\npaths = [\"legacy/**\"]\nseverity = { \"migration/create-index-without-concurrently\" = \"suggestion\" }\n",
        ),
        ("vendor/1.sql", UNSAFE.as_bytes()),
        ("legacy/1.sql", UNSAFE.as_bytes()),
    ]);
    let v = json(dir.path(), &[]);
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);
    assert_eq!(v["findings"][0]["path"], "legacy/1.sql");
    assert_eq!(v["findings"][0]["severity"], "suggestion");
    review(dir.path(), &[]).code(0);
}

#[test]
fn suppressions_hide_findings_and_unused_ones_are_reported() {
    let sql = "-- proagent-backend: ignore[migration/create-index-without-concurrently] table has 10 rows\n\
               CREATE INDEX a ON orders (a);\n\
               CREATE INDEX b ON orders (b); -- proagent-backend: ignore[migration/create-index-without-concurrently]\n\
               -- proagent-backend: ignore[migration/create-index-without-concurrently] stale\n\
               SELECT 1;\n";
    let dir = project(&[("1.sql", sql.as_bytes())]);
    let v = json(dir.path(), &[]);
    assert_eq!(
        findings_field(&v, "rule"),
        vec!["reliability/unused-suppression"]
    );
    assert_eq!(v["findings"][0]["line"], 4);
    // A suggestion alone does not fail the run.
    review(dir.path(), &[]).code(0);
}

#[test]
fn baseline_is_written_then_hides_known_findings() {
    let dir = project(&[("1.sql", UNSAFE.as_bytes())]);
    review(dir.path(), &["--baseline", "baseline.json"])
        .code(0)
        .stderr(predicate::str::contains(
            "wrote 1 finding(s) to the baseline",
        ));
    assert!(dir.path().join("baseline.json").exists());
    review(dir.path(), &["--baseline", "baseline.json"]).code(0);
    // A new finding elsewhere in the file is reported; the known one is not.
    std::fs::write(
        dir.path().join("1.sql"),
        format!("SELECT 1;\n{UNSAFE}CREATE INDEX x ON items (a);\n"),
    )
    .unwrap();
    let v = json(dir.path(), &["--baseline", "baseline.json"]);
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);
    assert_eq!(v["findings"][0]["line"], 3);
    std::fs::write(dir.path().join("baseline.json"), "not json").unwrap();
    review(dir.path(), &["--baseline", "baseline.json"])
        .code(2)
        .stderr(predicate::str::contains("not a proagent-backend baseline"));
}

#[test]
fn diff_reports_only_changed_lines() {
    let dir = project(&[("1.sql", UNSAFE.as_bytes())]);
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(dir.path())
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "init"]);
    std::fs::write(
        dir.path().join("1.sql"),
        format!("{UNSAFE}CREATE INDEX x ON items (a);\n"),
    )
    .unwrap();
    std::fs::write(dir.path().join("2.sql"), UNSAFE).unwrap();
    let v = json(dir.path(), &["--diff", "HEAD"]);
    let got: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![("1.sql".to_string(), 2), ("2.sql".to_string(), 1)]
    );
    review(dir.path(), &["--diff", "no-such-ref"])
        .code(2)
        .stderr(predicate::str::contains("--diff no-such-ref"));
}

#[test]
fn bad_inputs_are_reported_and_the_rest_is_reviewed() {
    let dir = project(&[
        ("bad_utf8.sql", b"SELECT 1;\nSELECT '\xff';\n"),
        ("binary.sql", b"\x00\x01\x02\x03"),
        ("empty.sql", b""),
        (
            "syntax.sql",
            b"CREATE TABLE t (a int,);\nCREATE INDEX i ON orders (a);\n",
        ),
        ("good.sql", UNSAFE.as_bytes()),
    ]);
    let v = json(dir.path(), &["no_such_dir", "."]);
    let errors: Vec<String> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}:{}:{} {}",
                e["path"].as_str().unwrap(),
                e["line"],
                e["column"],
                e["message"].as_str().unwrap()
            )
        })
        .collect();
    for expected in [
        "bad_utf8.sql:2:9 not valid UTF-8",
        "binary.sql:null:null binary file",
        "syntax.sql:1:23 syntax error at or near \")\"",
        "no_such_dir:null:null no such file",
    ] {
        assert!(
            errors.iter().any(|e| e.starts_with(expected)),
            "`{expected}` not in {errors:?}"
        );
    }
    // Findings of the good file and of the parsable statement after the syntax error.
    let mut paths = findings_field(&v, "path");
    paths.sort();
    assert_eq!(paths, vec!["good.sql", "syntax.sql"]);
    // Per-file problems fail the run but are not usage errors.
    review(dir.path(), &["."]).code(1);
}

#[test]
fn unreadable_and_special_files_are_errors_not_hangs() {
    let dir = project(&[
        ("locked.sql", UNSAFE.as_bytes()),
        ("good.sql", UNSAFE.as_bytes()),
    ]);
    let fifo = dir.path().join("pipe.sql");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let v = json(dir.path(), &["pipe.sql", "good.sql"]);
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not a regular file"),
        "{v}"
    );
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);
    // Permissions do not stop root, so this part only runs as another user.
    let locked = dir.path().join("locked.sql");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_err() {
        let v = json(dir.path(), &["locked.sql", "good.sql"]);
        assert!(
            v["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("cannot read the file"),
            "{v}"
        );
        assert_eq!(v["findings"].as_array().unwrap().len(), 1);
    }
}

#[test]
fn typos_in_leading_keywords_are_syntax_errors_whatever_rules_run() {
    let sql = "CREATE TABLEX foo (a int);\nALTER TABEL foo ADD COLUMN b int;\nCOPY t FROM stdin;\nnot; sql\n\\.\nSELECT * FROM t WHERE id = %(id)s;\n";
    let dir = project(&[("1.sql", sql.as_bytes())]);
    let v = json(dir.path(), &["--select", "migration/drop-table"]);
    let errors: Vec<_> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].0 == 1 && errors[0].1.contains("TABLEX"),
        "{errors:?}"
    );
    assert!(
        errors[1].0 == 2 && errors[1].1.contains("TABEL"),
        "{errors:?}"
    );
}

#[test]
fn explicit_file_of_unknown_kind_is_explained() {
    let dir = project(&[("notes.txt", b"hello")]);
    let v = json(dir.path(), &["notes.txt"]);
    assert!(v["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("not a kind of file"));
}

#[test]
fn huge_file_and_many_files() {
    let dir = project(&[]);
    // ~50 MB of data INSERTs and one hazard at the end.
    let row = "INSERT INTO spatial_ref (srid, auth_name, proj4text) VALUES (4326, 'EPSG', '+proj=longlat +datum=WGS84 +no_defs; keep');\n";
    let mut big = String::with_capacity(50 * 1024 * 1024 + 1024);
    while big.len() < 50 * 1024 * 1024 {
        big.push_str(row);
    }
    big.push_str(UNSAFE);
    std::fs::write(dir.path().join("big.sql"), &big).unwrap();
    let many = dir.path().join("many");
    std::fs::create_dir(&many).unwrap();
    for i in 0..10_000 {
        std::fs::write(
            many.join(format!("{i:05}.sql")),
            if i == 9_999 { UNSAFE } else { SAFE },
        )
        .unwrap();
    }
    let v = json(dir.path(), &[]);
    assert_eq!(v["summary"]["files"], 10_001);
    let paths = findings_field(&v, "path");
    assert_eq!(paths, vec!["big.sql", "many/09999.sql"]);
}

#[test]
fn psql_meta_commands_and_placeholders_are_notes() {
    let sql = "\\echo Use \"CREATE EXTENSION demo\" to load this file. \\quit\nCREATE TABLE @extschema@.t (a int);\nCREATE INDEX i ON @extschema@.existing (a);\n";
    let dir = project(&[("demo--1.0.sql", sql.as_bytes())]);
    let v = json(dir.path(), &[]);
    assert!(v["errors"].as_array().unwrap().is_empty(), "{v}");
    let notes = v["notes"].to_string();
    assert!(
        notes.contains("psql meta-command") && notes.contains("placeholder"),
        "{notes}"
    );
    assert_eq!(
        findings_field(&v, "rule"),
        vec!["migration/create-index-without-concurrently"]
    );
}
