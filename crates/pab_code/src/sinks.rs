//! The calls that run SQL, per language: DB-API `cursor.execute`,
//! SQLAlchemy `text`, Django `raw` / `extra` / `RawSQL`, pandas `read_sql`,
//! asyncpg `fetch*`; `knex.raw` and its `*Raw` clauses, `sequelize.query`,
//! node-postgres / mysql2 `query` / `execute`, Prisma's `*Unsafe`,
//! postgres.js `unsafe`; Go `database/sql` and sqlx `Query/Exec/...`, gorm
//! `Raw/Exec/Where`. Shared by `security/sql-injection` and the embedded
//! SQL fragments.

use crate::context::{Call, FileContext};
use pab_core::Language;

/// What a sink's query argument holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SinkKind {
    /// A whole statement, through a method name other APIs use too
    /// (`execute`, `query`, `Exec`): reported only when the text looks like
    /// SQL or the receiver like a database handle.
    Statement,
    /// A whole statement, through an API that only runs SQL
    /// (`$queryRawUnsafe`, `knex.raw`).
    SqlOnly,
    /// A piece of a statement (`whereRaw`, gorm `Where`, Django `extra`).
    Clause,
}

#[derive(Debug, Clone, Copy)]
pub enum Receiver {
    /// A method call on anything.
    Method,
    /// A plain call, or a method call on one of these names
    /// (`text(...)`, `sqlalchemy.text(...)`).
    FunctionOr(&'static [&'static str]),
}

#[derive(Debug, Clone, Copy)]
pub enum Arg {
    Index(usize),
    Keyword(&'static str),
}

#[derive(Debug)]
pub struct QuerySink {
    pub name: &'static str,
    pub languages: &'static [Language],
    pub receiver: Receiver,
    pub arg: Arg,
    pub kind: SinkKind,
}

const PY: &[Language] = &[Language::Python];
const JS: &[Language] = &[Language::JavaScript, Language::TypeScript];
const GO: &[Language] = &[Language::Go];

const fn sink(
    name: &'static str,
    languages: &'static [Language],
    receiver: Receiver,
    arg: Arg,
    kind: SinkKind,
) -> QuerySink {
    QuerySink {
        name,
        languages,
        receiver,
        arg,
        kind,
    }
}

use Arg::{Index, Keyword};
use Receiver::{FunctionOr, Method};
use SinkKind::{Clause, SqlOnly, Statement};

pub static QUERY_SINKS: &[QuerySink] = &[
    // Python
    sink("execute", PY, Method, Index(0), Statement),
    sink("executemany", PY, Method, Index(0), Statement),
    sink("executescript", PY, Method, Index(0), Statement),
    sink(
        "text",
        PY,
        FunctionOr(&["sqlalchemy", "sa", "sql", "expression"]),
        Index(0),
        Statement,
    ),
    sink("raw", PY, Method, Index(0), Statement),
    sink(
        "RawSQL",
        PY,
        FunctionOr(&["expressions", "models"]),
        Index(0),
        Clause,
    ),
    sink("extra", PY, Method, Keyword("where"), Clause),
    sink(
        "read_sql",
        PY,
        FunctionOr(&["pd", "pandas"]),
        Index(0),
        Statement,
    ),
    sink(
        "read_sql_query",
        PY,
        FunctionOr(&["pd", "pandas"]),
        Index(0),
        Statement,
    ),
    sink("fetch", PY, Method, Index(0), Statement),
    sink("fetchrow", PY, Method, Index(0), Statement),
    sink("fetchval", PY, Method, Index(0), Statement),
    // JavaScript / TypeScript
    sink("query", JS, Method, Index(0), Statement),
    sink("execute", JS, Method, Index(0), Statement),
    sink("raw", JS, Method, Index(0), SqlOnly),
    sink("unsafe", JS, Method, Index(0), Statement),
    sink("$queryRawUnsafe", JS, Method, Index(0), SqlOnly),
    sink("$executeRawUnsafe", JS, Method, Index(0), SqlOnly),
    sink("whereRaw", JS, Method, Index(0), Clause),
    sink("orWhereRaw", JS, Method, Index(0), Clause),
    sink("havingRaw", JS, Method, Index(0), Clause),
    sink("orderByRaw", JS, Method, Index(0), Clause),
    sink("groupByRaw", JS, Method, Index(0), Clause),
    sink("joinRaw", JS, Method, Index(0), Clause),
    // Go: database/sql, sqlx, gorm
    sink("Query", GO, Method, Index(0), Statement),
    sink("Exec", GO, Method, Index(0), Statement),
    sink("QueryRow", GO, Method, Index(0), Statement),
    sink("Prepare", GO, Method, Index(0), Statement),
    sink("Queryx", GO, Method, Index(0), Statement),
    sink("QueryRowx", GO, Method, Index(0), Statement),
    sink("MustExec", GO, Method, Index(0), Statement),
    sink("NamedExec", GO, Method, Index(0), Statement),
    sink("NamedQuery", GO, Method, Index(0), Statement),
    sink("QueryContext", GO, Method, Index(1), Statement),
    sink("ExecContext", GO, Method, Index(1), Statement),
    sink("QueryRowContext", GO, Method, Index(1), Statement),
    sink("PrepareContext", GO, Method, Index(1), Statement),
    sink("QueryxContext", GO, Method, Index(1), Statement),
    sink("MustExecContext", GO, Method, Index(1), Statement),
    sink("Select", GO, Method, Index(1), Statement),
    sink("Get", GO, Method, Index(1), Statement),
    sink("Raw", GO, Method, Index(0), SqlOnly),
    sink("Where", GO, Method, Index(0), Clause),
    sink("Having", GO, Method, Index(0), Clause),
    sink("Joins", GO, Method, Index(0), Clause),
];

/// The sink a call is, with its query argument.
pub fn query_sink<'t>(
    cx: &FileContext<'t>,
    call: &Call<'t>,
) -> Option<(&'static QuerySink, tree_sitter::Node<'t>)> {
    if call.tagged_template {
        return None;
    }
    let language = cx.lang.language();
    QUERY_SINKS
        .iter()
        .filter(|s| s.name == call.name && s.languages.contains(&language))
        .find_map(|s| {
            let receiver_ok = match (s.receiver, call.receiver) {
                (Receiver::Method, r) => r.is_some(),
                (Receiver::FunctionOr(_), None) => true,
                (Receiver::FunctionOr(names), Some(r)) => names.contains(&cx.text(r)),
            };
            if !receiver_ok {
                return None;
            }
            let arg = match s.arg {
                Arg::Index(i) => call.args.get(i).copied(),
                Arg::Keyword(k) => call.keyword(k),
            }?;
            Some((s, arg))
        })
}

