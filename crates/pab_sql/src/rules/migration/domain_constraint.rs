//! CHECK and NOT NULL constraints on domains: at `CREATE DOMAIN`, and added
//! later with `ALTER DOMAIN`.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::ConstrType;
use pg_query::NodeEnum;

pub struct DomainConstraint;

static META: RuleMeta = RuleMeta {
    id: "migration/domain-constraint",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "Constraints on a domain are checked against every column of that type in every table at once, under lock, whenever they change.",
    docs: RuleDocs {
        what: "Reports `CREATE DOMAIN` with a `CHECK` or `NOT NULL` constraint, `ALTER DOMAIN ... ADD CONSTRAINT` without `NOT VALID`, and `ALTER DOMAIN ... SET NOT NULL`. A domain with only a `DEFAULT` or a collation is fine, and so is adding a constraint `NOT VALID`.",
        why: "A domain constraint belongs to every column of the type, in every table. Adding or tightening one later checks all of those columns in one statement, locking each table against writes until the whole scan is done, and a failure anywhere rolls everything back. It cannot be rolled out table by table the way column constraints can. `NOT NULL` on a domain is also not enforced everywhere (outer joins and some row-building paths still produce NULLs of the type), which the PostgreSQL documentation itself advises against.",
        lock: "`ALTER DOMAIN ... ADD CONSTRAINT` and `SET NOT NULL` take a `SHARE` lock on every table with a column of the domain's type, blocking their writes while all of them are scanned. `CREATE DOMAIN` locks nothing, but sets up that cost for every future change.",
        bad: "CREATE DOMAIN email_address AS text CHECK (VALUE ~ '^[^@]+@[^@]+$');",
        good: "CREATE DOMAIN email_address AS text;\nCREATE TABLE users (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    email email_address NOT NULL CONSTRAINT users_email_format CHECK (email ~ '^[^@]+@[^@]+$')\n);",
        fix: "1. Put CHECK and NOT NULL constraints on the columns (or tables) that use the type: they can later be changed one table at a time, with `ADD CONSTRAINT ... NOT VALID` then `VALIDATE CONSTRAINT`, which does not block writes.\n2. If the constraint must stay on the domain, add it as `ALTER DOMAIN ... ADD CONSTRAINT ... NOT VALID` (only new values are checked) and run `ALTER DOMAIN ... VALIDATE CONSTRAINT` separately, at a quiet time: it still scans every column of the type.",
    },
};

fn flagged(c: &pg_query::protobuf::Constraint) -> Option<&'static str> {
    match ast::constr_type(c) {
        ConstrType::ConstrCheck => Some("CHECK"),
        ConstrType::ConstrNotnull => Some("NOT NULL"),
        _ => None,
    }
}

impl SqlRule for DomainConstraint {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::CreateDomain, StmtKind::AlterDomain]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        match stmt.node {
            Some(NodeEnum::CreateDomainStmt(d)) => {
                let constraints: Vec<_> = d
                    .constraints
                    .iter()
                    .filter_map(|n| match &n.node {
                        Some(NodeEnum::Constraint(c)) => Some(c.as_ref()),
                        _ => None,
                    })
                    .collect();
                // Each constraint runs from its location to the next one's.
                let mut spans = Vec::new();
                let mut kinds: Vec<&str> = Vec::new();
                for (i, c) in constraints.iter().enumerate() {
                    let Some(kind) = flagged(c) else { continue };
                    let start = stmt.at(c.location);
                    let end = constraints
                        .get(i + 1)
                        .map_or(stmt.range().1, |next| stmt.at(next.location));
                    let text = cx.file.text.get(start..end).unwrap_or("");
                    spans.push((start, start + text.trim_end().len()));
                    if !kinds.contains(&kind) {
                        kinds.push(kind);
                    }
                }
                let (Some(first), Some(last)) = (spans.first(), spans.last()) else {
                    return;
                };
                let name = ast::strings(&d.domainname).join(".");
                let help = if kinds == ["NOT NULL"] {
                    "Declare `NOT NULL` on the columns that use the type instead: column constraints can be added and changed one table at a time."
                } else {
                    "Put the CHECK on the columns that use the type instead, where it can be changed table by table with `NOT VALID` and `VALIDATE CONSTRAINT`."
                };
                let plural = if kinds.len() > 1 {
                    "constraints"
                } else {
                    "constraint"
                };
                let article = if kinds.len() > 1 { "" } else { "a " };
                out.report(
                    cx,
                    &META,
                    (first.0, last.1),
                    format!(
                        "Domain `{name}` has {article}{} {plural}: every later change to it re-checks every column of this type in every table at once, under lock",
                        kinds.join(" and ")
                    ),
                    help,
                );
            }
            Some(NodeEnum::AlterDomainStmt(d)) => {
                let name = ast::strings(&d.type_name).join(".");
                let what = match (
                    d.subtype.as_str(),
                    d.def.as_deref().and_then(|n| n.node.as_ref()),
                ) {
                    ("C", Some(NodeEnum::Constraint(c)))
                        if !c.skip_validation && flagged(c).is_some() =>
                    {
                        "ADD CONSTRAINT"
                    }
                    ("O", _) => "SET NOT NULL",
                    _ => return,
                };
                let help = if what == "SET NOT NULL" {
                    String::from("Add `CHECK (VALUE IS NOT NULL) NOT VALID` to the domain instead and validate it separately at a quiet time, or declare the columns NOT NULL one table at a time.")
                } else {
                    format!("Add it with `NOT VALID` (only new values are checked), then run `ALTER DOMAIN {name} VALIDATE CONSTRAINT ...` separately at a quiet time.")
                };
                out.report(
                    cx,
                    &META,
                    stmt.range(),
                    format!("`ALTER DOMAIN {name} {what}` checks every column of this type in every table, blocking writes to all of them until it is done"),
                    help,
                );
            }
            _ => {}
        }
    }
}
