//! `VACUUM FULL` and `CLUSTER`: both rewrite the table while nobody can read
//! or write it.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::NodeEnum;

pub struct VacuumFullOrCluster;

static META: RuleMeta = RuleMeta {
    id: "migration/vacuum-full-or-cluster",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Sql,
    default_enabled: true,
    summary: "VACUUM FULL and CLUSTER rewrite the whole table while nobody can read or write it.",
    docs: RuleDocs {
        what: "Reports `VACUUM FULL` (the keyword, or a `FULL` option that is on: `VACUUM (FULL, ANALYZE)`) and every `CLUSTER`, including a bare `CLUSTER` that reclusters every table clustered before. Tables created earlier in the same file are exempt.",
        why: "Both commands write a complete new copy of the table and rebuild all its indexes, holding an `ACCESS EXCLUSIVE` lock from start to end. On a large table that is a long outage, and it needs free disk space for a second copy of the table.",
        lock: "`ACCESS EXCLUSIVE` on each table for its whole rewrite: every read and write waits.",
        bad: "VACUUM FULL orders;",
        good: "-- make dead space reusable without blocking anyone\nVACUUM (ANALYZE) orders;\n-- or shrink the table online with pg_repack / pg_squeeze",
        fix: "1. If the goal is to make dead space reusable, a plain `VACUUM` (no `FULL`) does it without blocking reads or writes.\n2. To shrink the table or reorder it, use an online tool: pg_repack or pg_squeeze rebuild the table while holding exclusive locks only briefly at the start and end.\n3. On PostgreSQL 19+, `REPACK (CONCURRENTLY) orders` does the same in core.\n4. Run these outside schema migrations, in a maintenance job.",
    },
};

impl SqlRule for VacuumFullOrCluster {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::Vacuum, StmtKind::Cluster]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let (what, tables) = match stmt.node {
            Some(NodeEnum::VacuumStmt(v))
                if v.is_vacuumcmd && ast::option_on(&v.options, "full").is_some() =>
            {
                let rels: Vec<_> = v
                    .rels
                    .iter()
                    .filter_map(|n| match &n.node {
                        Some(NodeEnum::VacuumRelation(r)) => Some(&r.relation),
                        _ => None,
                    })
                    .collect();
                if !rels.is_empty() && rels.iter().all(|r| cx.created_here(ast::relname(r))) {
                    return;
                }
                let names: Vec<String> = rels
                    .iter()
                    .map(|r| format!("`{}`", ast::qualified(r)))
                    .collect();
                ("VACUUM FULL", names)
            }
            Some(NodeEnum::ClusterStmt(c)) => {
                if c.relation.is_some() && cx.created_here(ast::relname(&c.relation)) {
                    return;
                }
                let names = match &c.relation {
                    Some(_) => vec![format!("`{}`", ast::qualified(&c.relation))],
                    None => Vec::new(),
                };
                ("CLUSTER", names)
            }
            _ => return,
        };
        let target = if tables.is_empty() {
            match what {
                "CLUSTER" => "every previously clustered table".to_string(),
                _ => "every table in the database".to_string(),
            }
        } else {
            tables.join(", ")
        };
        let online = if cx.postgres_version() >= 19 {
            "`REPACK (CONCURRENTLY)` (PostgreSQL 19+), pg_repack or pg_squeeze"
        } else {
            "pg_repack or pg_squeeze"
        };
        out.report(
            cx,
            &META,
            stmt.range(),
            format!("`{what}` rewrites {target} under an ACCESS EXCLUSIVE lock: every read and write waits until it ends"),
            format!("Use a plain `VACUUM` to make dead space reusable, or rebuild online with {online}, in a maintenance job rather than a migration."),
        );
    }
}
