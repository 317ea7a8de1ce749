//! The MCP server checked by the real client, not only by our own reading of
//! the protocol: the official MCP Python SDK (pinned in
//! tests/mcp/requirements.txt, installed into target/mcp-venv by
//! scripts/bootstrap) starts `proagent-backend mcp`, checks the handshake and
//! the tool list, and calls every tool, with good calls and bad ones
//! (tests/mcp/check_server.py holds the checks).

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn checks_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mcp")
}

/// The venv's interpreter, with the pinned SDK in it.
fn python() -> PathBuf {
    let python = repo().join("target/mcp-venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/bootstrap (`make test` does), which installs the MCP Python SDK there",
        python.display()
    );
    let requirements = std::fs::read_to_string(checks_dir().join("requirements.txt")).unwrap();
    let pinned = requirements
        .lines()
        .find_map(|l| l.strip_prefix("mcp=="))
        .expect("requirements.txt pins mcp");
    let installed = Command::new(&python)
        .args([
            "-c",
            "import importlib.metadata as m; print(m.version('mcp'))",
        ])
        .output()
        .unwrap();
    let installed = String::from_utf8_lossy(&installed.stdout);
    assert_eq!(
        installed.trim(),
        pinned,
        "target/mcp-venv does not hold the pinned MCP SDK: run scripts/bootstrap"
    );
    python
}

#[test]
fn the_official_python_client_drives_every_tool() {
    let python = python();
    let project = tempfile::tempdir().unwrap();
    let migrations = project.path().join("migrations");
    std::fs::create_dir(&migrations).unwrap();
    std::fs::write(
        migrations.join("001_users.sql"),
        "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n",
    )
    .unwrap();
    std::fs::write(
        migrations.join("002_change.sql"),
        "ALTER TABLE users ADD COLUMN x int NOT NULL DEFAULT random();\n\
         CREATE INDEX users_email_idx ON users (email);\n",
    )
    .unwrap();
    let out = Command::new("timeout")
        .arg("300")
        .arg(&python)
        .arg(checks_dir().join("check_server.py"))
        .arg(env!("CARGO_BIN_EXE_proagent-backend"))
        .arg(project.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the MCP client's checks failed:\n{stdout}\n{stderr}"
    );
    for mode in ["legacy mode", "auto mode"] {
        assert!(
            stdout
                .lines()
                .any(|l| l.contains(mode) && l.ends_with("all checks passed")),
            "no passing run in {mode}:\n{stdout}"
        );
    }
}

/// Stdout is the protocol's alone, even when the server cannot start: the
/// reason goes to stderr, once, and the exit code is 2.
#[test]
fn a_client_that_leaves_before_the_handshake_gets_nothing_on_stdout() {
    let out = assert_cmd::Command::cargo_bin("proagent-backend")
        .unwrap()
        .arg("mcp")
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: MCP server: the MCP handshake failed: connection closed: initialize request\n"
    );
}
