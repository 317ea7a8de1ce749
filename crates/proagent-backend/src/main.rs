//! `proagent-backend`: the command line. Parses arguments, runs the engine,
//! filters (diff, baseline, severity), renders, and maps the outcome to the
//! exit codes scripts rely on: 0 clean, 1 findings, 2 usage or config error.

mod progress;
mod routes;

// Parsing allocates and frees many small trees from several threads; glibc's
// per-thread arenas spent a tenth of a review growing their heaps. Without
// transparent huge pages (`no_thp`): zeroing 2 MB pages cost more than it
// saved on the small runs the editor hook makes.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::{bail, Context as _, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use pab_core::baseline::Baseline;
use pab_core::config::CliOverrides;
use pab_core::diff::ChangedLines;
use pab_core::engine::RunOptions;
use pab_core::{Report, Severity};
use pab_report::{render, Format, RenderOptions};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "proagent-backend",
    version,
    about = "Reviews backend artifacts: PostgreSQL migrations and queries, for schema safety, locking hazards, security and performance.",
    after_help = "Exit codes: 0 no finding at or above the fail level, 1 findings (or files that could not be reviewed), 2 usage or configuration error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Review files and directories (default: the current directory).
    Review(ReviewArgs),
    /// List every rule.
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Print a rule's documentation: what it does, why, examples, the fix.
    Explain {
        /// A rule id such as `migration/set-not-null`.
        rule: String,
    },
    /// List the HTTP endpoints the code declares (and API descriptions
    /// describe): method, path, handler, location, auth, validation,
    /// pagination, statuses, framework.
    Routes(RoutesArgs),
    /// Claude Code PreToolUse hook: reads the tool call on stdin, denies edits
    /// that add critical findings. Always exits 0; fails open.
    Hook,
    /// MCP server over stdio: tools to review files and content and to read
    /// the rules' docs. Stdout carries only the protocol.
    Mcp,
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum RoutesFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Args)]
struct RoutesArgs {
    /// Files or directories to read (default: the current directory).
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = RoutesFormat::Text)]
    format: RoutesFormat,
    /// Use this configuration file for every path instead of the nearest one.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Text,
    Json,
    Sarif,
    Github,
    Junit,
    Markdown,
}

