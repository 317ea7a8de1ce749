//! The first statement of a file that waits for a strong lock on an existing
//! table while no `lock_timeout` is set. Also home of [`strong_lock`], which
//! the timeout rules share: which lock a statement needs, and on what.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::{AlterTableType, ConstrType, ObjectType, RangeVar, ReindexObjectType};
use pg_query::NodeEnum;

pub struct MissingLockTimeout;

static META: RuleMeta = RuleMeta {
    id: "migration/missing-lock-timeout",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "A migration that takes a strong lock without a lock_timeout can stall every query on the table while it waits.",
    docs: RuleDocs {
        what: "Reports, once per file, the first statement that needs a lock blocking the application's reads or writes on an existing table (`ALTER TABLE`, `CREATE INDEX` without `CONCURRENTLY`, `DROP TABLE`/`INDEX`/`TRIGGER`, `CREATE TRIGGER`, `TRUNCATE`, `LOCK`, `VACUUM FULL`, `CLUSTER`, `REINDEX`, and `CREATE TABLE` with a foreign key to, or as a partition of, an existing table) when no non-zero `lock_timeout` has been set before it. Tables created earlier in the file do not count. Statements that only take `SHARE UPDATE EXCLUSIVE` (such as `VALIDATE CONSTRAINT` or `CREATE INDEX CONCURRENTLY`) do not count either: they let reads and writes through.",
        why: "PostgreSQL grants locks in arrival order. When the migration asks for a lock that conflicts with a long-running query or an idle open transaction, it waits, and every later query on the table that conflicts with the waiting request queues behind it: for `ACCESS EXCLUSIVE`, that is every plain SELECT too. A migration that itself takes milliseconds can take the application down for as long as the oldest transaction runs. A `lock_timeout` makes it give up after a bounded wait instead.",
        lock: "Whatever the statement needs: `ACCESS EXCLUSIVE` for most `ALTER TABLE` actions, `DROP`, `TRUNCATE`, `VACUUM FULL` and `CLUSTER` (blocks reads and writes); `SHARE ROW EXCLUSIVE` for foreign keys and triggers, on both tables (blocks writes); `SHARE` for `CREATE INDEX` and `REINDEX` (blocks writes). The wait lasts until every conflicting transaction ends.",
        bad: "ALTER TABLE orders ADD COLUMN note text;",
        good: "SET lock_timeout = '2s';\nALTER TABLE orders ADD COLUMN note text;",
        fix: "1. Start the migration with `SET lock_timeout = '2s';` (or `SET LOCAL lock_timeout = '2s';` as the first statement inside its transaction). A few seconds is usually right: long enough for ordinary queries to finish, short enough that a stalled queue is brief.\n2. When the migration fails with `canceling statement due to lock timeout`, the statement and its transaction are rolled back: retry the migration, ideally automatically with a backoff, at a quieter time.\n3. Look for long transactions (`pg_stat_activity`, `idle in transaction`) if it keeps timing out.",
    },
};

/// A lock mode that blocks the application's writes or reads, in
/// PostgreSQL's order (the numbers of `LockStmt.mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LockMode {
    Share = 5,
    ShareRowExclusive = 6,
    Exclusive = 7,
    AccessExclusive = 8,
}

impl LockMode {
    /// `LockStmt.mode`, when it is strong enough to block writes.
    pub fn from_number(mode: i32) -> Option<Self> {
        match mode {
            5 => Some(LockMode::Share),
            6 => Some(LockMode::ShareRowExclusive),
            7 => Some(LockMode::Exclusive),
            8 => Some(LockMode::AccessExclusive),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            LockMode::Share => "SHARE",
            LockMode::ShareRowExclusive => "SHARE ROW EXCLUSIVE",
            LockMode::Exclusive => "EXCLUSIVE",
            LockMode::AccessExclusive => "ACCESS EXCLUSIVE",
        }
    }

    /// The mode with its article, for messages: `an ACCESS EXCLUSIVE`.
    pub fn with_article(self) -> &'static str {
        match self {
            LockMode::Share => "a SHARE",
            LockMode::ShareRowExclusive => "a SHARE ROW EXCLUSIVE",
            LockMode::Exclusive => "an EXCLUSIVE",
            LockMode::AccessExclusive => "an ACCESS EXCLUSIVE",
        }
    }

    /// What the application cannot do while the lock is held or awaited.
    pub fn blocks(self) -> &'static str {
        match self {
            LockMode::AccessExclusive => "every read and write",
            _ => "every write",
        }
    }
}

