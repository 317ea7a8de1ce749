//! Configuration: `proagent-backend.toml`, or `[tool.proagent-backend]` in
//! pyproject.toml, found by walking up from each reviewed file (nearest wins).
//!
//! Every key is typed and unknown keys are rejected with the file, line and
//! column, the way biome and ruff do: a typo in a config must never silently
//! turn a rule off.

use crate::finding::Severity;
use crate::registry::{RuleRegistry, RuleSet};
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use thiserror::Error;
use toml::Spanned;

pub const CONFIG_FILE: &str = "proagent-backend.toml";
pub const PYPROJECT_FILE: &str = "pyproject.toml";
/// The PostgreSQL major version migrations are assumed to run on.
pub const DEFAULT_POSTGRES_VERSION: u32 = 14;

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("{path}: cannot read the configuration: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{0}")]
    Usage(String),
}

/// The keys of the configuration, as written in the file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    postgres: RawPostgres,
    #[serde(default)]
    api: RawApi,
    #[serde(default)]
    hook: RawHook,
    #[serde(default)]
    overrides: Vec<RawOverride>,
}

/// `[hook]`: how the Claude Code hooks gate each event.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawHook {
    edit: Option<Gate>,
    bash: Option<Gate>,
    stop: Option<Gate>,
    commit: Option<Gate>,
    #[serde(default)]
    skip: Vec<Spanned<String>>,
    budget_ms: Option<Spanned<u64>>,
}

/// What a hook event blocks on: new critical findings (the default), new
/// critical or warning findings, or nothing (the event is not reviewed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gate {
    Off,
    Critical,
    Warning,
}

impl Gate {
    /// Whether a new finding of this severity blocks.
    pub fn blocks(self, severity: Severity) -> bool {
        match self {
            Gate::Off => false,
            Gate::Critical => severity == Severity::Critical,
            Gate::Warning => matches!(severity, Severity::Critical | Severity::Warning),
        }
    }
}

/// The hook settings of one configuration, validated.
#[derive(Debug, Clone)]
pub struct HookConfig {
    /// PreToolUse on Write / Edit / MultiEdit.
    pub edit: Gate,
    /// Bash: files a command wrote (PostToolUse) and migrations it applies.
    pub bash: Gate,
    /// The whole session's change, when Claude stops.
    pub stop: Gate,
    /// `git commit` and `git push`.
    pub commit: Gate,
    /// How long one hook call may review before it allows.
    pub budget: std::time::Duration,
    skip: GlobSet,
    root: PathBuf,
}

/// The hook's time budget unless `[hook] budget-ms` says otherwise.
pub const DEFAULT_HOOK_BUDGET_MS: u64 = 1000;

impl HookConfig {
    /// Whether `[hook] skip` leaves this file out of every gate.
    pub fn skips(&self, path: &Path) -> bool {
        matches_under(&self.skip, &self.root, path)
    }
}

