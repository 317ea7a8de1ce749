//! Small readers over pg_query's parse tree that many rules share: names of
//! relations and types, constraint kinds, and whether an expression is
//! volatile.

use pg_query::protobuf::{self, ConstrType, RangeVar, TypeName};
use pg_query::NodeEnum;

/// A relation's name as PostgreSQL resolved its spelling (unquoted names are
/// already folded to lower case by the parser), without the schema.
pub fn relname(r: &Option<RangeVar>) -> Option<&str> {
    r.as_ref().map(|r| r.relname.as_str()).filter(|n| !n.is_empty())
}

/// `schema.name` or `name`, for messages.
pub fn qualified(r: &Option<RangeVar>) -> String {
    match r {
        Some(r) if !r.schemaname.is_empty() => format!("{}.{}", r.schemaname, r.relname),
        Some(r) => r.relname.clone(),
        None => String::from("?"),
    }
}

/// The string values of a list of `String` nodes (qualified names).
pub fn strings(nodes: &[protobuf::Node]) -> Vec<&str> {
    nodes
        .iter()
        .filter_map(|n| match &n.node {
            Some(NodeEnum::String(s)) => Some(s.sval.as_str()),
            _ => None,
        })
        .collect()
}

/// The type's own name without `pg_catalog.`: `int4`, `varchar`, `timestamp`.
pub fn type_name(t: &TypeName) -> &str {
    strings(&t.names).last().copied().unwrap_or("")
}

/// Whether the type name has a length/precision modifier (`varchar(20)`).
pub fn has_typmods(t: &TypeName) -> bool {
    !t.typmods.is_empty()
}

pub fn constr_type(c: &protobuf::Constraint) -> ConstrType {
    ConstrType::try_from(c.contype).unwrap_or(ConstrType::Undefined)
}

/// The constraints attached to a column definition.
pub fn column_constraints(col: &protobuf::ColumnDef) -> impl Iterator<Item = &protobuf::Constraint> {
    col.constraints.iter().filter_map(|n| match &n.node {
        Some(NodeEnum::Constraint(c)) => Some(c.as_ref()),
        _ => None,
    })
}

/// Column names of a list of `String` nodes or `IndexElem` nodes.
pub fn column_names(nodes: &[protobuf::Node]) -> Vec<String> {
    nodes
        .iter()
        .filter_map(|n| match &n.node {
            Some(NodeEnum::String(s)) => Some(s.sval.clone()),
            Some(NodeEnum::IndexElem(e)) if !e.name.is_empty() => Some(e.name.clone()),
            _ => None,
        })
        .collect()
}

/// Functions that return a different value per row; a column default that
/// calls one makes `ADD COLUMN` rewrite the whole table.
const VOLATILE_FUNCTIONS: &[&str] = &[
    "random",
    "gen_random_uuid",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "uuidv4",
    "uuidv7",
    "clock_timestamp",
    "timeofday",
    "nextval",
    "txid_current",
    "setseed",
    "gen_random_bytes",
    "random_normal",
];

/// Whether evaluating `node` may give each row a different value. Calls to
/// unknown functions count as volatile: PostgreSQL treats user functions as
/// volatile unless declared otherwise.
pub fn is_volatile(node: &protobuf::Node) -> bool {
    let Some(n) = &node.node else { return false };
    match n {
        NodeEnum::AConst(_) | NodeEnum::ParamRef(_) => false,
        NodeEnum::SqlvalueFunction(_) => false, // now(), current_timestamp: stable
        NodeEnum::TypeCast(c) => c.arg.as_deref().is_some_and(is_volatile),
        NodeEnum::CollateClause(c) => c.arg.as_deref().is_some_and(is_volatile),
        NodeEnum::AExpr(e) => {
            e.lexpr.as_deref().is_some_and(is_volatile) || e.rexpr.as_deref().is_some_and(is_volatile)
        }
        NodeEnum::BoolExpr(e) => e.args.iter().any(is_volatile),
        NodeEnum::AArrayExpr(a) => a.elements.iter().any(is_volatile),
        NodeEnum::List(l) => l.items.iter().any(is_volatile),
        NodeEnum::FuncCall(f) => {
            let names = strings(&f.funcname);
            let name = names.last().copied().unwrap_or("").to_ascii_lowercase();
            let schema = if names.len() > 1 { names[0] } else { "pg_catalog" };
            if schema != "pg_catalog" {
                return true;
            }
            VOLATILE_FUNCTIONS.contains(&name.as_str())
                || !STABLE_FUNCTIONS.contains(&name.as_str())
                || f.args.iter().any(is_volatile)
        }
        _ => true,
    }
}

/// Built-in functions known to be immutable or stable, safe as defaults.
const STABLE_FUNCTIONS: &[&str] = &[
    "now",
    "current_timestamp",
    "statement_timestamp",
    "transaction_timestamp",
    "current_date",
    "localtimestamp",
    "current_user",
    "session_user",
    "lower",
    "upper",
    "length",
    "coalesce",
    "jsonb_build_object",
    "json_build_object",
    "jsonb_build_array",
    "json_build_array",
    "to_jsonb",
    "to_json",
    "array",
    "make_interval",
    "make_date",
    "make_timestamp",
    "make_timestamptz",
    "timezone",
    "concat",
    "replace",
    "md5",
    "abs",
    "round",
    "date_trunc",
    "to_timestamp",
    "to_date",
    "to_char",
    "format",
    "substring",
    "btrim",
    "trim",
    "inet",
    "point",
    "int4range",
    "int8range",
    "tstzrange",
    "daterange",
];

/// Whether the statement text's parse tree is this kind of constraint.
pub fn is_constraint(node: &protobuf::Node, kind: ConstrType) -> bool {
    matches!(&node.node, Some(NodeEnum::Constraint(c)) if constr_type(c) == kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_expr(sql: &str) -> protobuf::Node {
        let parsed = pg_query::parse(&format!("ALTER TABLE t ADD COLUMN c int DEFAULT {sql}"), 0).unwrap();
        let stmt = parsed.protobuf.stmts[0].stmt.clone().unwrap();
        let Some(NodeEnum::AlterTableStmt(a)) = stmt.node else { panic!() };
        let Some(NodeEnum::AlterTableCmd(cmd)) = &a.cmds[0].node else { panic!() };
        let Some(NodeEnum::ColumnDef(col)) = &cmd.def.as_ref().unwrap().node else { panic!() };
        let c = column_constraints(col).next().unwrap();
        *c.raw_expr.clone().unwrap()
    }

    #[test]
    fn volatility_of_defaults() {
        for stable in ["0", "'x'", "now()", "current_timestamp", "'{}'::jsonb", "1 + 2", "lower('A')", "ARRAY[1,2]"] {
            assert!(!is_volatile(&default_expr(stable)), "{stable}");
        }
        for volatile in ["random()", "gen_random_uuid()", "clock_timestamp()", "myschema.f()", "my_func()", "nextval('s')", "(random() * 10)::int"] {
            assert!(is_volatile(&default_expr(volatile)), "{volatile}");
        }
    }
}
