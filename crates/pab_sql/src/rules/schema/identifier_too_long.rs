//! Table, column, constraint and index names longer than PostgreSQL's limit
//! of 63 bytes, which it truncates without an error.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::lexer::TokenKind;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::{Constraint, ObjectType};
use pg_query::NodeEnum;

pub struct IdentifierTooLong;

static META: RuleMeta = RuleMeta {
    id: "schema/identifier-too-long",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "Names longer than 63 bytes are silently truncated, so the name in the catalog is not the one in the code and long names can collide.",
    docs: RuleDocs {
        what: "Reports a table, column, constraint or index name longer than 63 bytes that `CREATE TABLE`, `ALTER TABLE` (`ADD COLUMN`, `ADD CONSTRAINT`, `RENAME`) or `CREATE INDEX` declares. Names are measured as PostgreSQL stores them: unquoted names folded to lower case, quoted names as written, in bytes (a non-ASCII character takes two or more).",
        why: "PostgreSQL keeps at most 63 bytes of an identifier (NAMEDATALEN - 1) and cuts longer ones with only a NOTICE that migration tools do not show. The catalog then holds a different name from the one in the migration and in the application: schema-diff tools and ORMs report phantom differences, and code that looks the name up in `pg_indexes` or `information_schema` does not find it. Two long names that share their first 63 bytes become the same name, so the second `CREATE INDEX` fails, or with `IF NOT EXISTS` is silently skipped and the index is never built.",
        lock: "",
        bad: "CREATE INDEX index_customer_subscription_invoices_on_billing_account_id_and_created_at\n    ON customer_subscription_invoices (billing_account_id, created_at);",
        good: "CREATE INDEX cust_sub_invoices_account_created_idx\n    ON customer_subscription_invoices (billing_account_id, created_at);",
        fix: "1. Shorten the name to 63 bytes or fewer: abbreviate words, drop redundant ones (`index_`, the table name in a column name), keep the distinguishing part at the start.\n2. For a name that already exists truncated, rename it to a deliberate short name (`ALTER INDEX ... RENAME TO ...`, `ALTER TABLE ... RENAME CONSTRAINT ...`) and update the code that refers to it.\n3. Configure your ORM's generated index and constraint names (most accept an explicit `name:`).",
    },
};

/// PostgreSQL's NAMEDATALEN - 1.
const MAX_BYTES: usize = 63;

/// The names a statement declares, with what they name.
fn declared_names(node: &NodeEnum) -> Vec<(&'static str, &str)> {
    fn constraint<'a>(c: &'a Constraint, names: &mut Vec<(&'static str, &'a str)>) {
        if !c.conname.is_empty() {
            names.push(("Constraint", c.conname.as_str()));
        }
    }
    let mut names = Vec::new();
    match node {
        NodeEnum::CreateStmt(c) => {
            if let Some(t) = ast::relname(&c.relation) {
                names.push(("Table", t));
            }
            for elt in &c.table_elts {
                match &elt.node {
                    Some(NodeEnum::ColumnDef(col)) => {
                        names.push(("Column", col.colname.as_str()));
                        ast::column_constraints(col).for_each(|c| constraint(c, &mut names));
                    }
                    Some(NodeEnum::Constraint(c)) => constraint(c, &mut names),
                    _ => {}
                }
            }
        }
        NodeEnum::AlterTableStmt(a) => {
            for action in ast::alter_actions(a) {
                match action.def {
                    Some(NodeEnum::ColumnDef(col)) if !col.colname.is_empty() => {
                        names.push(("Column", col.colname.as_str()));
                        ast::column_constraints(col).for_each(|c| constraint(c, &mut names));
                    }
                    Some(NodeEnum::Constraint(c)) => constraint(c, &mut names),
                    _ => {}
                }
            }
        }
        NodeEnum::RenameStmt(r) => {
            let what = match ObjectType::try_from(r.rename_type) {
                Ok(ObjectType::ObjectTable) => "Table",
                Ok(ObjectType::ObjectColumn) => "Column",
                Ok(ObjectType::ObjectTabconstraint) => "Constraint",
                _ => "Name",
            };
            names.push((what, r.newname.as_str()));
        }
        NodeEnum::IndexStmt(i) if !i.idxname.is_empty() => {
            names.push(("Index", i.idxname.as_str()))
        }
        _ => {}
    }
    names
}

/// The first `max` bytes of `s`, cut at a character boundary.
fn truncate(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

impl SqlRule for IdentifierTooLong {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[
            StmtKind::CreateTable,
            StmtKind::AlterTable,
            StmtKind::CreateIndex,
        ]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(node) = stmt.node else { return };
        // The parser has already truncated the names in the tree; the full
        // spelling is only in the text. Long names the tree declares that
        // could have been cut are matched to the tokens that spell them.
        let mut declared: Vec<(&str, &str)> = declared_names(node)
            .into_iter()
            .filter(|(_, n)| n.len() >= MAX_BYTES - 3)
            .collect();
        if declared.is_empty() {
            return;
        }
        for t in stmt.tokens() {
            let raw = &stmt.text[t.start..t.end];
            let name = match t.kind {
                TokenKind::Word => raw.to_ascii_lowercase(),
                TokenKind::QuotedIdent => {
                    match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
                        Some(inner) => inner.replace("\"\"", "\""),
                        None => continue,
                    }
                }
                _ => continue,
            };
            if name.len() <= MAX_BYTES {
                continue;
            }
            let cut = truncate(&name, MAX_BYTES);
            let Some(i) = declared.iter().position(|(_, n)| *n == cut) else {
                continue;
            };
            let (what, _) = declared.remove(i);
            out.report(
                cx,
                &META,
                (stmt.start + t.start, stmt.start + t.end),
                format!(
                    "{what} name `{name}` is {} bytes long; PostgreSQL silently cuts it to 63 (`{cut}`)",
                    name.len()
                ),
                "Shorten the name to at most 63 bytes, so the catalog holds the name the code uses and two long names cannot collide.",
            );
        }
    }
}
