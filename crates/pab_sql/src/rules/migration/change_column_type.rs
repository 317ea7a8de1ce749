//! `ALTER TABLE ... ALTER COLUMN ... TYPE` on a table that already exists,
//! except the changes to `text` / unbounded `varchar` that cannot rewrite it.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::{Context, ExistingAlter};
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::{AlterTableType, ColumnDef};
use pg_query::NodeEnum;

pub struct ChangeColumnType;

static META: RuleMeta = RuleMeta {
    id: "migration/change-column-type",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Sql,
    default_enabled: true,
    summary: "Changing a column's type usually rewrites the whole table and rebuilds its indexes under an exclusive lock.",
    docs: RuleDocs {
        what: "Reports `ALTER TABLE ... ALTER COLUMN ... [SET DATA] TYPE` on a table not created earlier in the same file. The statement does not say what the old type was, so only one case is known to be safe from the statement alone and is not reported: a change to `text` or to `varchar` without a length, with no `USING` clause and no `COLLATE`. Such a change is nearly always made from another string type (`varchar(n)`, `varchar`, `text`), where PostgreSQL only relabels the column; the rare change from a non-string type without `USING` (`integer` to `text`) does rewrite and is knowingly missed. Other binary-compatible changes, such as raising a `varchar` length, are reported: the rule cannot tell them from the ones that rewrite.",
        why: "Unless the old and new types are binary-compatible, PostgreSQL converts every value, writes a new copy of the table, and rebuilds every index on it, while no one can read or write the table. On a large table that is a long outage. Even a binary-compatible change still needs a brief exclusive lock and rebuilds indexes whose operator class changes.",
        lock: "`ACCESS EXCLUSIVE` on the table for the whole rewrite and index rebuild: every read and write waits.",
        bad: "ALTER TABLE orders ALTER COLUMN amount TYPE numeric(14, 2);",
        good: "ALTER TABLE orders ADD COLUMN amount_v2 numeric(14, 2);\n-- trigger to copy writes, backfill in batches, then switch over",
        fix: "1. Add a new column with the new type: `ALTER TABLE orders ADD COLUMN amount_v2 numeric(14, 2);`\n2. Keep it in sync for new writes with a `BEFORE INSERT OR UPDATE` trigger (or dual writes in the application).\n3. Backfill existing rows in batches: `UPDATE orders SET amount_v2 = amount WHERE id BETWEEN ... AND ...;`\n4. Build its indexes with `CREATE INDEX CONCURRENTLY` and add its constraints with `NOT VALID` + `VALIDATE`.\n5. Switch the application to the new column, then in a short transaction rename the columns (or drop the old one).\n\nIf you know the change is binary-compatible (e.g. `varchar(50)` to `varchar(100)`), check on a copy of production that no rewrite happens, run it with a short `lock_timeout`, and suppress this finding.",
    },
};

impl SqlRule for ChangeColumnType {
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
            let (AlterTableType::AtAlterColumnType, Some(NodeEnum::ColumnDef(def))) =
                (act.kind, act.def)
            else {
                continue;
            };
            if never_rewrites(def) {
                continue;
            }
            let column = &act.cmd.name;
            let new_type = def
                .type_name
                .as_ref()
                .map(|t| {
                    let (a, b) = stmt.type_at(t.location);
                    stmt.text
                        .get(a - stmt.start..b - stmt.start)
                        .unwrap_or("")
                        .to_string()
                })
                .filter(|t| !t.is_empty())
                .map_or(String::new(), |t| format!(" to `{t}`"));
            out.report(
                cx,
                &META,
                stmt.action(alter.relation_at, act.index),
                format!("Changing the type of `{table}.{column}`{new_type} rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock, unless the old type is binary-compatible"),
                format!("Add a new column of the new type, copy writes to it with a trigger, backfill it in batches, build its indexes concurrently, then switch over and drop `{column}`."),
            );
        }
    }
}

/// A change to `text` or unbounded `varchar`, with no `USING` and no
/// `COLLATE`: from the string types it is a relabel, and it is the one case
/// the statement alone shows to be safe in practice.
fn never_rewrites(def: &ColumnDef) -> bool {
    let Some(t) = &def.type_name else {
        return false;
    };
    let to_string_type = match ast::builtin_type_name(t) {
        Some("text") => true,
        Some("varchar") => t.typmods.is_empty(),
        _ => false,
    };
    to_string_type
        && t.array_bounds.is_empty()
        && def.raw_default.is_none()
        && def.coll_clause.is_none()
}