/// The strongest lock a statement waits for on a table that existed before
/// the file, and that table (as shown in messages, in backticks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrongLock {
    pub mode: LockMode,
    pub target: String,
}

fn show(r: &RangeVar) -> String {
    if r.schemaname.is_empty() {
        format!("`{}`", r.relname)
    } else {
        format!("`{}.{}`", r.schemaname, r.relname)
    }
}

fn existing<'a>(r: &'a Option<RangeVar>, cx: &Context) -> Option<&'a RangeVar> {
    r.as_ref()
        .filter(|r| !r.relname.is_empty() && !cx.created_here(Some(&r.relname)))
}

fn range_vars(nodes: &[pg_query::protobuf::Node]) -> impl Iterator<Item = &RangeVar> {
    nodes.iter().filter_map(|n| match &n.node {
        Some(NodeEnum::RangeVar(r)) => Some(r),
        _ => None,
    })
}

/// The lock one `ALTER TABLE` action takes on its table, if it blocks
/// reads or writes (PostgreSQL's `AlterTableGetLockLevel`).
fn action_mode(action: &ast::AlterAction) -> Option<LockMode> {
    use AlterTableType::*;
    match action.kind {
        AtSetStatistics
        | AtSetOptions
        | AtResetOptions
        | AtClusterOn
        | AtDropCluster
        | AtSetRelOptions
        | AtResetRelOptions
        | AtValidateConstraint
        | AtDetachPartitionFinalize
        | AtAttachPartition => None,
        AtDetachPartition => match action.def {
            Some(NodeEnum::PartitionCmd(p)) if p.concurrent => None,
            _ => Some(LockMode::AccessExclusive),
        },
        AtEnableTrig | AtEnableAlwaysTrig | AtEnableReplicaTrig | AtDisableTrig
        | AtEnableTrigAll | AtDisableTrigAll | AtEnableTrigUser | AtDisableTrigUser
        | AtAlterConstraint => Some(LockMode::ShareRowExclusive),
        AtAddConstraint => match action.def {
            Some(NodeEnum::Constraint(c)) if ast::constr_type(c) == ConstrType::ConstrForeign => {
                Some(LockMode::ShareRowExclusive)
            }
            _ => Some(LockMode::AccessExclusive),
        },
        _ => Some(LockMode::AccessExclusive),
    }
}

/// Foreign keys declared by column or table constraints: the tables they
/// reference, which get `SHARE ROW EXCLUSIVE`.
fn referenced<'a>(
    constraints: impl Iterator<Item = &'a pg_query::protobuf::Constraint>,
) -> Vec<&'a RangeVar> {
    constraints
        .filter(|c| ast::constr_type(c) == ConstrType::ConstrForeign)
        .filter_map(|c| c.pktable.as_ref())
        .collect()
}

/// The strongest of several candidate locks.
fn strongest(candidates: impl IntoIterator<Item = (LockMode, String)>) -> Option<StrongLock> {
    candidates
        .into_iter()
        .max_by_key(|(mode, _)| *mode)
        .map(|(mode, target)| StrongLock { mode, target })
}

