//! The two ways a gate decides what is new: by fingerprint against an
//! earlier version of the file (an edit, a file a command rewrote), or by
//! the lines a change touches (`review --diff` semantics: the session's
//! change, a commit, a push).

use crate::verdict::shown_path;
use pab_core::diff::ChangedLines;
use pab_core::engine::{NoProgress, RunOptions};
use pab_core::{Engine, Finding, HookConfig, Settings};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Whether the gates look at this file: an analyzer reviews its kind, the
/// configuration does not exclude it and `[hook] skip` does not skip it.
pub fn gated(engine: &Engine, hook: &HookConfig, path: &Path) -> bool {
    gated_settings(engine, hook, path).is_some()
}

/// The settings of a file the gates look at (see [`gated`]); `None` for the
/// others. One configuration lookup serves both the check and the review.
pub fn gated_settings(engine: &Engine, hook: &HookConfig, path: &Path) -> Option<Arc<Settings>> {
    if !engine.reviews(path) || hook.skips(path) {
        return None;
    }
    engine
        .settings_for(path, &RunOptions::default())
        .ok()
        .flatten()
}

pub fn settings(engine: &Engine, path: &Path) -> Result<Option<Arc<Settings>>, String> {
    engine
        .settings_for(path, &RunOptions::default())
        .map_err(|e| format!("configuration error: {e}"))
}

/// The findings of `after` that `before` did not have, by fingerprint.
pub fn new_findings(
    engine: &Engine,
    settings: &Settings,
    shown: &str,
    before: &str,
    after: String,
) -> Vec<Finding> {
    let known: HashSet<String> = if before.is_empty() {
        HashSet::new()
    } else {
        engine
            .review_source(shown, before.to_string(), settings)
            .findings
            .into_iter()
            .map(|f| f.fingerprint)
            .collect()
    };
    engine
        .review_source(shown, after, settings)
        .findings
        .into_iter()
        .filter(|f| !known.contains(&f.fingerprint))
        .collect()
}

/// The findings of `text` (the content of `path` in the change) on the lines
/// the change touches.
pub fn findings_on_changed_lines(
    engine: &Engine,
    path: &Path,
    shown: &str,
    text: String,
    changed: &ChangedLines,
) -> Result<Vec<Finding>, String> {
    let Some(settings) = settings(engine, path)? else {
        return Ok(Vec::new());
    };
    Ok(engine
        .review_source(shown, text, &settings)
        .findings
        .into_iter()
        .filter(|f| changed.touches(path, f.span.start.line, f.span.end.line))
        .collect())
}

/// Reviews `files` from disk (in parallel) and keeps the findings `keep`
/// accepts, given the file's absolute path; paths are then shown relative
/// to `cwd`.
pub fn review_files(
    engine: &Engine,
    files: &[PathBuf],
    cwd: &Path,
    keep: impl Fn(&Path, &Finding) -> bool,
) -> Result<Vec<Finding>, String> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let report = engine
        .review_paths(files, &RunOptions::default(), &NoProgress)
        .map_err(|e| format!("configuration error: {e}"))?;
    // Reports show paths relative to the process's directory.
    let here = std::env::current_dir().unwrap_or_default();
    Ok(report
        .findings
        .into_iter()
        .filter_map(|mut f| {
            let abs = here.join(&f.path);
            keep(&abs, &f).then(|| {
                f.path = shown_path(&abs, cwd);
                f
            })
        })
        .collect())
}