impl From<OutputFormat> for Format {
    fn from(f: OutputFormat) -> Format {
        match f {
            OutputFormat::Text => Format::Text,
            OutputFormat::Json => Format::Json,
            OutputFormat::Sarif => Format::Sarif,
            OutputFormat::Github => Format::Github,
            OutputFormat::Junit => Format::Junit,
            OutputFormat::Markdown => Format::Markdown,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Level {
    Suggestion,
    Warning,
    Critical,
}

impl From<Level> for Severity {
    fn from(l: Level) -> Severity {
        match l {
            Level::Suggestion => Severity::Suggestion,
            Level::Warning => Severity::Warning,
            Level::Critical => Severity::Critical,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Args)]
struct ReviewArgs {
    /// Files or directories to review.
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
    /// Only these rules or areas (comma-separated: `migration,query/select-star`, or `all`).
    #[arg(long, value_delimiter = ',')]
    select: Option<Vec<String>>,
    /// Skip these rules or areas (comma-separated).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Report only findings at or above this severity.
    #[arg(long, value_enum, default_value_t = Level::Suggestion)]
    severity: Level,
    /// Exit 1 when a finding at or above this severity remains.
    #[arg(long, value_enum, default_value_t = Level::Warning)]
    fail_level: Level,
    /// Report only findings on lines changed since this git ref (e.g. origin/main).
    #[arg(long, value_name = "REF")]
    diff: Option<String>,
    /// Hide findings recorded in this baseline; writes it first if it does not exist.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Rewrite the --baseline file with the current findings.
    #[arg(long, requires = "baseline")]
    update_baseline: bool,
    /// Use this configuration file for every path instead of the nearest one.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Never show the progress bar.
    #[arg(long)]
    no_progress: bool,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let engine = proagent_backend::engine();
    match cli.command {
        Command::Rules { format } => {
            list_rules(&engine, format)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { rule } => {
            match engine.registry().get(&rule) {
                Some(meta) => {
                    print!("{}", meta.to_markdown());
                    Ok(ExitCode::SUCCESS)
                }
                None => {
                    let err = engine
                        .registry()
                        .resolve(&rule)
                        .err()
                        .map(|e| e.to_string());
                    bail!("{}", err.unwrap_or_else(|| format!("`{rule}` is an area, not a rule; `proagent-backend rules` lists the rules")))
                }
            }
        }
        Command::Review(args) => review(&engine, args),
        Command::Routes(args) => list_routes(&engine, args),
        Command::Hook => {
            hook(proagent_backend::editing_engine());
            Ok(ExitCode::SUCCESS)
        }
        Command::Mcp => {
            pab_mcp::serve_stdio(std::sync::Arc::new(engine)).context("MCP server")?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Runs the hook protocol; whatever happens, the tool call is not blocked by
/// our own failure (the hook exits 0 and says why on stderr).
fn hook(engine: pab_core::Engine) {
    let mut input = Vec::new();
    if let Err(e) = std::io::Read::read_to_end(&mut std::io::stdin(), &mut input) {
        eprintln!("proagent-backend hook: cannot read stdin ({e}); allowing the call");
        return;
    }
    let response = pab_hook::run(std::sync::Arc::new(engine), &input, None);
    if let Some(note) = response.note {
        eprintln!("{note}");
    }
    if let Some(out) = response.stdout {
        println!("{out}");
    }
}

fn list_rules(engine: &pab_core::Engine, format: ListFormat) -> Result<()> {
    let rules = engine.registry().all();
    let mut out = std::io::stdout().lock();
    match format {
        ListFormat::Json => {
            let list: Vec<_> = rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "severity": r.severity,
                        "default_enabled": r.default_enabled,
                        "language": r.language.as_str(),
                        "aliases": r.aliases,
                        "summary": r.summary,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &list)?;
            writeln!(out)?;
        }
        ListFormat::Text => {
            let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
            for r in rules {
                writeln!(
                    out,
                    "{:width$}  {:10}  {:3}  {}",
                    r.id,
                    r.severity.as_str(),
                    if r.default_enabled { "on" } else { "off" },
                    r.summary
                )?;
            }
            writeln!(
                out,
                "\n{} rules. `proagent-backend explain RULE` shows one in full.",
                rules.len()
            )?;
        }
    }
    Ok(())
}

fn review(engine: &pab_core::Engine, args: ReviewArgs) -> Result<ExitCode> {
    for selector in args.select.iter().flatten().chain(&args.ignore) {
        engine.registry().resolve(selector)?;
    }
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let options = RunOptions {
        cli: CliOverrides {
            select: args.select.clone(),
            ignore: args.ignore.clone(),
        },
        config: args.config.clone(),
    };
    let bar = progress::Bar::new(!args.no_progress);
    let result = engine.review_paths(&paths, &options, &bar);
    bar.finish();
    let mut report = result?;
    if let Some(reference) = &args.diff {
        keep_changed(&mut report, reference)?;
    }
    if let Some(path) = &args.baseline {
        if args.update_baseline || !path.exists() {
            Baseline::write(path, &report.findings)?;
            eprintln!(
                "wrote {} finding(s) to the baseline {}; later runs with --baseline report only new ones",
                report.findings.len(),
                path.display()
            );
            report.findings.clear();
        } else {
            let baseline = Baseline::read(path)?;
            report.findings.retain(|f| !baseline.contains(f));
        }
    }
    let shown = Severity::from(args.severity);
    report.findings.retain(|f| f.severity >= shown);
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let render_options = RenderOptions {
        color,
        tool_version: env!("CARGO_PKG_VERSION"),
    };
    // Renderers write many small pieces; one buffer saves a syscall each.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    render(
        args.format.into(),
        &report,
        engine.registry(),
        &render_options,
        &mut out,
    )
    .and_then(|()| out.flush())
    .context("cannot write the report")?;
    let fail = Severity::from(args.fail_level);
    let failed = report.findings.iter().any(|f| f.severity >= fail) || !report.errors.is_empty();
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The endpoint inventory. No rule runs (extraction does not need one), so
/// this is as fast as a parse of the files; exit 0 unless the command or
/// the configuration is wrong (2). Files that cannot be read are named on
/// stderr and listed in the JSON's `errors`.
fn list_routes(engine: &pab_core::Engine, args: RoutesArgs) -> Result<ExitCode> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths
    };
    // A path that is not there is a mistake in the command: there is no
    // inventory to print for it.
    if let Some(missing) = paths.iter().find(|p| std::fs::symlink_metadata(p).is_err()) {
        eprintln!(
            "error: {}: no such file or directory; pass the service's directory or files",
            missing.display()
        );
        return Ok(ExitCode::from(2));
    }
    let options = RunOptions {
        cli: CliOverrides {
            select: Some(Vec::new()),
            ignore: Vec::new(),
        },
        config: args.config,
    };
    let report = engine.review_paths(&paths, &options, &pab_core::engine::NoProgress)?;
    for e in &report.errors {
        let at = match (e.line, e.column) {
            (Some(l), Some(c)) => format!(":{l}:{c}"),
            (Some(l), None) => format!(":{l}"),
            _ => String::new(),
        };
        eprintln!("{}{at}: {}", e.path, e.message);
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = match args.format {
        RoutesFormat::Text => routes::text(&report.endpoints, &mut out),
        RoutesFormat::Markdown => routes::markdown(&report.endpoints, &mut out),
        RoutesFormat::Json => {
            routes::json(&report.endpoints, &report.errors, report.files, &mut out)
        }
    }
    .and_then(|()| out.flush());
    // A reader that stopped early (`routes | head`) is not an error.
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("cannot write the routes")?
        }
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// Drops findings whose lines did not change since `reference`.
fn keep_changed(report: &mut Report, reference: &str) -> Result<()> {
    let cwd = std::env::current_dir()?;
    let changed =
        ChangedLines::since(reference, &cwd).with_context(|| format!("--diff {reference}"))?;
    report.findings.retain(|f| {
        let path = std::fs::canonicalize(cwd.join(&f.path)).unwrap_or_else(|_| cwd.join(&f.path));
        changed.touches(&path, f.span.start.line, f.span.end.line)
    });
    Ok(())
}
