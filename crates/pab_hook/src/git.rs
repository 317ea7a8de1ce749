//! The git facts the gates need, through the `git` command (see
//! `pab_core::diff` for why the command and not a library).

use pab_core::diff::{git, DiffError};
use std::path::{Path, PathBuf};

/// Every changed or untracked (not ignored) file under the work tree `top`,
/// absolute; deleted files are left out.
pub fn dirty(top: &Path) -> Result<Vec<PathBuf>, DiffError> {
    let out = git(
        top,
        &[
            "status",
            "--porcelain=v1",
            "-z",
            "--untracked-files=all",
            "--no-renames",
        ],
    )?;
    Ok(out
        .split('\0')
        .filter(|entry| entry.len() > 3)
        .filter(|entry| !entry[..2].contains('D'))
        .map(|entry| top.join(&entry[3..]))
        .collect())
}

/// The commit HEAD points at; `None` outside git or before the first commit.
pub fn head(cwd: &Path) -> Option<String> {
    git(cwd, &["rev-parse", "--verify", "-q", "HEAD"])
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The work tree that contains `cwd`, found by looking for `.git` (a
/// directory, or a file in worktrees and submodules) without starting git:
/// the Bash gates run on every command and each process costs milliseconds.
pub fn find_top(cwd: &Path) -> Option<PathBuf> {
    cwd.ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

/// Files' contents at `revision` (`HEAD`, a commit, or empty for the
/// index), by absolute path in the work tree `top`, read by one `git
/// cat-file --batch`; `None` for a file that does not exist there or is not
/// UTF-8.
pub fn contents_at(top: &Path, revision: &str, paths: &[&Path]) -> Vec<Option<String>> {
    if paths.is_empty() {
        return Vec::new();
    }
    let input: String = paths
        .iter()
        .map(|p| {
            let rel = p
                .strip_prefix(top)
                .unwrap_or(p)
                .to_string_lossy()
                .replace('\\', "/");
            format!("{revision}:{rel}\n")
        })
        .collect();
    let output = (|| {
        let mut child = std::process::Command::new("git")
            .args(["cat-file", "--batch"])
            .env("GIT_OPTIONAL_LOCKS", "0")
            .current_dir(top)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .ok()?;
        // Written from a thread: git answers while it reads, and full pipes
        // on both sides would deadlock.
        let mut stdin = child.stdin.take()?;
        let writer =
            std::thread::spawn(move || std::io::Write::write_all(&mut stdin, input.as_bytes()));
        let out = child.wait_with_output().ok()?;
        writer.join().ok()?.ok()?;
        Some(out.stdout)
    })()
    .unwrap_or_default();
    parse_batch(&output, paths.len())
}

/// Reads `<oid> <type> <size>\n<content>\n` or `<spec> missing\n` records.
fn parse_batch(mut out: &[u8], count: usize) -> Vec<Option<String>> {
    let mut contents = Vec::with_capacity(count);
    while contents.len() < count {
        let Some(end) = out.iter().position(|&b| b == b'\n') else {
            break;
        };
        let header = String::from_utf8_lossy(&out[..end]).into_owned();
        out = &out[end + 1..];
        let mut fields = header.split(' ');
        let (_, kind, size) = (fields.next(), fields.next(), fields.next());
        match (kind, size.and_then(|s| s.parse::<usize>().ok())) {
            (Some("blob"), Some(size)) if out.len() > size => {
                contents.push(String::from_utf8(out[..size].to_vec()).ok());
                out = &out[size + 1..];
            }
            _ => contents.push(None),
        }
    }
    contents.resize(count, None);
    contents
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_records_are_read_in_order() {
        let out = b"abc blob 3\nx;\n\nHEAD:gone.sql missing\ndef blob 0\n\n";
        assert_eq!(
            parse_batch(out, 3),
            [Some("x;\n".to_string()), None, Some(String::new())]
        );
        assert_eq!(parse_batch(b"", 2), [None, None]);
    }
}
