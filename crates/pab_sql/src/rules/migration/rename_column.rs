//! `ALTER TABLE ... RENAME COLUMN` on a table that already exists.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::ObjectType;

pub struct RenameColumn;

static META: RuleMeta = RuleMeta {
    id: "migration/rename-column",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "Renaming a column breaks the application version still running during the deploy, which uses the old name.",
    docs: RuleDocs {
        what: "Reports `ALTER TABLE ... RENAME [COLUMN] old TO new` on a table that was not created earlier in the same file.",
        why: "Migrations run while the previous version of the application is still serving traffic, and it keeps reading and writing the old column name until every instance is replaced. From the moment the rename commits until then, its queries fail with `column does not exist`. Rolling the code back after the migration breaks the same way.",
        lock: "`ACCESS EXCLUSIVE` on the table for an instant (no rewrite), but waiting for it blocks every query on the table queued behind it.",
        bad: "ALTER TABLE orders RENAME COLUMN amount TO total_cents;",
        good: "-- release 1: add the new column and write to both\nALTER TABLE orders ADD COLUMN total_cents bigint;\n-- (backfill in batches, switch reads to total_cents)\n-- release 2, once no code uses the old name:\nALTER TABLE orders DROP COLUMN amount;",
        fix: "Expand and contract instead of renaming in place:\n1. Add the new column (nullable, no volatile default).\n2. Deploy code that writes both columns (or keep them in step with a trigger).\n3. Backfill the new column from the old one in batches.\n4. Deploy code that reads only the new column.\n5. In a later migration, drop the old column.\nIf the table is small and a brief outage is acceptable, a rename is fine: suppress this finding with a comment saying so.",
    },
};

impl SqlRule for RenameColumn {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::AlterTable]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(rename) = cx.rename_in_existing_table(stmt, ObjectType::ObjectColumn) else {
            return;
        };
        let table = ast::qualified(&rename.relation);
        let (old, new) = (&rename.subname, &rename.newname);
        out.report(
            cx,
            &META,
            stmt.range(),
            format!("Renaming `{table}.{old}` to `{new}` breaks the running application, which still uses `{old}` until its deploy completes"),
            format!("Add `{new}` as a new column, write to both, backfill, move reads to `{new}`, then drop `{old}` in a later migration."),
        );
    }
}
