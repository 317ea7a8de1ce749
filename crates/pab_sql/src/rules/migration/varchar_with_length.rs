//! `varchar(n)` / `character varying(n)` columns.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct VarcharWithLength;

static META: RuleMeta = RuleMeta {
    id: "migration/varchar-with-length",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Sql,
    default_enabled: true,
    summary: "A length limit in varchar(n) can only be changed by altering the column's type; a CHECK constraint on text can be changed safely.",
    docs: RuleDocs {
        what: "Reports columns (and arrays) of type `varchar(n)` or `character varying(n)` in `CREATE TABLE`, `ALTER TABLE ... ADD COLUMN` and `ALTER COLUMN ... TYPE`. `varchar` without a length is not reported: it is the same as `text`.",
        why: "In PostgreSQL `varchar(n)` is stored exactly like `text`; the limit is only a check, but one welded into the type. Changing it means `ALTER COLUMN ... TYPE`, which takes an `ACCESS EXCLUSIVE` lock, fails outright while a view uses the column (the views must be dropped and recreated around it), and scans or rewrites the table when the limit shrinks. A `CHECK (char_length(col) <= n)` on a `text` column enforces the same rule and can be replaced with `NOT VALID` and `VALIDATE CONSTRAINT`, which do not block the application.",
        lock: "",
        bad: "CREATE TABLE users (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    email varchar(255) NOT NULL\n);",
        good: "CREATE TABLE users (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    email text NOT NULL CONSTRAINT users_email_length CHECK (char_length(email) <= 255)\n);",
        fix: "1. Declare the column `text`.\n2. If the length must be limited, add a named check: `CONSTRAINT t_col_length CHECK (char_length(col) <= n)`.\n3. To change the limit later: `ADD CONSTRAINT ... CHECK (...) NOT VALID`, then `VALIDATE CONSTRAINT`, then drop the old constraint.",
    },
};

impl SqlRule for VarcharWithLength {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::CreateTable, StmtKind::AlterTable]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(node) = stmt.node else { return };
        for col in ast::declared_columns(node) {
            if ast::builtin_type_name(col.type_name) != Some("varchar")
                || col.type_name.typmods.is_empty()
            {
                continue;
            }
            let span = stmt.type_at(col.type_name.location);
            let written = cx.file.text.get(span.0..span.1).unwrap_or("varchar");
            let table = ast::qualified(col.table);
            let column = col.column;
            let n = ast::type_length(col.type_name).map_or(String::from("n"), |n| n.to_string());
            out.report(
                cx,
                &META,
                span,
                format!("`{table}.{column}` is `{written}`: changing that limit later means altering the column's type under an exclusive lock"),
                if col.type_name.array_bounds.is_empty() {
                    format!(
                        "Declare `{column}` as `text` with `CHECK (char_length({}) <= {n})`, a limit that can be changed without touching the type.",
                        ast::quote_ident(column)
                    )
                } else {
                    format!("Declare `{column}` as `text[]`, and limit its elements' length with a CHECK constraint if needed.")
                },
            );
        }
    }
}
