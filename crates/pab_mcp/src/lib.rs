//! `proagent-backend mcp`: the engine as an MCP server over stdio, built on
//! rmcp (the official Rust SDK). Tools:
//!
//! - `review_path`: review a file or directory, as `proagent-backend review`;
//! - `review_content`: review text that is not on disk, by its file name;
//! - `list_rules`: every rule, or those a selector names;
//! - `explain_rule`: one rule's documentation.
//!
//! Reviews return the JSON v1 report (docs/output.md) as structured content
//! and a short summary as text. Anything that goes wrong is a tool error
//! (`isError`) with a message saying what to change; the server never exits
//! because of a call.
//!
//! Like the hook, this crate knows no analyzer by name: it drives the
//! [`Engine`] the binary assembled, so a new analyzer's files are reviewed
//! here with no change. Tools of their own go in `tools/` (see [`Server`]).

mod error;
mod output;
mod server;
mod tools;

#[cfg(test)]
mod test_support;

pub use error::{Error, ToolError};
pub use server::Server;

use pab_core::Engine;
use rmcp::ServiceExt;
use std::sync::Arc;

/// Serves MCP on stdin/stdout until the client closes the connection.
/// Stdout carries only the protocol; this function prints nothing.
pub fn serve_stdio(engine: Arc<Engine>) -> Result<(), Error> {
    // One thread is enough for the protocol: reviews run on the blocking
    // pool (and rayon inside the engine), not on the runtime's thread.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Error::Runtime)?;
    let outcome = runtime.block_on(async {
        let service = Server::new(engine)
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| Error::Handshake(Box::new(e)))?;
        service.waiting().await.map_err(Error::Session)?;
        Ok(())
    });
    // Tokio's stdin reader is a blocking read that cannot be cancelled; a
    // normal shutdown would wait for it (and for a review a client gave up
    // on). The session is over, so nothing is left to wait for.
    runtime.shutdown_background();
    outcome
}
