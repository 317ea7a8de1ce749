//! The proagent-backend engine as the binary assembles it: every analyzer
//! registered, for the CLI, the docs generator and the tests.

use pab_core::Engine;

/// The engine with every analyzer this build ships.
pub fn engine() -> Engine {
    Engine::new(vec![
        Box::new(pab_sql::SqlAnalyzer::default()),
        Box::new(pab_code::CodeAnalyzer),
        Box::new(pab_api::ApiAnalyzer),
    ])
}

/// The engine for reviewing successive versions of one file, as the edit
/// hook does: analyzers reuse what they learned from the previous version.
pub fn editing_engine() -> Engine {
    Engine::new(vec![
        Box::new(pab_sql::SqlAnalyzer::reusing_last_trees()),
        Box::new(pab_code::CodeAnalyzer),
        Box::new(pab_api::ApiAnalyzer),
    ])
}

/// The generated documentation: (path under docs/rules/, contents), one page
/// per rule plus the index. `make docs` writes them; a test checks they match.
pub fn rule_docs(engine: &Engine) -> Vec<(String, String)> {
    let rules = engine.registry().all();
    let mut pages = Vec::with_capacity(rules.len() + 1);
    let mut index = String::from(
        "# Rules\n\nGenerated from the rules' own metadata by `make docs`; do not edit by hand.\n\
         `proagent-backend explain RULE` prints the same page.\n\n\
         | rule | severity | default | summary |\n|---|---|---|---|\n",
    );
    for rule in rules {
        let (area, name) = rule.id.split_once('/').unwrap_or(("other", rule.id));
        let path = format!("{area}/{name}.md");
        index.push_str(&format!(
            "| [{}]({path}) | {} | {} | {} |\n",
            rule.id,
            rule.severity,
            if rule.default_enabled { "on" } else { "off" },
            rule.summary.replace('|', "\\|")
        ));
        pages.push((path, rule.to_markdown()));
    }
    index.push_str("\nSee also [squawk-mapping.md](squawk-mapping.md) for the correspondence with squawk's rules, and [buf-mapping.md](buf-mapping.md) with buf's protobuf lint rules.\n");
    pages.push(("README.md".to_string(), index));
    pages
}