/// Whether `globs` (relative to `root`) match `path` or a directory it is in.
fn matches_under(globs: &GlobSet, root: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(root).unwrap_or(path);
    globs.is_match(rel) || rel.ancestors().any(|a| globs.is_match(a))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPostgres {
    version: Option<Spanned<u32>>,
    /// Treat every file as running inside a transaction, as most migration
    /// frameworks do.
    assume_in_transaction: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawApi {
    version_prefix: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOverride {
    paths: Vec<Spanned<String>>,
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
struct Pyproject {
    tool: Option<PyprojectTool>,
}

#[derive(Debug, Default, Deserialize)]
struct PyprojectTool {
    #[serde(rename = "proagent-backend")]
    proagent_backend: Option<RawConfig>,
}

/// Rule selection given on the command line; it wins over every file.
#[derive(Debug, Clone, Default)]
pub struct CliOverrides {
    /// Replaces the configured `select` when given.
    pub select: Option<Vec<String>>,
    /// Added to the configured `ignore`.
    pub ignore: Vec<String>,
}

/// What analyzers need to know about the file they review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub rules: RuleSet,
    pub postgres_version: u32,
    pub assume_in_transaction: bool,
    pub api_version_prefix: Option<String>,
}

struct CompiledOverride {
    paths: GlobSet,
    settings: Arc<Settings>,
}

/// One configuration file, validated against the rule registry.
pub struct Config {
    /// The file it came from; `None` for the built-in defaults.
    pub source: Option<PathBuf>,
    /// Globs and override paths are relative to this directory.
    root: PathBuf,
    exclude: GlobSet,
    settings: Arc<Settings>,
    overrides: Vec<CompiledOverride>,
    /// `[hook]`.
    pub hook: HookConfig,
}

impl Config {
    /// The defaults, used where no configuration file is found.
    pub fn defaults(
        registry: &RuleRegistry,
        cli: &CliOverrides,
        root: PathBuf,
    ) -> Result<Config, ConfigError> {
        Self::compile(RawConfig::default(), None, "", root, registry, cli)
    }

    /// Loads `path`, either a proagent-backend.toml or a pyproject.toml.
    /// Returns `Ok(None)` for a pyproject.toml without our table.
    pub fn load(
        path: &Path,
        registry: &RuleRegistry,
        cli: &CliOverrides,
    ) -> Result<Option<Config>, ConfigError> {
        let display = crate::discover::display_path(path);
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: display.clone(),
            source,
        })?;
        let is_pyproject = path.file_name().is_some_and(|n| n == PYPROJECT_FILE);
        let raw = if is_pyproject {
            let parsed: Pyproject =
                toml::from_str(&text).map_err(|e| toml_error(&display, &text, &e))?;
            match parsed.tool.and_then(|t| t.proagent_backend) {
                Some(raw) => raw,
                None => return Ok(None),
            }
        } else {
            toml::from_str(&text).map_err(|e| toml_error(&display, &text, &e))?
        };
        let root = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        Self::compile(raw, Some(path.to_path_buf()), &text, root, registry, cli).map(Some)
    }

    fn compile(
        raw: RawConfig,
        source: Option<PathBuf>,
        text: &str,
        root: PathBuf,
        registry: &RuleRegistry,
        cli: &CliOverrides,
    ) -> Result<Config, ConfigError> {
        let cx = Validator {
            path: source
                .as_deref()
                .map(crate::discover::display_path)
                .unwrap_or_default(),
            text,
            registry,
        };
        let postgres_version = cx.in_range(
            &raw.postgres.version,
            9..=18,
            DEFAULT_POSTGRES_VERSION,
            |v| format!("postgres.version {v} is not supported: use a major version from 9 to 18"),
        )?;
        let base_select = match &cli.select {
            Some(s) => Some(s.clone()),
            None => raw.select.as_ref().map(|s| cx.selectors(s)).transpose()?,
        };
        let mut base_ignore = cx.selectors(&raw.ignore)?;
        base_ignore.extend(cli.ignore.iter().cloned());
        let base_severity = cx.severities(&raw.severity)?;
        let make_settings = |select: Option<&[String]>,
                             ignore: &[String],
                             severity: &BTreeMap<&'static str, Severity>|
         -> Result<Arc<Settings>, ConfigError> {
            let rules = registry
                .rule_set(select, ignore, severity)
                .map_err(|e| ConfigError::Usage(e.to_string()))?;
            Ok(Arc::new(Settings {
                rules,
                postgres_version,
                assume_in_transaction: raw.postgres.assume_in_transaction.unwrap_or(false),
                api_version_prefix: raw.api.version_prefix.clone(),
            }))
        };
        let settings = make_settings(base_select.as_deref(), &base_ignore, &base_severity)?;
        let mut overrides = Vec::new();
        for o in &raw.overrides {
            // An override's select applies unless the command line chose rules.
            let select = match (&cli.select, &o.select) {
                (Some(cli_select), _) => Some(cli_select.clone()),
                (None, Some(s)) => Some(cx.selectors(s)?),
                (None, None) => base_select.clone(),
            };
            let mut ignore = base_ignore.clone();
            ignore.extend(cx.selectors(&o.ignore)?);
            let mut severity = base_severity.clone();
            severity.extend(cx.severities(&o.severity)?);
            overrides.push(CompiledOverride {
                paths: cx.globs(&o.paths)?,
                settings: make_settings(select.as_deref(), &ignore, &severity)?,
            });
        }
        let budget_ms = cx.in_range(
            &raw.hook.budget_ms,
            50..=10_000,
            DEFAULT_HOOK_BUDGET_MS,
            |ms| format!("hook.budget-ms {ms} is out of range: use 50 to 10000 (Claude Code waits for the hook)"),
        )?;
        let hook = HookConfig {
            edit: raw.hook.edit.unwrap_or(Gate::Critical),
            bash: raw.hook.bash.unwrap_or(Gate::Critical),
            stop: raw.hook.stop.unwrap_or(Gate::Critical),
            commit: raw.hook.commit.unwrap_or(Gate::Critical),
            budget: std::time::Duration::from_millis(budget_ms),
            skip: cx.globs(&raw.hook.skip)?,
            root: root.clone(),
        };
        Ok(Config {
            exclude: cx.globs(&raw.exclude)?,
            source,
            root,
            settings,
            overrides,
            hook,
        })
    }

    fn relative<'a>(&self, path: &'a Path) -> &'a Path {
        path.strip_prefix(&self.root).unwrap_or(path)
    }

    /// Whether `exclude` leaves this file out.
    pub fn excludes(&self, path: &Path) -> bool {
        matches_under(&self.exclude, &self.root, path)
    }

    /// The settings for one file: the last matching override wins.
    pub fn settings_for(&self, path: &Path) -> Arc<Settings> {
        let rel = self.relative(path);
        self.overrides
            .iter()
            .rev()
            .find(|o| o.paths.is_match(rel))
            .map_or_else(|| self.settings.clone(), |o| o.settings.clone())
    }
}

