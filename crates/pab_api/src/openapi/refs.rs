//! `$ref` resolution: JSON pointers into the reviewed file (`#/components/
//! schemas/User`) and into files next to it (`common.yaml#/Error`,
//! `schemas/user.json`). Referenced files are loaded once, up front, with
//! limits on their number and size; remote references (`https://...`) are
//! not fetched. Resolution follows chains of references with a hop limit,
//! so a reference that leads back to itself is an error, never a hang.
//!
//! Only files of the description's project are read: a description may
//! come from anyone (through the MCP server or an editor hook), and
//! `$ref: '../../../etc/passwd'` must not make this tool open the host's
//! files. The project is the git work tree the description is in (the
//! nearest ancestor directory, the description's own included, holding a
//! `.git` entry), else the description's own directory. A reference with an
//! absolute path, or whose target (symbolic links followed) is outside
//! that directory, is refused without being opened and reported as
//! unresolved. Only regular files are read ([`MAX_FILE_BYTES`] each,
//! [`MAX_TOTAL_BYTES`] in all for one description).

use super::tree::{self, Node};
use pab_core::{Diagnostics, SourceFile};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// At most this many referenced files are loaded per description.
pub const MAX_FILES: usize = 64;
/// Referenced files larger than this are not loaded.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// At most this many bytes of referenced files are read for one
/// description, all files together; the files past it are not loaded.
pub const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;
/// A chain of references longer than this is taken for a cycle.
const MAX_HOPS: usize = 64;

/// Which document a node is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DocId(usize);

impl DocId {
    /// The reviewed file.
    pub const MAIN: DocId = DocId(0);
}

/// Why a reference could not be followed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefError {
    #[error("`{0}` points at nothing in the document")]
    Missing(String),
    #[error("`{reference}` is in {file}, which could not be read: {why}")]
    File {
        reference: String,
        file: String,
        why: String,
    },
    #[error("`{0}` leads back to itself through references only (a cycle)")]
    Circular(String),
    #[error("`{0}` is a remote reference; remote documents are not fetched")]
    Remote(String),
    #[error("`{reference}` points outside the project ({root}); files outside it are not read")]
    Outside { reference: String, root: String },
    #[error(
        "`{0}` is not a reference this tool can follow (use `#/path/to/node` or `file.yaml#/path`)"
    )]
    Unsupported(String),
}

struct External {
    /// Canonical (absolute, symbolic links resolved), inside `project`.
    path: PathBuf,
    root: Result<Node<'static>, String>,
}

/// The files a description references, loaded (or not, with why).
pub struct Externals {
    /// The description's directory, canonical when it exists.
    main_dir: PathBuf,
    main_canonical: Option<PathBuf>,
    /// The directory references may not leave (see the module docs);
    /// `None` when the description's directory does not exist, and then
    /// no file is read.
    project: Option<PathBuf>,
    files: Vec<External>,
    by_path: HashMap<PathBuf, usize>,
}

/// Where a reference to another file leads.
enum Target {
    /// The canonical path of an existing file inside the project.
    Inside(PathBuf),
    /// Absolute, or outside the project: never opened.
    Outside,
    /// Nothing there (or the project is unknown), with why.
    Missing(String),
}

