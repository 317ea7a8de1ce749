//! Small readers over pg_query's parse tree that many rules share: names of
//! relations and types, constraint kinds, and whether an expression is
//! volatile.

use pg_query::protobuf::{self, ConstrType, RangeVar, TypeName};
use pg_query::NodeEnum;
use std::collections::HashSet;

/// A relation's name as PostgreSQL resolved its spelling (unquoted names are
/// already folded to lower case by the parser), without the schema.
pub fn relname(r: &Option<RangeVar>) -> Option<&str> {
    r.as_ref()
        .map(|r| r.relname.as_str())
        .filter(|n| !n.is_empty())
}

/// `schema.name` or `name`, for messages.
pub fn qualified(r: &Option<RangeVar>) -> String {
    r.as_ref().map_or_else(|| String::from("?"), range_var_name)
}

/// [`qualified`] for a relation that is there.
pub fn range_var_name(r: &RangeVar) -> String {
    if r.schemaname.is_empty() {
        r.relname.clone()
    } else {
        format!("{}.{}", r.schemaname, r.relname)
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

/// The first type modifier when it is a plain number: the `n` of
/// `char(n)` or `varchar(n)`.
pub fn type_length(t: &TypeName) -> Option<i32> {
    match t.typmods.first()?.node.as_ref()? {
        NodeEnum::AConst(c) => match c.val.as_ref()? {
            protobuf::a_const::Val::Ival(i) => Some(i.ival),
            _ => None,
        },
        _ => None,
    }
}

pub fn constr_type(c: &protobuf::Constraint) -> ConstrType {
    ConstrType::try_from(c.contype).unwrap_or(ConstrType::Undefined)
}

/// The constraints attached to a column definition.
pub fn column_constraints(
    col: &protobuf::ColumnDef,
) -> impl Iterator<Item = &protobuf::Constraint> {
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
            e.lexpr.as_deref().is_some_and(is_volatile)
                || e.rexpr.as_deref().is_some_and(is_volatile)
        }
        NodeEnum::BoolExpr(e) => e.args.iter().any(is_volatile),
        NodeEnum::AArrayExpr(a) => a.elements.iter().any(is_volatile),
        NodeEnum::List(l) => l.items.iter().any(is_volatile),
        NodeEnum::FuncCall(f) => {
            let names = strings(&f.funcname);
            let name = names.last().copied().unwrap_or("").to_ascii_lowercase();
            let schema = if names.len() > 1 {
                names[0]
            } else {
                "pg_catalog"
            };
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

/// `schema.name` or `name` as it must be written in SQL (quoted where
/// needed), for suggested statements.
pub fn qualified_sql(r: &Option<RangeVar>) -> String {
    match r {
        Some(r) if !r.schemaname.is_empty() => {
            format!("{}.{}", quote_ident(&r.schemaname), quote_ident(&r.relname))
        }
        Some(r) => quote_ident(&r.relname),
        None => String::from("?"),
    }
}

/// A name as it must be written in SQL: quoted when it is not a plain
/// lower-case identifier (`Orders` -> `"Orders"`).
pub fn quote_ident(name: &str) -> String {
    let plain = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$');
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// The boolean option `name` of a utility statement's option list
/// (`VACUUM (FULL)`, `REINDEX (CONCURRENTLY true)`), when it is turned on:
/// written bare, or with a true value as PostgreSQL reads it.
pub fn option_on<'a>(options: &'a [protobuf::Node], name: &str) -> Option<&'a protobuf::DefElem> {
    options.iter().rev().find_map(|n| match &n.node {
        Some(NodeEnum::DefElem(d)) if d.defname.eq_ignore_ascii_case(name) => {
            let on = match d.arg.as_deref().and_then(|a| a.node.as_ref()) {
                None => true,
                Some(NodeEnum::Integer(i)) => i.ival != 0,
                Some(NodeEnum::Boolean(b)) => b.boolval,
                Some(NodeEnum::String(s)) => {
                    s.sval.eq_ignore_ascii_case("true") || s.sval.eq_ignore_ascii_case("on")
                }
                Some(_) => false,
            };
            Some(on.then_some(d.as_ref()))
        }
        _ => None,
    })?
}

/// `serial`, `bigserial`, `smallserial` and their aliases: an integer column
/// with an implicit `DEFAULT nextval(...)`.
pub fn is_serial(t: &TypeName) -> bool {
    matches!(
        builtin_type_name(t).map(str::to_ascii_lowercase).as_deref(),
        Some("serial" | "serial4" | "bigserial" | "serial8" | "smallserial" | "serial2")
    ) && t.array_bounds.is_empty()
}

/// One action of an `ALTER TABLE`: its index in `cmds` (for `Stmt::action`),
/// its kind, the command, and its definition node (a `ColumnDef`,
/// `Constraint`, `PartitionCmd`...), if any.
pub struct AlterAction<'a> {
    pub index: usize,
    pub kind: protobuf::AlterTableType,
    pub cmd: &'a protobuf::AlterTableCmd,
    pub def: Option<&'a NodeEnum>,
}

/// The actions of an `ALTER TABLE`, in order.
pub fn alter_actions(a: &protobuf::AlterTableStmt) -> impl Iterator<Item = AlterAction<'_>> {
    a.cmds
        .iter()
        .enumerate()
        .filter_map(|(index, n)| match &n.node {
            Some(NodeEnum::AlterTableCmd(cmd)) => Some(AlterAction {
                index,
                kind: protobuf::AlterTableType::try_from(cmd.subtype)
                    .unwrap_or(protobuf::AlterTableType::Undefined),
                cmd,
                def: cmd.def.as_deref().and_then(|d| d.node.as_ref()),
            }),
            _ => None,
        })
}

