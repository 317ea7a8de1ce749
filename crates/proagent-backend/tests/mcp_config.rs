//! `plugin/.mcp.json` checked against what it names: each pinned package exists
//! at its version in its registry and is not deprecated, each stdio server that
//! can start without a real credential starts and answers `initialize` and
//! `tools/list` over stdio, no credential is written into the file, and the
//! engine's own server goes through the plugin's launcher.
//!
//! npx and uvx downloads are cached under target/mcp-config/, so a warm run
//! takes seconds. npm and uv (pip --user) come from scripts/bootstrap.

use serde_json::{json, Map, Value};
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The five servers of the 0.2.0 plugin, and the engine's own.
const SERVERS: [&str; 6] = [
    "proagent-backend",
    "github",
    "gitlab",
    "slack",
    "google-drive",
    "google-workspace",
];

/// The reference servers modelcontextprotocol/servers archived in 2025 (no
/// fixes, security ones included). npm marks server-github deprecated, but the
/// npm mirror of the machines this project is built on leaves `deprecated` out
/// of its answers, so these are refused by name.
const ARCHIVED: [&str; 4] = [
    "@modelcontextprotocol/server-github",
    "@modelcontextprotocol/server-gitlab",
    "@modelcontextprotocol/server-slack",
    "@modelcontextprotocol/server-gdrive",
];

/// A stdio server that starts without a real credential: the placeholder
/// environment it needs, and tools it must list (ones that appear only when the
/// settings in `.mcp.json` took effect).
struct Handshake {
    server: &'static str,
    placeholders: &'static [(&'static str, &'static str)],
    tools: &'static [&'static str],
}

const HANDSHAKES: [Handshake; 3] = [
    // Will not start without a token, but uses it only when a tool calls
    // GitLab. `list_pipelines` comes from the `pipelines` toolset, off by default.
    Handshake {
        server: "gitlab",
        placeholders: &[("GITLAB_PERSONAL_ACCESS_TOKEN", "glpat-placeholder")],
        tools: &["list_merge_requests", "list_pipelines"],
    },
    // Google OAuth happens on the first tool call, so these start bare.
    Handshake {
        server: "google-drive",
        placeholders: &[],
        tools: &["search_drive_files", "get_doc_content"],
    },
    Handshake {
        server: "google-workspace",
        placeholders: &[],
        tools: &["search_gmail_messages", "get_events"],
    },
];

/// Stdio servers that cannot start without a real credential: only their
/// package is checked.
const CREDENTIALED: [(&str, &str); 1] = [(
    "slack",
    "exits without a token, and with any token it calls Slack's auth.test before it answers",
)];

/// How long a server may take to answer, downloads included (a cold npx or uvx
/// cache needs about 15 s here; a warm one about 1 s for npx and 8 s for uvx).
const ANSWER_WITHIN: Duration = Duration::from_secs(300);

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn servers() -> Map<String, Value> {
    let path = repo().join("plugin/.mcp.json");
    let config: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    config["mcpServers"]
        .as_object()
        .expect("plugin/.mcp.json has an `mcpServers` object")
        .clone()
}

fn is_stdio(server: &Value) -> bool {
    matches!(
        server.get("type").and_then(Value::as_str),
        None | Some("stdio")
    )
}

/// Every string Claude Code expands variables in: command, args, env, url,
/// headers, with where it is for messages.
fn expandable(server: &Value) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    for field in ["command", "url"] {
        if let Some(s) = server[field].as_str() {
            out.push((field.to_string(), s));
        }
    }
    for (i, arg) in server["args"].as_array().into_iter().flatten().enumerate() {
        out.push((format!("args[{i}]"), arg.as_str().unwrap()));
    }
    for field in ["env", "headers"] {
        for (key, value) in server[field].as_object().into_iter().flatten() {
            out.push((format!("{field}.{key}"), value.as_str().unwrap()));
        }
    }
    out
}

/// The `${NAME}` and `${NAME:-default}` references in `text`, as (byte range,
/// name, default).
fn references(text: &str) -> Vec<(std::ops::Range<usize>, &str, Option<&str>)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = text[from..].find("${").map(|i| from + i) {
        let end = start + text[start..].find('}').expect("unclosed ${") + 1;
        let inner = &text[start + 2..end - 1];
        let (name, default) = match inner.split_once(":-") {
            Some((name, default)) => (name, Some(default)),
            None => (inner, None),
        };
        out.push((start..end, name, default));
        from = end;
    }
    out
}

