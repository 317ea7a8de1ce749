//! OpenAPI 2.0 (Swagger), 3.0 and 3.1 descriptions, in YAML or JSON: the
//! document is parsed once into a spanned tree ([`tree`]), `$ref`s are
//! resolved on demand (in the file and in the files it references), every
//! rule's `check_openapi` runs on the [`Spec`], and each operation is
//! reported as a [`pab_core::Endpoint`].

pub mod endpoints;
pub mod json;
pub mod refs;
pub mod schema;
pub mod tree;

use crate::rule::Reporter;
use crate::rules::ALL_RULES;
use pab_core::{Diagnostics, Settings, SourceFile};
use refs::{DocId, Documents, Externals, RefError};
use std::path::Path;
pub use tree::{Node, Value};

/// Which OpenAPI the document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    /// Swagger 2.0.
    V2,
    V30,
    V31,
}

/// HTTP methods that are operations in a path item (2.0 has no `trace`).
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation of the description.
#[derive(Debug, Clone, Copy)]
pub struct Operation<'a> {
    /// The path template as written (`/users/{id}`).
    pub path: &'a str,
    /// The path's key in `paths`.
    pub path_key: &'a Node<'a>,
    /// The path item (resolved when it was a `$ref` within this file).
    pub path_item: &'a Node<'a>,
    /// Lower case, as written in the description.
    pub method: &'static str,
    /// The method's key in the path item: findings about the operation
    /// point here.
    pub key: &'a Node<'a>,
    pub node: &'a Node<'a>,
    /// The document the path item (and so `node`) is in: the references
    /// in it are relative to that file ([`Spec::resolve_from`]).
    pub doc: DocId,
}

impl Operation<'_> {
    /// The bytes from the method key to the end of the operation, for
    /// suppressions written above the method.
    pub fn anchor(&self) -> (usize, usize) {
        (self.key.start, self.node.end.max(self.key.end))
    }

    pub fn operation_id(&self) -> Option<&str> {
        self.node.get("operationId").and_then(Node::as_str)
    }

    /// `GET /users/{id}`, for messages.
    pub fn label(&self) -> String {
        format!("{} {}", self.method.to_ascii_uppercase(), self.path)
    }
}

/// Everything a rule reads about one description.
pub struct Spec<'a> {
    pub file: &'a SourceFile,
    pub settings: &'a Settings,
    pub root: &'a Node<'a>,
    pub version: Version,
    pub operations: Vec<Operation<'a>>,
    /// Operations of path items written in other files (`/users:
    /// {$ref: paths/users.yaml}`). Rules do not read them (their positions
    /// are in the other file, which has no `openapi` key to be reviewed
    /// by itself), but they are endpoints of this description: `key` and
    /// `path_key` are the path's key here.
    pub external_operations: Vec<Operation<'a>>,
    docs: &'a Documents<'a>,
}

impl<'a> Spec<'a> {
    /// Follows `$ref`s from `node` (in the reviewed file) to what they
    /// point at; a node without `$ref` is returned as it is.
    pub fn resolve(&self, node: &'a Node<'a>) -> Result<&'a Node<'a>, RefError> {
        self.docs.resolve(DocId::MAIN, node).map(|(_, n)| n)
    }

    /// Like [`Spec::resolve`], but `None` on broken references (a rule
    /// reports those; the others skip what they cannot read).
    pub fn deref(&self, node: &'a Node<'a>) -> &'a Node<'a> {
        self.resolve(node).unwrap_or(node)
    }

    /// Like [`Spec::resolve`], and whether the target is in the reviewed
    /// file (only nodes there can be reported, with their position).
    pub fn resolve_local(&self, node: &'a Node<'a>) -> Result<(&'a Node<'a>, bool), RefError> {
        self.docs
            .resolve(DocId::MAIN, node)
            .map(|(doc, n)| (n, doc == DocId::MAIN))
    }

