//! `DROP` of a function, procedure, aggregate, view, materialized view,
//! foreign table, type, domain, sequence or extension that the file did not
//! create, and does not re-create under the same name.

use crate::classify::StmtKind;
use crate::context::{Context, ObjectAction, ObjectEvent, ObjectKind};
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use std::collections::HashMap;

pub struct DropObject;

static META: RuleMeta = RuleMeta {
    id: "migration/drop-object",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "Dropping a function, view, type, sequence or extension breaks the code still using it, starting with the application version running during the deploy.",
    docs: RuleDocs {
        what: "Reports each object of `DROP FUNCTION`, `PROCEDURE`, `ROUTINE`, `AGGREGATE`, `VIEW`, `MATERIALIZED VIEW`, `FOREIGN TABLE`, `TYPE`, `DOMAIN`, `SEQUENCE` and `EXTENSION`, unless the object was created earlier in the same file, or the file creates an object of the same kind and name after the drop (the drop-and-re-create way of changing a view or a function's result type). A re-creation does not count after `DROP ... CASCADE`, which also removes dependents that the re-creation does not bring back. Tables, indexes, schemas and databases have rules of their own. Triggers, policies and rules (which no query names) are not reported, nor operators, casts, operator classes and the like, which are mostly dropped and re-created by extension scripts.",
        why: "A migration runs while the previous release of the application is still serving traffic, and a rollback returns to that release: queries that call the function, read the view, cast to the type or take values from the sequence fail from the moment the drop commits. Some drops also lose state for good: a sequence's current value, and with `CASCADE` every column whose type came from the dropped type or extension, with its data.",
        lock: "`ACCESS EXCLUSIVE` on a dropped view, materialized view, sequence or foreign table: the drop waits for the queries using it and blocks new ones until the transaction ends. Functions, types and extensions take locks on the objects themselves, which queries do not wait for.",
        bad: "DROP FUNCTION order_total(bigint);",
        good: "-- release N: the application stops calling order_total()\n-- release N+1, once no running version calls it:\nDROP FUNCTION IF EXISTS order_total(bigint);",
        fix: "Expand and contract:\n1. Deploy code that no longer uses the object (and move other database objects, such as views, triggers and column types, off it).\n2. In a later release, once no running version or rollback target uses it, drop it without `CASCADE`, so anything still depending on it makes the drop fail instead of disappearing.\n3. For a sequence whose values move elsewhere (an identity column), carry its current value over first (`ALTER TABLE ... ALTER COLUMN ... RESTART WITH`).\nTo change a function's result type or a view's columns, drop and re-create it in the same transaction: this rule does not report that.",
    },
};

/// The dropped kinds this rule reports.
const REPORTED: &[ObjectKind] = &[
    ObjectKind::View,
    ObjectKind::MaterializedView,
    ObjectKind::ForeignTable,
    ObjectKind::Function,
    ObjectKind::Procedure,
    ObjectKind::Routine,
    ObjectKind::Aggregate,
    ObjectKind::Type,
    ObjectKind::Domain,
    ObjectKind::Sequence,
    ObjectKind::Extension,
];

impl SqlRule for DropObject {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        // The drops. What creates or renames objects is read through the
        // file context, which records it whether or not it was parsed
        // (a re-creation after the drop also counts, so this is decided in
        // `finish`).
        &[StmtKind::DropOther]
    }

    fn check(&self, _stmt: &Stmt, _cx: &Context, _out: &mut Reporter) {}

    fn finish(&self, cx: &Context, out: &mut Reporter) {
        let objects = &cx.objects;
        // The events that make a name available, by that name.
        let mut makers: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, e) in objects.iter().enumerate() {
            if let Some(name) = e.made_name() {
                makers.entry(name).or_default().push(i);
            }
        }
        for (i, e) in objects.iter().enumerate() {
            if e.action != ObjectAction::Drop || !REPORTED.contains(&e.kind) {
                continue;
            }
            let made = |later: bool| {
                makers.get(e.name.as_str()).is_some_and(|found| {
                    found.iter().any(|&j| {
                        (j > i) == later && (later || objects[j].fresh) && cx.makes(&objects[j], e)
                    })
                })
            };
            let recreated = made(true);
            if made(false) || (recreated && !e.cascade) {
                continue;
            }
            // The name as written in the DROP list, when it was found there.
            let written = (e.range != e.anchor)
                .then(|| cx.file.text.get(e.range.0..e.range.1))
                .flatten()
                .map(|t| {
                    t.split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .replace("( ", "(")
                        .replace(" )", ")")
                })
                .unwrap_or_else(|| e.qualified());
            let (message, help) = finding(e, &written, recreated);
            out.report_anchored(cx, &META, e.range, e.anchor, message, help);
        }
    }
}