/// A UNIQUE or PRIMARY KEY constraint that an `ALTER TABLE` action adds by
/// building a new index under the table's lock.
pub struct AddedIndexConstraint<'a> {
    pub constraint: &'a protobuf::Constraint,
    /// The key's columns.
    pub columns: Vec<String>,
    /// The new column, when the constraint comes with `ADD COLUMN`.
    pub column: Option<&'a str>,
}

/// The constraint of `kind` (`ConstrUnique` or `ConstrPrimary`) that `act`
/// adds with a new index: `ADD [CONSTRAINT name] UNIQUE (...)` without
/// `USING INDEX`, or `ADD COLUMN ... UNIQUE`. The two rules about them
/// must agree on what builds an index, so they ask here.
pub fn adds_index_constraint<'a>(
    act: &AlterAction<'a>,
    kind: ConstrType,
) -> Option<AddedIndexConstraint<'a>> {
    match (act.kind, act.def) {
        (protobuf::AlterTableType::AtAddConstraint, Some(NodeEnum::Constraint(c)))
            if constr_type(c) == kind && c.indexname.is_empty() =>
        {
            Some(AddedIndexConstraint {
                constraint: c,
                columns: column_names(&c.keys),
                column: None,
            })
        }
        (protobuf::AlterTableType::AtAddColumn, Some(NodeEnum::ColumnDef(col))) => {
            let c = column_constraints(col).find(|c| constr_type(c) == kind)?;
            Some(AddedIndexConstraint {
                constraint: c,
                columns: vec![col.colname.clone()],
                column: Some(&col.colname),
            })
        }
        _ => None,
    }
}

/// Column names quoted where needed and joined with commas, for the SQL a
/// help suggests: `id, "Order"`.
pub fn quote_idents(names: &[impl AsRef<str>]) -> String {
    names
        .iter()
        .map(|n| quote_ident(n.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The type's name when it is a built-in one: written bare or qualified with
/// `pg_catalog` (`int4`, `varchar`, `bpchar`, `timestamp`, `serial`). A
/// type from another schema gives `None`.
pub fn builtin_type_name(t: &TypeName) -> Option<&str> {
    match strings(&t.names)[..] {
        [name] | ["pg_catalog", name] => Some(name),
        _ => None,
    }
}

/// Where a statement declares a column's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnSource {
    CreateTable,
    /// `ALTER TABLE ... ADD COLUMN`.
    AddColumn,
    /// `ALTER TABLE ... ALTER COLUMN ... [SET DATA] TYPE`.
    AlterType,
}

/// A column type declared by a statement, for the rules about column types.
pub struct DeclaredColumn<'a> {
    pub table: &'a Option<RangeVar>,
    pub column: &'a str,
    pub type_name: &'a TypeName,
    /// The definition; for `ALTER COLUMN ... TYPE` it carries only the type.
    pub def: &'a protobuf::ColumnDef,
    pub source: ColumnSource,
    /// The `ALTER TABLE` action's index in `cmds`, for `Stmt::action`.
    pub action: Option<usize>,
    /// In the table's primary key, by a column constraint or (in the same
    /// statement) a table-level `PRIMARY KEY (...)`: how many columns that
    /// key has (1 for a single-column key).
    pub primary_key: Option<usize>,
}

impl DeclaredColumn<'_> {
    /// Declared `GENERATED ... AS IDENTITY`.
    pub fn is_identity(&self) -> bool {
        column_constraints(self.def).any(|c| constr_type(c) == ConstrType::ConstrIdentity)
    }
}

