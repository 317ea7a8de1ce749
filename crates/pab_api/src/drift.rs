//! Drift between an API description and the code that implements it: the
//! engine hands [`check`] every endpoint of a run (routes extracted from
//! handler code, operations from OpenAPI files) and it reports what one side
//! has and the other lacks.
//!
//! Precision comes first, because code extraction cannot see everything (a
//! router mounted from a file outside the run, a route built at run time):
//! a description and the code are compared only when at least one of their
//! endpoints matches, which shows that they describe the same API with the
//! same path prefixes. Paths match on their shape, with parameter names
//! erased (`/users/{id}` is `/users/{userId}`), and a route whose path is a
//! whole-segment suffix of an operation's (or the reverse) matches when no
//! exact match exists: a prefix mounted elsewhere (`/api/v1`) is not drift.

use crate::rules::api::{
    spec_drift_method_mismatch, spec_drift_status_mismatch, spec_drift_undocumented_route,
    spec_drift_unimplemented_operation,
};
use pab_core::{CrossFindings, Endpoint, EndpointOrigin, RuleMeta};
use std::collections::BTreeMap;
use std::path::Path;

/// The rules [`check`] reports.
pub static RULES: [&RuleMeta; 4] = [
    &spec_drift_method_mismatch::META,
    &spec_drift_status_mismatch::META,
    &spec_drift_undocumented_route::META,
    &spec_drift_unimplemented_operation::META,
];

/// Compares every description in `endpoints` with the code routes that
/// belong to it (see [`scopes`]).
pub fn check(endpoints: &[Endpoint], out: &mut CrossFindings) {
    for (spec, code) in scopes(endpoints) {
        compare(&spec, &code, out);
    }
}

/// Pairs each description file's operations with the code routes it
/// describes: with one description in the run, every route; with several,
/// each route goes to the description whose directory shares the longest
/// leading path with the route's file (services in one repository each
/// with their own description).
fn scopes(endpoints: &[Endpoint]) -> Vec<(Vec<&Endpoint>, Vec<&Endpoint>)> {
    let mut specs: BTreeMap<&str, Vec<&Endpoint>> = BTreeMap::new();
    for e in endpoints
        .iter()
        .filter(|e| e.origin == EndpointOrigin::Spec)
    {
        specs.entry(e.file.as_str()).or_default().push(e);
    }
    if specs.is_empty() {
        return Vec::new();
    }
    let mut code: BTreeMap<&str, Vec<&Endpoint>> = BTreeMap::new();
    for route in endpoints
        .iter()
        .filter(|e| e.origin == EndpointOrigin::Code)
    {
        let owner = specs
            .keys()
            .max_by_key(|spec| shared_dirs(spec, &route.file))
            .copied();
        if let Some(owner) = owner {
            code.entry(owner).or_default().push(route);
        }
    }
    specs
        .into_iter()
        .map(|(file, operations)| (operations, code.remove(file).unwrap_or_default()))
        .collect()
}

/// How many leading directories `spec`'s directory and `route` share.
fn shared_dirs(spec: &str, route: &str) -> usize {
    let spec_dir = Path::new(spec).parent().unwrap_or(Path::new(""));
    spec_dir
        .components()
        .zip(Path::new(route).components())
        .take_while(|(a, b)| a == b)
        .count()
}

/// An endpoint's path as segments, parameters erased.
fn segments(e: &Endpoint) -> Vec<String> {
    e.path_key()
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// How well two paths match: exact, or one a whole-segment suffix of the
/// other with at least one segment in common (a prefix mounted elsewhere).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum PathMatch {
    Suffix,
    Exact,
}

fn path_match(a: &[String], b: &[String]) -> Option<PathMatch> {
    if a == b {
        return Some(PathMatch::Exact);
    }
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    // A lone parameter (`/{id}`) says nothing about which resource it is.
    let telling = short.iter().any(|s| s != "{}");
    (telling && long.ends_with(short)).then_some(PathMatch::Suffix)
}

