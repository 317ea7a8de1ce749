//! The engine of proagent-backend: findings, rule metadata, configuration,
//! suppressions, file discovery and the parallel analysis run.
//!
//! Analyzers (SQL, code, contracts...) depend only on this crate. They describe
//! their rules with [`RuleMeta`] and implement [`Analyzer`]; the binary registers
//! them in an [`Engine`], which renderers, the hook and the MCP server drive
//! without knowing any analyzer by name.

pub mod baseline;
pub mod config;
pub mod diff;
pub mod discover;
pub mod endpoint;
pub mod engine;
pub mod finding;
pub mod fingerprint;
pub mod registry;
pub mod rule;
pub mod source;
pub mod suppress;

pub use config::{Config, ConfigError, Gate, HookConfig, Settings};
pub use endpoint::{
    apply_mounts, report_path_style, Endpoint, EndpointOrigin, Known, Mount, Param, ParamLocation,
};
pub use engine::{Analyzer, CrossFindings, Diagnostics, Engine, FileOutcome, Report, RunOptions};
pub use finding::{FileError, Finding, Note, Position, Severity, Span};
pub use registry::{RuleRegistry, RuleSet, SelectorError};
pub use rule::{Language, RuleDocs, RuleMeta};
pub use source::SourceFile;