/// The column types a `CREATE TABLE` or `ALTER TABLE` declares, in order.
pub fn declared_columns(node: &NodeEnum) -> Vec<DeclaredColumn<'_>> {
    let mut out = Vec::new();
    let table_keys = |cons: &mut dyn Iterator<Item = &protobuf::Constraint>| -> Vec<String> {
        cons.filter(|c| constr_type(c) == ConstrType::ConstrPrimary)
            .flat_map(|c| column_names(&c.keys))
            .collect()
    };
    let key_width = |keys: &[String], col: &protobuf::ColumnDef, column: &str| {
        if column_constraints(col).any(|k| constr_type(k) == ConstrType::ConstrPrimary) {
            Some(1)
        } else if keys.iter().any(|k| k == column) {
            Some(keys.len())
        } else {
            None
        }
    };
    match node {
        NodeEnum::CreateStmt(c) => {
            let keys = table_keys(&mut c.table_elts.iter().filter_map(|n| match &n.node {
                Some(NodeEnum::Constraint(con)) => Some(con.as_ref()),
                _ => None,
            }));
            for elt in &c.table_elts {
                let Some(NodeEnum::ColumnDef(col)) = &elt.node else {
                    continue;
                };
                let Some(type_name) = &col.type_name else {
                    continue;
                };
                out.push(DeclaredColumn {
                    table: &c.relation,
                    column: &col.colname,
                    type_name,
                    def: col,
                    source: ColumnSource::CreateTable,
                    action: None,
                    primary_key: key_width(&keys, col, &col.colname),
                });
            }
        }
        NodeEnum::AlterTableStmt(a) => {
            let cmds = || {
                a.cmds.iter().filter_map(|n| match &n.node {
                    Some(NodeEnum::AlterTableCmd(cmd)) => Some(cmd.as_ref()),
                    _ => None,
                })
            };
            let keys = table_keys(&mut cmds().filter_map(|cmd| {
                match cmd.def.as_deref().and_then(|d| d.node.as_ref()) {
                    Some(NodeEnum::Constraint(con))
                        if protobuf::AlterTableType::try_from(cmd.subtype)
                            == Ok(protobuf::AlterTableType::AtAddConstraint) =>
                    {
                        Some(con.as_ref())
                    }
                    _ => None,
                }
            }));
            for (i, cmd) in cmds().enumerate() {
                let Some(NodeEnum::ColumnDef(col)) =
                    cmd.def.as_deref().and_then(|d| d.node.as_ref())
                else {
                    continue;
                };
                let Some(type_name) = &col.type_name else {
                    continue;
                };
                let (source, column) = match protobuf::AlterTableType::try_from(cmd.subtype) {
                    Ok(protobuf::AlterTableType::AtAddColumn) => {
                        (ColumnSource::AddColumn, col.colname.as_str())
                    }
                    Ok(protobuf::AlterTableType::AtAlterColumnType) => {
                        (ColumnSource::AlterType, cmd.name.as_str())
                    }
                    _ => continue,
                };
                out.push(DeclaredColumn {
                    table: &a.relation,
                    column,
                    type_name,
                    def: col,
                    source,
                    action: Some(i),
                    primary_key: if source == ColumnSource::AddColumn {
                        key_width(&keys, col, column)
                    } else {
                        None
                    },
                });
            }
        }
        _ => {}
    }
    out
}

/// Calls `visit` on `node` and on every node below it where queries keep
/// clauses and expressions: target lists, FROM items and joins,
/// WHERE/HAVING/ON, GROUP BY, ORDER BY, LIMIT/OFFSET, windows, CTEs, set
/// operations, subqueries, VALUES lists, RETURNING, ON CONFLICT, MERGE
/// actions, index expressions and the queries of CREATE TABLE AS, CREATE VIEW
/// and EXPLAIN. `visit` returns whether to go into the node's children.
/// Pre-order, iterative (deep expressions cannot overflow the stack).
/// pg_query's own `NodeEnum::nodes()` skips several of these places (LIMIT,
/// VALUES, COLLATE, ON CONFLICT, window clauses) and cannot prune.
pub fn walk<'a>(node: pg_query::NodeRef<'a>, visit: &mut dyn FnMut(pg_query::NodeRef<'a>) -> bool) {
    let mut stack = vec![node];
    let mut kids = Vec::new();
    while let Some(node) = stack.pop() {
        if !visit(node) {
            continue;
        }
        kids.clear();
        children(node, &mut kids);
        stack.extend(kids.drain(..).rev());
    }
}

