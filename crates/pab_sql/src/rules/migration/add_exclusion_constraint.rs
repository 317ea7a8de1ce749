//! `ALTER TABLE ... ADD [CONSTRAINT name] EXCLUDE ...` on a table that already
//! exists: the constraint's index is built while the table is locked, and
//! unlike UNIQUE there is no concurrent way to build and attach it.

use crate::ast::constr_type;
use crate::classify::StmtKind;
use crate::context::{Context, ExistingAlter};
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::{AlterTableType, ConstrType};
use pg_query::NodeEnum;

pub struct AddExclusionConstraint;

static META: RuleMeta = RuleMeta {
    id: "migration/add-exclusion-constraint",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Sql,
    default_enabled: true,
    summary: "Adding an EXCLUDE constraint builds its index and checks every row while nobody can read or write the table.",
    docs: RuleDocs {
        what: "Reports `ALTER TABLE ... ADD [CONSTRAINT name] EXCLUDE USING ...` on a table not created earlier in the same file.",
        why: "An exclusion constraint is enforced by an index that `ALTER TABLE` builds on the spot, comparing every row with the others, while it holds an `ACCESS EXCLUSIVE` lock. PostgreSQL cannot attach an existing index as an exclusion constraint and has no `NOT VALID` form for it, so there is no online way to add one: on a large table every query waits for the whole build.",
        lock: "`ACCESS EXCLUSIVE` on the table for the whole index build and check: every read and write waits.",
        bad: "ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap\n    EXCLUDE USING gist (room_id WITH =, during WITH &&);",
        good: "-- a new table gets the constraint at creation; rows are copied in batches\nCREATE TABLE bookings_new (LIKE bookings INCLUDING ALL,\n    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&));",
        fix: "Choose one:\n1. Add it when the table is created, before it holds data.\n2. Create a new table with the constraint, copy rows in batches (with a trigger or dual writes for new rows), then swap the names in one short transaction.\n3. If the table is small or a maintenance window is acceptable, keep the statement but set `lock_timeout` and suppress this finding with the reason.",
    },
};

impl SqlRule for AddExclusionConstraint {
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
            let (AlterTableType::AtAddConstraint, Some(NodeEnum::Constraint(c))) = (act.kind, act.def) else {
                continue;
            };
            if constr_type(c) != ConstrType::ConstrExclusion {
                continue;
            }
            let what = if c.conname.is_empty() {
                "an EXCLUDE constraint".to_string()
            } else {
                format!("EXCLUDE constraint `{}`", c.conname)
            };
            out.report(
                cx,
                &META,
                stmt.action(alter.relation_at, act.index),
                format!("Adding {what} to `{table}` builds and checks its index while holding an ACCESS EXCLUSIVE lock"),
                format!("There is no online way to add it to a filled table: add it when `{table}` is created, or copy into a new table that has it and swap names; at least set `lock_timeout` first."),
            );
        }
    }
}
