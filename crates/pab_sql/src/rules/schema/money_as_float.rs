//! Columns that hold money in a binary floating-point type (`real`,
//! `double precision`, `float`), and columns of the `money` type.

use crate::ast;
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct MoneyAsFloat;

static META: RuleMeta = RuleMeta {
    id: "schema/money-as-float",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "Money stored as real/double precision loses cents; the money type depends on the server locale.",
    docs: RuleDocs {
        what: "Reports a column declared `real`, `float4`, `double precision`, `float8` or `float(p)` (in `CREATE TABLE`, `ADD COLUMN` or `ALTER COLUMN ... TYPE`) whose name says it holds money: a word such as price, amount, cost, balance, fee, salary, tax, subtotal, discount, payment, revenue, refund, payout, cents, a currency code, or a bare `total`. Names that describe a rate or a ratio (`tax_rate`, `discount_pct`, `fee_ratio`) are left alone. Also reports every column of the `money` type, whatever its name.",
        why: "Binary floating point cannot represent most decimal fractions: 0.1 + 0.2 is not 0.3, sums drift by fractions of a cent, and equality tests on amounts fail. Rounding errors compound in totals, tax and currency conversion and end up as ledgers that do not balance. Amounts in cents stored as a float are no better once they are multiplied or divided. The `money` type avoids that but formats and parses by the server's `lc_monetary` setting, so a dump restored on a server with another locale reads different amounts, and it has a single fixed number of decimals.",
        lock: "",
        bad: "CREATE TABLE invoices (\n    id bigint PRIMARY KEY,\n    total_amount double precision NOT NULL,\n    tax money\n);",
        good: "CREATE TABLE invoices (\n    id bigint PRIMARY KEY,\n    total_amount numeric(12, 2) NOT NULL,\n    tax_cents bigint NOT NULL,\n    currency char(3) NOT NULL\n);",
        fix: "1. Use `numeric(p, s)` with the precision your currency needs (`numeric(12, 2)`, or more decimals for unit prices and exchange rates), or store integer minor units in a `bigint` (`amount_cents`).\n2. Store the currency next to the amount when there is more than one.\n3. To convert an existing column: add the new column, backfill it in batches with `round(old::numeric, 2)`, switch the application, then drop the old column; `ALTER COLUMN ... TYPE numeric` rewrites the whole table under an ACCESS EXCLUSIVE lock.",
    },
};

/// Name words that mean an amount of money.
const MONEY_WORDS: &[&str] = &[
    "price",
    "prices",
    "amount",
    "amounts",
    "cost",
    "costs",
    "balance",
    "balances",
    "fee",
    "fees",
    "salary",
    "salaries",
    "tax",
    "taxes",
    "subtotal",
    "discount",
    "discounts",
    "payment",
    "payments",
    "revenue",
    "revenues",
    "refund",
    "refunds",
    "payout",
    "payouts",
    "wage",
    "wages",
    "income",
    "budget",
    "earnings",
    "profit",
    "msrp",
    "cents",
    "cent",
    "usd",
    "eur",
    "gbp",
    "jpy",
    "chf",
    "cad",
    "aud",
    "cny",
    "inr",
];

/// Name words that make the number a rate, a ratio or a count, not money.
const NOT_MONEY_WORDS: &[&str] = &[
    "rate",
    "rates",
    "ratio",
    "percent",
    "percentage",
    "pct",
    "factor",
    "multiplier",
    "score",
    "weight",
    "count",
    "qty",
    "quantity",
    "probability",
    "share",
];

/// Whether a column name says it holds money.
fn money_name(name: &str) -> bool {
    let words = ast::name_words(name);
    if words.iter().any(|w| NOT_MONEY_WORDS.contains(&w.as_str())) {
        return false;
    }
    // `total` alone says money; `total_distance` does not.
    let total_only = matches!(
        words.iter().map(String::as_str).collect::<Vec<_>>()[..],
        ["total"] | ["grand", "total"] | ["totals"]
    );
    total_only || words.iter().any(|w| MONEY_WORDS.contains(&w.as_str()))
}

impl SqlRule for MoneyAsFloat {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::CreateTable, StmtKind::AlterTable]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(node) = stmt.node else { return };
        for col in ast::declared_columns(node) {
            let Some(type_name) = ast::builtin_type_name(col.type_name) else {
                continue;
            };
            let float = matches!(type_name, "float4" | "float8");
            if !(type_name == "money" || float && money_name(col.column)) {
                continue;
            }
            let table = ast::qualified(col.table);
            let (a, b) = stmt.type_at(col.type_name.location);
            let written = &cx.file.text[a..b];
            let cents = ast::name_words(col.column)
                .iter()
                .any(|w| w == "cents" || w == "cent");
            let (message, help) = if !float {
                (
                    format!("Column `{table}.{}` uses the `money` type, which reads and prints amounts by the server's `lc_monetary` locale", col.column),
                    String::from("Use `numeric(12, 2)` (or the precision your currency needs) with a separate currency column, or integer minor units in a `bigint`."),
                )
            } else if cents {
                (
                    format!("Column `{table}.{}` stores cents as `{written}`, a binary floating-point type that rounds", col.column),
                    String::from("Store integer minor units in a `bigint` (or use `numeric` if fractions of a cent matter)."),
                )
            } else {
                (
                    format!("Column `{table}.{}` stores money as `{written}`, a binary floating-point type that cannot hold most decimal amounts exactly", col.column),
                    String::from("Use `numeric(12, 2)` (or the precision your currency needs), or store integer minor units in a `bigint` column such as `amount_cents`."),
                )
            };
            out.report(cx, &META, stmt.declared_column_clause(&col), message, help);
        }
    }
}
