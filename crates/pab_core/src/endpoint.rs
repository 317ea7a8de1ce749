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

/// A router one file mounts from another module at a path prefix
/// (`app.include_router(orders.router, prefix="/api/v1")` with `orders`
/// imported from `app/routers/orders.py`; `app.use('/api', usersRouter)`
/// with `usersRouter` required from `./routes/users`). The declaring
/// file's analyzer cannot see the prefix; the engine applies it to the
/// mounted file's endpoints once every file is analyzed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// The mounting file (display path).
    pub file: String,
    /// Paths the mounted module's file may have, in the display form
    /// (`src/routes/users.js`, `src/routes/users/index.ts`) or as a path
    /// suffix for modules named from a package root (`app/routers/orders.py`).
    pub targets: Vec<String>,
    /// The prefix, including the mounting router's own prefix in its file.
    pub prefix: String,
}

/// Prefixes the paths of code endpoints declared in mounted files (see
/// [`Mount`]), following chains of mounts (main mounts api, api mounts
/// users). A file mounted at two prefixes gets its endpoints under both.
/// Endpoints of files nobody mounts, and descriptions' operations, are
/// left as they are.
pub fn apply_mounts(endpoints: &mut Vec<Endpoint>, mounts: &[Mount]) {
    if mounts.is_empty() {
        return;
    }
    let matches = |file: &str, target: &str| {
        file == target
            || (file.len() > target.len()
                && file.ends_with(target)
                && file[..file.len() - target.len()].ends_with('/'))
    };
    // The full prefixes of a file: each mount of it, under the prefixes of
    // the file that mounts it.
    fn prefixes(
        file: &str,
        mounts: &[Mount],
        matches: &dyn Fn(&str, &str) -> bool,
        depth: u32,
    ) -> Vec<String> {
        let mut out = Vec::new();
        if depth > 8 {
            return out;
        }
        for m in mounts
            .iter()
            .filter(|m| m.file != file && m.targets.iter().any(|t| matches(file, t)))
        {
            let above = prefixes(&m.file, mounts, matches, depth + 1);
            if above.is_empty() {
                out.push(join(&[&m.prefix]));
            } else {
                out.extend(above.iter().map(|p| join(&[p, &m.prefix])));
            }
        }
        out.sort();
        out.dedup();
        out
    }
    fn join(parts: &[&str]) -> String {
        let mut path = String::new();
        for part in parts {
            let part = part.trim_matches('/');
            if !part.is_empty() {
                path.push('/');
                path.push_str(part);
            }
        }
        path
    }
    let mut by_file: std::collections::HashMap<String, Vec<String>> = Default::default();
    let mut out = Vec::with_capacity(endpoints.len());
    for e in endpoints.drain(..) {
        if e.origin != EndpointOrigin::Code {
            out.push(e);
            continue;
        }
        let prefixes = by_file
            .entry(e.file.clone())
            .or_insert_with(|| prefixes(&e.file, mounts, &matches, 0));
        if prefixes.is_empty() {
            out.push(e);
            continue;
        }
        for prefix in prefixes.iter() {
            let mut mounted = e.clone();
            let rest = e.path.trim_start_matches('/');
            mounted.path = if rest.is_empty() {
                if prefix.is_empty() {
                    "/".to_string()
                } else {
                    prefix.clone()
                }
            } else {
                format!("{prefix}/{rest}")
            };
            out.push(mounted);
        }
    }
    *endpoints = out;
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
    fn mounts_prefix_the_mounted_files_routes_through_chains() {
        use super::{apply_mounts, Endpoint, EndpointOrigin, Known, Mount};
        let e = |file: &str, path: &str, origin| Endpoint {
            origin,
            framework: "fastapi",
            method: "GET".into(),
            path: path.into(),
            handler: None,
            file: file.into(),
            span: crate::Span {
                start: crate::Position { line: 1, column: 1 },
                end: crate::Position { line: 1, column: 1 },
                start_byte: 0,
                end_byte: 0,
            },
            auth: Known::Unknown,
            validation: Known::Unknown,
            returns_list: Known::Unknown,
            pagination: vec![],
            params: vec![],
            statuses: vec![],
        };
        let mut endpoints = vec![
            e("svc/app/routers/orders.py", "/orders", EndpointOrigin::Code),
            e("svc/app/routers/orders.py", "/", EndpointOrigin::Code),
            e("svc/app/api.py", "/status", EndpointOrigin::Code),
            e("svc/app/main.py", "/health", EndpointOrigin::Code),
            e("svc/openapi.yaml", "/orders", EndpointOrigin::Spec),
            e("svc/other/orders.py", "/x", EndpointOrigin::Code),
        ];
        let mounts = vec![
            Mount {
                file: "svc/app/main.py".into(),
                targets: vec!["app/api.py".into()],
                prefix: "/api".into(),
            },
            Mount {
                file: "svc/app/api.py".into(),
                targets: vec!["app/routers/orders.py".into()],
                prefix: "/v1/".into(),
            },
        ];
        apply_mounts(&mut endpoints, &mounts);
        let paths: Vec<&str> = endpoints.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/api/v1/orders",
                "/api/v1",
                "/api/status",
                "/health",
                "/orders",
                "/x"
            ]
        );
    }

    #[test]
    fn path_keys_erase_parameter_names_and_trailing_slashes() {
        assert_eq!(path_key("/users/{id}"), "/users/{}");
        assert_eq!(path_key("/users/{userId}/"), "/users/{}");
        assert_eq!(path_key("/files/{path:.*{x}}"), "/files/{}");
        assert_eq!(path_key(""), "/");
        assert_eq!(path_key("/"), "/");
    }
}
