//! The bundled example service, reviewed end to end: the JSON report is
//! snapshotted so any change in what the rules say about it shows up in review.

use assert_cmd::Command;
use std::path::Path;

#[test]
fn example_service_json_report() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::cargo_bin("proagent-backend")
        .unwrap()
        .current_dir(&root)
        .args(["review", "examples", "--format", "json", "--no-progress"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let mut report: serde_json::Value = serde_json::from_slice(&out).unwrap();
    report["summary"]["duration_ms"] = serde_json::Value::from(0);
    insta::assert_json_snapshot!(report);
}
