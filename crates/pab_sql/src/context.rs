//! What a rule knows about the file around a statement: the tables created
//! earlier in it, whether a transaction is open, which timeouts are set, the
//! target PostgreSQL version, and the keys and indexes declared so far.
//! Updated after every statement, in file order.

use crate::ast::{self, column_constraints, column_names, constr_type};
use crate::classify::StmtKind;
use crate::stmt::Stmt;
use pab_core::{Settings, SourceFile};
use pg_query::protobuf::{AlterTableType, ConstrType};
use pg_query::NodeEnum;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Statement kinds the context itself reads, parsed whatever rules run.
pub const CONTEXT_KINDS: &[StmtKind] = &[
    StmtKind::CreateTable,
    StmtKind::CreateTableAs,
    StmtKind::CreateIndex,
    StmtKind::AlterTable,
];

/// Directory names that hold migrations in the common frameworks (Rails,
/// Django, Alembic, Flyway, Liquibase, golang-migrate, Knex, Prisma...).
const MIGRATION_DIRS: &[&str] = &[
    "migrations",
    "migration",
    "migrate",
    "versions",
    "changesets",
    "changelog",
    "flyway",
    "schema_migrations",
];

/// A foreign key declared in the file.
#[derive(Debug, Clone)]
pub struct ForeignKey {
    pub table: String,
    pub columns: Vec<String>,
    /// File bytes to underline.
    pub range: (usize, usize),
    /// The statement that declared it.
    pub anchor: (usize, usize),
}

/// A table made by `CREATE TABLE` in the file (not `CREATE TABLE AS`).
#[derive(Debug, Clone)]
pub struct CreatedTable {
    pub name: String,
    /// `schema.name` or `name`, for messages.
    pub qualified: String,
    /// The table's name, as file bytes.
    pub range: (usize, usize),
    /// The `CREATE TABLE` statement.
    pub anchor: (usize, usize),
    /// `TEMP` / `TEMPORARY`.
    pub temporary: bool,
    /// `PARTITION OF parent`: columns and keys come from the parent.
    pub partition_of: bool,
    /// `INHERITS (parent, ...)` (not a partition).
    pub inherits: bool,
    /// Some columns come from elsewhere: `INHERITS`, `OF type` or `LIKE`.
    pub borrows_columns: bool,
    /// `LIKE source INCLUDING INDEXES` (or `ALL`): copies the source's keys.
    pub copies_keys: bool,
}

/// A column declared in the file, by `CREATE TABLE` or `ADD COLUMN`.
#[derive(Debug, Clone)]
pub struct DeclaredColumnAt {
    pub table: String,
    pub name: String,
    /// The type's own name (`text`, `varchar`, `int4`, `my_enum`).
    pub type_name: String,
    /// Declared as an array (`text[]`).
    pub array: bool,
    /// The column definition, as file bytes.
    pub range: (usize, usize),
    /// The statement that declared it.
    pub anchor: (usize, usize),
}

/// A named constraint added `NOT VALID` in the file (CHECK, FOREIGN KEY or,
/// on PostgreSQL 18, NOT NULL) and not validated yet.
#[derive(Debug)]
struct NotValidCheck {
    table: String,
    /// `Some(col)` when the check is exactly `col IS NOT NULL` (or is a
    /// `NOT NULL col` constraint).
    not_null_column: Option<String>,
    /// Added in the transaction that is still open.
    in_transaction: bool,
}

pub struct Context<'a> {
    pub file: &'a SourceFile,
    pub settings: &'a Settings,
    /// Whether the file is a migration: it lives in a migrations directory or
    /// changes the schema.
    pub is_migration: bool,
    /// Inside `BEGIN ... COMMIT`, or assumed to be (migration frameworks).
    pub in_transaction: bool,
    /// The explicit `BEGIN` that is open, as file bytes.
    pub open_begin: Option<(usize, usize)>,
    pub lock_timeout: bool,
    pub statement_timeout: bool,
    /// Set with `SET LOCAL`: ends with the transaction.
    local_timeouts: (bool, bool),
    created: HashSet<String>,
    /// Keyed by (table, constraint name).
    not_valid: HashMap<(String, String), NotValidCheck>,
    validated_not_null: HashSet<(String, String)>,
    /// Tables on which a constraint not added in this file was validated.
    validated_unknown: HashSet<String>,
    /// Index name -> table, for the indexes created in this file.
    index_tables: HashMap<String, String>,
    pub foreign_keys: Vec<ForeignKey>,
    /// Indexed column lists per table (indexes, primary keys, unique keys).
    pub indexes: Vec<(String, Vec<String>)>,
    /// The tables `CREATE TABLE` made in the file, in order.
    pub created_tables: Vec<CreatedTable>,
    /// Tables given a primary key in the file (`CREATE TABLE` or `ALTER TABLE`).
    pub primary_keys: HashSet<String>,
    /// Columns declared in the file (`CREATE TABLE`, `ADD COLUMN`), in order.
    pub columns: Vec<DeclaredColumnAt>,
    /// (table, column) pairs that some CHECK constraint in the file refers to.
    pub checked_columns: HashSet<(String, String)>,
}