/// `text` with each reference replaced by `value(name)`, or else its default.
fn expand(text: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let mut from = 0;
    for (range, name, default) in references(text) {
        out.push_str(&text[from..range.start]);
        out.push_str(&value(name).unwrap_or_else(|| default.unwrap_or_default().to_string()));
        from = range.end;
    }
    out + &text[from..]
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Package {
    Npm { name: String, version: String },
    PyPi { name: String, version: String },
}

impl Package {
    /// How `.mcp.json` and the README spell it.
    fn spec(&self) -> String {
        match self {
            Package::Npm { name, version } => format!("{name}@{version}"),
            Package::PyPi { name, version } => format!("{name}=={version}"),
        }
    }
}

/// The package a stdio server runs: `npx -y <name>@<version>` or
/// `uvx [--from] <name>==<version>`.
fn package(server: &Value) -> Option<Package> {
    let args: Vec<&str> = server["args"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| a.as_str().unwrap())
        .collect();
    let first_operand = || {
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            match *arg {
                "--from" => return rest.next().copied(),
                flag if flag.starts_with('-') => {}
                operand => return Some(operand),
            }
        }
        None
    };
    let (name, version, npm) = match server["command"].as_str()? {
        "npx" => {
            let (name, version) = first_operand()?.rsplit_once('@')?;
            (name, version, true)
        }
        "uvx" => {
            let (name, version) = first_operand()?.split_once("==")?;
            (name, version, false)
        }
        _ => return None,
    };
    let pinned = version.split('.').count() == 3
        && version
            .split('.')
            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    assert!(
        !name.is_empty() && pinned,
        "`{name}` is not pinned to an exact x.y.z version: `{version}`"
    );
    let (name, version) = (name.to_string(), version.to_string());
    Some(if npm {
        Package::Npm { name, version }
    } else {
        Package::PyPi { name, version }
    })
}

