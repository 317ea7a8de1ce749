//! A foreign key added to a table that already exists in a way that makes
//! PostgreSQL check every existing row while it blocks writes: `ADD
//! [CONSTRAINT] FOREIGN KEY` without `NOT VALID`, or `ADD COLUMN ...
//! REFERENCES` when the statement also gives a new column a default.

use crate::ast::{self, column_constraints, constr_type};
use crate::classify::StmtKind;
use crate::context::{Context, ExistingAlter};
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::{AlterTableType, ConstrType};
use pg_query::NodeEnum;

pub struct AddForeignKeyWithoutNotValid;

static META: RuleMeta = RuleMeta {
    id: "migration/add-foreign-key-without-not-valid",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Sql,
    default_enabled: true,
    summary: "Adding a foreign key without NOT VALID scans the whole table while blocking writes to it and to the referenced table.",
    docs: RuleDocs {
        what: "Reports, on a table not created earlier in the same file, `ALTER TABLE ... ADD [CONSTRAINT name] FOREIGN KEY ... REFERENCES ...` without `NOT VALID`, and `ADD COLUMN ... REFERENCES ...` when PostgreSQL will check the existing rows: that is when the same statement gives an added column a `DEFAULT` (or a generated expression, or a `serial` type) or also adds a table-level foreign key. A plain `ADD COLUMN ... REFERENCES` with no default is not reported: the new column is all NULL, so PostgreSQL marks the key valid without scanning.",
        why: "Validating a foreign key runs a query over every row of the table, looking each value up in the referenced table. That can take minutes on a large table, and for all that time writes to both tables are blocked.",
        lock: "`SHARE ROW EXCLUSIVE` on the table and on the referenced table for the whole validation (`ACCESS EXCLUSIVE` on the table for `ADD COLUMN`): reads continue, every INSERT, UPDATE and DELETE on either table waits. With `NOT VALID` the `ADD` is instant; the later `VALIDATE CONSTRAINT` takes `SHARE UPDATE EXCLUSIVE` on the table and `ROW SHARE` on the referenced one, so writes continue.",
        bad: "ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey\n    FOREIGN KEY (customer_id) REFERENCES customers (id);",
        good: "ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey\n    FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;\n-- in a separate migration (or after COMMIT):\nALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey;",
        fix: "1. Add the constraint with a name and `NOT VALID`: it is enforced for new writes at once, and existing rows are not checked.\n2. Commit, then in a separate transaction (a separate migration) run `ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey;`, which checks the existing rows while reads and writes continue.\n3. For a new column, add it without `REFERENCES` (and set its default in its own statement), then add the foreign key as in step 1.",
    },
};

impl SqlRule for AddForeignKeyWithoutNotValid {
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
        let ExistingAlter { table, table_sql, .. } = &alter;
        // PostgreSQL skips checking a column-level foreign key on a new
        // (all-NULL) column unless some added column in the statement has a
        // default or the statement adds a table-level foreign key.
        let adds_default = alter.actions().any(|act| match (act.kind, act.def) {
            (AlterTableType::AtAddColumn, Some(NodeEnum::ColumnDef(col))) => {
                col.raw_default.is_some()
                    || col.type_name.as_ref().is_some_and(ast::is_serial)
                    || column_constraints(col).any(|c| {
                        matches!(
                            constr_type(c),
                            ConstrType::ConstrDefault | ConstrType::ConstrGenerated
                        )
                    })
            }
            _ => false,
        });
        let adds_table_fk = alter.actions().any(|act| {
            matches!((act.kind, act.def), (AlterTableType::AtAddConstraint, Some(NodeEnum::Constraint(c)))
                if constr_type(c) == ConstrType::ConstrForeign)
        });
        let inline_reason = match (adds_default, adds_table_fk) {
            (true, _) => Some("a new column in the statement has a default"),
            (false, true) => Some("the statement also adds a table-level foreign key"),
            (false, false) => None,
        };
        for act in alter.actions() {
            match (act.kind, act.def) {
                (AlterTableType::AtAddConstraint, Some(NodeEnum::Constraint(c)))
                    if constr_type(c) == ConstrType::ConstrForeign && !c.skip_validation =>
                {
                    let referenced = ast::qualified(&c.pktable);
                    let help = if c.conname.is_empty() {
                        format!("Name the constraint and add it with `NOT VALID` (instant), then run `ALTER TABLE {table_sql} VALIDATE CONSTRAINT <name>` in a separate transaction, where writes continue.")
                    } else {
                        format!("Add `{}` with `NOT VALID` (instant), then run `ALTER TABLE {table_sql} VALIDATE CONSTRAINT {};` in a separate transaction, where writes continue.", c.conname, ast::quote_ident(&c.conname))
                    };
                    out.report(
                        cx,
                        &META,
                        stmt.action(alter.relation_at, act.index),
                        format!("Foreign key from `{table}` to `{referenced}` without NOT VALID checks every existing row while blocking writes to both tables"),
                        help,
                    );
                }
                (AlterTableType::AtAddColumn, Some(NodeEnum::ColumnDef(col))) => {
                    let Some(reason) = inline_reason else {
                        continue;
                    };
                    let Some(fk) = column_constraints(col)
                        .find(|c| constr_type(c) == ConstrType::ConstrForeign)
                    else {
                        continue;
                    };
                    let column = &col.colname;
                    let referenced = ast::qualified(&fk.pktable);
                    out.report(
                        cx,
                        &META,
                        stmt.action(alter.relation_at, act.index),
                        format!("`ADD COLUMN {column} REFERENCES {referenced}` on `{table}` is checked against every existing row because {reason}, blocking reads and writes meanwhile"),
                        format!(
                            "Add `{column}` without `REFERENCES`, then add the key in its own statement, `ALTER TABLE {table_sql} ADD CONSTRAINT ... FOREIGN KEY ({}) REFERENCES {}{} NOT VALID;`, and `VALIDATE CONSTRAINT` it in a separate transaction.",
                            ast::quote_ident(column),
                            ast::qualified_sql(&fk.pktable),
                            referenced_columns(fk),
                        ),
                    );
                }
                _ => {}
            }
        }
    }
}

/// ` (a, b)` for the referenced columns, if the key lists them.
fn referenced_columns(fk: &pg_query::protobuf::Constraint) -> String {
    let columns = ast::column_names(&fk.pk_attrs);
    if columns.is_empty() {
        String::new()
    } else {
        format!(" ({})", ast::quote_idents(&columns))
    }
}