impl<'a> Context<'a> {
    pub fn new(file: &'a SourceFile, settings: &'a Settings, changes_schema: bool) -> Self {
        let in_dir = Path::new(&file.path).components().any(|c| {
            MIGRATION_DIRS.contains(
                &c.as_os_str()
                    .to_string_lossy()
                    .to_ascii_lowercase()
                    .as_str(),
            )
        });
        Context {
            file,
            settings,
            is_migration: in_dir || changes_schema,
            in_transaction: settings.assume_in_transaction,
            open_begin: None,
            lock_timeout: false,
            statement_timeout: false,
            local_timeouts: (false, false),
            created: HashSet::new(),
            not_valid: HashMap::new(),
            validated_not_null: HashSet::new(),
            validated_unknown: HashSet::new(),
            index_tables: HashMap::new(),
            foreign_keys: Vec::new(),
            indexes: Vec::new(),
            created_tables: Vec::new(),
            primary_keys: HashSet::new(),
            columns: Vec::new(),
            checked_columns: HashSet::new(),
        }
    }

    pub fn postgres_version(&self) -> u32 {
        self.settings.postgres_version
    }

    /// Whether `table` was created earlier in this file, so it is new and
    /// empty and locks on it block nobody.
    pub fn created_here(&self, table: Option<&str>) -> bool {
        table.is_some_and(|t| self.created.contains(t))
    }

    /// Whether a validated `CHECK (column IS NOT NULL)` on the table was set
    /// up earlier in the file, which lets `SET NOT NULL` skip its scan (PG 12+).
    pub fn has_validated_not_null_check(&self, table: &str, column: &str) -> bool {
        self.validated_not_null
            .contains(&(table.to_string(), column.to_string()))
    }

    /// Whether a `VALIDATE CONSTRAINT` on `table` earlier in the file validated
    /// a constraint added by an earlier migration, so its expression is
    /// unknown here (often the `CHECK (col IS NOT NULL)` of the SET NOT NULL
    /// recipe).
    pub fn validated_unknown_constraint(&self, table: &str) -> bool {
        self.validated_unknown.contains(table)
    }

    /// Whether `constraint` on `table` was added `NOT VALID` in the
    /// transaction that is still open (and not validated since).
    pub fn added_not_valid_in_transaction(&self, table: &str, constraint: &str) -> bool {
        self.not_valid
            .get(&(table.to_string(), constraint.to_string()))
            .is_some_and(|c| c.in_transaction)
    }

    /// The table of an index created earlier in this file, by index name.
    pub fn index_table(&self, index: &str) -> Option<&str> {
        self.index_tables.get(index).map(String::as_str)
    }

    /// Whether some index (or key) on `table` starts with `columns`.
    pub fn has_index_on(&self, table: &str, columns: &[String]) -> bool {
        self.indexes.iter().any(|(t, cols)| {
            t == table
                && cols.len() >= columns.len()
                && columns.iter().all(|c| cols[..columns.len()].contains(c))
        })
    }

