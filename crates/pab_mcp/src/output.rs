//! What the tools return: structured content with a declared schema, and a
//! short text for clients that show only text.
//!
//! A review's structured content *is* `--format json` (schema version 1, see
//! docs/output.md): pab_report renders it, so the MCP tools and the CLI
//! cannot drift apart. The types below read that document back, strictly
//! (unknown fields are errors), to give MCP clients a JSON Schema of it:
//! a field added in pab_report fails the tests here until it is described.

use crate::ToolError;
use pab_core::{Engine, Report, Severity};
use pab_report::{render, Format, RenderOptions};
use rmcp::model::{CallToolResult, ContentBlock, JsonObject};
use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::sync::Arc;

/// At most this many findings are listed in the text; the structured
/// content always has all of them.
const TEXT_FINDINGS: usize = 50;

/// The declared output schema of a tool returning `T`: what `T` serializes
/// to, as rmcp's own `schema_for_output` makes it, less the integer formats
/// (`uint32`...) schemars adds. They are not JSON Schema formats, and Claude
/// Code warns about each one every time it lists the tools.
pub(crate) fn output_schema<T: JsonSchema>() -> Arc<JsonObject> {
    fn drop_integer_format(schema: &mut Schema) {
        let is_integer_format = schema
            .get("format")
            .and_then(|f| f.as_str())
            .is_some_and(|f| f.starts_with("int") || f.starts_with("uint"));
        if is_integer_format {
            schema.remove("format");
        }
    }
    let generator = SchemaSettings::draft2020_12()
        .for_serialize()
        .with_transform(RecursiveTransform(drop_integer_format as fn(&mut Schema)))
        .into_generator();
    let mut schema = generator.into_root_schema_for::<T>();
    // The type's name and doc comment: noise to a model reading the tool.
    schema.remove("title");
    schema.remove("description");
    match schema.to_value() {
        serde_json::Value::Object(object) => Arc::new(object),
        // A root that is `true` or `false`: no Rust type here has one.
        _ => Arc::new(JsonObject::new()),
    }
}

/// The structured content with a text rendering beside it.
pub(crate) fn structured(
    value: &impl Serialize,
    text: String,
) -> Result<CallToolResult, ToolError> {
    let value = serde_json::to_value(value).map_err(|e| ToolError::Internal(e.to_string()))?;
    let mut result = CallToolResult::structured(value);
    result.content = vec![ContentBlock::text(text)];
    Ok(result)
}

/// A review as the JSON v1 report plus a summary of it. A review where
/// nothing could be read (a single binary file, say) is a tool error
/// instead: the caller asked for a review and got none.
pub(crate) fn review_result(engine: &Engine, report: &Report) -> Result<CallToolResult, ToolError> {
    let mut json = Vec::new();
    render(
        Format::Json,
        report,
        engine.registry(),
        &RenderOptions::default(),
        &mut json,
    )
    .map_err(|e| ToolError::Internal(e.to_string()))?;
    let document: ReportV1 =
        serde_json::from_slice(&json).map_err(|e| ToolError::Internal(e.to_string()))?;
    if document.summary.files == 0 && !document.errors.is_empty() {
        return Err(ToolError::NotReviewed(errors_text(&document.errors)));
    }
    let text = summary(&document);
    structured(&document, text)
}

/// One line of counts, then each finding with its fix, then file errors,
/// in the report's own order.
fn summary(document: &ReportV1) -> String {
    let files_reviewed = files(document.summary.files);
    let by_severity = &document.summary.findings_by_severity;
    let mut out = if document.findings.is_empty() {
        format!("No findings in {files_reviewed}.")
    } else {
        format!(
            "{} ({} critical, {} warning, {} suggestion) in {files_reviewed}.",
            plural(document.findings.len() as u64, "finding"),
            by_severity.critical,
            by_severity.warning,
            by_severity.suggestion,
        )
    };
    for f in document.findings.iter().take(TEXT_FINDINGS) {
        out.push_str(&format!(
            "\n{}:{}:{}: {}[{}] {}\n  fix: {}",
            f.path,
            f.line,
            f.column,
            f.severity.as_str(),
            f.rule,
            f.message,
            f.help
        ));
    }
    if document.findings.len() > TEXT_FINDINGS {
        out.push_str(&format!(
            "\n... {} more in the structured result.",
            document.findings.len() - TEXT_FINDINGS
        ));
    }
    if !document.errors.is_empty() {
        let paths: BTreeSet<&str> = document.errors.iter().map(|e| e.path.as_str()).collect();
        out.push_str(&format!(
            "\n{} not fully reviewed:\n{}",
            files(paths.len() as u64),
            errors_text(&document.errors)
        ));
    }
    out
}

fn errors_text(errors: &[FileErrorV1]) -> String {
    let lines: Vec<String> = errors
        .iter()
        .map(|e| match (e.line, e.column) {
            (Some(line), Some(column)) => format!("{}:{line}:{column}: {}", e.path, e.message),
            (Some(line), None) => format!("{}:{line}: {}", e.path, e.message),
            _ => format!("{}: {}", e.path, e.message),
        })
        .collect();
    lines.join("\n")
}

fn files(n: u64) -> String {
    plural(n, "file")
}

fn plural(n: u64, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// A severity as the JSON report and the rule list spell it.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum SeverityName {
    Critical,
    Warning,
    Suggestion,
}

impl SeverityName {
    fn as_str(&self) -> &'static str {
        match self {
            SeverityName::Critical => "critical",
            SeverityName::Warning => "warning",
            SeverityName::Suggestion => "suggestion",
        }
    }
}

impl From<Severity> for SeverityName {
    fn from(s: Severity) -> SeverityName {
        match s {
            Severity::Critical => SeverityName::Critical,
            Severity::Warning => SeverityName::Warning,
            Severity::Suggestion => SeverityName::Suggestion,
        }
    }
}

