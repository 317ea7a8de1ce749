//! `--format sarif`: SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure
//! DevOps). One run; the driver lists every rule of the registry, generated
//! from the same metadata as `explain`, and file errors and notes become tool
//! execution notifications so they do not pass for findings.
//!
//! The SARIF objects are small structs here rather than the `serde-sarif`
//! crate: it generates its model from the schema at build time (schemafy,
//! syn), a slow build for the dozen objects we write, and typed structs keep
//! key order fixed whatever features serde_json is built with. The test
//! validates the output against the official schema instead.

use crate::view::View;
use crate::RenderOptions;
use pab_core::{Finding, RuleMeta, RuleRegistry, Severity};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/proagent/proagent-backend";
/// Key of our fingerprint in `partialFingerprints`; versioned so that a new
/// fingerprint algorithm does not match old alerts by accident.
const FINGERPRINT_KEY: &str = "proagentBackend/v1";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    invocations: [Invocation; 1],
    results: Vec<SarifResult<'a>>,
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    deprecated_ids: &'a [&'a str],
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties<'a>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties<'a> {
    tags: [&'a str; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    locations: [Location; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    partial_fingerprints: BTreeMap<&'static str, &'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
    #[serde(skip_serializing_if = "Option::is_none")]
    context_region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Text>,
}

pub(crate) fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "error",
        Severity::Warning => "warning",
        Severity::Suggestion => "note",
    }
}

pub(crate) fn render(
    view: &View,
    registry: &RuleRegistry,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let rules = registry.all();
    let mut notifications: Vec<Notification> = view
        .errors
        .iter()
        .map(|e| Notification {
            level: "error",
            message: Text {
                text: e.message.clone(),
            },
            locations: [location(&e.path, e.line.map(|line| (line, e.column)))],
        })
        .collect();
    notifications.extend(view.notes.iter().map(|n| Notification {
        level: "note",
        message: Text {
            text: n.message.clone(),
        },
        locations: [location(&n.path, n.line.map(|line| (line, None)))],
    }));
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "proagent-backend",
                    version: options.tool_version,
                    information_uri: INFORMATION_URI,
                    rules: rules.iter().map(|r| rule(r)).collect(),
                },
            },
            invocations: [Invocation {
                // File errors do not make the run fail: the other files were
                // reviewed, and their results are valid.
                execution_successful: true,
                tool_execution_notifications: notifications,
            }],
            results: view.findings.iter().map(|f| result(f, rules)).collect(),
            column_kind: "unicodeCodePoints",
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn rule(meta: &RuleMeta) -> Rule<'_> {
    let d = &meta.docs;
    Rule {
        id: meta.id,
        deprecated_ids: meta.aliases,
        short_description: Text {
            text: meta.summary.to_string(),
        },
        full_description: Text {
            text: d.what.trim().to_string(),
        },
        help: Help {
            text: format!(
                "{}\n\n{}\n\nHow to fix: {}",
                d.what.trim(),
                d.why.trim(),
                d.fix.trim()
            ),
            markdown: meta.to_markdown(),
        },
        default_configuration: Configuration {
            level: level(meta.severity),
        },
        properties: RuleProperties {
            tags: [meta.area()],
        },
    }
}

