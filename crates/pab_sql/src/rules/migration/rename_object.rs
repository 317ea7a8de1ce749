//! `ALTER ... RENAME` of a view, materialized view, foreign table, sequence,
//! function, procedure, aggregate, type, domain, schema or database, of an
//! enum value, and of a column of a view or foreign table (or an attribute of
//! a composite type), when the object existed before the file.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::{Context, ObjectAction, ObjectEvent, ObjectKind};
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use std::collections::HashMap;

pub struct RenameObject;

static META: RuleMeta = RuleMeta {
    id: "migration/rename-object",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "Renaming a view, function, type, sequence, schema or enum value breaks the application version still running during the deploy, which uses the old name.",
    docs: RuleDocs {
        what: "Reports `ALTER {VIEW | MATERIALIZED VIEW | FOREIGN TABLE | SEQUENCE | FUNCTION | PROCEDURE | ROUTINE | AGGREGATE | TYPE | DOMAIN | SCHEMA | DATABASE} ... RENAME TO`, `ALTER TYPE ... RENAME VALUE`, `ALTER TYPE ... RENAME ATTRIBUTE`, and `RENAME COLUMN` on a view, materialized view or foreign table, unless the object was created earlier in the same file, or the file gives its old name to another object of the same kind afterwards (a swap, or a compatibility view or wrapper function under the old name). Tables and table columns have their own rules (`migration/rename-table`, `migration/rename-column`). Indexes, constraints, triggers, policies and roles are not reported: queries do not name them, so renaming them does not break the running application.",
        why: "A migration runs while the previous release of the application is still serving traffic, and a rollback returns to that release: every query, call, cast or enum value that names the old name fails from the moment the rename commits (`relation does not exist`, `function does not exist`, `invalid input value for enum`). Objects inside the database follow a rename on their own (column types, defaults, views refer to the object, not its name), but code, SQL strings, ORM settings and other services do not.",
        lock: "`ACCESS EXCLUSIVE` on a renamed view, materialized view, foreign table or sequence, for an instant, but while it waits for running queries every new query on it queues behind it. Other objects take a lock only on themselves. Renaming a database fails while anyone is connected to it.",
        bad: "ALTER VIEW active_customers RENAME TO customers_active;",
        good: "BEGIN;\nALTER VIEW active_customers RENAME TO customers_active;\n-- keeps the old name working until no code uses it\nCREATE VIEW active_customers AS SELECT * FROM customers_active;\nCOMMIT;",
        fix: "Keep the old name working while code moves to the new one (expand and contract):\n1. Views, materialized views, foreign tables: rename, and in the same transaction create a view with the old name, `CREATE VIEW old AS SELECT * FROM new;` (it accepts writes when the renamed object does).\n2. Functions and procedures: create the new one beside the old one, or keep the old one as a wrapper that calls the new one.\n3. Enum values: add the new value, deploy code that writes it and accepts both, update the rows, and leave the old value unused.\n4. Types, domains, sequences, schemas, databases: they cannot be aliased; first deploy code that no longer names the old name (casts, `nextval` calls, ORM sequence settings, `search_path`, connection strings), or keep the name.\n5. Drop the old name in a later release, once no running version uses it.",
    },
};

impl SqlRule for RenameObject {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        // The renames. The file context also records renames in statements
        // no rule asked to parse, and what creates objects; an object taking
        // the old name afterwards counts, so this is decided in `finish`.
        &[StmtKind::AlterType, StmtKind::AlterDomain]
    }

    fn check(&self, _stmt: &Stmt, _cx: &Context, _out: &mut Reporter) {}

    fn finish(&self, cx: &Context, out: &mut Reporter) {
        let objects = &cx.objects;
        // The events that make a name available, by that name.
        let mut makers: HashMap<&str, Vec<usize>> = HashMap::new();
        // The events that free a name (drops, and renames away), by that name.
        let mut freers: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, e) in objects.iter().enumerate() {
            if let Some(name) = e.made_name() {
                makers.entry(name).or_default().push(i);
            }
            if matches!(e.action, ObjectAction::Drop | ObjectAction::Rename) {
                freers.entry(e.name.as_str()).or_default().push(i);
            }
        }
        for (i, e) in objects.iter().enumerate() {
            if e.action != ObjectAction::Rename || !reported(e) {
                continue;
            }
            if e.parent_kind.is_some() {
                if e.parent_new {
                    continue;
                }
            } else {
                // Made earlier in the file, or its old name taken again.
                let made_here = makers.get(e.name.as_str()).is_some_and(|found| {
                    found.iter().any(|&j| {
                        (j > i || (j < i && objects[j].fresh)) && cx.makes(&objects[j], e)
                    })
                });
                // Takes over a name freed earlier in the file: the second
                // half of a swap, whose object the code does not use yet.
                let takes_over = freers.get(e.new_name.as_str()).is_some_and(|found| {
                    found.iter().any(|&j| {
                        let f = &objects[j];
                        j < i
                            && f.kind.namespace() == e.kind.namespace()
                            && f.parent == e.parent
                            && (f.schema.is_empty() || e.schema.is_empty() || f.schema == e.schema)
                    })
                });
                if made_here || takes_over {
                    continue;
                }
            }
            let (message, help) = finding(e);
            out.report_anchored(cx, &META, e.range, e.anchor, message, help);
        }
    }
}

