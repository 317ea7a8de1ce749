//! Error responses of one file use different body shapes.

use crate::context::FileContext;
use crate::rule::{CodeRule, Reporter, ALL_LANGUAGES};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct InconsistentErrorShape;

static META: RuleMeta = RuleMeta {
    id: "api/inconsistent-error-shape",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::JavaScript,
    default_enabled: true,
    summary: "Error responses in one file use different body shapes (`{error}` here, `{message}` there).",
    docs: RuleDocs {
        what: "Collects the error responses (status 400 and above) of the route handlers of a file whose body shape is visible (the keys of the object literal sent, `{detail}` for FastAPI's `HTTPException`) and, when one shape is used at least twice, reports each error response that uses another shape.",
        why: "Clients handle errors generically: one parser for the error body, one place that shows the message. When one endpoint answers `{\"error\": ...}` and the next `{\"message\": ...}`, every client needs a special case per endpoint, and the one that was missed shows `undefined` to the user.",
        lock: "",
        bad: "res.status(404).json({ error: 'not found' });\n// elsewhere in the file\nres.status(400).json({ message: 'invalid id' });",
        good: "res.status(404).json({ error: 'not found' });\n// elsewhere in the file\nres.status(400).json({ error: 'invalid id' });",
        fix: "Pick one error shape (for example RFC 9457 problem details: `type`, `title`, `status`, `detail`), build it in one helper or error handler, and use it everywhere.",
    },
};

impl CodeRule for InconsistentErrorShape {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn languages(&self) -> &'static [Language] {
        ALL_LANGUAGES
    }

    fn check(&self, cx: &FileContext, out: &mut Reporter) {
        // Handlers registered for several methods appear once per method:
        // count each response node once.
        let mut shapes: Vec<(tree_sitter::Node, &str)> = Vec::new();
        for route in cx.routes() {
            for (node, shape) in route.body.iter().flat_map(|b| &b.error_shapes) {
                if !shapes.iter().any(|(n, _)| n.id() == node.id()) {
                    shapes.push((*node, shape.as_str()));
                }
            }
        }
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for (_, shape) in &shapes {
            match counts.iter_mut().find(|(s, _)| s == shape) {
                Some((_, n)) => *n += 1,
                None => counts.push((shape, 1)),
            }
        }
        // The convention: the most used shape (the first seen on a tie).
        let Some(&(convention, uses)) = counts.iter().rev().max_by_key(|(_, n)| *n) else {
            return;
        };
        if uses < 2 || counts.len() < 2 {
            return;
        }
        for (node, shape) in shapes {
            if shape == convention {
                continue;
            }
            out.report(
                cx,
                &META,
                node,
                format!(
                    "this error response's body is `{shape}`, while {uses} others in this file use `{convention}`"
                ),
                format!("use the file's error shape `{convention}` (ideally built by one helper) so clients parse every error the same way"),
            );
        }
    }
}
