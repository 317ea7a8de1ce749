//! The same column assigned twice in `UPDATE ... SET`, `ON CONFLICT DO UPDATE
//! SET` or `MERGE ... UPDATE SET`, or listed twice in an `INSERT` column list.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::{self, CmdType};
use pg_query::{NodeEnum, NodeRef};
use std::collections::HashSet;

pub struct DuplicateColumnAssignment;

static META: RuleMeta = RuleMeta {
    id: "query/duplicate-column-assignment",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "Assigning the same column twice in one UPDATE or INSERT is rejected by PostgreSQL when the statement runs.",
    docs: RuleDocs {
        what: "Reports a column assigned more than once in the SET list of `UPDATE`, `INSERT ... ON CONFLICT DO UPDATE` or `MERGE ... WHEN MATCHED THEN UPDATE` (including inside `(a, b) = (...)` groups), and a column named twice in the column list of `INSERT ... SELECT` or `MERGE ... THEN INSERT`. Assignments to different elements or fields of one column (`SET tags[1] = 'a', tags[2] = 'b'`) are allowed and not reported. `INSERT ... VALUES` statements are not parsed by this analyzer (they are data), so their column lists are not checked.",
        why: "PostgreSQL accepts the statement at parse time but fails it when it runs, with `multiple assignments to same column`. In a migration that is a failed deploy halfway through; in application SQL it is an error path that only shows up in production if that statement is rarely run. It is usually a copy-paste leftover, and which of the two values was meant is not obvious to the next reader either.",
        lock: "",
        bad: "UPDATE orders SET status = 'paid', paid_at = now(), status = 'shipped' WHERE id = $1;",
        good: "UPDATE orders SET status = 'paid', paid_at = now() WHERE id = $1;",
        fix: "Keep one assignment per column, with the value you mean; in an INSERT column list, name each column once and keep the selected values in the same positions.",
    },
};

impl SqlRule for DuplicateColumnAssignment {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        // UPDATE and INSERT can also sit in a WITH query of SELECT or DELETE.
        crate::classify::QUERIES
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(node) = stmt.node else { return };
        ast::walk_node(node, &mut |n| {
            match n {
                NodeRef::UpdateStmt(u) => {
                    let what = format!("`UPDATE {}`", ast::qualified(&u.relation));
                    duplicates(&u.target_list, true, &what, stmt, cx, out);
                }
                NodeRef::InsertStmt(i) => {
                    let table = ast::qualified(&i.relation);
                    duplicates(
                        &i.cols,
                        false,
                        &format!("`INSERT INTO {table}`"),
                        stmt,
                        cx,
                        out,
                    );
                    if let Some(c) = &i.on_conflict_clause {
                        duplicates(
                            &c.target_list,
                            true,
                            &format!("`ON CONFLICT DO UPDATE` of `{table}`"),
                            stmt,
                            cx,
                            out,
                        );
                    }
                }
                NodeRef::MergeWhenClause(w) => {
                    let update = CmdType::try_from(w.command_type) == Ok(CmdType::CmdUpdate);
                    let what = if update {
                        "`MERGE ... UPDATE`"
                    } else {
                        "`MERGE ... INSERT`"
                    };
                    duplicates(&w.target_list, update, what, stmt, cx, out);
                }
                _ => {}
            }
            true
        });
    }
}

/// Reports every target after the first that names an already named
/// column. Targets with subscripts or fields (`a[1]`, `a.f`) are skipped.
fn duplicates(
    targets: &[protobuf::Node],
    set: bool,
    what: &str,
    stmt: &Stmt,
    cx: &Context,
    out: &mut Reporter,
) {
    let mut seen = HashSet::new();
    for t in targets {
        let Some(NodeEnum::ResTarget(t)) = &t.node else {
            continue;
        };
        if !t.indirection.is_empty() || t.name.is_empty() || seen.insert(t.name.as_str()) {
            continue;
        }
        let (message, help) = if set {
            (
                format!("Column `{}` is assigned twice in {what}: PostgreSQL rejects the statement (\"multiple assignments to same column\")", t.name),
                "Keep one assignment for the column, with the value you mean.",
            )
        } else {
            (
                format!("Column `{}` is listed twice in the column list of {what}: PostgreSQL rejects the statement", t.name),
                "Name each column once, and keep the selected values in the same positions as the columns.",
            )
        };
        out.report(cx, &META, stmt.token_at(t.location), message, help);
    }
}
