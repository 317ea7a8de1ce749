//! `TRUNCATE ... CASCADE`, which also empties every table that references
//! the truncated ones.

use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::DropBehavior;
use pg_query::NodeEnum;

pub struct TruncateCascade;

static META: RuleMeta = RuleMeta {
    id: "migration/truncate-cascade",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Sql,
    default_enabled: true,
    summary: "TRUNCATE ... CASCADE silently empties every table with a foreign key to the truncated ones.",
    docs: RuleDocs {
        what: "Reports `TRUNCATE ... CASCADE` unless every truncated table was created earlier in the same file.",
        why: "`CASCADE` extends the truncate to every table that has a foreign key to a truncated table, then to the tables referencing those, and so on, without listing them. Emptying a lookup table can wipe out orders, users or audit history, and the set grows silently as other teams add foreign keys.",
        lock: "`ACCESS EXCLUSIVE` on every truncated table, including the ones reached through `CASCADE`, until the transaction ends: no reads or writes on any of them.",
        bad: "TRUNCATE countries CASCADE;",
        good: "-- name every table to empty; without CASCADE, PostgreSQL refuses if another table still references them\nTRUNCATE order_items, orders;",
        fix: "1. List the tables that should be emptied explicitly in one `TRUNCATE a, b, c` (without `CASCADE`): PostgreSQL then fails if some other table still references them, instead of emptying it.\n2. If the referencing rows must survive, delete only the rows you mean to (`DELETE ... WHERE`) in batches.",
    },
};

impl SqlRule for TruncateCascade {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::Truncate]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(NodeEnum::TruncateStmt(truncate)) = stmt.node else {
            return;
        };
        if DropBehavior::try_from(truncate.behavior) != Ok(DropBehavior::DropCascade) {
            return;
        }
        let Some(tables) = cx.existing_tables_listed(&truncate.relations) else {
            return;
        };
        out.report(
            cx,
            &META,
            stmt.keyword("CASCADE", 0).unwrap_or_else(|| stmt.range()),
            format!("`TRUNCATE {} CASCADE` also empties every table with a foreign key to it, without naming them", tables.replace('`', "")),
            "Remove `CASCADE` and list every table to empty in the `TRUNCATE`; PostgreSQL then refuses rather than emptying a table you did not name.",
        );
    }
}
