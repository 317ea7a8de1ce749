//! The analysis run: read each file once, hand it to the analyzer that owns
//! its kind, apply suppressions, fingerprint, and collect everything, files in
//! parallel with rayon. Per-file failures become errors in the report; the run
//! always continues.

use crate::config::{absolute, CliOverrides, ConfigError, ConfigResolver, Settings};
use crate::discover::{discover, display_path};
use crate::endpoint::{Endpoint, Mount};
use crate::finding::{FileError, Finding, Note, Severity, Span};
use crate::registry::RuleRegistry;
use crate::rule::{Language, RuleMeta};
use crate::source::SourceFile;
use crate::{fingerprint, suppress};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Files larger than this are reported, not read: no migration or query file
/// is this big, and reading one would only exhaust memory.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// One language's analysis. Implementations live in their own crates.
pub trait Analyzer: Send + Sync {
    /// Short name for messages (`sql`).
    fn name(&self) -> &'static str;
    /// Every rule this analyzer can report.
    fn rules(&self) -> Vec<&'static RuleMeta>;
    /// Whether this analyzer reviews the file at `path`.
    fn accepts(&self, path: &Path) -> bool;
    /// Reviews one file. Never panics on bad input: problems with the file
    /// itself go to `out.errors`.
    fn analyze(&self, file: &SourceFile, settings: &Settings, out: &mut Diagnostics);
    /// The language of an accepted file, which decides the comment syntax
    /// of its suppressions; `None` accepts every comment syntax.
    fn language(&self, _path: &Path) -> Option<Language> {
        None
    }
    /// Whether a directory of this name holds third-party code (for code,
    /// `node_modules`, `vendor`): directory walks leave it out, with a note.
    fn third_party_dir(&self, _name: &str) -> bool {
        false
    }
    /// The rules that may run on an embedded fragment of `language` that
    /// another analyzer found (SQL in a Python string, say): those that make
    /// sense on one piece of text without its file's context. Empty (the
    /// default) when this analyzer does not review fragments of `language`.
    fn fragment_rules(&self, _language: Language) -> Vec<&'static RuleMeta> {
        Vec::new()
    }
    /// Compares the endpoints every analyzer reported in one run (routes in
    /// code, operations in API descriptions) and reports what disagrees
    /// (drift between a description and its implementation). Runs once per
    /// directory review, after every file; the default reports nothing.
    fn cross_check(&self, _endpoints: &[Endpoint], _out: &mut CrossFindings) {}
    /// The rules only [`Analyzer::cross_check`] reports. A file's own
    /// review cannot tell whether a suppression of one of them is used, so
    /// it never calls one unused.
    fn cross_check_rules(&self) -> Vec<&'static RuleMeta> {
        Vec::new()
    }
}

/// Findings of [`Analyzer::cross_check`], each on one endpoint's
/// declaration. The engine applies the declaring file's configuration and
/// suppressions to them, as to any other finding of that file.
#[derive(Debug, Default)]
pub struct CrossFindings {
    found: Vec<CrossFinding>,
}

#[derive(Debug)]
struct CrossFinding {
    rule: &'static RuleMeta,
    file: String,
    span: Span,
    message: String,
    help: String,
}

impl CrossFindings {
    /// Records a finding of `rule` on the declaration of `endpoint`.
    pub fn report(
        &mut self,
        rule: &'static RuleMeta,
        endpoint: &Endpoint,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.found.push(CrossFinding {
            rule,
            file: endpoint.file.clone(),
            span: endpoint.span,
            message: message.into(),
            help: help.into(),
        });
    }

    /// (rule id, file, message) of each finding, in the order reported.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str, &str)> {
        self.found
            .iter()
            .map(|f| (f.rule.id, f.file.as_str(), f.message.as_str()))
    }
}

/// Text of another language embedded in a host file (a SQL query in a
/// Python string literal), handed to the engine by the host's analyzer. The
/// engine reviews it with the analyzer that owns the language, restricted
/// to that analyzer's [`Analyzer::fragment_rules`], and reports the findings
/// on the host file: lines and columns through `map`, the host's
/// suppressions and fingerprints.
#[derive(Debug, Clone)]
pub struct Fragment {
    pub language: Language,
    pub text: String,
    /// Where each byte of `text` came from in the host file.
    pub map: OffsetMap,
    /// Host bytes of the construct the fragment belongs to (the call that
    /// runs the query), so that a suppression above it covers the findings.
    pub anchor: (usize, usize),
}

