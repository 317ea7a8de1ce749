//! Which files a shell command is about to apply to a database. A Bash call
//! that runs a migration tool (alembic, Django, Prisma, knex, Sequelize,
//! TypeORM, Flyway, sqlx, diesel, golang-migrate, goose, dbmate, Supabase,
//! Rails, Atlas) or feeds a file to `psql` is recognised here, and its
//! migration files are located from the tool's arguments and defaults.
//!
//! Recognising commands can never be complete; this is the pre-flight check
//! for the common tools, so it errs on the side of saying nothing: an
//! unknown wrapper, a tool run inside a container or a command it cannot
//! split is simply not a migration. (Files a command writes are found by
//! their state instead: see `bash.rs`.)

use crate::review::{gated, review_files};
use crate::shell::SimpleCommand;
use pab_core::diff::ChangedLines;
use pab_core::{Engine, Finding, HookConfig};
use std::path::{Path, PathBuf};

/// Where a command's migrations are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A file the command applies in full (`psql -f file.sql`).
    File(PathBuf),
    /// A migrations directory: the command applies its pending files.
    /// `component`, when set, keeps only files under a directory of that
    /// name (Django apps each have their own `migrations/`).
    Dir {
        path: PathBuf,
        component: Option<&'static str>,
    },
}

/// The migration targets of a command line's programs; empty when it
/// applies no migrations we recognise.
pub fn targets(commands: &[SimpleCommand]) -> Vec<Target> {
    commands
        .iter()
        .flat_map(|c| tool_targets(&c.args, &c.cwd))
        .collect()
}

/// The value of `--name value`, `--name=value` or, for a one-letter flag,
/// `-n value` / `-nvalue`, for any of the given spellings.
fn flag<'a>(args: &'a [String], names: &[&str]) -> Option<&'a str> {
    for (i, arg) in args.iter().enumerate() {
        for name in names {
            if arg == name {
                return args.get(i + 1).map(String::as_str);
            }
            if let Some(value) = arg.strip_prefix(name) {
                if let Some(value) = value.strip_prefix('=') {
                    return Some(value);
                }
                if name.len() == 2 && !name.starts_with("--") && !value.is_empty() {
                    return Some(value);
                }
            }
        }
    }
    None
}

fn has(args: &[String], word: &str) -> bool {
    args.iter().any(|a| a == word)
}

fn dir(cwd: &Path, path: &str) -> Target {
    Target::Dir {
        path: cwd.join(path),
        component: None,
    }
}

