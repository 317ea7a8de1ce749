//! Examples that contradict their schema.

use crate::openapi::schema::{all_schemas, validate};
use crate::openapi::{Node, Spec, Version};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct OasExampleMismatch;

static META: RuleMeta = RuleMeta {
    id: "api/oas-example-mismatch",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Yaml,
    default_enabled: true,
    summary: "An example does not match its schema (wrong type, missing required property, value outside the `enum`).",
    docs: RuleDocs {
        what: "Checks every example against the schema it illustrates: `example` (and 3.1 `examples`) inside schemas, `example` and `examples.*.value` of parameters and media types (3.x), and response `examples` (2.0). Reported: a value of the wrong type (`nullable` and 3.1 `null` types respected), a missing `required` property (unless it is `readOnly` or `writeOnly`), a value not in `enum` or not the `const`, recursively through `properties`, `items`, `allOf` and references. `oneOf`/`anyOf`, formats and numeric or length bounds are not checked. An Example Object with neither `value` nor `externalValue` (the example written directly under its name) is reported too.",
        why: "Examples are what people copy: into client code, into mocks that contract tests run against, into the try-it console. An example the schema rejects is either a wrong example that teaches wrong usage, or a sign the schema no longer describes what the API returns.",
        lock: "",
        bad: "schema:\n  type: object\n  required: [id]\n  properties:\n    id: {type: integer}\nexample:\n  id: \"42\"",
        good: "schema:\n  type: object\n  required: [id]\n  properties:\n    id: {type: integer}\nexample:\n  id: 42",
        fix: "Correct the example to what the API really sends, or correct the schema if the example is right.",
    },
};

impl ApiRule for OasExampleMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        for schema in all_schemas(cx) {
            if let Some(example) = schema.get("example") {
                check(cx, schema, example, example, out);
            }
            if cx.version == Version::V31 {
                for example in schema.get("examples").map(Node::items).unwrap_or(&[]) {
                    check(cx, schema, example, example, out);
                }
            }
        }
        for holder in holders(cx) {
            let Some(schema) = holder.get("schema") else { continue };
            if let Some(example) = holder.get("example") {
                check(cx, schema, example, example, out);
            }
            if cx.version == Version::V2 {
                for (_, example) in holder.get("examples").map(Node::entries).unwrap_or(&[]) {
                    check(cx, schema, example, example, out);
                }
                continue;
            }
            for (_, entry) in holder.get("examples").map(Node::entries).unwrap_or(&[]) {
                let Ok((target, local)) = cx.resolve_local(entry) else { continue };
                let Some(value) = target.get("value") else {
                    if target.is_map() && target.get("externalValue").is_none() {
                        out.report(
                            &META,
                            entry.entries().first().map_or(entry.range(), |(k, _)| k.range()),
                            "example has neither `value` nor `externalValue`",
                            "put the example under `value` (or link it with `externalValue`)",
                        );
                    }
                    continue;
                };
                let at = if local && entry.get("$ref").is_none() { value } else { entry };
                check(cx, schema, value, at, out);
            }
        }
    }
}

/// Objects that carry a `schema` next to their examples: 3.x parameters,
/// headers and media types; 2.0 responses.
fn holders<'a>(cx: &Spec<'a>) -> Vec<&'a Node<'a>> {
    let mut out = Vec::new();
    let mut stack = vec![cx.root];
    // Walks the whole document except schemas' own insides, which hold no
    // media types or parameters.
    while let Some(node) = stack.pop() {
        if node.get("schema").is_some() {
            out.push(node);
        }
        for (key, value) in node.entries() {
            if matches!(key.as_str(), Some("schema" | "example" | "examples" | "schemas" | "definitions")) {
                continue;
            }
            stack.push(value);
        }
        stack.extend(node.items());
    }
    out
}

fn check<'a>(cx: &Spec<'a>, schema: &'a Node<'a>, value: &Node, at: &Node, out: &mut Reporter) {
    for mismatch in validate(cx, schema, value) {
        // Report on the offending value when it is the one written here.
        let range = if std::ptr::eq(value, at) { mismatch.range } else { at.range() };
        out.report(
            &META,
            range,
            format!("example does not match its schema at `{}`: {}", mismatch.at, mismatch.what),
            "correct the example to what the API really sends, or the schema if the example is right",
        );
    }
}
