//! Reviews files with the contract analyzer alone, every rule enabled
//! (default-off ones included), and prints the findings: for checking
//! rules against real schemas without building the binary.
//!
//! `cargo run -p pab_api --example review -- path/to/schema.graphql api/*.proto`

use pab_api::ApiAnalyzer;
use pab_core::{Engine, Settings};
use std::collections::BTreeMap;

fn main() {
    let engine = Engine::new(vec![Box::new(ApiAnalyzer)]);
    let all: Vec<String> = vec!["all".into()];
    let settings = Settings {
        rules: engine
            .registry()
            .rule_set(Some(&all), &[], &BTreeMap::new())
            .expect("`all` selects every rule"),
        postgres_version: 16,
        assume_in_transaction: false,
        api_version_prefix: None,
    };
    for path in std::env::args().skip(1) {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let outcome = engine.review_source(&path, text, &settings);
        for e in &outcome.errors {
            println!("{path}:{:?}:{:?}: error: {}", e.line, e.column, e.message);
        }
        for f in &outcome.findings {
            print!("{path}:{}", f.to_plain_text());
        }
    }
}