/// Statement keywords a query starts with.
const STATEMENT_STARTS: &[&str] = &[
    "select", "insert", "update", "delete", "with", "create", "alter", "drop", "truncate", "merge",
    "upsert", "replace", "call", "grant", "revoke", "copy", "explain", "values", "set", "begin",
    "commit", "lock", "vacuum", "analyze", "refresh", "comment",
];

/// Keywords that only SQL puts in the middle of text.
const CLAUSE_WORDS: &[&str] = &[
    "from",
    "where",
    "join",
    "values",
    "returning",
    "having",
    "limit",
    "offset",
    "into",
];

/// Whether text starts like a SQL statement (`SELECT`, `WITH`...).
pub fn starts_like_statement(text: &str) -> bool {
    let first = text
        .trim_start_matches(|c: char| c.is_whitespace() || c == '(')
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    STATEMENT_STARTS.contains(&first.as_str())
}

/// Whether constant text gathered from a value looks like SQL: it starts
/// like a statement, or has a statement keyword and a clause keyword.
pub fn looks_like_sql(text: &str) -> bool {
    if text.lines().any(starts_like_statement) {
        return true;
    }
    let words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let has = |set: &[&str]| words.iter().any(|w| set.contains(&w.as_str()));
    has(STATEMENT_STARTS) && has(CLAUSE_WORDS) || words.windows(2).any(|w| w == ["order", "by"])
}

/// Whether a call's receiver is named like a database handle (`cursor`,
/// `conn`, `db`, `session`, `pool`, `tx`...): evidence that its `execute`
/// runs SQL even when the text is not visible.
pub fn database_receiver(cx: &FileContext, call: &Call) -> bool {
    let Some(receiver) = call.receiver else {
        return false;
    };
    let text = cx.text(receiver);
    let last = text
        .rsplit(['.', '>'])
        .next()
        .unwrap_or(text)
        .trim_end_matches("()")
        .to_ascii_lowercase();
    const EXACT: &[&str] = &[
        "cursor",
        "cur",
        "conn",
        "connection",
        "db",
        "database",
        "session",
        "engine",
        "pool",
        "client",
        "tx",
        "trx",
        "knex",
        "sequelize",
        "prisma",
        "sql",
        "pg",
        "mysql",
    ];
    const SUFFIXES: &[&str] = &[
        "cursor",
        "conn",
        "connection",
        "db",
        "session",
        "pool",
        "tx",
    ];
    EXACT.contains(&last.as_str()) || SUFFIXES.iter().any(|s| last.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_detection() {
        assert!(looks_like_sql("SELECT * FROM t WHERE id = "));
        assert!(looks_like_sql("  (select 1)"));
        assert!(looks_like_sql("UPDATE t SET a = 1 WHERE id = "));
        assert!(looks_like_sql(" ORDER BY "));
        assert!(!looks_like_sql("Hello from "));
        assert!(!looks_like_sql("ls -la "));
        assert!(starts_like_statement("\n  SELECT 1"));
        assert!(!starts_like_statement("selection"));
    }
}