/// [`walk`] from a tree node.
pub fn walk_node<'a>(node: &'a NodeEnum, visit: &mut dyn FnMut(pg_query::NodeRef<'a>) -> bool) {
    walk(node.to_ref(), visit);
}

/// The names of the WITH queries anywhere in a statement: a FROM item with
/// one of these names and no schema reads the query, not a table.
pub fn cte_names(node: &NodeEnum) -> HashSet<&str> {
    let mut ctes = HashSet::new();
    walk_node(node, &mut |n| {
        if let pg_query::NodeRef::CommonTableExpr(c) = n {
            ctes.insert(c.ctename.as_str());
        }
        true
    });
    ctes
}

/// The tables and views a FROM list reads, in source order and through
/// joins, leaving out the statement's WITH queries (`ctes`), subqueries,
/// functions and VALUES: what the query rules name as the table read.
pub fn from_tables<'a>(from: &'a [protobuf::Node], ctes: &HashSet<&str>) -> Vec<&'a RangeVar> {
    fn item<'a>(n: &'a protobuf::Node, ctes: &HashSet<&str>, out: &mut Vec<&'a RangeVar>) {
        match &n.node {
            Some(NodeEnum::RangeVar(r))
                if !(r.schemaname.is_empty() && ctes.contains(r.relname.as_str())) =>
            {
                out.push(r)
            }
            Some(NodeEnum::JoinExpr(j)) => {
                for side in [&j.larg, &j.rarg].into_iter().flatten() {
                    item(side, ctes, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for n in from {
        item(n, ctes, &mut out);
    }
    out
}

/// Which kind of statement [`writes_without_where`] looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    Update,
    Delete,
}

/// An `UPDATE` or `DELETE` with no `WHERE` clause.
pub struct WriteWithoutWhere<'a> {
    pub relation: &'a Option<RangeVar>,
    /// Where the table's name starts.
    pub relation_at: i32,
    /// Whether it joins other tables (`UPDATE ... FROM`, `DELETE ... USING`),
    /// which still touches every row without a WHERE.
    pub joined: bool,
}

/// The `UPDATE`s or `DELETE`s without `WHERE` in a statement, at the top
/// level or inside `WITH`, in source order. Both rules about them look for
/// the same thing on a different statement, so they share the search.
pub fn writes_without_where(node: &NodeEnum, kind: Write) -> Vec<WriteWithoutWhere<'_>> {
    let mut found = Vec::new();
    walk_node(node, &mut |n| {
        let (relation, has_where, joined) = match (kind, n) {
            (Write::Update, pg_query::NodeRef::UpdateStmt(u)) => (
                &u.relation,
                u.where_clause.is_some(),
                !u.from_clause.is_empty(),
            ),
            (Write::Delete, pg_query::NodeRef::DeleteStmt(d)) => (
                &d.relation,
                d.where_clause.is_some(),
                !d.using_clause.is_empty(),
            ),
            _ => return true,
        };
        if let (false, Some(rel)) = (has_where, relation) {
            found.push(WriteWithoutWhere {
                relation,
                relation_at: rel.location,
                joined,
            });
        }
        true
    });
    found
}

