//! `VALIDATE CONSTRAINT` in the same transaction that added the constraint
//! `NOT VALID`, where the lock of the `ADD` is still held and `NOT VALID`
//! gains nothing.

use crate::ast::constr_type;
use crate::classify::StmtKind;
use crate::context::{Context, ExistingAlter};
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use pg_query::protobuf::{AlterTableType, ConstrType};
use pg_query::NodeEnum;

pub struct ValidateInSameTransaction;

static META: RuleMeta = RuleMeta {
    id: "migration/validate-in-same-transaction",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "VALIDATE CONSTRAINT in the transaction that added the constraint NOT VALID still scans under the ADD's strong lock.",
    docs: RuleDocs {
        what: "Reports `ALTER TABLE ... VALIDATE CONSTRAINT name` when `name` was added `NOT VALID` earlier in the same transaction: inside the same `BEGIN ... COMMIT` block, anywhere in the file before a `COMMIT` when the migration tool is assumed to wrap it in a transaction (`assume-in-transaction`), or in the same `ALTER TABLE` statement. Tables created earlier in the file are exempt.",
        why: "`NOT VALID` followed by `VALIDATE CONSTRAINT` avoids a long lock only because the two run in different transactions: the `ADD` takes a strong lock briefly, and the validation scans under a weak one. In one transaction the `ADD`'s lock is held until `COMMIT`, so the whole scan runs under it, exactly as if `NOT VALID` had not been written.",
        lock: "The `ADD`'s lock, held through the scan: `ACCESS EXCLUSIVE` for a CHECK or NOT NULL constraint (every read and write waits), `SHARE ROW EXCLUSIVE` on both tables for a foreign key (every write to either table waits).",
        bad: "BEGIN;\nALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey\n    FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey;\nCOMMIT;",
        good: "-- migration 1\nALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey\n    FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;\n-- migration 2\nALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey;",
        fix: "1. Keep the `ADD ... NOT VALID` in its migration.\n2. Move the `VALIDATE CONSTRAINT` to the next migration, or put a `COMMIT` between the two statements, so the validation starts in a new transaction that only takes `SHARE UPDATE EXCLUSIVE`.",
    },
};

impl SqlRule for ValidateInSameTransaction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::AlterTable]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(alter) = cx.alter_of_existing_table(stmt) else {
            return;
        };
        let ExistingAlter { relname, table, .. } = &alter;
        let actions: Vec<_> = alter.actions().collect();
        for (i, act) in actions.iter().enumerate() {
            if act.kind != AlterTableType::AtValidateConstraint {
                continue;
            }
            let name = &act.cmd.name;
            let same_statement =
                actions[..i]
                    .iter()
                    .any(|earlier| match (earlier.kind, earlier.def) {
                        (AlterTableType::AtAddConstraint, Some(NodeEnum::Constraint(c))) => {
                            &c.conname == name
                                && c.skip_validation
                                && matches!(
                                    constr_type(c),
                                    ConstrType::ConstrCheck
                                        | ConstrType::ConstrForeign
                                        | ConstrType::ConstrNotnull
                                )
                        }
                        _ => false,
                    });
            let where_added = if same_statement {
                "in the same statement as its `ADD ... NOT VALID`"
            } else if cx.added_not_valid_in_transaction(relname, name) {
                "in the same transaction as its `ADD ... NOT VALID`"
            } else {
                continue;
            };
            out.report(
                cx,
                &META,
                stmt.action(alter.relation_at, act.index),
                format!("`VALIDATE CONSTRAINT {name}` on `{table}` runs {where_added}: the ADD's lock is still held, so the scan blocks as if NOT VALID were not there"),
                "Validate in a new transaction: move this statement to the next migration, or put a `COMMIT` before it.",
            );
        }
    }
}
