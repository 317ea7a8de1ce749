//! The text pre-filter (src/prefilter.rs) only skips work whose result
//! would be empty: every fixture of every rule, reviewed with all rules on,
//! gets the same findings, embedded queries, endpoints and notes with and
//! without it, under its own path and under a test path (where the rules
//! that skip test code are not run at all).

use pab_code::lang::Lang;
use pab_code::rules::ALL_RULES;
use pab_code::CodeAnalyzer;
use pab_core::{Analyzer, Diagnostics, Engine, SourceFile};
use pab_testkit::{files_under, settings_for};
use std::path::Path;

/// What a review produced, in a comparable form.
fn summary(d: &Diagnostics) -> Vec<String> {
    let mut out: Vec<String> = d
        .findings
        .iter()
        .map(|f| format!("finding {} {:?} {}", f.rule, f.span, f.message))
        .collect();
    out.extend(
        d.fragments
            .iter()
            .map(|f| format!("fragment {:?} {:?} {}", f.anchor, f.map, f.text)),
    );
    out.extend(d.endpoints.iter().map(|e| format!("endpoint {e:?}")));
    out.extend(d.notes.iter().map(|n| format!("note {n:?}")));
    out.extend(d.errors.iter().map(|e| format!("error {e:?}")));
    out
}

#[test]
fn the_prefilter_changes_no_result() {
    let engine = Engine::new(vec![Box::new(CodeAnalyzer)]);
    let settings = settings_for(&engine, &["all"]);
    let files: Vec<_> = files_under(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"))
        .into_iter()
        .filter(|p| Lang::from_path(p).is_some())
        .collect();
    assert!(files.len() > ALL_RULES.len(), "{} fixtures", files.len());
    let analyzer = CodeAnalyzer;
    let mut findings = 0;
    let mut problems = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for shown in [name.clone(), format!("tests/{name}")] {
            let file = SourceFile::new(shown.clone(), text.clone());
            let mut filtered = Diagnostics::default();
            analyzer.analyze(&file, &settings, &mut filtered);
            let mut unfiltered = Diagnostics::default();
            analyzer.analyze_unfiltered(&file, &settings, &mut unfiltered);
            findings += unfiltered.findings.len();
            let (a, b) = (summary(&filtered), summary(&unfiltered));
            if a != b {
                problems.push(format!(
                    "{} as {shown}:\n  with the pre-filter:    {a:?}\n  without the pre-filter: {b:?}",
                    path.display()
                ));
            }
        }
    }
    assert!(findings > 0, "the fixtures must produce findings");
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// A file with nothing any rule reads is not parsed, and reviewing it
/// produces nothing, as before.
#[test]
fn a_file_no_rule_can_fire_on_is_skipped_quietly() {
    let engine = Engine::new(vec![Box::new(CodeAnalyzer)]);
    let settings = settings_for(&engine, &["all"]);
    let file = SourceFile::new(
        "lib/util.py".to_string(),
        "def add(a, b):\n    return a + b\n".to_string(),
    );
    let mut d = Diagnostics::default();
    CodeAnalyzer.analyze(&file, &settings, &mut d);
    assert!(summary(&d).is_empty(), "{:?}", summary(&d));
}
