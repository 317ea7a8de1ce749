//! Golden tests of `proagent-backend hook`: each tests/hook/<case>.json holds
//! the files on disk before the call (`files`; a string, or a byte array for
//! non-UTF-8 content) and the hook's stdin (`stdin`, with `$ROOT` for the
//! project directory). With `git`, the directory is a repository in which
//! the files listed there are committed, and `changes` are then written over
//! the working tree. A case of several calls lists them in `steps` instead
//! of `stdin`, each `{stdin, then_write?, then_git?}`: after the call,
//! `then_write` files are written (what the tool did) and `then_git` git
//! commands run. `env` sets environment variables. The binary runs on it for
//! real, with its session state in the case's own directory, and what it
//! prints on stdout and stderr, and its exit code, are the snapshot.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

fn run_case(path: &Path) -> String {
    let case: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    let state = dir.path().join("state");
    std::fs::create_dir_all(&project).unwrap();
    let root = project.to_str().unwrap();
    write_files(&project, &case["files"], path);
    if let Some(committed) = case["git"].as_array() {
        git(&project, &["init", "-q"]);
        for file in committed {
            git(&project, &["add", file.as_str().unwrap()]);
        }
        git(&project, &["commit", "-q", "--allow-empty", "-m", "before"]);
        write_files(&project, &case["changes"], path);
    }
    let steps = match case["steps"].as_array() {
        Some(steps) => steps.clone(),
        None => vec![serde_json::json!({"stdin": case["stdin"]})],
    };
    let mut results = Vec::new();
    for step in steps {
        let stdin = match &step["stdin"] {
            Value::String(raw) => raw.replace("$ROOT", root),
            v => v.to_string().replace("$ROOT", root),
        };
        let mut command = Command::cargo_bin("proagent-backend").unwrap();
        command
            .arg("hook")
            .current_dir(&project)
            .env("XDG_STATE_HOME", &state)
            .env_remove("PROAGENT_BACKEND_HOOK");
        for (k, v) in case["env"].as_object().into_iter().flatten() {
            command.env(k, v.as_str().unwrap());
        }
        let out = command.write_stdin(stdin).output().unwrap();
        let stdout = String::from_utf8(out.stdout)
            .unwrap()
            .replace(root, "$ROOT");
        let stdout = match serde_json::from_str::<Value>(&stdout) {
            Ok(v) => serde_json::to_string_pretty(&v).unwrap(),
            Err(_) => stdout,
        };
        let stderr = String::from_utf8(out.stderr)
            .unwrap()
            .replace(root, "$ROOT");
        results.push(format!(
            "exit: {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
            out.status.code()
        ));
        write_files(&project, &step["then_write"], path);
        for args in step["then_git"].as_array().into_iter().flatten() {
            let args: Vec<&str> = args
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap())
                .collect();
            git(&project, &args);
        }
    }
    results.join("\n---\n")
}

fn write_files(dir: &Path, files: &serde_json::Value, case: &Path) {
    for (name, content) in files.as_object().into_iter().flatten() {
        let file = dir.join(name);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        let bytes: Vec<u8> = match content {
            serde_json::Value::String(s) => s.clone().into_bytes(),
            serde_json::Value::Array(a) => a.iter().map(|b| b.as_u64().unwrap() as u8).collect(),
            other => panic!("{}: bad file content {other}", case.display()),
        };
        std::fs::write(file, bytes).unwrap();
    }
}

#[test]
fn golden_hook_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hook");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 10,
        "expected the golden cases in {}",
        dir.display()
    );
    for case in cases {
        let name = case.file_stem().unwrap().to_string_lossy().into_owned();
        let result = run_case(&case);
        assert!(
            result
                .lines()
                .filter(|l| l.starts_with("exit: "))
                .all(|l| l == "exit: Some(0)"),
            "{name}: the hook must always exit 0\n{result}"
        );
        insta::assert_snapshot!(name, result);
    }
}
