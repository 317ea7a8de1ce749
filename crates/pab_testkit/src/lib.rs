//! The test harness the analyzer crates share, so that their rule-fixture
//! and property tests check the same things in the same way instead of
//! each carrying a copy.
//!
//! Rule fixtures are annotated with marker comments; a marker is about the
//! next line of code after it:
//!
//! ```python
//! # expect: security/sql-injection
//! cursor.execute("SELECT * FROM t WHERE id = " + uid)
//! # ok: security/sql-injection
//! cursor.execute("SELECT * FROM t WHERE id = %s", (uid,))
//! ```
//!
//! An `expect` line must get a finding of that rule starting on it, an `ok`
//! line must get none, and a finding on any line without an `expect` marker
//! is a problem too. [`FixtureCheck`] runs a rule's fixtures through an
//! [`Engine`] and collects every such problem, so one test run reports all
//! of them at once; the caller snapshots what it returns (the snapshot
//! macros stay in the test file, so the snapshots keep their names and
//! directory).

use pab_core::{Engine, Finding, Settings};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What a marker comment asks for on the line of code it is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// A finding of the rule must start on the line.
    Expect,
    /// No finding of the rule may start on the line.
    Ok,
}

/// The markers of a fixture whose line comments start with `comment`:
/// (marker, rule id, 1-based line of the code it is about). One marker may
/// name several rules, comma-separated; consecutive markers are all about
/// the same next line of code (0 if there is none).
pub fn markers(text: &str, comment: &str) -> Vec<(Marker, String, u32)> {
    let lines: Vec<&str> = text.lines().collect();
    let parse = |line: &str| -> Option<(Marker, Vec<String>)> {
        let rest = line.trim().strip_prefix(comment)?.trim();
        let (marker, ids) = if let Some(ids) = rest.strip_prefix("expect:") {
            (Marker::Expect, ids)
        } else {
            (Marker::Ok, rest.strip_prefix("ok:")?)
        };
        Some((
            marker,
            ids.split(',').map(|s| s.trim().to_string()).collect(),
        ))
    };
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some((marker, ids)) = parse(line) else {
            continue;
        };
        let target = (i + 1..lines.len())
            .find(|&j| !lines[j].trim().is_empty() && parse(lines[j]).is_none())
            .map_or(0, |j| j as u32 + 1);
        for id in ids {
            out.push((marker, id, target));
        }
    }
    out
}

/// Findings as the plain text the snapshots hold, one after the other.
pub fn render(findings: &[Finding]) -> String {
    findings.iter().map(Finding::to_plain_text).collect()
}

/// Settings that enable exactly the rules `ids` (`["all"]` for every rule),
/// with the defaults the tests assume otherwise.
pub fn settings_for(engine: &Engine, ids: &[&str]) -> Settings {
    let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    Settings {
        rules: engine
            .registry()
            .rule_set(Some(&ids), &[], &BTreeMap::new())
            .unwrap(),
        postgres_version: 16,
        assume_in_transaction: false,
        api_version_prefix: None,
    }
}

/// Every file below `dir`, recursively, sorted (none if `dir` is missing:
/// [`FixtureCheck::rule`] reports a rule without fixtures).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

/// Reviews `text` as `path` and asserts that every finding's span lies
/// inside the text: what the property tests check of any input, since a
/// span outside it would break every report that quotes the source.
pub fn assert_spans_inside(engine: &Engine, settings: &Settings, path: &str, text: String) {
    let len = text.len();
    let outcome = engine.review_source(path, text, settings);
    for f in outcome.findings {
        assert!(
            f.span.start_byte <= f.span.end_byte && f.span.end_byte <= len,
            "{f:?}"
        );
        assert!(f.span.start.line >= 1 && f.span.start.column >= 1, "{f:?}");
    }
}

/// One fixture file of a rule.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// Where the file is.
    pub path: PathBuf,
    /// How problems name it, after the rule id.
    pub name: String,
    /// The path it is reviewed under (analyzers pick the language, and
    /// resolve references to other files, from it).
    pub review_as: String,
}

impl Fixture {
    /// A fixture named, and reviewed under, its path below `root`.
    pub fn below(root: &Path, path: PathBuf) -> Fixture {
        let name = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        Fixture {
            review_as: name.clone(),
            name,
            path,
        }
    }
}

/// Checks rules' fixtures against their markers with one engine, collecting
/// the problems; [`FixtureCheck::finish`] fails with all of them.
pub struct FixtureCheck<'a> {
    engine: &'a Engine,
    /// The line-comment prefix of a fixture's markers, from its path.
    comment: fn(&Path) -> &'static str,
    /// Whether each fixture needs both kinds of marker, or only the rule's
    /// fixtures together (when good and bad examples are separate files).
    both_markers_in_each_file: bool,
    problems: Vec<String>,
}

