//! Renderers of a review [`Report`]: terminal text, JSON, SARIF, GitHub
//! Actions annotations, JUnit XML and the Markdown review report.
//!
//! Renderers know findings, not analyzers: everything they print comes from
//! the report and the rule registry, so a new analyzer needs no change here.
//! Every format is documented in `docs/output.md`. CI depends on the JSON,
//! SARIF, GitHub and JUnit shapes: change them compatibly, and bump the JSON
//! schema `version` for anything a consumer could trip on.

use pab_core::{Report, RuleRegistry};
use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

mod github;
mod json;
mod junit;
mod markdown;
mod sarif;
mod text;
mod view;

#[cfg(test)]
mod test_support;

/// An output format of `review`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Rich snippets for a terminal.
    Text,
    /// The stable JSON schema, version 1.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations on PR lines).
    Github,
    /// JUnit XML, for CI test reports.
    Junit,
    /// The review report of the Claude Code plugin.
    Markdown,
}

impl Format {
    /// Every format, in the order help texts list them.
    pub const ALL: [Format; 6] = [
        Format::Text,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Junit,
        Format::Markdown,
    ];

    /// The name used on the command line (`--format sarif`).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Junit => "junit",
            Format::Markdown => "markdown",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A `--format` value that names no format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownFormat(pub String);

impl fmt::Display for UnknownFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
        write!(
            f,
            "unknown format `{}`: expected one of {}",
            self.0,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownFormat {}

impl FromStr for Format {
    type Err = UnknownFormat;

    /// Case-insensitive, so `--format SARIF` works as typed in CI files.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownFormat(s.to_string()))
    }
}

/// How to render, beyond the format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    /// ANSI colors in `text`; the caller decides (TTY, `NO_COLOR`...).
    pub color: bool,
    /// The version reported as the tool's in SARIF and JUnit.
    pub tool_version: &'static str,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            tool_version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// Writes `report` to `out` in `format`. Findings are sorted by path,
/// position and rule here, whatever order the report holds them in.
pub fn render(
    format: Format,
    report: &Report,
    registry: &RuleRegistry,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let view = view::View::new(report);
    match format {
        Format::Text => text::render(&view, options, out),
        Format::Json => json::render(&view, out),
        Format::Sarif => sarif::render(&view, registry, options, out),
        Format::Github => github::render(&view, out),
        Format::Junit => junit::render(&view, options, out),
        Format::Markdown => markdown::render(&view, registry, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip_through_their_names() {
        for format in Format::ALL {
            assert_eq!(format.as_str().parse::<Format>(), Ok(format));
            assert_eq!(format.to_string(), format.as_str());
        }
        assert_eq!("SARIF".parse::<Format>(), Ok(Format::Sarif));
    }

    #[test]
    fn unknown_format_lists_the_valid_ones() {
        let err = "xml".parse::<Format>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown format `xml`: expected one of text, json, sarif, github, junit, markdown"
        );
    }

    #[test]
    fn every_format_renders_an_empty_report() {
        let report = Report::default();
        let registry = RuleRegistry::default();
        for format in Format::ALL {
            let mut out = Vec::new();
            render(
                format,
                &report,
                &registry,
                &RenderOptions::default(),
                &mut out,
            )
            .unwrap();
            assert!(!out.is_empty(), "{format} wrote nothing");
        }
    }
}