/// Maps byte offsets of a fragment's text back to the host file. Built piece
/// by piece as the host analyzer copies text out of literals: a piece of
/// verbatim text maps byte for byte, a decoded escape (`\n`) maps to where
/// the escape starts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    /// (fragment offset, host offset, length in the host) per piece, in
    /// fragment order.
    pieces: Vec<(usize, usize, usize)>,
    len: usize,
}

impl OffsetMap {
    /// Appends `text`, copied verbatim from host offset `host`.
    pub fn push_verbatim(&mut self, fragment: &mut String, text: &str, host: usize) {
        self.pieces.push((self.len, host, text.len()));
        fragment.push_str(text);
        self.len += text.len();
    }

    /// Appends one decoded character that stands for `host_len` host bytes
    /// starting at `host` (an escape sequence).
    pub fn push_decoded(&mut self, fragment: &mut String, c: char, host: usize, host_len: usize) {
        self.pieces.push((self.len, host, host_len));
        fragment.push(c);
        self.len += c.len_utf8();
    }

    /// The host offset of fragment offset `at` (the end of the last piece
    /// for offsets past the end).
    pub fn host_offset(&self, at: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.0 <= at);
        let Some(&(start, host, host_len)) = i.checked_sub(1).and_then(|i| self.pieces.get(i))
        else {
            return self.pieces.first().map_or(0, |p| p.1);
        };
        host + (at - start).min(host_len)
    }

    /// The host range of fragment range `start..end`: an end that falls
    /// right after a piece maps to the end of that piece, not to the start
    /// of the next one, which may be far away in the host.
    pub fn host_range(&self, start: usize, end: usize) -> (usize, usize) {
        let host_start = self.host_offset(start);
        let host_end = if end > start {
            self.host_offset(end - 1) + 1
        } else {
            host_start
        };
        (host_start, host_end.max(host_start))
    }
}

/// What an analyzer reports for one file.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub findings: Vec<Finding>,
    pub errors: Vec<FileError>,
    pub notes: Vec<Note>,
    /// Embedded text for the engine to review with another analyzer.
    pub fragments: Vec<Fragment>,
    /// HTTP endpoints the file declares (routes, described operations).
    pub endpoints: Vec<Endpoint>,
    /// Routers this file mounts from other files, at a prefix (see
    /// [`crate::endpoint::apply_mounts`]).
    pub mounts: Vec<Mount>,
}

impl Diagnostics {
    /// Records a finding of `rule` on bytes `range` of `file`, inside the
    /// construct at bytes `anchor` (the statement, for SQL).
    #[allow(clippy::too_many_arguments)]
    pub fn report(
        &mut self,
        file: &SourceFile,
        settings: &Settings,
        rule: &'static RuleMeta,
        range: (usize, usize),
        anchor: (usize, usize),
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let span = file.span(range.0, range.1);
        let anchor_span = file.span(anchor.0, anchor.1);
        self.findings.push(Finding {
            rule: rule.id,
            severity: settings.rules.severity_of(rule),
            path: file.path.clone(),
            anchor_lines: (anchor_span.start.line, anchor_span.end.line),
            excerpt: file.excerpt(&span),
            span,
            message: message.into(),
            help: help.into(),
            fingerprint: String::new(),
        });
    }

    pub fn error(&mut self, file: &SourceFile, offset: Option<usize>, message: impl Into<String>) {
        let pos = offset.map(|o| file.position(o));
        self.errors.push(FileError {
            path: file.path.clone(),
            line: pos.map(|p| p.line),
            column: pos.map(|p| p.column),
            message: message.into(),
        });
    }

    pub fn note(&mut self, file: &SourceFile, line: Option<u32>, message: impl Into<String>) {
        self.notes.push(Note {
            path: file.path.clone(),
            line,
            message: message.into(),
        });
    }
}

/// Everything one file produced, after suppressions.
#[derive(Debug, Default)]
pub struct FileOutcome {
    pub findings: Vec<Finding>,
    pub errors: Vec<FileError>,
    pub notes: Vec<Note>,
    pub endpoints: Vec<Endpoint>,
    pub mounts: Vec<Mount>,
}

