//! `$ref` resolution: JSON pointers into the reviewed file (`#/components/
//! schemas/User`) and into files next to it (`common.yaml#/Error`,
//! `schemas/user.json`). Referenced files are loaded once, up front, with
//! limits on their number and size; remote references (`https://...`) are
//! not fetched. Resolution follows chains of references with a hop limit,
//! so a reference that leads back to itself is an error, never a hang.

use super::tree::{self, Node};
use pab_core::{Diagnostics, SourceFile};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// At most this many referenced files are loaded per description.
pub const MAX_FILES: usize = 64;
/// Referenced files larger than this are not loaded.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
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
    #[error(
        "`{0}` is not a reference this tool can follow (use `#/path/to/node` or `file.yaml#/path`)"
    )]
    Unsupported(String),
}

struct External {
    path: PathBuf,
    root: Result<Node<'static>, String>,
}

/// The files a description references, loaded (or not, with why).
pub struct Externals {
    main_dir: PathBuf,
    main_canonical: Option<PathBuf>,
    files: Vec<External>,
    by_path: HashMap<PathBuf, usize>,
}

impl Externals {
    /// Loads the files the references of `root` name (and the files those
    /// name, within the limits).
    pub fn load(file: &SourceFile, root: &Node<'_>, out: &mut Diagnostics) -> Self {
        let main_path = Path::new(&file.path);
        let mut ext = Externals {
            main_dir: main_path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default(),
            main_canonical: std::fs::canonicalize(main_path).ok(),
            files: Vec::new(),
            by_path: HashMap::new(),
        };
        let mut main_refs = Vec::new();
        collect_refs(root, &mut main_refs);
        let mut pending: Vec<PathBuf> = main_refs
            .iter()
            .filter_map(|node| file_of(&ext.main_dir, ref_text(node)))
            .collect();
        pending.reverse();
        let mut too_many = false;
        while let Some(path) = pending.pop() {
            let key = canonical(&path);
            if ext.by_path.contains_key(&key) || ext.main_canonical.as_ref() == Some(&key) {
                continue;
            }
            if ext.files.len() >= MAX_FILES {
                too_many = true;
                break;
            }
            let root = read_external(&path);
            if let Ok(root) = &root {
                let mut nested = Vec::new();
                collect_refs(root, &mut nested);
                let dir = path.parent().unwrap_or(Path::new(""));
                pending.extend(nested.iter().filter_map(|n| file_of(dir, ref_text(n))));
            }
            ext.by_path.insert(key, ext.files.len() + 1);
            ext.files.push(External { path, root });
        }
        if too_many {
            out.note(
                file,
                None,
                format!("only the first {MAX_FILES} referenced files were loaded; references into the others are reported as unresolved"),
            );
        }
        ext
    }
}

/// The file a reference names, relative to `dir`; `None` for references
/// within the same document and for remote ones.
fn file_of(dir: &Path, reference: &str) -> Option<PathBuf> {
    let target = reference.split('#').next().unwrap_or("");
    if target.is_empty() || is_remote(target) {
        return None;
    }
    Some(dir.join(percent_decode(target)))
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
            let path = self.dir_of(doc).join(percent_decode(target));
            let key = canonical(&path);
            if self.ext.main_canonical.as_ref() == Some(&key) {
                DocId::MAIN
            } else {
                match self.ext.by_path.get(&key) {
                    Some(&i) => DocId(i),
                    None => {
                        return Err(RefError::File {
                            reference: reference.to_string(),
                            file: target.to_string(),
                            why: "not found, or over the limit of referenced files".into(),
                        })
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

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn read_external(path: &Path) -> Result<Node<'static>, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!("over {} MB", MAX_FILE_BYTES / (1024 * 1024)));
    }
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
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
    fn percent_decoding_keeps_bad_escapes() {
        assert_eq!(percent_decode("a%20b%zz%"), "a b%zz%");
    }
}
