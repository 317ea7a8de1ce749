//! An explicit `LOCK TABLE` in a mode that blocks writes (or reads), on a
//! table that already exists.

use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::NodeEnum;

pub struct LockTable;

static META: RuleMeta = RuleMeta {
    id: "migration/lock-table",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "An explicit LOCK TABLE blocks the application's queries on that table until the transaction ends.",
    docs: RuleDocs {
        what: "Reports `LOCK [TABLE]` in `SHARE` mode or stronger (`SHARE`, `SHARE ROW EXCLUSIVE`, `EXCLUSIVE`, `ACCESS EXCLUSIVE`, the default) on a table that was not created earlier in the same file. The weaker modes do not block ordinary reads and writes and are not reported.",
        why: "The lock is held until the end of the transaction, so everything else the migration does after it runs with the application's queries on that table stalled. While the `LOCK` itself waits for a long-running query, every query queued behind it waits too.",
        lock: "The mode named in the statement, `ACCESS EXCLUSIVE` if none: `ACCESS EXCLUSIVE` blocks reads and writes; `EXCLUSIVE`, `SHARE ROW EXCLUSIVE` and `SHARE` block writes (INSERT, UPDATE, DELETE) but let plain reads through. Held until COMMIT or ROLLBACK.",
        bad: "BEGIN;\nLOCK TABLE accounts;\nUPDATE accounts SET plan = 'pro' WHERE plan = 'premium';\nCOMMIT;",
        good: "BEGIN;\nSET LOCAL lock_timeout = '2s';\n-- blocks writes only, for as short a time as possible\nLOCK TABLE accounts IN SHARE ROW EXCLUSIVE MODE;\nUPDATE accounts SET plan = 'pro' WHERE plan = 'premium';\nCOMMIT;",
        fix: "1. Check whether the lock is needed at all: single statements already lock what they touch, and row locks (`SELECT ... FOR UPDATE`) often suffice.\n2. If it is, use the weakest mode that protects the invariant (`SHARE ROW EXCLUSIVE` blocks writers but not readers).\n3. Set `lock_timeout` first, keep the transaction after the `LOCK` as short as possible, and retry on timeout.",
    },
};

/// PostgreSQL's lock mode numbers, as in `LockStmt.mode`.
fn mode_name(mode: i32) -> Option<(&'static str, &'static str)> {
    match mode {
        5 => Some(("SHARE", "writes")),
        6 => Some(("SHARE ROW EXCLUSIVE", "writes")),
        7 => Some(("EXCLUSIVE", "writes and row locks")),
        8 => Some(("ACCESS EXCLUSIVE", "reads and writes")),
        _ => None,
    }
}

impl SqlRule for LockTable {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::Lock]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(NodeEnum::LockStmt(lock)) = stmt.node else {
            return;
        };
        let Some((mode, blocks)) = mode_name(lock.mode) else {
            return;
        };
        let Some(tables) = cx.existing_tables_listed(&lock.relations) else {
            return;
        };
        out.report(
            cx,
            &META,
            stmt.range(),
            format!("`LOCK` takes {mode} on {tables}, blocking the application's {blocks} there until the transaction ends"),
            "Prefer row locks or the weakest mode that is enough, set `lock_timeout` before the `LOCK`, and keep the rest of the transaction short.",
        );
    }
}
