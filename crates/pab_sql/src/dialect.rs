//! Telling a `.sql` file written for another database from PostgreSQL.
//!
//! Projects keep SQLite and MySQL scripts next to their code (a tutorial's
//! `schema.sql`, test fixtures). Read as PostgreSQL, their statements fail
//! to parse and the migration rules misread what is left: `DROP TABLE` in a
//! script that creates a fresh SQLite file, lock timeouts for a database
//! that has none. Such a file is not reviewed, with a note naming the
//! evidence. Only syntax PostgreSQL rejects counts as evidence, so a
//! PostgreSQL file is never mistaken for another dialect.

use crate::lexer::{tokens, TokenKind};

/// Why a file is not PostgreSQL: the database it looks written for, the
/// syntax that says so, and the byte offset of its first occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherDialect {
    pub database: &'static str,
    pub evidence: &'static str,
    pub offset: usize,
}

/// The other database a file is written for, when it uses syntax that
/// PostgreSQL does not have: SQLite's `AUTOINCREMENT` and `WITHOUT ROWID`,
/// MySQL's `AUTO_INCREMENT`, `) ENGINE=...` table options and backquoted
/// identifiers. Comments and string literals are not read.
pub fn other_dialect(text: &str) -> Option<OtherDialect> {
    // The tokenizer runs only on files that contain a candidate at all.
    let lower = text.to_ascii_lowercase();
    if !["autoincrement", "auto_increment", "engine", "rowid", "`"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return None;
    }
    let toks = tokens(text);
    let word = |i: usize, w: &str| {
        toks.get(i).is_some_and(|t| {
            t.kind == TokenKind::Word && text[t.start..t.end].eq_ignore_ascii_case(w)
        })
    };
    let punct = |i: usize, p: &str| {
        toks.get(i)
            .is_some_and(|t| t.kind == TokenKind::Punct && &text[t.start..t.end] == p)
    };
    for (i, t) in toks.iter().enumerate() {
        let found = if word(i, "AUTOINCREMENT") {
            Some(("SQLite", "AUTOINCREMENT"))
        } else if word(i, "WITHOUT") && word(i + 1, "ROWID") {
            Some(("SQLite", "WITHOUT ROWID"))
        } else if word(i, "AUTO_INCREMENT") {
            Some(("MySQL", "AUTO_INCREMENT"))
        } else if word(i, "ENGINE") && i > 0 && punct(i - 1, ")") && punct(i + 1, "=") {
            Some(("MySQL", "ENGINE="))
        } else if punct(i, "`") {
            Some(("MySQL", "`backquoted` identifiers"))
        } else {
            None
        };
        if let Some((database, evidence)) = found {
            return Some(OtherDialect {
                database,
                evidence,
                offset: t.start,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_databases_are_recognised() {
        let sqlite = "DROP TABLE IF EXISTS user;\nCREATE TABLE user (\n  id INTEGER PRIMARY KEY AUTOINCREMENT,\n  username TEXT UNIQUE NOT NULL\n);\n";
        let d = other_dialect(sqlite).expect("SQLite");
        assert_eq!((d.database, d.evidence), ("SQLite", "AUTOINCREMENT"));
        assert_eq!(&sqlite[d.offset..d.offset + 13], "AUTOINCREMENT");
        let mysql = "CREATE TABLE t (id INT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;";
        assert_eq!(other_dialect(mysql).map(|d| d.database), Some("MySQL"));
        let mysql = "SELECT `name` FROM `users`;";
        assert_eq!(other_dialect(mysql).map(|d| d.database), Some("MySQL"));
        let sqlite = "CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;";
        assert_eq!(other_dialect(sqlite).map(|d| d.database), Some("SQLite"));
    }

    #[test]
    fn postgresql_is_never_mistaken_for_another_dialect() {
        for text in [
            "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);",
            // The words in comments, strings and as plain column names.
            "-- unlike MySQL's AUTO_INCREMENT or `quoted` names\nCREATE TABLE cars (engine text);",
            "UPDATE cars SET engine = 'v8 ENGINE=x `autoincrement`' WHERE id = 1;",
            "/* WITHOUT ROWID */ SELECT rowid FROM t;",
            "CREATE FUNCTION f() RETURNS int AS $$ SELECT `x` $$ LANGUAGE sql;",
        ] {
            assert_eq!(other_dialect(text), None, "{text}");
        }
    }
}