fn tool_targets(args: &[String], cwd: &Path) -> Vec<Target> {
    let tool = args[0].rsplit('/').next().unwrap_or(&args[0]);
    let rest = &args[1..];
    let subcommand = rest
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(String::as_str);
    match tool {
        "psql" => {
            let mut files: Vec<Target> = Vec::new();
            for (i, arg) in rest.iter().enumerate() {
                let file = match arg.as_str() {
                    "-f" | "--file" | "<" => rest.get(i + 1).map(String::as_str),
                    a => a
                        .strip_prefix("--file=")
                        .or_else(|| a.strip_prefix("-f").filter(|v| !v.is_empty()))
                        .or_else(|| a.strip_prefix('<').filter(|v| !v.is_empty())),
                };
                if let Some(file) = file.filter(|f| *f != "-") {
                    files.push(Target::File(cwd.join(file)));
                }
            }
            files
        }
        "alembic" if has(rest, "upgrade") => {
            let ini = cwd.join(flag(rest, &["-c", "--config"]).unwrap_or("alembic.ini"));
            vec![Target::Dir {
                path: alembic_versions(&ini),
                component: None,
            }]
        }
        "manage.py" | "django-admin" | "django" if subcommand == Some("migrate") => {
            vec![Target::Dir {
                path: cwd.to_path_buf(),
                component: Some("migrations"),
            }]
        }
        "prisma" if subcommand == Some("migrate") && (has(rest, "deploy") || has(rest, "dev")) => {
            let schema_dir = flag(rest, &["--schema"])
                .map(|s| {
                    cwd.join(s)
                        .parent()
                        .map(Path::to_path_buf)
                        .unwrap_or_default()
                })
                .unwrap_or_else(|| cwd.join("prisma"));
            vec![Target::Dir {
                path: schema_dir.join("migrations"),
                component: None,
            }]
        }
        "knex" if matches!(subcommand, Some("migrate:latest" | "migrate:up")) => {
            vec![dir(
                cwd,
                flag(rest, &["--migrations-directory"]).unwrap_or("migrations"),
            )]
        }
        "sequelize" | "sequelize-cli" if subcommand == Some("db:migrate") => {
            vec![dir(
                cwd,
                flag(rest, &["--migrations-path"]).unwrap_or("migrations"),
            )]
        }
        "typeorm" | "typeorm-ts-node-commonjs" | "typeorm-ts-node-esm"
            if subcommand == Some("migration:run") =>
        {
            ["src/migration", "src/migrations", "migrations"]
                .iter()
                .map(|d| dir(cwd, d))
                .collect()
        }
        "flyway" if has(rest, "migrate") => match flag(rest, &["-locations", "--locations"]) {
            Some(list) => list
                .split(',')
                .filter(|l| !l.starts_with("classpath:"))
                .map(|l| dir(cwd, l.strip_prefix("filesystem:").unwrap_or(l)))
                .collect(),
            None => ["sql", "src/main/resources/db/migration"]
                .iter()
                .map(|d| dir(cwd, d))
                .collect(),
        },
        "sqlx" if subcommand == Some("migrate") && has(rest, "run") => {
            vec![dir(cwd, flag(rest, &["--source"]).unwrap_or("migrations"))]
        }
        "diesel" if subcommand == Some("migration") && has(rest, "run") => {
            vec![dir(
                cwd,
                flag(rest, &["--migration-dir"]).unwrap_or("migrations"),
            )]
        }
        "migrate" if has(rest, "up") => {
            let path = flag(rest, &["-path", "--path"]).or_else(|| {
                flag(rest, &["-source", "--source"]).and_then(|s| s.strip_prefix("file://"))
            });
            path.map(|p| vec![dir(cwd, p)]).unwrap_or_default()
        }
        "goose"
            if rest
                .iter()
                .any(|a| matches!(a.as_str(), "up" | "up-by-one" | "up-to")) =>
        {
            vec![dir(cwd, flag(rest, &["-dir", "--dir"]).unwrap_or("."))]
        }
        "dbmate" if matches!(subcommand, Some("up" | "migrate")) || has(rest, "up") => {
            vec![dir(
                cwd,
                flag(rest, &["--migrations-dir", "-d"]).unwrap_or("db/migrations"),
            )]
        }
        "supabase"
            if (has(rest, "db") && has(rest, "push"))
                || (has(rest, "migration") && has(rest, "up")) =>
        {
            vec![dir(cwd, "supabase/migrations")]
        }
        "rails" | "rake" if has(rest, "db:migrate") => vec![dir(cwd, "db/migrate")],
        "atlas" if subcommand == Some("migrate") && has(rest, "apply") => {
            let path = flag(rest, &["--dir"])
                .map(|d| d.strip_prefix("file://").unwrap_or(d))
                .unwrap_or("migrations");
            vec![dir(cwd, path)]
        }
        _ => Vec::new(),
    }
}

/// alembic's versions directory: `script_location` in the ini file (with
/// `%(here)s` meaning the ini's directory), then `versions/`.
fn alembic_versions(ini: &Path) -> PathBuf {
    let here = ini.parent().unwrap_or(Path::new("."));
    let location = std::fs::read_to_string(ini)
        .ok()
        .and_then(|text| {
            text.lines().find_map(|line| {
                let (key, value) = line.split_once('=')?;
                (key.trim() == "script_location").then(|| value.trim().to_string())
            })
        })
        .unwrap_or_else(|| "alembic".to_string());
    let location = location.replace("%(here)s", &here.to_string_lossy());
    here.join(location).join("versions")
}

