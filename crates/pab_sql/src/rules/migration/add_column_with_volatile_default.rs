//! `ALTER TABLE ... ADD COLUMN` whose default must be computed per row (a
//! volatile `DEFAULT`, a `serial` type, or any default before PostgreSQL 11)
//! on a table that already exists: a full table rewrite.

use crate::ast::{self, column_constraints, constr_type};
use crate::classify::StmtKind;
use crate::context::{Context, ExistingAlter};
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::{AlterTableType, ConstrType, Node};
use pg_query::NodeEnum;

pub struct AddColumnWithVolatileDefault;

static META: RuleMeta = RuleMeta {
    id: "migration/add-column-with-volatile-default",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Sql,
    default_enabled: true,
    summary: "Adding a column whose default differs per row (random(), gen_random_uuid(), clock_timestamp(), serial) rewrites the whole table under an exclusive lock.",
    docs: RuleDocs {
        what: "Reports `ALTER TABLE ... ADD COLUMN` on a table not created earlier in the same file when the default has to be computed for every existing row: a volatile `DEFAULT` (`random()`, `gen_random_uuid()`, `clock_timestamp()`, `nextval(...)`, and any function not known to be stable), a `serial`/`bigserial` type, or, on PostgreSQL 10 and earlier, any non-NULL `DEFAULT`.",
        why: "Since PostgreSQL 11 a constant default is stored once in the catalog and the column is added instantly. A volatile default cannot be: PostgreSQL evaluates it for every row and writes a new copy of the table and all its indexes. On a large table that is minutes to hours of downtime, plus twice the disk space while it runs.",
        lock: "`ACCESS EXCLUSIVE` on the table for the whole rewrite: every read and write waits, and so does every query queued behind them.",
        bad: "ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();",
        good: "ALTER TABLE orders ADD COLUMN public_id uuid;\nALTER TABLE orders ALTER COLUMN public_id SET DEFAULT gen_random_uuid();\n-- then backfill existing rows in batches",
        fix: "1. Add the column without a default: `ALTER TABLE orders ADD COLUMN public_id uuid;` (instant).\n2. Set the default for new rows only: `ALTER TABLE orders ALTER COLUMN public_id SET DEFAULT gen_random_uuid();` (no rewrite).\n3. Backfill existing rows in batches, each its own transaction: `UPDATE orders SET public_id = gen_random_uuid() WHERE id BETWEEN ... AND ... AND public_id IS NULL;`\n4. If the column must be NOT NULL, add `CHECK (public_id IS NOT NULL) NOT VALID`, `VALIDATE CONSTRAINT`, then `SET NOT NULL` (PostgreSQL 12+ skips the scan) and drop the check.\n\nFor a `serial` column, create the sequence yourself and use `SET DEFAULT nextval('seq')` the same way.",
    },
};

impl SqlRule for AddColumnWithVolatileDefault {
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
        let ExistingAlter { table, .. } = &alter;
        let old_postgres = cx.postgres_version() < 11;
        for act in alter.actions() {
            let (AlterTableType::AtAddColumn, Some(NodeEnum::ColumnDef(col))) = (act.kind, act.def)
            else {
                continue;
            };
            let column = &col.colname;
            let default = column_constraints(col)
                .filter(|c| constr_type(c) == ConstrType::ConstrDefault)
                .find_map(|c| c.raw_expr.as_deref())
                .or(col.raw_default.as_deref());
            let serial = col.type_name.as_ref().is_some_and(ast::is_serial);
            let why = match default {
                _ if serial => "is `serial`: filling it from its sequence",
                Some(expr) if ast::is_volatile(expr) => {
                    "has a volatile DEFAULT: computing it for every row"
                }
                Some(expr) if old_postgres && !is_null(expr) => {
                    "has a DEFAULT, and before PostgreSQL 11 filling it in"
                }
                _ => continue,
            };
            let not_null = column_constraints(col)
                .any(|c| constr_type(c) == ConstrType::ConstrNotnull)
                || col.is_not_null;
            let set_default = if serial {
                "create a sequence and `ALTER COLUMN ... SET DEFAULT nextval(...)` for new rows"
            } else {
                "`ALTER COLUMN ... SET DEFAULT` with the same expression for new rows (no rewrite)"
            };
            let ident = ast::quote_ident(column);
            let then_not_null = match (not_null, cx.postgres_version() >= 12) {
                (false, _) => String::new(),
                (true, true) => format!(
                    ", then enforce NOT NULL with `CHECK ({ident} IS NOT NULL) NOT VALID`, `VALIDATE CONSTRAINT`, `SET NOT NULL` and drop the check"
                ),
                (true, false) => format!(
                    ", then enforce NOT NULL with `CHECK ({ident} IS NOT NULL) NOT VALID` and `VALIDATE CONSTRAINT` (before PostgreSQL 12 `SET NOT NULL` scans the table again under the exclusive lock)"
                ),
            };
            out.report(
                cx,
                &META,
                stmt.action(alter.relation_at, act.index),
                format!("`ADD COLUMN {column}` on `{table}` {why} rewrites the whole table under an ACCESS EXCLUSIVE lock"),
                format!(
                    "Add `{column}` without a default, then {set_default}, then backfill existing rows in batches{then_not_null}."
                ),
            );
        }
    }
}

/// `NULL` or `NULL::type`: the same as no default.
fn is_null(expr: &Node) -> bool {
    match &expr.node {
        Some(NodeEnum::AConst(c)) => c.isnull,
        Some(NodeEnum::TypeCast(t)) => t.arg.as_deref().is_some_and(is_null),
        _ => false,
    }
}
