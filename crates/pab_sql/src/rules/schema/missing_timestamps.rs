//! A table created in the file without a creation timestamp column, an
//! update timestamp column, or both.

use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use std::collections::{HashMap, HashSet};

pub struct MissingTimestamps;

static META: RuleMeta = RuleMeta {
    id: "schema/missing-timestamps",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Sql,
    default_enabled: false,
    summary: "Tables without created_at/updated_at columns leave no trace of when rows appeared or last changed.",
    docs: RuleDocs {
        what: "Reports a permanent table created in the file (`CREATE TABLE`, not `CREATE TABLE AS`) that has no creation-time column (`created_at`, `inserted_at`, `created`, `created_on`, `creation_date`, `date_created`...) or no update-time column (`updated_at`, `modified_at`, `updated`, `updated_on`, `last_modified`...), counting columns added later in the file with `ADD COLUMN`. One finding per table names what is missing. Join tables (two or more foreign-key columns and at most an `id` besides), temporary tables, partitions and tables whose columns come from `LIKE`, `INHERITS` or `OF type` are left alone. Off by default: it is a convention, not a defect.",
        why: "When a row was created and last changed is the first question in every incident, data fix, audit, cache invalidation and incremental export (`WHERE updated_at > :last_sync`). Adding the columns later gives no history for the rows that already exist.",
        lock: "",
        bad: "CREATE TABLE customers (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    email text NOT NULL\n);",
        good: "CREATE TABLE customers (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    email text NOT NULL,\n    created_at timestamptz NOT NULL DEFAULT now(),\n    updated_at timestamptz NOT NULL DEFAULT now()\n);",
        fix: "1. Add `created_at timestamptz NOT NULL DEFAULT now()` and `updated_at timestamptz NOT NULL DEFAULT now()` when the table is created.\n2. Keep `updated_at` current: from the ORM (most set it automatically), or with a `BEFORE UPDATE` trigger that sets `NEW.updated_at = now()`.\n3. For append-only tables (events, logs) a creation time alone is enough: suppress the finding with a comment saying so.",
    },
};

/// Column names (lower case, without `_`) that record when a row was created.
const CREATED: &[&str] = &[
    "createdat",
    "insertedat",
    "created",
    "createdon",
    "creationdate",
    "datecreated",
    "createdate",
    "createtime",
    "createdtime",
    "creationtime",
    "createddate",
    "createdts",
    "insertedon",
    "dateadded",
    "addedat",
];

/// Column names (lower case, without `_`) that record when a row last changed.
const UPDATED: &[&str] = &[
    "updatedat",
    "modifiedat",
    "updated",
    "updatedon",
    "lastmodified",
    "lastmodifiedat",
    "modified",
    "modifiedon",
    "updatetime",
    "updatedtime",
    "lastupdated",
    "lastupdatedat",
    "updateddate",
    "modifieddate",
    "updatedts",
    "datemodified",
    "dateupdated",
    "lastmodifiedon",
    "changedat",
];

fn squash(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

impl SqlRule for MissingTimestamps {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        // Read through the file context; reported once the whole file is seen.
        &[StmtKind::CreateTable]
    }

    fn check(&self, _stmt: &Stmt, _cx: &Context, _out: &mut Reporter) {}

    fn finish(&self, cx: &Context, out: &mut Reporter) {
        // Columns and foreign-key columns by table, built once: a schema
        // dump has thousands of tables.
        let mut columns_of: HashMap<&str, Vec<&str>> = HashMap::new();
        for c in &cx.columns {
            columns_of
                .entry(c.table.as_str())
                .or_default()
                .push(c.name.as_str());
        }
        let mut fk_columns_of: HashMap<&str, HashSet<&str>> = HashMap::new();
        for fk in &cx.foreign_keys {
            fk_columns_of
                .entry(fk.table.as_str())
                .or_default()
                .extend(fk.columns.iter().map(String::as_str));
        }
        for t in &cx.created_tables {
            if t.temporary || t.partition_of || t.borrows_columns {
                continue;
            }
            let Some(columns) = columns_of.get(t.name.as_str()) else {
                continue;
            };
            if is_join_table(columns, fk_columns_of.get(t.name.as_str())) {
                continue;
            }
            let has = |names: &[&str]| columns.iter().any(|c| names.contains(&squash(c).as_str()));
            let (missing, help) = match (has(CREATED), has(UPDATED)) {
                (true, true) => continue,
                (false, false) => (
                    "no creation or update timestamp column (such as `created_at`, `updated_at`)",
                    "Add `created_at timestamptz NOT NULL DEFAULT now()` and `updated_at timestamptz NOT NULL DEFAULT now()`, and keep `updated_at` current from the application or a `BEFORE UPDATE` trigger.",
                ),
                (false, true) => (
                    "no creation timestamp column (such as `created_at`)",
                    "Add `created_at timestamptz NOT NULL DEFAULT now()`.",
                ),
                (true, false) => (
                    "no update timestamp column (such as `updated_at`)",
                    "Add `updated_at timestamptz NOT NULL DEFAULT now()` and keep it current from the application or a `BEFORE UPDATE` trigger.",
                ),
            };
            out.report_anchored(
                cx,
                &META,
                t.range,
                t.anchor,
                format!("Table `{}` has {missing}", t.qualified),
                help,
            );
        }
    }
}

/// A table that only links rows of others: its columns are two or more
/// foreign-key columns, plus at most a surrogate `id`.
fn is_join_table(columns: &[&str], fk_columns: Option<&HashSet<&str>>) -> bool {
    let Some(fk_columns) = fk_columns else {
        return false;
    };
    let others: Vec<&&str> = columns
        .iter()
        .filter(|c| !fk_columns.contains(**c))
        .collect();
    fk_columns.len() >= 2 && (others.is_empty() || others == [&"id"])
}
