//! `proagent-backend hook`: Claude Code's PreToolUse protocol. The hook reads
//! the tool call on stdin, computes the file's content *after* the edit,
//! reviews it in memory and compares with the content before (by
//! fingerprint): only **new critical** findings deny the call, with a reason
//! that tells the model how to fix them; new warnings go back as context.
//!
//! It fails open: unreadable input, an unknown tool, a configuration error,
//! a file we cannot read or a review over the time budget all allow the call,
//! with a short note on stderr. Our own faults never block the user's work.
//! It knows no analyzer by name: the engine it is given decides what a file
//! is and which rules run.

mod edit;

use pab_core::engine::RunOptions;
use pab_core::{Engine, Finding, Severity};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// How long a hook call may take before it gives up and allows the call.
pub const BUDGET: Duration = Duration::from_secs(1);

/// What the hook prints: JSON for Claude Code on stdout (nothing means
/// "allow, nothing to say"), and a note for the user on stderr.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Response {
    pub stdout: Option<String>,
    pub note: Option<String>,
}

impl Response {
    fn allow_with_note(note: impl Into<String>) -> Response {
        Response {
            stdout: None,
            note: Some(format!(
                "proagent-backend hook: {}; allowing the call",
                note.into()
            )),
        }
    }
}

/// One file as it would be after the tool call.
struct Change {
    path: PathBuf,
    shown: String,
    before: String,
    after: String,
}

/// Handles one hook call.
pub fn run(engine: Arc<Engine>, input: &[u8], budget: Duration) -> Response {
    let payload: Value = match serde_json::from_slice(input) {
        Ok(v) => v,
        Err(e) => {
            return Response::allow_with_note(format!("cannot read the hook input as JSON ({e})"))
        }
    };
    let event = payload["hook_event_name"].as_str().unwrap_or("PreToolUse");
    if event != "PreToolUse" {
        return Response::default();
    }
    let tool = payload["tool_name"].as_str().unwrap_or("");
    if !matches!(tool, "Write" | "Edit" | "MultiEdit") {
        return Response::default();
    }
    let cwd = payload["cwd"].as_str().map(PathBuf::from);
    let change = match change_of(tool, &payload["tool_input"], cwd.as_deref()) {
        Ok(Some(change)) => change,
        Ok(None) => return Response::default(),
        Err(note) => return Response::allow_with_note(note),
    };
    // The review runs on its own thread so that a pathological file cannot
    // hold the editor past the budget: past it, the call is allowed.
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(verdict(&engine, &change));
    });
    match receive.recv_timeout(budget) {
        Ok(response) => response,
        Err(_) => Response::allow_with_note(format!(
            "the review took longer than {} ms",
            budget.as_millis()
        )),
    }
}

fn change_of(tool: &str, input: &Value, cwd: Option<&Path>) -> Result<Option<Change>, String> {
    let Some(file_path) = input["file_path"].as_str() else {
        return Err(format!("{tool} input has no `file_path`"));
    };
    let path = PathBuf::from(file_path);
    let shown = cwd
        .and_then(|c| path.strip_prefix(c).ok())
        .unwrap_or(&path)
        .to_string_lossy()
        .replace('\\', "/");
    let before = match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => return Err(format!("{shown} is not valid UTF-8, so it is not reviewed")),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("cannot read {shown}: {e}")),
    };
    let after = match tool {
        "Write" => match input["content"].as_str() {
            Some(content) => content.to_string(),
            None => return Err("Write input has no `content`".into()),
        },
        "Edit" => edit::apply_one(&before, input)?,
        _ => edit::apply_many(&before, input)?,
    };
    Ok(Some(Change {
        path,
        shown,
        before,
        after,
    }))
}

fn verdict(engine: &Engine, change: &Change) -> Response {
    let settings = match engine.settings_for(&change.path, &RunOptions::default()) {
        Ok(Some(settings)) => settings,
        Ok(None) => return Response::default(),
        Err(e) => return Response::allow_with_note(format!("configuration error: {e}")),
    };
    let known: HashSet<String> = engine
        .review_source(&change.shown, change.before.clone(), &settings)
        .findings
        .into_iter()
        .map(|f| f.fingerprint)
        .collect();
    let after = engine.review_source(&change.shown, change.after.clone(), &settings);
    let new: Vec<&Finding> = after
        .findings
        .iter()
        .filter(|f| !known.contains(&f.fingerprint))
        .collect();
    let critical: Vec<&Finding> = new
        .iter()
        .copied()
        .filter(|f| f.severity == Severity::Critical)
        .collect();
    let warnings: Vec<&Finding> = new
        .iter()
        .copied()
        .filter(|f| f.severity == Severity::Warning)
        .collect();
    let output = if !critical.is_empty() {
        let mut reason = format!(
            "proagent-backend blocked this change to {}: it adds {} critical finding(s).\n",
            change.shown,
            critical.len()
        );
        push_findings(&mut reason, &critical);
        reason.push_str(
            "Rewrite the change the safe way above. If it is safe here (a table known to be tiny, say), say why in a suppression comment on the statement: `proagent-backend: ignore[rule-id] reason`.",
        );
        if !warnings.is_empty() {
            reason.push_str("\nAlso worth fixing:\n");
            push_findings(&mut reason, &warnings);
        }
        json!({"hookSpecificOutput": {
            "hookEventName": "PreToolUse",
            "permissionDecision": "deny",
            "permissionDecisionReason": reason,
        }})
    } else if !warnings.is_empty() {
        let mut context = format!(
            "proagent-backend: this change to {} adds {} warning(s); fix them now unless there is a reason not to.\n",
            change.shown,
            warnings.len()
        );
        push_findings(&mut context, &warnings);
        json!({"hookSpecificOutput": {
            "hookEventName": "PreToolUse",
            "additionalContext": context,
        }})
    } else {
        return Response::default();
    };
    Response {
        stdout: Some(output.to_string()),
        note: None,
    }
}

fn push_findings(out: &mut String, findings: &[&Finding]) {
    for f in findings {
        out.push_str(&format!(
            "- {} (line {}): {}\n  Fix: {}\n",
            f.rule, f.span.start.line, f.message, f.help
        ));
    }
}
