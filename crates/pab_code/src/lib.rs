//! Backend code review for Python, JavaScript, TypeScript (TSX included)
//! and Go: one tree-sitter parse per file, one walk that collects what the
//! rules read, a light intra-procedural data flow (which values come from
//! the request, which are constant), and rules in src/rules/<area>/.
//!
//! Constant SQL passed to query calls is handed to the engine as embedded
//! fragments, so the PostgreSQL analyzer checks it without this crate
//! knowing that analyzer (see [`embedded`]).

pub mod context;
pub mod embedded;
pub mod endpoints;
pub mod flow;
pub mod lang;
pub mod literal;
pub mod names;
pub mod prefilter;
pub mod rule;
pub mod sinks;

/// The generated registry: one module per file under src/rules/<area>/.
#[allow(clippy::module_inception)]
pub mod rules {
    include!(concat!(env!("OUT_DIR"), "/registry.rs"));
}

use context::FileContext;
use lang::Lang;
use pab_core::{Analyzer, Diagnostics, Language, RuleMeta, Settings, SourceFile};
use rule::{CodeRule, Reporter};
use std::cell::RefCell;
use std::path::Path;

/// Reviews `.py`, `.js`/`.mjs`/`.cjs`/`.jsx`, `.ts`/`.mts`/`.cts`, `.tsx`
/// and `.go` files.
#[derive(Default)]
pub struct CodeAnalyzer;

impl Analyzer for CodeAnalyzer {
    fn name(&self) -> &'static str {
        "code"
    }

    fn rules(&self) -> Vec<&'static RuleMeta> {
        rules::ALL_RULES.iter().map(|r| r.meta()).collect()
    }

    fn accepts(&self, path: &Path) -> bool {
        Lang::from_path(path).is_some()
    }

    fn third_party_dir(&self, name: &str) -> bool {
        VENDORED_DIRS.contains(&name)
    }

    fn language(&self, path: &Path) -> Option<Language> {
        Lang::from_path(path).map(Lang::language)
    }

    fn analyze(&self, file: &SourceFile, settings: &Settings, out: &mut Diagnostics) {
        review(file, settings, out, true);
    }
}

impl CodeAnalyzer {
    /// [`Analyzer::analyze`] without the text pre-filter: every enabled
    /// rule runs on every file (for the test that the pre-filter changes
    /// no result).
    pub fn analyze_unfiltered(
        &self,
        file: &SourceFile,
        settings: &Settings,
        out: &mut Diagnostics,
    ) {
        review(file, settings, out, false);
    }
}

fn review(file: &SourceFile, settings: &Settings, out: &mut Diagnostics, prefilter: bool) {
    let Some(lang) = Lang::from_path(Path::new(&file.path)) else {
        return;
    };
    if let Some(reason) = skip_reason(&file.path, &file.text) {
        out.note(file, None, format!("not reviewed: {reason}"));
        return;
    }
    let enabled: Vec<&dyn CodeRule> = rules::ALL_RULES
        .iter()
        .copied()
        .filter(|r| settings.rules.is_enabled(r.meta()) && r.languages().contains(&lang.language()))
        .collect();
    let framework = endpoints::mentions_framework(lang, &file.text);
    let (enabled, needs_tree) = if prefilter {
        prefilter::select(lang, file, enabled, framework)
    } else {
        (enabled, true)
    };
    // No rule, query or route could come of the parse: skip it (and with
    // it the syntax-error note, which is about findings a broken construct
    // may hide).
    if !needs_tree {
        return;
    }
    let Some(tree) = parse(lang, &file.text) else {
        out.error(
            file,
            None,
            "the parser gave up on this file; it was not reviewed",
        );
        return;
    };
    let root = tree.root_node();
    if root.has_error() {
        let line = first_error(root).map(|n| file.position(n.start_byte()).line);
        out.note(
                file,
                line,
                "syntax errors here: the parts of the file that parse were reviewed, the broken construct may hide findings",
            );
    }
    let mut kinds: Vec<&'static str> = enabled
        .iter()
        .flat_map(|r| r.node_kinds())
        .copied()
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    let cx = FileContext::new(file, settings, lang, root, &kinds, framework);
    let mut reporter = Reporter { out };
    for rule in &enabled {
        rule.check(&cx, &mut reporter);
    }
    let routes = cx.routes();
    if !routes.is_empty() {
        let endpoints: Vec<pab_core::Endpoint> =
            routes.iter().map(|r| r.endpoint.clone()).collect();
        if settings.api_version_prefix.is_some() && routes.iter().any(|r| !r.rooted) {
            // A router mounted from another file has a prefix this file
            // does not show: its paths are judged for their shape, never
            // for a missing version prefix.
            let (rooted, partial): (Vec<_>, Vec<_>) =
                routes.iter().zip(&endpoints).partition(|(r, _)| r.rooted);
            let rooted: Vec<_> = rooted.into_iter().map(|(_, e)| e.clone()).collect();
            let partial: Vec<_> = partial.into_iter().map(|(_, e)| e.clone()).collect();
            pab_core::report_path_style(file, settings, &rooted, out);
            let unprefixed = Settings {
                api_version_prefix: None,
                ..settings.clone()
            };
            pab_core::report_path_style(file, &unprefixed, &partial, out);
        } else {
            pab_core::report_path_style(file, settings, &endpoints, out);
        }
        out.endpoints.extend(endpoints);
    }
    out.mounts.extend(endpoints::mounts(&cx));
    embedded::queue_fragments(&cx, out);
}

