//! The MCP server: its identity, its instructions, and the one place where
//! tool groups are put together.

use pab_core::Engine;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::{tool_handler, ServerHandler};
use std::sync::Arc;

/// The proagent-backend MCP server over an assembled engine.
#[derive(Clone)]
pub struct Server {
    pub(crate) engine: Arc<Engine>,
    tool_router: ToolRouter<Server>,
}

impl Server {
    pub fn new(engine: Arc<Engine>) -> Server {
        Server {
            engine,
            // Every tool group is one module of `tools/` with its own
            // `#[tool_router]`; a new group (an analyzer's own tools) is one
            // more term here.
            tool_router: Server::review_tools() + Server::rule_tools(),
        }
    }

    /// The tools this server lists, with their schemas.
    pub fn tools(&self) -> Vec<rmcp::model::Tool> {
        self.tool_router.list_all()
    }
}

#[tool_handler(
    router = self.tool_router,
    name = "proagent-backend",
    instructions = "proagent-backend reviews backend artifacts (today: PostgreSQL migrations and queries, with the real PostgreSQL grammar) for locking and table-rewrite hazards, schema design, query safety and performance. Use `review_content` on SQL you are about to write (give it the file name it will have), `review_path` on files or directories already on disk, `list_rules` and `explain_rule` to learn what a rule means and how to fix what it reports. Reviews return the JSON v1 report as structured content: each finding has a rule id, a severity (critical, warning, suggestion), a position, a message and a concrete fix. Critical findings mean data loss or a long lock on a busy table: fix them before shipping."
)]
impl ServerHandler for Server {}

#[cfg(test)]
mod tests {
    use crate::test_support::server;
    use serde_json::{json, Value};

    #[test]
    fn four_read_only_tools_with_input_and_output_schemas() {
        let tools = server().tools();
        let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
        assert_eq!(
            names,
            [
                "explain_rule",
                "list_rules",
                "review_content",
                "review_path"
            ]
        );
        for tool in &tools {
            let input = Value::Object((*tool.input_schema).clone());
            assert_eq!(input["type"], "object", "{}", tool.name);
            assert_eq!(input["additionalProperties"], false, "{}", tool.name);
            let output = tool.output_schema.as_ref().expect("an output schema");
            assert_eq!(output["type"], "object", "{}", tool.name);
            // Only standard JSON Schema: clients such as Claude Code warn
            // about formats they do not know (schemars' `uint32`).
            let output = Value::Object((**output).clone()).to_string();
            assert!(!output.contains("\"format\""), "{output}");
            let hints = tool.annotations.as_ref().expect("annotations");
            assert_eq!(hints.read_only_hint, Some(true), "{}", tool.name);
            assert!(tool.description.as_ref().is_some_and(|d| d.len() > 40));
        }
        let required = |name: &str| {
            let tool = tools.iter().find(|t| t.name == name).unwrap();
            tool.input_schema
                .get("required")
                .cloned()
                .unwrap_or(json!([]))
        };
        assert_eq!(required("review_path"), json!(["path"]));
        assert_eq!(required("review_content"), json!(["content", "filename"]));
        assert_eq!(required("list_rules"), json!([]));
        assert_eq!(required("explain_rule"), json!(["rule"]));
    }
}
