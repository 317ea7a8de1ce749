//! Which files a review covers: explicit files as given, directories walked
//! with the `ignore` crate (so .gitignore, .ignore and hidden files are
//! respected), and only the kinds some analyzer reviews.

use crate::finding::FileError;
use std::path::{Path, PathBuf};

/// What walking the inputs produced.
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<PathBuf>,
    pub errors: Vec<FileError>,
}

/// Walks `paths`; `accepts` says whether a file found inside a directory is a
/// kind we review. Explicitly named files are always kept, so that the caller
/// can say why one is not reviewed.
pub fn discover(paths: &[PathBuf], accepts: &(dyn Fn(&Path) -> bool + Sync)) -> Discovered {
    let mut out = Discovered::default();
    for root in paths {
        if !root.exists() {
            out.errors.push(FileError {
                path: display_path(root),
                line: None,
                column: None,
                message: "no such file or directory; check the path".into(),
            });
            continue;
        }
        if !root.is_dir() {
            out.files.push(root.clone());
            continue;
        }
        let walker = ignore::WalkBuilder::new(root)
            .hidden(true)
            .git_ignore(true)
            .git_global(false)
            .require_git(false)
            .build();
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_some_and(|t| t.is_file()) && accepts(e.path()) => {
                    out.files.push(e.into_path());
                }
                Ok(_) => {}
                Err(err) => out.errors.push(FileError {
                    path: display_path(root),
                    line: None,
                    column: None,
                    message: format!("cannot walk the directory: {err}"),
                }),
            }
        }
    }
    out.files.sort();
    out.files.dedup();
    out
}

/// A path as users should read it: relative to the working directory when it
/// is inside it, with `/` separators.
pub fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let shown = match &cwd {
        Some(cwd) if path.is_absolute() => path.strip_prefix(cwd).unwrap_or(path),
        _ => path,
    };
    let shown = shown.strip_prefix("./").unwrap_or(shown);
    shown.to_string_lossy().replace('\\', "/")
}
