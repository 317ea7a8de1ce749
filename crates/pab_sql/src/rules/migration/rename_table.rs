//! `ALTER TABLE ... RENAME TO` on a table that already exists.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::ObjectType;

pub struct RenameTable;

static META: RuleMeta = RuleMeta {
    id: "migration/rename-table",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "Renaming a table breaks the application version still running during the deploy, which uses the old name.",
    docs: RuleDocs {
        what: "Reports `ALTER TABLE old RENAME TO new` on a table that was not created earlier in the same file.",
        why: "The previous version of the application keeps serving traffic while the migration runs, and every query it sends names the old table: from the moment the rename commits until the new version is fully deployed, they fail with `relation does not exist`. Rolling the code back after the migration breaks the same way.",
        lock: "`ACCESS EXCLUSIVE` on the table for an instant (no rewrite), but waiting for it blocks every query on the table queued behind it.",
        bad: "ALTER TABLE customers RENAME TO accounts;",
        good: "BEGIN;\nALTER TABLE customers RENAME TO accounts;\n-- keeps the old name working until no code uses it\nCREATE VIEW customers AS SELECT * FROM accounts;\nCOMMIT;",
        fix: "1. In one transaction, rename the table and create a view with the old name: `CREATE VIEW old AS SELECT * FROM new;`. A simple view like this accepts INSERT, UPDATE and DELETE, so old code keeps working.\n2. Deploy code that uses only the new name.\n3. In a later migration, `DROP VIEW old`.\nFor a table whose columns also change, copy it instead (new table, dual writes, backfill, switch reads, drop the old one).",
    },
};

impl SqlRule for RenameTable {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::AlterTable]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(rename) = cx.rename_in_existing_table(stmt, ObjectType::ObjectTable) else {
            return;
        };
        let table = ast::qualified(&rename.relation);
        let new = &rename.newname;
        // The SQL to suggest, quoted where needed; the view keeps the schema.
        let (old_sql, new_sql) = match &rename.relation {
            Some(r) if !r.schemaname.is_empty() => {
                let schema = ast::quote_ident(&r.schemaname);
                (
                    format!("{schema}.{}", ast::quote_ident(&r.relname)),
                    format!("{schema}.{}", ast::quote_ident(new)),
                )
            }
            Some(r) => (ast::quote_ident(&r.relname), ast::quote_ident(new)),
            None => return,
        };
        out.report(
            cx,
            &META,
            stmt.range(),
            format!("Renaming table `{table}` to `{new}` breaks the running application, which still queries `{table}` until its deploy completes"),
            format!("In the same transaction, add `CREATE VIEW {old_sql} AS SELECT * FROM {new_sql};` so the old name keeps working, and drop the view once no code uses it."),
        );
    }
}
