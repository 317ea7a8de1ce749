//! A whole session, end to end, through the commands plugin/hooks/hooks.json
//! wires to each event (the plugin's launcher finds the built binary on
//! PATH), in a real git repository: Bash writes an unsafe migration and
//! PostToolUse blocks; Stop blocks once, then allows with
//! `stop_hook_active`; an Edit fixes the file and Stop allows; a
//! pre-existing unsafe file the session did not touch never blocks; a
//! commit of a staged unsafe migration is denied; concurrent hook
//! processes share the session state without losing a snapshot.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

struct Session {
    repo: tempfile::TempDir,
    state: tempfile::TempDir,
    bin_dir: tempfile::TempDir,
    plugin: PathBuf,
    hooks: Value,
}

impl Session {
    fn new() -> Session {
        let plugin = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../plugin");
        let hooks: Value = serde_json::from_str(
            &std::fs::read_to_string(plugin.join("hooks/hooks.json")).unwrap(),
        )
        .unwrap();
        let bin_dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(
            assert_cmd::cargo::cargo_bin("proagent-backend"),
            bin_dir.path().join("proagent-backend"),
        )
        .unwrap();
        Session {
            repo: tempfile::tempdir().unwrap(),
            state: tempfile::tempdir().unwrap(),
            bin_dir,
            plugin,
            hooks,
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.repo.path().join(rel)
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn git(&self, args: &[&str]) {
        let ok = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(self.repo.path())
            .status()
            .unwrap()
            .success();
        assert!(ok, "git {args:?}");
    }

    /// Runs every hook hooks.json registers for `event` (and `tool`, by the
    /// matcher's alternatives) and returns their stdout, parsed when JSON.
    fn fire(&self, event: &str, tool: Option<&str>, extra: Value) -> Vec<Value> {
        let mut payload = json!({
            "session_id": "e2e-session",
            "transcript_path": "/dev/null",
            "cwd": self.repo.path(),
            "hook_event_name": event,
        });
        if let Some(tool) = tool {
            payload["tool_name"] = json!(tool);
        }
        for (k, v) in extra.as_object().unwrap() {
            payload[k] = v.clone();
        }
        let mut outputs = Vec::new();
        for group in self.hooks["hooks"][event].as_array().into_iter().flatten() {
            // Matchers here are alternatives of tool names ("Write|Edit").
            let matches = match (group["matcher"].as_str(), tool) {
                (None | Some(""), _) => true,
                (Some(m), Some(tool)) => m.split('|').any(|alt| alt == tool),
                (Some(_), None) => false,
            };
            if !matches {
                continue;
            }
            for hook in group["hooks"].as_array().unwrap() {
                outputs.push(self.run(hook["command"].as_str().unwrap(), &payload));
            }
        }
        outputs
    }

    fn run(&self, command: &str, payload: &Value) -> Value {
        let path = format!(
            "{}:{}",
            self.bin_dir.path().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(command)
            .current_dir(self.repo.path())
            .env("CLAUDE_PLUGIN_ROOT", &self.plugin)
            .env("PATH", path)
            .env("XDG_STATE_HOME", self.state.path())
            .env_remove("PROAGENT_BACKEND_HOOK")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(
            child.stdin.as_mut().unwrap(),
            payload.to_string().as_bytes(),
        )
        .unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{command}: {out:?}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        serde_json::from_str(&stdout).unwrap_or(Value::String(stdout.trim().to_string()))
    }
}

fn blocks(outputs: &[Value]) -> bool {
    outputs.iter().any(|o| {
        o["decision"] == "block" || o["hookSpecificOutput"]["permissionDecision"] == "deny"
    })
}

fn bash(session: &Session, id: &str, command: &str, effect: impl FnOnce()) -> Vec<Value> {
    let input = json!({"tool_use_id": id, "tool_input": {"command": command}});
    let before = session.fire("PreToolUse", Some("Bash"), input.clone());
    assert!(!blocks(&before), "{command}: {before:?}");
    effect();
    session.fire("PostToolUse", Some("Bash"), input)
}

#[test]
fn a_session_is_gated_from_start_to_commit() {
    let s = Session::new();
    s.git(&["init", "-q"]);
    s.write(
        "migrations/0001_init.sql",
        "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n",
    );
    s.write("legacy/old.sql", "DROP TABLE legacy_users;\n");
    s.git(&["add", "."]);
    s.git(&["commit", "-q", "-m", "init"]);

    s.fire("SessionStart", None, json!({"source": "startup"}));

    // Bash writes an unsafe migration: PostToolUse blocks.
    let unsafe_index = "CREATE INDEX idx_users_email ON users (email);\n";
    let after = bash(
        &s,
        "b1",
        "python scripts/new_migration.py email_index",
        || s.write("migrations/0002_email_index.sql", unsafe_index),
    );
    assert!(blocks(&after), "{after:?}");
    assert!(after[0]["reason"].as_str().unwrap().contains(
        "migration/create-index-without-concurrently (migrations/0002_email_index.sql line 1)"
    ));

    // Stop blocks once; with stop_hook_active it allows.
    let stop = s.fire("Stop", None, json!({"stop_hook_active": false}));
    assert!(blocks(&stop), "{stop:?}");
    assert!(!stop[0]["reason"]
        .as_str()
        .unwrap()
        .contains("legacy/old.sql"));
    let again = s.fire("Stop", None, json!({"stop_hook_active": true}));
    assert!(!blocks(&again), "{again:?}");

    // An Edit fixes the migration: allowed, and then Stop allows.
    let edit = json!({"tool_input": {
        "file_path": s.path("migrations/0002_email_index.sql"),
        "old_string": "CREATE INDEX idx_users_email",
        "new_string": "CREATE INDEX CONCURRENTLY idx_users_email",
    }});
    assert!(!blocks(&s.fire("PreToolUse", Some("Edit"), edit)));
    s.write(
        "migrations/0002_email_index.sql",
        "CREATE INDEX CONCURRENTLY idx_users_email ON users (email);\n",
    );
    let stop = s.fire("Stop", None, json!({"stop_hook_active": false}));
    assert!(!blocks(&stop), "{stop:?}");

    // A commit of a staged unsafe migration is denied.
    s.write(
        "migrations/0003_drop.sql",
        "ALTER TABLE users DROP COLUMN email;\n",
    );
    s.git(&["add", "migrations/0003_drop.sql"]);
    let commit = s.fire(
        "PreToolUse",
        Some("Bash"),
        json!({"tool_use_id": "c1", "tool_input": {"command": "git commit -m 'drop email'"}}),
    );
    assert!(blocks(&commit), "{commit:?}");
    assert!(commit[0]["hookSpecificOutput"]["permissionDecisionReason"]
        .as_str()
        .unwrap()
        .contains("migration/drop-column"));

    // SessionEnd removes the state.
    s.fire("SessionEnd", None, json!({"reason": "other"}));
    let left: Vec<_> = walk(s.state.path())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn concurrent_hooks_share_the_session_state() {
    let s = Session::new();
    s.git(&["init", "-q"]);
    s.write("a.sql", "SELECT 1;\n");
    s.git(&["add", "."]);
    s.git(&["commit", "-q", "-m", "init"]);
    let ids: Vec<String> = (0..8).map(|i| format!("p{i}")).collect();
    std::thread::scope(|scope| {
        for id in &ids {
            let s = &s;
            scope.spawn(move || {
                s.fire(
                    "PreToolUse",
                    Some("Bash"),
                    json!({"tool_use_id": id, "tool_input": {"command": "ls"}}),
                )
            });
        }
    });
    let state = walk(s.state.path())
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .expect("a session state file");
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(state).unwrap()).unwrap();
    let mut saved_ids: Vec<&String> = saved["bash"].as_object().unwrap().keys().collect();
    saved_ids.sort();
    assert_eq!(saved_ids, ids.iter().collect::<Vec<_>>());
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
