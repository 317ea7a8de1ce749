//! A foreign key on a table created in the file whose columns no index, primary
//! key or unique key in the file starts with.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use std::collections::HashMap;

pub struct ForeignKeyWithoutIndex;

static META: RuleMeta = RuleMeta {
    id: "schema/foreign-key-without-index",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "A foreign key without an index on its columns makes every delete or key update on the referenced table scan the referencing table.",
    docs: RuleDocs {
        what: "Reports a foreign key (column `REFERENCES` or table-level `FOREIGN KEY`, in `CREATE TABLE` or `ALTER TABLE`) on a table created in the same file, when no index, primary key or unique constraint declared anywhere in the file has the key's columns as its leading columns. Foreign keys on tables the file did not create are left alone: their index may come from an earlier migration.",
        why: "PostgreSQL indexes the referenced side of a foreign key (it must be unique) but not the referencing side. Every DELETE of a parent row, and every UPDATE of its key, must find the child rows: without an index that is a sequential scan of the child table per parent row, done while holding row locks, so a bulk delete of parents turns quadratic. Joins from parent to children and `ON DELETE CASCADE` suffer the same way.",
        lock: "",
        bad: "CREATE TABLE order_lines (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    order_id bigint NOT NULL REFERENCES orders (id)\n);",
        good: "CREATE TABLE order_lines (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    order_id bigint NOT NULL REFERENCES orders (id)\n);\nCREATE INDEX order_lines_order_id_idx ON order_lines (order_id);",
        fix: "1. In the same migration, right after the table is created, add `CREATE INDEX <table>_<columns>_idx ON <table> (<fk columns>)`: the table is new and empty, so a plain `CREATE INDEX` is instant.\n2. A composite key whose leading columns are the foreign key's (for example `PRIMARY KEY (order_id, line_no)`) already serves it: no extra index is needed.\n3. If the table is rarely joined and the parent is never deleted from, you may accept the scan: suppress the finding with a comment saying why.",
    },
};

impl SqlRule for ForeignKeyWithoutIndex {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        // Read through the file context; reported once the whole file is seen.
        &[StmtKind::CreateTable]
    }

    fn check(&self, _stmt: &Stmt, _cx: &Context, _out: &mut Reporter) {}

    fn finish(&self, cx: &Context, out: &mut Reporter) {
        // Indexed column lists by table, built once: a schema dump has
        // thousands of keys and indexes.
        let mut indexes: HashMap<&str, Vec<&[String]>> = HashMap::new();
        for (table, columns) in &cx.indexes {
            indexes.entry(table.as_str()).or_default().push(columns);
        }
        let covered = |table: &str, fk: &[String]| {
            indexes.get(table).is_some_and(|lists| {
                lists.iter().any(|cols| {
                    cols.len() >= fk.len() && fk.iter().all(|c| cols[..fk.len()].contains(c))
                })
            })
        };
        for fk in &cx.foreign_keys {
            if fk.columns.is_empty()
                || !cx.created_here(Some(&fk.table))
                || covered(&fk.table, &fk.columns)
            {
                continue;
            }
            let columns = fk.columns.join(", ");
            let shown = if fk.columns.len() == 1 {
                format!("`{}.{}`", fk.table, columns)
            } else {
                format!("`{}` ({columns})", fk.table)
            };
            out.report_anchored(
                cx,
                &META,
                fk.range,
                fk.anchor,
                format!("Foreign key {shown} has no index starting with its columns"),
                format!(
                    "Add `CREATE INDEX ON {} ({})` after the table is created, so deletes and key updates on the referenced table do not scan `{}`.",
                    ast::quote_ident(&fk.table),
                    ast::quote_idents(&fk.columns),
                    fk.table
                ),
            );
        }
    }
}
