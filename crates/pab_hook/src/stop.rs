//! The Stop gate: before Claude finishes, the session's whole change is
//! reviewed with `review --diff` semantics against the HEAD recorded at
//! SessionStart (so the session's own commits count), plus the files it
//! created. Untracked files that were already there and were not touched do
//! not count, nor do findings on lines the session did not change.

use crate::review::{gated, review_files};
use crate::state::{SessionState, Stamp};
use pab_core::diff::ChangedLines;
use pab_core::{Engine, Finding, HookConfig};
use std::path::{Path, PathBuf};

/// Stop is blocked at most this many times per session, whatever happens:
/// the gate must never keep Claude from finishing in a loop.
pub const MAX_BLOCKS: u32 = 2;

/// The findings the session's change introduces.
pub fn session_findings(
    engine: &Engine,
    hook: &HookConfig,
    state: &SessionState,
    cwd: &Path,
) -> Result<Vec<Finding>, String> {
    let Some(start) = &state.start_head else {
        return Err("no session start was recorded (not a git repository, or the plugin was enabled mid-session), so the session's change is unknown".into());
    };
    let changed = ChangedLines::since(start, cwd).map_err(|e| e.to_string())?;
    let files: Vec<PathBuf> = changed
        .files()
        .filter(|p| p.is_file())
        .filter(|p| {
            !state
                .untracked_at_start
                .get(*p)
                .is_some_and(|stamp| Stamp::of(p).as_ref() == Some(stamp))
        })
        .filter(|p| gated(engine, hook, p))
        .map(Path::to_path_buf)
        .collect();
    review_files(engine, &files, cwd, |path, f| {
        changed.touches(path, f.span.start.line, f.span.end.line)
    })
}
