//! What the hook remembers within one Claude Code session: the HEAD and the
//! untracked files when it started (the Stop gate reviews what the session
//! changed since), the working-tree snapshot taken before each Bash call
//! (PostToolUse finds what the command wrote), and how often Stop was
//! blocked (so it can never loop).
//!
//! One small JSON file per session in `$XDG_STATE_HOME/proagent-backend/`
//! or the temp dir, named from the sanitised `session_id` (untrusted input:
//! no path separators, bounded length), mode 0600, rewritten atomically
//! under a lock file because Claude Code runs hooks concurrently. A missing
//! or corrupt file reads as an empty state: the hook then allows and takes
//! a fresh snapshot, it never blocks on its own bookkeeping.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::os::unix::fs::{MetadataExt as _, OpenOptionsExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// State files untouched for this long belong to sessions that ended
/// without a SessionEnd (a crash, a killed terminal): removed at the next
/// SessionStart.
const STALE_AFTER: Duration = Duration::from_secs(7 * 24 * 3600);

/// A file's modification time and size: enough to see that a command
/// changed it without hashing big trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub mtime_ns: i128,
    pub size: u64,
}

impl Stamp {
    pub fn of(path: &Path) -> Option<Stamp> {
        let m = std::fs::metadata(path).ok()?;
        Some(Stamp {
            mtime_ns: i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
            size: m.len(),
        })
    }
}

/// A reviewable file as it was before a Bash command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Before {
    pub stamp: Stamp,
    /// The content, kept for files that already differed from HEAD (small
    /// ones): what the command's changes are measured against.
    pub text: Option<String>,
}

/// The reviewable files that differ from HEAD (or, outside git, all of
/// them), before one Bash call.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Whether the files come from git (clean tracked files are then equal
    /// to HEAD) or from a walk of the directory.
    pub git: bool,
    pub files: BTreeMap<PathBuf, Before>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionState {
    /// The commit checked out when the session started.
    pub start_head: Option<String>,
    /// Untracked files at the start, with their stamps: the session did not
    /// write them unless the stamp changed.
    pub untracked_at_start: BTreeMap<PathBuf, Stamp>,
    /// Snapshots by Bash `tool_use_id`, taken by PreToolUse and consumed by
    /// the matching PostToolUse (calls can overlap).
    pub bash: BTreeMap<String, Snapshot>,
    /// How many times Stop was blocked in this session.
    pub stop_blocks: u32,
}

/// The session's state file and its lock.
pub struct Store {
    path: PathBuf,
    lock: PathBuf,
}

impl Store {
    /// The store of `session_id` under `dir` (see [`default_dir`]).
    pub fn new(dir: &Path, session_id: &str) -> Store {
        let name = file_name(session_id);
        Store {
            path: dir.join(format!("{name}.json")),
            lock: dir.join(format!("{name}.lock")),
        }
    }

    /// Reads the state, lets `change` modify it, and writes it back, all
    /// under the lock. Returns what `change` returns, and a note when the
    /// state could not be read or written (the caller still proceeds).
    pub fn update<T>(&self, change: impl FnOnce(&mut SessionState) -> T) -> (T, Option<String>) {
        let guard = match self.locked() {
            Ok(guard) => Some(guard),
            Err(e) => {
                let mut state = SessionState::default();
                return (
                    change(&mut state),
                    Some(format!("cannot lock the session state ({e})")),
                );
            }
        };
        let (mut state, mut note) = self.read();
        let result = change(&mut state);
        if let Err(e) = self.write(&state) {
            note = Some(format!("cannot save the session state ({e})"));
        }
        drop(guard);
        (result, note)
    }

    /// The state as last written; empty when missing or unreadable.
    fn read(&self) -> (SessionState, Option<String>) {
        match std::fs::read(&self.path) {
            Ok(bytes) => match serde_json::from_slice(&bytes) {
                Ok(state) => (state, None),
                Err(e) => (
                    SessionState::default(),
                    Some(format!(
                        "the session state {} is corrupt ({e}); starting afresh",
                        self.path.display()
                    )),
                ),
            },
            Err(_) => (SessionState::default(), None),
        }
    }

