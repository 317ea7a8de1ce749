//! Outside a transaction, `CREATE` / `DROP` / `ADD COLUMN` / `DROP COLUMN`
//! forms that fail when a half-applied migration is run again.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::{AlterTableType, ObjectType};
use pg_query::NodeEnum;

pub struct NonIdempotentStatement;

static META: RuleMeta = RuleMeta {
    id: "migration/non-idempotent-statement",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Sql,
    default_enabled: false,
    summary: "Outside a transaction, a statement without IF [NOT] EXISTS makes a half-applied migration fail when it is retried.",
    docs: RuleDocs {
        what: "Outside a transaction only, reports `CREATE TABLE` and `CREATE INDEX` without `IF NOT EXISTS` (an unnamed index too, which a retry would silently duplicate), `DROP TABLE` / `INDEX` / `TYPE` / `VIEW` / `MATERIALIZED VIEW` / `SEQUENCE` without `IF EXISTS`, and the `ALTER TABLE` actions `ADD COLUMN` without `IF NOT EXISTS` and `DROP COLUMN` / `DROP CONSTRAINT` without `IF EXISTS`. Temporary tables are not reported. Off by default: migrations that run inside a transaction (the default of most tools) are rolled back whole on failure and never need this.",
        why: "A migration that runs outside a transaction (because it uses `CREATE INDEX CONCURRENTLY`, or because the tool does not wrap it) can fail halfway: a lock timeout, a deploy killed mid-way, a lost connection. The statements before the failure stay applied, and the migration is not recorded as done, so the retry runs them again and stops at the first one that already took effect. Someone then has to repair the database by hand, during an incident.",
        lock: "",
        bad: "-- runs outside a transaction\nCREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);\nALTER TABLE orders ADD COLUMN note text;",
        good: "-- runs outside a transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON orders (customer_id);\nALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;",
        fix: "1. Run the migration in a transaction when it can be (everything but the `CONCURRENTLY` forms and a few others can).\n2. Otherwise make each statement safe to repeat: `CREATE ... IF NOT EXISTS`, `DROP ... IF EXISTS`, `ADD COLUMN IF NOT EXISTS`, `DROP COLUMN IF EXISTS`, `DROP CONSTRAINT IF EXISTS`, and name every index.\n3. Note that `IF NOT EXISTS` only checks the name: a failed `CREATE INDEX CONCURRENTLY` leaves an INVALID index behind that it will not rebuild, so drop it first (`DROP INDEX CONCURRENTLY IF EXISTS`).",
    },
};

/// The object kinds whose `DROP` is reported without `IF EXISTS`.
fn droppable(kind: ObjectType) -> Option<&'static str> {
    match kind {
        ObjectType::ObjectTable => Some("TABLE"),
        ObjectType::ObjectIndex => Some("INDEX"),
        ObjectType::ObjectType => Some("TYPE"),
        ObjectType::ObjectView => Some("VIEW"),
        ObjectType::ObjectMatview => Some("MATERIALIZED VIEW"),
        ObjectType::ObjectSequence => Some("SEQUENCE"),
        _ => None,
    }
}