impl Externals {
    /// Loads the files the references of `root` name (and the files those
    /// name, within the limits).
    pub fn load(file: &SourceFile, root: &Node<'_>, out: &mut Diagnostics) -> Self {
        let main_path = Path::new(&file.path);
        let dir = match main_path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let main_dir = std::fs::canonicalize(dir).ok();
        let project = main_dir.as_deref().map(project_of);
        let mut ext = Externals {
            main_dir: main_dir.unwrap_or_else(|| dir.to_path_buf()),
            main_canonical: std::fs::canonicalize(main_path).ok(),
            project,
            files: Vec::new(),
            by_path: HashMap::new(),
        };
        let mut main_refs = Vec::new();
        collect_refs(root, &mut main_refs);
        let mut pending: Vec<PathBuf> = main_refs
            .iter()
            .filter_map(|node| ext.file_of(&ext.main_dir, ref_text(node)))
            .collect();
        pending.reverse();
        let (mut too_many, mut too_big) = (false, false);
        let mut budget = MAX_TOTAL_BYTES;
        while let Some(path) = pending.pop() {
            if ext.by_path.contains_key(&path) || ext.main_canonical.as_ref() == Some(&path) {
                continue;
            }
            if ext.files.len() >= MAX_FILES {
                too_many = true;
                break;
            }
            let root = read_external(&path, &mut budget);
            too_big |= budget == 0 && root.is_err();
            if let Ok(root) = &root {
                let mut nested = Vec::new();
                collect_refs(root, &mut nested);
                let dir = path.parent().unwrap_or(Path::new(""));
                pending.extend(nested.iter().filter_map(|n| ext.file_of(dir, ref_text(n))));
            }
            ext.by_path.insert(path.clone(), ext.files.len() + 1);
            ext.files.push(External { path, root });
        }
        if too_many {
            out.note(
                file,
                None,
                format!("only the first {MAX_FILES} referenced files were loaded; references into the others are reported as unresolved"),
            );
        }
        if too_big {
            out.note(
                file,
                None,
                format!("referenced files were read up to {} MB in all; references into the others are reported as unresolved", MAX_TOTAL_BYTES / (1024 * 1024)),
            );
        }
        ext
    }

    /// The file a reference in a document of directory `dir` names, when
    /// it may be read; `None` for references within the same document,
    /// remote ones, and those [`Externals::target`] refuses.
    fn file_of(&self, dir: &Path, reference: &str) -> Option<PathBuf> {
        let target = reference.split('#').next().unwrap_or("");
        if target.is_empty() || is_remote(target) {
            return None;
        }
        match self.target(dir, target) {
            Target::Inside(path) => Some(path),
            Target::Outside | Target::Missing(_) => None,
        }
    }

    /// Where the file part of a reference (`target`, non-empty, not
    /// remote) leads from a document of directory `dir`.
    fn target(&self, dir: &Path, target: &str) -> Target {
        let decoded = percent_decode(target);
        let relative = Path::new(&decoded);
        if relative.has_root() || relative.is_absolute() {
            return Target::Outside;
        }
        let Some(project) = &self.project else {
            return Target::Missing("the description's directory was not found".into());
        };
        let joined = dir.join(relative);
        match std::fs::canonicalize(&joined) {
            Ok(path) if path.starts_with(project) => Target::Inside(path),
            Ok(_) => Target::Outside,
            // Nothing there: say "outside" when the path leaves the
            // project as written, so a missing file is not mistaken for a
            // permitted one.
            Err(_) if !normalize(&joined).starts_with(project) => Target::Outside,
            Err(e) => Target::Missing(e.to_string()),
        }
    }
}

/// The project a description in `dir` (canonical) belongs to: the nearest
/// ancestor (`dir` included) holding a `.git` entry, else `dir`.
fn project_of(dir: &Path) -> PathBuf {
    dir.ancestors()
        .find(|d| std::fs::symlink_metadata(d.join(".git")).is_ok())
        .unwrap_or(dir)
        .to_path_buf()
}

/// `a/b/../c/./d` -> `a/c/d`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The reviewed document and the files its references load.
pub struct Documents<'a> {
    main: &'a Node<'a>,
    ext: &'a Externals,
    /// Every mapping with a `$ref` in the reviewed file, in document order.
    refs: Vec<&'a Node<'a>>,
}

impl<'a> Documents<'a> {
    pub fn new(main: &'a Node<'a>, ext: &'a Externals) -> Self {
        let mut refs = Vec::new();
        collect_refs(main, &mut refs);
        Documents { main, ext, refs }
    }

    /// Every mapping with a `$ref` in the reviewed file.
    pub fn refs(&self) -> &[&'a Node<'a>] {
        &self.refs
    }

    /// The references of the reviewed file that loop (with where they are),
    /// for notes: every other broken reference is a rule's finding.
    pub fn broken_chains(&self) -> Vec<(usize, RefError)> {
        self.refs
            .iter()
            .filter_map(|node| match self.resolve(DocId::MAIN, node) {
                Err(e @ RefError::Circular(_)) => {
                    Some((node.get("$ref").map_or(node.start, |r| r.start), e))
                }
                _ => None,
            })
            .collect()
    }

