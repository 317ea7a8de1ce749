//! `GRANT ALL` on tables, schemas and databases, and grants of table access
//! or CREATE to `PUBLIC`.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::{GrantStmt, GrantTargetType, ObjectType, RoleSpecType};
use pg_query::NodeEnum;

pub struct GrantAll;

static META: RuleMeta = RuleMeta {
    id: "query/grant-all",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "GRANT ALL and grants to PUBLIC give more access than any application role needs.",
    docs: RuleDocs {
        what: "Reports `GRANT ALL [PRIVILEGES]` on tables (including `ALL TABLES IN SCHEMA`), schemas and databases, and grants to `PUBLIC` of write privileges on tables, of `SELECT` on tables created in the same file or on all tables of a schema, and of `CREATE` (or `ALL`) on schemas and databases. `GRANT ALL` on sequences and functions (which amounts to USAGE/SELECT/UPDATE or EXECUTE) grants to PUBLIC of `USAGE`, `EXECUTE`, `CONNECT` or `TEMPORARY`, and `GRANT SELECT ... TO PUBLIC` on relations the file did not create (usually views published on purpose, as `information_schema` and extensions do) are left alone.",
        why: "`ALL` on a table includes `TRUNCATE`, `REFERENCES` and `TRIGGER` besides reading and writing: a leaked application credential can then wipe tables, or attach a trigger that runs code on every write. On a schema or database it includes `CREATE`, which lets the role create objects that shadow others on the search path. `PUBLIC` is every role that exists or will ever exist, including read-only, reporting and third-party roles, so a grant to it cannot be reasoned about per role.",
        lock: "",
        bad: "GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO app;\nGRANT SELECT ON customers TO PUBLIC;",
        good: "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app;\nGRANT SELECT ON customers TO reporting;",
        fix: "1. List the privileges the role uses: usually `SELECT, INSERT, UPDATE, DELETE` on tables and `USAGE` on schemas and sequences.\n2. Grant to a named role (or a group role that users are members of), never to PUBLIC.\n3. Keep DDL privileges (`CREATE`, ownership) with a separate migration role that the application does not use.\n4. Revoke what was granted before: `REVOKE ALL ON ... FROM PUBLIC`, then grant the narrow set.",
    },
};

impl SqlRule for GrantAll {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::Grant]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(NodeEnum::GrantStmt(g)) = stmt.node else {
            return;
        };
        if !g.is_grant {
            return;
        }
        let objtype = ObjectType::try_from(g.objtype).unwrap_or(ObjectType::Undefined);
        let kind = match objtype {
            ObjectType::ObjectTable => "table",
            ObjectType::ObjectSchema => "schema",
            ObjectType::ObjectDatabase => "database",
            _ => return,
        };
        let all = g.privileges.is_empty();
        let objects = objects(g, kind);
        if all {
            let gives = match objtype {
                ObjectType::ObjectTable => {
                    "every table privilege, including TRUNCATE, REFERENCES and TRIGGER"
                }
                ObjectType::ObjectSchema => "CREATE as well as USAGE",
                _ => "CREATE, CONNECT and TEMPORARY",
            };
            out.report(
                cx,
                &META,
                stmt.keyword("ALL", 0).unwrap_or_else(|| stmt.range()),
                format!("`GRANT ALL` on {objects} gives {gives}"),
                "Grant only the privileges the role uses, e.g. `GRANT SELECT, INSERT, UPDATE, DELETE ON ... TO app` on tables, `GRANT USAGE` on schemas.",
            );
        }
        let creates = all || privileges(g).iter().any(|p| p == "create");
        if objtype != ObjectType::ObjectTable && !creates {
            return;
        }
        // Read access for everyone is how catalog-like views are published
        // (information_schema, extensions): report it only on what is surely
        // a table with data, one created by CREATE TABLE in this file or
        // every table of a schema.
        let writes = all || privileges(g).iter().any(|p| p != "select");
        let surely_tables = GrantTargetType::try_from(g.targtype)
            == Ok(GrantTargetType::AclTargetAllInSchema)
            || g.objects.iter().any(|o| match &o.node {
                Some(NodeEnum::RangeVar(r)) => cx.created_here(Some(&r.relname)),
                _ => false,
            });
        if objtype == ObjectType::ObjectTable && !writes && !surely_tables {
            return;
        }
        for grantee in &g.grantees {
            let Some(NodeEnum::RoleSpec(r)) = &grantee.node else {
                continue;
            };
            if RoleSpecType::try_from(r.roletype) != Ok(RoleSpecType::RolespecPublic) {
                continue;
            }
            let what = if all {
                String::from("ALL")
            } else {
                privileges(g).join(", ").to_uppercase()
            };
            out.report(
                cx,
                &META,
                stmt.token_at(r.location),
                format!("`{what}` on {objects} is granted to PUBLIC: every role, present and future, gets it"),
                "Grant it to the named role (or group role) that needs it instead of PUBLIC.",
            );
        }
    }
}

/// The privileges named by the grant, in lower case.
fn privileges(g: &GrantStmt) -> Vec<String> {
    g.privileges
        .iter()
        .filter_map(|p| match &p.node {
            Some(NodeEnum::AccessPriv(a)) => Some(a.priv_name.clone()),
            _ => None,
        })
        .collect()
}

/// The granted objects, for messages: "table `orders`", "all tables in schema `public`".
fn objects(g: &GrantStmt, kind: &str) -> String {
    let names: Vec<String> = g
        .objects
        .iter()
        .filter_map(|o| match &o.node {
            Some(NodeEnum::RangeVar(r)) => Some(ast::qualified(&Some(r.clone()))),
            Some(NodeEnum::String(s)) => Some(s.sval.clone()),
            _ => None,
        })
        .map(|n| format!("`{n}`"))
        .collect();
    let names = names.join(", ");
    if GrantTargetType::try_from(g.targtype) == Ok(GrantTargetType::AclTargetAllInSchema) {
        format!("all tables in schema {names}")
    } else if g.objects.len() > 1 {
        format!("{kind}s {names}")
    } else {
        format!("{kind} {names}")
    }
}