/// Reviews the migrations a Bash command is about to apply: files it names
/// in full, and in migration directories the pending files, which are those
/// git sees as new or changed (only their changed lines count). Outside git
/// the newest file of each directory, by name, stands for the pending one.
pub fn pending_findings(
    engine: &Engine,
    hook: &HookConfig,
    targets: &[Target],
    cwd: &Path,
) -> Result<Vec<Finding>, String> {
    let changed = ChangedLines::since("HEAD", cwd).ok();
    let mut whole: Vec<PathBuf> = Vec::new();
    let mut partial: Vec<PathBuf> = Vec::new();
    let reviewed = |p: &Path| p.is_file() && gated(engine, hook, p);
    for target in targets {
        match target {
            Target::File(path) => whole.push(path.clone()),
            Target::Dir { path, component } => {
                let under = |p: &Path| {
                    p.starts_with(path)
                        && component.is_none_or(|c| {
                            p.strip_prefix(path)
                                .is_ok_and(|rel| rel.components().any(|x| x.as_os_str() == c))
                        })
                };
                match &changed {
                    Some(changed) => partial.extend(
                        changed
                            .files()
                            .filter(|p| under(p) && reviewed(p))
                            .map(Path::to_path_buf),
                    ),
                    None if component.is_none() => whole.extend(newest_file(path, &reviewed)),
                    None => {}
                }
            }
        }
    }
    whole.retain(|p| reviewed(p));
    whole.sort();
    whole.dedup();
    partial.sort();
    partial.dedup();
    partial.retain(|p| !whole.contains(p));
    let files: Vec<PathBuf> = whole.iter().chain(&partial).cloned().collect();
    review_files(engine, &files, cwd, |path, f| {
        whole.iter().any(|w| w == path)
            || changed
                .as_ref()
                .is_some_and(|c| c.touches(path, f.span.start.line, f.span.end.line))
    })
}
/// The last reviewable file of `dir` in name order (migrations are named to
/// sort in the order they apply).
fn newest_file(dir: &Path, reviewed: &dyn Fn(&Path) -> bool) -> Option<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| reviewed(p))
        .collect();
    files.sort();
    files.pop()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(command: &str) -> Vec<String> {
        targets(&crate::shell::simple_commands(command, Path::new("/p")))
            .into_iter()
            .map(|t| match t {
                Target::File(p) => format!("file {}", p.display()),
                Target::Dir {
                    path,
                    component: None,
                } => format!("dir {}", path.display()),
                Target::Dir {
                    path,
                    component: Some(c),
                } => format!("dir {} */{c}/*", path.display()),
            })
            .collect()
    }

    #[test]
    fn migration_commands_are_recognised_with_their_directories() {
        let cases: &[(&str, &[&str])] = &[
            (
                "psql \"$DATABASE_URL\" -v ON_ERROR_STOP=1 -f db/patch.sql",
                &["file /p/db/patch.sql"],
            ),
            (
                "psql -d app --file=a.sql -fb.sql < c.sql",
                &["file /p/a.sql", "file /p/b.sql", "file /p/c.sql"],
            ),
            ("psql -c 'select 1'", &[]),
            (
                "cd api && npx prisma migrate deploy",
                &["dir /p/api/prisma/migrations"],
            ),
            (
                "pnpm exec prisma migrate dev --name add_users",
                &["dir /p/prisma/migrations"],
            ),
            (
                "yarn prisma migrate dev --schema db/schema.prisma",
                &["dir /p/db/migrations"],
            ),
            ("npx prisma generate", &[]),
            (
                "DATABASE_URL=postgres://x poetry run alembic upgrade head",
                &["dir /p/alembic/versions"],
            ),
            (
                "python -m alembic -c conf/alembic.ini upgrade +1",
                &["dir /p/conf/alembic/versions"],
            ),
            (
                "python3 manage.py migrate orders",
                &["dir /p */migrations/*"],
            ),
            ("./manage.py makemigrations", &[]),
            ("npx knex migrate:latest", &["dir /p/migrations"]),
            (
                "npx sequelize-cli db:migrate --migrations-path db/m",
                &["dir /p/db/m"],
            ),
            (
                "flyway -locations=filesystem:db/sql,classpath:x migrate",
                &["dir /p/db/sql"],
            ),
            (
                "sqlx migrate run --source db/migrations",
                &["dir /p/db/migrations"],
            ),
            ("sqlx migrate add users", &[]),
            ("diesel migration run", &["dir /p/migrations"]),
            ("migrate -path ./m -database $URL up", &["dir /p/./m"]),
            ("goose -dir sql postgres $URL up", &["dir /p/sql"]),
            ("dbmate up", &["dir /p/db/migrations"]),
            ("supabase db push", &["dir /p/supabase/migrations"]),
            ("bundle exec rails db:migrate", &["dir /p/db/migrate"]),
            (
                "atlas migrate apply --dir file://m --url $URL",
                &["dir /p/m"],
            ),
            ("ls -la; cargo test && echo done", &[]),
            ("echo 'unbalanced", &[]),
            ("git commit -m 'psql -f x.sql'", &[]),
        ];
        for (command, expected) in cases {
            assert_eq!(shown(command), *expected, "{command}");
        }
    }
}
