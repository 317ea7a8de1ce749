//! Objects missing what the OpenAPI specification requires of them.

use crate::openapi::{Node, Spec, Version};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct OasStructure;

static META: RuleMeta = RuleMeta {
    id: "api/oas-structure",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Yaml,
    default_enabled: true,
    summary: "The description breaks the OpenAPI structure: a required field is missing or has the wrong kind of value.",
    docs: RuleDocs {
        what: "Reports what the OpenAPI specification (2.0, 3.0, 3.1) requires and the description lacks: `info` with `title` and `version`; `paths` (2.0 and 3.0); `responses` on every operation (2.0 and 3.0) with a `description` on every response; `name` and a known `in` (`query`, `header`, `path`, `cookie`; 2.0 also `body` and `formData`) on every parameter; `required: true` on path parameters; and objects where the specification wants objects (`paths`, operations, `responses`) and lists where it wants lists (`parameters`, `tags`, `servers`, `security`).",
        why: "Code generators, documentation renderers, gateways and validators either reject such a description or quietly guess: a parameter without `in` disappears from the client, a path parameter that is not required produces URLs with an empty segment.",
        lock: "",
        bad: "openapi: 3.0.3\ninfo:\n  title: Users\npaths:\n  /users/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n          schema: {type: string}",
        good: "openapi: 3.0.3\ninfo:\n  title: Users\n  version: 1.0.0\npaths:\n  /users/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema: {type: string}\n      responses:\n        '200':\n          description: The user",
        fix: "Add the field the message names, with a value of the kind it names. Run the description through this tool again until the structure findings are gone: the other rules read what these fields say.",
    },
};

impl ApiRule for OasStructure {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        let root = cx.root;
        let version_key = root
            .entry("openapi")
            .or_else(|| root.entry("swagger"))
            .map_or((0, 0), |(k, _)| k.range());
        let missing = |out: &mut Reporter, at: (usize, usize), what: &str| {
            out.report(
                &META,
                at,
                format!("{what} is missing"),
                "add it: tools that read the description require it",
            );
        };
        match root.entry("info") {
            None => missing(out, version_key, "`info` (with `title` and `version`)"),
            Some((key, info)) if !info.is_map() => wrong_kind(out, key, "`info`", "an object"),
            Some((key, info)) => {
                for field in ["title", "version"] {
                    if info.get(field).is_none() {
                        missing(out, key.range(), &format!("`info.{field}`"));
                    }
                }
            }
        }
        match root.entry("paths") {
            None if cx.version != Version::V31 => missing(out, version_key, "`paths`"),
            Some((key, paths)) if !paths.is_map() => wrong_kind(out, key, "`paths`", "an object"),
            _ => {}
        }
        for (key, name) in [("servers", "a list"), ("tags", "a list"), ("security", "a list")] {
            if let Some((k, v)) = root.entry(key) {
                if !v.is_seq() {
                    wrong_kind(out, k, &format!("`{key}`"), name);
                }
            }
        }
        if let Some(paths) = root.get("paths") {
            for (_, item) in paths.entries() {
                for (key, op) in item.entries() {
                    let is_method = key.as_str().is_some_and(|k| crate::openapi::METHODS.contains(&k));
                    if is_method && !op.is_map() {
                        wrong_kind(out, key, "an operation", "an object");
                    }
                }
            }
        }
        let mut lists = Vec::new();
        for op in &cx.operations {
            match op.node.entry("responses") {
                None if cx.version != Version::V31 => {
                    missing(out, op.key.range(), &format!("`responses` of {}", op.label()))
                }
                Some((key, r)) if !r.is_map() => wrong_kind(out, key, "`responses`", "an object"),
                Some((_, responses)) => {
                    for (status, response) in responses.entries() {
                        if status.as_str().is_some_and(|s| s.starts_with("x-")) {
                            continue;
                        }
                        let Ok((response, local)) = cx.resolve_local(response) else {
                            continue;
                        };
                        if local && response.is_map() && response.get("description").is_none() {
                            missing(out, status.range(), "the response's `description`");
                        }
                    }
                }
                _ => {}
            }
            lists.push(op.node.entry("parameters"));
            lists.push(op.path_item.entry("parameters"));
        }
        // Each parameter once, however many operations share it.
        let mut seen = std::collections::HashSet::new();
        for (key, list) in lists.into_iter().flatten() {
            if !seen.insert(std::ptr::from_ref(list)) {
                continue;
            }
            if !list.is_seq() {
                wrong_kind(out, key, "`parameters`", "a list");
                continue;
            }
            for item in list.items() {
                let target = cx.deref(item);
                if seen.insert(std::ptr::from_ref(target)) {
                    check_parameter(cx, item, out);
                }
            }
        }
    }
}

fn wrong_kind(out: &mut Reporter, key: &Node, what: &str, kind: &str) {
    out.report(
        &META,
        key.range(),
        format!("{what} must be {kind}"),
        format!("write {what} as {kind}, as the OpenAPI specification defines it"),
    );
}

fn check_parameter<'a>(cx: &Spec<'a>, item: &'a Node<'a>, out: &mut Reporter) {
    let Ok((param, true)) = cx.resolve_local(item) else {
        return;
    };
    if !param.is_map() {
        return;
    }
    let at = if item.get("$ref").is_some() { item.range() } else { param.range() };
    let at = (at.0, at.0.max(param.entries().first().map_or(at.1, |(k, _)| k.end)));
    let name = param.get("name");
    let location = param.entry("in");
    if name.is_none() {
        out.report(&META, at, "parameter without `name`", "give the parameter its `name`");
    }
    let known: &[&str] = if cx.version == Version::V2 {
        &["query", "header", "path", "formData", "body"]
    } else {
        &["query", "header", "path", "cookie"]
    };
    match location {
        None => out.report(
            &META,
            at,
            "parameter without `in`",
            format!("say where the parameter is read: `in:` one of {}", known.join(", ")),
        ),
        Some((_, value)) => {
            let text = value.as_str().unwrap_or("");
            if !known.contains(&text) {
                out.report(
                    &META,
                    value.range(),
                    format!("`in: {text}` is not a parameter location of this OpenAPI version"),
                    format!("use one of {}", known.join(", ")),
                );
            } else if text == "path" {
                let required = param.get("required").is_some_and(|r| r.value == crate::openapi::Value::Bool(true));
                if !required {
                    out.report(
                        &META,
                        value.range(),
                        format!(
                            "path parameter `{}` is not marked `required: true`",
                            name.and_then(Node::as_str).unwrap_or("")
                        ),
                        "path parameters are always required: add `required: true`",
                    );
                }
            }
        }
    }
}