/// The direct children [`walk`] goes into, in source order.
fn children<'a>(node: pg_query::NodeRef<'a>, out: &mut Vec<pg_query::NodeRef<'a>>) {
    use pg_query::NodeRef as R;
    fn one<'a>(out: &mut Vec<R<'a>>, n: &'a Option<Box<protobuf::Node>>) {
        if let Some(n) = n.as_deref().and_then(|n| n.node.as_ref()) {
            out.push(n.to_ref());
        }
    }
    fn all<'a>(out: &mut Vec<R<'a>>, nodes: &'a [protobuf::Node]) {
        out.extend(
            nodes
                .iter()
                .filter_map(|n| n.node.as_ref())
                .map(NodeEnum::to_ref),
        );
    }
    fn with<'a>(out: &mut Vec<R<'a>>, w: &'a Option<protobuf::WithClause>) {
        if let Some(w) = w {
            all(out, &w.ctes);
        }
    }
    fn returning<'a>(out: &mut Vec<R<'a>>, r: &'a Option<protobuf::ReturningClause>) {
        if let Some(r) = r {
            all(out, &r.exprs);
        }
    }
    match node {
        R::SelectStmt(s) => {
            with(out, &s.with_clause);
            all(out, &s.distinct_clause);
            all(out, &s.target_list);
            all(out, &s.from_clause);
            one(out, &s.where_clause);
            all(out, &s.group_clause);
            one(out, &s.having_clause);
            all(out, &s.window_clause);
            all(out, &s.values_lists);
            if let Some(l) = &s.larg {
                out.push(R::SelectStmt(l));
            }
            if let Some(r) = &s.rarg {
                out.push(R::SelectStmt(r));
            }
            all(out, &s.sort_clause);
            one(out, &s.limit_offset);
            one(out, &s.limit_count);
        }
        R::InsertStmt(s) => {
            with(out, &s.with_clause);
            all(out, &s.cols);
            one(out, &s.select_stmt);
            if let Some(c) = &s.on_conflict_clause {
                out.push(R::OnConflictClause(c));
            }
            returning(out, &s.returning_clause);
        }
        R::OnConflictClause(c) => {
            if let Some(i) = &c.infer {
                all(out, &i.index_elems);
                one(out, &i.where_clause);
            }
            all(out, &c.target_list);
            one(out, &c.where_clause);
        }
        R::UpdateStmt(s) => {
            with(out, &s.with_clause);
            all(out, &s.target_list);
            all(out, &s.from_clause);
            one(out, &s.where_clause);
            returning(out, &s.returning_clause);
        }
        R::DeleteStmt(s) => {
            with(out, &s.with_clause);
            all(out, &s.using_clause);
            one(out, &s.where_clause);
            returning(out, &s.returning_clause);
        }
        R::MergeStmt(s) => {
            with(out, &s.with_clause);
            one(out, &s.source_relation);
            one(out, &s.join_condition);
            all(out, &s.merge_when_clauses);
            returning(out, &s.returning_clause);
        }
        R::MergeWhenClause(c) => {
            one(out, &c.condition);
            all(out, &c.target_list);
            all(out, &c.values);
        }
        R::CommonTableExpr(c) => one(out, &c.ctequery),
        R::ResTarget(t) => {
            all(out, &t.indirection);
            one(out, &t.val);
        }
        R::MultiAssignRef(m) => one(out, &m.source),
        R::AExpr(e) => {
            one(out, &e.lexpr);
            one(out, &e.rexpr);
        }
        R::BoolExpr(e) => all(out, &e.args),
        R::SubLink(l) => {
            one(out, &l.testexpr);
            one(out, &l.subselect);
        }
        R::FuncCall(f) => {
            all(out, &f.args);
            all(out, &f.agg_order);
            one(out, &f.agg_filter);
            if let Some(w) = &f.over {
                out.push(R::WindowDef(w));
            }
        }
        R::WindowDef(w) => {
            all(out, &w.partition_clause);
            all(out, &w.order_clause);
            one(out, &w.start_offset);
            one(out, &w.end_offset);
        }
        R::CaseExpr(c) => {
            one(out, &c.arg);
            all(out, &c.args);
            one(out, &c.defresult);
        }
        R::CaseWhen(w) => {
            one(out, &w.expr);
            one(out, &w.result);
        }
        R::CoalesceExpr(e) => all(out, &e.args),
        R::MinMaxExpr(e) => all(out, &e.args),
        R::NullTest(t) => one(out, &t.arg),
        R::BooleanTest(t) => one(out, &t.arg),
        R::TypeCast(c) => one(out, &c.arg),
        R::CollateClause(c) => one(out, &c.arg),
        R::AIndirection(i) => {
            one(out, &i.arg);
            all(out, &i.indirection);
        }
        R::AIndices(i) => {
            one(out, &i.lidx);
            one(out, &i.uidx);
        }
        R::AArrayExpr(a) => all(out, &a.elements),
        R::RowExpr(r) => all(out, &r.args),
        R::List(l) => all(out, &l.items),
        R::NamedArgExpr(a) => one(out, &a.arg),
        R::GroupingSet(g) => all(out, &g.content),
        R::SortBy(s) => one(out, &s.node),
        R::JoinExpr(j) => {
            one(out, &j.larg);
            one(out, &j.rarg);
            one(out, &j.quals);
        }
        R::RangeSubselect(s) => one(out, &s.subquery),
        R::RangeFunction(f) => all(out, &f.functions),
        R::RangeTableSample(t) => {
            one(out, &t.relation);
            all(out, &t.args);
            one(out, &t.repeatable);
        }
        R::CreateTableAsStmt(c) => one(out, &c.query),
        R::ViewStmt(v) => one(out, &v.query),
        R::ExplainStmt(e) => one(out, &e.query),
        R::CopyStmt(c) => one(out, &c.query),
        R::IndexStmt(i) => {
            all(out, &i.index_params);
            one(out, &i.where_clause);
        }
        R::IndexElem(e) => one(out, &e.expr),
        _ => {}
    }
}