    /// Writes to a private temporary file, then renames it over the state,
    /// so a reader never sees half a file.
    fn write(&self, state: &SessionState) -> std::io::Result<()> {
        let tmp = self
            .path
            .with_extension(format!("tmp{}", std::process::id()));
        let mut file = private_file(&tmp)?;
        file.write_all(&serde_json::to_vec(state).map_err(std::io::Error::other)?)?;
        // No fsync: the state only has to outlive the session, not a power
        // cut, and syncing on every Bash call costs milliseconds.
        std::fs::rename(&tmp, &self.path)
    }

    fn locked(&self) -> std::io::Result<File> {
        if let Some(dir) = self.lock.parent() {
            private_dir(dir)?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .mode(0o600)
            .open(&self.lock)?;
        file.lock()?;
        Ok(file)
    }

    /// Removes the session's files (SessionEnd).
    pub fn remove(&self) {
        let _ = std::fs::remove_file(&self.path);
        let _ = std::fs::remove_file(&self.lock);
    }
}

/// Where state files live: `$XDG_STATE_HOME/proagent-backend`, else a
/// per-user directory in the system temp dir.
pub fn default_dir() -> PathBuf {
    match std::env::var_os("XDG_STATE_HOME").filter(|v| !v.is_empty()) {
        Some(state) => PathBuf::from(state).join("proagent-backend"),
        None => {
            // /proc/self belongs to the effective user: a per-user directory
            // without asking libc (this crate has no unsafe code).
            let uid = std::fs::metadata("/proc/self").map_or(0, |m| m.uid());
            std::env::temp_dir().join(format!("proagent-backend-{uid}"))
        }
    }
}

/// Removes state files of sessions idle for longer than [`STALE_AFTER`].
pub fn remove_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > STALE_AFTER);
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// A file name from an untrusted session id: letters, digits, `-` and `_`
/// only, at most 64 of them; anything else is replaced and a hash of the
/// whole id keeps distinct ids apart.
fn file_name(session_id: &str) -> String {
    let clean: String = session_id
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !clean.is_empty() && clean == session_id {
        clean
    } else {
        format!(
            "{clean}-{:016x}",
            xxhash_rust::xxh3::xxh3_64(session_id.as_bytes())
        )
    }
}

fn private_dir(dir: &Path) -> std::io::Result<()> {
    if !dir.is_dir() {
        std::fs::create_dir_all(dir)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

fn private_file(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .mode(0o600)
        .open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_become_safe_distinct_file_names() {
        assert_eq!(file_name("abc-123_x"), "abc-123_x");
        for hostile in ["../../etc/passwd", "a/b", "", "x".repeat(500).as_str(), "é"] {
            let name = file_name(hostile);
            assert!(name.len() <= 64 + 17, "{name}");
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
                "{name}"
            );
        }
        assert_ne!(file_name("a/b"), file_name("a_b"));
    }

    #[test]
    fn state_round_trips_is_private_and_survives_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path(), "s1");
        let (_, note) = store.update(|s| s.stop_blocks = 2);
        assert_eq!(note, None);
        let (blocks, _) = store.update(|s| s.stop_blocks);
        assert_eq!(blocks, 2);
        let mode = std::fs::metadata(&store.path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        std::fs::write(&store.path, b"{not json").unwrap();
        let (blocks, note) = store.update(|s| s.stop_blocks);
        assert_eq!(blocks, 0);
        assert!(note.unwrap().contains("corrupt"));
        store.remove();
        assert!(!store.path.exists());
    }

    #[test]
    fn concurrent_updates_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let dir = dir.path().to_path_buf();
                std::thread::spawn(move || {
                    for i in 0..25 {
                        Store::new(&dir, "shared").update(|s| {
                            s.bash.insert(format!("{t}-{i}"), Snapshot::default());
                        });
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let (count, _) = Store::new(dir.path(), "shared").update(|s| s.bash.len());
        assert_eq!(count, 200);
    }
}