    /// Follows `$ref`s from `node`, which is in document `doc` (references
    /// in a referenced file are relative to that file).
    pub fn resolve_from(
        &self,
        doc: DocId,
        node: &'a Node<'a>,
    ) -> Result<(DocId, &'a Node<'a>), RefError> {
        self.docs.resolve(doc, node)
    }

    /// Every mapping with a `$ref` in the reviewed file, in document order.
    pub fn refs(&self) -> &[&'a Node<'a>] {
        self.docs.refs()
    }

    /// `components` (3.x) or the document root (2.0, whose reusable
    /// objects are top-level `definitions`, `parameters`, `responses`).
    pub fn components(&self) -> Option<&'a Node<'a>> {
        match self.version {
            Version::V2 => Some(self.root),
            _ => self.root.get("components"),
        }
    }

    /// The parameters that apply to an operation: its own and those of its
    /// path item it does not override, resolved, each with the node to
    /// report on (the `$ref` or the parameter itself).
    pub fn parameters(&self, op: &Operation<'a>) -> Vec<Param<'a>> {
        let mut out: Vec<Param<'a>> = Vec::new();
        for (source, list) in [
            (ParamSource::Operation, op.node.get("parameters")),
            (ParamSource::PathItem, op.path_item.get("parameters")),
        ] {
            let Some(list) = list else { continue };
            for item in list.items() {
                let Ok((_, node)) = self.resolve_from(op.doc, item) else {
                    continue;
                };
                let name = node.get("name").and_then(Node::as_str).unwrap_or("");
                let location = node.get("in").and_then(Node::as_str).unwrap_or("");
                let overridden = source == ParamSource::PathItem
                    && out.iter().any(|p| {
                        p.source == ParamSource::Operation
                            && p.name == name
                            && p.location == location
                    });
                if !overridden {
                    out.push(Param {
                        name,
                        location,
                        node,
                        at: item,
                        source,
                    });
                }
            }
        }
        out
    }

    /// The schema of a parameter, response or media type, wherever the
    /// version keeps it.
    pub fn schema_of(&self, node: &'a Node<'a>) -> Option<&'a Node<'a>> {
        node.get("schema")
    }

    /// Every response of an operation: (status key, resolved response).
    pub fn responses(&self, op: &Operation<'a>) -> Vec<(&'a Node<'a>, &'a Node<'a>)> {
        self.responses_in(op)
            .into_iter()
            .map(|(k, _, v)| (k, v))
            .collect()
    }

    /// Like [`Spec::responses`], with the document each response is in
    /// (for following the references of its schemas).
    pub fn responses_in(&self, op: &Operation<'a>) -> Vec<(&'a Node<'a>, DocId, &'a Node<'a>)> {
        op.node
            .get("responses")
            .map(|r| {
                r.entries()
                    .iter()
                    .filter(|(k, _)| !k.as_str().is_some_and(|s| s.starts_with("x-")))
                    .map(|(k, v)| {
                        let (doc, v) = self.resolve_from(op.doc, v).unwrap_or((op.doc, v));
                        (k, doc, v)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The schemas of a (resolved) response: 2.0 `schema`, 3.x one per
    /// media type. (media type or "", schema)
    pub fn response_schemas(&self, response: &'a Node<'a>) -> Vec<(&'a str, &'a Node<'a>)> {
        match self.version {
            Version::V2 => response
                .get("schema")
                .map(|s| ("", s))
                .into_iter()
                .collect(),
            _ => response
                .get("content")
                .map(|c| {
                    c.entries()
                        .iter()
                        .filter_map(|(k, v)| Some((k.as_str()?, v.get("schema")?)))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// The security requirements in force for an operation: its own
    /// `security`, else the document's. `None` when neither says.
    pub fn security(&self, op: &Operation<'a>) -> Option<&'a Node<'a>> {
        op.node
            .get("security")
            .or_else(|| self.root.get("security"))
    }
}

/// Where a parameter was declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamSource {
    Operation,
    PathItem,
}

/// A parameter of an operation, resolved.
#[derive(Debug, Clone, Copy)]
pub struct Param<'a> {
    pub name: &'a str,
    /// `path`, `query`, `header`, `cookie`, `body`, `formData`.
    pub location: &'a str,
    pub node: &'a Node<'a>,
    /// The node in the operation's list (a `$ref` or the parameter).
    pub at: &'a Node<'a>,
    pub source: ParamSource,
}

/// Names of JSON and YAML files that are never API descriptions: they are
/// left out without being read (a monorepo has thousands).
pub fn never_a_description(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "package.json",
        "package-lock.json",
        "npm-shrinkwrap.json",
        "composer.json",
        "jsconfig.json",
        "pnpm-lock.yaml",
        "pnpm-workspace.yaml",
        "lerna.json",
        "nx.json",
        "turbo.json",
        "deno.json",
        "angular.json",
        "renovate.json",
        "vercel.json",
        "tslint.json",
        "app.json",
        "manifest.json",
        "bun.lock",
        ".pre-commit-config.yaml",
        ".gitlab-ci.yml",
        "mkdocs.yml",
        "pubspec.yaml",
        "chart.yaml",
        "values.yaml",
        "codecov.yml",
        "dependabot.yml",
        "environment.yml",
        "action.yml",
        "action.yaml",
    ];
    let lower = name.to_ascii_lowercase();
    NAMES.contains(&lower.as_str())
        || lower.starts_with("tsconfig")
        || lower.starts_with(".eslintrc")
        || lower.starts_with(".prettierrc")
        || lower.starts_with(".babelrc")
        || lower.starts_with("docker-compose")
        || lower.starts_with("compose.")
        || lower.ends_with(".lock.json")
        || lower.ends_with(".min.json")
        || lower.ends_with(".map.json")
}

/// Whether a file's name says it is an API description
/// (`openapi.yaml`, `swagger.json`, `petstore.openapi.yml`).
pub fn named_as_description(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let stem = lower.rsplit_once('.').map_or(lower.as_str(), |(s, _)| s);
    ["openapi", "swagger"].iter().any(|word| {
        stem == *word
            || stem.ends_with(&format!(".{word}"))
            || stem.starts_with(&format!("{word}-"))
            || stem.starts_with(&format!("{word}_"))
            || stem.starts_with(&format!("{word}."))
    })
}

/// A cheap look at the text before parsing it: an OpenAPI description
/// names its version in an `openapi` or `swagger` key, so a file without
/// either word anywhere is not one.
fn may_be_description(text: &str) -> bool {
    text.contains("openapi") || text.contains("swagger")
}

/// Reviews one YAML or JSON file.
pub fn analyze(file: &SourceFile, settings: &Settings, out: &mut Diagnostics) {
    let name = Path::new(&file.path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let named = named_as_description(&name);
    let not_a_description = |out: &mut Diagnostics, why: &str| {
        if named {
            out.note(
                file,
                None,
                format!("not reviewed: the name says OpenAPI but {why}; add `openapi: 3.1.0` (or `swagger: \"2.0\"`) at the top level, or rename the file"),
            );
        }
    };
    if !may_be_description(&file.text) {
        not_a_description(out, "there is no top-level `openapi` or `swagger` key");
        return;
    }
    let is_json = file.path.to_ascii_lowercase().ends_with(".json");
    let parsed = if is_json {
        json::parse(&file.text)
    } else {
        tree::parse(&file.text)
    };
    let root = match parsed {
        Ok(Some(root)) => root,
        Ok(None) => {
            not_a_description(out, "the file is empty");
            return;
        }
        Err(e) => {
            // Only files that look like descriptions get an error: a broken
            // CI workflow mentioning "openapi" is not ours to judge.
            if named || looks_like_description_start(&file.text) {
                let what = if is_json { "JSON" } else { "YAML" };
                out.error(
                    file,
                    Some(e.offset),
                    format!(
                        "invalid {what}: {}; fix the syntax here (a YAML linter or `python -m json.tool` shows the same place), the description was not reviewed",
                        e.message
                    ),
                );
            }
            return;
        }
    };
    let Some(version) = detect_version(file, &root, out) else {
        not_a_description(out, "there is no top-level `openapi` or `swagger` key");
        return;
    };
    let Some(version) = version else {
        return;
    };
    let externals = Externals::load(file, &root, out);
    let docs = Documents::new(&root, &externals);
    let (operations, external_operations) = operations(&root, &docs);
    let spec = Spec {
        file,
        settings,
        root: &root,
        version,
        operations,
        external_operations,
        docs: &docs,
    };
    for (at, error) in docs.broken_chains() {
        out.note(
            file,
            Some(file.position(at).line),
            format!("$ref not followed: {error}"),
        );
    }
    {
        let mut reporter = Reporter::new(file, settings, out);
        for rule in ALL_RULES {
            if settings.rules.is_enabled(rule.meta()) {
                rule.check_openapi(&spec, &mut reporter);
            }
        }
    }
    let first = out.endpoints.len();
    endpoints::report(&spec, out);
    // The path-shape rules are shared with the code analyzer and judge the
    // full paths, prefixes included.
    let described = out.endpoints[first..].to_vec();
    pab_core::report_path_style(file, settings, &described, out);
}

/// Whether the text starts (after comments and blank lines) the way a
/// description does, for deciding whether a parse error is ours to report.
fn looks_like_description_start(text: &str) -> bool {
    text.lines()
        .map(str::trim_start)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .take(3)
        .any(|l| {
            let l = l.trim_start_matches(['{', '"', '\'', ' ']);
            l.starts_with("openapi") || l.starts_with("swagger")
        })
}

/// The version the document declares: `None` when it declares none (not
/// a description), `Some(None)` when it declares one this crate does not
/// know (a note says so).
fn detect_version(
    file: &SourceFile,
    root: &Node,
    out: &mut Diagnostics,
) -> Option<Option<Version>> {
    let (key, value) = root.entry("openapi").or_else(|| root.entry("swagger"))?;
    let text = value.scalar_text().unwrap_or_default();
    let is_swagger = key.as_str() == Some("swagger");
    let version = match (is_swagger, text.as_ref()) {
        (true, "2.0") => Some(Version::V2),
        (false, v) if v.starts_with("3.0.") || v == "3.0" => Some(Version::V30),
        (false, v) if v.starts_with("3.1.") || v == "3.1" => Some(Version::V31),
        _ => None,
    };
    if version.is_none() {
        out.note(
            file,
            Some(file.position(value.start).line),
            format!(
                "not reviewed: `{}: {text}` is not an OpenAPI version this tool reads (2.0, 3.0.x, 3.1.x); write one of those, or exclude the file",
                key.as_str().unwrap_or("openapi")
            ),
        );
    }
    Some(version)
}

/// Every operation of `paths`, in document order: those written in this
/// file (path items given as a `$ref` within it followed), and those of
/// path items in other files (see [`Spec::external_operations`]).
type Operations<'a> = (Vec<Operation<'a>>, Vec<Operation<'a>>);

fn operations<'a>(root: &'a Node<'a>, docs: &'a Documents<'a>) -> Operations<'a> {
    let mut out = Vec::new();
    let mut external = Vec::new();
    let Some(paths) = root.get("paths") else {
        return (out, external);
    };
    for (key, item) in paths.entries() {
        let Some(path) = key.as_str() else { continue };
        if path.starts_with("x-") {
            continue;
        }
        let (doc, item) = match docs.resolve(DocId::MAIN, item) {
            Ok(found) => found,
            Err(_) => continue,
        };
        let here = doc == DocId::MAIN;
        for (method_key, node) in item.entries() {
            let Some(method) = method_key
                .as_str()
                .and_then(|m| METHODS.iter().find(|x| **x == m))
            else {
                continue;
            };
            if !node.is_map() {
                continue;
            }
            let operation = Operation {
                path,
                path_key: key,
                path_item: item,
                method,
                key: if here { method_key } else { key },
                node,
                doc,
            };
            if here {
                out.push(operation);
            } else {
                external.push(operation);
            }
        }
    }
    (out, external)
}
