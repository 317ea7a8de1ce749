//! `UPDATE` without a `WHERE` clause on a table the file did not create.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct UpdateWithoutWhere;

static META: RuleMeta = RuleMeta {
    id: "query/update-without-where",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Sql,
    default_enabled: true,
    summary: "UPDATE without WHERE changes every row of the table.",
    docs: RuleDocs {
        what: "Reports an `UPDATE` with no `WHERE` clause, at the top level or inside a `WITH` query, including `UPDATE ... FROM` without `WHERE`. An explicit `WHERE true` says every row is meant and is not reported, nor is `WHERE CURRENT OF cursor`, nor an `UPDATE` of a table created earlier in the same file (a backfill of a new table).",
        why: "A missing WHERE is the classic way to overwrite a whole table: a forgotten line in a script, a condition lost in a copy-paste. The statement succeeds, the old values are gone and only a restore brings them back. Even when every row is meant, a single UPDATE of a large table rewrites every row in one transaction: it locks them all against concurrent writers, doubles the table's size until vacuum catches up and produces a burst of WAL that replicas must replay. With `FROM` and no join condition, every row is updated from an arbitrary row of the other table.",
        lock: "`ROW EXCLUSIVE` on the table and a row lock on every row until the transaction ends: concurrent UPDATE, DELETE and `SELECT ... FOR UPDATE` of any row wait.",
        bad: "UPDATE users SET email_verified = false;",
        good: "UPDATE users SET email_verified = false WHERE id = 42;\n\n-- every row, on purpose, in batches\nUPDATE users SET plan = 'free' WHERE true AND id BETWEEN 1 AND 10000;",
        fix: "1. Add the WHERE clause that selects the rows you mean; for `UPDATE ... FROM`, the join condition goes in the WHERE.\n2. If every row is really meant, write `WHERE true` so readers and this rule know it.\n3. On a large table, update in batches by primary-key range (`WHERE id >= :lo AND id < :hi`), committing between batches, from a script or job rather than inside a migration's transaction.",
    },
};

impl SqlRule for UpdateWithoutWhere {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        // UPDATE can also sit in a WITH query of any of these.
        crate::classify::QUERIES
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(node) = stmt.node else { return };
        for w in ast::writes_without_where(node, ast::Write::Update) {
            if cx.created_here(ast::relname(w.relation)) {
                continue;
            }
            let table = ast::qualified(w.relation);
            let message = if !w.joined {
                format!("`UPDATE {table}` has no WHERE clause: it changes every row of the table")
            } else {
                format!("`UPDATE {table} ... FROM` has no WHERE clause: it changes every row of `{table}`, each from an arbitrary row of the FROM list")
            };
            out.report(
                cx,
                &META,
                stmt.keyword_through_name("UPDATE", w.relation_at),
                message,
                "Add a WHERE clause selecting the rows you mean; if every row is meant, write `WHERE true`, and on a large table update in batches of primary-key ranges.",
            );
        }
    }
}
