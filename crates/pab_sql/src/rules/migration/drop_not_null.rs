//! `ALTER TABLE ... ALTER COLUMN ... DROP NOT NULL` on a table that already
//! exists.

use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::AlterTableType;

pub struct DropNotNull;

static META: RuleMeta = RuleMeta {
    id: "migration/drop-not-null",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "Dropping NOT NULL lets NULLs into a column that readers assume always has a value, and is expensive to undo.",
    docs: RuleDocs {
        what: "Reports `ALTER COLUMN ... DROP NOT NULL` on a table that was not created earlier in the same file.",
        why: "Code, reports and other services that read the column were written against a guarantee that it always has a value. Once NULLs arrive they fail or, worse, compute wrong results (NULL in sums, comparisons and joins). Putting the constraint back later requires fixing every NULL and then a full-table scan to check it.",
        lock: "`ACCESS EXCLUSIVE` on the table, briefly (no scan). Restoring `SET NOT NULL` later scans the whole table under `ACCESS EXCLUSIVE` unless a validated `CHECK (col IS NOT NULL)` exists (PostgreSQL 12+).",
        bad: "ALTER TABLE orders ALTER COLUMN customer_id DROP NOT NULL;",
        good: "-- after every reader of orders.customer_id handles NULL\nALTER TABLE orders ALTER COLUMN customer_id DROP NOT NULL;",
        fix: "1. Find every reader of the column (application code, SQL views and functions, exports, other services) and make it handle NULL.\n2. Deploy those changes.\n3. Then drop the constraint, and suppress this finding with a comment saying readers were checked.\nIf this is the first step of removing the column, say so in the suppression comment.",
    },
};

impl SqlRule for DropNotNull {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::AlterTable]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(alter) = cx.alter_of_existing_table(stmt) else {
            return;
        };
        let table = &alter.table;
        for act in alter.actions() {
            if act.kind != AlterTableType::AtDropNotNull {
                continue;
            }
            let column = &act.cmd.name;
            out.report(
                cx,
                &META,
                stmt.action(alter.relation_at, act.index),
                format!("Dropping NOT NULL on `{table}.{column}` lets NULLs in where readers expect a value"),
                format!("Make every reader of `{column}` handle NULL and deploy that first; restoring NOT NULL later means fixing the NULLs and scanning the table."),
            );
        }
    }
}