/// Where npx and uvx keep their downloads for these tests.
fn cache(tool: &str) -> PathBuf {
    let dir = repo().join("target/mcp-config").join(tool);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn on_path(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// uvx on PATH, or where scripts/bootstrap puts it (`pip install --user uv`).
fn uvx() -> PathBuf {
    on_path("uvx").unwrap_or_else(|| {
        let base = Command::new("python3")
            .args(["-m", "site", "--user-base"])
            .output()
            .expect("python3 is needed to find uvx");
        let uvx = Path::new(String::from_utf8(base.stdout).unwrap().trim()).join("bin/uvx");
        assert!(
            uvx.is_file(),
            "uvx is neither on PATH nor at {}: run scripts/bootstrap",
            uvx.display()
        );
        uvx
    })
}

fn output(command: &mut Command) -> (bool, String, String) {
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn servers_packages_and_credentials_are_as_documented() {
    let servers = servers();
    let names: BTreeSet<&str> = servers.keys().map(String::as_str).collect();
    assert_eq!(names, BTreeSet::from(SERVERS));
    let readme = std::fs::read_to_string(repo().join("plugin/README.md")).unwrap();
    for (name, server) in &servers {
        for (place, text) in expandable(server) {
            for (_, var, default) in references(text) {
                // Claude Code 2.1.197 hands an unset `${VAR}` of a plugin server
                // to it as the literal text (seen with a server that printed its
                // environment), so a server would take "${GITLAB_...}" for a
                // token. With `:-` it gets an empty value and says what is missing.
                assert!(
                    var == "CLAUDE_PLUGIN_ROOT" || default.is_some(),
                    "{name}.{place}: `${{{var}}}` has no default; write `${{{var}:-}}`"
                );
            }
            let key = place.rsplit('.').next().unwrap().to_ascii_uppercase();
            let credential = ["TOKEN", "SECRET", "PASSWORD", "API_KEY", "AUTHORIZATION"]
                .iter()
                .any(|word| key.contains(word));
            if credential {
                let refs = references(text);
                let literal = expand(text, |_| Some(String::new()));
                assert!(
                    !refs.is_empty()
                        && refs.iter().all(|(_, _, d)| *d == Some(""))
                        && matches!(literal.as_str(), "" | "Bearer "),
                    "{name}.{place} = `{text}`: a credential must come only from an environment variable, with an empty default"
                );
            }
        }
        if !is_stdio(server) {
            let url = expand(server["url"].as_str().unwrap(), |_| None);
            assert!(url.starts_with("https://"), "{name}: {url} is not https");
            continue;
        }
        if name == "proagent-backend" {
            continue;
        }
        let package = package(server)
            .unwrap_or_else(|| panic!("{name}: no pinned npx or uvx package in {server}"));
        let spec = package.spec();
        assert!(
            !ARCHIVED
                .iter()
                .any(|archived| spec.starts_with(&format!("{archived}@"))),
            "{name}: {spec} is archived upstream"
        );
        assert!(
            readme.contains(&spec),
            "plugin/README.md does not mention {spec}"
        );
        let handshake = HANDSHAKES.iter().any(|h| h.server == name);
        let credentialed = CREDENTIALED.iter().any(|(server, _)| server == name);
        assert!(
            handshake != credentialed,
            "{name}: list it in exactly one of HANDSHAKES and CREDENTIALED"
        );
    }
}

#[test]
fn pinned_packages_exist_and_are_not_deprecated() {
    let packages: BTreeSet<Package> = servers().values().filter_map(package).collect();
    let checks: Vec<_> = packages
        .into_iter()
        .map(|package| std::thread::spawn(move || registry_check(&package)))
        .collect();
    let failures: Vec<String> = checks
        .into_iter()
        .filter_map(|check| check.join().unwrap().err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Asks the package's registry about its pinned version.
fn registry_check(package: &Package) -> Result<(), String> {
    let spec = package.spec();
    let (ok, stdout, stderr) = match package {
        Package::Npm { .. } => output(
            Command::new("npm")
                .args(["view", &spec, "name", "version", "deprecated", "--json"])
                .env("npm_config_cache", cache("npm")),
        ),
        Package::PyPi { name, .. } => output(Command::new("curl").args([
            "--silent",
            "--show-error",
            "--fail",
            "--max-time",
            "60",
            &format!("https://pypi.org/pypi/{name}/json"),
        ])),
    };
    if !ok {
        return Err(format!(
            "{spec}: not found in its registry: {stderr}{stdout}"
        ));
    }
    let answer: Value =
        serde_json::from_str(&stdout).map_err(|e| format!("{spec}: {e}: {stdout}"))?;
    let withdrawn = match package {
        Package::Npm { version, .. } => {
            if answer["version"].as_str() != Some(version) {
                return Err(format!("{spec}: npm answered {}", answer["version"]));
            }
            (!answer["deprecated"].is_null())
                .then(|| format!("deprecated: {}", answer["deprecated"]))
        }
        Package::PyPi { version, .. } => {
            let files = answer["releases"][version]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if files.is_empty() {
                return Err(format!("{spec}: PyPI has no files for {version}"));
            }
            let inactive = answer["info"]["classifiers"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|c| c == "Development Status :: 7 - Inactive");
            if let Some(file) = files.iter().find(|f| f["yanked"] == true) {
                Some(format!("yanked: {}", file["yanked_reason"]))
            } else {
                inactive.then(|| "marked inactive (Development Status :: 7)".to_string())
            }
        }
    };
    if let Some(withdrawn) = withdrawn {
        return Err(format!("{spec}: {withdrawn}"));
    }
    Ok(())
}

#[test]
fn stdio_servers_answer_initialize_and_tools_list() {
    let servers = servers();
    std::thread::scope(|scope| {
        let runs: Vec<_> = HANDSHAKES
            .iter()
            .map(|h| {
                let server = &servers[h.server];
                scope.spawn(move || (h, handshake(h, server)))
            })
            .collect();
        let mut failures = Vec::new();
        for run in runs {
            let (h, result) = run.join().unwrap();
            match result {
                Ok(tools) => {
                    for tool in h.tools {
                        if !tools.iter().any(|t| t == tool) {
                            failures.push(format!("{}: no `{tool}` in {tools:?}", h.server));
                        }
                    }
                }
                Err(e) => failures.push(format!("{}: {e}", h.server)),
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    });
}

/// Starts the server as Claude Code would (its command, args and env, with
/// only the placeholders set), sends `initialize`, `notifications/initialized`
/// and `tools/list` as JSON-RPC lines, and returns the tool names.
fn handshake(h: &Handshake, server: &Value) -> Result<Vec<String>, String> {
    let value = |name: &str| {
        h.placeholders
            .iter()
            .find(|(var, _)| *var == name)
            .map(|(_, v)| v.to_string())
    };
    let program = match server["command"].as_str().unwrap() {
        "uvx" => uvx(),
        other => PathBuf::from(expand(other, value)),
    };
    let home = tempfile::tempdir().unwrap();
    let real_home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let mut path = vec![uvx().parent().unwrap().to_path_buf()];
    path.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap()));
    let mut command = Command::new(&program);
    command
        .args(
            server["args"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|arg| expand(arg.as_str().unwrap(), value)),
        )
        .envs(
            server["env"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, v)| (k, expand(v.as_str().unwrap(), value))),
        )
        // What the servers write under ~ goes to a throwaway home; the user's
        // registry settings still apply.
        .env("HOME", home.path())
        .env("npm_config_userconfig", real_home.join(".npmrc"))
        .env("npm_config_cache", cache("npm"))
        .env("npm_config_update_notifier", "false")
        .env("UV_CACHE_DIR", cache("uv"))
        .env("PATH", std::env::join_paths(path).unwrap())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().map_err(|e| format!("{program:?}: {e}"))?;
    let (lines, received) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Ok(message) = serde_json::from_str::<Value>(&line) {
                if lines.send(message).is_err() {
                    break;
                }
            }
        }
    });
    let mut stderr = child.stderr.take().unwrap();
    let stderr = std::thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).ok();
        text
    });
    let deadline = Instant::now() + ANSWER_WITHIN;
    let mut stdin = child.stdin.take().unwrap();
    // Writes `notice` (a notification, if any) and the request, then waits
    // for the answer to the request.
    let mut call = |notice: Option<Value>, id: u64, method: &str, params: Value| {
        let request = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        for message in notice.iter().chain([&request]) {
            writeln!(stdin, "{message}")
                .and_then(|()| stdin.flush())
                .map_err(|e| format!("writing {method}: {e}"))?;
        }
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match received.recv_timeout(left) {
                Ok(message) if message["id"] == id => {
                    return message
                        .get("result")
                        .cloned()
                        .ok_or_else(|| format!("{method} failed: {message}"))
                }
                Ok(_) => {}
                Err(_) => return Err(format!("no answer to {method}")),
            }
        }
    };
    let init = json!({
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "proagent-backend-tests", "version": "0"}
    });
    let result = call(None, 1, "initialize", init)
        .and_then(|init| {
            if init["serverInfo"]["name"].is_string() && init["capabilities"]["tools"].is_object() {
                Ok(())
            } else {
                Err(format!(
                    "initialize answered without serverInfo or tools: {init}"
                ))
            }
        })
        .and_then(|()| {
            let initialized = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
            call(Some(initialized), 2, "tools/list", json!({}))
        })
        .map(|list| {
            list["tools"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| t["name"].as_str().map(String::from))
                .collect::<Vec<_>>()
        });
    // End of input ends a stdio server; kill it only if it lingers.
    drop(stdin);
    let stopping = Instant::now();
    while child.try_wait().unwrap().is_none() && stopping.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().ok();
    child.wait().ok();
    result.map_err(|e| {
        let stderr = stderr.join().unwrap_or_default();
        let tail: String = stderr
            .chars()
            .rev()
            .take(2000)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("{e}\n{program:?} stderr:\n{tail}")
    })
}

