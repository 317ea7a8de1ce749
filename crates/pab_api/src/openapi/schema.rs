//! Schemas: finding every schema object of a description (without
//! following references, so each is visited once, where it is written),
//! and checking an example value against a schema. The check covers what
//! examples get wrong in practice (types, `required`, `enum`, nested
//! properties and items) rather than all of JSON Schema: a full validator
//! would need the document converted to JSON values, which costs memory on
//! large descriptions and loses positions.

use super::refs::DocId;
use super::{Node, Spec, Value, Version};

/// Sub-schema keywords whose value is one schema.
const ONE: &[&str] = &[
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "additionalItems",
];
/// Keywords whose value is a list of schemas.
const LIST: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keywords whose value maps names to schemas.
const MAP: &[&str] = &[
    "properties",
    "patternProperties",
    "dependentSchemas",
    "$defs",
    "definitions",
];

/// Nesting past this is not walked (schemas are trees the author wrote,
/// and nothing real is this deep).
const MAX_SCHEMA_DEPTH: usize = 64;

/// Every schema object written in the reviewed file, with 2.0's
/// non-body parameters, headers and `items` (which carry `type` and `enum`
/// themselves), in document order.
pub fn all_schemas<'a>(spec: &Spec<'a>) -> Vec<&'a Node<'a>> {
    let mut roots: Vec<&'a Node<'a>> = Vec::new();
    let root = spec.root;
    let media = |node: &'a Node<'a>, roots: &mut Vec<&'a Node<'a>>| {
        if let Some(content) = node.get("content") {
            for (_, m) in content.entries() {
                roots.extend(m.get("schema"));
            }
        }
    };
    let param = |p: &'a Node<'a>, roots: &mut Vec<&'a Node<'a>>| {
        roots.extend(p.get("schema"));
        media(p, roots);
        if spec.version == Version::V2
            && p.get("in").and_then(Node::as_str) != Some("body")
            && p.get("$ref").is_none()
        {
            roots.push(p);
        }
    };
    let response = |r: &'a Node<'a>, roots: &mut Vec<&'a Node<'a>>| {
        roots.extend(r.get("schema"));
        media(r, roots);
        if let Some(headers) = r.get("headers") {
            for (_, h) in headers.entries() {
                roots.extend(h.get("schema"));
                if spec.version == Version::V2 && h.get("$ref").is_none() {
                    roots.push(h);
                }
            }
        }
    };
    match spec.version {
        Version::V2 => {
            if let Some(defs) = root.get("definitions") {
                roots.extend(defs.entries().iter().map(|(_, v)| v));
            }
            if let Some(params) = root.get("parameters") {
                for (_, p) in params.entries() {
                    param(p, &mut roots);
                }
            }
            if let Some(responses) = root.get("responses") {
                for (_, r) in responses.entries() {
                    response(r, &mut roots);
                }
            }
        }
        _ => {
            if let Some(c) = root.get("components") {
                if let Some(s) = c.get("schemas") {
                    roots.extend(s.entries().iter().map(|(_, v)| v));
                }
                for (_, p) in c.get("parameters").map(Node::entries).unwrap_or(&[]) {
                    param(p, &mut roots);
                }
                for (_, r) in c.get("responses").map(Node::entries).unwrap_or(&[]) {
                    response(r, &mut roots);
                }
                for (_, b) in c.get("requestBodies").map(Node::entries).unwrap_or(&[]) {
                    media(b, &mut roots);
                }
                for (_, h) in c.get("headers").map(Node::entries).unwrap_or(&[]) {
                    roots.extend(h.get("schema"));
                }
            }
        }
    }
    if let Some(paths) = root.get("paths") {
        for (_, item) in paths.entries() {
            for p in item.get("parameters").map(Node::items).unwrap_or(&[]) {
                param(p, &mut roots);
            }
            for (_, op) in item.entries() {
                if !op.is_map() {
                    continue;
                }
                for p in op.get("parameters").map(Node::items).unwrap_or(&[]) {
                    param(p, &mut roots);
                }
                if let Some(body) = op.get("requestBody") {
                    media(body, &mut roots);
                }
                for (_, r) in op.get("responses").map(Node::entries).unwrap_or(&[]) {
                    response(r, &mut roots);
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut stack: Vec<(&'a Node<'a>, usize)> = roots.into_iter().rev().map(|r| (r, 0)).collect();
    while let Some((node, depth)) = stack.pop() {
        if !node.is_map() || depth > MAX_SCHEMA_DEPTH {
            continue;
        }
        out.push(node);
        let mut children: Vec<&'a Node<'a>> = Vec::new();
        for (key, value) in node.entries() {
            let Some(key) = key.as_str() else { continue };
            if ONE.contains(&key) {
                match &value.value {
                    Value::Seq(items) => children.extend(items),
                    _ => children.push(value),
                }
            } else if LIST.contains(&key) {
                children.extend(value.items());
            } else if MAP.contains(&key) {
                children.extend(value.entries().iter().map(|(_, v)| v));
            }
        }
        stack.extend(children.into_iter().rev().map(|c| (c, depth + 1)));
    }
    out
}

/// The types a schema allows (`type: x` or 3.1 `type: [x, "null"]`);
/// empty when it does not say.
pub fn types<'n>(schema: &'n Node<'_>) -> Vec<&'n str> {
    match schema.get("type").map(|t| &t.value) {
        Some(Value::Str(t)) => vec![t.as_ref()],
        Some(Value::Seq(items)) => items.iter().filter_map(Node::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Whether `value` is of JSON Schema type `ty` (unknown types match).
pub fn has_type(value: &Node, ty: &str) -> bool {
    match (ty, &value.value) {
        ("string", Value::Str(_)) => true,
        ("number", Value::Number(_)) => true,
        ("integer", Value::Number(n)) => is_integer(n),
        ("boolean", Value::Bool(_)) => true,
        ("array", Value::Seq(_)) => true,
        ("object", Value::Map(_)) => true,
        ("null", Value::Null) => true,
        // Aliases are not expanded; nothing is known about them.
        (_, Value::Alias) => true,
        ("string" | "number" | "integer" | "boolean" | "array" | "object" | "null", _) => false,
        _ => true,
    }
}

fn is_integer(n: &str) -> bool {
    let body = n.strip_prefix(['-', '+']).unwrap_or(n);
    body.bytes().all(|b| b.is_ascii_digit())
        || body.starts_with("0x")
        || body.starts_with("0o")
        || body
            .parse::<f64>()
            .is_ok_and(|f| f.is_finite() && f.fract() == 0.0)
}

/// A short name of a value's type, for messages.
pub fn type_name(value: &Node) -> &'static str {
    match &value.value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if is_integer(n) => "integer",
        Value::Number(_) => "number",
        Value::Str(_) => "string",
        Value::Seq(_) => "array",
        Value::Map(_) => "object",
        Value::Alias => "alias",
    }
}

/// Whether two scalar values are equal as JSON values (`1` and `1.0` are).
pub fn same_value(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Number(x), Value::Number(y)) => {
            x == y || matches!((x.parse::<f64>(), y.parse::<f64>()), (Ok(p), Ok(q)) if p == q)
        }
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_value(p, q))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.iter()
                        .any(|(k2, v2)| k.as_str() == k2.as_str() && same_value(v, v2))
                })
        }
        (x, y) => x == y,
    }
}

