//! `DROP TABLE` of a table that was not created earlier in the same file.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::ObjectType;
use pg_query::NodeEnum;

pub struct DropTable;

static META: RuleMeta = RuleMeta {
    id: "migration/drop-table",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Sql,
    default_enabled: true,
    summary: "Dropping a table deletes all its rows for good and breaks code that still queries it.",
    docs: RuleDocs {
        what: "Reports `DROP TABLE` (with or without `IF EXISTS`) naming a table that was not created earlier in the same file. Dropping a table the file itself created, such as a temporary copy, is not reported.",
        why: "Every row is gone once the migration commits, and only a backup brings it back. The application version still running during the deploy, and any code rollback, fails on every query that touches the table. With `CASCADE`, views and foreign keys that depend on it are dropped too.",
        lock: "`ACCESS EXCLUSIVE` on the table (and on tables whose foreign keys reference it), briefly; waiting for it blocks every query on them queued behind it.",
        bad: "DROP TABLE legacy_events;",
        good: "-- after a release that no longer uses legacy_events, and a backup of it\nALTER TABLE legacy_events RENAME TO legacy_events_to_drop;\n-- weeks later, nothing broke:\nDROP TABLE legacy_events_to_drop;",
        fix: "1. Remove every use of the table from the application and deploy.\n2. Keep the data: dump it (`pg_dump -t`), or rename the table first and drop it in a later migration once nothing has broken.\n3. Then drop it, with a `lock_timeout`.\nOnce that order is guaranteed, suppress this finding with a comment saying the table is unused.",
    },
};

impl SqlRule for DropTable {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::DropTable]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(NodeEnum::DropStmt(drop)) = stmt.node else {
            return;
        };
        if ObjectType::try_from(drop.remove_type) != Ok(ObjectType::ObjectTable) {
            return;
        }
        let existing: Vec<String> = drop
            .objects
            .iter()
            .filter_map(|o| match &o.node {
                Some(NodeEnum::List(l)) => Some(ast::strings(&l.items)),
                _ => None,
            })
            .filter(|names| !cx.created_here(names.last().copied()))
            .map(|names| names.join("."))
            .collect();
        if existing.is_empty() {
            return;
        }
        let (what, them) = match &existing[..] {
            [one] => (format!("table `{one}`"), "it"),
            many => (
                format!(
                    "tables {}",
                    many.iter()
                        .map(|t| format!("`{t}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "them",
            ),
        };
        out.report(
            cx,
            &META,
            stmt.range(),
            format!("`DROP TABLE` deletes {what} and every row in {them}, and code that still queries {them} fails"),
            format!("Drop {what} only after a release that no longer uses {them}, and keep a copy of the data (a dump, or rename now and drop in a later migration)."),
        );
    }
}
