//! Foreign keys declared without an `ON DELETE` clause.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::lexer::{tokens, TokenKind};
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::{AlterTableType, ConstrType, Constraint};
use pg_query::NodeEnum;

pub struct ForeignKeyWithoutOnDelete;

static META: RuleMeta = RuleMeta {
    id: "schema/foreign-key-without-on-delete",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::Sql,
    default_enabled: false,
    summary: "A foreign key without ON DELETE leaves the delete behaviour to the default instead of a decision.",
    docs: RuleDocs {
        what: "Reports a foreign key (column `REFERENCES` or table-level `FOREIGN KEY`, in `CREATE TABLE` or `ALTER TABLE`) written without an `ON DELETE` clause. An explicit `ON DELETE NO ACTION` counts as a decision and is not reported. Off by default: the default behaviour is safe, this rule asks for it to be chosen.",
        why: "Without `ON DELETE`, deleting a referenced row fails with a foreign-key violation while children exist (`NO ACTION`). That is sometimes what is wanted, but often nobody decided: the application then either cannot delete parents at all, or grows hand-written cleanup code that deletes children first and races with inserts. Writing the clause documents the intended lifecycle of the child rows next to the key.",
        lock: "",
        bad: "CREATE TABLE order_lines (\n    id bigint PRIMARY KEY,\n    order_id bigint NOT NULL REFERENCES orders (id)\n);",
        good: "CREATE TABLE order_lines (\n    id bigint PRIMARY KEY,\n    order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE\n);",
        fix: "Choose per key:\n- `ON DELETE CASCADE` when the child rows belong to the parent (order lines of an order);\n- `ON DELETE SET NULL` (the column must be nullable) when the children outlive the parent (posts of a deleted author);\n- `ON DELETE RESTRICT` (or an explicit `NO ACTION`) when deleting a referenced parent must fail.\nIndex the referencing columns as well, or cascades and checks scan the child table.",
    },
};

impl SqlRule for ForeignKeyWithoutOnDelete {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::CreateTable, StmtKind::AlterTable]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let mut found: Vec<(&str, &Constraint, Option<&str>)> = Vec::new();
        match stmt.node {
            Some(NodeEnum::CreateStmt(c)) => {
                let table = ast::relname(&c.relation).unwrap_or("?");
                for elt in &c.table_elts {
                    match &elt.node {
                        Some(NodeEnum::ColumnDef(col)) => found.extend(
                            ast::column_constraints(col)
                                .map(|con| (table, con, Some(col.colname.as_str()))),
                        ),
                        Some(NodeEnum::Constraint(con)) => found.push((table, con, None)),
                        _ => {}
                    }
                }
            }
            Some(NodeEnum::AlterTableStmt(a)) => {
                let table = ast::relname(&a.relation).unwrap_or("?");
                for action in ast::alter_actions(a) {
                    match (action.kind, action.def) {
                        (AlterTableType::AtAddConstraint, Some(NodeEnum::Constraint(con))) => {
                            found.push((table, con, None))
                        }
                        (AlterTableType::AtAddColumn, Some(NodeEnum::ColumnDef(col))) => found
                            .extend(
                                ast::column_constraints(col)
                                    .map(|con| (table, con, Some(col.colname.as_str()))),
                            ),
                        _ => {}
                    }
                }
            }
            _ => return,
        }
        for (table, con, column) in found {
            if ast::constr_type(con) != ConstrType::ConstrForeign {
                continue;
            }
            let range = stmt.clause_at(con.location);
            if says_on_delete(&cx.file.text[range.0..range.1]) {
                continue;
            }
            let columns = match column {
                Some(c) => c.to_string(),
                None => ast::column_names(&con.fk_attrs).join(", "),
            };
            let parent = ast::qualified(&con.pktable);
            out.report(
                cx,
                &META,
                range,
                format!("Foreign key `{table}` ({columns}) → `{parent}` does not say what happens when the `{parent}` row is deleted"),
                String::from("Write the intended behaviour: `ON DELETE CASCADE` (children go with the parent), `ON DELETE SET NULL` (children stay), or `ON DELETE RESTRICT` (deleting a referenced parent fails)."),
            );
        }
    }
}

/// Whether a constraint clause has the words `ON DELETE`. The parse tree
/// cannot tell an absent clause from `ON DELETE NO ACTION`.
fn says_on_delete(clause: &str) -> bool {
    let words: Vec<&str> = tokens(clause)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| &clause[t.start..t.end])
        .collect();
    words
        .windows(2)
        .any(|w| w[0].eq_ignore_ascii_case("on") && w[1].eq_ignore_ascii_case("delete"))
}
