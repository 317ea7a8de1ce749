//! The endpoint model: one HTTP operation, as code declares it (a FastAPI
//! route, an Express handler) or as a contract describes it (an OpenAPI
//! operation). Analyzers report endpoints next to their findings; the
//! `routes` command prints them, and the engine hands every endpoint of a
//! run to [`crate::Analyzer::cross_check`] so that the contract analyzer
//! can compare code with specification (drift) without knowing the code
//! analyzer.

pub mod path_style;

use crate::finding::Span;
use serde::Serialize;

pub use path_style::report_path_style;

/// Where an endpoint was declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EndpointOrigin {
    /// Handler code (framework named in [`Endpoint::framework`]).
    Code,
    /// An API description (OpenAPI).
    Spec,
}

/// Where a parameter is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
    Body,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Param {
    pub name: String,
    pub location: ParamLocation,
}

/// What is known about a property of an endpoint: code analysis cannot
/// always tell (a decorator it does not know may add authentication).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Known {
    Yes,
    No,
    #[default]
    Unknown,
}

/// One HTTP operation. Renderers build their own views of it (the
/// `routes` command's JSON names the line, not the byte span).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub origin: EndpointOrigin,
    /// `fastapi`, `express`, `gin`, `openapi`...
    pub framework: &'static str,
    /// Upper case (`GET`); `ANY` for a handler that serves every method
    /// (Django views without a method restriction, `app.all`).
    pub method: String,
    /// The full path with prefixes and mounts resolved, parameters written
    /// `{name}` whatever the framework's syntax (`:id`, `<int:id>`).
    pub path: String,
    /// The handler's name (function, method, `operationId`), when it has one.
    pub handler: Option<String>,
    /// Display path of the declaring file.
    pub file: String,
    /// The declaration (the decorator, the `app.get(...)` call, the
    /// operation's key in the description).
    pub span: Span,
    pub auth: Known,
    /// A typed body model or a schema validator checks the input.
    pub validation: Known,
    /// Whether the endpoint returns a collection (a list endpoint).
    pub returns_list: Known,
    /// Names of pagination or limit parameters it reads (`limit`, `page`,
    /// `cursor`...).
    pub pagination: Vec<String>,
    pub params: Vec<Param>,
    /// Status codes it declares or returns.
    pub statuses: Vec<u16>,
}

impl Endpoint {
    /// The path with parameter names erased (`/users/{}`), so that
    /// `/users/{id}` in code and `/users/{userId}` in a description match,
    /// and with any trailing slash removed.
    pub fn path_key(&self) -> String {
        path_key(&self.path)
    }

    /// Whether the endpoint is for operators and tools rather than API
    /// consumers: the root, health and readiness checks, metrics, the
    /// documentation pages (`/health`, `/metrics`, `/docs`).
    pub fn is_operational(&self) -> bool {
        let segments: Vec<&str> = self.path.split('/').filter(|s| !s.is_empty()).collect();
        path_style::is_unversioned(&segments)
    }
}

/// See [`Endpoint::path_key`].
pub fn path_key(path: &str) -> String {
    let mut key = String::with_capacity(path.len());
    let mut depth = 0usize;
    for c in path.chars() {
        match c {
            '{' => {
                if depth == 0 {
                    key.push_str("{}");
                }
                depth += 1;
            }
            '}' => depth = depth.saturating_sub(1),
            _ if depth == 0 => key.push(c),
            _ => {}
        }
    }
    while key.len() > 1 && key.ends_with('/') {
        key.pop();
    }
    if key.is_empty() {
        key.push('/');
    }
    key
}

#[cfg(test)]
mod tests {
    use super::path_key;

    #[test]
    fn path_keys_erase_parameter_names_and_trailing_slashes() {
        assert_eq!(path_key("/users/{id}"), "/users/{}");
        assert_eq!(path_key("/users/{userId}/"), "/users/{}");
        assert_eq!(path_key("/files/{path:.*{x}}"), "/files/{}");
        assert_eq!(path_key(""), "/");
        assert_eq!(path_key("/"), "/");
    }
}