/// One way an example disagrees with its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Where in the example (`$.items[0].id`).
    pub at: String,
    pub what: String,
    /// The offending value's bytes in its file.
    pub range: (usize, usize),
}

/// Checks `value` against `schema` (references followed): types, `enum`,
/// `const`, `required`, properties, items, `allOf`, and 3.0 `nullable`.
/// Stops at the first few mismatches.
pub fn validate<'a>(spec: &Spec<'a>, schema: &'a Node<'a>, value: &Node) -> Vec<Mismatch> {
    let mut out = Vec::new();
    check(
        spec,
        DocId::MAIN,
        schema,
        value,
        "$".to_string(),
        0,
        &mut out,
    );
    out
}

const MAX_MISMATCHES: usize = 3;

fn check<'a>(
    spec: &Spec<'a>,
    doc: DocId,
    schema: &'a Node<'a>,
    value: &Node,
    at: String,
    depth: usize,
    out: &mut Vec<Mismatch>,
) {
    if out.len() >= MAX_MISMATCHES || depth > MAX_SCHEMA_DEPTH {
        return;
    }
    let Ok((doc, schema)) = spec.resolve_from(doc, schema) else {
        return;
    };
    if !schema.is_map() || matches!(value.value, Value::Alias) {
        return;
    }
    let mismatch = |out: &mut Vec<Mismatch>, what: String| {
        out.push(Mismatch {
            at: at.clone(),
            what,
            range: value.range(),
        })
    };
    let nullable = schema
        .get("nullable")
        .is_some_and(|n| n.value == Value::Bool(true));
    if nullable && value.value == Value::Null {
        return;
    }
    let tys = types(schema);
    if !tys.is_empty() && !tys.iter().any(|t| has_type(value, t)) {
        mismatch(
            out,
            format!("expected {}, found {}", tys.join(" or "), type_name(value)),
        );
        return;
    }
    if let Some(values) = schema.get("enum").filter(|e| e.is_seq()) {
        if !values.items().iter().any(|v| same_value(v, value)) {
            mismatch(out, "not one of the schema's `enum` values".into());
            return;
        }
    }
    if let Some(c) = schema.get("const") {
        if !same_value(c, value) {
            mismatch(out, "not the schema's `const` value".into());
            return;
        }
    }
    for part in schema.get("allOf").map(Node::items).unwrap_or(&[]) {
        check(spec, doc, part, value, at.clone(), depth + 1, out);
    }
    match &value.value {
        Value::Map(entries) => {
            for name in schema.get("required").map(Node::items).unwrap_or(&[]) {
                let Some(name) = name.as_str() else { continue };
                let present = entries.iter().any(|(k, _)| k.as_str() == Some(name));
                // In a response, read-only properties are present; in a
                // request, write-only ones: either way, a property the
                // schema marks one of those may be missing from one side.
                let property = schema.get("properties").and_then(|p| p.get(name));
                let one_sided = property
                    .and_then(|p| spec.resolve(p).ok())
                    .is_some_and(|p| {
                        p.get("readOnly")
                            .is_some_and(|v| v.value == Value::Bool(true))
                            || p.get("writeOnly")
                                .is_some_and(|v| v.value == Value::Bool(true))
                    });
                if !present && !one_sided {
                    mismatch(out, format!("required property `{name}` is missing"));
                }
            }
            if let Some(props) = schema.get("properties") {
                for (key, child) in entries {
                    let Some(key) = key.as_str() else { continue };
                    if let Some(sub) = props.get(key) {
                        check(spec, doc, sub, child, format!("{at}.{key}"), depth + 1, out);
                    }
                }
            }
        }
        Value::Seq(items) => {
            if let Some(sub) = schema.get("items").filter(|i| i.is_map()) {
                for (i, item) in items.iter().enumerate() {
                    check(spec, doc, sub, item, format!("{at}[{i}]"), depth + 1, out);
                }
            }
        }
        _ => {}
    }
}