fn compare(spec: &[&Endpoint], code: &[&Endpoint], out: &mut CrossFindings) {
    if code.is_empty() {
        return;
    }
    let spec_paths: Vec<Vec<String>> = spec.iter().map(|e| segments(e)).collect();
    let code_paths: Vec<Vec<String>> = code.iter().map(|e| segments(e)).collect();
    // For each route, the operations on the best-matching path.
    let best_paths = |path: &[String]| -> (Vec<usize>, Option<PathMatch>) {
        let quality: Vec<Option<PathMatch>> =
            spec_paths.iter().map(|p| path_match(path, p)).collect();
        let Some(best) = quality.iter().flatten().max().copied() else {
            return (Vec::new(), None);
        };
        let paths = (0..spec.len())
            .filter(|&i| quality[i] == Some(best))
            .collect();
        (paths, Some(best))
    };
    let same_method =
        |route: &Endpoint, op: &Endpoint| route.method == op.method || route.method == "ANY";
    let mut matched_ops = vec![false; spec.len()];
    let mut exact_ops = vec![false; spec.len()];
    let mut matched_routes: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut unmatched_routes: Vec<(usize, Vec<usize>)> = Vec::new();
    for (r, route) in code.iter().enumerate() {
        let (candidates, quality) = best_paths(&code_paths[r]);
        let hits: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| same_method(route, spec[i]))
            .collect();
        if hits.is_empty() {
            unmatched_routes.push((r, candidates));
        } else {
            for &i in &hits {
                matched_ops[i] = true;
                exact_ops[i] |= quality == Some(PathMatch::Exact);
            }
            matched_routes.push((r, hits));
        }
    }
    if !same_api(spec, code, &matched_ops, &exact_ops) {
        return;
    }
    for (r, hits) in matched_routes {
        let ops: Vec<&Endpoint> = hits.iter().map(|&i| spec[i]).collect();
        status_mismatch(code[r], &ops, out);
    }
    let mut reported_ops = vec![false; spec.len()];
    for (r, candidates) in unmatched_routes {
        let route = code[r];
        // The path is described, under other methods: one finding that says
        // which, instead of one on each side.
        let other_methods: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&i| !matched_ops[i])
            .collect();
        if !other_methods.is_empty() {
            let described: Vec<&str> = other_methods
                .iter()
                .map(|&i| spec[i].method.as_str())
                .collect();
            out.report(
                &spec_drift_method_mismatch::META,
                route,
                format!(
                    "the code serves {} {}; {} describes {} for this path, not {}",
                    route.method,
                    route.path,
                    spec[other_methods[0]].file,
                    described.join(", "),
                    route.method
                ),
                "make the method in the code and in the description agree: change the route's method, or document the operation the code serves",
            );
            for i in other_methods {
                reported_ops[i] = true;
            }
            continue;
        }
        // Health checks, metrics and docs pages are for operators; API
        // descriptions rightly leave them out.
        if route.is_operational() {
            continue;
        }
        out.report(
            &spec_drift_undocumented_route::META,
            route,
            format!(
                "{} {} is served by the code but not described in {}",
                route.method, route.path, spec[0].file
            ),
            "add the operation to the API description (path, parameters, responses), or remove the route if nothing should call it",
        );
    }
    for (i, op) in spec.iter().enumerate() {
        if matched_ops[i] || reported_ops[i] {
            continue;
        }
        out.report(
            &spec_drift_unimplemented_operation::META,
            op,
            format!(
                "{} {} is described but no route in the reviewed code serves it",
                op.method, op.path
            ),
            "implement the operation, remove it from the description, or include the code that serves it in the review (a router mounted from another directory)",
        );
    }
}

