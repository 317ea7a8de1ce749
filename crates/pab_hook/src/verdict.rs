//! Turning new findings into Claude Code's answer for each hook event:
//! findings at or above the gate block (PreToolUse: deny; PostToolUse and
//! Stop: `decision: "block"`), the remaining warnings go back as context
//! (for Stop, a summary for the user), and silence otherwise.

use crate::Response;
use pab_core::{Finding, Gate, Severity};
use serde_json::{json, Value};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    PreToolUse,
    PostToolUse,
    Stop,
}

/// The sentences that open a verdict, e.g. "proagent-backend blocked this
/// change to m.sql: it adds" / "proagent-backend: this change to m.sql adds";
/// the count and kind of findings follow.
pub struct Wording {
    pub blocked: String,
    pub noted: String,
    /// Whether each finding names its file (verdicts about several files).
    pub with_paths: bool,
}

/// The answer for `findings` (already only the new ones) under `gate`;
/// the flag says whether it blocks.
pub fn respond(
    event: Event,
    gate: Gate,
    wording: &Wording,
    findings: &[&Finding],
) -> (Response, bool) {
    let blocking: Vec<&Finding> = findings
        .iter()
        .copied()
        .filter(|f| gate.blocks(f.severity))
        .collect();
    let warnings: Vec<&Finding> = findings
        .iter()
        .copied()
        .filter(|f| f.severity == Severity::Warning && !gate.blocks(f.severity))
        .collect();
    let output = if !blocking.is_empty() {
        let kind = if gate == Gate::Warning {
            "critical or warning"
        } else {
            "critical"
        };
        let mut reason = format!(
            "{} {} {kind} finding(s).\n",
            wording.blocked,
            blocking.len()
        );
        push_findings(&mut reason, &blocking, wording.with_paths);
        // The example of a good reason fits what was blocked: a migration
        // on a table known to be tiny, or a deliberate choice elsewhere.
        let example = if blocking.iter().all(|f| f.rule.starts_with("migration/")) {
            "a table known to be tiny, say"
        } else {
            "a deliberate, reviewed choice, say"
        };
        reason.push_str(&format!(
            "Rewrite the change the safe way above. If it is safe here ({example}), say why in a suppression comment on the statement: `proagent-backend: ignore[rule-id] reason`."
        ));
        if !warnings.is_empty() {
            reason.push_str("\nAlso worth fixing:\n");
            push_findings(&mut reason, &warnings, wording.with_paths);
        }
        blocked(event, reason)
    } else if !warnings.is_empty() {
        let mut context = format!(
            "{} {} warning(s); fix them now unless there is a reason not to.\n",
            wording.noted,
            warnings.len()
        );
        push_findings(&mut context, &warnings, wording.with_paths);
        noted(event, context)
    } else {
        return (Response::default(), false);
    };
    (
        Response {
            stdout: Some(output.to_string()),
            note: None,
        },
        !blocking.is_empty(),
    )
}

fn blocked(event: Event, reason: String) -> Value {
    match event {
        Event::PreToolUse => json!({"hookSpecificOutput": {
            "hookEventName": "PreToolUse",
            "permissionDecision": "deny",
            "permissionDecisionReason": reason,
        }}),
        Event::PostToolUse | Event::Stop => json!({"decision": "block", "reason": reason}),
    }
}

fn noted(event: Event, context: String) -> Value {
    match event {
        Event::PreToolUse => json!({"hookSpecificOutput": {
            "hookEventName": "PreToolUse",
            "additionalContext": context,
        }}),
        Event::PostToolUse => json!({"hookSpecificOutput": {
            "hookEventName": "PostToolUse",
            "additionalContext": context,
        }}),
        // Stop has no context for the model; the user sees the summary.
        Event::Stop => json!({"systemMessage": context}),
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
pub fn shown_path(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}