impl<'a> FixtureCheck<'a> {
    pub fn new(
        engine: &'a Engine,
        comment: fn(&Path) -> &'static str,
        both_markers_in_each_file: bool,
    ) -> Self {
        FixtureCheck {
            engine,
            comment,
            both_markers_in_each_file,
            problems: Vec::new(),
        }
    }

    /// Records a problem the caller found itself (a missing fixture
    /// language, empty docs), to be reported with the others.
    pub fn problem(&mut self, problem: String) {
        self.problems.push(problem);
    }

    /// Reviews each of `rule`'s fixtures with only that rule on, checks its
    /// findings against the markers for it, and returns each fixture with
    /// its findings of the rule, for the caller to snapshot.
    pub fn rule(&mut self, rule: &str, fixtures: Vec<Fixture>) -> Vec<(Fixture, Vec<Finding>)> {
        if fixtures.is_empty() {
            self.problems.push(format!("{rule}: no fixtures"));
        }
        let settings = settings_for(self.engine, &[rule]);
        let mut kinds = Vec::new();
        let mut out = Vec::new();
        for fixture in fixtures {
            let label = format!("{rule}/{}", fixture.name);
            let text = std::fs::read_to_string(&fixture.path)
                .unwrap_or_else(|e| panic!("{}: {e}", fixture.path.display()));
            let marks = markers(&text, (self.comment)(&fixture.path));
            let outcome = self
                .engine
                .review_source(&fixture.review_as, text, &settings);
            if !outcome.errors.is_empty() || !outcome.notes.is_empty() {
                self.problems.push(format!(
                    "{label}: fixtures must parse and be reviewed cleanly: {:?} {:?}",
                    outcome.errors, outcome.notes
                ));
            }
            let own: Vec<Finding> = outcome
                .findings
                .into_iter()
                .filter(|f| f.rule == rule)
                .collect();
            let mine: Vec<_> = marks.iter().filter(|(_, id, _)| id == rule).collect();
            if mine.is_empty() {
                self.problems
                    .push(format!("{label}: no markers for {rule}: it tests nothing"));
            }
            if self.both_markers_in_each_file {
                self.need_both_kinds(&label, mine.iter().map(|(m, _, _)| *m));
            }
            kinds.extend(mine.iter().map(|(m, _, _)| *m));
            for (marker, _, line) in &mine {
                let hits: Vec<Finding> = own
                    .iter()
                    .filter(|f| f.span.start.line == *line)
                    .cloned()
                    .collect();
                match marker {
                    Marker::Expect if hits.is_empty() => self
                        .problems
                        .push(format!("{label}:{line}: expected a finding, got none")),
                    Marker::Ok if !hits.is_empty() => self.problems.push(format!(
                        "{label}:{line}: expected no finding, got {}",
                        render(&hits)
                    )),
                    _ => {}
                }
            }
            for f in &own {
                let line = f.span.start.line;
                if !mine
                    .iter()
                    .any(|(m, _, l)| *m == Marker::Expect && *l == line)
                {
                    self.problems.push(format!(
                        "{label}:{line}: unexpected finding (add an `expect` marker or fix the rule): {}",
                        f.to_plain_text()
                    ));
                }
            }
            out.push((fixture, own));
        }
        if !self.both_markers_in_each_file {
            self.need_both_kinds(rule, kinds);
        }
        out
    }

    /// Bad code must come with its safe mirror and the other way round, so
    /// that a rule neither misses the one nor flags the other.
    fn need_both_kinds(&mut self, label: &str, kinds: impl IntoIterator<Item = Marker>) {
        let kinds: Vec<Marker> = kinds.into_iter().collect();
        for kind in [Marker::Expect, Marker::Ok] {
            if !kinds.contains(&kind) {
                self.problems.push(format!(
                    "{label}: needs `{kind:?}` markers: every bad line needs its safe mirror and the other way round"
                ));
            }
        }
    }

    /// Fails with every problem found, if any.
    pub fn finish(self) {
        assert!(self.problems.is_empty(), "\n{}", self.problems.join("\n"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_point_at_the_next_line_of_code() {
        let m = markers("# expect: a/b, c/d\n\n# ok: e/f\nx = 1\n", "#");
        assert_eq!(
            m,
            vec![
                (Marker::Expect, "a/b".to_string(), 4),
                (Marker::Expect, "c/d".to_string(), 4),
                (Marker::Ok, "e/f".to_string(), 4),
            ]
        );
    }

    #[test]
    fn markers_use_the_given_comment_prefix() {
        let m = markers("// ok: a/b\nx\n# expect: c/d\ny\n", "//");
        assert_eq!(m, vec![(Marker::Ok, "a/b".to_string(), 2)]);
    }
}