/// Whether a description and the code under review describe the same API,
/// judged from the operations some route serves. Health checks and docs
/// pages do not count (every service has them). A route whose whole path
/// is described (`/api/v1/orders/{}` on both sides) is evidence enough;
/// matches only on the end of a path (a prefix mounted elsewhere, or a
/// coincidence: a third-party API's `/v1/customers` next to the code's
/// `/customers`) must be at least two, or every operation of the smaller
/// side if it has fewer, and at least a quarter of the smaller side.
fn same_api(
    spec: &[&Endpoint],
    code: &[&Endpoint],
    matched_ops: &[bool],
    exact_ops: &[bool],
) -> bool {
    let counts = |flags: &[bool]| {
        spec.iter()
            .zip(flags)
            .filter(|(e, &m)| m && !e.is_operational())
            .count()
    };
    if counts(exact_ops) > 0 {
        return true;
    }
    let described = spec.iter().filter(|e| !e.is_operational()).count();
    let served = code.iter().filter(|e| !e.is_operational()).count();
    let smaller = described.min(served);
    let matched = counts(matched_ops);
    matched > 0 && matched >= smaller.min(2) && matched * 4 >= smaller
}

/// A success status the code declares that none of the operations it
/// matches lists (a `201` in code, only `200` in the description), once per
/// route and status. Only when the operations name success statuses (a
/// `default` response alone shows as none).
fn status_mismatch(route: &Endpoint, ops: &[&Endpoint], out: &mut CrossFindings) {
    let success = |s: &&u16| (200..300).contains(*s);
    let mut described: Vec<u16> = ops
        .iter()
        .flat_map(|op| op.statuses.iter().filter(success).copied())
        .collect();
    described.sort_unstable();
    described.dedup();
    if described.is_empty() {
        return;
    }
    let mut reported: Vec<u16> = Vec::new();
    for &status in route.statuses.iter().filter(success) {
        if described.contains(&status) || reported.contains(&status) {
            continue;
        }
        reported.push(status);
        let listed: Vec<String> = described.iter().map(u16::to_string).collect();
        out.report(
            &spec_drift_status_mismatch::META,
            route,
            format!(
                "{} {} answers {status} in the code; {} documents {} for it",
                route.method,
                route.path,
                ops[0].file,
                listed.join(", ")
            ),
            "document the status the code returns in the operation's responses, or return the documented one",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pab_core::{Known, Position, Span};

    fn endpoint(origin: EndpointOrigin, file: &str, method: &str, path: &str) -> Endpoint {
        let at = Position { line: 1, column: 1 };
        Endpoint {
            origin,
            framework: if origin == EndpointOrigin::Spec {
                "openapi"
            } else {
                "fastapi"
            },
            method: method.into(),
            path: path.into(),
            handler: None,
            file: file.into(),
            span: Span {
                start: at,
                end: at,
                start_byte: 0,
                end_byte: 0,
            },
            auth: Known::Unknown,
            validation: Known::Unknown,
            returns_list: Known::Unknown,
            pagination: Vec::new(),
            params: Vec::new(),
            statuses: Vec::new(),
        }
    }

    fn spec(method: &str, path: &str) -> Endpoint {
        endpoint(EndpointOrigin::Spec, "svc/openapi.yaml", method, path)
    }

    fn route(method: &str, path: &str) -> Endpoint {
        endpoint(EndpointOrigin::Code, "svc/app/main.py", method, path)
    }

    fn drift(endpoints: &[Endpoint]) -> Vec<String> {
        let mut out = CrossFindings::default();
        check(endpoints, &mut out);
        out.iter()
            .map(|(rule, file, message)| format!("{rule} {file}: {message}"))
            .collect()
    }

    #[test]
    fn matching_endpoints_are_not_drift() {
        let found = drift(&[
            spec("GET", "/v1/users/{userId}"),
            route("GET", "/users/{id}"),
            spec("POST", "/v1/users"),
            route("POST", "/users/"),
        ]);
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn each_side_reports_what_the_other_lacks() {
        let found = drift(&[
            spec("GET", "/users/{id}"),
            route("GET", "/users/{id}"),
            spec("DELETE", "/orders/{id}"),
            route("GET", "/health"),
            route("GET", "/metrics"),
            route("GET", "/users/{id}/history"),
            route("PUT", "/users/{id}"),
        ]);
        assert_eq!(
            found,
            [
                "api/spec-drift-undocumented-route svc/app/main.py: GET /users/{id}/history is served by the code but not described in svc/openapi.yaml",
                "api/spec-drift-undocumented-route svc/app/main.py: PUT /users/{id} is served by the code but not described in svc/openapi.yaml",
                "api/spec-drift-unimplemented-operation svc/openapi.yaml: DELETE /orders/{id} is described but no route in the reviewed code serves it",
            ]
        );
    }

    #[test]
    fn a_path_described_under_another_method_is_one_finding() {
        let found = drift(&[
            spec("GET", "/users/{id}"),
            route("GET", "/users/{id}"),
            spec("PATCH", "/users/{id}"),
            route("PUT", "/users/{id}"),
        ]);
        assert_eq!(
            found,
            ["api/spec-drift-method-mismatch svc/app/main.py: the code serves PUT /users/{id}; svc/openapi.yaml describes PATCH for this path, not PUT"]
        );
    }

    #[test]
    fn one_coincidental_match_does_not_make_a_third_party_description_ours() {
        let third_party = |method: &str, path: &str| {
            endpoint(
                EndpointOrigin::Spec,
                "docs/vendor/payments.yaml",
                method,
                path,
            )
        };
        let mut charge = third_party("POST", "/v1/customers");
        charge.statuses = vec![200];
        let mut sign_up = endpoint(EndpointOrigin::Code, "app/main.py", "POST", "/customers");
        sign_up.statuses = vec![201];
        let found = drift(&[
            charge,
            third_party("GET", "/v1/charges"),
            third_party("POST", "/v1/refunds"),
            third_party("GET", "/v1/payouts"),
            third_party("GET", "/health"),
            sign_up,
            endpoint(EndpointOrigin::Code, "app/main.py", "GET", "/orders"),
            endpoint(EndpointOrigin::Code, "app/main.py", "GET", "/products"),
            endpoint(EndpointOrigin::Code, "app/main.py", "GET", "/health"),
        ]);
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn a_route_matching_several_operations_is_reported_once() {
        let mut v1 = spec("POST", "/v1/users");
        v1.statuses = vec![200];
        let mut v2 = spec("POST", "/v2/users");
        v2.statuses = vec![200];
        let mut create = route("POST", "/users");
        create.statuses = vec![201];
        assert_eq!(
            drift(&[v1, v2, create]),
            ["api/spec-drift-status-mismatch svc/app/main.py: POST /users answers 201 in the code; svc/openapi.yaml documents 200 for it"]
        );
    }

    #[test]
    fn unrelated_descriptions_and_code_are_not_compared() {
        assert!(drift(&[spec("GET", "/pets"), route("GET", "/users")]).is_empty());
        assert!(drift(&[spec("GET", "/pets")]).is_empty());
        // A lone parameter segment matches nothing by itself.
        assert!(drift(&[spec("GET", "/pets/{id}"), route("GET", "/{id}")]).is_empty());
    }

    #[test]
    fn success_statuses_must_be_documented() {
        let mut op = spec("POST", "/orders");
        op.statuses = vec![200, 422];
        let mut created = route("POST", "/orders");
        created.statuses = vec![201, 404];
        let found = drift(&[op.clone(), created]);
        assert_eq!(
            found,
            ["api/spec-drift-status-mismatch svc/app/main.py: POST /orders answers 201 in the code; svc/openapi.yaml documents 200 for it"]
        );
        let mut documented = route("POST", "/orders");
        documented.statuses = vec![200];
        assert!(drift(&[op, documented]).is_empty());
    }

    #[test]
    fn routes_go_to_the_nearest_description() {
        let billing = endpoint(
            EndpointOrigin::Spec,
            "billing/openapi.yaml",
            "GET",
            "/invoices",
        );
        let users = endpoint(EndpointOrigin::Spec, "users/openapi.yaml", "GET", "/users");
        let found = drift(&[
            billing,
            users,
            endpoint(EndpointOrigin::Code, "billing/app.py", "GET", "/invoices"),
            endpoint(EndpointOrigin::Code, "users/app.py", "GET", "/users"),
            endpoint(EndpointOrigin::Code, "users/app.py", "POST", "/users"),
        ]);
        assert_eq!(
            found,
            ["api/spec-drift-undocumented-route users/app.py: POST /users is served by the code but not described in users/openapi.yaml"]
        );
    }
}
