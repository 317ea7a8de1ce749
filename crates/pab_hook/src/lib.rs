//! `proagent-backend hook`: Claude Code's hook protocol. One binary answers
//! every event plugin/hooks/hooks.json wires to it:
//!
//! - PreToolUse on Write / Edit / MultiEdit: the file's content *after* the
//!   edit is reviewed in memory and compared with the content before (by
//!   fingerprint); new findings at the gate deny the call with a reason that
//!   tells the model how to fix them, new warnings go back as context.
//! - PreToolUse on Bash: `git commit` / `git push` get the change they
//!   record reviewed; a command that applies migrations gets the pending
//!   migration files reviewed; and a snapshot of the working tree is taken.
//! - PostToolUse on Bash: files the command created or changed, found by
//!   state (never by reading the command), are reviewed against what they
//!   were; new findings at the gate block with `decision: "block"`.
//! - Stop: the session's whole change since SessionStart; blocks at most
//!   twice per session and never when `stop_hook_active`.
//! - SessionStart / SessionEnd: the session's state is recorded / removed.
//!
//! It fails open: unreadable input, an unknown event or tool, a
//! configuration error, a file we cannot read, missing session state or a
//! review over the time budget all allow, with a short note on stderr. Our
//! own faults never block the user's work. `PROAGENT_BACKEND_HOOK=off`
//! turns every gate off. It knows no analyzer by name: the engine it is
//! given decides what a file is and which rules run.

mod bash;
mod commit;
mod edit;
mod git;
mod migrate;
mod review;
mod shell;
mod state;
mod stop;
mod verdict;

use pab_core::config::{CliOverrides, ConfigResolver};
use pab_core::{Engine, Finding, Gate, HookConfig};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};
use verdict::{respond, shown_path, Event, Wording};

/// The environment variable that turns the hook off (`off`, `0`, `false`).
pub const KILL_SWITCH: &str = "PROAGENT_BACKEND_HOOK";

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

    /// Adds notes for the user to whatever the response says.
    fn noting(mut self, notes: impl IntoIterator<Item = String>) -> Response {
        let extra: Vec<String> = notes.into_iter().collect();
        if !extra.is_empty() {
            let extra = extra.join("; ");
            self.note = Some(match self.note {
                Some(note) => format!("{note}; {extra}"),
                None => format!("proagent-backend hook: {extra}"),
            });
        }
        self
    }
}

/// Handles one hook call. `state_dir` holds the session state files
/// (`None`: the default, see [`state::default_dir`]).
pub fn run(engine: Arc<Engine>, input: &[u8], state_dir: Option<&Path>) -> Response {
    if std::env::var(KILL_SWITCH).is_ok_and(|v| matches!(v.as_str(), "off" | "0" | "false")) {
        return Response::default();
    }
    let payload: Value = match serde_json::from_slice(input) {
        Ok(v) => v,
        Err(e) => {
            return Response::allow_with_note(format!("cannot read the hook input as JSON ({e})"))
        }
    };
    let cwd = payload["cwd"]
        .as_str()
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::current_dir().unwrap_or_default());
    let hook = match ConfigResolver::new(engine.registry(), CliOverrides::default(), None)
        .and_then(|mut r| r.for_dir(&cwd))
    {
        Ok(config) => config.hook.clone(),
        Err(e) => return Response::allow_with_note(format!("configuration error: {e}")),
    };
    let state_dir = state_dir.map_or_else(state::default_dir, Path::to_path_buf);
    let store = state::Store::new(
        &state_dir,
        payload["session_id"].as_str().unwrap_or("unknown"),
    );
    let budget = hook.budget;
    let call = Call {
        engine,
        payload,
        cwd,
        hook,
        store,
        state_dir,
    };
    // The work runs on its own thread so that a pathological file cannot
    // hold Claude past the budget: past it, the call is allowed.
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(call.answer());
    });
    match receive.recv_timeout(budget) {
        Ok(response) => response,
        Err(_) => Response::allow_with_note(format!(
            "the review took longer than {} ms",
            budget.as_millis()
        )),
    }
}

