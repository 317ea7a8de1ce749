//! `ALTER TABLE ... ADD COLUMN ... NOT NULL` (or `PRIMARY KEY`) without a
//! `DEFAULT` on a table that already exists: it fails on any non-empty table.

use crate::ast::{self, column_constraints, constr_type};
use crate::classify::StmtKind;
use crate::context::{Context, ExistingAlter};
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::{AlterTableType, ConstrType};
use pg_query::NodeEnum;

pub struct AddNotNullColumnWithoutDefault;

static META: RuleMeta = RuleMeta {
    id: "migration/add-not-null-column-without-default",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Sql,
    default_enabled: true,
    summary: "Adding a NOT NULL column without a DEFAULT fails as soon as the table has a row.",
    docs: RuleDocs {
        what: "Reports `ALTER TABLE ... ADD COLUMN` of a column that is `NOT NULL` (or `PRIMARY KEY`, which implies it) with no `DEFAULT`, on a table not created earlier in the same file. Identity, generated and `serial` columns are exempt: they fill every row themselves.",
        why: "Existing rows get NULL in the new column, which violates the NOT NULL constraint: the statement fails with `column ... contains null values` on any non-empty table. The migration passes on an empty development database and breaks on deploy.",
        lock: "`ACCESS EXCLUSIVE` on the table while the statement runs (until it fails): every read and write waits.",
        bad: "ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;",
        good: "-- PostgreSQL 11+: a constant default is stored once, no rewrite\nALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL DEFAULT 0;",
        fix: "Either give the column a constant `DEFAULT` (instant on PostgreSQL 11+, a table rewrite before), or, when there is no sensible default:\n1. `ALTER TABLE users ADD COLUMN tenant_id bigint;` (nullable: instant).\n2. Backfill in batches: `UPDATE users SET tenant_id = ... WHERE id BETWEEN ... AND ... AND tenant_id IS NULL;`, and make the application write it.\n3. `ALTER TABLE users ADD CONSTRAINT users_tenant_id_not_null CHECK (tenant_id IS NOT NULL) NOT VALID;`\n4. `ALTER TABLE users VALIDATE CONSTRAINT users_tenant_id_not_null;` (reads and writes continue).\n5. `ALTER TABLE users ALTER COLUMN tenant_id SET NOT NULL;` (PostgreSQL 12+ uses the validated check and skips the scan).\n6. `ALTER TABLE users DROP CONSTRAINT users_tenant_id_not_null;`",
    },
};

impl SqlRule for AddNotNullColumnWithoutDefault {
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
        for act in alter.actions() {
            let (AlterTableType::AtAddColumn, Some(NodeEnum::ColumnDef(col))) = (act.kind, act.def)
            else {
                continue;
            };
            let kinds: Vec<ConstrType> = column_constraints(col).map(constr_type).collect();
            let has = |k: ConstrType| kinds.contains(&k);
            let primary = has(ConstrType::ConstrPrimary);
            let not_null = col.is_not_null || has(ConstrType::ConstrNotnull) || primary;
            let filled = col.raw_default.is_some()
                || has(ConstrType::ConstrDefault)
                || has(ConstrType::ConstrIdentity)
                || has(ConstrType::ConstrGenerated)
                || col.type_name.as_ref().is_some_and(ast::is_serial);
            if !not_null || filled {
                continue;
            }
            let column = &col.colname;
            let how = if primary {
                "a PRIMARY KEY (so NOT NULL)"
            } else {
                "NOT NULL"
            };
            let ident = ast::quote_ident(column);
            let mut recipe = format!(
                "add `{column}` as nullable, backfill it in batches, then enforce NOT NULL with `CHECK ({ident} IS NOT NULL) NOT VALID`, `VALIDATE CONSTRAINT`, `SET NOT NULL` and drop the check"
            );
            if primary {
                recipe.push_str(
                    "; then build the key's index with `CREATE UNIQUE INDEX CONCURRENTLY` and `ADD PRIMARY KEY USING INDEX`",
                );
            }
            let help = if cx.postgres_version() >= 11 && !primary {
                format!("Give `{column}` a constant `DEFAULT` (instant on PostgreSQL 11+), or {recipe}.")
            } else {
                let mut first = recipe;
                first[..1].make_ascii_uppercase();
                format!("{first}.")
            };
            out.report(
                cx,
                &META,
                stmt.action(alter.relation_at, act.index),
                format!("`ADD COLUMN {column}` on `{table}` is {how} without a DEFAULT: it fails on any table that already has rows"),
                help,
            );
        }
    }
}
