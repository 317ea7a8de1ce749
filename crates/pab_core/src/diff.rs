//! The lines a change touches, so that only the findings it introduces
//! count: `--diff REF` in CI, and the hook's Bash, Stop and commit gates.
//! Uses the `git` command: it knows the user's repository setup (worktrees,
//! renames, attributes) better than any library.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum DiffError {
    #[error("git is needed here but cannot be run: {0}")]
    Spawn(std::io::Error),
    #[error("git {args} failed: {stderr}")]
    Git { args: String, stderr: String },
}

/// Changed line ranges (1-based, inclusive) per absolute file path.
#[derive(Debug, Default)]
pub struct ChangedLines {
    files: HashMap<PathBuf, Vec<(u32, u32)>>,
    /// Files that are entirely new (untracked or added).
    whole: Vec<PathBuf>,
}

impl ChangedLines {
    /// Lines changed in the working tree relative to `reference`, plus
    /// untracked files, which count as changed throughout.
    pub fn since(reference: &str, cwd: &Path) -> Result<ChangedLines, DiffError> {
        let top = toplevel(cwd)?;
        let mut changed = Self::diff(&top, &[reference])?;
        changed.whole.extend(untracked(&top)?);
        Ok(changed)
    }

    /// Lines of tracked files changed relative to `reference`, staged or
    /// not: what `git commit --all` records.
    pub fn tracked_since(reference: &str, cwd: &Path) -> Result<ChangedLines, DiffError> {
        Self::diff(&toplevel(cwd)?, &[reference])
    }

    /// Lines changed in the index relative to HEAD: what `git commit` records.
    pub fn staged(cwd: &Path) -> Result<ChangedLines, DiffError> {
        Self::diff(&toplevel(cwd)?, &["--cached"])
    }

    /// Lines changed from `base` to `head`, two commits.
    pub fn between(base: &str, head: &str, cwd: &Path) -> Result<ChangedLines, DiffError> {
        Self::diff(&toplevel(cwd)?, &[base, head])
    }

    fn diff(top: &Path, what: &[&str]) -> Result<ChangedLines, DiffError> {
        let mut args = vec![
            "diff",
            "--no-color",
            "--no-ext-diff",
            "--unified=0",
            "--no-renames",
        ];
        args.extend_from_slice(what);
        args.push("--");
        Ok(parse_unified_diff(&git(top, &args)?, top))
    }

    /// Every file with a change: edited, added or untracked.
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        self.files.keys().chain(&self.whole).map(PathBuf::as_path)
    }

    /// Whether any line in `first..=last` of `path` changed.
    pub fn touches(&self, path: &Path, first: u32, last: u32) -> bool {
        if self.whole.iter().any(|w| w == path) {
            return true;
        }
        self.files
            .get(path)
            .is_some_and(|ranges| ranges.iter().any(|&(a, b)| a <= last && first <= b))
    }
}

/// The root of the work tree that contains `cwd`.
pub fn toplevel(cwd: &Path) -> Result<PathBuf, DiffError> {
    Ok(PathBuf::from(
        git(cwd, &["rev-parse", "--show-toplevel"])?.trim(),
    ))
}

/// Untracked, not ignored files under `top`, absolute.
pub fn untracked(top: &Path) -> Result<Vec<PathBuf>, DiffError> {
    Ok(
        git(top, &["ls-files", "--others", "--exclude-standard", "-z"])?
            .split('\0')
            .filter(|p| !p.is_empty())
            .map(|p| top.join(p))
            .collect(),
    )
}

/// Runs git in `cwd` and returns its standard output.
pub fn git(cwd: &Path, args: &[&str]) -> Result<String, DiffError> {
    let out = Command::new("git")
        .args(args)
        .current_dir(cwd)
        // Reading only: never take index.lock to refresh the index, which
        // would make the user's own git commands (or another hook) fail
        // with "another git process seems to be running".
        .env("GIT_OPTIONAL_LOCKS", "0")
        .output()
        .map_err(DiffError::Spawn)?;
    if !out.status.success() {
        return Err(DiffError::Git {
            args: args.join(" "),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Reads the `+++ b/path` and `@@ -a,b +c,d @@` lines of a `--unified=0` diff.
fn parse_unified_diff(diff: &str, top: &Path) -> ChangedLines {
    let mut changed = ChangedLines::default();
    let mut current: Option<PathBuf> = None;
    for line in diff.lines() {
        if let Some(rest) = line.strip_prefix("+++ ") {
            current = rest.strip_prefix("b/").map(|p| top.join(p));
        } else if let (Some(hunk), Some(path)) = (line.strip_prefix("@@ "), &current) {
            let Some(new) = hunk.split_whitespace().find(|w| w.starts_with('+')) else {
                continue;
            };
            let mut parts = new[1..].split(',');
            let start: u32 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
            let count: u32 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(1);
            if count > 0 {
                changed
                    .files
                    .entry(path.clone())
                    .or_default()
                    .push((start, start + count - 1));
            }
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks_become_line_ranges() {
        let diff = "diff --git a/m.sql b/m.sql\n--- a/m.sql\n+++ b/m.sql\n@@ -3,0 +4,2 @@\n+a\n+b\n@@ -9 +11 @@\n-x\n+y\n@@ -20,3 +22,0 @@\n";
        let c = parse_unified_diff(diff, Path::new("/r"));
        let p = Path::new("/r/m.sql");
        assert!(c.touches(p, 4, 4) && c.touches(p, 5, 9) && c.touches(p, 11, 11));
        assert!(!c.touches(p, 1, 3) && !c.touches(p, 12, 30));
    }
}