/// The result of a whole run.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub errors: Vec<FileError>,
    pub notes: Vec<Note>,
    /// Every endpoint the reviewed files declare, by file and position.
    pub endpoints: Vec<Endpoint>,
    /// Files reviewed (read and handed to an analyzer).
    pub files: usize,
    pub duration: Duration,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub cli: CliOverrides,
    /// `--config FILE`: use this file for every path instead of discovery.
    pub config: Option<PathBuf>,
}

/// Callbacks for a progress display; both may be called from many threads.
pub trait Progress: Sync {
    fn start(&self, files: usize);
    fn file_done(&self);
}

/// A progress display that shows nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: usize) {}
    fn file_done(&self) {}
}

pub struct Engine {
    analyzers: Vec<Box<dyn Analyzer>>,
    registry: RuleRegistry,
    /// Ids of the rules reported across files ([`Analyzer::cross_check_rules`]).
    cross_rules: Vec<&'static str>,
}

impl Engine {
    pub fn new(analyzers: Vec<Box<dyn Analyzer>>) -> Engine {
        // The path-shape rules belong to no analyzer: code and API
        // descriptions both report them through `report_path_style`.
        let mut rules: Vec<&'static RuleMeta> = vec![&suppress::UNUSED_SUPPRESSION];
        rules.extend(crate::endpoint::path_style::RULES);
        for a in &analyzers {
            rules.extend(a.rules());
        }
        let cross_rules = analyzers
            .iter()
            .flat_map(|a| a.cross_check_rules())
            .map(|r| r.id)
            .collect();
        Engine {
            registry: RuleRegistry::new(rules),
            analyzers,
            cross_rules,
        }
    }

    pub fn registry(&self) -> &RuleRegistry {
        &self.registry
    }

    /// Whether some analyzer reviews files like `path` (by its name).
    pub fn reviews(&self, path: &Path) -> bool {
        self.analyzer_for(path).is_some()
    }

    fn analyzer_for(&self, path: &Path) -> Option<&dyn Analyzer> {
        self.analyzers
            .iter()
            .find(|a| a.accepts(path))
            .map(|a| a.as_ref())
    }

    /// Reviews files and directories. Fails only on configuration errors;
    /// everything that goes wrong with a single file is in the report.
    pub fn review_paths(
        &self,
        paths: &[PathBuf],
        options: &RunOptions,
        progress: &dyn Progress,
    ) -> Result<Report, ConfigError> {
        let started = Instant::now();
        let mut resolver = ConfigResolver::new(
            &self.registry,
            options.cli.clone(),
            options.config.as_deref(),
        )?;
        // Third-party directories (`node_modules`, `vendor`) inside the
        // walked trees are not the project's code: their files are left
        // out, and each such directory is named once in a note.
        let third_party: Mutex<BTreeMap<PathBuf, usize>> = Mutex::default();
        let found = discover(paths, &|p| {
            if self.analyzer_for(p).is_none() {
                return false;
            }
            match self.third_party_dir(paths, p) {
                Some(dir) => {
                    let mut dirs = third_party.lock().unwrap_or_else(|e| e.into_inner());
                    *dirs.entry(dir).or_default() += 1;
                    false
                }
                None => true,
            }
        });
        let mut report = Report {
            errors: found.errors,
            ..Report::default()
        };
        let third_party = third_party.into_inner().unwrap_or_else(|e| e.into_inner());
        for (dir, files) in third_party {
            report.notes.push(Note {
                path: display_path(&dir),
                line: None,
                message: format!(
                    "not reviewed: third-party code ({files} file(s)); review your own code, or pass this directory explicitly"
                ),
            });
        }
        // Configurations are resolved up front, in order, so that a broken
        // config fails the run before any work and always the same way.
        let mut jobs: Vec<(PathBuf, Arc<Settings>)> = Vec::with_capacity(found.files.len());
        for path in found.files {
            let abs = absolute(&path);
            let dir = abs.parent().unwrap_or(Path::new("/"));
            let config = resolver.for_dir(dir)?;
            if config.excludes(&abs) {
                continue;
            }
            jobs.push((path, config.settings_for(&abs)));
        }
        progress.start(jobs.len());
        let outcomes: Vec<(bool, FileOutcome)> = jobs
            .par_iter()
            .map(|(path, settings)| {
                let outcome = self.review_file(path, settings);
                progress.file_done();
                outcome
            })
            .collect();
        let mut mounts = Vec::new();
        for (reviewed, outcome) in outcomes {
            report.files += usize::from(reviewed);
            report.findings.extend(outcome.findings);
            report.errors.extend(outcome.errors);
            report.notes.extend(outcome.notes);
            report.endpoints.extend(outcome.endpoints);
            mounts.extend(outcome.mounts);
        }
        // Routes of a router another file mounts get that file's prefix.
        crate::endpoint::apply_mounts(&mut report.endpoints, &mounts);
        report
            .endpoints
            .sort_by(|a, b| (&a.file, a.span.start_byte).cmp(&(&b.file, b.span.start_byte)));
        if !report.endpoints.is_empty() {
            let settings: BTreeMap<String, &Arc<Settings>> = jobs
                .iter()
                .map(|(path, settings)| (display_path(path), settings))
                .collect();
            let findings = self.cross_check(&report.endpoints, &settings);
            report.findings.extend(findings);
        }
        report
            .errors
            .sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        report.duration = started.elapsed();
        Ok(report)
    }

