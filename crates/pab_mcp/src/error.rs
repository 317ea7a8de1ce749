//! The two kinds of failure: a tool call that cannot do what was asked (an
//! MCP tool error, which the model reads and can act on), and the server
//! itself failing to start or run.

use pab_core::{ConfigError, SelectorError};
use rmcp::handler::server::tool::IntoCallToolResult;
use rmcp::model::{CallToolResponse, CallToolResult, ContentBlock};
use thiserror::Error;

/// Why a tool call failed. Each message says what to change.
#[derive(Debug, Error)]
pub enum ToolError {
    #[error("`{path}` does not exist (relative paths are resolved from the server's working directory, {cwd})")]
    NoSuchPath { path: String, cwd: String },
    #[error("{0}; `list_rules` lists the rules")]
    Selector(#[from] SelectorError),
    #[error("`{name}` names several rules, not one: {rules}")]
    NotOneRule { name: String, rules: String },
    #[error("configuration error: {0}")]
    Config(#[from] ConfigError),
    #[error("proagent-backend does not review `{0}` (no analyzer reads this kind of file, or the configuration excludes it); pass the name the file has or would have on disk, e.g. `migrations/001_init.sql`")]
    UnsupportedFile(String),
    #[error("the content is binary (it contains NUL bytes), not text")]
    Binary,
    #[error("nothing could be reviewed:\n{0}")]
    NotReviewed(String),
    #[error("internal error ({0}); this is a bug in proagent-backend")]
    Internal(String),
}

/// rmcp sets `isError` on the result; the message is its only content.
impl IntoCallToolResult for ToolError {
    fn into_call_tool_result(self) -> Result<CallToolResponse, rmcp::ErrorData> {
        Ok(CallToolResult::error(vec![ContentBlock::text(self.to_string())]).into())
    }
}

/// Why the server could not start or stopped abnormally. The cause is the
/// error's source, so that `{:#}` (anyhow, in the binary) prints it once.
#[derive(Debug, Error)]
pub enum Error {
    #[error("cannot start the async runtime")]
    Runtime(#[source] std::io::Error),
    // Boxed: the handshake error carries a whole JSON-RPC message.
    #[error("the MCP handshake failed")]
    Handshake(#[source] Box<rmcp::service::ServerInitializeError>),
    #[error("the MCP session stopped abnormally")]
    Session(#[source] tokio::task::JoinError),
}
