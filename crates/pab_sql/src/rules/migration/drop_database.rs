//! `DROP DATABASE`, and `DROP SCHEMA ... CASCADE`, which drops everything in
//! the schema.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::{DropBehavior, ObjectType};
use pg_query::NodeEnum;

pub struct DropDatabase;

static META: RuleMeta = RuleMeta {
    id: "migration/drop-database",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Sql,
    default_enabled: true,
    summary: "DROP DATABASE and DROP SCHEMA ... CASCADE delete every table and all data inside them.",
    docs: RuleDocs {
        what: "Reports `DROP DATABASE`, and `DROP SCHEMA ... CASCADE`. A `DROP SCHEMA` without `CASCADE` is not reported: PostgreSQL refuses to drop a schema that still contains objects, so it cannot lose data.",
        why: "Both delete every table, view, function and row they contain, at once and for good; only a backup brings the data back. In a migration or a script run against the wrong connection string, this is the most expensive mistake there is.",
        lock: "`DROP SCHEMA ... CASCADE` takes `ACCESS EXCLUSIVE` on every object it drops. `DROP DATABASE` cannot run inside a transaction block and fails while anyone else is connected (unless `WITH (FORCE)` disconnects them).",
        bad: "DROP SCHEMA reporting CASCADE;",
        good: "-- drop the objects one by one, each after its last user is gone\nDROP VIEW reporting.daily_totals;\nDROP TABLE reporting.daily_rollup;\nDROP SCHEMA reporting;",
        fix: "1. Do not drop databases from migrations; do it by hand, after a backup, against a connection you have double-checked.\n2. For a schema, drop its objects explicitly (each one reviewed) and finish with `DROP SCHEMA name` without `CASCADE`, which fails if anything was missed.\n3. If the drop is really intended (test fixtures, a scratch schema), suppress this finding with a comment saying why.",
    },
};

impl SqlRule for DropDatabase {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::DropDatabase]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        match stmt.node {
            Some(NodeEnum::DropdbStmt(drop)) => out.report(
                cx,
                &META,
                stmt.range(),
                format!("`DROP DATABASE {}` deletes the whole database and all of its data", drop.dbname),
                "Remove this from the migration; drop databases by hand, after a backup, on a connection you have checked.",
            ),
            Some(NodeEnum::DropStmt(drop))
                if ObjectType::try_from(drop.remove_type) == Ok(ObjectType::ObjectSchema)
                    && DropBehavior::try_from(drop.behavior) == Ok(DropBehavior::DropCascade) =>
            {
                let names = ast::strings(&drop.objects);
                let it = if names.len() > 1 { "them" } else { "it" };
                let schemas: Vec<String> = names.iter().map(|s| format!("`{s}`")).collect();
                let schemas = schemas.join(", ");
                out.report(
                    cx,
                    &META,
                    stmt.keyword("CASCADE", 0).unwrap_or_else(|| stmt.range()),
                    format!("`DROP SCHEMA {} CASCADE` deletes every table in {it} and all of their data", schemas.replace('`', "")),
                    format!("Drop the objects in {schemas} explicitly, then `DROP SCHEMA` without `CASCADE`, which fails if anything is left."),
                );
            }
            _ => {}
        }
    }
}