struct Validator<'a> {
    path: String,
    text: &'a str,
    registry: &'a RuleRegistry,
}

impl Validator<'_> {
    fn error(&self, span: Range<usize>, message: String) -> ConfigError {
        let (line, column) = line_column(self.text, span.start);
        ConfigError::Invalid {
            path: self.path.clone(),
            line,
            column,
            message,
        }
    }

    /// A number that must lie in `range`, or `default` when absent.
    fn in_range<T: Copy + PartialOrd>(
        &self,
        value: &Option<Spanned<T>>,
        range: std::ops::RangeInclusive<T>,
        default: T,
        out_of_range: impl Fn(T) -> String,
    ) -> Result<T, ConfigError> {
        match value {
            Some(v) if !range.contains(v.get_ref()) => {
                Err(self.error(v.span(), out_of_range(*v.get_ref())))
            }
            Some(v) => Ok(*v.get_ref()),
            None => Ok(default),
        }
    }

    fn selectors(&self, items: &[Spanned<String>]) -> Result<Vec<String>, ConfigError> {
        items
            .iter()
            .map(|s| {
                self.registry
                    .resolve(s.get_ref())
                    .map(|_| s.get_ref().clone())
                    .map_err(|e| self.error(s.span(), e.to_string()))
            })
            .collect()
    }

    fn severities(
        &self,
        table: &BTreeMap<Spanned<String>, Spanned<String>>,
    ) -> Result<BTreeMap<&'static str, Severity>, ConfigError> {
        let mut out = BTreeMap::new();
        for (rule, level) in table {
            let level: Severity = level
                .get_ref()
                .parse()
                .map_err(|e: String| self.error(level.span(), e))?;
            let rules = self
                .registry
                .resolve(rule.get_ref())
                .map_err(|e| self.error(rule.span(), e.to_string()))?;
            for r in rules {
                out.insert(r.id, level);
            }
        }
        Ok(out)
    }

    fn globs(&self, patterns: &[Spanned<String>]) -> Result<GlobSet, ConfigError> {
        let mut builder = GlobSetBuilder::new();
        for p in patterns {
            let glob = Glob::new(p.get_ref().trim_start_matches("./"))
                .map_err(|e| self.error(p.span(), format!("invalid glob: {e}")))?;
            builder.add(glob);
        }
        builder
            .build()
            .map_err(|e| ConfigError::Usage(format!("{}: {e}", self.path)))
    }
}

fn toml_error(path: &str, text: &str, e: &toml::de::Error) -> ConfigError {
    let (line, column) = e
        .span()
        .map_or((1, 1), |span| line_column(text, span.start));
    let mut message = e.message().trim().to_string();
    if message.starts_with("unknown field") {
        message.push_str(" (see docs/configuration.md in the proagent-backend repository)");
    }
    ConfigError::Invalid {
        path: path.to_string(),
        line,
        column,
        message,
    }
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit_once('\n')
        .map_or(before, |(_, tail)| tail)
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Finds, loads and caches the nearest configuration for each directory.
pub struct ConfigResolver<'a> {
    registry: &'a RuleRegistry,
    cli: CliOverrides,
    explicit: Option<Arc<Config>>,
    defaults: Arc<Config>,
    by_dir: HashMap<PathBuf, Arc<Config>>,
}

impl<'a> ConfigResolver<'a> {
    /// With `explicit`, that file is the configuration for every path.
    pub fn new(
        registry: &'a RuleRegistry,
        cli: CliOverrides,
        explicit: Option<&Path>,
    ) -> Result<Self, ConfigError> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let defaults = Arc::new(Config::defaults(registry, &cli, cwd)?);
        let explicit = match explicit {
            None => None,
            Some(path) => match Config::load(path, registry, &cli)? {
                Some(config) => Some(Arc::new(config)),
                None => {
                    return Err(ConfigError::Usage(format!(
                        "{}: has no [tool.proagent-backend] table",
                        path.display()
                    )))
                }
            },
        };
        Ok(ConfigResolver {
            registry,
            cli,
            explicit,
            defaults,
            by_dir: HashMap::new(),
        })
    }

    /// The configuration that governs files in `dir`.
    pub fn for_dir(&mut self, dir: &Path) -> Result<Arc<Config>, ConfigError> {
        if let Some(explicit) = &self.explicit {
            return Ok(explicit.clone());
        }
        let dir = absolute(dir);
        let mut missing = Vec::new();
        let mut found = None;
        for candidate in dir.ancestors() {
            if let Some(config) = self.by_dir.get(candidate) {
                found = Some(config.clone());
                break;
            }
            missing.push(candidate.to_path_buf());
            if let Some(config) = self.load_in(candidate)? {
                found = Some(Arc::new(config));
                break;
            }
        }
        let config = found.unwrap_or_else(|| self.defaults.clone());
        for d in missing {
            self.by_dir.insert(d, config.clone());
        }
        Ok(config)
    }

    fn load_in(&self, dir: &Path) -> Result<Option<Config>, ConfigError> {
        for name in [CONFIG_FILE, PYPROJECT_FILE] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                if let Some(config) = Config::load(&candidate, self.registry, &self.cli)? {
                    return Ok(Some(config));
                }
            }
        }
        Ok(None)
    }
}