/// The words of an identifier, lower-cased, for rules that judge a column by
/// its name: `user_password`, `userPassword` and `"User Password"` all give
/// `["user", "password"]`.
pub fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// The names of the columns an expression refers to (the last part of each
/// column reference: `t.a` gives `a`).
pub fn referenced_columns(node: &protobuf::Node) -> Vec<&str> {
    let mut names = Vec::new();
    if let Some(n) = &node.node {
        walk_node(n, &mut |n| {
            if let pg_query::NodeRef::ColumnRef(c) = n {
                if let Some(name) = strings(&c.fields).last() {
                    names.push(*name);
                }
            }
            true
        });
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_expr(sql: &str) -> protobuf::Node {
        let parsed =
            pg_query::parse(&format!("ALTER TABLE t ADD COLUMN c int DEFAULT {sql}"), 0).unwrap();
        let stmt = parsed.protobuf.stmts[0].stmt.clone().unwrap();
        let Some(NodeEnum::AlterTableStmt(a)) = stmt.node else {
            panic!()
        };
        let Some(NodeEnum::AlterTableCmd(cmd)) = &a.cmds[0].node else {
            panic!()
        };
        let Some(NodeEnum::ColumnDef(col)) = &cmd.def.as_ref().unwrap().node else {
            panic!()
        };
        let c = column_constraints(col).next().unwrap();
        *c.raw_expr.clone().unwrap()
    }

    #[test]
    fn volatility_of_defaults() {
        for stable in [
            "0",
            "'x'",
            "now()",
            "current_timestamp",
            "'{}'::jsonb",
            "1 + 2",
            "lower('A')",
            "ARRAY[1,2]",
        ] {
            assert!(!is_volatile(&default_expr(stable)), "{stable}");
        }
        for volatile in [
            "random()",
            "gen_random_uuid()",
            "clock_timestamp()",
            "myschema.f()",
            "my_func()",
            "nextval('s')",
            "(random() * 10)::int",
        ] {
            assert!(is_volatile(&default_expr(volatile)), "{volatile}");
        }
    }

    #[test]
    fn name_words_split_snake_camel_and_quoted_names() {
        assert_eq!(name_words("user_password"), ["user", "password"]);
        assert_eq!(name_words("userPassword"), ["user", "password"]);
        assert_eq!(name_words("User Password"), ["user", "password"]);
        assert_eq!(name_words("APIKey"), ["apikey"]);
        assert_eq!(name_words("sha256_digest"), ["sha256", "digest"]);
        assert!(name_words("__").is_empty());
    }

    #[test]
    fn walk_reaches_limit_values_ctes_and_prunes() {
        let sql = "WITH c AS (SELECT 1) SELECT a FROM t WHERE EXISTS (SELECT 2) \
                   AND x IN (VALUES (3)) ORDER BY a COLLATE \"C\" LIMIT 4 OFFSET 5";
        let parsed = pg_query::parse(sql, 0).unwrap();
        let stmt = parsed.protobuf.stmts[0].stmt.clone().unwrap().node.unwrap();
        let ints = |prune_sublinks: bool| {
            let mut found = Vec::new();
            walk_node(&stmt, &mut |n| match n {
                pg_query::NodeRef::AConst(c) => {
                    if let Some(protobuf::a_const::Val::Ival(i)) = &c.val {
                        found.push(i.ival);
                    }
                    true
                }
                pg_query::NodeRef::SubLink(_) => !prune_sublinks,
                _ => true,
            });
            found.sort();
            found
        };
        assert_eq!(ints(false), [1, 2, 3, 4, 5]);
        assert_eq!(ints(true), [1, 4, 5]);
    }
}
