//! Go database and HTTP calls whose error is thrown away.

use crate::context::FileContext;
use crate::rule::{CodeRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use tree_sitter::Node;

pub struct UncheckedError;

static META: RuleMeta = RuleMeta {
    id: "reliability/unchecked-error",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Go,
    default_enabled: true,
    summary: "The error of a Go database or HTTP call is discarded, so a failed write or request looks like success.",
    docs: RuleDocs {
        what: "Go only. Reports calls whose error result is assigned to `_` (`res, _ := db.Exec(...)`, `_ = tx.Commit()`) or dropped by calling them as a statement (`db.Exec(...)`): `database/sql`, sqlx and pgx handles (`Exec`, `Query`, `QueryRow(...).Scan`, `rows.Scan`, `Begin`, `Commit`, `Ping`, `Prepare` and their `Context` forms, on a receiver named like a database handle: `db`, `tx`, `conn`, `s.db`...); gorm chains run as a statement without reading `.Error` (`db.Create(&u)`, `db.Where(...).First(&u)`, in files that import gorm); and net/http calls (`http.Get/Post/Head/PostForm`, a client's `Do`/`Get`/`Post`, `ListenAndServe`). `defer tx.Rollback()`, `defer rows.Close()` and other deferred cleanup are not reported: ignoring those errors is the idiom. Test code (`tests/`, `test_*.py`, `*_test.go`, `*.spec.ts`...) is not checked.",
        why: "A discarded error makes a failure look like success: the `UPDATE` that hit a constraint, the `COMMIT` that failed on a serialization conflict, the request that never reached the payment provider are all reported as done. With `resp, _ := http.Get(url)` the next line dereferences a nil response and the process panics; with an unchecked `Commit` the data is silently lost.",
        lock: "",
        bad: "func rename(db *sql.DB, id int64, name string) {\n\tdb.Exec(\"UPDATE users SET name = $1 WHERE id = $2\", name, id)\n}",
        good: "func rename(db *sql.DB, id int64, name string) error {\n\tif _, err := db.Exec(\"UPDATE users SET name = $1 WHERE id = $2\", name, id); err != nil {\n\t\treturn fmt.Errorf(\"rename user %d: %w\", id, err)\n\t}\n\treturn nil\n}",
        fix: "Assign the error and handle it: `if _, err := db.ExecContext(ctx, ...); err != nil { return fmt.Errorf(\"...: %w\", err) }`; with gorm read `.Error` (`if err := db.Create(&u).Error; err != nil { ... }`); with net/http check `err` before touching `resp`. If an error really can be ignored, keep the `_` and say why in a comment, and suppress the finding.",
    },
};

/// database/sql, sqlx and pgx methods that return an error.
const SQL_METHODS: &[&str] = &[
    "Exec",
    "ExecContext",
    "Query",
    "QueryContext",
    "Queryx",
    "QueryxContext",
    "Begin",
    "BeginTx",
    "Beginx",
    "BeginTxx",
    "Commit",
    "Ping",
    "PingContext",
    "Prepare",
    "PrepareContext",
    "NamedExec",
    "NamedExecContext",
];

/// gorm methods that run the query: the chain's `.Error` holds its error.
const GORM_FINISHERS: &[&str] = &[
    "Create",
    "CreateInBatches",
    "Save",
    "First",
    "Find",
    "Take",
    "Last",
    "Delete",
    "Update",
    "Updates",
    "UpdateColumn",
    "UpdateColumns",
    "FirstOrCreate",
    "FirstOrInit",
    "Scan",
    "Pluck",
    "Count",
    "Exec",
    "AutoMigrate",
];

/// net/http calls that do I/O and return an error.
const HTTP_FUNCTIONS: &[&str] = &["Get", "Post", "Head", "PostForm"];
const HTTP_CLIENT_METHODS: &[&str] = &["Do", "Get", "Post", "Head", "PostForm"];
const HTTP_SERVE: &[&str] = &["ListenAndServe", "ListenAndServeTLS"];

impl CodeRule for UncheckedError {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn languages(&self) -> &'static [Language] {
        &[Language::Go]
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &[
            "expression_statement",
            "assignment_statement",
            "short_var_declaration",
        ]
    }

    fn checks_test_code(&self) -> bool {
        false
    }

    fn check(&self, cx: &FileContext, out: &mut Reporter) {
        if crate::names::is_test_path(&cx.file.path) {
            return;
        }
        let gorm = cx.file.text.contains("gorm.io/gorm") || cx.file.text.contains("jinzhu/gorm");
        for &stmt in cx.nodes("expression_statement") {
            let Some(call) = stmt
                .named_child(0)
                .filter(|c| c.kind() == "call_expression")
            else {
                continue;
            };
            if let Some(kind) = error_call(cx, call, gorm) {
                let callee = callee_snippet(cx, call);
                let message = match kind {
                    Kind::Gorm => format!("`{callee}` runs a gorm query and its `.Error` is never read: a failed query looks like success"),
                    _ => format!("the error returned by `{callee}` is dropped: a failure looks like success"),
                };
                out.report(cx, &META, call, message, help(kind));
            }
        }
        for kind in ["assignment_statement", "short_var_declaration"] {
            for &stmt in cx.nodes(kind) {
                let (Some(left), Some(right)) = (
                    stmt.child_by_field_name("left"),
                    stmt.child_by_field_name("right"),
                ) else {
                    continue;
                };
                if right.named_child_count() != 1 {
                    continue;
                }
                let last = left.named_child(left.named_child_count().saturating_sub(1) as u32);
                if last.is_none_or(|l| cx.text(l) != "_") {
                    continue;
                }
                let Some(call) = right
                    .named_child(0)
                    .filter(|c| c.kind() == "call_expression")
                else {
                    continue;
                };
                match error_call(cx, call, false) {
                    Some(kind @ (Kind::Sql | Kind::Http)) => {
                        let callee = callee_snippet(cx, call);
                        out.report(
                            cx,
                            &META,
                            stmt,
                            format!("the error returned by `{callee}` is assigned to `_`: a failure looks like success"),
                            help(kind),
                        );
                    }
                    _ => continue,
                }
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sql,
    Gorm,
    Http,
}

fn help(kind: Kind) -> &'static str {
    match kind {
        Kind::Sql => "Check the error: `if _, err := db.ExecContext(ctx, ...); err != nil { return fmt.Errorf(\"...: %w\", err) }`.",
        Kind::Gorm => "Read the chain's error: `if err := db.Create(&u).Error; err != nil { return err }`.",
        Kind::Http => "Check the error before using the response: `resp, err := client.Do(req); if err != nil { return err }; defer resp.Body.Close()`.",
    }
}

fn callee_snippet(cx: &FileContext, call: Node) -> String {
    let callee = call.child_by_field_name("function").unwrap_or(call);
    // `db.Where("a = ?", a).First` -> `db.Where(...).First`
    let mut out = String::new();
    let mut depth = 0u32;
    for ch in cx.text(callee).chars() {
        match ch {
            '(' => {
                if depth == 0 {
                    out.push_str("(...");
                }
                depth += 1;
            }
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    out.push(')');
                }
            }
            _ if depth == 0 && !ch.is_whitespace() => out.push(ch),
            _ => {}
        }
    }
    if out.chars().count() > 80 {
        out = out.chars().take(80).collect::<String>() + "…";
    }
    out
}