/// The JSON report, schema version 1 (docs/output.md).
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReportV1 {
    /// Schema version: 1.
    version: u32,
    /// Sorted by path, line, column, rule.
    findings: Vec<FindingV1>,
    /// Files (or parts of files) that could not be reviewed.
    errors: Vec<FileErrorV1>,
    /// Things to know about a file that are not problems in it.
    notes: Vec<NoteV1>,
    summary: SummaryV1,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct FindingV1 {
    /// Stable rule id, `<area>/<name>`; `explain_rule` documents it.
    rule: String,
    severity: SeverityName,
    path: String,
    /// 1-based.
    line: u32,
    /// 1-based, in Unicode code points.
    column: u32,
    end_line: u32,
    /// Exclusive.
    end_column: u32,
    /// What is wrong.
    message: String,
    /// How to fix it.
    help: String,
    /// Stable across unrelated edits (for baselines).
    fingerprint: String,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct FileErrorV1 {
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<u32>,
    message: String,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct NoteV1 {
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    message: String,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct SummaryV1 {
    /// Files reviewed.
    files: u64,
    findings_by_severity: BySeverityV1,
    /// File errors.
    errors: u64,
    duration_ms: u64,
}

#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct BySeverityV1 {
    critical: u64,
    warning: u64,
    suggestion: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use pab_core::{FileError, Finding, Note, Position, Span};
    use std::time::Duration;

    fn finding(path: &str, line: u32, severity: Severity) -> Finding {
        let at = |line, column| Position { line, column };
        Finding {
            rule: "test/drop",
            severity,
            path: path.into(),
            span: Span {
                start: at(line, 1),
                end: at(line, 5),
                start_byte: 0,
                end_byte: 4,
            },
            anchor_lines: (line, line),
            message: "m".into(),
            help: "h".into(),
            fingerprint: "f".into(),
            excerpt: Default::default(),
        }
    }

    /// Findings, an error with and one without a position, and a note: every
    /// optional field both present and absent.
    fn report() -> Report {
        Report {
            findings: vec![
                finding("b.sql", 2, Severity::Warning),
                finding("a.sql", 9, Severity::Critical),
            ],
            errors: vec![
                FileError {
                    path: "c.sql".into(),
                    line: Some(1),
                    column: Some(3),
                    message: "not valid UTF-8 here".into(),
                },
                FileError {
                    path: "d.sql".into(),
                    line: None,
                    column: None,
                    message: "binary".into(),
                },
            ],
            notes: vec![
                Note {
                    path: "a.sql".into(),
                    line: Some(1),
                    message: "skipped".into(),
                },
                Note {
                    path: "a.sql".into(),
                    line: None,
                    message: "n".into(),
                },
            ],
            endpoints: Vec::new(),
            files: 2,
            duration: Duration::from_millis(3),
        }
    }

    #[test]
    fn the_structured_content_is_the_json_report_and_matches_its_schema() {
        let engine = Engine::new(vec![]);
        let result = review_result(&engine, &report()).unwrap();
        let document = result.structured_content.unwrap();
        let mut cli = Vec::new();
        render(
            Format::Json,
            &report(),
            engine.registry(),
            &RenderOptions::default(),
            &mut cli,
        )
        .unwrap();
        let cli: serde_json::Value = serde_json::from_slice(&cli).unwrap();
        assert_eq!(document, cli, "read back and written again unchanged");
        let schema = serde_json::Value::Object((*output_schema::<ReportV1>()).clone());
        assert!(!schema.to_string().contains("uint"), "{schema:#}");
        let validator = jsonschema::validator_for(&schema).unwrap();
        let problems: Vec<String> = validator
            .iter_errors(&document)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(problems.is_empty(), "{problems:#?}\n{document:#}");
        assert_eq!(document["findings"][0]["path"], "a.sql", "sorted by path");
    }

    #[test]
    fn the_text_lists_findings_in_order_with_their_fix_and_the_errors() {
        let engine = Engine::new(vec![]);
        let result = review_result(&engine, &report()).unwrap();
        assert_eq!(result.is_error, Some(false));
        let text = &result.content[0].as_text().unwrap().text;
        assert_eq!(
            text,
            "2 findings (1 critical, 1 warning, 0 suggestion) in 2 files.\n\
             a.sql:9:1: critical[test/drop] m\n  fix: h\n\
             b.sql:2:1: warning[test/drop] m\n  fix: h\n\
             2 files not fully reviewed:\n\
             c.sql:1:3: not valid UTF-8 here\n\
             d.sql: binary"
        );
    }

    #[test]
    fn long_reports_are_cut_in_the_text_only() {
        let engine = Engine::new(vec![]);
        let report = Report {
            findings: (1..=60)
                .map(|line| finding("a.sql", line, Severity::Suggestion))
                .collect(),
            files: 1,
            ..Report::default()
        };
        let result = review_result(&engine, &report).unwrap();
        let text = &result.content[0].as_text().unwrap().text;
        assert_eq!(text.matches("fix: h").count(), TEXT_FINDINGS);
        assert!(
            text.ends_with("... 10 more in the structured result."),
            "{text}"
        );
        let document = result.structured_content.unwrap();
        assert_eq!(document["findings"].as_array().unwrap().len(), 60);
    }

    #[test]
    fn nothing_reviewed_is_a_tool_error_that_names_each_file() {
        let engine = Engine::new(vec![]);
        let report = Report {
            files: 0,
            ..report()
        };
        let err = review_result(&engine, &report).unwrap_err().to_string();
        assert_eq!(
            err,
            "nothing could be reviewed:\nc.sql:1:3: not valid UTF-8 here\nd.sql: binary"
        );
    }
}
