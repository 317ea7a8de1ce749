//! `ALTER TABLE ... DETACH PARTITION` without `CONCURRENTLY` (or
//! `FINALIZE`) on PostgreSQL 14+, where the concurrent form exists.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::{Context, ExistingAlter};
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::AlterTableType;
use pg_query::NodeEnum;

pub struct DetachPartitionWithoutConcurrently;

static META: RuleMeta = RuleMeta {
    id: "migration/detach-partition-without-concurrently",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "DETACH PARTITION without CONCURRENTLY locks the whole partitioned table; behind a long query, that lock queues every other query.",
    docs: RuleDocs {
        what: "Reports `ALTER TABLE parent DETACH PARTITION child` without `CONCURRENTLY` (and not the `FINALIZE` of an interrupted concurrent detach), when the target is PostgreSQL 14 or later, where the concurrent form exists. Below 14 there is no alternative, so nothing is reported. A partitioned table created earlier in the same file is exempt.",
        why: "The detach itself is quick, but it needs an `ACCESS EXCLUSIVE` lock on the partitioned table, which every query on any partition conflicts with. If a long query is running, the detach waits, and every query that arrives after it waits behind it: the whole partitioned table stops answering.",
        lock: "`ACCESS EXCLUSIVE` on the partitioned table and on the partition until the transaction ends: every read and write on any partition waits. `DETACH PARTITION ... CONCURRENTLY` takes `SHARE UPDATE EXCLUSIVE` on the partitioned table, so reads and writes continue; only the detached partition is locked exclusively at the end.",
        bad: "ALTER TABLE measurements DETACH PARTITION measurements_2020;",
        good: "-- outside a transaction, PostgreSQL 14+\nALTER TABLE measurements DETACH PARTITION measurements_2020 CONCURRENTLY;",
        fix: "1. Write `ALTER TABLE measurements DETACH PARTITION measurements_2020 CONCURRENTLY;` and run it outside a transaction block.\n2. It is not allowed when the partitioned table has a DEFAULT partition; then set a short `lock_timeout` before the plain detach and retry on timeout.\n3. If a concurrent detach is interrupted, complete it with `ALTER TABLE measurements DETACH PARTITION measurements_2020 FINALIZE;`.",
    },
};

impl SqlRule for DetachPartitionWithoutConcurrently {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::AlterTable]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        if cx.postgres_version() < 14 {
            return;
        }
        let Some(alter) = cx.alter_of_existing_table(stmt) else {
            return;
        };
        let ExistingAlter { table, table_sql, .. } = &alter;
        for act in alter.actions() {
            let (AlterTableType::AtDetachPartition, Some(NodeEnum::PartitionCmd(p))) =
                (act.kind, act.def)
            else {
                continue;
            };
            if p.concurrent {
                continue;
            }
            let partition = ast::qualified(&p.name);
            out.report(
                cx,
                &META,
                stmt.action(alter.relation_at, act.index),
                format!("Detaching `{partition}` without CONCURRENTLY locks all of `{table}` in ACCESS EXCLUSIVE mode: it queues behind running queries and blocks every query that arrives after it"),
                format!(
                    "Use `ALTER TABLE {table_sql} DETACH PARTITION {} CONCURRENTLY;` outside a transaction block (not possible with a DEFAULT partition: then set a short `lock_timeout` and retry).",
                    ast::qualified_sql(&p.name)
                ),
            );
        }
    }
}