fn result<'a>(finding: &'a Finding, rules: &[&'static RuleMeta]) -> SarifResult<'a> {
    let span = finding.span;
    let mut partial_fingerprints = BTreeMap::new();
    if !finding.fingerprint.is_empty() {
        partial_fingerprints.insert(FINGERPRINT_KEY, finding.fingerprint.as_str());
    }
    let mut location = location(&finding.path, None);
    location.physical_location.region = Some(Region {
        start_line: span.start.line,
        start_column: Some(span.start.column),
        end_line: Some(span.end.line),
        end_column: Some(span.end.column),
        snippet: None,
    });
    let excerpt = &finding.excerpt;
    let excerpt_lines = excerpt.text.lines().count() as u32;
    let excerpt_end = excerpt.first_line + excerpt_lines.saturating_sub(1);
    // SARIF wants the context to contain the region, and excerpts of long
    // spans are cut, so a cut excerpt is left out.
    let covers_region = excerpt.first_line <= span.start.line && excerpt_end >= span.end.line;
    if excerpt_lines > 0 && excerpt.first_line > 0 && covers_region {
        // Whole lines around the finding, so viewers can show it without the
        // file (the hook reviews content that is not on disk yet).
        location.physical_location.context_region = Some(Region {
            start_line: excerpt.first_line,
            end_line: Some(excerpt_end),
            snippet: Some(Text {
                text: excerpt.text.clone(),
            }),
            ..Region::default()
        });
    }
    // Viewers show message.text with the alert and rarely anything else of the
    // result, so the concrete fix goes there too.
    let text = if finding.help.is_empty() {
        finding.message.clone()
    } else {
        format!("{} Fix: {}", finding.message, finding.help)
    };
    SarifResult {
        rule_id: finding.rule,
        rule_index: rules.iter().position(|r| r.id == finding.rule),
        level: level(finding.severity),
        message: Text { text },
        locations: [location],
        partial_fingerprints,
    }
}

/// A location in `path`, with a line (and column) when known.
fn location(path: &str, line: Option<(u32, Option<u32>)>) -> Location {
    let (uri, uri_base_id) = artifact_uri(path);
    Location {
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation { uri, uri_base_id },
            region: line.map(|(line, column)| Region {
                start_line: line.max(1),
                start_column: column.map(|c| c.max(1)),
                ..Region::default()
            }),
            context_region: None,
        },
    }
}

/// The SARIF URI of a displayed path: relative paths stay relative to the
/// source root (`%SRCROOT%`, which code scanning maps to the checkout),
/// absolute ones become `file://` URIs. Backslashes become `/`, and anything
/// not allowed in a URI is percent-encoded (a space in a file name would
/// otherwise make the URI invalid).
pub(crate) fn artifact_uri(path: &str) -> (String, Option<&'static str>) {
    let path = path.replace('\\', "/");
    let bytes = path.as_bytes();
    let is_drive =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    if path.starts_with('/') {
        (format!("file://{}", encode(&path)), None)
    } else if is_drive {
        // The drive's `:` must stay as it is; the rest is encoded.
        (
            format!("file:///{}{}", &path[..2], encode(&path[2..])),
            None,
        )
    } else {
        let relative = path.trim_start_matches("./");
        (encode(relative), Some("%SRCROOT%"))
    }
}

fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        let keep = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/');
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::rendered;
    use crate::Format;
    use serde_json::Value;
    use std::path::PathBuf;
    use std::process::Command;

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered(Format::Sarif));
    }

    /// The official OASIS SARIF 2.1.0 schema, from the serde-sarif crate's
    /// source (see the `cfg(any())` dev-dependency in Cargo.toml): `cargo
    /// metadata` resolves that crate and downloads it if needed, so the test
    /// needs neither a committed copy nor a manual step. `SARIF_SCHEMA` may
    /// point at a copy of the file instead.
    fn official_schema() -> Value {
        let path = match std::env::var_os("SARIF_SCHEMA") {
            Some(path) => PathBuf::from(path),
            None => schema_from_serde_sarif(),
        };
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read the SARIF schema {}: {e}", path.display()));
        let schema: Value = serde_json::from_str(&text).expect("the SARIF schema is JSON");
        assert!(
            schema["$id"]
                .as_str()
                .is_some_and(|id| id.ends_with("sarif-schema-2.1.0.json")),
            "{} is not the SARIF 2.1.0 schema",
            path.display()
        );
        schema
    }

    fn schema_from_serde_sarif() -> PathBuf {
        let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
        // `cargo test` tells its tests which cargo runs them; the one that
        // built them is the fallback.
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
        let output = Command::new(cargo)
            .args([
                "metadata",
                "--format-version",
                "1",
                "--manifest-path",
                manifest,
            ])
            .output()
            .expect("run `cargo metadata` to locate serde-sarif");
        assert!(
            output.status.success(),
            "`cargo metadata` failed (set SARIF_SCHEMA to a copy of sarif-schema-2.1.0.json to test offline):\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let metadata: Value = serde_json::from_slice(&output.stdout).expect("cargo metadata JSON");
        let package = metadata["packages"]
            .as_array()
            .and_then(|p| p.iter().find(|p| p["name"] == "serde-sarif"))
            .expect("serde-sarif is a dev-dependency of pab_report");
        let manifest_path =
            PathBuf::from(package["manifest_path"].as_str().expect("manifest_path"));
        manifest_path
            .parent()
            .expect("a manifest has a parent directory")
            .join("src/schema.json")
    }

    fn validation_errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
        validator
            .iter_errors(instance)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect()
    }

    #[test]
    fn output_is_valid_against_the_official_schema() {
        let validator = jsonschema::draft7::new(&official_schema()).expect("the schema compiles");
        let sarif: Value = serde_json::from_str(&rendered(Format::Sarif)).unwrap();
        let errors = validation_errors(&validator, &sarif);
        assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));

        // The same check must fail on invalid SARIF, or it proves nothing.
        let mut bad = sarif.clone();
        bad["runs"][0]["results"][0]["level"] = "critical".into();
        assert!(!validation_errors(&validator, &bad).is_empty());
        let mut bad = sarif.clone();
        bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
            0.into();
        assert!(!validation_errors(&validator, &bad).is_empty());
        let mut bad = sarif;
        bad["runs"][0]["tool"]["driver"]
            .as_object_mut()
            .unwrap()
            .remove("name");
        assert!(!validation_errors(&validator, &bad).is_empty());
    }

    #[test]
    fn an_empty_report_is_valid_too() {
        let validator = jsonschema::draft7::new(&official_schema()).expect("the schema compiles");
        let report = pab_core::Report::default();
        let out = crate::test_support::render_report(Format::Sarif, &report);
        let sarif: Value = serde_json::from_str(&out).unwrap();
        let errors = validation_errors(&validator, &sarif);
        assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
    }

    #[test]
    fn results_point_into_the_rules_table() {
        let sarif: Value = serde_json::from_str(&rendered(Format::Sarif)).unwrap();
        let run = &sarif["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), 3);
        for result in run["results"].as_array().unwrap() {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"]);
            assert!(result["partialFingerprints"][FINGERPRINT_KEY].is_string());
        }
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        let notes = run["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .unwrap();
        assert_eq!(notes[0]["level"], "error");
        assert_eq!(notes[1]["level"], "note");
    }

    #[test]
    fn a_cut_excerpt_is_no_context_region() {
        let mut report = crate::test_support::report();
        for f in &mut report.findings {
            // As if the excerpt had been capped before the span's last line.
            f.span.end.line += 10;
        }
        let out = crate::test_support::render_report(Format::Sarif, &report);
        let sarif: Value = serde_json::from_str(&out).unwrap();
        for result in sarif["runs"][0]["results"].as_array().unwrap() {
            let location = &result["locations"][0]["physicalLocation"];
            assert!(location["region"].is_object());
            assert!(location.get("contextRegion").is_none(), "{location}");
        }
    }

    #[test]
    fn uris_are_relative_with_forward_slashes_and_encoded() {
        assert_eq!(
            artifact_uri("db\\migrations\\001 init.sql"),
            (
                "db/migrations/001%20init.sql".to_string(),
                Some("%SRCROOT%")
            )
        );
        assert_eq!(artifact_uri("./a.sql").0, "a.sql");
        assert_eq!(
            artifact_uri("/srv/app/a.sql"),
            ("file:///srv/app/a.sql".into(), None)
        );
        assert_eq!(
            artifact_uri("C:\\app\\a.sql"),
            ("file:///C:/app/a.sql".into(), None)
        );
        assert_eq!(artifact_uri("café#1.sql").0, "caf%C3%A9%231.sql");
        // A colon would otherwise read as a URI scheme.
        assert_eq!(artifact_uri("a:b.sql").0, "a%3Ab.sql");
    }
}
