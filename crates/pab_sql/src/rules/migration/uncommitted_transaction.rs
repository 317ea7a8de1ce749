//! A `BEGIN` that the file never closes with `COMMIT` or `ROLLBACK`.

use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct UncommittedTransaction;

static META: RuleMeta = RuleMeta {
    id: "migration/uncommitted-transaction",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "A BEGIN never followed by COMMIT leaves the transaction open at the end of the file, and its changes are lost.",
    docs: RuleDocs {
        what: "Reports a `BEGIN` / `START TRANSACTION` that is still open when the file ends: no `COMMIT` or `ROLLBACK` follows it. Not reported with `assume-in-transaction`, where the migration tool commits at the end of the file.",
        why: "When the script ends, `psql` and most drivers close the session, and PostgreSQL rolls back an open transaction: every change since the `BEGIN` silently disappears, although each statement reported success. Tools that keep the session open are worse: the transaction stays open holding every lock the migration took, blocking the application until someone notices.",
        lock: "Every lock taken since the `BEGIN` stays held until the session ends.",
        bad: "BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nUPDATE orders SET note = '';",
        good: "BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nUPDATE orders SET note = '';\nCOMMIT;",
        fix: "1. Add `COMMIT;` after the last statement that belongs to the transaction.\n2. If the tool wraps the file in its own transaction, remove the `BEGIN` instead (and tell this linter with `assume-in-transaction`).",
    },
};

impl SqlRule for UncommittedTransaction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::Begin]
    }

    fn check(&self, _stmt: &Stmt, _cx: &Context, _out: &mut Reporter) {}

    fn finish(&self, cx: &Context, out: &mut Reporter) {
        if cx.settings.assume_in_transaction {
            return;
        }
        let Some(begin) = cx.open_begin else { return };
        out.report_anchored(
            cx,
            &META,
            begin,
            begin,
            "This transaction is never committed: the file ends with it open, and its changes are rolled back when the session closes",
            "Add `COMMIT;` after the last statement that belongs to the transaction.",
        );
    }
}
