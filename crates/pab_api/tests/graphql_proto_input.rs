//! GraphQL and protobuf files that are not what the rules expect: syntax
//! errors, empty files, huge generated schemas, arbitrary bytes. Nothing may
//! panic, errors carry positions, spans stay inside the file; and inline
//! suppressions work in each format's comment syntax.

use pab_api::ApiAnalyzer;
use pab_core::{Engine, FileOutcome, Settings};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(vec![Box::new(ApiAnalyzer)]))
}

/// Every GraphQL and protobuf rule, default-off ones included.
fn settings() -> Settings {
    let all: Vec<String> = engine()
        .registry()
        .all()
        .iter()
        .map(|r| r.id.to_string())
        .filter(|id| id.starts_with("api/graphql-") || id.starts_with("api/proto-"))
        .chain(["reliability/unused-suppression".to_string()])
        .collect();
    Settings {
        rules: engine()
            .registry()
            .rule_set(Some(&all), &[], &BTreeMap::new())
            .unwrap(),
        postgres_version: 16,
        assume_in_transaction: false,
        api_version_prefix: None,
    }
}

fn review(path: &str, text: &str) -> FileOutcome {
    let outcome = engine().review_source(path, text.to_string(), &settings());
    for f in &outcome.findings {
        assert!(f.span.end_byte <= text.len(), "{f:?}");
        assert!(f.span.start_byte <= f.span.end_byte, "{f:?}");
        assert!(f.span.start.line >= 1 && f.span.start.column >= 1, "{f:?}");
    }
    outcome
}

fn rules(outcome: &FileOutcome) -> Vec<&str> {
    outcome.findings.iter().map(|f| f.rule).collect()
}

#[test]
fn graphql_syntax_errors_are_positioned_and_the_rest_is_checked() {
    let text = "type Query {\n  orders: [Order!]!\n}\n\ntype {\n  x: Int\n}\n\ntype order_line {\n  sku: String\n";
    let outcome = review("schema.graphql", text);
    assert!(!outcome.errors.is_empty());
    let first = &outcome.errors[0];
    assert_eq!((first.line, first.column), (Some(5), Some(6)), "{first:?}");
    assert!(
        first.message.starts_with("GraphQL syntax error"),
        "{first:?}"
    );
    // What parsed around the errors is still reviewed.
    assert!(
        rules(&outcome).contains(&"api/graphql-type-naming"),
        "{outcome:?}"
    );
}

#[test]
fn graphql_garbage_reports_a_bounded_number_of_errors() {
    let text = "} ) ] : = @ ! ".repeat(500);
    let outcome = review("garbage.graphql", &text);
    assert!(!outcome.errors.is_empty());
    assert!(outcome.errors.len() <= 11, "{}", outcome.errors.len());
}

#[test]
fn proto_syntax_errors_are_positioned_and_do_not_stop_the_run() {
    let outcome = review(
        "shop/v1/broken.proto",
        "syntax = \"proto3\";\npackage shop.v1;\nmessage {\n}\n",
    );
    assert_eq!(outcome.errors.len(), 1, "{outcome:?}");
    let e = &outcome.errors[0];
    assert_eq!((e.line, e.column), (Some(3), Some(9)), "{e:?}");
    assert!(e.message.starts_with("protobuf syntax error"), "{e:?}");
    assert!(outcome.findings.is_empty());
}

#[test]
fn empty_and_comment_only_files_are_clean() {
    for (path, text) in [
        ("empty.graphql", ""),
        ("empty.proto", ""),
        ("blank.gql", "\n\n   \n"),
        ("comments.graphqls", "# nothing here\n"),
        ("comments.proto", "// nothing here\n/* still nothing */\n"),
    ] {
        let outcome = review(path, text);
        assert!(outcome.findings.is_empty(), "{path}: {outcome:?}");
        assert!(outcome.errors.is_empty(), "{path}: {outcome:?}");
    }
}

