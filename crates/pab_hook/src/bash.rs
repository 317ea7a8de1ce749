//! Files a Bash command wrote, found by their state and not by reading the
//! command: `sed -i`, `python -c`, `cat >`, code generators and `alembic
//! revision --autogenerate` all look alike. PreToolUse takes a snapshot of
//! the reviewable files that differ from HEAD (their stamps, and the
//! content of small ones); PostToolUse lists them again, and every file
//! that is new or whose stamp changed is reviewed against what it was:
//! the snapshot's content, HEAD's for a file that was clean, nothing for a
//! new file. Outside git the snapshot stamps every reviewable file (a walk
//! that respects .gitignore) and only new files can be compared.

use crate::git;
use crate::review::{gated, new_findings, settings};
use crate::state::{Before, Snapshot, Stamp};
use crate::verdict::shown_path;
use pab_core::discover::discover;
use pab_core::{Engine, Finding, HookConfig};
use std::path::{Path, PathBuf};

/// Content is kept in the snapshot for dirty files up to this size; bigger
/// ones are compared by stamp only and skipped when changed (with a note).
const KEEP_CONTENT_BYTES: u64 = 512 * 1024;

/// The reviewable files as they are now, with the content of small dirty
/// ones.
pub fn snapshot(engine: &Engine, hook: &HookConfig, cwd: &Path) -> Snapshot {
    take(engine, hook, cwd, true)
}

fn take(engine: &Engine, hook: &HookConfig, cwd: &Path, keep_content: bool) -> Snapshot {
    match git::find_top(cwd).and_then(|top| git::dirty(&top).ok()) {
        Some(dirty) => Snapshot {
            git: true,
            files: dirty
                .into_iter()
                .filter(|path| gated(engine, hook, path))
                .filter_map(|path| {
                    let stamp = Stamp::of(&path)?;
                    let text = (keep_content && stamp.size <= KEEP_CONTENT_BYTES)
                        .then(|| std::fs::read_to_string(&path).ok())
                        .flatten();
                    Some((path, Before { stamp, text }))
                })
                .collect(),
        },
        None => Snapshot {
            git: false,
            files: walk(engine, hook, cwd)
                .into_iter()
                .filter_map(|p| {
                    Some((
                        p.clone(),
                        Before {
                            stamp: Stamp::of(&p)?,
                            text: None,
                        },
                    ))
                })
                .collect(),
        },
    }
}

fn walk(engine: &Engine, hook: &HookConfig, cwd: &Path) -> Vec<PathBuf> {
    // Outside a repository, a session started in `/` or the home directory
    // would walk the whole disk before every command: not a project, so
    // nothing is stamped and PostToolUse finds nothing to review.
    let home = std::env::var_os("HOME").map(PathBuf::from);
    if cwd.parent().is_none() || home.as_deref() == Some(cwd) {
        return Vec::new();
    }
    discover(&[cwd.to_path_buf()], &|p| engine.reviews(p))
        .files
        .into_iter()
        .map(|p| cwd.join(p))
        .filter(|p| !hook.skips(p))
        .collect()
}

/// What the files the command wrote add, and notes on files that could not
/// be compared.
pub fn written(
    engine: &Engine,
    hook: &HookConfig,
    before: &Snapshot,
    cwd: &Path,
) -> (Vec<Finding>, Vec<String>) {
    let now = take(engine, hook, cwd, false);
    let changed: Vec<(&PathBuf, Option<&Before>)> = now
        .files
        .iter()
        .map(|(path, after)| (path, before.files.get(path), after))
        .filter(|(_, earlier, after)| !earlier.is_some_and(|e| e.stamp == after.stamp))
        .map(|(path, earlier, _)| (path, earlier))
        .collect();
    // Files that were clean before the command were HEAD's version (or new):
    // read them from git all at once.
    let top = git::find_top(cwd).unwrap_or_else(|| cwd.to_path_buf());
    let clean: Vec<&Path> = changed
        .iter()
        .filter(|(_, earlier)| earlier.is_none())
        .map(|(path, _)| path.as_path())
        .collect();
    let mut at_head = if now.git {
        git::contents_at(&top, "HEAD", &clean)
    } else {
        Vec::new()
    }
    .into_iter();
    let mut findings = Vec::new();
    let mut notes = Vec::new();
    for (path, earlier) in changed {
        let shown = shown_path(path, cwd);
        let previous = match earlier {
            Some(Before {
                text: Some(text), ..
            }) => text.clone(),
            Some(Before { text: None, .. }) => {
                notes.push(format!(
                    "{shown} changed but its earlier content was not kept, so it is not compared"
                ));
                continue;
            }
            None => at_head.next().flatten().unwrap_or_default(),
        };
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        match settings(engine, path) {
            Ok(Some(settings)) => {
                findings.extend(new_findings(engine, &settings, &shown, &previous, text))
            }
            Ok(None) => {}
            Err(e) => notes.push(e),
        }
    }
    (findings, notes)
}