    fn dir_of(&self, doc: DocId) -> &'a Path {
        match doc.0 {
            0 => &self.ext.main_dir,
            i => self.ext.files[i - 1].path.parent().unwrap_or(Path::new("")),
        }
    }

    /// Follows `node`'s `$ref` (and the references it leads to) from
    /// document `doc`; a node without one is returned as it is.
    pub fn resolve(
        &self,
        doc: DocId,
        node: &'a Node<'a>,
    ) -> Result<(DocId, &'a Node<'a>), RefError> {
        let (mut doc, mut node) = (doc, node);
        let first = ref_text(node).to_string();
        for _ in 0..MAX_HOPS {
            let Some(reference) = node.get("$ref").and_then(Node::as_str) else {
                return Ok((doc, node));
            };
            (doc, node) = self.lookup(doc, reference)?;
        }
        Err(RefError::Circular(first))
    }

    fn lookup(&self, doc: DocId, reference: &str) -> Result<(DocId, &'a Node<'a>), RefError> {
        let (target, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        if is_remote(target) {
            return Err(RefError::Remote(reference.to_string()));
        }
        let target_doc = if target.is_empty() {
            doc
        } else {
            let not_loaded = |why: String| RefError::File {
                reference: reference.to_string(),
                file: target.to_string(),
                why,
            };
            match self.ext.target(self.dir_of(doc), target) {
                Target::Outside => {
                    return Err(RefError::Outside {
                        reference: reference.to_string(),
                        root: self
                            .ext
                            .project
                            .as_deref()
                            .map_or_else(String::new, |p| p.display().to_string()),
                    })
                }
                Target::Missing(why) => return Err(not_loaded(why)),
                Target::Inside(key) => {
                    if self.ext.main_canonical.as_ref() == Some(&key) {
                        DocId::MAIN
                    } else {
                        match self.ext.by_path.get(&key) {
                            Some(&i) => DocId(i),
                            None => {
                                return Err(not_loaded(
                                    "not loaded: over the limit of referenced files".into(),
                                ))
                            }
                        }
                    }
                }
            }
        };
        let root = match target_doc.0 {
            0 => self.main,
            i => match &self.ext.files[i - 1].root {
                Ok(root) => root,
                Err(why) => {
                    return Err(RefError::File {
                        reference: reference.to_string(),
                        file: target.to_string(),
                        why: why.clone(),
                    })
                }
            },
        };
        pointer_lookup(root, pointer)
            .map(|n| (target_doc, n))
            .ok_or_else(|| {
                if pointer.is_empty() || pointer.starts_with('/') {
                    RefError::Missing(reference.to_string())
                } else {
                    RefError::Unsupported(reference.to_string())
                }
            })
    }
}

/// The text of a mapping's `$ref` ("" when it has none).
pub fn ref_text<'n>(node: &'n Node<'_>) -> &'n str {
    node.get("$ref").and_then(Node::as_str).unwrap_or("")
}

fn is_remote(target: &str) -> bool {
    target.starts_with("http://") || target.starts_with("https://") || target.starts_with("//")
}

