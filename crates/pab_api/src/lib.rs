//! API contract review: OpenAPI 2.0/3.0/3.1 descriptions (YAML or JSON),
//! with more contract formats added beside it (one module per format).
//! Every rule implements [`rule::ApiRule`]; [`ApiAnalyzer`] decides a file's
//! format from its path and hands it to that format's module, which parses
//! it once and runs the rules' matching `check_*` method.
//!
//! Besides findings, OpenAPI operations are reported as
//! [`pab_core::Endpoint`]s, so that the engine can compare a description
//! with the routes the code declares.

pub mod drift;
pub mod graphql;
pub mod openapi;
pub mod proto;
pub mod rule;

/// The generated registry: one module per file under src/rules/<area>/.
#[allow(clippy::module_inception)]
pub mod rules {
    include!(concat!(env!("OUT_DIR"), "/registry.rs"));
}

use pab_core::{
    Analyzer, CrossFindings, Diagnostics, Endpoint, Language, RuleMeta, Settings, SourceFile,
};
use std::path::Path;

/// The contract formats this crate reads, decided by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `.yaml` / `.yml`: reviewed when it is an OpenAPI description.
    Yaml,
    /// `.json`: reviewed when it is an OpenAPI description.
    Json,
    /// `.graphql`, `.graphqls`, `.gql`: GraphQL SDL.
    GraphQl,
    /// `.proto`: Protocol Buffers.
    Protobuf,
}

impl FileKind {
    /// The format of `path`, or `None` when this crate does not read it
    /// (including well-known YAML and JSON files that are never API
    /// descriptions, which are left out without being read).
    pub fn from_path(path: &Path) -> Option<FileKind> {
        let name = path.file_name()?.to_str()?;
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        let kind = match ext.as_str() {
            "yaml" | "yml" => FileKind::Yaml,
            "json" => FileKind::Json,
            "graphql" | "graphqls" | "gql" => FileKind::GraphQl,
            "proto" => FileKind::Protobuf,
            _ => return None,
        };
        if matches!(kind, FileKind::Yaml | FileKind::Json) && openapi::never_a_description(name) {
            return None;
        }
        Some(kind)
    }

    pub fn language(self) -> Language {
        match self {
            FileKind::Yaml => Language::Yaml,
            FileKind::Json => Language::Json,
            FileKind::GraphQl => Language::GraphQl,
            FileKind::Protobuf => Language::Protobuf,
        }
    }
}

/// Reviews API descriptions: OpenAPI in `.yaml`, `.yml` and `.json` files
/// (other YAML and JSON files are read cheaply and produce nothing).
#[derive(Default)]
pub struct ApiAnalyzer;

impl Analyzer for ApiAnalyzer {
    fn name(&self) -> &'static str {
        "api"
    }

    fn rules(&self) -> Vec<&'static RuleMeta> {
        rules::ALL_RULES.iter().map(|r| r.meta()).collect()
    }

    fn accepts(&self, path: &Path) -> bool {
        FileKind::from_path(path).is_some()
    }

    fn language(&self, path: &Path) -> Option<Language> {
        FileKind::from_path(path).map(FileKind::language)
    }

    fn analyze(&self, file: &SourceFile, settings: &Settings, out: &mut Diagnostics) {
        let Some(kind) = FileKind::from_path(Path::new(&file.path)) else {
            return;
        };
        match kind {
            FileKind::Yaml | FileKind::Json => openapi::analyze(file, settings, out),
            FileKind::GraphQl => graphql::analyze(file, settings, out),
            FileKind::Protobuf => proto::analyze(file, settings, out),
        }
    }

    fn cross_check(&self, endpoints: &[Endpoint], out: &mut CrossFindings) {
        drift::check(endpoints, out);
    }

    fn cross_check_rules(&self) -> Vec<&'static RuleMeta> {
        drift::RULES.to_vec()
    }
}
