//! The commit and push gate: before `git commit`, the change it records
//! (the index against HEAD; with `--all`, every tracked change) is reviewed
//! as it will be committed; before `git push`, the commits the upstream
//! does not have. Only findings on the lines the change touches count.

use crate::git;
use crate::review::{findings_on_changed_lines, gated};
use crate::shell::SimpleCommand;
use crate::verdict::shown_path;
use pab_core::diff::{toplevel, ChangedLines};
use pab_core::{Engine, Finding, HookConfig};
use std::path::{Path, PathBuf};

/// A git command the gate reviews.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitWrite {
    /// `git commit`; `all` for `-a` / `--all`.
    Commit {
        all: bool,
        cwd: PathBuf,
    },
    Push {
        cwd: PathBuf,
    },
}

/// The `git commit` / `git push` invocations among `commands`.
pub fn git_writes(commands: &[SimpleCommand]) -> Vec<GitWrite> {
    commands.iter().filter_map(git_write).collect()
}

fn git_write(command: &SimpleCommand) -> Option<GitWrite> {
    let args = &command.args;
    if args.first().map(|a| a.rsplit('/').next().unwrap_or(a)) != Some("git") {
        return None;
    }
    let mut cwd = command.cwd.clone();
    let mut i = 1;
    // Global options before the subcommand; -C changes the directory.
    while let Some(arg) = args.get(i) {
        match arg.as_str() {
            "-C" => {
                cwd = cwd.join(args.get(i + 1)?);
                i += 2;
            }
            "-c" | "--git-dir" | "--work-tree" | "--namespace" => i += 2,
            a if a.starts_with('-') => i += 1,
            _ => break,
        }
    }
    let rest = &args[(i + 1).min(args.len())..];
    match args.get(i).map(String::as_str) {
        Some("commit") => {
            let all = rest.iter().any(|a| {
                a == "--all" || (a.starts_with('-') && !a.starts_with("--") && a[1..].contains('a'))
            });
            Some(GitWrite::Commit { all, cwd })
        }
        Some("push") => Some(GitWrite::Push { cwd }),
        _ => None,
    }
}

/// The findings the commit or push would record, and a note when the change
/// could not be read.
pub fn findings(
    engine: &Engine,
    hook: &HookConfig,
    write: &GitWrite,
    shown_from: &Path,
) -> Result<Vec<Finding>, String> {
    let (changed, revision, cwd) = match write {
        GitWrite::Commit { all: false, cwd } => (ChangedLines::staged(cwd), Some(""), cwd),
        GitWrite::Commit { all: true, cwd } => {
            (ChangedLines::tracked_since("HEAD", cwd), None, cwd)
        }
        GitWrite::Push { cwd } => {
            if pab_core::diff::git(cwd, &["rev-parse", "--verify", "-q", "@{upstream}"]).is_err() {
                return Err("the branch has no upstream, so what a push sends is unknown".into());
            }
            (
                ChangedLines::between("@{upstream}", "HEAD", cwd),
                Some("HEAD"),
                cwd,
            )
        }
    };
    let changed = changed.map_err(|e| e.to_string())?;
    let top = toplevel(cwd).map_err(|e| e.to_string())?;
    let files: Vec<&Path> = changed.files().filter(|p| gated(engine, hook, p)).collect();
    // The content as it will be committed or pushed: the index, the work
    // tree (for --all) or the commit.
    let texts = match revision {
        Some(revision) => git::contents_at(&top, revision, &files),
        None => files
            .iter()
            .map(|p| std::fs::read_to_string(p).ok())
            .collect(),
    };
    let mut out = Vec::new();
    for (path, text) in files.into_iter().zip(texts) {
        let Some(text) = text else { continue };
        let shown = shown_path(path, shown_from);
        out.extend(findings_on_changed_lines(
            engine, path, &shown, text, &changed,
        )?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::simple_commands;

    #[test]
    fn commits_and_pushes_are_recognised() {
        let writes = |c: &str| git_writes(&simple_commands(c, Path::new("/p")));
        assert_eq!(
            writes("git add -A && git commit -m 'psql -f x'"),
            [GitWrite::Commit {
                all: false,
                cwd: "/p".into()
            }]
        );
        assert_eq!(
            writes("git -C api commit -am fix"),
            [GitWrite::Commit {
                all: true,
                cwd: "/p/api".into()
            }]
        );
        assert_eq!(
            writes("git -c core.pager=cat commit --all --amend --no-edit; git push origin main"),
            [
                GitWrite::Commit {
                    all: true,
                    cwd: "/p".into()
                },
                GitWrite::Push { cwd: "/p".into() }
            ]
        );
        assert!(writes("git status && git log --oneline | head").is_empty());
        assert!(writes("echo git commit").is_empty());
        assert_eq!(
            writes("git commit --amend --message 'a'"),
            [GitWrite::Commit {
                all: false,
                cwd: "/p".into()
            }]
        );
    }
}
