//! Drift between handler code and its OpenAPI description, end to end: each
//! directory under tests/drift/ is a small service (code and description),
//! copied out of the tests/ tree first (routes declared under a `tests/`
//! directory are test code, not a service's API) and reviewed with the
//! `api/spec-drift-*` rules; the findings are snapshotted.

use assert_cmd::Command;
use std::path::Path;

const DRIFT_RULES: &str = "api/spec-drift-method-mismatch,api/spec-drift-status-mismatch,api/spec-drift-undocumented-route,api/spec-drift-unimplemented-operation";

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `rule path:line message` for each finding of the drift rules, and the
/// unused-suppression findings (a suppression of a drift rule is used only
/// once every file has been read).
fn drift(case: &str) -> String {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/drift")
        .join(case);
    let dir = tempfile::tempdir().unwrap();
    let service = dir.path().join("service");
    copy_dir(&fixture, &service);
    let out = Command::cargo_bin("proagent-backend")
        .unwrap()
        .current_dir(&service)
        .args(["review", ".", "--format", "json", "--no-progress"])
        .args([
            "--select",
            &format!("{DRIFT_RULES},reliability/unused-suppression"),
        ])
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["errors"], serde_json::json!([]), "{case}");
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}:{} {}\n",
                f["rule"].as_str().unwrap(),
                f["path"].as_str().unwrap(),
                f["line"],
                f["message"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn express_routes_against_a_swagger_2_description_with_a_base_path() {
    insta::assert_snapshot!(drift("express_swagger"));
}

#[test]
fn gin_routes_against_a_description_split_over_files() {
    insta::assert_snapshot!(drift("gin_multi_file"));
}

#[test]
fn a_description_of_another_api_is_not_compared() {
    assert_eq!(drift("unrelated"), "");
}

#[test]
fn a_suppression_covers_a_drift_finding_and_is_not_called_unused() {
    assert_eq!(drift("suppressed"), "");
}

#[test]
fn the_example_service_shows_each_kind_of_drift() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::cargo_bin("proagent-backend")
        .unwrap()
        .current_dir(&root)
        .args([
            "review",
            "examples/shop-api",
            "--format",
            "json",
            "--no-progress",
        ])
        .args(["--select", DRIFT_RULES])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    rules.sort_unstable();
    assert_eq!(
        rules,
        [
            "api/spec-drift-method-mismatch",
            "api/spec-drift-status-mismatch",
            "api/spec-drift-undocumented-route",
            "api/spec-drift-unimplemented-operation",
        ]
    );
}
