//! `proagent-backend hook`: Claude Code's PreToolUse protocol. The hook reads
//! the tool call on stdin, computes the file's content *after* the edit,
//! reviews it in memory and compares with the content before (by
//! fingerprint): only **new critical** findings deny the call, with a reason
//! that tells the model how to fix them; new warnings go back as context.
//! A Bash call that applies database migrations gets the pending migration
//! files reviewed first, with the same verdicts.
//!
//! It fails open: unreadable input, an unknown tool, a configuration error,
//! a file we cannot read or a review over the time budget all allow the call,
//! with a short note on stderr. Our own faults never block the user's work.
//! It knows no analyzer by name: the engine it is given decides what a file
//! is and which rules run.

mod edit;
mod migrate;

use pab_core::diff::ChangedLines;
use pab_core::engine::{NoProgress, RunOptions};
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
    let cwd = payload["cwd"].as_str().map(PathBuf::from);
    let review: Box<dyn FnOnce() -> Response + Send> = match tool {
        "Write" | "Edit" | "MultiEdit" => {
            match change_of(tool, &payload["tool_input"], cwd.as_deref()) {
                Ok(Some(change)) => Box::new(move || verdict(&engine, &change)),
                Ok(None) => return Response::default(),
                Err(note) => return Response::allow_with_note(note),
            }
        }
        "Bash" => {
            let Some(command) = payload["tool_input"]["command"].as_str() else {
                return Response::allow_with_note("Bash input has no `command`");
            };
            let cwd = cwd.unwrap_or_else(|| std::env::current_dir().unwrap_or_default());
            let targets = migrate::targets(command, &cwd);
            if targets.is_empty() {
                return Response::default();
            }
            Box::new(move || migrations_verdict(&engine, &targets, &cwd))
        }
        _ => return Response::default(),
    };
    // The review runs on its own thread so that a pathological file cannot
    // hold the editor past the budget: past it, the call is allowed.
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(review());
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
    let shown = shown_path(&path, cwd);
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
    respond(
        &format!("this change to {}: it adds", change.shown),
        &format!("this change to {} adds", change.shown),
        &new,
        false,
    )
}

/// Reviews the migrations a Bash command is about to apply: files it names
/// in full, and in migration directories the pending files, which are those
/// git sees as new or changed (only their changed lines count). Outside git
/// the newest file of each directory, by name, stands for the pending one.
fn migrations_verdict(engine: &Engine, targets: &[migrate::Target], cwd: &Path) -> Response {
    let changed = ChangedLines::since("HEAD", cwd).ok();
    let mut whole: Vec<PathBuf> = Vec::new();
    let mut partial: Vec<PathBuf> = Vec::new();
    let reviewed = |p: &Path| {
        p.is_file()
            && engine
                .settings_for(p, &RunOptions::default())
                .is_ok_and(|s| s.is_some())
    };
    for target in targets {
        match target {
            migrate::Target::File(path) => whole.push(path.clone()),
            migrate::Target::Dir { path, component } => {
                let under = |p: &Path| {
                    p.starts_with(path)
                        && component.is_none_or(|c| {
                            p.strip_prefix(path)
                                .is_ok_and(|rel| rel.components().any(|x| x.as_os_str() == c))
                        })
                };
                match &changed {
                    Some(changed) => partial.extend(
                        changed
                            .files()
                            .filter(|p| under(p) && reviewed(p))
                            .map(Path::to_path_buf),
                    ),
                    None if component.is_none() => whole.extend(newest_file(path, &reviewed)),
                    None => {}
                }
            }
        }
    }
    whole.retain(|p| reviewed(p));
    whole.sort();
    whole.dedup();
    partial.sort();
    partial.dedup();
    partial.retain(|p| !whole.contains(p));
    if whole.is_empty() && partial.is_empty() {
        return Response::default();
    }
    let files: Vec<PathBuf> = whole.iter().chain(&partial).cloned().collect();
    let report = match engine.review_paths(&files, &RunOptions::default(), &NoProgress) {
        Ok(report) => report,
        Err(e) => return Response::allow_with_note(format!("configuration error: {e}")),
    };
    let here = std::env::current_dir().unwrap_or_default();
    let mut findings: Vec<Finding> = Vec::new();
    for mut f in report.findings {
        let abs = here.join(&f.path);
        let counts = whole.contains(&abs)
            || changed
                .as_ref()
                .is_some_and(|c| c.touches(&abs, f.span.start.line, f.span.end.line));
        if counts {
            f.path = shown_path(&abs, Some(cwd));
            findings.push(f);
        }
    }
    let new: Vec<&Finding> = findings.iter().collect();
    respond(
        "this command: the migrations it applies have",
        "the migrations this command applies have",
        &new,
        true,
    )
}

/// The last reviewable file of `dir` in name order (migrations are named to
/// sort in the order they apply).
fn newest_file(dir: &Path, reviewed: &dyn Fn(&Path) -> bool) -> Option<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| reviewed(p))
        .collect();
    files.sort();
    files.pop()
}

/// The hook's answer for new findings: deny on critical ones, context for
/// warnings, silence otherwise. `blocked` and `noted` open the sentences
/// that say so; `with_paths` names each finding's file.
fn respond(blocked: &str, noted: &str, new: &[&Finding], with_paths: bool) -> Response {
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
            "proagent-backend blocked {blocked} {} critical finding(s).\n",
            critical.len()
        );
        push_findings(&mut reason, &critical, with_paths);
        reason.push_str(
            "Rewrite the change the safe way above. If it is safe here (a table known to be tiny, say), say why in a suppression comment on the statement: `proagent-backend: ignore[rule-id] reason`.",
        );
        if !warnings.is_empty() {
            reason.push_str("\nAlso worth fixing:\n");
            push_findings(&mut reason, &warnings, with_paths);
        }
        json!({"hookSpecificOutput": {
            "hookEventName": "PreToolUse",
            "permissionDecision": "deny",
            "permissionDecisionReason": reason,
        }})
    } else if !warnings.is_empty() {
        let mut context = format!(
            "proagent-backend: {noted} {} warning(s); fix them now unless there is a reason not to.\n",
            warnings.len()
        );
        push_findings(&mut context, &warnings, with_paths);
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

fn push_findings(out: &mut String, findings: &[&Finding], with_paths: bool) {
    for f in findings {
        let place = if with_paths {
            format!("{} line {}", f.path, f.span.start.line)
        } else {
            format!("line {}", f.span.start.line)
        };
        out.push_str(&format!(
            "- {} ({place}): {}\n  Fix: {}\n",
            f.rule, f.message, f.help
        ));
    }
}

/// A path as the user knows it: relative to the session's directory.
fn shown_path(path: &Path, cwd: Option<&Path>) -> String {
    cwd.and_then(|c| path.strip_prefix(c).ok())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}
