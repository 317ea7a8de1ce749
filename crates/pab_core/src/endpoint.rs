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

/// The most prefixes one file's endpoints get from mounts. Routers mounted
/// through many paths (each of several routers mounting the others, fan-in
/// over layers of routers) would otherwise multiply their prefixes; past
/// this many, the file keeps the shortest ones.
pub const MAX_MOUNT_PREFIXES: usize = 64;

/// The most files visited when following the mounts of one file through
/// mount cycles (where results cannot be reused); a chain cut by it adds
/// no prefix.
const MOUNT_SEARCH_BUDGET: usize = 10_000;

/// Prefixes the paths of code endpoints declared in mounted files (see
/// [`Mount`]), following chains of mounts (main mounts api, api mounts
/// users). A file mounted at two prefixes gets its endpoints under both,
/// up to [`MAX_MOUNT_PREFIXES`]. A chain stops at a file already in it (a
/// mount cycle). Endpoints of files nobody mounts, and descriptions'
/// operations, are left as they are.
///
/// A target named from a package root (`app/routers/orders.py`) may match
/// several files in a monorepo; a mount resolves to the matching files
/// whose package root is an ancestor of the mounting file's directory and
/// that share the longest directory prefix with it (`billing/app/main.py`
/// mounts `billing/app/routers/orders.py`, not
/// `shipping/app/routers/orders.py`).
pub fn apply_mounts(endpoints: &mut Vec<Endpoint>, mounts: &[Mount]) {
    use std::collections::{BTreeSet, HashMap};
    if mounts.is_empty() {
        return;
    }
    // The directory where `target` is rooted when `file` matches it (`""`
    // for the repository root), or `None` when it does not match.
    fn root_of<'f>(file: &'f str, target: &str) -> Option<&'f str> {
        if file == target {
            return Some("");
        }
        let root = file.strip_suffix(target)?;
        root.ends_with('/').then_some(root)
    }
    fn dir_of(file: &str) -> &str {
        file.rfind('/').map_or("", |at| &file[..=at])
    }
    // Directory segments `a` and `b` have in common.
    fn common_dirs(a: &str, b: &str) -> usize {
        dir_of(a)
            .split_terminator('/')
            .zip(dir_of(b).split_terminator('/'))
            .take_while(|(x, y)| x == y)
            .count()
    }
    // Every file a mount may resolve to: files with endpoints, and files
    // that mount (a router module that only mounts others).
    let files: BTreeSet<&str> = endpoints
        .iter()
        .filter(|e| e.origin == EndpointOrigin::Code)
        .map(|e| e.file.as_str())
        .chain(mounts.iter().map(|m| m.file.as_str()))
        .collect();
    // The files each mount resolves to.
    let resolved: Vec<BTreeSet<String>> = mounts
        .iter()
        .map(|m| {
            let here = dir_of(&m.file);
            let candidates: Vec<&str> = files
                .iter()
                .copied()
                .filter(|f| *f != m.file)
                .filter(|f| {
                    m.targets
                        .iter()
                        .filter_map(|t| root_of(f, t))
                        .any(|root| here.starts_with(root))
                })
                .collect();
            let best = candidates
                .iter()
                .map(|f| common_dirs(f, &m.file))
                .max()
                .unwrap_or(0);
            candidates
                .into_iter()
                .filter(|f| common_dirs(f, &m.file) == best)
                .map(str::to_string)
                .collect()
        })
        .collect();
    // The full prefixes of a file: each mount of it, under the prefixes of
    // the file that mounts it; `[""]` for a file nobody mounts (a root).
    // `chain` holds the files below on the way here: a mount by one of them
    // closes a cycle and is skipped, and a file mounted only through cycles
    // gets no prefix from this chain. Results are memoized when no cycle was
    // cut below them (always, without cycles); `budget` bounds the calls
    // for one file when cycles keep results from being memoized. The second
    // value: no cycle was cut and the budget held.
    fn prefixes(
        file: &str,
        mounts: &[Mount],
        resolved: &[BTreeSet<String>],
        chain: &mut Vec<String>,
        memo: &mut HashMap<String, Vec<String>>,
        budget: &mut usize,
    ) -> (Vec<String>, bool) {
        if let Some(done) = memo.get(file) {
            return (done.clone(), true);
        }
        if *budget == 0 {
            return (Vec::new(), false);
        }
        *budget -= 1;
        chain.push(file.to_string());
        let mut out = Vec::new();
        let mut mounted = false;
        let mut pure = true;
        for (m, files) in mounts.iter().zip(resolved) {
            if !files.contains(file) {
                continue;
            }
            mounted = true;
            if chain.contains(&m.file) {
                pure = false;
                continue;
            }
            let (above, above_pure) = prefixes(&m.file, mounts, resolved, chain, memo, budget);
            pure &= above_pure;
            out.extend(above.iter().map(|p| join(&[p, &m.prefix])));
        }
        chain.pop();
        if !mounted {
            out.push(String::new());
        }
        out.sort();
        out.dedup();
        if out.len() > MAX_MOUNT_PREFIXES {
            out.sort_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
            out.truncate(MAX_MOUNT_PREFIXES);
            out.sort();
        }
        if pure {
            memo.insert(file.to_string(), out.clone());
        }
        (out, pure)
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
    let mut memo: HashMap<String, Vec<String>> = HashMap::new();
    let mut by_file: std::collections::HashMap<String, Vec<String>> = Default::default();
    let mut out = Vec::with_capacity(endpoints.len());
    for e in endpoints.drain(..) {
        if e.origin != EndpointOrigin::Code {
            out.push(e);
            continue;
        }
        let prefixes = by_file.entry(e.file.clone()).or_insert_with(|| {
            let mut budget = MOUNT_SEARCH_BUDGET;
            let chain = &mut Vec::new();
            prefixes(&e.file, mounts, &resolved, chain, &mut memo, &mut budget).0
        });
        if prefixes.is_empty() || prefixes == &[""] {
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
    use super::{apply_mounts, path_key, Endpoint, EndpointOrigin, Known, Mount};

    fn e(file: &str, path: &str, origin: EndpointOrigin) -> Endpoint {
        Endpoint {
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
        }
    }

    fn mount(file: &str, target: &str, prefix: &str) -> Mount {
        Mount {
            file: file.into(),
            targets: vec![target.into()],
            prefix: prefix.into(),
        }
    }

    fn paths_of<'e>(endpoints: &'e [Endpoint], file: &str) -> Vec<&'e str> {
        let mut paths: Vec<&str> = endpoints
            .iter()
            .filter(|e| e.file == file)
            .map(|e| e.path.as_str())
            .collect();
        paths.sort();
        paths
    }

    #[test]
    fn mount_cycles_are_cut_where_they_close() {
        // main mounts a at /api; a mounts b at /b; b mounts a back at /a.
        let mut endpoints = vec![
            e("main.js", "/health", EndpointOrigin::Code),
            e("a.js", "/x", EndpointOrigin::Code),
            e("b.js", "/y", EndpointOrigin::Code),
            e("c.js", "/z", EndpointOrigin::Code),
        ];
        let mounts = vec![
            mount("main.js", "a.js", "/api"),
            mount("a.js", "b.js", "/b"),
            mount("b.js", "a.js", "/a"),
            // c mounts itself.
            mount("c.js", "c.js", "/c"),
        ];
        apply_mounts(&mut endpoints, &mounts);
        assert_eq!(paths_of(&endpoints, "main.js"), ["/health"]);
        assert_eq!(paths_of(&endpoints, "a.js"), ["/api/x"]);
        assert_eq!(paths_of(&endpoints, "b.js"), ["/api/b/y"]);
        assert_eq!(paths_of(&endpoints, "c.js"), ["/z"]);
    }

    #[test]
    fn mutually_mounted_routers_stay_bounded() {
        // Six routers each mounting the other five, one of them mounted by
        // the application: 2,343,750 endpoints in 51 s with a depth limit.
        let n = 6;
        let mut endpoints = vec![e("app.js", "/health", EndpointOrigin::Code)];
        let mut mounts = vec![mount("app.js", "r0.js", "/api")];
        for i in 0..n {
            endpoints.push(e(&format!("r{i}.js"), "/x", EndpointOrigin::Code));
            for j in (0..n).filter(|j| *j != i) {
                mounts.push(mount(
                    &format!("r{i}.js"),
                    &format!("r{j}.js"),
                    &format!("/m{j}"),
                ));
            }
        }
        let started = std::time::Instant::now();
        apply_mounts(&mut endpoints, &mounts);
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
        assert_eq!(paths_of(&endpoints, "r0.js"), ["/api/x"]);
        for i in 1..n {
            let paths = paths_of(&endpoints, &format!("r{i}.js"));
            assert!(!paths.is_empty() && paths.len() <= super::MAX_MOUNT_PREFIXES);
            assert!(
                paths.contains(&format!("/api/m{i}/x").as_str()),
                "{paths:?}"
            );
            assert!(paths.iter().all(|p| p.starts_with("/api/")), "{paths:?}");
        }
    }

    #[test]
    fn fan_in_over_layers_of_routers_is_capped() {
        // Seven layers of four routers, each mounting every router of the
        // next layer: 4^7 = 16,384 ways down to the last one.
        let (layers, width) = (8, 4);
        let name = |l: usize, i: usize| format!("l{l}/r{i}.js");
        let mut endpoints = vec![];
        let mut mounts = vec![];
        for l in 0..layers {
            for i in 0..width {
                endpoints.push(e(&name(l, i), "/x", EndpointOrigin::Code));
                if l + 1 < layers {
                    for j in 0..width {
                        mounts.push(mount(&name(l, i), &name(l + 1, j), &format!("/m{i}")));
                    }
                }
            }
        }
        let started = std::time::Instant::now();
        apply_mounts(&mut endpoints, &mounts);
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
        let last = paths_of(&endpoints, &name(layers - 1, 0));
        assert_eq!(last.len(), super::MAX_MOUNT_PREFIXES);
        assert_eq!(paths_of(&endpoints, &name(1, 2)).len(), width);
        assert!(endpoints.len() <= layers * width * super::MAX_MOUNT_PREFIXES);
    }

    #[test]
    fn package_imports_resolve_within_the_mounting_service() {
        // A monorepo: both services `from app.routers import orders`.
        let mut endpoints = vec![
            e(
                "billing/app/routers/orders.py",
                "/orders",
                EndpointOrigin::Code,
            ),
            e(
                "shipping/app/routers/orders.py",
                "/orders",
                EndpointOrigin::Code,
            ),
            e("shipping/app/main.py", "/health", EndpointOrigin::Code),
        ];
        let mounts = vec![
            mount("billing/app/main.py", "app/routers/orders.py", "/billing"),
            mount("shipping/app/main.py", "app/routers/orders.py", "/shipping"),
        ];
        apply_mounts(&mut endpoints, &mounts);
        assert_eq!(
            paths_of(&endpoints, "billing/app/routers/orders.py"),
            ["/billing/orders"]
        );
        assert_eq!(
            paths_of(&endpoints, "shipping/app/routers/orders.py"),
            ["/shipping/orders"]
        );
        // Nested packages: the closest match wins; a root that is not an
        // ancestor of the mounting file never matches.
        let mut endpoints = vec![
            e("svc/app/routers/orders.py", "/o", EndpointOrigin::Code),
            e("svc/sub/app/routers/orders.py", "/o", EndpointOrigin::Code),
            e("other/app/routers/orders.py", "/o", EndpointOrigin::Code),
        ];
        let mounts = vec![mount("svc/sub/app/main.py", "app/routers/orders.py", "/p")];
        apply_mounts(&mut endpoints, &mounts);
        assert_eq!(
            paths_of(&endpoints, "svc/sub/app/routers/orders.py"),
            ["/p/o"]
        );
        assert_eq!(paths_of(&endpoints, "svc/app/routers/orders.py"), ["/o"]);
        assert_eq!(paths_of(&endpoints, "other/app/routers/orders.py"), ["/o"]);
    }

    #[test]
    fn mounts_prefix_the_mounted_files_routes_through_chains() {
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
