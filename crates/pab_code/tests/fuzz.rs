//! Property tests of the analyzer's entry point: arbitrary bytes and
//! token soup in every language, with every rule enabled, never panic and
//! keep spans inside the file. Failing cases proptest finds are kept in
//! proptest-regressions/.

use pab_code::CodeAnalyzer;
use pab_core::Engine;
use pab_testkit::{assert_spans_inside, settings_for};
use proptest::prelude::*;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(vec![Box::new(CodeAnalyzer)]))
}

const PATHS: &[&str] = &["f.py", "f.js", "f.ts", "f.tsx", "f.go", "f.mjs"];

fn check(path: &str, text: String) {
    let engine = engine();
    assert_spans_inside(engine, &settings_for(engine, &["all"]), path, text);
}

/// Pieces of the syntax the data flow and the rules read, in all four
/// languages, so that random sequences hit their code paths.
const TOKENS: &[&str] = &[
    "def",
    "async",
    "f",
    "(",
    ")",
    ":",
    "\n",
    "    ",
    "\t",
    "request",
    ".",
    "args",
    "[",
    "]",
    "\"id\"",
    "=",
    "+",
    "+=",
    "%",
    "f\"SELECT {x}\"",
    "\"SELECT * FROM t WHERE a = \"",
    "cursor",
    "execute",
    "text",
    "raw",
    "os",
    "system",
    "subprocess",
    "run",
    "shell",
    "True",
    ",",
    "@app.get(\"/\")",
    "x",
    "y",
    "req",
    "params",
    "query",
    "body",
    "`SELECT ${x}`",
    "${",
    "}",
    "{",
    "=>",
    "const",
    "let",
    "function",
    "return",
    "pool",
    "knex",
    "exec",
    "execSync",
    "child_process",
    "func",
    "package",
    "p",
    ":=",
    "fmt",
    "Sprintf",
    "\"%s\"",
    "db",
    "Query",
    "Exec",
    "c",
    "*gin.Context",
    "r",
    "*http.Request",
    "URL",
    "Get",
    "exec.Command",
    "\"sh\"",
    "\"-c\"",
    "for",
    "in",
    "range",
    "join",
    "append",
    "push",
    "map",
    "format",
    "\"",
    "'",
    "`",
    "\\",
    "#",
    "//",
    "/*",
    "*/",
    "lambda",
    "?",
    "??",
    "||",
    "as",
    "string",
    "int",
    "é",
    "💥",
    "proagent-backend: ignore[security/sql-injection]",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
        path in 0..PATHS.len(),
    ) {
        check(PATHS[path], String::from_utf8_lossy(&bytes).into_owned());
    }

    #[test]
    fn token_soup_never_panics(
        picks in proptest::collection::vec(0..TOKENS.len(), 0..160),
        path in 0..PATHS.len(),
    ) {
        let text = picks.iter().map(|&i| TOKENS[i]).collect::<Vec<_>>().join(" ");
        check(PATHS[path], text);
    }
}

/// Shapes that break recursive walkers and literal readers: deep nesting,
/// long chains, unterminated strings and self-referential assignments.
#[test]
fn known_edge_cases() {
    let deep_parens = format!("x = {}1{}\n", "(".repeat(3000), ")".repeat(3000));
    let long_concat = format!(
        "q = \"SELECT \"{}\ncursor.execute(q)\n",
        " + x".repeat(5000)
    );
    let nested_lambdas = format!("f = {}1\n", "lambda: ".repeat(2000));
    let nested_funcs = format!("{}1{}", "(() => ".repeat(1500), ")".repeat(1500));
    let deep_sink = format!(
        "def f(x):\n    cursor.execute(\"SELECT \" + {}x{})\n",
        "(".repeat(3000),
        ")".repeat(3000)
    );
    let deep_tuples = format!(
        "{}a,{} = {}1,{}\n",
        "(".repeat(500),
        "),".repeat(500),
        "(".repeat(500),
        "),".repeat(500)
    );
    let cycles =
        "def f(a):\n    b = a\n    a = b + c\n    c = a + b\n    cursor.execute(\"SELECT \" + c)\n";
    for (path, text) in [
        ("a.py", deep_parens.as_str()),
        ("a.py", long_concat.as_str()),
        ("a.py", nested_lambdas.as_str()),
        ("a.js", nested_funcs.as_str()),
        ("a.py", cycles),
        ("a.py", deep_sink.as_str()),
        ("a.py", deep_tuples.as_str()),
        ("a.py", "cursor.execute(\"SELECT"),
        ("a.py", "cursor.execute(f\"SELECT {"),
        ("a.js", "db.query(`SELECT ${"),
        ("a.go", "package p\nfunc f() { db.Query(\"SELECT \\"),
        (
            "a.go",
            "package p\nfunc f(r *http.Request) { q := q + r.URL; db.Query(q) }",
        ),
        (
            "a.ts",
            "const { a = req.body, ...rest } = req.query; db.query(`SELECT ${a}`);",
        ),
        ("a.py", "\u{feff}x = 1"),
        ("a.py", ""),
    ] {
        check(path, text.to_string());
    }
}