    /// The outermost directory below the walked root that holds `file` and
    /// that an analyzer calls third-party ([`Analyzer::third_party_dir`]).
    /// A root named explicitly is the user's choice and never counts.
    fn third_party_dir(&self, roots: &[PathBuf], file: &Path) -> Option<PathBuf> {
        let root = roots
            .iter()
            .filter(|r| file.starts_with(r))
            .max_by_key(|r| r.components().count())?;
        let below = file.strip_prefix(root).ok()?.parent()?;
        let mut dir = root.clone();
        for part in below.components() {
            dir.push(part);
            let name = part.as_os_str().to_string_lossy();
            if self.analyzers.iter().any(|a| a.third_party_dir(&name)) {
                return Some(dir);
            }
        }
        None
    }

    /// Reads and reviews one file from disk; `false` when it could not be read.
    fn review_file(&self, path: &Path, settings: &Settings) -> (bool, FileOutcome) {
        let shown = display_path(path);
        let fail_at = |position: Option<(u32, u32)>, message: String| {
            (
                false,
                FileOutcome {
                    errors: vec![FileError {
                        path: shown.clone(),
                        line: position.map(|p| p.0),
                        column: position.map(|p| p.1),
                        message,
                    }],
                    ..FileOutcome::default()
                },
            )
        };
        let fail = |message: String| fail_at(None, message);
        if self.analyzer_for(path).is_none() {
            return fail(
                "not a kind of file proagent-backend reviews (expected .sql, .py, .js, .ts, .tsx or .go); pass a directory or a supported file"
                    .into(),
            );
        }
        match std::fs::metadata(path) {
            // A FIFO or device would block the read or never end.
            Ok(m) if !m.is_file() => {
                return fail("not a regular file (a pipe, socket or device); pass regular files or directories".into())
            }
            Ok(m) if m.len() > MAX_FILE_BYTES => {
                return fail(format!(
                    "file is {} MB, over the {} MB limit; exclude it in proagent-backend.toml (`exclude`) or split it",
                    m.len() / (1024 * 1024),
                    MAX_FILE_BYTES / (1024 * 1024)
                ))
            }
            Ok(_) => {}
            Err(e) => return fail(format!("cannot read the file: {e}")),
        }
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => return fail(format!("cannot read the file: {e}")),
        };
        match decode(&bytes) {
            Ok(text) => (true, self.review_source(&shown, text, settings)),
            Err((position, message)) => fail_at(position, message),
        }
    }

    /// The settings that govern one file, from the nearest configuration
    /// (or `options.config`); `None` when no analyzer reviews the file or the
    /// configuration excludes it.
    pub fn settings_for(
        &self,
        path: &Path,
        options: &RunOptions,
    ) -> Result<Option<Arc<Settings>>, ConfigError> {
        if self.analyzer_for(path).is_none() {
            return Ok(None);
        }
        let mut resolver = ConfigResolver::new(
            &self.registry,
            options.cli.clone(),
            options.config.as_deref(),
        )?;
        let abs = absolute(path);
        let config = resolver.for_dir(abs.parent().unwrap_or(Path::new("/")))?;
        Ok((!config.excludes(&abs)).then(|| config.settings_for(&abs)))
    }

    /// Reviews text that need not be on disk (the hook, the MCP server).
    pub fn review_source(&self, path: &str, text: String, settings: &Settings) -> FileOutcome {
        let file = SourceFile::new(path, text);
        let Some(analyzer) = self.analyzer_for(Path::new(path)) else {
            return FileOutcome::default();
        };
        let mut out = Diagnostics::default();
        analyzer.analyze(&file, settings, &mut out);
        let fragments = std::mem::take(&mut out.fragments);
        self.review_fragments(&file, fragments, settings, &mut out);
        let mut findings = out.findings;
        let unused_severity = settings
            .rules
            .is_enabled(&suppress::UNUSED_SUPPRESSION)
            .then(|| settings.rules.severity_of(&suppress::UNUSED_SUPPRESSION));
        let language = analyzer.language(Path::new(path));
        let extra = suppress::apply(
            &file,
            language,
            &mut findings,
            &self.registry,
            unused_severity,
            |r| settings.rules.is_enabled(r) && !self.cross_rules.contains(&r.id),
        );
        findings.extend(extra);
        findings.sort_by(by_position);
        fingerprint::assign(&mut findings, &file.text);
        FileOutcome {
            findings,
            errors: out.errors,
            notes: out.notes,
            endpoints: out.endpoints,
            mounts: out.mounts,
        }
    }

    /// Runs every analyzer's [`Analyzer::cross_check`] on the endpoints of
    /// a run, and turns what they report into findings of the declaring
    /// files: severity and selection from each file's settings, and the
    /// file's own suppressions (read again: files are not kept in memory
    /// during a run).
    fn cross_check(
        &self,
        endpoints: &[Endpoint],
        settings: &BTreeMap<String, &Arc<Settings>>,
    ) -> Vec<Finding> {
        let mut out = CrossFindings::default();
        for analyzer in &self.analyzers {
            analyzer.cross_check(endpoints, &mut out);
        }
        let mut by_file: BTreeMap<&str, Vec<&CrossFinding>> = BTreeMap::new();
        for found in &out.found {
            let enabled = settings
                .get(&found.file)
                .is_some_and(|s| s.rules.is_enabled(found.rule));
            if enabled {
                by_file.entry(&found.file).or_default().push(found);
            }
        }
        let mut findings = Vec::new();
        for (path, found) in by_file {
            // Read as the review read it (a byte-order mark dropped), so
            // that spans and fingerprints agree with the file's own findings.
            let Some(text) = std::fs::read(path).ok().and_then(|b| decode(&b).ok()) else {
                continue;
            };
            let file = SourceFile::new(path, text);
            let file_settings = settings[path];
            let mut file_findings: Vec<Finding> = found
                .into_iter()
                .map(|f| Finding {
                    rule: f.rule.id,
                    severity: file_settings.rules.severity_of(f.rule),
                    path: f.file.clone(),
                    anchor_lines: (f.span.start.line, f.span.end.line),
                    excerpt: file.excerpt(&f.span),
                    span: f.span,
                    message: f.message.clone(),
                    help: f.help.clone(),
                    fingerprint: String::new(),
                })
                .collect();
            let language = self
                .analyzer_for(Path::new(path))
                .and_then(|a| a.language(Path::new(path)));
            // Unused suppressions were reported with the file's own review.
            suppress::apply(
                &file,
                language,
                &mut file_findings,
                &self.registry,
                None,
                |r| file_settings.rules.is_enabled(r),
            );
            file_findings.sort_by(by_position);
            fingerprint::assign(&mut file_findings, &file.text);
            findings.extend(file_findings);
        }
        findings
    }
}

