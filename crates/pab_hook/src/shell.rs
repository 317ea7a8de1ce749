//! Reading a Bash command line just enough to know which programs it runs:
//! quoting (shlex), the `&&` / `||` / `;` / `|` / `&` separators, `cd`, and
//! the wrappers that run another program (`sudo`, `env`, `npx`, `poetry
//! run`, `python -m`...). Substitutions, functions and redirections are not
//! interpreted; callers treat what they do not recognise as harmless.

use std::path::{Path, PathBuf};

/// One program invocation: its words (wrappers removed) and the directory
/// it runs in, after the `cd`s before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleCommand {
    pub args: Vec<String>,
    pub cwd: PathBuf,
}

/// The programs `command` runs when started in `cwd`; empty when it cannot
/// be split (an unbalanced quote).
pub fn simple_commands(command: &str, cwd: &Path) -> Vec<SimpleCommand> {
    let Some(words) = shlex::split(&command.replace('\n', " ; ")) else {
        return Vec::new();
    };
    let mut cwd = cwd.to_path_buf();
    let mut out = Vec::new();
    for segment in segments(words) {
        let args = without_wrappers(&segment);
        match args.first().map(String::as_str) {
            Some("cd") => {
                if let Some(dir) = args.get(1) {
                    cwd = cwd.join(dir);
                }
            }
            Some(_) => out.push(SimpleCommand {
                args,
                cwd: cwd.clone(),
            }),
            None => {}
        }
    }
    out
}

/// Splits words into simple commands at `&&`, `||`, `;`, `|` and `&`.
fn segments(words: Vec<String>) -> Vec<Vec<String>> {
    let mut all = vec![Vec::new()];
    for word in words {
        if matches!(word.as_str(), "&&" | "||" | ";" | "|" | "&") {
            all.push(Vec::new());
            continue;
        }
        let ends = word.len() > 1 && word.ends_with(';');
        let word = if ends {
            word[..word.len() - 1].to_string()
        } else {
            word
        };
        all.last_mut().expect("never empty").push(word);
        if ends {
            all.push(Vec::new());
        }
    }
    all
}

/// The command itself, without leading `VAR=value` assignments and the
/// wrappers that run another command (`sudo`, `env`, `npx`, `poetry run`,
/// `python -m`...).
fn without_wrappers(words: &[String]) -> Vec<String> {
    let mut rest = words;
    loop {
        let Some(first) = rest.first().map(String::as_str) else {
            return Vec::new();
        };
        let skip = if is_assignment(first) {
            1
        } else {
            match first {
                "sudo" | "time" | "nohup" | "exec" | "command" | "env" | "npx" | "bunx"
                | "pnpx" => {
                    1 + rest[1..]
                        .iter()
                        .take_while(|w| w.starts_with('-') || is_assignment(w))
                        .count()
                }
                "poetry" | "pipenv" | "pdm" | "hatch" | "uv" | "rye" | "bundle" | "pnpm"
                | "yarn" | "bun" | "npm"
                    if matches!(
                        rest.get(1).map(String::as_str),
                        Some("run" | "exec" | "dlx" | "x")
                    ) =>
                {
                    2 + rest[2..].iter().take_while(|w| w.starts_with('-')).count()
                }
                // `yarn prisma ...` and `pnpm prisma ...` run the package's binary.
                "yarn" | "pnpm" | "bun" => 1,
                python if is_python(python) => match rest.get(1).map(String::as_str) {
                    Some("-m") => 2,
                    _ => 1,
                },
                _ => return rest.to_vec(),
            }
        };
        rest = &rest[skip.min(rest.len())..];
    }
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit())
    })
}

fn is_python(word: &str) -> bool {
    let name = word.rsplit('/').next().unwrap_or(word);
    name == "python"
        || name
            .strip_prefix("python")
            .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}
