//! `CREATE ROLE` / `CREATE USER` / `ALTER ROLE` that grant `SUPERUSER` or
//! `BYPASSRLS`.

use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::{self, RoleSpecType};
use pg_query::NodeEnum;

pub struct SuperuserRole;

static META: RuleMeta = RuleMeta {
    id: "query/superuser-role",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Sql,
    default_enabled: true,
    summary: "A role created or altered with SUPERUSER (or BYPASSRLS) escapes every permission check (or every row-level security policy).",
    docs: RuleDocs {
        what: "Reports `CREATE ROLE`, `CREATE USER`, `CREATE GROUP` and `ALTER ROLE`/`ALTER USER` that give `SUPERUSER`, and the same statements giving `BYPASSRLS`, each with its own message. `NOSUPERUSER` and `NOBYPASSRLS` are fine.",
        why: "A superuser bypasses all permission checks: it can read and change every table in every database, run programs on the database server (`COPY ... TO PROGRAM`), load arbitrary code and alter any role. A role created this way in a migration or setup script usually ends up as the application's login, so any SQL injection or leaked credential becomes full control of the server. `BYPASSRLS` silently disables every row-level security policy for the role, which defeats tenant isolation built on RLS.",
        lock: "",
        bad: "CREATE ROLE app LOGIN SUPERUSER PASSWORD '...';",
        good: "CREATE ROLE app LOGIN PASSWORD '...';\nGRANT USAGE ON SCHEMA public TO app;\nGRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app;",
        fix: "1. Create the role without SUPERUSER and grant exactly what it needs (schema USAGE, table privileges, sequence USAGE).\n2. If it must run migrations, make it the owner of the schema and its objects instead (or `CREATEROLE`/`CREATEDB` if it really manages roles or databases).\n3. For RLS, give administrative jobs a separate role instead of BYPASSRLS on the application role, or write policies that allow what they need.\n4. For an existing role: `ALTER ROLE app NOSUPERUSER NOBYPASSRLS;`.",
    },
};

impl SqlRule for SuperuserRole {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::Role]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let (role, options) = match stmt.node {
            Some(NodeEnum::CreateRoleStmt(c)) => (c.role.clone(), &c.options),
            Some(NodeEnum::AlterRoleStmt(a)) => (role_name(a.role.as_ref()), &a.options),
            _ => return,
        };
        for option in options {
            let Some(NodeEnum::DefElem(d)) = &option.node else {
                continue;
            };
            let on = matches!(d.arg.as_deref().and_then(|a| a.node.as_ref()), Some(NodeEnum::Boolean(b)) if b.boolval);
            if !on {
                continue;
            }
            let (message, help) = match d.defname.as_str() {
                "superuser" => (
                    format!("Role `{role}` is made a superuser: it bypasses every permission check and can run programs on the database server"),
                    "Drop SUPERUSER and grant the role only the privileges it uses (schema USAGE, table and sequence privileges); give ownership of the schema to a separate migration role.",
                ),
                "bypassrls" => (
                    format!("Role `{role}` gets BYPASSRLS: every row-level security policy is ignored for it"),
                    "Drop BYPASSRLS; give jobs that must see all rows a separate role, or write policies that allow what they need.",
                ),
                _ => continue,
            };
            out.report(cx, &META, stmt.token_at(d.location), message, help);
        }
    }
}

fn role_name(r: Option<&protobuf::RoleSpec>) -> String {
    match r {
        Some(r) if !r.rolename.is_empty() => r.rolename.clone(),
        Some(r) => match RoleSpecType::try_from(r.roletype) {
            Ok(RoleSpecType::RolespecCurrentUser) => String::from("CURRENT_USER"),
            Ok(RoleSpecType::RolespecSessionUser) => String::from("SESSION_USER"),
            Ok(RoleSpecType::RolespecCurrentRole) => String::from("CURRENT_ROLE"),
            _ => String::from("?"),
        },
        None => String::from("?"),
    }
}