impl SqlRule for NonIdempotentStatement {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[
            StmtKind::CreateTable,
            StmtKind::CreateIndex,
            StmtKind::DropTable,
            StmtKind::DropIndex,
            StmtKind::DropOther,
            StmtKind::AlterTable,
        ]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        if cx.in_transaction {
            return;
        }
        let retried = "fails when a half-applied migration is run again";
        match stmt.node {
            Some(NodeEnum::CreateStmt(c)) => {
                let Some(rel) = &c.relation else { return };
                if c.if_not_exists || rel.relpersistence == "t" {
                    return;
                }
                let table = ast::qualified(&c.relation);
                out.report(
                    cx,
                    &META,
                    (stmt.start, stmt.name_at(rel.location).1),
                    format!("`CREATE TABLE {table}` without `IF NOT EXISTS` {retried}"),
                    format!("Write `CREATE TABLE IF NOT EXISTS {table}`, or run the migration in a transaction."),
                );
            }
            Some(NodeEnum::IndexStmt(i)) => {
                if i.if_not_exists {
                    return;
                }
                let Some(rel) = &i.relation else { return };
                let head = (stmt.start, stmt.name_at(rel.location).1);
                if i.idxname.is_empty() {
                    out.report(
                        cx,
                        &META,
                        head,
                        format!("This unnamed index on `{}` is created a second time, as a duplicate, when a half-applied migration is run again", ast::qualified(&i.relation)),
                        "Name the index and add `IF NOT EXISTS`, or run the migration in a transaction.",
                    );
                } else {
                    let name = &i.idxname;
                    out.report(
                        cx,
                        &META,
                        head,
                        format!("`CREATE INDEX {name}` without `IF NOT EXISTS` {retried}"),
                        format!("Write `CREATE INDEX {}IF NOT EXISTS {name}`, or run the migration in a transaction.", if i.concurrent { "CONCURRENTLY " } else { "" }),
                    );
                }
            }
            Some(NodeEnum::DropStmt(d)) => {
                let Some(kind) = ObjectType::try_from(d.remove_type).ok().and_then(droppable)
                else {
                    return;
                };
                if d.missing_ok {
                    return;
                }
                let names: Vec<String> = d
                    .objects
                    .iter()
                    .filter_map(|o| match &o.node {
                        Some(NodeEnum::List(l)) => Some(ast::strings(&l.items)),
                        Some(NodeEnum::TypeName(t)) => Some(ast::strings(&t.names)),
                        _ => None,
                    })
                    .map(|parts| {
                        parts
                            .iter()
                            .map(|p| ast::quote_ident(p))
                            .collect::<Vec<_>>()
                            .join(".")
                    })
                    .collect();
                let names = if names.is_empty() {
                    String::from("...")
                } else {
                    names.join(", ")
                };
                let concurrently = if d.concurrent { " CONCURRENTLY" } else { "" };
                out.report(
                    cx,
                    &META,
                    stmt.range(),
                    format!("`DROP {kind} {names}` without `IF EXISTS` {retried}"),
                    format!("Write `DROP {kind}{concurrently} IF EXISTS {names}`, or run the migration in a transaction."),
                );
            }
            Some(NodeEnum::AlterTableStmt(a)) => {
                let at = a.relation.as_ref().map_or(0, |r| r.location);
                let table = ast::qualified(&a.relation);
                for action in ast::alter_actions(a) {
                    if action.cmd.missing_ok {
                        continue;
                    }
                    let (what, fixed) = match (action.kind, action.def) {
                        (AlterTableType::AtAddColumn, Some(NodeEnum::ColumnDef(col))) => (
                            format!("ADD COLUMN {}", col.colname),
                            format!(
                                "ADD COLUMN IF NOT EXISTS {}",
                                ast::quote_ident(&col.colname)
                            ),
                        ),
                        (AlterTableType::AtDropColumn, _) => (
                            format!("DROP COLUMN {}", action.cmd.name),
                            format!(
                                "DROP COLUMN IF EXISTS {}",
                                ast::quote_ident(&action.cmd.name)
                            ),
                        ),
                        (AlterTableType::AtDropConstraint, _) => (
                            format!("DROP CONSTRAINT {}", action.cmd.name),
                            format!(
                                "DROP CONSTRAINT IF EXISTS {}",
                                ast::quote_ident(&action.cmd.name)
                            ),
                        ),
                        _ => continue,
                    };
                    let missing = if action.kind == AlterTableType::AtAddColumn {
                        "IF NOT EXISTS"
                    } else {
                        "IF EXISTS"
                    };
                    out.report(
                        cx,
                        &META,
                        stmt.action(at, action.index),
                        format!("`{what}` on `{table}` without `{missing}` {retried}"),
                        format!("Write `{fixed}`, or run the migration in a transaction."),
                    );
                }
            }
            _ => {}
        }
    }
}