/// One hook call with everything it needs.
struct Call {
    engine: Arc<Engine>,
    payload: Value,
    cwd: PathBuf,
    hook: HookConfig,
    store: state::Store,
    state_dir: PathBuf,
}

impl Call {
    fn answer(&self) -> Response {
        let event = self.payload["hook_event_name"].as_str().unwrap_or("");
        let tool = self.payload["tool_name"].as_str().unwrap_or("");
        match (event, tool) {
            ("PreToolUse", "Write" | "Edit" | "MultiEdit") => self.edit(tool),
            ("PreToolUse", "Bash") => self.before_bash(),
            ("PostToolUse", "Bash") => self.after_bash(),
            ("Stop", _) => self.stop(),
            ("SessionStart", _) => self.session_start(),
            ("SessionEnd", _) => {
                self.store.remove();
                Response::default()
            }
            _ => Response::default(),
        }
    }

    fn edit(&self, tool: &str) -> Response {
        if self.hook.edit == Gate::Off {
            return Response::default();
        }
        let input = &self.payload["tool_input"];
        let Some(file_path) = input["file_path"].as_str() else {
            return Response::allow_with_note(format!("{tool} input has no `file_path`"));
        };
        let path = PathBuf::from(file_path);
        let Some(settings) = review::gated_settings(&self.engine, &self.hook, &path) else {
            return Response::default();
        };
        let shown = shown_path(&path, &self.cwd);
        let (before, after) = match edit::versions(tool, input, &path, &shown) {
            Ok(versions) => versions,
            Err(note) => return Response::allow_with_note(note),
        };
        let findings = review::new_findings(&self.engine, &settings, &shown, &before, after);
        let wording = Wording {
            blocked: format!("proagent-backend blocked this change to {shown}: it adds"),
            noted: format!("proagent-backend: this change to {shown} adds"),
            with_paths: false,
        };
        self.verdict(Event::PreToolUse, self.hook.edit, &wording, &findings)
            .0
    }

    /// Before a Bash call: the commit / push gate, the migration gate, then
    /// the snapshot PostToolUse compares with.
    fn before_bash(&self) -> Response {
        let Some(command) = self.payload["tool_input"]["command"].as_str() else {
            return Response::allow_with_note("Bash input has no `command`");
        };
        let commands = shell::simple_commands(command, &self.cwd);
        let mut notes = Vec::new();
        if self.hook.commit != Gate::Off {
            for write in commit::git_writes(&commands) {
                match commit::findings(&self.engine, &self.hook, &write, &self.cwd) {
                    Ok(findings) => {
                        let (blocked, noted) = match write {
                            commit::GitWrite::Commit { .. } => (
                                "this commit: the change it records adds",
                                "the change this commit records adds",
                            ),
                            commit::GitWrite::Push { .. } => (
                                "this push: the commits it sends add",
                                "the commits this push sends add",
                            ),
                        };
                        let wording = Wording {
                            blocked: format!("proagent-backend blocked {blocked}"),
                            noted: format!("proagent-backend: {noted}"),
                            with_paths: true,
                        };
                        let (response, blocks) =
                            self.verdict(Event::PreToolUse, self.hook.commit, &wording, &findings);
                        if blocks {
                            return response;
                        }
                    }
                    Err(note) => notes.push(note),
                }
            }
        }
        if self.hook.bash == Gate::Off {
            return Response::default().noting(notes);
        }
        let targets = migrate::targets(&commands);
        let mut response = Response::default();
        if !targets.is_empty() {
            match migrate::pending_findings(&self.engine, &self.hook, &targets, &self.cwd) {
                Ok(findings) => {
                    let wording = Wording {
                        blocked:
                            "proagent-backend blocked this command: the migrations it applies have"
                                .into(),
                        noted: "proagent-backend: the migrations this command applies have".into(),
                        with_paths: true,
                    };
                    let (answer, blocks) =
                        self.verdict(Event::PreToolUse, self.hook.bash, &wording, &findings);
                    if blocks {
                        return answer.noting(notes);
                    }
                    response = answer;
                }
                Err(note) => notes.push(note),
            }
        }
        let Some(id) = self.payload["tool_use_id"].as_str() else {
            return response.noting(notes);
        };
        let snapshot = bash::snapshot(&self.engine, &self.hook, &self.cwd);
        let ((), note) = self.store.update(|s| {
            s.bash.insert(id.to_string(), snapshot);
        });
        response.noting(notes.into_iter().chain(note))
    }

