//! PostgreSQL analysis: migrations (locking and rewrite hazards), schema
//! design and query safety, on the real grammar via pg_query.
//!
//! A file is split into statements by a fast splitter, each statement is
//! classified by its leading words, and only the kinds some enabled rule (or
//! the file context) reads are parsed, in parallel. Rules then run in file
//! order with a [`context::Context`] that knows what came before.

pub mod ast;
pub mod classify;
pub mod context;
pub mod dialect;
pub mod lexer;
pub mod parse;
pub mod rule;
pub mod split;
pub mod stmt;

/// The generated registry: one module per file under src/rules/<area>/.
#[allow(clippy::module_inception)]
pub mod rules {
    include!(concat!(env!("OUT_DIR"), "/registry.rs"));
}

use classify::{classify, StmtKind};
use context::{Context, CONTEXT_KINDS};
use pab_core::{Analyzer, Diagnostics, Language, RuleMeta, Settings, SourceFile};
use parse::{parse_statement, SyntaxError};
use rayon::prelude::*;
use rule::{Reporter, SqlRule};
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use stmt::Stmt;

/// Reviews `.sql` files.
#[derive(Default)]
pub struct SqlAnalyzer {
    memo: Option<TreeMemo>,
}

impl SqlAnalyzer {
    /// An analyzer that keeps the parse trees of the last file it analyzed
    /// and reuses them for statements whose text has not changed. The edit
    /// hook reviews a file before and after an edit: the two versions share
    /// all but a few statements, and parsing is most of a review's cost.
    /// Memory stays bounded by one file's trees.
    pub fn reusing_last_trees() -> SqlAnalyzer {
        SqlAnalyzer {
            memo: Some(TreeMemo::default()),
        }
    }
}

/// Parse trees by statement text (placeholders already replaced), for the
/// statements of the last file analyzed.
#[derive(Default)]
struct TreeMemo {
    last: Mutex<HashMap<Box<str>, Arc<Tree>>>,
}

const EXTENSIONS: &[&str] = &["sql", "psql", "pgsql"];

/// `query/*` rules that need to know they are in a migration file, so never
/// run on a query embedded in code.
const FILE_CONTEXT_QUERY_RULES: &[&str] = &["query/unbounded-select-in-migration"];

impl Analyzer for SqlAnalyzer {
    fn name(&self) -> &'static str {
        "sql"
    }

    fn rules(&self) -> Vec<&'static RuleMeta> {
        rules::ALL_RULES.iter().map(|r| r.meta()).collect()
    }

    fn accepts(&self, path: &Path) -> bool {
        path.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
    }

    fn language(&self, _path: &Path) -> Option<Language> {
        Some(Language::Sql)
    }

    /// Queries embedded in code are single statements without a file around
    /// them: the `query/*` rules read one statement and apply; migration and
    /// schema rules reason about a migration file (what it created, its
    /// transaction, the order of its statements) and would guess.
    fn fragment_rules(&self, language: Language) -> Vec<&'static RuleMeta> {
        if language != Language::Sql {
            return Vec::new();
        }
        rules::ALL_RULES
            .iter()
            .map(|r| r.meta())
            .filter(|m| m.area() == "query" && !FILE_CONTEXT_QUERY_RULES.contains(&m.id))
            .collect()
    }

    fn analyze(&self, file: &SourceFile, settings: &Settings, out: &mut Diagnostics) {
        // A query embedded in code carries its host's path: only files are
        // judged as a whole (an embedded string in another dialect already
        // fails to parse and is counted as unreadable by the engine).
        if self.accepts(Path::new(&file.path)) {
            if let Some(d) = dialect::other_dialect(&file.text) {
                out.note(
                    file,
                    Some(file.position(d.offset).line),
                    format!(
                        "not reviewed: not PostgreSQL (looks like {}: {}); the PostgreSQL rules do not apply to it",
                        d.database, d.evidence
                    ),
                );
                return;
            }
        }
        let Some(memo) = &self.memo else {
            analyze(file, settings, &HashMap::new(), None, out);
            return;
        };
        // Taken out, not borrowed: concurrent analyses stay correct (one of
        // them just parses everything) and the lock is never held long.
        let previous = std::mem::take(&mut *memo.last.lock().unwrap_or_else(|e| e.into_inner()));
        let mut current = HashMap::new();
        analyze(file, settings, &previous, Some(&mut current), out);
        *memo.last.lock().unwrap_or_else(|e| e.into_inner()) = current;
    }
}

/// Replaces placeholders with text of the same length that parses where
/// they stand, so that offsets in the parse tree still match the file:
/// `@name@` becomes the identifier `_name_`, `%(name)s` and `%s` a `$1`
/// parameter padded with spaces.
fn parsable_text<'a>(file_text: &'a str, raw: &split::RawStatement) -> Cow<'a, str> {
    let (text, start, placeholders) =
        (&file_text[raw.start..raw.end], raw.start, &raw.placeholders);
    if placeholders.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut owned = text.to_string();
    for &(a, b) in placeholders {
        let (a, b) = (a - start, b - start);
        if owned.as_bytes()[a] == b'@' {
            owned.replace_range(a..a + 1, "_");
            owned.replace_range(b - 1..b, "_");
        } else {
            let replacement = format!("{:<width$}", "$1", width = b - a);
            owned.replace_range(a..b, &replacement);
        }
    }
    Cow::Owned(owned)
}

/// A statement's tree (absent for a statement with no tree, like an empty
/// one) or why it did not parse.
type Tree = Result<Option<pg_query::NodeEnum>, SyntaxError>;

/// A statement's parse: `None` when no enabled rule reads its kind.
type Parsed = Option<Arc<Tree>>;