    /// Updates the context with a statement that has just been checked.
    pub fn observe(&mut self, stmt: &Stmt) {
        match stmt.kind {
            StmtKind::Begin => {
                self.in_transaction = true;
                self.open_begin = Some(stmt.range());
            }
            StmtKind::Commit | StmtKind::Rollback => {
                // `COMMIT AND CHAIN` starts a new transaction at once.
                let chain = stmt.words.iter().any(|w| w == "CHAIN")
                    && !stmt.words.iter().any(|w| w == "NO");
                self.in_transaction = chain;
                self.open_begin = chain.then(|| stmt.range());
                if self.local_timeouts.0 {
                    self.lock_timeout = false;
                }
                if self.local_timeouts.1 {
                    self.statement_timeout = false;
                }
                self.local_timeouts = (false, false);
                for c in self.not_valid.values_mut() {
                    c.in_transaction = false;
                }
            }
            StmtKind::Set => self.observe_set(stmt),
            _ => {}
        }
        let Some(node) = stmt.node else { return };
        match node {
            NodeEnum::CreateStmt(c) => {
                let Some(table) = ast::relname(&c.relation) else {
                    return;
                };
                let table = table.to_string();
                for elt in &c.table_elts {
                    match &elt.node {
                        Some(NodeEnum::ColumnDef(col)) => {
                            for con in column_constraints(col) {
                                self.observe_constraint(&table, con, Some(&col.colname), stmt);
                            }
                            self.observe_column(&table, col, stmt);
                        }
                        Some(NodeEnum::Constraint(con)) => {
                            self.observe_constraint(&table, con, None, stmt)
                        }
                        _ => {}
                    }
                }
                let likes = c.table_elts.iter().filter_map(|e| match &e.node {
                    Some(NodeEnum::TableLikeClause(l)) => Some(l.options),
                    _ => None,
                });
                // CREATE_TABLE_LIKE_INDEXES; INCLUDING ALL sets every bit.
                let copies_keys = likes.clone().any(|options| options & (1 << 6) != 0);
                self.created_tables.push(CreatedTable {
                    name: table.clone(),
                    qualified: ast::qualified(&c.relation),
                    range: c
                        .relation
                        .as_ref()
                        .map_or(stmt.range(), |r| stmt.name_at(r.location)),
                    anchor: stmt.range(),
                    temporary: c.relation.as_ref().is_some_and(|r| r.relpersistence == "t"),
                    partition_of: c.partbound.is_some(),
                    inherits: c.partbound.is_none() && !c.inh_relations.is_empty(),
                    borrows_columns: !c.inh_relations.is_empty()
                        || c.of_typename.is_some()
                        || likes.count() > 0,
                    copies_keys,
                });
                self.created.insert(table);
            }
            NodeEnum::CreateTableAsStmt(c) => {
                if let Some(into) = &c.into {
                    if let Some(t) = ast::relname(&into.rel) {
                        self.created.insert(t.to_string());
                    }
                }
            }
            // A table created here keeps being new under its new name (the
            // swap pattern: build `t_new`, then rename it to `t`).
            NodeEnum::RenameStmt(r)
                if pg_query::protobuf::ObjectType::try_from(r.rename_type)
                    == Ok(pg_query::protobuf::ObjectType::ObjectTable)
                    && self.created_here(ast::relname(&r.relation))
                    && !r.newname.is_empty() =>
            {
                self.created.insert(r.newname.clone());
            }
            NodeEnum::SelectStmt(s) => {
                if let Some(t) = s.into_clause.as_ref().and_then(|i| ast::relname(&i.rel)) {
                    self.created.insert(t.to_string());
                }
            }
            NodeEnum::IndexStmt(i) => {
                if let Some(t) = ast::relname(&i.relation) {
                    self.indexes
                        .push((t.to_string(), column_names(&i.index_params)));
                    if !i.idxname.is_empty() {
                        self.index_tables.insert(i.idxname.clone(), t.to_string());
                    }
                }
            }
            NodeEnum::AlterTableStmt(a) => {
                let Some(table) = ast::relname(&a.relation) else {
                    return;
                };
                let table = table.to_string();
                for cmd in &a.cmds {
                    let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node else {
                        continue;
                    };
                    let subtype =
                        AlterTableType::try_from(cmd.subtype).unwrap_or(AlterTableType::Undefined);
                    match (subtype, cmd.def.as_deref().and_then(|d| d.node.as_ref())) {
                        (AlterTableType::AtAddConstraint, Some(NodeEnum::Constraint(con))) => {
                            self.observe_constraint(&table, con, None, stmt)
                        }
                        (AlterTableType::AtAddColumn, Some(NodeEnum::ColumnDef(col))) => {
                            for con in column_constraints(col) {
                                self.observe_constraint(&table, con, Some(&col.colname), stmt);
                            }
                            self.observe_column(&table, col, stmt);
                        }
                        (AlterTableType::AtValidateConstraint, _) => {
                            match self.not_valid.remove(&(table.clone(), cmd.name.clone())) {
                                Some(check) => {
                                    if let Some(col) = check.not_null_column {
                                        self.validated_not_null.insert((check.table, col));
                                    }
                                }
                                None => {
                                    self.validated_unknown.insert(table.clone());
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }

    fn observe_column(&mut self, table: &str, col: &pg_query::protobuf::ColumnDef, stmt: &Stmt) {
        let Some(type_name) = &col.type_name else {
            return;
        };
        self.columns.push(DeclaredColumnAt {
            table: table.to_string(),
            name: col.colname.clone(),
            type_name: ast::type_name(type_name).to_string(),
            array: !type_name.array_bounds.is_empty(),
            range: stmt.clause_at(col.location),
            anchor: stmt.range(),
        });
    }

    fn observe_constraint(
        &mut self,
        table: &str,
        con: &pg_query::protobuf::Constraint,
        column: Option<&str>,
        stmt: &Stmt,
    ) {
        let own_columns = || match column {
            Some(c) => vec![c.to_string()],
            None => column_names(&con.keys),
        };
        match constr_type(con) {
            ConstrType::ConstrPrimary | ConstrType::ConstrUnique => {
                self.indexes.push((table.to_string(), own_columns()));
                if constr_type(con) == ConstrType::ConstrPrimary {
                    self.primary_keys.insert(table.to_string());
                }
            }
            ConstrType::ConstrCheck => {
                let mut columns: Vec<String> = column.map(str::to_string).into_iter().collect();
                if let Some(expr) = con.raw_expr.as_deref() {
                    columns.extend(
                        ast::referenced_columns(expr)
                            .into_iter()
                            .map(str::to_string),
                    );
                }
                for c in columns {
                    self.checked_columns.insert((table.to_string(), c));
                }
            }
            ConstrType::ConstrForeign => {
                let columns = match column {
                    Some(c) => vec![c.to_string()],
                    None => column_names(&con.fk_attrs),
                };
                self.foreign_keys.push(ForeignKey {
                    table: table.to_string(),
                    columns,
                    range: stmt.clause_at(con.location),
                    anchor: stmt.range(),
                });
            }
            _ => {}
        }
        // `NOT VALID` (skip_validation); NOT ENFORCED also skips validation
        // but can never be validated, so it is left out.
        let not_null_column = match constr_type(con) {
            ConstrType::ConstrCheck if con.is_enforced => {
                Some(con.raw_expr.as_deref().and_then(is_not_null_test))
            }
            ConstrType::ConstrForeign if con.is_enforced => Some(None),
            ConstrType::ConstrNotnull => Some(own_columns().into_iter().next()),
            _ => None,
        };
        if let Some(not_null_column) =
            not_null_column.filter(|_| con.skip_validation && !con.conname.is_empty())
        {
            self.not_valid.insert(
                (table.to_string(), con.conname.clone()),
                NotValidCheck {
                    table: table.to_string(),
                    not_null_column,
                    in_transaction: self.in_transaction,
                },
            );
        }
    }

    fn observe_set(&mut self, stmt: &Stmt) {
        // SET [SESSION | LOCAL] name { TO | = } value; RESET name
        let words = stmt.words;
        let reset = words.first().is_some_and(|w| w == "RESET");
        let local = words.get(1).is_some_and(|w| w == "LOCAL");
        let name_at = if matches!(words.get(1).map(String::as_str), Some("SESSION" | "LOCAL")) {
            2
        } else {
            1
        };
        let Some(name) = words.get(name_at) else {
            return;
        };
        let value_on = !reset && !sets_zero(stmt.text);
        match name.as_str() {
            "LOCK_TIMEOUT" => {
                self.lock_timeout = value_on;
                self.local_timeouts.0 = local;
            }
            "STATEMENT_TIMEOUT" => {
                self.statement_timeout = value_on;
                self.local_timeouts.1 = local;
            }
            "ALL" if reset => {
                self.lock_timeout = false;
                self.statement_timeout = false;
            }
            _ => {}
        }
    }
}

/// `SET x = 0`, `SET x TO '0'` and `SET x = DEFAULT` turn a timeout off.
fn sets_zero(text: &str) -> bool {
    let value = text
        .split_once('=')
        .map(|(_, v)| v)
        .or_else(|| {
            let lower = text.to_ascii_lowercase();
            lower.find(" to ").map(|i| &text[i + 4..])
        })
        .unwrap_or("");
    let value = value
        .trim()
        .trim_end_matches(';')
        .trim()
        .trim_matches('\'')
        .trim();
    value.is_empty()
        || value == "0"
        || value.eq_ignore_ascii_case("default")
        || value.starts_with("0 ")
        || value == "0ms"
        || value == "0s"
}

/// `col IS NOT NULL` as a check expression: the column's name.
fn is_not_null_test(node: &pg_query::protobuf::Node) -> Option<String> {
    let Some(NodeEnum::NullTest(t)) = &node.node else {
        return None;
    };
    if pg_query::protobuf::NullTestType::try_from(t.nulltesttype).ok()?
        != pg_query::protobuf::NullTestType::IsNotNull
    {
        return None;
    }
    let Some(NodeEnum::ColumnRef(c)) = t.arg.as_deref().and_then(|a| a.node.as_ref()) else {
        return None;
    };
    ast::strings(&c.fields).last().map(|s| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::sets_zero;

    #[test]
    fn zero_timeouts_are_off() {
        assert!(sets_zero("SET lock_timeout = 0;"));
        assert!(sets_zero("SET lock_timeout TO '0';"));
        assert!(sets_zero("set lock_timeout to default"));
        assert!(!sets_zero("SET lock_timeout = '2s';"));
        assert!(!sets_zero("SET LOCAL lock_timeout TO 5000"));
    }
}
