//! `list_rules` and `explain_rule`: the rule registry, as `proagent-backend
//! rules` and `explain` print it.

use crate::output::{output_schema, structured, SeverityName};
use crate::{Server, ToolError};
use pab_core::RuleMeta;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::{tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListRulesInput {
    /// Only these rules or areas, e.g. ["migration"]. Default: every rule.
    select: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExplainRuleInput {
    /// A rule id such as "migration/set-not-null" (an older alias works too).
    rule: String,
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct RuleList {
    /// Sorted by id.
    rules: Vec<RuleInfo>,
}

#[derive(Serialize, JsonSchema)]
struct RuleInfo {
    /// Stable id, `<area>/<name>`.
    id: &'static str,
    /// Default severity (a configuration may override it).
    severity: SeverityName,
    /// The part of the id before the slash: migration, schema, query...
    area: &'static str,
    /// The kind of file the rule reads.
    language: &'static str,
    /// Whether the rule runs without being selected.
    default_enabled: bool,
    /// Earlier ids, still accepted.
    aliases: &'static [&'static str],
    /// One line.
    summary: &'static str,
}

impl From<&RuleMeta> for RuleInfo {
    fn from(r: &RuleMeta) -> RuleInfo {
        RuleInfo {
            id: r.id,
            severity: r.severity.into(),
            area: r.area(),
            language: r.language.as_str(),
            default_enabled: r.default_enabled,
            aliases: r.aliases,
            summary: r.summary,
        }
    }
}

#[derive(Serialize, JsonSchema)]
pub(crate) struct RuleDoc {
    /// The rule's id (an alias asked for is resolved to it).
    id: &'static str,
    /// The documentation page: what it does, why it matters, the lock it
    /// takes, a bad and a good example, how to fix it, how to suppress it.
    markdown: String,
}

#[tool_router(router = rule_tools, vis = "pub(crate)")]
impl Server {
    #[tool(
        description = "List the rules proagent-backend checks: id, default severity, area, language, whether it is on by default, and a one-line summary.",
        output_schema = output_schema::<RuleList>(),
        annotations(read_only_hint = true, idempotent_hint = true, open_world_hint = false)
    )]
    async fn list_rules(
        &self,
        Parameters(input): Parameters<ListRulesInput>,
    ) -> Result<CallToolResult, ToolError> {
        let registry = self.engine.registry();
        let mut rules: Vec<&RuleMeta> = match &input.select {
            None => registry.all().to_vec(),
            Some(selectors) => {
                let mut rules = Vec::new();
                for selector in selectors {
                    rules.extend(registry.resolve(selector)?);
                }
                rules
            }
        };
        rules.sort_by_key(|r| r.id);
        rules.dedup_by_key(|r| r.id);
        let mut text = String::new();
        for r in &rules {
            text.push_str(&format!(
                "{} ({}, {}): {}\n",
                r.id,
                r.severity,
                if r.default_enabled { "on" } else { "off" },
                r.summary
            ));
        }
        text.push_str(&format!(
            "{} rules. `explain_rule` shows one in full.",
            rules.len()
        ));
        let list = RuleList {
            rules: rules.into_iter().map(RuleInfo::from).collect(),
        };
        structured(&list, text)
    }

    #[tool(
        description = "Explain one rule: what it detects, why it matters in production, the lock it takes, a bad and a good example, and how to fix and suppress it (Markdown).",
        output_schema = output_schema::<RuleDoc>(),
        annotations(read_only_hint = true, idempotent_hint = true, open_world_hint = false)
    )]
    async fn explain_rule(
        &self,
        Parameters(input): Parameters<ExplainRuleInput>,
    ) -> Result<CallToolResult, ToolError> {
        let registry = self.engine.registry();
        let Some(rule) = registry.get(input.rule.trim()) else {
            // Not a rule: an area, or unknown (the error names a close rule).
            let rules = registry.resolve(&input.rule)?;
            let ids: Vec<&str> = rules.iter().map(|r| r.id).collect();
            return Err(ToolError::NotOneRule {
                name: input.rule.trim().to_string(),
                rules: ids.join(", "),
            });
        };
        let markdown = rule.to_markdown();
        structured(
            &RuleDoc {
                id: rule.id,
                markdown: markdown.clone(),
            },
            markdown,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{server, text};
    use serde_json::json;

    async fn list(args: serde_json::Value) -> Result<CallToolResult, ToolError> {
        server()
            .list_rules(Parameters(serde_json::from_value(args).unwrap()))
            .await
    }

    async fn explain(rule: &str) -> Result<CallToolResult, ToolError> {
        server()
            .explain_rule(Parameters(
                serde_json::from_value(json!({"rule": rule})).unwrap(),
            ))
            .await
    }

    #[tokio::test]
    async fn list_rules_lists_every_rule_or_the_selected_ones() {
        let all = list(json!({})).await.unwrap();
        let rules = &all.structured_content.as_ref().unwrap()["rules"];
        let ids: Vec<&str> = rules
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        // The engine's own rules (unused suppressions, the path shapes of
        // endpoints) come with every engine, the test analyzer's after them.
        assert_eq!(
            ids,
            [
                "api/missing-version-prefix",
                "api/non-kebab-path-segment",
                "api/singular-collection",
                "api/verb-in-path",
                "reliability/unused-suppression",
                "test/drop",
                "test/star"
            ]
        );
        assert_eq!(
            rules[5],
            json!({
                "id": "test/drop",
                "severity": "critical",
                "area": "test",
                "language": "sql",
                "default_enabled": true,
                "aliases": ["test/old-drop"],
                "summary": "DROP deletes data",
            })
        );
        let some = list(json!({"select": ["test", "test/star"]}))
            .await
            .unwrap();
        assert_eq!(
            text(&some),
            "test/drop (critical, on): DROP deletes data\n\
             test/star (suggestion, off): SELECT * is fragile\n\
             2 rules. `explain_rule` shows one in full."
        );
        let err = list(json!({"select": ["nope"]})).await.unwrap_err();
        assert!(
            err.to_string().starts_with("unknown rule or area `nope`"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn explain_rule_returns_the_rule_page_by_id_or_alias() {
        for name in ["test/drop", "test/old-drop"] {
            let result = explain(name).await.unwrap();
            assert_eq!(text(&result), crate::test_support::DROP.to_markdown());
            let doc = result.structured_content.as_ref().unwrap();
            assert_eq!(doc["id"], "test/drop");
            assert_eq!(doc["markdown"], text(&result));
        }
    }

    #[tokio::test]
    async fn explain_rule_names_close_rules_when_it_knows_none() {
        assert_eq!(
            explain("drop").await.unwrap_err().to_string(),
            "unknown rule or area `drop`; did you mean `test/drop`?; `list_rules` lists the rules"
        );
        assert_eq!(
            explain("test").await.unwrap_err().to_string(),
            "`test` names several rules, not one: test/drop, test/star"
        );
    }
}
