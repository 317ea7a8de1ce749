//! Operations without tags, and tags that are not declared.

use crate::openapi::{Node, Spec};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct OasOperationTags;

static META: RuleMeta = RuleMeta {
    id: "api/oas-operation-tags",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Yaml,
    default_enabled: true,
    summary: "An operation has no tags, or uses a tag the top-level `tags` list does not declare.",
    docs: RuleDocs {
        what: "Reports operations with no `tags` (or an empty list) and, when the description declares its tags in a top-level `tags` list, every operation tag missing from that list. Also reports a tag declared twice in the top-level list.",
        why: "Documentation groups operations by tag and code generators emit one client class per tag: untagged operations end up in a catch-all `default` group, and an undeclared tag (often a typo: `User` next to `Users`) creates a group with no description.",
        lock: "",
        bad: "tags:\n  - name: users\npaths:\n  /users:\n    get:\n      tags: [user]",
        good: "tags:\n  - name: users\n    description: Accounts and profiles\npaths:\n  /users:\n    get:\n      tags: [users]",
        fix: "Give each operation at least one tag, and declare every tag once in the top-level `tags` list with a description.",
    },
};

impl ApiRule for OasOperationTags {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_openapi(&self, cx: &Spec, out: &mut Reporter) {
        let declared: Option<Vec<&str>> = cx.root.get("tags").filter(|t| t.is_seq()).map(|t| {
            t.items()
                .iter()
                .filter_map(|tag| tag.get("name").and_then(Node::as_str))
                .collect()
        });
        if let Some(tags) = cx.root.get("tags") {
            let mut seen = std::collections::HashSet::new();
            for tag in tags.items() {
                if let Some(name) = tag.get("name") {
                    if !seen.insert(name.as_str().unwrap_or("")) {
                        out.report(
                            &META,
                            name.range(),
                            format!("tag `{}` is declared twice", name.as_str().unwrap_or("")),
                            "declare each tag once",
                        );
                    }
                }
            }
        }
        for op in &cx.operations {
            match op.node.get("tags") {
                Some(tags) if !tags.items().is_empty() => {
                    let Some(declared) = &declared else { continue };
                    for tag in tags.items() {
                        let Some(name) = tag.as_str() else { continue };
                        if !declared.contains(&name) {
                            out.report_in(
                                &META,
                                tag.range(),
                                op.anchor(),
                                format!("{}: tag `{name}` is not declared in the top-level `tags`", op.label()),
                                format!("declare `- name: {name}` (with a description) in `tags`, or use a declared tag"),
                            );
                        }
                    }
                }
                _ => out.report_in(
                    &META,
                    op.key.range(),
                    op.anchor(),
                    format!("{} has no tags", op.label()),
                    "add `tags: [<group>]`: documentation and generated clients are grouped by tag",
                ),
            }
        }
    }
}
