//! The plugin checked by the real client, not only by our own reading of it:
//! Claude Code (from npm, run offline with a throwaway HOME) validates the
//! marketplace and the plugin, installs it, and lists its components,
//! MCP servers included.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The client version the plugin is checked against.
const CLAUDE_CODE: &str = "@anthropic-ai/claude-code@2.1.197";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// Installs the client under target/ once; later runs reuse it.
fn claude() -> PathBuf {
    let prefix = repo().join("target/claude-code");
    let bin = prefix.join("node_modules/.bin/claude");
    if !bin.exists() {
        let status = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&prefix)
            .arg(CLAUDE_CODE)
            .status()
            .expect("npm is needed for this test (scripts/bootstrap installs it)");
        assert!(status.success(), "npm install {CLAUDE_CODE} failed");
    }
    bin
}

fn run(claude: &Path, home: &Path, args: &[&str]) -> String {
    let out = Command::new("timeout")
        .arg("120")
        .arg(claude)
        .args(args)
        .env("HOME", home)
        .current_dir(home)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "claude {args:?} failed:\n{text}");
    text
}

#[test]
fn real_client_installs_the_plugin_and_sees_every_component() {
    let claude = claude();
    let home = tempfile::tempdir().unwrap();
    let repo = repo();
    let repo = repo.to_str().unwrap();
    let validated = run(&claude, home.path(), &["plugin", "validate", repo]);
    assert!(validated.contains("Validation passed"), "{validated}");
    run(
        &claude,
        home.path(),
        &["plugin", "marketplace", "add", repo],
    );
    let installed = run(
        &claude,
        home.path(),
        &["plugin", "install", "proagent-backend@proagent"],
    );
    assert!(installed.contains("Successfully installed"), "{installed}");
    let details = run(
        &claude,
        home.path(),
        &["plugin", "details", "proagent-backend@proagent"],
    );
    for expected in [
        "backend-assistant",
        "proagent-backend-hub",
        "proagent-backend-run",
        "proagent-backend-review",
        "backend-specialist",
        "PreToolUse",
        "SessionStart",
    ] {
        assert!(
            details.contains(expected),
            "`{expected}` missing from:\n{details}"
        );
    }
    // The client lists the servers of plugin/.mcp.json on one line:
    // "MCP servers (6)  proagent-backend, github, …".
    let mcp = std::fs::read_to_string(format!("{repo}/plugin/.mcp.json")).unwrap();
    let mcp: serde_json::Value = serde_json::from_str(&mcp).unwrap();
    let servers = mcp["mcpServers"].as_object().unwrap();
    let listed = details
        .lines()
        .find(|line| line.trim_start().starts_with("MCP servers"))
        .unwrap_or_else(|| panic!("no MCP servers line in:\n{details}"));
    assert!(
        listed.contains(&format!("MCP servers ({})", servers.len()))
            && servers.keys().all(|name| listed.contains(name.as_str())),
        "{listed}"
    );
}
