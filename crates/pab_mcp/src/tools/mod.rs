//! The tools, one group per module. Each module adds an `impl Server` block
//! with `#[tool_router(router = <group>_tools)]`; `Server::new` joins the
//! groups.

mod review;
mod rules;

use crate::{Server, ToolError};
use pab_core::config::CliOverrides;
use pab_core::RunOptions;
use rmcp::model::CallToolResult;

/// The review options for `select` / `ignore`, as `--select` / `--ignore`
/// on the command line. Selectors are checked first so that a typo is an
/// error naming the close rule, not a review that silently ran nothing.
fn run_options(
    server: &Server,
    select: Option<Vec<String>>,
    ignore: Option<Vec<String>>,
) -> Result<RunOptions, ToolError> {
    let ignore = ignore.unwrap_or_default();
    for selector in select.iter().flatten().chain(&ignore) {
        server.engine.registry().resolve(selector)?;
    }
    Ok(RunOptions {
        cli: CliOverrides { select, ignore },
        config: None,
    })
}

/// Runs CPU-bound work (a review) off the runtime's thread, so the session
/// keeps answering pings and cancellations meanwhile. A panic in the engine
/// becomes a tool error: the server outlives any one call.
async fn blocking<F>(work: F) -> Result<CallToolResult, ToolError>
where
    F: FnOnce() -> Result<CallToolResult, ToolError> + Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ToolError::Internal(e.to_string()))?
}
