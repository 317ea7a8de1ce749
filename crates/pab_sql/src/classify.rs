//! Classifies a statement by its leading top-level words, so that only the
//! kinds some enabled rule reads are handed to the parser (a data
//! `INSERT ... VALUES` never needs a tree).

/// What a statement is, as far as rules and file context care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StmtKind {
    Begin,
    Commit,
    Rollback,
    /// `SET` / `RESET` (lock_timeout, statement_timeout, search_path...).
    Set,
    CreateTable,
    /// `CREATE TABLE ... AS` / `SELECT ... INTO`.
    CreateTableAs,
    CreateIndex,
    AlterTable,
    DropIndex,
    DropTable,
    /// `DROP DATABASE` / `DROP SCHEMA`.
    DropDatabase,
    /// Any other `DROP`.
    DropOther,
    CreateDomain,
    AlterDomain,
    /// `ALTER TYPE` (enum values, renames).
    AlterType,
    CreateTrigger,
    /// `CREATE` / `ALTER` of roles and users.
    Role,
    Grant,
    Revoke,
    Select,
    /// `INSERT ... SELECT` and other inserts that read tables.
    Insert,
    /// `INSERT ... VALUES`: data, read by no rule that looks at structure.
    InsertValues,
    Update,
    Delete,
    Merge,
    Vacuum,
    Cluster,
    Reindex,
    Lock,
    Truncate,
    Comment,
    /// `CREATE` of anything else (functions, views, extensions, types...).
    CreateOther,
    /// `ALTER` of anything else.
    AlterOther,
    Other,
}

/// Object kinds `CREATE`, `ALTER` and `DROP` take besides the ones with a
/// kind of their own; any other word after them is reported by the parser.
const CREATABLE: &[&str] = &[
    "ACCESS",
    "AGGREGATE",
    "CAST",
    "COLLATION",
    "CONVERSION",
    "DATABASE",
    "DEFAULT",
    "EVENT",
    "EXTENSION",
    "FOREIGN",
    "FUNCTION",
    "INDEX",
    "LANGUAGE",
    "LARGE",
    "MATERIALIZED",
    "OPERATOR",
    "POLICY",
    "PROCEDURE",
    "PROCEDURAL",
    "PUBLICATION",
    "RECURSIVE",
    "ROUTINE",
    "RULE",
    "SCHEMA",
    "SEQUENCE",
    "SERVER",
    "STATISTICS",
    "SUBSCRIPTION",
    "TABLESPACE",
    "TEXT",
    "TRANSFORM",
    "TRIGGER",
    "TRUSTED",
    "TYPE",
    "USER",
    "VIEW",
    "TABLE",
    "DOMAIN",
    "ROLE",
    "GROUP",
];

/// The statements that can hold a query anywhere in them: SELECT, the DML
/// statements, and any of these nested in another's WITH. Query rules read
/// them all.
pub const QUERIES: &[StmtKind] = &[
    StmtKind::Select,
    StmtKind::Insert,
    StmtKind::Update,
    StmtKind::Delete,
    StmtKind::Merge,
];