/// Reads and parses a referenced file (a canonical path inside the
/// project), taking what it reads from `budget`.
fn read_external(path: &Path, budget: &mut u64) -> Result<Node<'static>, String> {
    use std::io::Read;
    // Checked before opening: opening a FIFO would block.
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!("over {} MB", MAX_FILE_BYTES / (1024 * 1024)));
    }
    if meta.len() > *budget {
        *budget = 0;
        return Err(format!(
            "over the limit of {} MB read for one description",
            MAX_TOTAL_BYTES / (1024 * 1024)
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    if !file.metadata().map_err(|e| e.to_string())?.is_file() {
        return Err("not a regular file".into());
    }
    // The size can change between the check and the read (and some
    // files report none): never read more than the limits.
    let limit = MAX_FILE_BYTES.min(*budget);
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        if limit == MAX_FILE_BYTES {
            return Err(format!("over {} MB", MAX_FILE_BYTES / (1024 * 1024)));
        }
        *budget = 0;
        return Err(format!(
            "over the limit of {} MB read for one description",
            MAX_TOTAL_BYTES / (1024 * 1024)
        ));
    }
    *budget -= bytes.len() as u64;
    let text = String::from_utf8(bytes).map_err(|e| e.to_string())?;
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let parsed = if is_json {
        super::json::parse(&text)
    } else {
        tree::parse(&text)
    };
    match parsed {
        Ok(Some(root)) => Ok(root.into_owned()),
        Ok(None) => Err("the file is empty".into()),
        Err(e) => Err(format!("invalid YAML or JSON: {}", e.message)),
    }
}

/// Every mapping with a string `$ref` under `root`, in document order
/// (an explicit stack: documents can be deep).
fn collect_refs<'a>(root: &'a Node<'a>, out: &mut Vec<&'a Node<'a>>) {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match &node.value {
            tree::Value::Map(entries) => {
                if node.get("$ref").and_then(Node::as_str).is_some() {
                    out.push(node);
                }
                stack.extend(entries.iter().rev().map(|(_, v)| v));
            }
            tree::Value::Seq(items) => stack.extend(items.iter().rev()),
            _ => {}
        }
    }
}

/// Follows a JSON pointer (`/components/schemas/User`, already split from
/// its `#`) from `root`.
pub fn pointer_lookup<'n, 'a>(root: &'n Node<'a>, pointer: &str) -> Option<&'n Node<'a>> {
    if pointer.is_empty() {
        return Some(root);
    }
    let rest = pointer.strip_prefix('/')?;
    let mut node = root;
    for raw in rest.split('/') {
        let token = percent_decode(raw).replace("~1", "/").replace("~0", "~");
        node = match &node.value {
            tree::Value::Map(_) => node.get(&token)?,
            tree::Value::Seq(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Decodes `%7B`-style escapes (references to paths with braces are
/// written that way); invalid escapes are kept as written.
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_unescape_tokens() {
        let root = tree::parse("paths:\n  /a/{id}:\n    get: {x: 1}\nl: [a, b]\n")
            .unwrap()
            .unwrap();
        assert!(pointer_lookup(&root, "/paths/~1a~1%7Bid%7D/get").is_some());
        assert_eq!(pointer_lookup(&root, "/l/1").unwrap().as_str(), Some("b"));
        assert!(pointer_lookup(&root, "/l/9").is_none());
        assert!(pointer_lookup(&root, "/nope").is_none());
    }

    #[test]
    fn reading_takes_from_the_budget_and_only_regular_files() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.yaml");
        std::fs::write(&file, "A: {type: string}\n").unwrap();
        let mut budget = 100;
        assert!(read_external(&file, &mut budget).is_ok());
        assert_eq!(budget, 100 - 18);
        let mut budget = 10;
        let err = read_external(&file, &mut budget).unwrap_err();
        assert!(err.contains("read for one description"), "{err}");
        assert_eq!(budget, 0);
        let mut budget = MAX_TOTAL_BYTES;
        let err = read_external(dir.path(), &mut budget).unwrap_err();
        assert_eq!(err, "not a regular file");
        #[cfg(unix)]
        {
            // A FIFO is refused before it is opened (opening would block).
            let fifo = dir.path().join("fifo.yaml");
            if std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .is_ok_and(|s| s.success())
            {
                let err = read_external(&fifo, &mut budget).unwrap_err();
                assert_eq!(err, "not a regular file");
            }
        }
        assert_eq!(budget, MAX_TOTAL_BYTES);
    }

    #[test]
    fn the_project_is_the_git_work_tree_else_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        let nested = root.join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        if root.ancestors().all(|d| !d.join(".git").exists()) {
            assert_eq!(project_of(&nested), nested);
        }
        // `.git` is a file in worktrees and submodules.
        std::fs::write(root.join("a/.git"), "gitdir: elsewhere\n").unwrap();
        assert_eq!(project_of(&nested), root.join("a"));
        assert_eq!(
            normalize(Path::new("/p/a/../../../etc/./x")),
            Path::new("/etc/x")
        );
    }

    #[test]
    fn percent_decoding_keeps_bad_escapes() {
        assert_eq!(percent_decode("a%20b%zz%"), "a b%zz%");
    }
}
