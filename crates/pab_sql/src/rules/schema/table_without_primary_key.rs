//! `CREATE TABLE` of a permanent table that gets no primary key anywhere in
//! the file.

use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct TableWithoutPrimaryKey;

static META: RuleMeta = RuleMeta {
    id: "schema/table-without-primary-key",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "A table without a primary key cannot be replicated logically, is awkward for ORMs and makes fixing single rows hard.",
    docs: RuleDocs {
        what: "Reports `CREATE TABLE` of a permanent table when neither the statement nor a later `ALTER TABLE ... ADD PRIMARY KEY` in the same file gives it a primary key. Temporary tables, partitions (`PARTITION OF`, which take the parent's key), tables with `INHERITS` (often legacy partitions keyed per child) and tables copying a key with `LIKE ... INCLUDING INDEXES` or `INCLUDING ALL` are left alone.",
        why: "Without a primary key a row has no stable identity. Logical replication cannot replicate UPDATE or DELETE on the table (they fail on the publisher once the table is published), most ORMs cannot update or delete a single row, duplicate rows creep in and cannot be removed one at a time, and tools that copy or repack tables online need a key.",
        lock: "",
        bad: "CREATE TABLE audit_events (\n    occurred_at timestamptz NOT NULL,\n    actor text,\n    action text\n);",
        good: "CREATE TABLE audit_events (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    occurred_at timestamptz NOT NULL,\n    actor text,\n    action text\n);",
        fix: "1. Add a surrogate key: `id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY`, or declare `PRIMARY KEY (a, b)` over the columns that already identify a row (join tables).\n2. If the key is added in a later statement of the same migration, `ALTER TABLE t ADD PRIMARY KEY (...)` there is enough: this rule reads the whole file.\n3. For an existing large table, build the unique index first with `CREATE UNIQUE INDEX CONCURRENTLY`, then `ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_id_idx` (the columns must already be NOT NULL).",
    },
};

impl SqlRule for TableWithoutPrimaryKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        // Read through the file context; reported once the whole file is seen.
        &[StmtKind::CreateTable]
    }

    fn check(&self, _stmt: &Stmt, _cx: &Context, _out: &mut Reporter) {}

    fn finish(&self, cx: &Context, out: &mut Reporter) {
        for t in &cx.created_tables {
            // Inheritance children do not inherit the parent's key, but they
            // are mostly hand-made partitions whose keys live elsewhere.
            if t.temporary
                || t.partition_of
                || t.inherits
                || t.copies_keys
                || cx.primary_keys.contains(&t.name)
            {
                continue;
            }
            out.report_anchored(
                cx,
                &META,
                t.range,
                t.anchor,
                format!("Table `{}` has no primary key", t.qualified),
                format!(
                    "Give `{}` a primary key: `id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY`, or `PRIMARY KEY (...)` over the columns that identify a row.",
                    t.qualified
                ),
            );
        }
    }
}
