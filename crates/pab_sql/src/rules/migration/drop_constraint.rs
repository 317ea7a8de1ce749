//! `ALTER TABLE ... DROP CONSTRAINT` (and `ALTER DOMAIN ... DROP CONSTRAINT`)
//! on a table or domain that existed before the file, for a constraint the
//! file did not add.

use crate::classify::StmtKind;
use crate::context::{Context, ObjectAction, ObjectEvent, ObjectKind};
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use std::collections::HashMap;

pub struct DropConstraint;

static META: RuleMeta = RuleMeta {
    id: "migration/drop-constraint",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "Dropping a constraint removes a guarantee (uniqueness, a foreign key, a check) that code and data may rely on; a primary key or unique constraint takes its index with it.",
    docs: RuleDocs {
        what: "Reports `ALTER TABLE ... DROP CONSTRAINT` and `ALTER DOMAIN ... DROP CONSTRAINT` on a table or domain not created earlier in the same file. Not reported: a constraint added earlier in the file (such as the temporary `CHECK (col IS NOT NULL) NOT VALID` of the safe `SET NOT NULL` recipe), a constraint added again under the same name later in the file (the way to change a foreign key's `ON DELETE` or a check's expression), and a constraint validated earlier in the file and made redundant by a `SET NOT NULL` on the same table after it (the last step of that recipe when the check was added by an earlier migration).",
        why: "Once the drop commits, nothing stops rows that break the rule: duplicates where code looks up a single row, orphans where joins expect a parent, values that checks used to exclude. The running application and reports keep assuming the guarantee, and the bad rows stay after the constraint is put back, which then fails until they are cleaned up. Dropping a primary key or unique constraint also drops its index, so the queries that used it turn into scans; with `CASCADE`, the foreign keys of other tables that reference it go too.",
        lock: "`ACCESS EXCLUSIVE` on the table (for a foreign key, on the referenced table as well), held only for the catalog change, but while it waits for running queries every new query on the table queues behind it.",
        bad: "ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey;",
        good: "-- change a foreign key without a window where orphans can slip in:\nALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey_v2\n  FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey_v2;\nALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey;",
        fix: "1. To change a constraint, add the new one first (`NOT VALID`, then `VALIDATE CONSTRAINT` in a separate transaction), then drop the old one; or drop and re-add it under the same name in one transaction.\n2. To remove a guarantee for good, first deploy code that no longer relies on it (no lookups that assume a single row, joins that assume a parent, or values assumed in range), then drop it in a later release.\n3. Before dropping a primary key or unique constraint, check which queries use its index, and create a replacement index `CONCURRENTLY` first if they still need one.\nOnce the order is guaranteed, suppress this finding with a comment saying so.",
    },
};

impl SqlRule for DropConstraint {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        // Read through the file context, since a constraint added again
        // after the drop also counts.
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
        // Constraint events by (parent, name); SET NOT NULL events by table.
        let mut constraints: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        let mut set_not_null: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, e) in objects.iter().enumerate() {
            match (e.kind, e.action) {
                (ObjectKind::Constraint, _) => constraints
                    .entry((e.parent.as_str(), e.name.as_str()))
                    .or_default()
                    .push(i),
                (ObjectKind::NotNull, ObjectAction::Create) => {
                    set_not_null.entry(e.parent.as_str()).or_default().push(i)
                }
                _ => {}
            }
        }
        for (i, e) in objects.iter().enumerate() {
            if e.kind != ObjectKind::Constraint || e.action != ObjectAction::Drop || e.parent_new {
                continue;
            }
            let same = constraints
                .get(&(e.parent.as_str(), e.name.as_str()))
                .map_or(&[][..], Vec::as_slice);
            // Added earlier in the file, or added again after the drop.
            if same
                .iter()
                .any(|&j| j != i && objects[j].action == ObjectAction::Create)
            {
                continue;
            }
            // Validated earlier, then made redundant by SET NOT NULL.
            let validated = same
                .iter()
                .filter(|&&j| j < i && objects[j].action == ObjectAction::Validate)
                .min();
            if let Some(&validated) = validated {
                let redundant = set_not_null
                    .get(e.parent.as_str())
                    .is_some_and(|found| found.iter().any(|&j| j > validated && j < i));
                if redundant {
                    continue;
                }
            }
            let (message, help) = finding(e);
            out.report_anchored(cx, &META, e.range, e.anchor, message, help);
        }
    }
}

fn finding(e: &ObjectEvent) -> (String, String) {
    let name = &e.name;
    let parent = e.qualified_parent();
    let domain = e.parent_kind == Some(ObjectKind::Domain);
    let message = if domain {
        format!("Dropping constraint `{name}` of domain `{parent}` lets every column of that domain take values it used to reject, while code still assumes it")
    } else {
        let cascade = if e.cascade {
            ", and CASCADE also drops the foreign keys of other tables that reference it"
        } else {
            ""
        };
        format!("Dropping constraint `{name}` from `{parent}` removes a guarantee (uniqueness, a foreign key, a check) that code and data may rely on, and for a primary key or unique constraint the index that queries use{cascade}")
    };
    let help = if domain {
        format!("Deploy code that no longer relies on `{name}` first and drop it in a later release; to change it, add the new constraint (`NOT VALID`, then `VALIDATE`) before dropping the old one.")
    } else {
        format!("To change `{name}`, add its replacement first (`NOT VALID`, then `VALIDATE CONSTRAINT`) or re-add it under the same name in this migration; to remove it, deploy code that no longer relies on it first and drop it in a later release.")
    };
    (message, help)
}
