//! `ALTER TYPE ... ADD VALUE` that does not say where the value goes.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::NodeEnum;

pub struct EnumValueOrder;

static META: RuleMeta = RuleMeta {
    id: "migration/enum-value-order",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Sql,
    default_enabled: false,
    summary: "ALTER TYPE ... ADD VALUE without BEFORE or AFTER puts the new value last in the enum's sort order.",
    docs: RuleDocs {
        what: "Reports `ALTER TYPE ... ADD VALUE` without `BEFORE` or `AFTER`. Off by default: for enums whose order means nothing, appending is exactly right.",
        why: "Enum values sort in the order they were declared, not alphabetically: `ORDER BY status`, `status < 'shipped'`, `max(status)` and range partitions all use it. A value appended at the end sorts after everything, which is wrong for ordered enums such as workflow stages or severities, and the order cannot be changed afterwards without recreating the type.",
        lock: "",
        bad: "ALTER TYPE order_status ADD VALUE 'packed';",
        good: "ALTER TYPE order_status ADD VALUE 'packed' AFTER 'paid';",
        fix: "1. Decide where the value belongs in the order.\n2. Write `ADD VALUE 'x' BEFORE 'y'` or `ADD VALUE 'x' AFTER 'y'`.\n3. If the enum's order does not matter, appending is fine: suppress this finding, or leave this rule off.",
    },
};

impl SqlRule for EnumValueOrder {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::AlterType]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(NodeEnum::AlterEnumStmt(e)) = stmt.node else {
            return;
        };
        // `RENAME VALUE` sets old_val; `ADD VALUE ... BEFORE/AFTER` sets the neighbour.
        if e.new_val.is_empty() || !e.old_val.is_empty() || !e.new_val_neighbor.is_empty() {
            return;
        }
        let name = ast::strings(&e.type_name).join(".");
        let value = &e.new_val;
        out.report(
            cx,
            &META,
            stmt.range(),
            format!("`'{value}'` is added last in the sort order of enum `{name}`"),
            format!("Say where it belongs: `ADD VALUE '{value}' BEFORE '...'` or `AFTER '...'`, since enum values sort in declaration order."),
        );
    }
}