/// The method name and receiver of `recv.Name(...)`.
fn method<'t>(cx: &FileContext<'t>, call: Node<'t>) -> Option<(Node<'t>, &'t str)> {
    let callee = call.child_by_field_name("function")?;
    if callee.kind() != "selector_expression" {
        return None;
    }
    Some((
        callee.child_by_field_name("operand")?,
        cx.text(callee.child_by_field_name("field")?),
    ))
}

/// The handle a method chain starts from: `s.db` in `s.db.Where(...).First(&u)`.
fn chain_handle<'t>(cx: &FileContext<'t>, mut node: Node<'t>) -> Node<'t> {
    while node.kind() == "call_expression" {
        match method(cx, node) {
            Some((recv, _)) => node = recv,
            None => break,
        }
    }
    node
}

/// Whether an expression names a database handle: `db`, `tx`, `conn`,
/// `s.db`, `r.DB`, `sqlDB`, `pool`.
fn database_handle(cx: &FileContext, node: Node) -> bool {
    if !matches!(node.kind(), "identifier" | "selector_expression") {
        return false;
    }
    let text = cx.text(node);
    let last = text.rsplit('.').next().unwrap_or(text).to_ascii_lowercase();
    matches!(
        last.as_str(),
        "db" | "tx" | "conn" | "database" | "pool" | "dbpool" | "sqldb" | "gormdb" | "orm"
    ) || (last.ends_with("db") && !last.ends_with("rdb") && !last.contains("redis"))
        || last.ends_with("tx")
        || last.ends_with("conn")
}

/// The kind of call that returns an error this rule checks.
fn error_call<'t>(cx: &FileContext<'t>, call: Node<'t>, gorm: bool) -> Option<Kind> {
    let (recv, name) = method(cx, call)?;
    let recv_text = cx.text(recv);
    // net/http
    if recv_text == "http" && HTTP_FUNCTIONS.contains(&name)
        || HTTP_SERVE.contains(&name)
        || HTTP_CLIENT_METHODS.contains(&name) && is_http_client(cx, call, recv, name)
    {
        return Some(Kind::Http);
    }
    // `db.QueryRow(...).Scan(...)`, `rows.Scan(...)`
    if name == "Scan" {
        let from_row = recv.kind() == "call_expression"
            && method(cx, recv).is_some_and(|(r, m)| {
                matches!(
                    m,
                    "QueryRow" | "QueryRowContext" | "QueryRowx" | "QueryRowxContext"
                ) && database_handle(cx, r)
            });
        if from_row || matches!(recv_text, "rows" | "row") {
            return Some(Kind::Sql);
        }
    }
    let handle = chain_handle(cx, call);
    if !database_handle(cx, handle) {
        return None;
    }
    if gorm && GORM_FINISHERS.contains(&name) {
        return Some(Kind::Gorm);
    }
    (SQL_METHODS.contains(&name) && handle.id() == recv.id()).then_some(Kind::Sql)
}

/// `http.DefaultClient`, or `client` / `httpClient` / `s.client` in a file
/// that imports net/http, called with net/http's arguments (`Do(req)`,
/// `Get(url)`, `Post(url, contentType, body)`): other clients' `Get(ctx,
/// key)` may return a value and a found flag.
fn is_http_client(cx: &FileContext, call: Node, recv: Node, name: &str) -> bool {
    let text = cx.text(recv);
    if text == "http.DefaultClient" {
        return true;
    }
    let last = text.rsplit('.').next().unwrap_or(text).to_ascii_lowercase();
    let args = call
        .child_by_field_name("arguments")
        .map_or(0, |a| a.named_child_count());
    let arity = match name {
        "Do" | "Get" | "Head" => 1,
        "PostForm" => 2,
        _ => 3,
    };
    matches!(last.as_str(), "client" | "httpclient")
        && args == arity
        && cx.file.text.contains("\"net/http\"")
}