thread_local! {
    /// One parser per thread: files are reviewed in parallel, and a parser
    /// keeps allocations across files.
    static PARSER: RefCell<tree_sitter::Parser> = RefCell::new(tree_sitter::Parser::new());
}

/// Parses a file; `None` only when tree-sitter refuses (it recovers from
/// syntax errors, so that is not one).
pub fn parse(lang: Lang, text: &str) -> Option<tree_sitter::Tree> {
    PARSER.with(|parser| {
        let mut parser = parser.borrow_mut();
        parser.set_language(&lang.grammar()).ok()?;
        parser.parse(text, None)
    })
}

/// The first node tree-sitter could not fit into the grammar, by a walk
/// that only enters subtrees that contain one.
fn first_error(root: tree_sitter::Node) -> Option<tree_sitter::Node> {
    let mut node = root;
    'down: loop {
        if node.is_error() || node.is_missing() {
            return Some(node);
        }
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            if child.has_error() || child.is_missing() {
                node = child;
                continue 'down;
            }
        }
        return Some(node);
    }
}

/// Directories of code that is not the project's own.
const VENDORED_DIRS: &[&str] = &["node_modules", "vendor", "bower_components"];

/// File name endings of bundled or minified output.
const BUILT_SUFFIXES: &[&str] = &[".min.js", ".min.mjs", ".min.cjs", "-min.js", ".bundle.js"];

/// A line this long is not written by hand.
const MAX_LINE_BYTES: usize = 5_000;

/// Over a file of some size, an average line this long means minified code.
const MAX_AVERAGE_LINE_BYTES: usize = 300;

/// Why a file is not reviewed: vendored, built or generated code, which is
/// not the project's to fix and would bury its findings.
pub fn skip_reason(path: &str, text: &str) -> Option<String> {
    let normalized = path.replace('\\', "/");
    if let Some(dir) = normalized
        .split('/')
        .find(|part| VENDORED_DIRS.contains(part))
    {
        return Some(format!("third-party code under `{dir}/`"));
    }
    let lower = normalized.to_ascii_lowercase();
    if let Some(suffix) = BUILT_SUFFIXES.iter().find(|s| lower.ends_with(*s)) {
        return Some(format!(
            "bundled or minified output (`*{suffix}`); review its source instead"
        ));
    }
    let head: String = text.lines().take(5).collect::<Vec<_>>().join("\n");
    if (head.contains("Code generated") && head.contains("DO NOT EDIT"))
        || head.contains("@generated")
    {
        return Some("generated code (its header says so); review its generator instead".into());
    }
    let longest = text.lines().map(str::len).max().unwrap_or(0);
    if longest > MAX_LINE_BYTES {
        return Some(format!(
            "looks minified (a line of {longest} bytes); review its source instead"
        ));
    }
    let lines = text.lines().count().max(1);
    if text.len() > 4 * MAX_AVERAGE_LINE_BYTES && text.len() / lines > MAX_AVERAGE_LINE_BYTES {
        return Some(format!(
            "looks minified ({} bytes per line on average); review its source instead",
            text.len() / lines
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::skip_reason;

    #[test]
    fn vendored_built_and_generated_files_are_skipped() {
        assert!(skip_reason("web/node_modules/x/index.js", "").is_some());
        assert!(skip_reason("vendor/github.com/x/y.go", "").is_some());
        assert!(skip_reason("static/app.min.js", "").is_some());
        assert!(skip_reason(
            "a.go",
            "// Code generated by protoc-gen-go. DO NOT EDIT.\npackage a\n"
        )
        .is_some());
        assert!(skip_reason("a.js", &"x".repeat(6000)).is_some());
        assert!(skip_reason("a.py", &format!("{}\n", "y".repeat(400)).repeat(10)).is_some());
        assert!(skip_reason("app/vendors.py", "import os\n").is_none());
        assert!(skip_reason(
            "app/views.py",
            "# Generated by Django 4.2\nfrom django.db import migrations\n"
        )
        .is_none());
    }
}