/// Classifies a statement from its top-level words (upper-cased).
pub fn classify(words: &[String]) -> StmtKind {
    use StmtKind::*;
    let w = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
    let has = |kw: &str| words.iter().any(|x| x == kw);
    match w(0) {
        "BEGIN" | "START" => Begin,
        "COMMIT" | "END" => Commit,
        "ROLLBACK" | "ABORT" => {
            if has("TO") {
                Other // ROLLBACK TO SAVEPOINT keeps the transaction open
            } else {
                Rollback
            }
        }
        "SET" | "RESET" => Set,
        "CREATE" => {
            let mut i = 1;
            // CREATE OR REPLACE, CREATE UNIQUE, CREATE TEMP/UNLOGGED...
            while matches!(
                w(i),
                "OR" | "REPLACE"
                    | "UNIQUE"
                    | "TEMP"
                    | "TEMPORARY"
                    | "UNLOGGED"
                    | "GLOBAL"
                    | "LOCAL"
                    | "CONSTRAINT"
            ) {
                i += 1;
            }
            match w(i) {
                "TABLE" => {
                    if has("AS") && !words.iter().any(|x| x == "PARTITION") {
                        CreateTableAs
                    } else {
                        CreateTable
                    }
                }
                "INDEX" => CreateIndex,
                "DOMAIN" => CreateDomain,
                "TRIGGER" => CreateTrigger,
                "ROLE" | "USER" | "GROUP" => Role,
                other if CREATABLE.contains(&other) => CreateOther,
                // An unknown word is likely a typo: parse it to report it.
                _ => Other,
            }
        }
        "ALTER" => match w(1) {
            "TABLE" => AlterTable,
            "DOMAIN" => AlterDomain,
            "TYPE" => AlterType,
            "ROLE" | "USER" | "GROUP" => Role,
            other if CREATABLE.contains(&other) || other == "SYSTEM" => AlterOther,
            _ => Other,
        },
        "DROP" => match w(1) {
            "INDEX" => DropIndex,
            "TABLE" => DropTable,
            "DATABASE" | "SCHEMA" => DropDatabase,
            other if CREATABLE.contains(&other) || matches!(other, "OWNED") => DropOther,
            _ => Other,
        },
        "GRANT" => Grant,
        "REVOKE" => Revoke,
        "SELECT" | "VALUES" | "TABLE" => {
            if has("INTO") && w(0) == "SELECT" {
                CreateTableAs
            } else {
                Select
            }
        }
        "INSERT" => insert_kind(words),
        "UPDATE" => Update,
        "DELETE" => Delete,
        "MERGE" => Merge,
        "WITH" => words
            .iter()
            .skip(1)
            .find_map(|x| match x.as_str() {
                "SELECT" => Some(Select),
                "INSERT" => Some(Insert),
                "UPDATE" => Some(Update),
                "DELETE" => Some(Delete),
                "MERGE" => Some(Merge),
                _ => None,
            })
            .unwrap_or(Select),
        "VACUUM" => Vacuum,
        "CLUSTER" => Cluster,
        "REINDEX" => Reindex,
        "LOCK" => Lock,
        "TRUNCATE" => Truncate,
        "COMMENT" => Comment,
        _ => Other,
    }
}

/// `INSERT INTO t [(cols)] VALUES ...` is data; anything else reads tables.
fn insert_kind(words: &[String]) -> StmtKind {
    // The word after the target table (and its parenthesised column list,
    // which is not in `words`) decides.
    for w in words.iter().skip(2) {
        match w.as_str() {
            "VALUES" => return StmtKind::InsertValues,
            "DEFAULT" => return StmtKind::InsertValues,
            "SELECT" | "WITH" | "TABLE" | "OVERRIDING" => return StmtKind::Insert,
            _ => {}
        }
    }
    StmtKind::Insert
}

#[cfg(test)]
mod tests {
    use super::*;
    use StmtKind::*;

    fn kind(sql: &str) -> StmtKind {
        classify(&crate::split::split(sql).statements[0].words)
    }

    #[test]
    fn classifies_common_statements() {
        assert_eq!(
            kind("create unique index concurrently i on t (a)"),
            CreateIndex
        );
        assert_eq!(kind("CREATE TABLE t (a int)"), CreateTable);
        assert_eq!(kind("CREATE TABLE t AS SELECT 1"), CreateTableAs);
        assert_eq!(
            kind("CREATE TABLE p PARTITION OF t FOR VALUES IN (1)"),
            CreateTable
        );
        assert_eq!(
            kind("create or replace function f() returns int as $$ select 1 $$ language sql"),
            CreateOther
        );
        assert_eq!(kind("insert into s.t (a) values (1)"), InsertValues);
        assert_eq!(kind("insert into t select * from u"), Insert);
        assert_eq!(kind("with x as (select 1) delete from t"), Delete);
        assert_eq!(kind("rollback to savepoint a"), Other);
        assert_eq!(kind("start transaction"), Begin);
        assert_eq!(kind("select * into t2 from t"), CreateTableAs);
        assert_eq!(kind("alter table t add column a int"), AlterTable);
    }
}
