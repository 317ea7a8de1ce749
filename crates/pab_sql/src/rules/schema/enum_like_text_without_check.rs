//! Text columns named like a closed set of values (`status`, `type`,
//! `order_state`...) that nothing in the file constrains.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct EnumLikeTextWithoutCheck;

static META: RuleMeta = RuleMeta {
    id: "schema/enum-like-text-without-check",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Sql,
    default_enabled: false,
    summary: "A free-text status/type/kind column with no CHECK accepts any typo as a new state.",
    docs: RuleDocs {
        what: "Reports a `text`, `varchar`, `char` or `citext` column, declared by `CREATE TABLE` or `ADD COLUMN`, named `status`, `state`, `type`, `kind`, `role`, `category`, `level`, `priority`, `stage` or `mode`, or ending in `_status`, `_state`, `_type` or `_kind` (`orderStatus` too), when no CHECK constraint anywhere in the file mentions the column (on the column, on the table, or added later with `ALTER TABLE ... ADD CONSTRAINT ... CHECK`) and no foreign key in the file covers it. Columns of an enum or domain type are not text and are not reported; neither are `content_type`, `mime_type` and `media_type`, which hold open-ended values. Off by default: it is a design recommendation.",
        why: "Code that switches on a status assumes a closed set of values. A free-text column accepts `'canceled'` next to `'cancelled'`, `'Paid'` next to `'paid'` and an empty string, and every reader must then handle values nobody meant to exist; reports silently miss rows. The database is the one place that can keep the set closed for every writer, including scripts and manual fixes.",
        lock: "",
        bad: "CREATE TABLE orders (\n    id bigint PRIMARY KEY,\n    status text NOT NULL DEFAULT 'pending'\n);",
        good: "CREATE TABLE orders (\n    id bigint PRIMARY KEY,\n    status text NOT NULL DEFAULT 'pending'\n        CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled'))\n);",
        fix: "1. Add `CHECK (col IN ('a', 'b', ...))`: cheap, and easy to extend by dropping and re-adding the constraint.\n2. Or reference a lookup table (`status text NOT NULL REFERENCES order_statuses (code)`) when the values carry data of their own or change often.\n3. Or use an enum type (`CREATE TYPE order_status AS ENUM (...)`); values can be added but not removed or renamed easily.\n4. On an existing table, add the CHECK with `NOT VALID`, then `VALIDATE CONSTRAINT` in a later statement, so the check of existing rows does not block writes.",
    },
};

/// Names that usually hold one of a few values.
const ENUM_NAMES: &[&str] = &[
    "status", "state", "type", "kind", "role", "category", "level", "priority", "stage", "mode",
];

/// Last words of a longer name that do the same (`order_status`).
const ENUM_SUFFIXES: &[&str] = &["status", "state", "type", "kind"];

/// `*_type` names whose values are open-ended.
const OPEN_TYPES: &[&str] = &["content", "mime", "media"];

fn enum_like(name: &str) -> bool {
    let words = ast::name_words(name);
    match words.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [one] => ENUM_NAMES.contains(&one),
        [.., before, last] => {
            ENUM_SUFFIXES.contains(&last) && !(last == "type" && OPEN_TYPES.contains(&before))
        }
        [] => false,
    }
}

impl SqlRule for EnumLikeTextWithoutCheck {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        // Read through the file context; reported once the whole file is seen.
        &[StmtKind::CreateTable, StmtKind::AlterTable]
    }

    fn check(&self, _stmt: &Stmt, _cx: &Context, _out: &mut Reporter) {}

    fn finish(&self, cx: &Context, out: &mut Reporter) {
        for col in &cx.columns {
            if col.array
                || !matches!(
                    col.type_name.as_str(),
                    "text" | "varchar" | "bpchar" | "citext"
                )
                || !enum_like(&col.name)
                || cx
                    .checked_columns
                    .contains(&(col.table.clone(), col.name.clone()))
                || cx
                    .foreign_keys
                    .iter()
                    .any(|fk| fk.table == col.table && fk.columns.contains(&col.name))
            {
                continue;
            }
            out.report_anchored(
                cx,
                &META,
                col.range,
                col.anchor,
                format!(
                    "Column `{}.{}` is named like a fixed set of values but is free text with no CHECK constraint",
                    col.table, col.name
                ),
                format!(
                    "Add `CHECK ({} IN ('...', '...'))` listing the allowed values, or make it a foreign key to a lookup table or an enum type.",
                    ast::quote_ident(&col.name)
                ),
            );
        }
    }
}
