//! `review_path` and `review_content`: the engine's review, on disk or in
//! memory, returned as the JSON v1 report.

use super::{blocking, run_options};
use crate::output::{output_schema, review_result, ReportV1};
use crate::{Server, ToolError};
use pab_core::engine::NoProgress;
use pab_core::Report;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::{tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReviewPathInput {
    /// A file or directory to review, absolute or relative to the server's
    /// working directory. Directories are walked respecting .gitignore.
    path: PathBuf,
    /// Run only these rules or areas, e.g. ["migration", "query/select-star"]
    /// or ["all"]. Default: the nearest proagent-backend.toml's selection,
    /// else the rules that are on by default.
    select: Option<Vec<String>>,
    /// Skip these rules or areas.
    ignore: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReviewContentInput {
    /// The full text of the file, as it is or will be on disk.
    content: String,
    /// The file's name or path, e.g. "migrations/001_add_users.sql": its
    /// extension picks the language, and the configuration nearest to it
    /// (from the server's working directory) applies.
    filename: String,
    /// Run only these rules or areas, e.g. ["migration"] or ["all"].
    select: Option<Vec<String>>,
    /// Skip these rules or areas.
    ignore: Option<Vec<String>>,
}

#[tool_router(router = review_tools, vis = "pub(crate)")]
impl Server {
    /// Reviews files on disk with the nearest configuration, like
    /// `proagent-backend review PATH --format json`.
    #[tool(
        description = "Review a file or directory on disk for backend hazards (today: PostgreSQL migrations and queries: locking and table-rewrite hazards, schema design, query safety and performance), like `proagent-backend review PATH`. The nearest proagent-backend.toml applies. Returns the JSON v1 report (findings with rule id, severity, position, message and fix; files that could not be reviewed; a summary) and a text summary.",
        output_schema = output_schema::<ReportV1>(),
        annotations(read_only_hint = true, idempotent_hint = true, open_world_hint = false)
    )]
    async fn review_path(
        &self,
        Parameters(input): Parameters<ReviewPathInput>,
    ) -> Result<CallToolResult, ToolError> {
        let options = run_options(self, input.select, input.ignore)?;
        // The engine reports a missing path as a file error inside an empty
        // report; for a caller that named one path, that is a failed call.
        if let Ok(false) = input.path.try_exists() {
            return Err(ToolError::NoSuchPath {
                path: input.path.display().to_string(),
                cwd: std::env::current_dir()
                    .map(|d| d.display().to_string())
                    .unwrap_or_else(|e| format!("unknown: {e}")),
            });
        }
        let engine = self.engine.clone();
        blocking(move || {
            let report = engine.review_paths(&[input.path], &options, &NoProgress)?;
            review_result(&engine, &report)
        })
        .await
    }

    /// Reviews text that is not on disk (yet), as the hook does.
    #[tool(
        description = "Review file content that is not on disk yet (e.g. a migration you are about to write), in memory. The filename's extension picks the language (e.g. .sql) and the configuration nearest to it applies. Returns the same JSON v1 report as review_path, and a text summary.",
        output_schema = output_schema::<ReportV1>(),
        annotations(read_only_hint = true, idempotent_hint = true, open_world_hint = false)
    )]
    async fn review_content(
        &self,
        Parameters(input): Parameters<ReviewContentInput>,
    ) -> Result<CallToolResult, ToolError> {
        let options = run_options(self, input.select, input.ignore)?;
        // As for files on disk: a byte-order mark is not content. (Size needs
        // no check: the stdio transport drops messages over 16 MiB.)
        let content = match input.content.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => input.content,
        };
        if content.contains('\0') {
            return Err(ToolError::Binary);
        }
        let filename = input.filename;
        let engine = self.engine.clone();
        blocking(move || {
            let started = Instant::now();
            let settings = engine
                .settings_for(Path::new(&filename), &options)?
                .ok_or_else(|| ToolError::UnsupportedFile(filename.clone()))?;
            let outcome = engine.review_source(&filename, content, &settings);
            let report = Report {
                findings: outcome.findings,
                errors: outcome.errors,
                notes: outcome.notes,
                endpoints: outcome.endpoints,
                files: 1,
                duration: started.elapsed(),
            };
            review_result(&engine, &report)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{rules_found, server, text};
    use serde_json::json;

    fn path_input(args: serde_json::Value) -> Parameters<ReviewPathInput> {
        Parameters(serde_json::from_value(args).unwrap())
    }

    fn content_input(args: serde_json::Value) -> Parameters<ReviewContentInput> {
        Parameters(serde_json::from_value(args).unwrap())
    }

    #[tokio::test]
    async fn review_path_reviews_a_directory_and_a_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.sql"), "DROP TABLE a;\nDROP TABLE b;\n").unwrap();
        std::fs::write(dir.path().join("b.sql"), "SELECT 1;\n").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "DROP\n").unwrap();
        let server = server();
        let result = server
            .review_path(path_input(json!({"path": dir.path()})))
            .await
            .unwrap();
        assert_eq!(rules_found(&result), ["test/drop", "test/drop"]);
        let document = result.structured_content.as_ref().unwrap();
        assert_eq!(document["summary"]["files"], 2);
        assert!(text(&result)
            .starts_with("2 findings (2 critical, 0 warning, 0 suggestion) in 2 files."));
        let one = server
            .review_path(path_input(json!({"path": dir.path().join("b.sql")})))
            .await
            .unwrap();
        assert_eq!(text(&one), "No findings in 1 file.");
    }

    #[tokio::test]
    async fn review_path_applies_select_and_ignore() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.sql"), "DROP TABLE a;\n").unwrap();
        let result = server()
            .review_path(path_input(json!({"path": dir.path(), "ignore": ["test"]})))
            .await
            .unwrap();
        assert!(rules_found(&result).is_empty());
        let err = server()
            .review_path(path_input(json!({"path": dir.path(), "select": ["drop"]})))
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown rule or area `drop`; did you mean `test/drop`?; `list_rules` lists the rules"
        );
    }

    #[tokio::test]
    async fn review_path_of_a_missing_path_says_where_it_looked() {
        let err = server()
            .review_path(path_input(json!({"path": "no/such/dir"})))
            .await
            .unwrap_err();
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(
            err.to_string(),
            format!("`no/such/dir` does not exist (relative paths are resolved from the server's working directory, {})", cwd.display())
        );
    }

    #[tokio::test]
    async fn review_path_of_a_file_that_cannot_be_read_as_text_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bad.sql");
        std::fs::write(&file, b"SELECT '\xff';\n").unwrap();
        let err = server()
            .review_path(path_input(json!({"path": file})))
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "nothing could be reviewed:\n{}:1:9: not valid UTF-8 here; re-encode the file as UTF-8",
                file.display()
            )
        );
    }

    #[tokio::test]
    async fn review_path_reports_a_broken_configuration() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("proagent-backend.toml"), "selct = []\n").unwrap();
        std::fs::write(dir.path().join("a.sql"), "SELECT 1;\n").unwrap();
        let err = server()
            .review_path(path_input(json!({"path": dir.path()})))
            .await
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("configuration error: "), "{err}");
        assert!(err.contains("proagent-backend.toml:1:1"), "{err}");
    }

    #[tokio::test]
    async fn review_content_reviews_in_memory_under_the_given_name() {
        let result = server()
            .review_content(content_input(json!({
                "content": "\u{feff}DROP TABLE a;\n",
                "filename": "migrations/001.sql",
            })))
            .await
            .unwrap();
        assert_eq!(rules_found(&result), ["test/drop"]);
        let finding = &result.structured_content.as_ref().unwrap()["findings"][0];
        assert_eq!(finding["path"], "migrations/001.sql");
        assert_eq!(finding["column"], 1, "the byte-order mark is not a column");
        assert_eq!(
            text(&result),
            "1 finding (1 critical, 0 warning, 0 suggestion) in 1 file.\n\
             migrations/001.sql:1:1: critical[test/drop] DROP deletes data\n  fix: Keep it."
        );
    }

    #[tokio::test]
    async fn review_content_refuses_what_it_cannot_review() {
        let server = server();
        let unsupported = server
            .review_content(content_input(
                json!({"content": "DROP", "filename": "notes.txt"}),
            ))
            .await
            .unwrap_err();
        assert!(
            unsupported
                .to_string()
                .starts_with("proagent-backend does not review `notes.txt`"),
            "{unsupported}"
        );
        let binary = server
            .review_content(content_input(
                json!({"content": "a\u{0}b", "filename": "a.sql"}),
            ))
            .await
            .unwrap_err();
        assert_eq!(
            binary.to_string(),
            "the content is binary (it contains NUL bytes), not text"
        );
    }
}