/// The lock a statement needs that blocks the application's reads or writes
/// on a table that existed before this file, if any.
pub fn strong_lock(stmt: &Stmt, cx: &Context) -> Option<StrongLock> {
    let node = stmt.node?;
    match node {
        NodeEnum::AlterTableStmt(a) => {
            let own = a.relation.as_ref().map(|r| r.relname.as_str());
            let mut candidates = Vec::new();
            let mut references = Vec::new();
            for action in ast::alter_actions(a) {
                if let Some(mode) = action_mode(&action) {
                    if let Some(table) = existing(&a.relation, cx) {
                        candidates.push((mode, show(table)));
                    }
                }
                match action.def {
                    Some(NodeEnum::Constraint(c)) => {
                        references.extend(referenced(std::iter::once(c.as_ref())))
                    }
                    Some(NodeEnum::ColumnDef(col)) => {
                        references.extend(referenced(ast::column_constraints(col)))
                    }
                    // The partition being attached is locked ACCESS EXCLUSIVE
                    // (and, before PostgreSQL 12, the parent too).
                    Some(NodeEnum::PartitionCmd(p))
                        if action.kind == AlterTableType::AtAttachPartition =>
                    {
                        if let Some(part) = existing(&p.name, cx) {
                            candidates.push((LockMode::AccessExclusive, show(part)));
                        }
                        if cx.postgres_version() < 12 {
                            if let Some(table) = existing(&a.relation, cx) {
                                candidates.push((LockMode::AccessExclusive, show(table)));
                            }
                        }
                    }
                    _ => {}
                }
            }
            for r in references {
                if Some(r.relname.as_str()) != own && !cx.created_here(Some(&r.relname)) {
                    candidates.push((LockMode::ShareRowExclusive, show(r)));
                }
            }
            strongest(candidates)
        }
        NodeEnum::RenameStmt(r) => existing(&r.relation, cx).map(|t| StrongLock {
            mode: LockMode::AccessExclusive,
            target: show(t),
        }),
        NodeEnum::AlterObjectSchemaStmt(s) => existing(&s.relation, cx).map(|t| StrongLock {
            mode: LockMode::AccessExclusive,
            target: show(t),
        }),
        NodeEnum::IndexStmt(i) if !i.concurrent => existing(&i.relation, cx).map(|t| StrongLock {
            mode: LockMode::Share,
            target: show(t),
        }),
        NodeEnum::DropStmt(d) if !d.concurrent => {
            let names = d.objects.iter().filter_map(|o| match &o.node {
                Some(NodeEnum::List(l)) => Some(ast::strings(&l.items)),
                _ => None,
            });
            let target = match ObjectType::try_from(d.remove_type).ok()? {
                ObjectType::ObjectTable => names
                    .filter(|n| !cx.created_here(n.last().copied()))
                    .map(|n| format!("`{}`", n.join(".")))
                    .next(),
                ObjectType::ObjectIndex => names
                    .filter_map(|n| {
                        let index = n.last().copied()?;
                        match cx.index_table(index) {
                            Some(table) if cx.created_here(Some(table)) => None,
                            Some(table) => Some(format!("`{table}`")),
                            None => Some(format!("the table of index `{}`", n.join("."))),
                        }
                    })
                    .next(),
                // DROP TRIGGER name ON table: the list is the table's name, then the trigger's.
                ObjectType::ObjectTrigger => names
                    .filter_map(|n| {
                        let table = &n[..n.len().checked_sub(1)?];
                        (!table.is_empty() && !cx.created_here(table.last().copied()))
                            .then(|| format!("`{}`", table.join(".")))
                    })
                    .next(),
                _ => None,
            }?;
            Some(StrongLock {
                mode: LockMode::AccessExclusive,
                target,
            })
        }
        NodeEnum::TruncateStmt(t) => range_vars(&t.relations)
            .find(|r| !cx.created_here(Some(&r.relname)))
            .map(|r| StrongLock {
                mode: LockMode::AccessExclusive,
                target: show(r),
            }),
        NodeEnum::LockStmt(l) => {
            let mode = LockMode::from_number(l.mode)?;
            range_vars(&l.relations)
                .find(|r| !cx.created_here(Some(&r.relname)))
                .map(|r| StrongLock {
                    mode,
                    target: show(r),
                })
        }
        NodeEnum::CreateTrigStmt(t) => existing(&t.relation, cx).map(|r| StrongLock {
            mode: LockMode::ShareRowExclusive,
            target: show(r),
        }),
        NodeEnum::VacuumStmt(v)
            if v.is_vacuumcmd && ast::option_on(&v.options, "full").is_some() =>
        {
            let tables: Vec<&RangeVar> = v
                .rels
                .iter()
                .filter_map(|n| match &n.node {
                    Some(NodeEnum::VacuumRelation(r)) => r.relation.as_ref(),
                    _ => None,
                })
                .collect();
            let target = if tables.is_empty() {
                Some(String::from("every table in the database"))
            } else {
                tables
                    .into_iter()
                    .find(|r| !cx.created_here(Some(&r.relname)))
                    .map(show)
            }?;
            Some(StrongLock {
                mode: LockMode::AccessExclusive,
                target,
            })
        }
        NodeEnum::ClusterStmt(c) => {
            let target = match &c.relation {
                None => String::from("every table clustered before"),
                Some(_) => show(existing(&c.relation, cx)?),
            };
            Some(StrongLock {
                mode: LockMode::AccessExclusive,
                target,
            })
        }
        NodeEnum::ReindexStmt(r) if ast::option_on(&r.params, "concurrently").is_none() => {
            let (mode, target) = match ReindexObjectType::try_from(r.kind).ok()? {
                ReindexObjectType::ReindexObjectTable => {
                    (LockMode::Share, show(existing(&r.relation, cx)?))
                }
                ReindexObjectType::ReindexObjectIndex => {
                    let index = r.relation.as_ref()?;
                    match cx.index_table(&index.relname) {
                        Some(table) if cx.created_here(Some(table)) => return None,
                        Some(table) => (
                            LockMode::AccessExclusive,
                            format!("`{table}` (through its index {})", show(index)),
                        ),
                        None => (
                            LockMode::AccessExclusive,
                            format!("index {} and its table", show(index)),
                        ),
                    }
                }
                ReindexObjectType::ReindexObjectSchema => (
                    LockMode::Share,
                    format!("every table in schema `{}`", r.name),
                ),
                ReindexObjectType::ReindexObjectDatabase => {
                    (LockMode::Share, String::from("every table in the database"))
                }
                _ => return None,
            };
            Some(StrongLock { mode, target })
        }
        NodeEnum::CreateStmt(c) => {
            let own = c.relation.as_ref().map(|r| r.relname.as_str());
            let mut candidates = Vec::new();
            if c.partbound.is_some() {
                for parent in
                    range_vars(&c.inh_relations).filter(|r| !cx.created_here(Some(&r.relname)))
                {
                    candidates.push((LockMode::AccessExclusive, show(parent)));
                }
            }
            for elt in &c.table_elts {
                let refs = match &elt.node {
                    Some(NodeEnum::ColumnDef(col)) => referenced(ast::column_constraints(col)),
                    Some(NodeEnum::Constraint(con)) => referenced(std::iter::once(con.as_ref())),
                    _ => continue,
                };
                for r in refs {
                    if Some(r.relname.as_str()) != own && !cx.created_here(Some(&r.relname)) {
                        candidates.push((LockMode::ShareRowExclusive, show(r)));
                    }
                }
            }
            strongest(candidates)
        }
        _ => None,
    }
}

