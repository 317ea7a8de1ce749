//! `BEGIN` inside a transaction that is already open, and `COMMIT` or
//! `ROLLBACK` outside one (or ending the one the migration tool opened).

use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::TransactionStmtKind;
use pg_query::NodeEnum;

pub struct TransactionNesting;

static META: RuleMeta = RuleMeta {
    id: "migration/transaction-nesting",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "BEGIN inside an open transaction, or COMMIT/ROLLBACK outside one, does not do what the file's structure suggests.",
    docs: RuleDocs {
        what: "Reports `BEGIN` / `START TRANSACTION` while a transaction is already open, and `COMMIT` / `ROLLBACK` (`END`, `ABORT`) while none is. With `assume-in-transaction` (the migration tool wraps each file in its own transaction), any `BEGIN` and any `COMMIT` or `ROLLBACK` that would end the tool's transaction is reported. `COMMIT PREPARED` and `ROLLBACK PREPARED` are not about the current transaction and are ignored.",
        why: "PostgreSQL has no nested transactions: an inner `BEGIN` is ignored with a warning, so the first `COMMIT` commits everything since the outer `BEGIN` and a later `ROLLBACK` has nothing left to undo. A `COMMIT` with no transaction open is also only a warning: the statements before it were each committed on their own, not together as the file suggests, and a `ROLLBACK` there undoes nothing. Inside a tool's transaction, an explicit `COMMIT` ends it early, so the rest of the file runs without one and the tool's own `COMMIT` or rollback no longer covers it.",
        lock: "",
        bad: "-- the migration tool already runs this file in a transaction\nBEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;",
        good: "ALTER TABLE orders ADD COLUMN note text;",
        fix: "1. Know whether your migration tool wraps each migration in a transaction (most do: Rails, Django, Alembic, Flyway and Liquibase on PostgreSQL) and set `assume-in-transaction` accordingly.\n2. If it does, remove `BEGIN` / `COMMIT` from the file. If some statements must run outside a transaction (`CREATE INDEX CONCURRENTLY`), mark that migration as non-transactional in the tool rather than committing by hand.\n3. If it does not, pair every `BEGIN` with one `COMMIT`, and use `SAVEPOINT` / `ROLLBACK TO SAVEPOINT` for work that must be undoable on its own.",
    },
};

impl SqlRule for TransactionNesting {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::Begin, StmtKind::Commit, StmtKind::Rollback]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        if let Some(NodeEnum::TransactionStmt(t)) = stmt.node {
            if matches!(
                TransactionStmtKind::try_from(t.kind),
                Ok(TransactionStmtKind::TransStmtCommitPrepared
                    | TransactionStmtKind::TransStmtRollbackPrepared)
            ) {
                return;
            }
        }
        let assumed = cx.settings.assume_in_transaction;
        let word = match stmt.words.first().map_or("COMMIT", String::as_str) {
            "START" => "START TRANSACTION",
            w => w,
        };
        let (message, help) = match stmt.kind {
            StmtKind::Begin => match cx.open_begin {
                _ if !cx.in_transaction => return,
                Some(outer) => {
                    let line = cx.file.position(outer.0).line;
                    (
                        format!("`{word}` inside the transaction opened on line {line}: PostgreSQL ignores it, so the first `COMMIT` commits everything since line {line}"),
                        String::from("Remove this `BEGIN` and its `COMMIT`; use `SAVEPOINT` if part of the work must be undoable on its own."),
                    )
                }
                None => (
                    format!("`{word}` inside the transaction the migration tool already opened: PostgreSQL ignores it, and the matching `COMMIT` ends the tool's transaction early"),
                    String::from("Remove `BEGIN` and `COMMIT` from the file: the tool runs it in a transaction already."),
                ),
            },
            StmtKind::Commit | StmtKind::Rollback => {
                if !cx.in_transaction {
                    let effect = if stmt.kind == StmtKind::Rollback {
                        "it undoes nothing, as the statements before it are already committed"
                    } else {
                        "the statements before it were each committed on their own, not together"
                    };
                    (
                        format!("`{word}` with no transaction open: {effect}"),
                        String::from("Add `BEGIN` before the statements that must apply together, or remove this statement."),
                    )
                } else if assumed && cx.open_begin.is_none() {
                    (
                        format!("`{word}` ends the transaction the migration tool opened: the rest of the file runs outside any transaction"),
                        String::from("Remove it; to run statements outside a transaction (such as `CREATE INDEX CONCURRENTLY`), mark this migration as non-transactional in the tool."),
                    )
                } else {
                    return;
                }
            }
            _ => return,
        };
        out.report(cx, &META, stmt.range(), message, help);
    }
}
