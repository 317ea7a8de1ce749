//! A stand-in analyzer for the unit tests: this crate knows no real one.
//! It reviews `.sql` files and reports `test/drop` on every `DROP`.

use crate::Server;
use pab_core::engine::Diagnostics;
use pab_core::{Analyzer, Engine, Language, RuleDocs, RuleMeta, Settings, Severity, SourceFile};
use rmcp::model::CallToolResult;
use std::path::Path;
use std::sync::Arc;

const DOCS: RuleDocs = RuleDocs {
    what: "Finds DROP.",
    why: "It deletes data.",
    lock: "",
    bad: "DROP TABLE t;",
    good: "-- keep it",
    fix: "Keep the table.",
};

pub(crate) static DROP: RuleMeta = RuleMeta {
    id: "test/drop",
    aliases: &["test/old-drop"],
    severity: Severity::Critical,
    language: Language::Sql,
    default_enabled: true,
    summary: "DROP deletes data",
    docs: DOCS,
};

pub(crate) static STAR: RuleMeta = RuleMeta {
    id: "test/star",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Sql,
    default_enabled: false,
    summary: "SELECT * is fragile",
    docs: DOCS,
};

struct Fake;

impl Analyzer for Fake {
    fn name(&self) -> &'static str {
        "fake"
    }

    fn rules(&self) -> Vec<&'static RuleMeta> {
        vec![&DROP, &STAR]
    }

    fn accepts(&self, path: &Path) -> bool {
        path.extension().is_some_and(|e| e == "sql")
    }

    fn analyze(&self, file: &SourceFile, settings: &Settings, out: &mut Diagnostics) {
        if !settings.rules.is_enabled(&DROP) {
            return;
        }
        for (at, _) in file.text.match_indices("DROP") {
            let range = (at, at + 4);
            out.report(
                file,
                settings,
                &DROP,
                range,
                range,
                "DROP deletes data",
                "Keep it.",
            );
        }
    }
}

pub(crate) fn server() -> Server {
    Server::new(Arc::new(Engine::new(vec![Box::new(Fake)])))
}

/// The text content of a result.
pub(crate) fn text(result: &CallToolResult) -> &str {
    &result.content[0].as_text().expect("a text block").text
}

/// The rule ids of a review's findings, in order.
pub(crate) fn rules_found(result: &CallToolResult) -> Vec<String> {
    let document = result
        .structured_content
        .as_ref()
        .expect("structured content");
    document["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}
