//! All rules the engine knows, and the resolution of selectors (`migration`,
//! `migration/ban-drop-table`, `all`) into the set of rules that run.

use crate::finding::Severity;
use crate::rule::RuleMeta;
use std::collections::{BTreeMap, HashSet};
use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
#[error("unknown rule or area `{selector}`{hint}")]
pub struct SelectorError {
    pub selector: String,
    hint: String,
}

/// Every rule of every registered analyzer, sorted by id.
#[derive(Debug, Default, Clone)]
pub struct RuleRegistry {
    rules: Vec<&'static RuleMeta>,
}

impl RuleRegistry {
    pub fn new(rules: impl IntoIterator<Item = &'static RuleMeta>) -> Self {
        let mut rules: Vec<_> = rules.into_iter().collect();
        rules.sort_by_key(|r| r.id);
        RuleRegistry { rules }
    }

    pub fn all(&self) -> &[&'static RuleMeta] {
        &self.rules
    }

    pub fn get(&self, name: &str) -> Option<&'static RuleMeta> {
        self.rules.iter().copied().find(|r| r.answers_to(name))
    }

    /// The rules a selector names: `all`, an area (`migration`, with or without
    /// a trailing `/`), a rule id or one of its aliases.
    pub fn resolve(&self, selector: &str) -> Result<Vec<&'static RuleMeta>, SelectorError> {
        let selector = selector.trim();
        if selector.eq_ignore_ascii_case("all") {
            return Ok(self.rules.clone());
        }
        if let Some(rule) = self.get(selector) {
            return Ok(vec![rule]);
        }
        let area = selector.trim_end_matches('/');
        let in_area: Vec<_> = self
            .rules
            .iter()
            .copied()
            .filter(|r| r.area() == area)
            .collect();
        if !in_area.is_empty() {
            return Ok(in_area);
        }
        Err(SelectorError {
            selector: selector.to_string(),
            hint: self.hint_for(selector),
        })
    }

    fn hint_for(&self, selector: &str) -> String {
        let tail = selector.rsplit('/').next().unwrap_or(selector);
        let close = self
            .rules
            .iter()
            .find(|r| !tail.is_empty() && r.id.ends_with(&format!("/{tail}")))
            .or_else(|| {
                self.rules
                    .iter()
                    .find(|r| tail.len() >= 4 && r.id.contains(tail))
            });
        match close {
            Some(rule) => format!("; did you mean `{}`?", rule.id),
            None => "; run `proagent-backend rules` for the list".to_string(),
        }
    }

    /// The rules that run given `select` (None: the default set) and `ignore`.
    pub fn rule_set(
        &self,
        select: Option<&[String]>,
        ignore: &[String],
        severity_overrides: &BTreeMap<&'static str, Severity>,
    ) -> Result<RuleSet, SelectorError> {
        let mut enabled: HashSet<&'static str> = match select {
            None => self
                .rules
                .iter()
                .filter(|r| r.default_enabled)
                .map(|r| r.id)
                .collect(),
            Some(selectors) => {
                let mut set = HashSet::new();
                for s in selectors {
                    set.extend(self.resolve(s)?.into_iter().map(|r| r.id));
                }
                set
            }
        };
        for s in ignore {
            for rule in self.resolve(s)? {
                enabled.remove(rule.id);
            }
        }
        Ok(RuleSet {
            enabled,
            severity_overrides: severity_overrides.clone(),
        })
    }
}

/// The rules that run on a file, with their severities after overrides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSet {
    enabled: HashSet<&'static str>,
    severity_overrides: BTreeMap<&'static str, Severity>,
}

impl RuleSet {
    pub fn is_enabled(&self, rule: &RuleMeta) -> bool {
        self.enabled.contains(rule.id)
    }

    /// This set less every rule not in `allowed` (severities unchanged):
    /// what runs on an embedded fragment.
    pub fn restricted_to(&self, allowed: &[&'static RuleMeta]) -> RuleSet {
        RuleSet {
            enabled: self
                .enabled
                .iter()
                .copied()
                .filter(|id| allowed.iter().any(|r| r.id == *id))
                .collect(),
            severity_overrides: self.severity_overrides.clone(),
        }
    }

    pub fn severity_of(&self, rule: &RuleMeta) -> Severity {
        self.severity_overrides
            .get(rule.id)
            .copied()
            .unwrap_or(rule.severity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::{Language, RuleDocs};

    const DOCS: RuleDocs = RuleDocs {
        what: "w",
        why: "y",
        lock: "",
        bad: "b",
        good: "g",
        fix: "f",
    };
    static DROP: RuleMeta = RuleMeta {
        id: "migration/ban-drop-table",
        aliases: &["migration/drop-table"],
        severity: Severity::Critical,
        language: Language::Sql,
        default_enabled: true,
        summary: "s",
        docs: DOCS,
    };
    static STAR: RuleMeta = RuleMeta {
        id: "query/select-star",
        aliases: &[],
        severity: Severity::Suggestion,
        language: Language::Sql,
        default_enabled: false,
        summary: "s",
        docs: DOCS,
    };

    fn registry() -> RuleRegistry {
        RuleRegistry::new([&STAR, &DROP])
    }

    #[test]
    fn selectors_resolve_areas_ids_and_aliases() {
        let r = registry();
        assert_eq!(r.resolve("migration").unwrap().len(), 1);
        assert_eq!(r.resolve("migration/").unwrap().len(), 1);
        assert_eq!(r.resolve("migration/drop-table").unwrap()[0].id, DROP.id);
        assert_eq!(r.resolve("all").unwrap().len(), 2);
        let err = r.resolve("query/select-stars").unwrap_err();
        assert!(err.to_string().contains("unknown rule"), "{err}");
        let err = r.resolve("ban-drop-table").unwrap_err();
        assert!(
            err.to_string()
                .contains("did you mean `migration/ban-drop-table`"),
            "{err}"
        );
    }

    #[test]
    fn default_set_select_and_ignore() {
        let r = registry();
        let none = BTreeMap::new();
        let default = r.rule_set(None, &[], &none).unwrap();
        assert!(default.is_enabled(&DROP) && !default.is_enabled(&STAR));
        let all = r
            .rule_set(Some(&["all".into()]), &["migration".into()], &none)
            .unwrap();
        assert!(!all.is_enabled(&DROP) && all.is_enabled(&STAR));
    }
}
