//! What a rule knows about the file around a statement: the tables created
//! earlier in it, whether a transaction is open, which timeouts are set, the
//! target PostgreSQL version, and the keys and indexes declared so far.
//! Updated after every statement, in file order.

use crate::ast::{self, column_constraints, column_names, constr_type};
use crate::classify::StmtKind;
use crate::lexer::TokenKind;
use crate::stmt::Stmt;
use pab_core::{Settings, SourceFile};
use pg_query::protobuf::{AlterTableType, ConstrType, DropBehavior, ObjectType};
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

/// What a statement does to an object in [`Context::objects`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectAction {
    Create,
    Drop,
    Rename,
    /// `VALIDATE CONSTRAINT`.
    Validate,
}

/// The kinds of object [`Context::objects`] records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObjectKind {
    Table,
    View,
    MaterializedView,
    Sequence,
    ForeignTable,
    Function,
    Procedure,
    Routine,
    Aggregate,
    Type,
    Domain,
    Extension,
    Schema,
    Database,
    /// A value of the enum type `parent`.
    EnumValue,
    /// A column of the relation `parent`, or an attribute of the composite
    /// type `parent`.
    Column,
    /// A constraint of the table or domain `parent`.
    Constraint,
    /// The default of column `name` of table `parent` (of domain `parent`
    /// when `name` is empty). Made by `SET DEFAULT`, `ADD GENERATED ... AS
    /// IDENTITY`, or `ADD COLUMN` with a default, identity or serial type.
    Default,
    /// `SET NOT NULL` (made) or `DROP NOT NULL` (dropped) on column `name` of
    /// table `parent` (domain `parent` when `name` is empty).
    NotNull,
}

impl ObjectKind {
    /// How messages name the kind.
    pub fn label(self) -> &'static str {
        use ObjectKind::*;
        match self {
            Table => "table",
            View => "view",
            MaterializedView => "materialized view",
            Sequence => "sequence",
            ForeignTable => "foreign table",
            Function => "function",
            Procedure => "procedure",
            Routine => "routine",
            Aggregate => "aggregate",
            Type => "type",
            Domain => "domain",
            Extension => "extension",
            Schema => "schema",
            Database => "database",
            EnumValue => "enum value",
            Column => "column",
            Constraint => "constraint",
            Default => "default",
            NotNull => "NOT NULL",
        }
    }

    /// The kind that stands for all kinds sharing this one's names: tables,
    /// views and sequences are all relations, functions, procedures and
    /// aggregates all routines, domains types.
    pub fn namespace(self) -> ObjectKind {
        use ObjectKind::*;
        match self {
            View | MaterializedView | Sequence | ForeignTable => Table,
            Procedure | Routine | Aggregate => Function,
            Domain => Type,
            k => k,
        }
    }
}

/// One object created, dropped, renamed or validated by a statement.
#[derive(Debug, Clone)]
pub struct ObjectEvent {
    pub action: ObjectAction,
    pub kind: ObjectKind,
    /// The schema as written; empty when the name is not qualified.
    pub schema: String,
    pub name: String,
    /// The table, view, type or domain the object belongs to (columns,
    /// constraints, defaults, enum values); empty for the others.
    pub parent: String,
    pub parent_kind: Option<ObjectKind>,
    /// Whether `parent` was created earlier in the file.
    pub parent_new: bool,
    /// A rename's new name (in the same schema and parent).
    pub new_name: String,
    /// Routines dropped or renamed: the input argument types listed, if any.
    pub args: Option<Vec<String>>,
    /// Routines created: how many arguments a call may pass (most is
    /// `usize::MAX` with VARIADIC).
    pub arity: Option<(usize, usize)>,
    /// `IF EXISTS`.
    pub if_exists: bool,
    /// `CASCADE` on a drop.
    pub cascade: bool,
    /// A column created `NOT NULL` or in a primary key.
    pub not_null: bool,
    /// The object is new in this file: created by this event, or (renames,
    /// drops) created earlier in it. Always false for objects with a parent.
    pub fresh: bool,
    /// The object's name in a `DROP` list, or the `ALTER TABLE` action, or
    /// the statement, as file bytes.
    pub range: (usize, usize),
    /// The statement.
    pub anchor: (usize, usize),
}