/// `path` made absolute against the working directory, without touching the
/// file system (so missing paths still resolve).
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::{Language, RuleDocs, RuleMeta};

    static RULE: RuleMeta = RuleMeta {
        id: "migration/ban-drop-table",
        aliases: &[],
        severity: Severity::Critical,
        language: Language::Sql,
        default_enabled: true,
        summary: "s",
        docs: RuleDocs {
            what: "",
            why: "",
            lock: "",
            bad: "",
            good: "",
            fix: "",
        },
    };

    fn load(name: &str, text: &str) -> Result<Option<Config>, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        Config::load(&path, &RuleRegistry::new([&RULE]), &CliOverrides::default())
    }

    #[test]
    fn unknown_keys_point_at_their_line() {
        let err = load(
            CONFIG_FILE,
            "select = [\"migration\"]\n\n[postgres]\nversoin = 15\n",
        )
        .err()
        .unwrap()
        .to_string();
        assert!(err.contains(":4:1: unknown field `versoin`"), "{err}");
    }

    #[test]
    fn unknown_rules_point_at_their_line() {
        let err = load(
            CONFIG_FILE,
            "ignore = [\n  \"migration/ban-drop-tabel\",\n]\n",
        )
        .err()
        .unwrap()
        .to_string();
        assert!(err.contains(":2:3: unknown rule or area"), "{err}");
    }

    #[test]
    fn pyproject_without_our_table_is_not_a_config() {
        assert!(load(PYPROJECT_FILE, "[project]\nname = \"x\"\n")
            .unwrap()
            .is_none());
        let config = load(
            PYPROJECT_FILE,
            "[tool.proagent-backend]\nignore = [\"migration\"]\n[tool.proagent-backend.postgres]\nversion = 16\n",
        )
        .unwrap()
        .unwrap();
        let settings = config.settings_for(Path::new("x.sql"));
        assert_eq!(settings.postgres_version, 16);
        assert!(!settings.rules.is_enabled(&RULE));
    }

    #[test]
    fn overrides_apply_to_matching_paths() {
        let config = load(
            CONFIG_FILE,
            "[[overrides]]\npaths = [\"legacy/**\"]\nseverity = { \"migration/ban-drop-table\" = \"suggestion\" }\n",
        )
        .unwrap()
        .unwrap();
        let root = config.root.clone();
        let legacy = config.settings_for(&root.join("legacy/1.sql"));
        assert_eq!(legacy.rules.severity_of(&RULE), Severity::Suggestion);
        let other = config.settings_for(&root.join("new/1.sql"));
        assert_eq!(other.rules.severity_of(&RULE), Severity::Critical);
    }

    #[test]
    fn hook_gates_and_budget_are_validated() {
        let config = load(
            CONFIG_FILE,
            "[hook]\nedit = \"warning\"\nstop = \"off\"\nskip = [\"gen/**\"]\nbudget-ms = 300\n",
        )
        .unwrap()
        .unwrap();
        assert_eq!(config.hook.edit, Gate::Warning);
        assert_eq!(config.hook.stop, Gate::Off);
        assert_eq!(config.hook.commit, Gate::Critical);
        assert_eq!(config.hook.budget.as_millis(), 300);
        assert!(config.hook.skips(&config.root.join("gen/a/m.sql")));
        assert!(!config.hook.skips(&config.root.join("db/m.sql")));
        assert!(
            Gate::Warning.blocks(Severity::Warning) && !Gate::Critical.blocks(Severity::Warning)
        );
        let err = load(CONFIG_FILE, "[hook]\nedit = \"strict\"\n")
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains(":2:") && err.contains("strict"), "{err}");
        let err = load(CONFIG_FILE, "[hook]\nbudget-ms = 5\n")
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains(":2:13") && err.contains("50 to 10000"),
            "{err}"
        );
    }

    #[test]
    fn bad_postgres_version_is_rejected() {
        let err = load(CONFIG_FILE, "[postgres]\nversion = 7\n")
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains(":2:11: postgres.version 7 is not supported"),
            "{err}"
        );
    }
}
