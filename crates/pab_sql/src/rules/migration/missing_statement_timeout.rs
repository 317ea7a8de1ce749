//! The first statement of a file that locks an existing table strongly while
//! no `statement_timeout` is set.

use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::rules::migration::missing_lock_timeout::{first_unbounded_lock, LOCKING_KINDS};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct MissingStatementTimeout;

static META: RuleMeta = RuleMeta {
    id: "migration/missing-statement-timeout",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Sql,
    default_enabled: true,
    summary: "A migration that holds a strong lock with no statement_timeout can block the application for as long as a slow statement runs.",
    docs: RuleDocs {
        what: "Reports, once per file, the first statement that takes a lock blocking the application's reads or writes on an existing table (the same statements as `migration/missing-lock-timeout`) when no non-zero `statement_timeout` has been set before it.",
        why: "Once a statement has its lock, it keeps it until it finishes (and until the transaction ends). A table rewrite, a full scan to validate a constraint or an index build that takes far longer than in staging keeps the application blocked all that time. A `statement_timeout` cancels it after a bound you chose, so an outage becomes a failed migration instead. `lock_timeout` only bounds the wait for the lock, not the work done while holding it.",
        lock: "The statement's own lock (see `migration/missing-lock-timeout`), held for as long as the statement runs and then until the transaction commits.",
        bad: "SET lock_timeout = '2s';\nALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);",
        good: "SET lock_timeout = '2s';\nSET statement_timeout = '30s';\nALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);",
        fix: "1. Add `SET statement_timeout = '...'` at the top of the migration (or `SET LOCAL` inside its transaction), sized to how long the slowest statement may block the application: seconds for statements that should be instant, more for deliberate long operations.\n2. For long work, prefer the forms that do not block (`CREATE INDEX CONCURRENTLY`, `NOT VALID` then `VALIDATE CONSTRAINT`) and give them their own, larger timeout.\n3. When it times out, the statement is rolled back: find out why it was slow before retrying.",
    },
};

impl SqlRule for MissingStatementTimeout {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        LOCKING_KINDS
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(lock) = first_unbounded_lock(stmt, cx, out, &META, cx.statement_timeout)
        else {
            return;
        };
        let (mode, target, blocks) = (lock.mode.with_article(), &lock.target, lock.mode.blocks());
        let set = if cx.in_transaction {
            "SET LOCAL"
        } else {
            "SET"
        };
        out.report(
            cx,
            &META,
            stmt.range(),
            format!("This statement holds {mode} lock on {target} with no `statement_timeout` set: if it runs long, {blocks} on {target} waits until it finishes"),
            format!("Add `{set} statement_timeout = '30s';` (or what the slowest statement may take) before it, so a slow statement is cancelled instead of blocking the application."),
        );
    }
}
