//! Property tests of the analyzer's entry point: arbitrary bytes and SQL-ish
//! token soup, with every rule enabled, never panic and keep spans inside the
//! file. Failing cases proptest finds are kept in proptest-regressions/.

use pab_core::{Engine, Settings};
use pab_sql::SqlAnalyzer;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(vec![Box::new(SqlAnalyzer::default())]))
}

fn check(text: String, assume_in_transaction: bool, postgres_version: u32) {
    let engine = engine();
    let settings = Settings {
        rules: engine
            .registry()
            .rule_set(Some(&["all".to_string()]), &[], &BTreeMap::new())
            .unwrap(),
        postgres_version,
        assume_in_transaction,
        api_version_prefix: None,
    };
    let len = text.len();
    let outcome = engine.review_source("fuzz.sql", text, &settings);
    for f in outcome.findings {
        assert!(
            f.span.start_byte <= f.span.end_byte && f.span.end_byte <= len,
            "{f:?}"
        );
        assert!(f.span.start.line >= 1 && f.span.start.column >= 1, "{f:?}");
    }
}

const TOKENS: &[&str] = &[
    "CREATE",
    "TABLE",
    "INDEX",
    "CONCURRENTLY",
    "UNIQUE",
    "ALTER",
    "ADD",
    "COLUMN",
    "DROP",
    "CONSTRAINT",
    "FOREIGN",
    "KEY",
    "REFERENCES",
    "PRIMARY",
    "CHECK",
    "NOT",
    "NULL",
    "VALID",
    "VALIDATE",
    "DEFAULT",
    "SET",
    "TYPE",
    "RENAME",
    "TO",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "ATOMIC",
    "END",
    "CASE",
    "SELECT",
    "*",
    "FROM",
    "WHERE",
    "UPDATE",
    "DELETE",
    "INSERT",
    "INTO",
    "VALUES",
    "LIKE",
    "'%x'",
    "IN",
    "ORDER",
    "BY",
    "random()",
    "OFFSET",
    "100000",
    "GRANT",
    "ALL",
    "ON",
    "ROLE",
    "SUPERUSER",
    "VACUUM",
    "FULL",
    "CLUSTER",
    "LOCK",
    "TRUNCATE",
    "CASCADE",
    "lock_timeout",
    "=",
    "'1s'",
    "t",
    "u",
    "a",
    "b",
    "\"Q\"",
    "(",
    ")",
    ",",
    ";",
    ";",
    "$$",
    "$f$",
    "'",
    "\"",
    "--",
    "/*",
    "*/",
    "\n",
    "\\echo",
    "@extschema@",
    "E'\\''",
    "int",
    "serial",
    "varchar(10)",
    "char(2)",
    "timestamp",
    "money",
    "float",
    "password",
    "text",
    "DOMAIN",
    "REINDEX",
    "DETACH",
    "PARTITION",
    "USING",
    "IF",
    "EXISTS",
    "WITH",
    "AS",
    "é",
    "💥",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), tx: bool) {
        check(String::from_utf8_lossy(&bytes).into_owned(), tx, 14);
    }

    #[test]
    fn token_soup_never_panics(
        picks in proptest::collection::vec(0..TOKENS.len(), 0..120),
        tx: bool,
        version in 10u32..=18,
    ) {
        let text = picks.iter().map(|&i| TOKENS[i]).collect::<Vec<_>>().join(" ");
        check(text, tx, version);
    }
}

/// Shapes that broke splitters elsewhere: unterminated quotes and comments,
/// deep nesting, lone dollar signs, a statement that is only a comment.
#[test]
fn known_edge_cases() {
    for text in [
        "",
        ";",
        ";;;",
        "--",
        "/*",
        "/* /* */",
        "'",
        "\"",
        "$$",
        "$a$ x",
        "$1",
        "E'\\",
        "((((((((((",
        "))))",
        "CREATE TABLE",
        "ALTER TABLE t ADD",
        "BEGIN ATOMIC",
        "\\",
        "@@",
        "@a",
        "SELECT 'x' -- ;\n;",
        "CREATE INDEX i ON t(a) WHERE b = 'it''s;'",
        "\u{feff}SELECT 1",
    ] {
        check(text.to_string(), false, 14);
        check(text.to_string(), true, 10);
    }
    let deep = format!("SELECT {}1{}", "(".repeat(5000), ")".repeat(5000));
    check(deep, false, 14);
}
