//! `DELETE` without a `WHERE` clause on a table the file did not create.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct DeleteWithoutWhere;

static META: RuleMeta = RuleMeta {
    id: "query/delete-without-where",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Sql,
    default_enabled: true,
    summary: "DELETE without WHERE removes every row of the table.",
    docs: RuleDocs {
        what: "Reports a `DELETE` with no `WHERE` clause, at the top level or inside a `WITH` query, including `DELETE ... USING` without `WHERE`. An explicit `WHERE true` says every row is meant and is not reported, nor is `WHERE CURRENT OF cursor`, nor a `DELETE` from a table created earlier in the same file.",
        why: "A missing WHERE deletes the whole table: a forgotten line in a script, a condition lost in a copy-paste, a statement run before its last line was typed. The statement succeeds and only a restore brings the rows back. `USING` without a WHERE does not restrict anything either. Even when every row is meant, a DELETE of a large table runs as one long transaction that locks every row, leaves every tuple dead until vacuum and floods the WAL and the replicas.",
        lock: "`ROW EXCLUSIVE` on the table and a row lock on every row until the transaction ends: concurrent UPDATE, DELETE and `SELECT ... FOR UPDATE` of any row wait, and foreign keys referencing the table are checked row by row.",
        bad: "DELETE FROM sessions;",
        good: "DELETE FROM sessions WHERE expires_at < now() - interval '30 days';\n\n-- every row, on purpose\nDELETE FROM import_staging WHERE true;",
        fix: "1. Add the WHERE clause that selects the rows you mean; for `DELETE ... USING`, the join condition goes in the WHERE.\n2. If every row is really meant, write `WHERE true` so readers and this rule know it; `TRUNCATE` is faster for a full wipe but takes an ACCESS EXCLUSIVE lock and skips DELETE triggers.\n3. On a large table, delete in batches (`DELETE FROM t WHERE id IN (SELECT id FROM t WHERE ... LIMIT 10000)`), committing between batches, from a script or job rather than inside a migration's transaction.",
    },
};

impl SqlRule for DeleteWithoutWhere {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        // DELETE can also sit in a WITH query of any of these.
        crate::classify::QUERIES
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(node) = stmt.node else { return };
        for w in ast::writes_without_where(node, ast::Write::Delete) {
            if cx.created_here(ast::relname(w.relation)) {
                continue;
            }
            let table = ast::qualified(w.relation);
            let message = if !w.joined {
                format!(
                    "`DELETE FROM {table}` has no WHERE clause: it deletes every row of the table"
                )
            } else {
                format!("`DELETE FROM {table} USING ...` has no WHERE clause: it deletes every row of `{table}`")
            };
            out.report(
                cx,
                &META,
                stmt.keyword_through_name("DELETE", w.relation_at),
                message,
                "Add a WHERE clause selecting the rows you mean; if every row is meant, write `WHERE true`, and on a large table delete in batches.",
            );
        }
    }
}