/// Statements parsed and checked together. Bounding the batch bounds memory:
/// parse trees are dropped as soon as the rules have read them.
const BATCH: usize = 512;

/// Statements with an unknown leading keyword are always parsed, so that a
/// typo is reported even when no rule reads that kind.
const ALWAYS_PARSED: &[StmtKind] = &[StmtKind::Other];

/// `known` holds trees to reuse by statement text; `remember`, when given,
/// receives every tree of this file for the next call.
fn analyze(
    file: &SourceFile,
    settings: &Settings,
    known: &HashMap<Box<str>, Arc<Tree>>,
    mut remember: Option<&mut HashMap<Box<str>, Arc<Tree>>>,
    out: &mut Diagnostics,
) {
    let split = split::split(&file.text);
    if let Some(&first) = split.meta_commands.first() {
        out.note(
            file,
            Some(file.position(first).line),
            format!(
                "skipped {} psql meta-command line(s) such as `{}`: they are psql's, not SQL",
                split.meta_commands.len(),
                file.line_text(file.position(first).line)
                    .trim()
                    .chars()
                    .take(40)
                    .collect::<String>()
            ),
        );
    }
    let placeholder_count: usize = split.statements.iter().map(|s| s.placeholders.len()).sum();
    if placeholder_count > 0 {
        out.note(
            file,
            None,
            format!(
                "read {placeholder_count} placeholder(s) such as `@extschema@` or `%(name)s` as identifiers or parameters"
            ),
        );
    }
    let enabled: Vec<&dyn SqlRule> = rules::ALL_RULES
        .iter()
        .copied()
        .filter(|r| settings.rules.is_enabled(r.meta()))
        .collect();
    let mut wanted: Vec<StmtKind> = [CONTEXT_KINDS, ALWAYS_PARSED].concat();
    for r in &enabled {
        wanted.extend_from_slice(r.kinds());
    }
    wanted.sort();
    wanted.dedup();
    let kinds: Vec<StmtKind> = split
        .statements
        .iter()
        .map(|s| classify(&s.words))
        .collect();
    let parse_one = |(raw, kind): (&split::RawStatement, &StmtKind)| {
        if wanted.binary_search(kind).is_err() {
            return None;
        }
        let text = parsable_text(&file.text, raw);
        Some(match known.get(text.as_ref()) {
            Some(tree) => Arc::clone(tree),
            None => Arc::new(parse_statement(&text)),
        })
    };
    let changes_schema = kinds.iter().any(|k| {
        matches!(
            k,
            StmtKind::AlterTable
                | StmtKind::CreateTable
                | StmtKind::CreateIndex
                | StmtKind::DropTable
                | StmtKind::DropIndex
        )
    });
    let mut cx = Context::new(file, settings, changes_schema);
    let mut reporter = Reporter::new(out);
    let parse_batch = |i: usize, parallel: bool| -> Vec<Parsed> {
        let range = i * BATCH..((i + 1) * BATCH).min(kinds.len());
        let (raws, kinds) = (&split.statements[range.clone()], &kinds[range]);
        if parallel {
            raws.par_iter()
                .zip(kinds.par_iter())
                .map(parse_one)
                .collect()
        } else {
            raws.iter().zip(kinds.iter()).map(parse_one).collect()
        }
    };
    let batches = kinds.len().div_ceil(BATCH);
    // Parallel parsing pays off only for big files; small ones stay on this
    // thread, as files are already reviewed in parallel. In big files the
    // next batch is parsed while the rules read the current one.
    let parallel = split.statements.len() > 64;
    let mut parsed = parse_batch(0, parallel);
    for i in 0..batches {
        let mut check_batch = || {
            let start = i * BATCH;
            for (j, parsed) in parsed.iter().enumerate() {
                let raw = &split.statements[start + j];
                if let (Some(memory), Some(tree)) = (remember.as_deref_mut(), parsed) {
                    memory.insert(parsable_text(&file.text, raw).into(), Arc::clone(tree));
                }
                check_statement(
                    file,
                    raw,
                    kinds[start + j],
                    parsed,
                    &enabled,
                    &mut cx,
                    &mut reporter,
                );
            }
        };
        let next = if i + 1 == batches {
            check_batch();
            Vec::new()
        } else if parallel {
            rayon::join(check_batch, || parse_batch(i + 1, true)).1
        } else {
            check_batch();
            parse_batch(i + 1, false)
        };
        parsed = next;
    }
    for rule in &enabled {
        rule.finish(&cx, &mut reporter);
    }
}

/// Reports a statement's syntax error, or runs the rules that read its kind,
/// then lets the context learn from it.
fn check_statement(
    file: &SourceFile,
    raw: &split::RawStatement,
    kind: StmtKind,
    parsed: &Parsed,
    enabled: &[&dyn SqlRule],
    cx: &mut Context,
    reporter: &mut Reporter,
) {
    let node = match parsed.as_deref() {
        Some(Ok(node)) => node.as_ref(),
        Some(Err(e)) => {
            let first_line = file.line_text(file.position(raw.start).line).trim();
            reporter.out.error(
                file,
                Some(raw.start + e.offset),
                format!(
                    "{} (statement starting `{}`); this statement is skipped, the rest of the file is checked",
                    e.message,
                    first_line.chars().take(40).collect::<String>()
                ),
            );
            None
        }
        None => None,
    };
    let stmt = Stmt {
        kind,
        start: raw.start,
        text: &file.text[raw.start..raw.end],
        words: &raw.words,
        node,
        token_cache: Default::default(),
    };
    reporter.anchor = stmt.range();
    for rule in enabled {
        if rule.kinds().contains(&kind) {
            rule.check(&stmt, cx, reporter);
        }
    }
    cx.observe(&stmt);
}
