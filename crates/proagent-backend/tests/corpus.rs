//! No crash on real code: `review --select all` over the corpus of real code
//! bases that bench/corpus.py fetches from the package registries (Django,
//! Flask, FastAPI, requests, SQLAlchemy sdists from PyPI; express, fastify,
//! @nestjs/core, @nestjs/common, koa, hono from npm; gin and echo from
//! Debian's golang-*-dev packages; ~1.4 million lines, pinned versions).
//!
//! The download is cached under target/corpus (a second run fetches nothing;
//! a cold one takes about a minute with a warm pip cache, a few minutes
//! without). The review itself takes ~20 s with the debug binary when every
//! rule is linear in the file (~7 s release); a rule that rescans the file
//! per call shows up here first (one did: 200 s in debug). It asserts:
//! - the process exits 0 or 1 (never 2, never a signal) within the time bound,
//!   prints nothing that looks like a panic, and its JSON report parses;
//! - every code file under the corpus is accounted for: reviewed (or skipped
//!   with a per-file note: generated, minified), or under a third-party
//!   directory named in a note. Hidden files and directories (`.name`) are
//!   left out by the directory walk by design, as by git-aware tools;
//! - every error and note names a path in the corpus and says something.
//!
//! Set PAB_SKIP_CORPUS=1 to skip it on a machine without network access.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Generous for the debug binary on a loaded 2-core machine; a hang or a
/// quadratic blow-up fails instead of blocking CI.
const REVIEW_TIME_LIMIT: Duration = Duration::from_secs(600);

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => repo().join(d),
        None => repo().join("target"),
    }
}

/// Files some analyzer reviews (by name: code, SQL, API descriptions and
/// contracts) under `root`, relative, `/`-separated; hidden files and
/// directories are left out, as the review's walk does.
fn code_files(root: &Path) -> BTreeSet<String> {
    let engine = proagent_backend::engine();
    let mut out = BTreeSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let ty = entry.file_type().unwrap();
            if ty.is_dir() {
                stack.push(entry.path());
            } else if ty.is_file() && engine.reviews(&entry.path()) {
                let rel = entry.path().strip_prefix(root).unwrap().to_path_buf();
                out.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out
}

#[test]
fn review_all_rules_over_the_real_code_corpus_never_crashes() {
    if std::env::var_os("PAB_SKIP_CORPUS").is_some_and(|v| v == "1") {
        eprintln!("PAB_SKIP_CORPUS=1: corpus test skipped");
        return;
    }
    let dest = target_dir().join("corpus");
    let fetch = Command::new("python3")
        .arg(repo().join("bench/corpus.py"))
        .arg("--dest")
        .arg(&dest)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .expect("python3 runs bench/corpus.py");
    assert!(
        fetch.status.success(),
        "bench/corpus.py could not fetch the corpus (network to PyPI, npm and Debian is needed; \
         PAB_SKIP_CORPUS=1 skips this test)"
    );
    let src = dest.join("src");
    let files = code_files(&src);
    assert!(
        files.len() > 5000,
        "only {} code files in {}",
        files.len(),
        src.display()
    );

    let out_path = dest.join("review.json");
    let err_path = dest.join("review.err");
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_proagent-backend"))
        .args([
            "review",
            "--select",
            "all",
            "--format",
            "json",
            "--no-progress",
            ".",
        ])
        .current_dir(&src)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > REVIEW_TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("review of the corpus took over {REVIEW_TIME_LIMIT:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let elapsed = started.elapsed();
    let stderr = std::fs::read_to_string(&err_path).unwrap_or_default();
    assert!(
        matches!(status.code(), Some(0 | 1)),
        "review exited with {status:?} (0 or 1 expected); stderr:\n{stderr}"
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "a panic was printed:\n{stderr}"
    );
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&out_path).unwrap())
        .expect("the JSON report parses");

    // Accounting: summary.files counts the files looked at (reviewed, or
    // skipped with a per-file note); third-party directories are named once
    // with their file count.
    let notes = report["notes"].as_array().unwrap();
    let errors = report["errors"].as_array().unwrap();
    let mut third_party = 0usize;
    let mut third_party_dirs = Vec::new();
    for note in notes.iter().chain(errors) {
        let path = note["path"]
            .as_str()
            .expect("every note and error names a path");
        let message = note["message"].as_str().unwrap_or_default();
        assert!(message.len() > 10, "an empty message: {note}");
        let rel = path.trim_start_matches("./");
        if message.starts_with("not reviewed: third-party code") {
            let n: usize = message
                .split('(')
                .nth(1)
                .and_then(|s| s.split(' ').next())
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| panic!("a third-party note without a count: {message}"));
            third_party += n;
            third_party_dirs.push(format!("{rel}/"));
        } else {
            assert!(
                files.contains(rel),
                "a note or error on a path that is not a corpus code file: {note}"
            );
        }
    }
    let under_third_party = files
        .iter()
        .filter(|f| third_party_dirs.iter().any(|d| f.starts_with(d.as_str())))
        .count();
    assert_eq!(under_third_party, third_party, "third-party note counts");
    let looked_at = report["summary"]["files"].as_u64().unwrap() as usize;
    assert_eq!(
        looked_at + third_party,
        files.len(),
        "files neither reviewed nor reported: {} code files, {looked_at} looked at, {third_party} third-party",
        files.len()
    );
    for f in report["findings"].as_array().unwrap() {
        let rel = f["path"].as_str().unwrap().trim_start_matches("./");
        assert!(files.contains(rel), "a finding outside the corpus: {f}");
    }

    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for f in report["findings"].as_array().unwrap() {
        *by_rule.entry(f["rule"].as_str().unwrap()).or_default() += 1;
    }
    eprintln!(
        "corpus: {} code files, {looked_at} looked at, {third_party} third-party, {} notes, {} errors, \
         exit {:?}, {:.1} s; findings per rule: {by_rule:?}",
        files.len(),
        notes.len(),
        errors.len(),
        status.code(),
        elapsed.as_secs_f64()
    );
}