impl ObjectEvent {
    fn new(action: ObjectAction, kind: ObjectKind, names: &[&str], stmt: &Stmt) -> Self {
        let n = names.len();
        ObjectEvent {
            action,
            kind,
            schema: n
                .checked_sub(2)
                .and_then(|i| names.get(i))
                .map_or_else(String::new, |s| s.to_string()),
            name: names.last().map_or_else(String::new, |s| s.to_string()),
            parent: String::new(),
            parent_kind: None,
            parent_new: false,
            new_name: String::new(),
            args: None,
            arity: None,
            if_exists: false,
            cascade: false,
            not_null: false,
            fresh: false,
            range: stmt.range(),
            anchor: stmt.range(),
        }
    }

    /// The name this event makes available: a created object's, or a renamed
    /// one's new name.
    pub fn made_name(&self) -> Option<&str> {
        match self.action {
            ObjectAction::Create => Some(&self.name),
            ObjectAction::Rename => Some(&self.new_name),
            _ => None,
        }
    }

    /// Whether this event (a create or a rename) makes available the object
    /// `other` is about: same namespace, parent and name, a compatible schema
    /// and, for routines whose arguments both statements give, a call with
    /// `other`'s number of arguments still resolves.
    pub fn makes(&self, other: &ObjectEvent) -> bool {
        let Some(name) = self.made_name() else {
            return false;
        };
        let accepts = match self.action {
            ObjectAction::Create => self.arity,
            _ => self.args.as_ref().map(|a| (a.len(), a.len())),
        };
        self.kind.namespace() == other.kind.namespace()
            && name == other.name
            && self.parent == other.parent
            && (self.schema.is_empty() || other.schema.is_empty() || self.schema == other.schema)
            && match (accepts, &other.args) {
                (Some((least, most)), Some(args)) => (least..=most).contains(&args.len()),
                _ => true,
            }
    }

    /// `schema.parent`: the table or domain a constraint, default or column
    /// belongs to, as findings about it name it.
    pub fn qualified_parent(&self) -> String {
        if self.schema.is_empty() {
            self.parent.clone()
        } else {
            format!("{}.{}", self.schema, self.parent)
        }
    }

    /// `schema.name`, with the argument types of a routine when given:
    /// `billing.total(int4, text)`.
    pub fn qualified(&self) -> String {
        let mut s = if self.schema.is_empty() {
            self.name.clone()
        } else {
            format!("{}.{}", self.schema, self.name)
        };
        if let Some(args) = &self.args {
            s = format!("{s}({})", args.join(", "));
        }
        s
    }
}

/// An `ALTER TABLE` on a table that existed before this file (see
/// `Context::alter_of_existing_table`), with what its findings name.
pub struct ExistingAlter<'a> {
    pub alter: &'a pg_query::protobuf::AlterTableStmt,
    /// The table's name without the schema, for looking it up in the context.
    pub relname: &'a str,
    /// `schema.name` for messages.
    pub table: String,
    /// The name as SQL, for the statements a help suggests.
    pub table_sql: String,
    /// Where the table's name starts, for `Stmt::action`.
    pub relation_at: i32,
}