    fn after_bash(&self) -> Response {
        if self.hook.bash == Gate::Off {
            return Response::default();
        }
        let Some(id) = self.payload["tool_use_id"].as_str() else {
            return Response::allow_with_note("PostToolUse input has no `tool_use_id`");
        };
        let (snapshot, note) = self.store.update(|s| s.bash.remove(id));
        let Some(snapshot) = snapshot else {
            return Response::allow_with_note(
                "no snapshot from before this command (session state missing or reset), so what it wrote is not known",
            )
            .noting(note);
        };
        let (findings, notes) = bash::written(&self.engine, &self.hook, &snapshot, &self.cwd);
        let wording = Wording {
            blocked: "proagent-backend: the command just run wrote files that add".into(),
            noted: "proagent-backend: the command just run wrote files that add".into(),
            with_paths: true,
        };
        self.verdict(Event::PostToolUse, self.hook.bash, &wording, &findings)
            .0
            .noting(notes.into_iter().chain(note))
    }

    fn stop(&self) -> Response {
        if self.hook.stop == Gate::Off || self.payload["stop_hook_active"].as_bool() == Some(true) {
            return Response::default();
        }
        let (state, note) = self.store.update(|s| s.clone());
        if state.stop_blocks >= stop::MAX_BLOCKS {
            return Response::default().noting(note.into_iter().chain([format!(
                "Stop was already blocked {} times in this session; not blocking again",
                state.stop_blocks
            )]));
        }
        let findings = match stop::session_findings(&self.engine, &self.hook, &state, &self.cwd) {
            Ok(findings) => findings,
            Err(e) => return Response::allow_with_note(e).noting(note),
        };
        let wording = Wording {
            blocked: "proagent-backend: before you finish, fix what this session's changes add:"
                .into(),
            noted: "proagent-backend: this session's changes add".into(),
            with_paths: true,
        };
        let (response, blocks) = self.verdict(Event::Stop, self.hook.stop, &wording, &findings);
        let mut notes: Vec<String> = note.into_iter().collect();
        if blocks {
            let ((), note) = self.store.update(|s| s.stop_blocks += 1);
            notes.extend(note);
        }
        response.noting(notes)
    }

    /// Records where the session starts (kept on resume and after /compact:
    /// the session goes on), and removes stale state of ended sessions.
    fn session_start(&self) -> Response {
        state::remove_stale(&self.state_dir);
        let head = git::head(&self.cwd);
        let untracked: Vec<PathBuf> = pab_core::diff::toplevel(&self.cwd)
            .and_then(|top| pab_core::diff::untracked(&top))
            .unwrap_or_default();
        let untracked = untracked
            .into_iter()
            .filter(|p| review::gated(&self.engine, &self.hook, p))
            .filter_map(|p| Some((p.clone(), state::Stamp::of(&p)?)))
            .collect();
        let ((), note) = self.store.update(|s| {
            if s.start_head.is_none() {
                s.start_head = head;
                s.untracked_at_start = untracked;
            }
        });
        Response::default().noting(note)
    }

    fn verdict(
        &self,
        event: Event,
        gate: Gate,
        wording: &Wording,
        findings: &[Finding],
    ) -> (Response, bool) {
        let findings: Vec<&Finding> = findings.iter().collect();
        respond(event, gate, wording, &findings)
    }
}
