//! Path templates and path parameters that disagree.

use crate::openapi::{Operation, Spec};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use std::collections::HashSet;

pub struct OasPathParams;

static META: RuleMeta = RuleMeta {
    id: "api/oas-path-params",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Yaml,
    default_enabled: true,
    summary: "A `{name}` in a path has no matching `in: path` parameter, or a path parameter is not in the path.",
    docs: RuleDocs {
        what: "For every operation, compares the variables of the path template (`/users/{id}`) with the operation's path parameters (its own and its path item's): a variable without a parameter, a parameter the template does not contain, a variable used twice in one path, and an empty `{}` are reported, and so is a path that differs from another only in its parameter names (`/users/{id}` and `/users/{name}`: one route to a server).",
        why: "Clients build the URL from the path parameters: an undeclared variable is sent literally (`/users/%7Bid%7D`), a declared one that is not in the template is silently dropped, and servers generated from the description route the request wrongly.",
        lock: "",
        bad: "paths:\n  /users/{userId}:\n    get:\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema: {type: string}",
        good: "paths:\n  /users/{userId}:\n    get:\n      parameters:\n        - name: userId\n          in: path\n          required: true\n          schema: {type: string}",
        fix: "Make the names match exactly (case included): rename the parameter or the template variable, declare the missing parameter (on the path item when every operation shares it), or remove the parameter the path does not have.",
    },
};

/// The variables of a path template with their byte offsets in the key's
/// text (`None` for a `{}`).
fn variables(path: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut rest = path;
    let mut base = 0;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        out.push((base + open, &rest[open + 1..open + close]));
        base += open + close + 1;
        rest = &rest[open + close + 1..];
    }
    out
}

impl ApiRule for OasPathParams {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        // Template problems once per path, parameter problems per operation.
        let mut paths_done = HashSet::new();
        // Paths that differ only in parameter names are the same route.
        let mut shapes: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
        for (key, _) in cx.root.get("paths").map(crate::openapi::Node::entries).unwrap_or(&[]) {
            let Some(path) = key.as_str().filter(|p| p.starts_with('/')) else { continue };
            let shape = pab_core::endpoint::path_key(path);
            match shapes.get(shape.as_str()) {
                Some(first) if *first != path => out.report(
                    &META,
                    key.range(),
                    format!("`{path}` is the same route as `{first}`: only the parameter names differ"),
                    "merge the two paths (one parameter name), or make them differ by a literal segment",
                ),
                Some(_) => {}
                None => {
                    shapes.insert(shape, path);
                }
            }
        }
        for op in &cx.operations {
            let vars = variables(op.path);
            if paths_done.insert(op.path) {
                let mut seen = HashSet::new();
                for (_, name) in &vars {
                    if name.is_empty() {
                        out.report(
                            &META,
                            op.path_key.range(),
                            format!("`{}` has an empty `{{}}`", op.path),
                            "name the path variable (`{id}`) and declare it as a path parameter",
                        );
                    } else if !seen.insert(*name) {
                        out.report(
                            &META,
                            op.path_key.range(),
                            format!("`{}` uses `{{{name}}}` twice", op.path),
                            "give each path variable its own name",
                        );
                    }
                }
            }
            check_operation(cx, op, &vars, out);
        }
    }
}

fn check_operation(cx: &Spec, op: &Operation, vars: &[(usize, &str)], out: &mut Reporter) {
    let params = cx.parameters(op);
    let declared: Vec<_> = params.iter().filter(|p| p.location == "path").collect();
    for (_, name) in vars {
        if !name.is_empty() && !declared.iter().any(|p| p.name == *name) {
            out.report_in(
                &META,
                op.key.range(),
                op.anchor(),
                format!("{}: path variable `{{{name}}}` has no `in: path` parameter", op.label()),
                format!("declare `- name: {name}` with `in: path` and `required: true`, on the operation or its path item"),
            );
        }
    }
    for p in declared {
        if !vars.iter().any(|(_, v)| *v == p.name) {
            // Reported where the parameter is written when that is in this
            // file, else on the operation.
            let at = if cx.resolve_local(p.at).is_ok_and(|(_, local)| local) {
                p.at.range()
            } else {
                op.key.range()
            };
            let at = if p.at.get("$ref").is_some() { p.at.range() } else { at };
            let at = (at.0, at.0.max(p.at.entries().first().map_or(at.1, |(k, v)| v.end.max(k.end))));
            out.report_in(
                &META,
                at,
                op.anchor(),
                format!("{}: path parameter `{}` is not in the path", op.label(), p.name),
                format!("add `{{{}}}` to the path, or remove the parameter", p.name),
            );
        }
    }
}
