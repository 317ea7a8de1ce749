//! `char(n)` / `character(n)` / `bpchar` columns.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct CharColumn;

static META: RuleMeta = RuleMeta {
    id: "migration/char-column",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Sql,
    default_enabled: true,
    summary: "char(n) pads values with spaces, which surprises comparisons and clients, and is no faster than text.",
    docs: RuleDocs {
        what: "Reports columns (and arrays) of type `char`, `char(n)`, `character(n)`, `nchar(n)` or `bpchar` in `CREATE TABLE`, `ALTER TABLE ... ADD COLUMN` and `ALTER COLUMN ... TYPE`. The internal one-byte type `\"char\"` (quoted) is a different type and is not reported.",
        why: "`char(n)` stores every value padded with spaces to n characters. The padding is ignored by some operations and kept by others: `'ab'::char(4) = 'ab  '` is true but `LIKE 'ab'` is false, concatenation and casts to text drop it, and clients receive the spaces. Bare `char` means `char(1)` and silently truncates longer values on cast. In PostgreSQL it is stored exactly like `text` and is usually slower, because of the padding work, so there is nothing to gain.",
        lock: "",
        bad: "CREATE TABLE countries (\n    code char(2) PRIMARY KEY,\n    name text NOT NULL\n);",
        good: "CREATE TABLE countries (\n    code text PRIMARY KEY CHECK (char_length(code) = 2),\n    name text NOT NULL\n);",
        fix: "1. Declare the column `text` (or `varchar` without a length).\n2. If the length matters, add a CHECK: `CHECK (char_length(code) = 2)` for an exact length, `<= n` for a maximum.\n3. When converting an existing column, `ALTER COLUMN ... TYPE text USING rtrim(col)` rewrites the table under `ACCESS EXCLUSIVE`: do it for small tables only, or through a new column and a backfill.",
    },
};

impl SqlRule for CharColumn {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::CreateTable, StmtKind::AlterTable]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(node) = stmt.node else { return };
        for col in ast::declared_columns(node) {
            // `char(n)`, `character` and `nchar` are all `bpchar` once parsed;
            // a quoted `"char"` stays `char`, the one-byte internal type.
            if ast::builtin_type_name(col.type_name) != Some("bpchar") {
                continue;
            }
            let span = stmt.type_at(col.type_name.location);
            let written = cx.file.text.get(span.0..span.1).unwrap_or("char");
            let table = ast::qualified(col.table);
            let column = col.column;
            let array = !col.type_name.array_bounds.is_empty();
            let check = match ast::type_length(col.type_name) {
                Some(n) if !array => format!(
                    ", with `CHECK (char_length({}) <= {n})` if the length must be bounded",
                    ast::quote_ident(column)
                ),
                _ => String::new(),
            };
            let text = if array { "text[]" } else { "text" };
            out.report(
                cx,
                &META,
                span,
                format!("`{table}.{column}` is `{written}`, which pads values with spaces and compares them in surprising ways"),
                format!("Declare `{column}` as `{text}`{check}."),
            );
        }
    }
}