#[test]
fn deeply_nested_input_is_an_error_not_a_stack_overflow() {
    let depth = 100_000;
    let text = format!(
        "type Query {{ f: {}Int{} }}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let outcome = review("deep.graphql", &text);
    assert!(!outcome.errors.is_empty());
    let proto = format!(
        "syntax = \"proto3\";\npackage a.v1;\n{}{}",
        "message M {".repeat(depth),
        "}".repeat(depth)
    );
    let outcome = review("a/v1/deep.proto", &proto);
    assert!(!outcome.errors.is_empty());
}

#[test]
fn a_huge_generated_schema_is_reviewed() {
    let mut text = String::from("type Query {\n");
    for i in 0..3000 {
        text.push_str(&format!(
            "  item{i}(first: Int, after: String): Item{i}Connection\n"
        ));
    }
    text.push_str("}\n");
    for i in 0..3000 {
        text.push_str(&format!(
            "\"\"\"Item {i}.\"\"\"\ntype Item{i} {{\n  id: ID!\n  created_at: String\n  status: Item{i}Status @deprecated\n}}\nenum Item{i}Status {{ ACTIVE inactive }}\n"
        ));
    }
    let outcome = review("generated.graphql", &text);
    assert!(outcome.errors.is_empty());
    let count = |id: &str| outcome.findings.iter().filter(|f| f.rule == id).count();
    assert_eq!(count("api/graphql-field-naming"), 3000);
    assert_eq!(count("api/graphql-enum-value-naming"), 3000);
    assert_eq!(count("api/graphql-deprecated-without-reason"), 3000);

    let mut proto = String::from("syntax = \"proto3\";\npackage gen.v1;\n");
    for i in 0..3000 {
        proto.push_str(&format!(
            "message Thing{i} {{ string name = 1; int32 pageSize = 2; }}\n"
        ));
    }
    let outcome = review("gen/v1/things.proto", &proto);
    assert!(outcome.errors.is_empty());
    assert_eq!(
        outcome
            .findings
            .iter()
            .filter(|f| f.rule == "api/proto-field-lower-snake-case")
            .count(),
        3000
    );
}

#[test]
fn graphql_suppressions_use_hash_comments() {
    let text = "type Order {\n  # proagent-backend: ignore[api/graphql-field-naming] mirrors the legacy REST payload\n  created_at: String\n  updated_at: String\n  // proagent-backend: ignore[api/graphql-field-naming] not a GraphQL comment\n}\n";
    let outcome = review("schema.graphql", text);
    let lines: Vec<(u32, &str)> = outcome
        .findings
        .iter()
        .map(|f| (f.span.start.line, f.rule))
        .collect();
    // Line 3 is suppressed, line 4 is not; the `//` line is a syntax error,
    // not a suppression.
    assert!(
        lines.contains(&(4, "api/graphql-field-naming")),
        "{lines:?}"
    );
    assert!(
        !lines.contains(&(3, "api/graphql-field-naming")),
        "{lines:?}"
    );
}

#[test]
fn proto_suppressions_use_slash_comments() {
    let text = "syntax = \"proto3\";\npackage shop.v1;\n\nmessage Order {\n  // proagent-backend: ignore[api/proto-field-lower-snake-case] generated JSON name kept for v1 clients\n  string orderId = 1;\n  string customerId = 2;\n  # proagent-backend: ignore[api/proto-field-lower-snake-case]\n}\n";
    // `#` is not a protobuf comment: the file does not parse, nothing is
    // suppressed by it.
    let outcome = review("shop/v1/order.proto", text);
    assert!(!outcome.errors.is_empty());

    let text = "syntax = \"proto3\";\npackage shop.v1;\n\nmessage Order {\n  // proagent-backend: ignore[api/proto-field-lower-snake-case] generated JSON name kept for v1 clients\n  string orderId = 1;\n  string customerId = 2;\n  /* proagent-backend: ignore[api/proto-enum-zero-value] nothing to suppress here */\n  string note = 3;\n}\n";
    let outcome = review("shop/v1/order.proto", text);
    let lines: Vec<(u32, &str)> = outcome
        .findings
        .iter()
        .map(|f| (f.span.start.line, f.rule))
        .collect();
    assert!(
        !lines.contains(&(6, "api/proto-field-lower-snake-case")),
        "{lines:?}"
    );
    assert!(
        lines.contains(&(7, "api/proto-field-lower-snake-case")),
        "{lines:?}"
    );
    // A suppression that covers nothing is reported.
    assert!(
        lines.contains(&(8, "reliability/unused-suppression")),
        "{lines:?}"
    );
}

#[test]
fn type_level_suppressions_cover_the_type_not_its_fields() {
    let text = "# proagent-backend: ignore[api/graphql-type-naming] name shared with the mobile app\ntype order_line {\n  unit_price: Int\n}\n";
    let outcome = review("schema.graphql", text);
    let naming: Vec<&str> = rules(&outcome)
        .into_iter()
        .filter(|r| r.ends_with("-naming"))
        .collect();
    assert_eq!(naming, vec!["api/graphql-field-naming"], "{outcome:?}");
}

const TOKENS: &[&str] = &[
    "type",
    "input",
    "enum",
    "interface",
    "union",
    "scalar",
    "extend",
    "schema",
    "query",
    "mutation",
    "Query",
    "Mutation",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ":",
    "!",
    "=",
    "|",
    "@",
    "deprecated",
    "reason",
    "\"\"\"",
    "\"",
    "x_y",
    "Foo",
    "first",
    "#",
    "\n",
    "syntax",
    "package",
    "message",
    "service",
    "rpc",
    "returns",
    "stream",
    "option",
    ";",
    "=",
    "1",
    "0",
    "\"proto3\"",
    "google.protobuf.Empty",
    "ListFoosRequest",
    "ListFoos",
    "map<string,",
    ">",
    "oneof",
    "//",
    "/*",
    "*/",
    ".",
    "repeated",
    "optional",
    "reserved",
];

const PATHS: &[&str] = &["fuzz.graphql", "fuzz.gql", "a/v1/fuzz.proto", "fuzz.proto"];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
        path in 0..PATHS.len(),
    ) {
        review(PATHS[path], &String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn token_soup_never_panics(
        picks in proptest::collection::vec(0..TOKENS.len(), 0..200),
        path in 0..PATHS.len(),
    ) {
        let text = picks.iter().map(|&i| TOKENS[i]).collect::<Vec<_>>().join(" ");
        review(PATHS[path], &text);
    }
}

#[test]
fn vendored_third_party_protos_get_a_note_not_findings() {
    let text =
        "syntax = \"proto3\";\npackage google.api;\nmessage http_rule { string Selector = 1; }\n";
    let outcome = review("third_party/googleapis/google/api/http.proto", text);
    assert!(outcome.findings.is_empty(), "{outcome:?}");
    assert_eq!(outcome.notes.len(), 1, "{outcome:?}");
    assert_eq!(outcome.notes[0].line, Some(2));
    assert!(outcome.notes[0].message.contains("`google.api`"));
    // A package that only starts with the same letters is the project's own.
    let outcome = review(
        "googleish/v1/x.proto",
        "syntax = \"proto3\";\npackage googleish.v1;\nmessage http_rule {}\n",
    );
    assert!(!outcome.findings.is_empty());
}

#[test]
fn graphql_and_proto_files_are_accepted_with_their_comment_syntax() {
    use pab_core::{Analyzer, Language};
    use std::path::Path;
    let a = ApiAnalyzer;
    for (path, language) in [
        ("schema.graphql", Language::GraphQl),
        ("api/schema.graphqls", Language::GraphQl),
        ("ops.GQL", Language::GraphQl),
        ("proto/shop/v1/orders.proto", Language::Protobuf),
    ] {
        assert!(a.accepts(Path::new(path)), "{path}");
        assert_eq!(a.language(Path::new(path)), Some(language), "{path}");
    }
    assert!(!a.accepts(Path::new("orders.protobuf")));
    assert!(!a.accepts(Path::new("schema.graphql.bak")));
}

#[test]
fn crlf_and_multibyte_text_keep_positions_on_the_name() {
    let text = "type Query {\r\n  # café ☕\r\n  \"café ☕\" created_at: String\r\n}\r\n";
    let outcome = review("schema.graphql", text);
    let f = outcome
        .findings
        .iter()
        .find(|f| f.rule == "api/graphql-field-naming")
        .expect("the snake_case field is reported");
    assert_eq!((f.span.start.line, f.span.start.column), (3, 12), "{f:?}");
    assert_eq!(&text[f.span.start_byte..f.span.end_byte], "created_at");
    let text = "syntax = \"proto3\";\r\npackage shop.v1;\r\n// «commande» ☕\r\nmessage Order { string orderId = 1; }\r\n";
    let outcome = review("shop/v1/order.proto", text);
    let f = outcome
        .findings
        .iter()
        .find(|f| f.rule == "api/proto-field-lower-snake-case")
        .expect("reported");
    assert_eq!((f.span.start.line, f.span.start.column), (4, 24), "{f:?}");
    assert_eq!(&text[f.span.start_byte..f.span.end_byte], "orderId");
}
