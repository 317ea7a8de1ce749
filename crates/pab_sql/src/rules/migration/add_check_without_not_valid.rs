//! A CHECK constraint added to a table that already exists without
//! `NOT VALID` (`ADD [CONSTRAINT name] CHECK (...)`, or a column CHECK in
//! `ADD COLUMN`): PostgreSQL scans every row under an exclusive lock.

use crate::ast::{self, column_constraints, constr_type};
use crate::classify::StmtKind;
use crate::context::{Context, ExistingAlter};
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::{AlterTableType, ConstrType};
use pg_query::NodeEnum;

pub struct AddCheckWithoutNotValid;

static META: RuleMeta = RuleMeta {
    id: "migration/add-check-without-not-valid",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Sql,
    default_enabled: true,
    summary: "Adding a CHECK constraint without NOT VALID scans the whole table while nobody can read or write it.",
    docs: RuleDocs {
        what: "Reports, on a table not created earlier in the same file, `ALTER TABLE ... ADD [CONSTRAINT name] CHECK (...)` without `NOT VALID` (or `NOT ENFORCED`), and `ADD COLUMN ... CHECK (...)`. A CHECK on a new column is reported too: the column holds only NULL or its default, so the check cannot fail, but PostgreSQL still evaluates it on every existing row (ALTER TABLE never marks a new CHECK valid without scanning), all under the `ADD COLUMN`'s exclusive lock.",
        why: "To validate the constraint PostgreSQL reads every row of the table. It holds an `ACCESS EXCLUSIVE` lock while it does, so on a large table every query on it waits for the whole scan.",
        lock: "`ACCESS EXCLUSIVE` on the table for the whole scan: every read and write waits. With `NOT VALID` the `ADD` is instant; the later `VALIDATE CONSTRAINT` takes `SHARE UPDATE EXCLUSIVE`, so reads and writes continue while it scans.",
        bad: "ALTER TABLE orders ADD CONSTRAINT orders_quantity_positive CHECK (quantity > 0);",
        good: "ALTER TABLE orders ADD CONSTRAINT orders_quantity_positive CHECK (quantity > 0) NOT VALID;\n-- in a separate migration (or after COMMIT):\nALTER TABLE orders VALIDATE CONSTRAINT orders_quantity_positive;",
        fix: "1. Add the constraint with a name and `NOT VALID`: new and updated rows are checked at once, existing rows are not.\n2. Fix any existing rows that violate it.\n3. Commit, then in a separate transaction run `ALTER TABLE orders VALIDATE CONSTRAINT orders_quantity_positive;`, which scans while reads and writes continue.\n4. For a new column, add the column without the CHECK, then add the CHECK as in step 1.",
    },
};

impl SqlRule for AddCheckWithoutNotValid {
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
        for act in alter.actions() {
            match (act.kind, act.def) {
                (AlterTableType::AtAddConstraint, Some(NodeEnum::Constraint(c)))
                    if constr_type(c) == ConstrType::ConstrCheck && !c.skip_validation =>
                {
                    let (name, help) = if c.conname.is_empty() {
                        (
                            String::new(),
                            format!("Name the constraint and add it with `NOT VALID` (instant), then run `ALTER TABLE {table_sql} VALIDATE CONSTRAINT <name>;` in a separate transaction, where reads and writes continue."),
                        )
                    } else {
                        (
                            format!(" `{}`", c.conname),
                            format!(
                                "Add `{}` with `NOT VALID` (instant), then run `ALTER TABLE {table_sql} VALIDATE CONSTRAINT {};` in a separate transaction, where reads and writes continue.",
                                c.conname,
                                ast::quote_ident(&c.conname)
                            ),
                        )
                    };
                    out.report(
                        cx,
                        &META,
                        stmt.action(alter.relation_at, act.index),
                        format!("CHECK constraint{name} on `{table}` without NOT VALID scans every row while holding an ACCESS EXCLUSIVE lock"),
                        help,
                    );
                }
                (AlterTableType::AtAddColumn, Some(NodeEnum::ColumnDef(col))) => {
                    if !column_constraints(col).any(|c| constr_type(c) == ConstrType::ConstrCheck) {
                        continue;
                    }
                    let column = &col.colname;
                    out.report(
                        cx,
                        &META,
                        stmt.action(alter.relation_at, act.index),
                        format!("The CHECK on new column `{column}` makes PostgreSQL scan every row of `{table}` while holding an ACCESS EXCLUSIVE lock"),
                        format!("Add `{column}` without the CHECK, then `ALTER TABLE {table_sql} ADD CONSTRAINT ... CHECK (...) NOT VALID;` and `VALIDATE CONSTRAINT` it in a separate transaction."),
                    );
                }
                _ => {}
            }
        }
    }
}