/// The message and help for one dropped object, shown as `shown`;
/// `recreated`: a `DROP ... CASCADE` whose object the file creates again.
fn finding(e: &ObjectEvent, shown: &str, recreated: bool) -> (String, String) {
    use ObjectKind::*;
    let label = e.kind.label();
    let name = &e.name;
    if recreated {
        return (
            format!("Dropping {label} `{shown}` with CASCADE also drops every view, trigger, default and column that depends on it, and re-creating the {label} does not bring them back"),
            format!("Drop `{name}` without CASCADE (or use CREATE OR REPLACE where the signature allows), and re-create its dependents explicitly in the same migration."),
        );
    }
    let (what, help) = match e.kind {
        Function | Procedure | Routine | Aggregate => (
            "breaks every query and caller still using it, such as the application version running during the deploy",
            format!("Stop calling `{name}` from the deployed code first, and drop it in a later release, once no running version uses it."),
        ),
        View | MaterializedView | ForeignTable => (
            "breaks every query still reading it, such as those of the application version running during the deploy",
            format!("Stop reading `{name}` in the deployed code first, and drop it in a later release, once no running version uses it."),
        ),
        Type | Domain => (
            "breaks the code, columns and functions still using it, such as casts sent by the application version running during the deploy",
            format!("Move columns, functions and code off `{name}` first, and drop it in a later release, once nothing uses it."),
        ),
        Sequence => (
            "loses its current value for good and breaks the code and defaults still taking values from it",
            format!("Stop using `{name}` first (carry its value over with `RESTART WITH` if an identity column replaces it), and drop it in a later release."),
        ),
        _ => (
            "removes all its functions, types and operators, breaking the code still using them",
            format!("Stop using the extension's functions and types in the deployed code and the schema first, and drop `{name}` in a later release."),
        ),
    };
    let cascade = if !e.cascade {
        ""
    } else if matches!(e.kind, Type | Domain | Extension) {
        "; with CASCADE it also drops every column, view and function that depends on it, columns with their data"
    } else {
        "; with CASCADE it also drops every view, trigger and default that depends on it, and re-creating it does not bring them back"
    };
    (
        format!("Dropping {label} `{shown}` {what}{cascade}"),
        if e.cascade {
            format!("{help} Drop without CASCADE, so that remaining dependents make the drop fail instead of vanishing.")
        } else {
            help
        },
    )
}

#[cfg(test)]
mod tests {
    use crate::classify::classify;
    use crate::context::{Context, ObjectKind};
    use crate::stmt::Stmt;
    use pab_core::{RuleSet, Settings, SourceFile};

    /// (kind, schema, name) of the objects the context records for `sql`,
    /// with its statements parsed or not.
    fn recorded(sql: &str, parse: bool) -> Vec<(ObjectKind, String, String)> {
        let file = SourceFile::new("t.sql", sql);
        let settings = Settings {
            rules: RuleSet::default(),
            postgres_version: 17,
            assume_in_transaction: false,
            api_version_prefix: None,
        };
        let mut cx = Context::new(&file, &settings, true);
        for raw in &crate::split::split(sql).statements {
            let text = &sql[raw.start..raw.end];
            let node = parse
                .then(|| crate::parse::parse_statement(text).ok().flatten())
                .flatten();
            cx.observe(&Stmt {
                kind: classify(&raw.words),
                start: raw.start,
                text,
                words: &raw.words,
                node: node.as_ref(),
                token_cache: Default::default(),
            });
        }
        cx.objects
            .iter()
            .map(|e| (e.kind, e.schema.clone(), e.name.clone()))
            .collect()
    }

    #[test]
    fn created_names_from_tokens_match_the_parse_tree() {
        let sql = r#"
            CREATE OR REPLACE FUNCTION Billing."Total"(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;
            CREATE MATERIALIZED VIEW IF NOT EXISTS m AS SELECT 1;
            CREATE TEMP VIEW v AS SELECT 1;
            CREATE TYPE s."My""Type" AS ENUM ('a');
            CREATE TYPE shell;
            CREATE DOMAIN d AS int;
            CREATE SEQUENCE IF NOT EXISTS q;
            CREATE EXTENSION IF NOT EXISTS hstore;
            CREATE SCHEMA app;
            CREATE FOREIGN TABLE f (a int) SERVER x;
            CREATE AGGREGATE agg(int) (sfunc = int4pl, stype = int);
            CREATE PROCEDURE p() LANGUAGE sql AS $$ SELECT 1 $$;
            CREATE INDEX i ON t (a);
        "#;
        let from_tokens = recorded(sql, false);
        assert_eq!(from_tokens.len(), 12);
        assert_eq!(from_tokens, recorded(sql, true));
        assert_eq!(
            from_tokens[3],
            (ObjectKind::Type, "s".into(), "My\"Type".into())
        );
    }
}