/// The analyzer that reviews one language's fragments, with the host's
/// settings restricted to its fragment rules.
type FragmentOwner<'a> = (&'a dyn Analyzer, Settings);

impl Engine {
    /// Reviews the fragments a host analyzer found and adds their findings
    /// to the host's, positioned in the host file. Fragment errors (text
    /// that does not parse: often another SQL dialect) are not the host
    /// file's errors; they are counted in one note. Fragments of fragments
    /// are not followed.
    fn review_fragments(
        &self,
        host: &SourceFile,
        fragments: Vec<Fragment>,
        settings: &Settings,
        out: &mut Diagnostics,
    ) {
        let mut restricted: Vec<(Language, Option<FragmentOwner>)> = Vec::new();
        let mut unreadable = 0usize;
        for fragment in fragments {
            let slot = match restricted.iter().position(|(l, _)| *l == fragment.language) {
                Some(i) => i,
                None => {
                    let owner = self.analyzers.iter().find_map(|a| {
                        let rules = a.fragment_rules(fragment.language);
                        // No enabled rule would read it: not worth a parse.
                        let any_enabled = rules.iter().any(|r| settings.rules.is_enabled(r));
                        any_enabled.then(|| {
                            let mut s = settings.clone();
                            s.rules = settings.rules.restricted_to(&rules);
                            (a.as_ref(), s)
                        })
                    });
                    restricted.push((fragment.language, owner));
                    restricted.len() - 1
                }
            };
            let Some((analyzer, fragment_settings)) = &restricted[slot].1 else {
                continue;
            };
            let file = SourceFile::new(host.path.clone(), fragment.text);
            let mut inner = Diagnostics::default();
            analyzer.analyze(&file, fragment_settings, &mut inner);
            unreadable += usize::from(!inner.errors.is_empty());
            let anchor_span = host.span(fragment.anchor.0, fragment.anchor.1);
            for mut f in inner.findings {
                let (start, end) = fragment.map.host_range(f.span.start_byte, f.span.end_byte);
                f.span = host.span(start, end);
                f.excerpt = host.excerpt(&f.span);
                f.anchor_lines = (anchor_span.start.line, anchor_span.end.line);
                out.findings.push(f);
            }
        }
        if unreadable > 0 {
            out.note(
                host,
                None,
                format!("{unreadable} embedded query string(s) did not parse as PostgreSQL (another dialect, or placeholders it does not know) and were not checked"),
            );
        }
    }
}