/// The strong lock `stmt` takes, when the timeout that would bound it is not
/// set (`timeout_set` is false) and the rule `meta` has not reported yet:
/// missing-lock-timeout and missing-statement-timeout each report only the
/// first such statement of a file, since one `SET` at the top fixes them all.
pub fn first_unbounded_lock(
    stmt: &Stmt,
    cx: &Context,
    out: &mut Reporter,
    meta: &'static RuleMeta,
    timeout_set: bool,
) -> Option<StrongLock> {
    if timeout_set {
        return None;
    }
    let lock = strong_lock(stmt, cx)?;
    out.first_time(meta).then_some(lock)
}

/// The statement kinds [`strong_lock`] reads.
pub const LOCKING_KINDS: &[StmtKind] = &[
    StmtKind::AlterTable,
    StmtKind::CreateIndex,
    StmtKind::DropTable,
    StmtKind::DropIndex,
    StmtKind::DropOther,
    StmtKind::Truncate,
    StmtKind::Lock,
    StmtKind::CreateTrigger,
    StmtKind::Vacuum,
    StmtKind::Cluster,
    StmtKind::Reindex,
    StmtKind::CreateTable,
];

impl SqlRule for MissingLockTimeout {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        LOCKING_KINDS
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(lock) = first_unbounded_lock(stmt, cx, out, &META, cx.lock_timeout) else {
            return;
        };
        let (mode, target, blocks) = (lock.mode.with_article(), &lock.target, lock.mode.blocks());
        out.report(
            cx,
            &META,
            stmt.range(),
            format!("This statement needs {mode} lock on {target} and no `lock_timeout` is set: while it waits for the lock, {blocks} on {target} queues behind it"),
            if cx.in_transaction {
                "Add `SET LOCAL lock_timeout = '2s';` at the start of the transaction, and retry the migration when it times out."
            } else {
                "Add `SET lock_timeout = '2s';` at the top of the migration, and retry the migration when it times out."
            },
        );
    }
}