impl<'a> ExistingAlter<'a> {
    /// The statement's actions, in order.
    pub fn actions(&self) -> impl Iterator<Item = ast::AlterAction<'a>> {
        ast::alter_actions(self.alter)
    }
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
    /// Objects the file creates, drops, renames or validates (functions,
    /// views, types, constraints, defaults...), in file order: rules about
    /// drops and renames look back (made here) and ahead (re-created).
    pub objects: Vec<ObjectEvent>,
    /// (namespace, name) of the objects `objects` made so far.
    made: HashSet<(ObjectKind, String)>,
    /// Arities of routines parsed by [`Context::makes`], by statement start.
    arities: std::cell::RefCell<HashMap<usize, Option<(usize, usize)>>>,
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
            objects: Vec::new(),
            made: HashSet::new(),
            arities: Default::default(),
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

    /// The `ALTER TABLE` that `stmt` is, when its table existed before this
    /// file: the migration rules only warn about locks and rewrites on such
    /// tables, since a table created earlier in the file is empty and nobody
    /// else uses it yet.
    pub fn alter_of_existing_table<'s>(&self, stmt: &Stmt<'s>) -> Option<ExistingAlter<'s>> {
        let Some(NodeEnum::AlterTableStmt(alter)) = stmt.node else {
            return None;
        };
        let relname = ast::relname(&alter.relation)?;
        if self.created_here(Some(relname)) {
            return None;
        }
        Some(ExistingAlter {
            alter,
            relname,
            table: ast::qualified(&alter.relation),
            table_sql: ast::qualified_sql(&alter.relation),
            relation_at: alter.relation.as_ref().map_or(-1, |r| r.location),
        })
    }

    /// The `RENAME` that `stmt` is when it renames a `kind` (a table, or a
    /// column of one) of a table that existed before this file: the running
    /// application still uses the old name, unlike a table made here.
    pub fn rename_in_existing_table<'s>(
        &self,
        stmt: &Stmt<'s>,
        kind: ObjectType,
    ) -> Option<&'s pg_query::protobuf::RenameStmt> {
        let Some(NodeEnum::RenameStmt(rename)) = stmt.node else {
            return None;
        };
        if ObjectType::try_from(rename.rename_type) != Ok(kind)
            || self.created_here(ast::relname(&rename.relation))
        {
            return None;
        }
        Some(rename)
    }

    /// The tables of a `LOCK` or `TRUNCATE` list that existed before this
    /// file, for a message: "`a`, `public.b`". `None` when every one was
    /// created here, since locking or emptying a new table harms nobody.
    pub fn existing_tables_listed(&self, relations: &[pg_query::protobuf::Node]) -> Option<String> {
        let tables: Vec<String> = relations
            .iter()
            .filter_map(|r| match &r.node {
                Some(NodeEnum::RangeVar(r)) => Some(r),
                _ => None,
            })
            .filter(|r| !self.created_here(Some(r.relname.as_str())))
            .map(|r| format!("`{}`", ast::range_var_name(r)))
            .collect();
        (!tables.is_empty()).then(|| tables.join(", "))
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
        let Some(node) = stmt.node else {
            self.observe_unparsed_objects(stmt);
            return;
        };
        self.observe_objects(node, stmt);
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

/// Recording [`Context::objects`].
impl Context<'_> {
    /// Whether an object of `kind`'s namespace named `name` was made earlier
    /// in the file (tables: created, or renamed from one created here).
    fn made_here(&self, kind: ObjectKind, name: &str) -> bool {
        (kind.namespace() == ObjectKind::Table && self.created.contains(name))
            || self.made.contains(&(kind.namespace(), name.to_string()))
    }

    fn push_object(&mut self, mut e: ObjectEvent) {
        if let Some(kind) = e.parent_kind {
            e.parent_new = self.made_here(kind, &e.parent);
        }
        if e.parent.is_empty() {
            e.fresh = e.action == ObjectAction::Create || self.made_here(e.kind, &e.name);
            // A renamed object stays as new as it was under its old name.
            if let (true, Some(name)) = (e.fresh, e.made_name()) {
                self.made.insert((e.kind.namespace(), name.to_string()));
            }
        }
        self.objects.push(e);
    }

    /// Whether `maker` makes available the object `other` is about (see
    /// [`ObjectEvent::makes`]). A routine created by a statement that was
    /// not parsed is parsed here when the argument counts matter.
    pub fn makes(&self, maker: &ObjectEvent, other: &ObjectEvent) -> bool {
        if !maker.makes(other) {
            return false;
        }
        let unparsed_routine = maker.action == ObjectAction::Create
            && maker.arity.is_none()
            && matches!(maker.kind, ObjectKind::Function | ObjectKind::Procedure);
        let Some(args) = other.args.as_ref().filter(|_| unparsed_routine) else {
            return true;
        };
        let parsed = *self
            .arities
            .borrow_mut()
            .entry(maker.anchor.0)
            .or_insert_with(|| {
                let text = self.file.text.get(maker.anchor.0..maker.anchor.1)?;
                match crate::parse::parse_statement(text) {
                    Ok(Some(NodeEnum::CreateFunctionStmt(f))) => Some(arity(&f.parameters)),
                    _ => None,
                }
            });
        match parsed {
            Some((least, most)) => (least..=most).contains(&args.len()),
            None => true,
        }
    }

    /// Objects of a statement no enabled rule asked to parse: the kind and
    /// name of a created object are read from its tokens (`CREATE FUNCTION`
    /// statements are many and long), and the few renames are parsed here.
    fn observe_unparsed_objects(&mut self, stmt: &Stmt) {
        match stmt.kind {
            StmtKind::CreateOther | StmtKind::CreateDomain => self.observe_created_name(stmt),
            StmtKind::AlterOther | StmtKind::AlterType | StmtKind::AlterDomain
                if stmt.words.iter().any(|w| w == "RENAME") =>
            {
                if let Ok(Some(node)) = crate::parse::parse_statement(stmt.text) {
                    self.observe_objects(&node, stmt);
                }
            }
            _ => {}
        }
    }

    /// `CREATE [OR REPLACE] [TEMP | RECURSIVE ...] kind [IF NOT EXISTS] name`,
    /// from the statement's tokens.
    fn observe_created_name(&mut self, stmt: &Stmt) {
        use ObjectKind as K;
        // The name comes long before a function's body: lex only the head.
        let mut head = stmt.text.len().min(1024);
        while !stmt.text.is_char_boundary(head) {
            head -= 1;
        }
        let text = &stmt.text[..head];
        let toks = crate::lexer::tokens(text);
        let word = |i: usize| {
            toks.get(i)
                .filter(|t| t.kind == TokenKind::Word && t.depth == 0)
                .map(|t| text[t.start..t.end].to_ascii_uppercase())
        };
        let mut i = 1;
        while matches!(
            word(i).as_deref(),
            Some(
                "OR" | "REPLACE"
                    | "TEMP"
                    | "TEMPORARY"
                    | "LOCAL"
                    | "GLOBAL"
                    | "UNLOGGED"
                    | "RECURSIVE"
            )
        ) {
            i += 1;
        }
        let kind = match (word(i).as_deref(), word(i + 1).as_deref()) {
            (Some("FUNCTION"), _) => K::Function,
            (Some("PROCEDURE"), _) => K::Procedure,
            (Some("AGGREGATE"), _) => K::Aggregate,
            (Some("VIEW"), _) => K::View,
            (Some("SEQUENCE"), _) => K::Sequence,
            (Some("TYPE"), _) => K::Type,
            (Some("DOMAIN"), _) => K::Domain,
            (Some("EXTENSION"), _) => K::Extension,
            (Some("SCHEMA"), _) => K::Schema,
            (Some("DATABASE"), _) => K::Database,
            (Some("MATERIALIZED"), Some("VIEW")) => K::MaterializedView,
            (Some("FOREIGN"), Some("TABLE")) => K::ForeignTable,
            _ => return,
        };
        i += if matches!(kind, K::MaterializedView | K::ForeignTable) {
            2
        } else {
            1
        };
        if word(i).as_deref() == Some("IF")
            && word(i + 1).as_deref() == Some("NOT")
            && word(i + 2).as_deref() == Some("EXISTS")
        {
            i += 3;
        }
        // The (qualified) name, folded as PostgreSQL folds it.
        let mut names = Vec::new();
        while let Some(t) = toks.get(i) {
            let s = &text[t.start..t.end];
            match t.kind {
                TokenKind::Word => names.push(s.to_ascii_lowercase()),
                TokenKind::QuotedIdent => names.push(
                    s.strip_prefix('"')
                        .and_then(|s| s.strip_suffix('"'))
                        .unwrap_or(s)
                        .replace("\"\"", "\""),
                ),
                _ => break,
            }
            let dot = toks
                .get(i + 1)
                .is_some_and(|t| t.kind == TokenKind::Punct && &text[t.start..t.end] == ".");
            if !dot {
                break;
            }
            i += 2;
        }
        // `CREATE SCHEMA AUTHORIZATION role` names no schema of its own here.
        if names.is_empty() || (kind == K::Schema && names[0] == "authorization") {
            return;
        }
        self.push_object(ObjectEvent::new(
            ObjectAction::Create,
            kind,
            &strs(&names),
            stmt,
        ));
    }

    fn observe_objects(&mut self, node: &NodeEnum, stmt: &Stmt) {
        use ObjectAction::{Create, Drop, Rename, Validate};
        use ObjectKind as K;
        let rel = |r: &Option<pg_query::protobuf::RangeVar>| -> Vec<String> {
            r.as_ref().map_or_else(Vec::new, |r| {
                [&r.schemaname, &r.relname]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .cloned()
                    .collect()
            })
        };
        let create = |kind, names: &[&str]| ObjectEvent::new(Create, kind, names, stmt);
        match node {
            NodeEnum::CreateStmt(c) => self.push_object(create(K::Table, &strs(&rel(&c.relation)))),
            NodeEnum::CreateForeignTableStmt(c) => {
                let names = c
                    .base_stmt
                    .as_ref()
                    .map(|b| rel(&b.relation))
                    .unwrap_or_default();
                self.push_object(create(K::ForeignTable, &strs(&names)));
            }
            NodeEnum::CreateTableAsStmt(c) => {
                let kind = if ObjectType::try_from(c.objtype) == Ok(ObjectType::ObjectMatview) {
                    K::MaterializedView
                } else {
                    K::Table
                };
                let names = c.into.as_ref().map(|i| rel(&i.rel)).unwrap_or_default();
                self.push_object(create(kind, &strs(&names)));
            }
            NodeEnum::SelectStmt(s) => {
                if let Some(into) = &s.into_clause {
                    self.push_object(create(K::Table, &strs(&rel(&into.rel))));
                }
            }
            NodeEnum::ViewStmt(v) => self.push_object(create(K::View, &strs(&rel(&v.view)))),
            NodeEnum::CreateSeqStmt(s) => {
                self.push_object(create(K::Sequence, &strs(&rel(&s.sequence))))
            }
            NodeEnum::CreateFunctionStmt(f) => {
                let kind = if f.is_procedure {
                    K::Procedure
                } else {
                    K::Function
                };
                let mut e = create(kind, &ast::strings(&f.funcname));
                e.arity = Some(arity(&f.parameters));
                self.push_object(e);
            }
            NodeEnum::DefineStmt(d) => {
                let kind = match ObjectType::try_from(d.kind) {
                    Ok(ObjectType::ObjectAggregate) => K::Aggregate,
                    Ok(ObjectType::ObjectType) => K::Type,
                    _ => return,
                };
                self.push_object(create(kind, &ast::strings(&d.defnames)));
            }
            NodeEnum::CompositeTypeStmt(c) => {
                self.push_object(create(K::Type, &strs(&rel(&c.typevar))))
            }
            NodeEnum::CreateEnumStmt(e) => {
                self.push_object(create(K::Type, &ast::strings(&e.type_name)))
            }
            NodeEnum::CreateRangeStmt(r) => {
                self.push_object(create(K::Type, &ast::strings(&r.type_name)))
            }
            NodeEnum::CreateDomainStmt(d) => {
                self.push_object(create(K::Domain, &ast::strings(&d.domainname)))
            }
            NodeEnum::CreateExtensionStmt(e) => {
                self.push_object(create(K::Extension, &[e.extname.as_str()]))
            }
            NodeEnum::CreateSchemaStmt(s) => {
                self.push_object(create(K::Schema, &[s.schemaname.as_str()]))
            }
            NodeEnum::CreatedbStmt(d) => {
                self.push_object(create(K::Database, &[d.dbname.as_str()]))
            }
            NodeEnum::DropStmt(d) => {
                let (kind, kind_words) = match ObjectType::try_from(d.remove_type) {
                    Ok(ObjectType::ObjectView) => (K::View, 1),
                    Ok(ObjectType::ObjectMatview) => (K::MaterializedView, 2),
                    Ok(ObjectType::ObjectSequence) => (K::Sequence, 1),
                    Ok(ObjectType::ObjectForeignTable) => (K::ForeignTable, 2),
                    Ok(ObjectType::ObjectFunction) => (K::Function, 1),
                    Ok(ObjectType::ObjectProcedure) => (K::Procedure, 1),
                    Ok(ObjectType::ObjectRoutine) => (K::Routine, 1),
                    Ok(ObjectType::ObjectAggregate) => (K::Aggregate, 1),
                    Ok(ObjectType::ObjectType) => (K::Type, 1),
                    Ok(ObjectType::ObjectDomain) => (K::Domain, 1),
                    Ok(ObjectType::ObjectExtension) => (K::Extension, 1),
                    _ => return,
                };
                let items = drop_items(stmt, kind_words);
                let cascade = DropBehavior::try_from(d.behavior) == Ok(DropBehavior::DropCascade);
                for (i, obj) in d.objects.iter().enumerate() {
                    let Some((names, args)) = object_name(obj) else {
                        continue;
                    };
                    let mut e = ObjectEvent::new(Drop, kind, &strs(&names), stmt);
                    e.args = args;
                    e.if_exists = d.missing_ok;
                    e.cascade = cascade;
                    if items.len() == d.objects.len() {
                        e.range = items[i];
                    }
                    self.push_object(e);
                }
            }
            NodeEnum::RenameStmt(r) => {
                let Ok(rename_type) = ObjectType::try_from(r.rename_type) else {
                    return;
                };
                let relation = || owned_names(&rel(&r.relation));
                let object = || r.object.as_deref().and_then(object_name);
                let (kind, names, args, parent) = match rename_type {
                    ObjectType::ObjectTable => (K::Table, relation(), None, None),
                    ObjectType::ObjectView => (K::View, relation(), None, None),
                    ObjectType::ObjectMatview => (K::MaterializedView, relation(), None, None),
                    ObjectType::ObjectSequence => (K::Sequence, relation(), None, None),
                    ObjectType::ObjectForeignTable => (K::ForeignTable, relation(), None, None),
                    ObjectType::ObjectFunction
                    | ObjectType::ObjectProcedure
                    | ObjectType::ObjectRoutine
                    | ObjectType::ObjectAggregate
                    | ObjectType::ObjectType
                    | ObjectType::ObjectDomain => {
                        let Some((names, args)) = object() else {
                            return;
                        };
                        let kind = match rename_type {
                            ObjectType::ObjectFunction => K::Function,
                            ObjectType::ObjectProcedure => K::Procedure,
                            ObjectType::ObjectRoutine => K::Routine,
                            ObjectType::ObjectAggregate => K::Aggregate,
                            ObjectType::ObjectType => K::Type,
                            _ => K::Domain,
                        };
                        (kind, owned_names(&names), args, None)
                    }
                    ObjectType::ObjectSchema => (K::Schema, vec![r.subname.clone()], None, None),
                    ObjectType::ObjectDatabase => {
                        (K::Database, vec![r.subname.clone()], None, None)
                    }
                    ObjectType::ObjectColumn | ObjectType::ObjectAttribute => {
                        let parent_kind = match ObjectType::try_from(r.relation_type) {
                            _ if rename_type == ObjectType::ObjectAttribute => K::Type,
                            Ok(ObjectType::ObjectView) => K::View,
                            Ok(ObjectType::ObjectMatview) => K::MaterializedView,
                            Ok(ObjectType::ObjectForeignTable) => K::ForeignTable,
                            _ => K::Table,
                        };
                        let parent = ast::relname(&r.relation).unwrap_or_default().to_string();
                        (
                            K::Column,
                            vec![r.subname.clone()],
                            None,
                            Some((parent_kind, parent)),
                        )
                    }
                    ObjectType::ObjectTabconstraint => {
                        let parent = ast::relname(&r.relation).unwrap_or_default().to_string();
                        (
                            K::Constraint,
                            vec![r.subname.clone()],
                            None,
                            Some((K::Table, parent)),
                        )
                    }
                    ObjectType::ObjectDomconstraint => {
                        let Some((names, _)) = object() else { return };
                        let parent = names.last().cloned().unwrap_or_default();
                        (
                            K::Constraint,
                            vec![r.subname.clone()],
                            None,
                            Some((K::Domain, parent)),
                        )
                    }
                    _ => return,
                };
                let mut e = ObjectEvent::new(Rename, kind, &strs(&names), stmt);
                e.new_name = r.newname.clone();
                e.args = args;
                e.if_exists = r.missing_ok;
                if let Some((kind, parent)) = parent {
                    e.parent_kind = Some(kind);
                    e.parent = parent;
                }
                self.push_object(e);
            }
            NodeEnum::AlterEnumStmt(a) if !a.old_val.is_empty() => {
                let type_names = ast::strings(&a.type_name);
                let mut e = ObjectEvent::new(Rename, K::EnumValue, &[a.old_val.as_str()], stmt);
                e.new_name = a.new_val.clone();
                e.parent = type_names
                    .last()
                    .map_or_else(String::new, |s| s.to_string());
                e.parent_kind = Some(K::Type);
                self.push_object(e);
            }
            NodeEnum::AlterTableStmt(a) => {
                let Some(table) = ast::relname(&a.relation) else {
                    return;
                };
                let location = a.relation.as_ref().map_or(-1, |r| r.location);
                for action in ast::alter_actions(a) {
                    let cmd = action.cmd;
                    let event = |action: ObjectAction, kind: ObjectKind, name: &str| {
                        let mut e = ObjectEvent::new(action, kind, &[name], stmt);
                        // In the table's schema.
                        e.schema = a
                            .relation
                            .as_ref()
                            .map_or_else(String::new, |r| r.schemaname.clone());
                        e.parent = table.to_string();
                        e.parent_kind = Some(K::Table);
                        e
                    };
                    let mut events = Vec::new();
                    match (action.kind, action.def) {
                        (AlterTableType::AtAddConstraint, Some(NodeEnum::Constraint(con)))
                            if !con.conname.is_empty() =>
                        {
                            events.push(event(Create, K::Constraint, &con.conname))
                        }
                        (AlterTableType::AtDropConstraint, _) => {
                            let mut e = event(Drop, K::Constraint, &cmd.name);
                            e.cascade = DropBehavior::try_from(cmd.behavior)
                                == Ok(DropBehavior::DropCascade);
                            events.push(e);
                        }
                        (AlterTableType::AtValidateConstraint, _) => {
                            events.push(event(Validate, K::Constraint, &cmd.name))
                        }
                        (AlterTableType::AtColumnDefault, def) => events.push(event(
                            if def.is_some() { Create } else { Drop },
                            K::Default,
                            &cmd.name,
                        )),
                        (AlterTableType::AtAddIdentity, _) => {
                            events.push(event(Create, K::Default, &cmd.name))
                        }
                        (AlterTableType::AtAddColumn, Some(NodeEnum::ColumnDef(col))) => {
                            let kinds: Vec<ConstrType> =
                                column_constraints(col).map(constr_type).collect();
                            let mut e = event(Create, K::Column, &col.colname);
                            e.not_null = col.is_not_null
                                || kinds.iter().any(|k| {
                                    matches!(
                                        k,
                                        ConstrType::ConstrNotnull | ConstrType::ConstrPrimary
                                    )
                                });
                            events.push(e);
                            let has_default = col.raw_default.is_some()
                                || !col.identity.is_empty()
                                || col.type_name.as_ref().is_some_and(ast::is_serial)
                                || kinds.iter().any(|k| {
                                    matches!(
                                        k,
                                        ConstrType::ConstrDefault
                                            | ConstrType::ConstrIdentity
                                            | ConstrType::ConstrGenerated
                                    )
                                });
                            if has_default {
                                events.push(event(Create, K::Default, &col.colname));
                            }
                        }
                        (AlterTableType::AtDropColumn, _) => {
                            events.push(event(Drop, K::Column, &cmd.name))
                        }
                        (AlterTableType::AtSetNotNull, _) => {
                            events.push(event(Create, K::NotNull, &cmd.name))
                        }
                        (AlterTableType::AtDropNotNull, _) => {
                            events.push(event(Drop, K::NotNull, &cmd.name))
                        }
                        _ => {}
                    }
                    for mut e in events {
                        e.if_exists = cmd.missing_ok;
                        e.range = stmt.action(location, action.index);
                        self.push_object(e);
                    }
                }
            }
            NodeEnum::AlterDomainStmt(a) => {
                let names = ast::strings(&a.type_name);
                let Some(domain) = names.last() else { return };
                let (action, kind, name) = match a.subtype.as_str() {
                    "T" if a.def.is_some() => (Create, K::Default, ""),
                    "T" => (Drop, K::Default, ""),
                    "O" => (Create, K::NotNull, ""),
                    "N" => (Drop, K::NotNull, ""),
                    "C" => {
                        let Some(NodeEnum::Constraint(con)) =
                            a.def.as_deref().and_then(|d| d.node.as_ref())
                        else {
                            return;
                        };
                        if con.conname.is_empty() {
                            return;
                        }
                        (Create, K::Constraint, con.conname.as_str())
                    }
                    "X" => (Drop, K::Constraint, a.name.as_str()),
                    "V" => (Validate, K::Constraint, a.name.as_str()),
                    _ => return,
                };
                let mut e = ObjectEvent::new(action, kind, &[name], stmt);
                e.parent = domain.to_string();
                // In the domain's schema.
                e.schema = names
                    .len()
                    .checked_sub(2)
                    .map_or_else(String::new, |i| names[i].to_string());
                e.parent_kind = Some(K::Domain);
                e.if_exists = a.missing_ok;
                e.cascade = DropBehavior::try_from(a.behavior) == Ok(DropBehavior::DropCascade);
                self.push_object(e);
            }
            _ => {}
        }
    }
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn owned_names(names: &[impl AsRef<str>]) -> Vec<String> {
    names.iter().map(|s| s.as_ref().to_string()).collect()
}

/// The qualified name of one object of a `DROP` or `ALTER ... RENAME`, and
/// the input argument types of a routine when they are listed.
fn object_name(node: &pg_query::protobuf::Node) -> Option<(Vec<String>, Option<Vec<String>>)> {
    match node.node.as_ref()? {
        NodeEnum::List(l) => Some((owned_names(&ast::strings(&l.items)), None)),
        NodeEnum::TypeName(t) => Some((owned_names(&ast::strings(&t.names)), None)),
        NodeEnum::String(s) => Some((vec![s.sval.clone()], None)),
        NodeEnum::ObjectWithArgs(o) => {
            let args = (!o.args_unspecified).then(|| {
                o.objargs
                    .iter()
                    .filter_map(|a| match &a.node {
                        Some(NodeEnum::TypeName(t)) => Some(format!(
                            "{}{}",
                            ast::type_name(t),
                            "[]".repeat(t.array_bounds.len())
                        )),
                        _ => None,
                    })
                    .collect()
            });
            Some((owned_names(&ast::strings(&o.objname)), args))
        }
        _ => None,
    }
}

/// How many arguments a call to a routine with these parameters may pass.
fn arity(parameters: &[pg_query::protobuf::Node]) -> (usize, usize) {
    use pg_query::protobuf::FunctionParameterMode as Mode;
    let (mut least, mut most) = (0usize, 0usize);
    for p in parameters {
        let Some(NodeEnum::FunctionParameter(p)) = &p.node else {
            continue;
        };
        match Mode::try_from(p.mode).unwrap_or(Mode::FuncParamDefault) {
            Mode::FuncParamOut | Mode::FuncParamTable => continue,
            Mode::FuncParamVariadic => most = usize::MAX,
            _ => most = most.saturating_add(1),
        }
        if p.defexpr.is_none() {
            least += 1;
        }
    }
    (least, most)
}

/// The spans of the comma-separated names of a `DROP` statement whose object
/// kind takes `kind_words` words (`VIEW`, `MATERIALIZED VIEW`), after
/// `IF EXISTS` and without `CASCADE` / `RESTRICT`.
fn drop_items(stmt: &Stmt, kind_words: usize) -> Vec<(usize, usize)> {
    let toks = stmt.tokens();
    let text = stmt.text;
    let is = |i: usize, kind: TokenKind, s: &str| {
        toks.get(i).is_some_and(|t| {
            t.kind == kind && t.depth == 0 && text[t.start..t.end].eq_ignore_ascii_case(s)
        })
    };
    let mut first = 1 + kind_words;
    if is(first, TokenKind::Word, "IF") && is(first + 1, TokenKind::Word, "EXISTS") {
        first += 2;
    }
    let mut end = toks.len();
    while end > first
        && (is(end - 1, TokenKind::Punct, ";")
            || is(end - 1, TokenKind::Word, "CASCADE")
            || is(end - 1, TokenKind::Word, "RESTRICT"))
    {
        end -= 1;
    }
    let mut items = Vec::new();
    let mut item = first;
    for i in first..end {
        if is(i, TokenKind::Punct, ",") {
            if i > item {
                items.push((toks[item].start, toks[i - 1].end));
            }
            item = i + 1;
        }
    }
    if item < end {
        items.push((toks[item].start, toks[end - 1].end));
    }
    items
        .into_iter()
        .map(|(a, b)| (stmt.start + a, stmt.start + b))
        .collect()
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
