//! Primary-key, identity and serial columns declared as a 16- or 32-bit
//! integer.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::ConstrType;

pub struct IntPrimaryKey;

static META: RuleMeta = RuleMeta {
    id: "migration/int-primary-key",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "A primary key or generated id of type integer or smallint runs out of values, and widening it later is a long outage.",
    docs: RuleDocs {
        what: "Reports columns typed `integer`/`int4`, `smallint`/`int2`, `serial` or `smallserial` that are a single-column primary key, an identity column or a serial column, in `CREATE TABLE` and `ALTER TABLE ... ADD COLUMN`. Other integer columns are not reported: a count or a quantity is not a key that keeps growing. Columns of a composite key, or a key that is also a foreign key, take their range from the key they point to (reported where that key is declared), and a hand-assigned `smallint` key is a deliberate lookup table, so those are left alone too.",
        why: "A 32-bit key stops at 2,147,483,647 (a 16-bit one at 32,767), and every insert fails from then on. Sequences also skip values on rollbacks and crashes, so the limit arrives sooner than the row count suggests. Widening the column later rewrites the table and every index on it, as well as every foreign key column pointing to it, under an `ACCESS EXCLUSIVE` lock. A `bigint` costs four more bytes per row and never runs out.",
        lock: "",
        bad: "CREATE TABLE events (\n    id serial PRIMARY KEY,\n    payload jsonb\n);",
        good: "CREATE TABLE events (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    payload jsonb\n);",
        fix: "1. Declare new keys as `bigint` (`bigint GENERATED ALWAYS AS IDENTITY`, or `bigserial`).\n2. Declare the foreign key columns that point to them as `bigint` too.\n3. For an existing 32-bit key that is filling up: add a `bigint` column, keep it in step with a trigger, backfill it in batches, build a unique index on it `CONCURRENTLY`, then swap the primary key to it (`ADD CONSTRAINT ... PRIMARY KEY USING INDEX`) in a short transaction.",
    },
};

/// The largest value of a 16- or 32-bit key type, or `None` for others.
fn limit(type_name: &str) -> Option<&'static str> {
    match type_name {
        "int4" | "serial" | "serial4" => Some("2,147,483,647"),
        "int2" | "smallserial" | "serial2" => Some("32,767"),
        _ => None,
    }
}

impl SqlRule for IntPrimaryKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::CreateTable, StmtKind::AlterTable]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(node) = stmt.node else { return };
        for col in ast::declared_columns(node) {
            if col.source == ast::ColumnSource::AlterType || !col.type_name.array_bounds.is_empty()
            {
                continue;
            }
            let Some(name) = ast::builtin_type_name(col.type_name).map(str::to_ascii_lowercase)
            else {
                continue;
            };
            let Some(max) = limit(&name) else { continue };
            let generated = ast::is_serial(col.type_name) || col.is_identity();
            let references = ast::column_constraints(col.def)
                .any(|c| ast::constr_type(c) == ConstrType::ConstrForeign);
            let sole_key = col.primary_key == Some(1) && !references;
            if !(generated || (sole_key && name != "int2")) {
                continue;
            }
            let span = stmt.type_at(col.type_name.location);
            let written = cx.file.text.get(span.0..span.1).unwrap_or(name.as_str());
            let what = if col.primary_key.is_some() {
                "Primary key"
            } else {
                "Generated id"
            };
            let table = ast::qualified(col.table);
            let column = col.column;
            let declare = if generated {
                format!("`{column}` as `bigint GENERATED ALWAYS AS IDENTITY` (or `bigserial`)")
            } else {
                format!("`{column}` as `bigint`")
            };
            out.report(
                cx,
                &META,
                span,
                format!("{what} `{table}.{column}` is `{written}`: it runs out after {max} values, and widening it later rewrites the table"),
                format!("Declare {declare}, and the foreign keys that will point to it as `bigint`."),
            );
        }
    }
}