/// Whether this rule reports renaming `e`'s object.
fn reported(e: &ObjectEvent) -> bool {
    use ObjectKind::*;
    match e.kind {
        View | MaterializedView | ForeignTable | Sequence | Function | Procedure | Routine
        | Aggregate | Type | Domain | Schema | Database | EnumValue => true,
        Column => matches!(
            e.parent_kind,
            Some(View | MaterializedView | ForeignTable | Type)
        ),
        _ => false,
    }
}

fn finding(e: &ObjectEvent) -> (String, String) {
    use ObjectKind::*;
    let (old, new) = (&e.name, &e.new_name);
    let shown = if e.schema.is_empty() {
        old.clone()
    } else {
        format!("{}.{old}", e.schema)
    };
    let label = e.kind.label();
    let parent = &e.parent;
    let breaks = format!(
        "breaks the application version still running during the deploy, which still uses `{old}`"
    );
    match e.kind {
        EnumValue => (
            format!("Renaming value '{old}' of enum `{parent}` to '{new}' breaks the application version still running, which still writes and compares '{old}'"),
            format!("Add '{new}' with `ALTER TYPE {} ADD VALUE '{new}'`, deploy code that writes '{new}' and accepts both, update the rows, and leave '{old}' unused.", ast::quote_ident(parent)),
        ),
        Column if e.parent_kind == Some(Type) => (
            format!("Renaming attribute `{old}` of type `{parent}` to `{new}` {breaks}"),
            format!("Add `{new}` as a new attribute, move the code to it, and drop `{old}` in a later release."),
        ),
        Column => {
            let parent_label = e.parent_kind.map_or("relation", ObjectKind::label);
            let help = match e.parent_kind {
                Some(ForeignTable) => format!("Add `{new}` beside `{old}` instead (`ADD COLUMN {new} ... OPTIONS (column_name '{old}')` reads the same remote column), move the code to it, and drop `{old}` in a later release."),
                Some(MaterializedView) => format!("Re-create the materialized view with both `{old}` and `{new}`, move the code to `{new}`, and remove `{old}` in a later release."),
                _ => format!("Expose `{new}` beside `{old}` instead (CREATE OR REPLACE VIEW can add it as a new last column), move the code to it, and remove `{old}` in a later release."),
            };
            (
                format!("Renaming column `{old}` of {parent_label} `{parent}` to `{new}` {breaks}"),
                help,
            )
        }
        View | MaterializedView | ForeignTable => (
            format!("Renaming {label} `{shown}` to `{new}` {breaks}"),
            {
                let schema = if e.schema.is_empty() {
                    String::new()
                } else {
                    format!("{}.", ast::quote_ident(&e.schema))
                };
                let (old_sql, new_sql) = (ast::quote_ident(old), ast::quote_ident(new));
                format!("In the same transaction, add `CREATE VIEW {schema}{old_sql} AS SELECT * FROM {schema}{new_sql};` so the old name keeps working, and drop that view once no code uses it.")
            },
        ),
        Function | Procedure | Routine | Aggregate => (
            format!("Renaming {label} `{shown}` to `{new}` {breaks}"),
            format!("Create `{new}` beside `{old}` (or keep `{old}` as a wrapper that calls `{new}`), move the callers, and drop `{old}` in a later release."),
        ),
        Database => (
            format!("Renaming database `{old}` to `{new}` breaks every connection string and client configuration that names `{old}`"),
            format!("Rename it in a maintenance window together with every client's configuration; the rename fails while any session is connected to `{old}`."),
        ),
        Schema => (
            format!("Renaming schema `{old}` to `{new}` {breaks} in qualified names and search_path settings"),
            format!("First deploy code and settings that no longer name `{old}` (qualified names, search_path), or keep the name."),
        ),
        Sequence => (
            format!("Renaming sequence `{shown}` to `{new}` {breaks}"),
            format!("A sequence cannot be aliased: first deploy code that no longer names `{old}` (nextval and setval calls, ORM sequence settings), or keep the name; column defaults follow the rename on their own."),
        ),
        _ => (
            format!("Renaming {label} `{shown}` to `{new}` {breaks}"),
            format!("A {label} cannot be aliased: first deploy code that no longer names `{old}` (casts, function signatures, driver type registrations), or keep the name; columns of that {label} follow the rename on their own."),
        ),
    }
}
