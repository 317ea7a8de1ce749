//! `--format json`: the stable machine-readable schema, version 1, documented
//! field by field in docs/output.md. The shape is spelled out in structs here
//! rather than derived from pab_core's types so that a change in the core
//! model cannot silently change the contract.

use crate::view::View;
use pab_core::Severity;
use serde::Serialize;
use std::io::{self, Write};

/// Bumped on any change that could break a consumer (renamed or removed
/// field, changed meaning); adding a field keeps the version.
pub(crate) const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    findings: Vec<FindingJson<'a>>,
    errors: Vec<ErrorJson<'a>>,
    notes: Vec<NoteJson<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct FindingJson<'a> {
    rule: &'a str,
    severity: Severity,
    path: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: &'a str,
    help: &'a str,
    fingerprint: &'a str,
}

#[derive(Serialize)]
struct ErrorJson<'a> {
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<u32>,
    message: &'a str,
}

#[derive(Serialize)]
struct NoteJson<'a> {
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    message: &'a str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    findings_by_severity: BySeverity,
    errors: usize,
    duration_ms: u64,
}

#[derive(Serialize)]
struct BySeverity {
    critical: usize,
    warning: usize,
    suggestion: usize,
}

pub(crate) fn render(view: &View, out: &mut dyn Write) -> io::Result<()> {
    let document = Document {
        version: SCHEMA_VERSION,
        findings: view
            .findings
            .iter()
            .map(|f| FindingJson {
                rule: f.rule,
                severity: f.severity,
                path: &f.path,
                line: f.span.start.line,
                column: f.span.start.column,
                end_line: f.span.end.line,
                end_column: f.span.end.column,
                message: &f.message,
                help: &f.help,
                fingerprint: &f.fingerprint,
            })
            .collect(),
        errors: view
            .errors
            .iter()
            .map(|e| ErrorJson {
                path: &e.path,
                line: e.line,
                column: e.column,
                message: &e.message,
            })
            .collect(),
        notes: view
            .notes
            .iter()
            .map(|n| NoteJson {
                path: &n.path,
                line: n.line,
                message: &n.message,
            })
            .collect(),
        summary: Summary {
            files: view.report.files,
            findings_by_severity: BySeverity {
                critical: view.count(Severity::Critical),
                warning: view.count(Severity::Warning),
                suggestion: view.count(Severity::Suggestion),
            },
            errors: view.errors.len(),
            duration_ms: view.duration_ms(),
        },
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use crate::test_support::rendered;
    use crate::Format;
    use serde_json::Value;

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered(Format::Json));
    }

    #[test]
    fn schema_v1_keys_exactly() {
        let out = rendered(Format::Json);
        assert!(out.ends_with("}\n"));
        let doc: Value = serde_json::from_str(&out).unwrap();
        let keys = |v: &Value| -> Vec<String> {
            let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
            k.sort();
            k
        };
        assert_eq!(doc["version"], 1);
        assert_eq!(
            keys(&doc),
            ["errors", "findings", "notes", "summary", "version"]
        );
        assert_eq!(
            keys(&doc["findings"][0]),
            [
                "column",
                "end_column",
                "end_line",
                "fingerprint",
                "help",
                "line",
                "message",
                "path",
                "rule",
                "severity"
            ]
        );
        assert_eq!(
            keys(&doc["errors"][0]),
            ["column", "line", "message", "path"]
        );
        assert_eq!(keys(&doc["notes"][0]), ["line", "message", "path"]);
        assert_eq!(
            keys(&doc["summary"]),
            ["duration_ms", "errors", "files", "findings_by_severity"]
        );
        assert_eq!(
            doc["summary"]["findings_by_severity"],
            serde_json::json!({"critical": 2, "warning": 1, "suggestion": 1})
        );
        // Sorted by path, then position, whatever the report's order.
        let order: Vec<(String, u64)> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["path"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                )
            })
            .collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted);
    }
}
