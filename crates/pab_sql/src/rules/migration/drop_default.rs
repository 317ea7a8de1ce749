//! `ALTER TABLE ... ALTER COLUMN ... DROP DEFAULT` (and `ALTER DOMAIN ...
//! DROP DEFAULT`) that leaves inserts omitting the column without a value.

use crate::classify::StmtKind;
use crate::context::{Context, ObjectAction, ObjectEvent, ObjectKind};
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use std::collections::HashMap;

pub struct DropDefault;

static META: RuleMeta = RuleMeta {
    id: "migration/drop-default",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "Dropping a column default makes inserts that omit the column fail on NOT NULL, or store NULL, starting with the application version running during the deploy.",
    docs: RuleDocs {
        what: "Reports `ALTER TABLE ... ALTER COLUMN ... DROP DEFAULT` on a table not created earlier in the same file, and `ALTER DOMAIN ... DROP DEFAULT` on a domain not created in it. Not reported: a column given a default or an identity again later in the file (changing the default, or the switch from `serial` to an identity column), a column dropped later in the file, and a nullable column added earlier in the file, which the running application does not write anyway. A column added `NOT NULL` earlier in the file is reported: the running application does not know it, so none of its inserts set it.",
        why: "The application version still running during the deploy (and any version a rollback returns to) relies on the default whenever it inserts without naming the column. Once the default is gone, those inserts fail with a NOT NULL violation, or, on a nullable column, silently store NULL where readers expect the old default.",
        lock: "`ACCESS EXCLUSIVE` on the table for the catalog change only (no scan, no rewrite), but while it waits for running queries every new query on the table queues behind it.",
        bad: "ALTER TABLE orders ALTER COLUMN status DROP DEFAULT;",
        good: "-- release N sets orders.status in every INSERT\n-- release N+1, once no running version omits it:\nALTER TABLE orders ALTER COLUMN status DROP DEFAULT;",
        fix: "1. Deploy code that sets the column explicitly in every insert (ORM models included).\n2. In a later release, once no running version or rollback target omits it, drop the default.\nWhen a default was added only to backfill a new `NOT NULL` column, keep it until then too: dropping it in the same migration breaks every insert of the version still running.",
    },
};

impl SqlRule for DropDefault {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        // Read through the file context, since a default set again after the
        // drop also counts.
        &[
            StmtKind::AlterTable,
            StmtKind::AlterDomain,
            StmtKind::CreateDomain,
            StmtKind::CreateTable,
        ]
    }

    fn check(&self, _stmt: &Stmt, _cx: &Context, _out: &mut Reporter) {}

    fn finish(&self, cx: &Context, out: &mut Reporter) {
        let objects = &cx.objects;
        // Column, default and NOT NULL events by (parent, column).
        let mut by_column: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        for (i, e) in objects.iter().enumerate() {
            if matches!(
                e.kind,
                ObjectKind::Column | ObjectKind::Default | ObjectKind::NotNull
            ) {
                by_column
                    .entry((e.parent.as_str(), e.name.as_str()))
                    .or_default()
                    .push(i);
            }
        }
        for (i, e) in objects.iter().enumerate() {
            if e.kind != ObjectKind::Default || e.action != ObjectAction::Drop || e.parent_new {
                continue;
            }
            // The other events about this column, and whether each is after the drop.
            let events: Vec<(&ObjectEvent, bool)> = by_column
                .get(&(e.parent.as_str(), e.name.as_str()))
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| (&objects[j], j > i))
                .collect();
            // A new default or identity, or the column dropped, later on.
            let replaced = events.iter().any(|&(x, later)| {
                later
                    && matches!(
                        (x.kind, x.action),
                        (ObjectKind::Default, ObjectAction::Create)
                            | (ObjectKind::Column, ObjectAction::Drop)
                    )
            });
            if replaced {
                continue;
            }
            let set_not_null = events
                .iter()
                .any(|(x, _)| x.kind == ObjectKind::NotNull && x.action == ObjectAction::Create);
            let added = events
                .iter()
                .map(|&(x, _)| x)
                .find(|x| x.kind == ObjectKind::Column && x.action == ObjectAction::Create);
            let added_here = match added {
                Some(col) if !col.not_null && !set_not_null => continue,
                Some(_) => true,
                None => false,
            };
            let (message, help) = finding(e, added_here, set_not_null);
            out.report_anchored(cx, &META, e.range, e.anchor, message, help);
        }
    }
}

/// `added_here`: the column was added NOT NULL in this file; `not_null`: the
/// file makes it NOT NULL.
fn finding(e: &ObjectEvent, added_here: bool, not_null: bool) -> (String, String) {
    let parent = e.qualified_parent();
    let column = &e.name;
    if e.parent_kind == Some(ObjectKind::Domain) {
        return (
            format!("Dropping the default of domain `{parent}` makes inserts that omit a column of that domain store NULL, or fail where it is NOT NULL"),
            format!("Deploy code that sets every column of domain `{parent}` on insert first, and drop the default in a later release."),
        );
    }
    let message = if added_here {
        format!("Dropping the default of `{parent}.{column}`, added NOT NULL in this file, makes every insert of the application version still running, which does not know the column, fail with a NOT NULL violation")
    } else if not_null {
        format!("Dropping the default of `{parent}.{column}` makes inserts that omit the column, such as those of the application version still running, fail with a NOT NULL violation")
    } else {
        format!("Dropping the default of `{parent}.{column}` makes inserts that omit the column, such as those of the application version still running, fail if it is NOT NULL or store NULL instead of the default")
    };
    let help = if added_here {
        format!("Keep the default until every running version sets `{column}` on insert, and drop it in a later release.")
    } else {
        format!("Deploy code that sets `{column}` in every insert first, and drop the default in a later release.")
    };
    (message, help)
}