#[test]
fn engine_server_goes_through_the_launcher() {
    let servers = servers();
    let engine = &servers["proagent-backend"];
    assert_eq!(
        engine["command"],
        "${CLAUDE_PLUGIN_ROOT}/hooks/run-engine.sh"
    );
    assert_eq!(engine["args"], json!(["mcp"]));
    let plugin = repo().join("plugin");
    let launcher = expand(engine["command"].as_str().unwrap(), |var| {
        (var == "CLAUDE_PLUGIN_ROOT").then(|| plugin.to_str().unwrap().to_string())
    });
    let root = tempfile::tempdir().unwrap();
    let launch = || {
        let mut command = Command::new(&launcher);
        command
            .arg("mcp")
            .env("CLAUDE_PLUGIN_ROOT", root.path())
            // A PATH without any installed engine.
            .env("PATH", "/usr/bin:/bin")
            .stdin(Stdio::null());
        output(&mut command)
    };

    let (ok, _, stderr) = launch();
    assert!(
        !ok && stderr.contains("not installed"),
        "a missing engine must fail the MCP server with a reason, got: {stderr}"
    );

    let fake = root.path().join("bin/proagent-backend");
    std::fs::create_dir_all(fake.parent().unwrap()).unwrap();
    std::fs::write(&fake, "#!/bin/sh\necho \"engine $*\"\n").unwrap();
    let mut permissions = std::fs::metadata(&fake).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&fake, permissions).unwrap();
    let (ok, stdout, stderr) = launch();
    assert!(ok && stdout == "engine mcp\n", "{stdout}{stderr}");
}