/// A file's findings in the order fingerprints are assigned and reports
/// list them: by position, then rule.
fn by_position(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    (a.span.start_byte, a.span.end_byte, a.rule).cmp(&(b.span.start_byte, b.span.end_byte, b.rule))
}

/// Text of a file, or why it cannot be reviewed as text (and where).
fn decode(bytes: &[u8]) -> Result<String, (Option<(u32, u32)>, String)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = &bytes[..bytes.len().min(8192)];
    if memchr::memchr(0, head).is_some() {
        return Err((
            None,
            "binary file (contains NUL bytes), not text; exclude it in proagent-backend.toml"
                .into(),
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&valid[line_start..])
                .chars()
                .count()
                + 1;
            Err((
                Some((line as u32, column as u32)),
                "not valid UTF-8 here; re-encode the file as UTF-8".into(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn offset_maps_follow_pieces_and_escapes() {
        use super::OffsetMap;
        // Host: `"SELECT 1\n" "FROM t"`; fragment: "SELECT 1\nFROM t".
        let mut text = String::new();
        let mut map = OffsetMap::default();
        map.push_verbatim(&mut text, "SELECT 1", 1);
        map.push_decoded(&mut text, '\n', 9, 2);
        map.push_verbatim(&mut text, "FROM t", 14);
        assert_eq!(text, "SELECT 1\nFROM t");
        assert_eq!(map.host_offset(0), 1);
        assert_eq!(map.host_offset(7), 8);
        assert_eq!(map.host_offset(8), 9);
        assert_eq!(map.host_offset(9), 14);
        assert_eq!(map.host_range(0, 8), (1, 9));
        assert_eq!(map.host_range(9, 15), (14, 20));
        assert_eq!(map.host_offset(100), 20);
    }

    #[test]
    fn decode_reports_where_utf8_breaks() {
        let (position, message) = decode(b"select 1;\nselect '\xff';").unwrap_err();
        assert_eq!(position, Some((2, 9)), "{message}");
        assert!(decode(b"\x00\x01")
            .unwrap_err()
            .1
            .starts_with("binary file"));
        assert_eq!(decode(b"\xEF\xBB\xBFselect 1;").unwrap(), "select 1;");
    }
}
