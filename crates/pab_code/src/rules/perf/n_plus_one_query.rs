//! A query per iteration of a loop (N+1): ORM and driver reads inside a
//! loop, keyed by the loop's item.

use crate::context::{Call, FileContext};
use crate::rule::{CodeRule, Reporter, ALL_LANGUAGES};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use std::collections::HashSet;
use tree_sitter::Node;

pub struct NPlusOneQuery;

static META: RuleMeta = RuleMeta {
    id: "perf/n-plus-one-query",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Python,
    default_enabled: true,
    summary: "A database query runs once per item of a loop (N+1 queries) instead of once for all items.",
    docs: RuleDocs {
        what: "Reports a database read inside a `for` loop (Python `for`, JavaScript/TypeScript `for...of`/`for...in` and `forEach`/`map`/`flatMap` callbacks, Go `for ... range`) whose arguments use the loop's item (the loop variable, or a name assigned inside the loop), so it runs once per item. Reads recognised: Django `Model.objects.get/filter/exclude/first/count/exists/...`, and, when the loop iterates a Django queryset without `prefetch_related`, related managers of the item (`order.items.all()`, `.count()`, `.filter()`), and without `select_related`/`prefetch_related`, foreign keys declared in the same file (`order.customer.name` when `customer = models.ForeignKey(...)`); SQLAlchemy `session.query/get/scalars/scalar` and `execute(select(...))`; DB-API and node-postgres/mysql2 `execute`/`query` with visible `SELECT` text; Prisma `findUnique/findFirst/findMany` (except `findUnique` in `map`/`forEach` callbacks, which Prisma batches); Sequelize, Mongoose and TypeORM `findOne/findByPk/findById/findAll/findOneBy/findBy/find` on a model or repository; gorm `First/Find/Take/Last/Scan/Pluck/Count` chains (in files that import gorm) and `database/sql`/sqlx `Query/QueryRow/Get/Select` on a database handle. Loops over literal lists and `range(n)` are not reported, nor are queries that do not depend on the item (those are loop-invariant, not N+1), nor writes (`create`, `save`, `INSERT`), nor a query the loop leaves right after (`return`, `raise`, `break`: it runs once), nor a driver query whose SQL text rather than its bound values changes with the item (a table name per iteration is a different statement each time, which no single query replaces). Test code (`tests/`, `test_*.py`, `*_test.go`, `*.spec.ts`...) is not checked.",
        why: "Each query is a round trip to the database: 1 query for the list plus 1 per row. With 500 orders on a page that is 501 queries and a second of latency that grows with the data, invisible in development with 5 rows and a database on localhost, and a load spike on the database in production.",
        lock: "",
        bad: "def order_report():\n    for order in Order.objects.filter(status=\"open\"):\n        customer = Customer.objects.get(pk=order.customer_id)\n        print(order.id, customer.name, order.items.count())",
        good: "def order_report():\n    orders = Order.objects.filter(status=\"open\").select_related(\"customer\").prefetch_related(\"items\")\n    for order in orders:\n        print(order.id, order.customer.name, len(order.items.all()))",
        fix: "Fetch everything the loop needs before it, in one query: Django `select_related` (foreign keys) / `prefetch_related` (reverse and many-to-many) or `in_bulk(ids)`; SQLAlchemy `selectinload`/`joinedload` or one `select(...).where(Model.id.in_(ids))`; Prisma `include` or `findMany({ where: { id: { in: ids } } })`; Sequelize `include` or `findAll({ where: { id: ids } })`; TypeORM relations or `findBy({ id: In(ids) })`; gorm `Preload` or `Where(\"id IN ?\", ids).Find(&rows)`; SQL `WHERE id = ANY($1)`. Then look the rows up in a map inside the loop.",
    },
};

/// Django queryset methods that run (or build) a read.
const DJANGO_READS: &[&str] = &[
    "get",
    "filter",
    "exclude",
    "first",
    "last",
    "count",
    "exists",
    "aggregate",
    "values",
    "values_list",
    "in_bulk",
    "latest",
    "earliest",
    "all",
    "get_queryset",
];
/// Related-manager methods that query.
const RELATED_READS: &[&str] = &[
    "all",
    "filter",
    "exclude",
    "count",
    "exists",
    "first",
    "last",
    "get",
    "values",
    "values_list",
    "aggregate",
    "order_by",
];
const SQLALCHEMY_READS: &[&str] = &["query", "get", "scalars", "scalar"];
const PRISMA_READS: &[&str] = &[
    "findUnique",
    "findUniqueOrThrow",
    "findFirst",
    "findFirstOrThrow",
    "findMany",
];
const MODEL_READS: &[&str] = &[
    "findOne",
    "findByPk",
    "findById",
    "findAll",
    "findOneBy",
    "findBy",
    "findOneOrFail",
    "findOneByOrFail",
    "findAndCountAll",
    "find",
];
const GORM_READS: &[&str] = &["First", "Find", "Take", "Last", "Scan", "Pluck", "Count"];
const GO_SQL_READS: &[&str] = &[
    "Query",
    "QueryContext",
    "QueryRow",
    "QueryRowContext",
    "Queryx",
    "QueryxContext",
    "QueryRowx",
    "QueryRowxContext",
];
const SQLX_READS: &[&str] = &["Get", "Select", "GetContext", "SelectContext"];

/// One loop: the names bound per iteration and the statements run per
/// iteration.
struct Loop<'t> {
    /// The collection iterated.
    iterable: Node<'t>,
    /// The loop variable(s).
    targets: Vec<&'t str>,
    /// The body: calls inside it run per iteration.
    body: Node<'t>,
    /// The function whose scope the body's calls are in.
    scope: Node<'t>,
    /// A `map`/`forEach` callback (runs concurrently when async).
    callback: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Orm {
    Django,
    SqlAlchemy,
    Driver,
    Prisma,
    Model,
    Gorm,
    GoSql,
}

impl CodeRule for NPlusOneQuery {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn languages(&self) -> &'static [Language] {
        ALL_LANGUAGES
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["for_statement", "for_in_statement", "attribute"]
    }

    fn required_text(&self, language: Language) -> &'static [&'static [&'static str]] {
        match language {
            // A loop, and a read: a model manager, a session, a driver.
            Language::Python => &[&["for"], &["objects", "session", "execute"]],
            Language::JavaScript | Language::TypeScript => &[&["for", "map"], &["find", "query"]],
            _ => &[&["for"]],
        }
    }

    fn checks_test_code(&self) -> bool {
        false
    }

    fn check(&self, cx: &FileContext, out: &mut Reporter) {
        if crate::names::is_test_path(&cx.file.path) {
            return;
        }
        let loops = loops(cx);
        if loops.is_empty() {
            return;
        }
        let calls = cx.calls();
        let fks = foreign_keys(cx);
        let mut reported = HashSet::new();
        for lp in &loops {
            let bound = bound_names(cx, lp);
            let django_qs = (cx.lang == crate::lang::Lang::Python)
                .then(|| django_queryset(cx, lp.iterable))
                .flatten();
            let start = calls.partition_point(|c| c.node.start_byte() < lp.body.start_byte());
            for call in calls[start..]
                .iter()
                .take_while(|c| c.node.start_byte() < lp.body.end_byte())
            {
                if cx.flow.scope_of(call.node).id() != lp.scope.id() {
                    continue;
                }
                let outer = cx.chain_top(call.node);
                if reported.contains(&outer.id()) {
                    continue;
                }
                let related = django_qs.is_some_and(|qs| !qs.prefetch)
                    && related_manager(cx, call, &lp.targets);
                let orm = if related {
                    Some(Orm::Django)
                } else {
                    read_call(cx, call, lp).filter(|orm| match orm {
                        // The same statement with the item's value bound
                        // each time. An item that only shapes the SQL text
                        // (a table or column name per iteration) makes a
                        // different statement each time, which no single
                        // query replaces: a schema walk, not N+1.
                        Orm::Driver => call
                            .args
                            .iter()
                            .skip(1)
                            .chain(call.keywords.iter().map(|(_, v)| v))
                            .any(|&a| depends_on(cx, a, &bound)),
                        _ => depends_on(cx, outer, &bound),
                    })
                };
                let Some(orm) = orm else { continue };
                if leaves_loop_after(cx, outer, lp) {
                    continue;
                }
                reported.insert(outer.id());
                out.report(
                    cx,
                    &META,
                    outer,
                    format!(
                        "`{}` runs a query on every iteration of the loop over `{}`: N items cost N+1 queries",
                        cx.node_snippet(outer),
                        cx.node_snippet(lp.iterable)
                    ),
                    help(orm),
                );
            }
            // `order.customer.name` with `customer` a foreign key of this
            // file's models, iterating a queryset that does not join it.
            if let Some(qs) = django_qs.filter(|qs| !qs.select && !qs.prefetch && !fks.is_empty()) {
                let _ = qs;
                for &attr in cx.nodes("attribute") {
                    if attr.start_byte() < lp.body.start_byte()
                        || attr.end_byte() > lp.body.end_byte()
                    {
                        continue;
                    }
                    let Some(obj) = attr
                        .child_by_field_name("object")
                        .filter(|o| o.kind() == "attribute")
                    else {
                        continue;
                    };
                    let (Some(base), Some(field)) = (
                        obj.child_by_field_name("object"),
                        obj.child_by_field_name("attribute"),
                    ) else {
                        continue;
                    };
                    if !lp.targets.contains(&cx.text(base)) || !fks.contains(cx.text(field)) {
                        continue;
                    }
                    if cx.flow.scope_of(attr).id() != lp.scope.id()
                        || leaves_loop_after(cx, obj, lp)
                        || !reported.insert(obj.id())
                    {
                        continue;
                    }
                    out.report(
                        cx,
                        &META,
                        obj,
                        format!(
                            "`{}` loads the foreign key `{}` with one query per row of `{}`, which does not `select_related` it",
                            cx.text(obj),
                            cx.text(field),
                            cx.node_snippet(lp.iterable)
                        ),
                        help(Orm::Django),
                    );
                }
            }
        }
    }
}

fn help(orm: Orm) -> &'static str {
    match orm {
        Orm::Django => "Load the related rows with the list: `select_related(\"customer\")` for foreign keys, `prefetch_related(\"items\")` for reverse and many-to-many relations, or `Model.objects.in_bulk(ids)` before the loop.",
        Orm::SqlAlchemy => "Load what the loop needs in one query before it: `selectinload`/`joinedload` options, or `select(Model).where(Model.id.in_(ids))` into a dict.",
        Orm::Driver => "Run one query for all items before the loop (`WHERE id = ANY(%s)` / `IN (...)` with the collected ids) and look rows up in a dict.",
        Orm::Prisma => "Use `include` on the list query, or one `findMany({ where: { id: { in: ids } } })` before the loop and a Map lookup inside it.",
        Orm::Model => "Use `include`/relations on the list query, or one `findAll({ where: { id: ids } })` / `findBy({ id: In(ids) })` before the loop and a Map lookup inside it.",
        Orm::Gorm => "Use `Preload(\"Customer\")` on the list query, or one `Where(\"id IN ?\", ids).Find(&rows)` before the loop and a map lookup inside it.",
        Orm::GoSql => "Run one query for all items before the loop (`WHERE id = ANY($1)` with the collected ids) and look rows up in a map.",
    }
}

/// Every loop of the file, with its targets and body.
fn loops<'t>(cx: &FileContext<'t>) -> Vec<Loop<'t>> {
    let mut out = Vec::new();
    for kind in ["for_statement", "for_in_statement"] {
        for &node in cx.nodes(kind) {
            let (left, right, body) = match cx.lang.language() {
                Language::Go => {
                    let mut c = node.walk();
                    let Some(range) = node
                        .named_children(&mut c)
                        .find(|n| n.kind() == "range_clause")
                    else {
                        continue;
                    };
                    (
                        range.child_by_field_name("left"),
                        range.child_by_field_name("right"),
                        node.child_by_field_name("body"),
                    )
                }
                _ => (
                    node.child_by_field_name("left"),
                    node.child_by_field_name("right"),
                    node.child_by_field_name("body"),
                ),
            };
            let (Some(left), Some(right), Some(body)) = (left, right, body) else {
                continue;
            };
            if literal_iterable(cx, right) {
                continue;
            }
            let mut targets = Vec::new();
            names_in(cx, left, &mut targets);
            // Go: `for i, o := range xs`: the index is not the item.
            if cx.lang.language() == Language::Go && left.named_child_count() == 2 {
                targets.remove(0);
            }
            targets.retain(|t| *t != "_");
            out.push(Loop {
                iterable: right,
                targets,
                body,
                scope: cx.flow.scope_of(node),
                callback: false,
            });
        }
    }
    if matches!(
        cx.lang.language(),
        Language::JavaScript | Language::TypeScript
    ) {
        for call in cx.calls() {
            if !matches!(call.name, "forEach" | "map" | "flatMap") {
                continue;
            }
            let (Some(receiver), Some(&func)) = (call.receiver, call.args.first()) else {
                continue;
            };
            if !matches!(
                func.kind(),
                "arrow_function" | "function_expression" | "function"
            ) || literal_iterable(cx, receiver)
            {
                continue;
            }
            let Some(body) = func.child_by_field_name("body") else {
                continue;
            };
            let first = func.child_by_field_name("parameter").or_else(|| {
                func.child_by_field_name("parameters")
                    .and_then(|p| p.named_child(0))
            });
            let mut targets = Vec::new();
            if let Some(first) = first {
                names_in(cx, first, &mut targets);
            }
            out.push(Loop {
                iterable: receiver,
                targets,
                body,
                scope: func,
                callback: true,
            });
        }
    }
    out
}

/// Whether the loop is left unconditionally once `node` has run: a
/// `return`, `raise`/`throw` or `break` follows it in one of the blocks
/// between it and the loop's body (`for ...: row = q(x); raise Error(row)`).
/// Such a query runs at most once, not once per item. A `break` that leaves
/// an inner loop and a `raise` that a `try` around it may catch do not
/// count, and a `return` in a `forEach`/`map` callback only ends one item.
fn leaves_loop_after(cx: &FileContext, node: Node, lp: &Loop) -> bool {
    if lp.callback {
        return false;
    }
    let mut at = node;
    // Exits seen so far that still leave the loop from here.
    let mut raise = false;
    let mut brk = false;
    let mut ret = false;
    while let Some(parent) = at.parent() {
        if parent.start_byte() < lp.body.start_byte() || parent.end_byte() > lp.body.end_byte() {
            break;
        }
        if cx.lang.is_block_node(parent) || parent.id() == lp.body.id() {
            let mut next = Some(at);
            while let Some(stmt) = next {
                match stmt.kind() {
                    "return_statement" => ret = true,
                    "raise_statement" | "throw_statement" => raise = true,
                    "break_statement" if stmt.named_child_count() == 0 => brk = true,
                    _ => {}
                }
                next = stmt.next_named_sibling();
            }
        }
        match parent.kind() {
            // An inner loop: its `break` stays inside it.
            "for_statement" | "for_in_statement" | "while_statement" | "do_statement" => {
                brk = false;
            }
            // Raised inside `try`: a handler may catch it and go on.
            "try_statement" if at.kind() == "block" || at.kind() == "statement_block" => {
                raise = false;
            }
            // Go: `switch`/`select` cases: `break` leaves the switch.
            "expression_switch_statement"
            | "type_switch_statement"
            | "select_statement"
            | "switch_statement" => brk = false,
            _ => {}
        }
        if parent.id() == lp.body.id() {
            break;
        }
        at = parent;
    }
    raise || brk || ret
}

/// A collection written in the source, `range(n)`, a string or a number:
/// its size is fixed by the code, not by the data.
fn literal_iterable(cx: &FileContext, node: Node) -> bool {
    match node.kind() {
        "list"
        | "tuple"
        | "set"
        | "dictionary"
        | "array"
        | "string"
        | "template_string"
        | "interpreted_string_literal"
        | "raw_string_literal"
        | "int_literal"
        | "number"
        | "composite_literal" => true,
        "call" => {
            let f = node.child_by_field_name("function").map(|f| cx.text(f));
            let arg = node
                .child_by_field_name("arguments")
                .and_then(|a| a.named_child(0));
            match f {
                Some("range") => true,
                Some("enumerate" | "sorted" | "reversed" | "zip") => {
                    arg.is_some_and(|a| literal_iterable(cx, a))
                }
                _ => false,
            }
        }
        _ => false,
    }
}

/// Identifiers a pattern binds (`o`, `(k, v)`, `{ id, name }`).
fn names_in<'t>(cx: &FileContext<'t>, node: Node<'t>, out: &mut Vec<&'t str>) {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "identifier" | "shorthand_property_identifier_pattern" => out.push(cx.text(n)),
            "type_annotation" | "default_value" => {}
            "pair_pattern" => stack.extend(n.child_by_field_name("value")),
            _ => {
                let mut c = n.walk();
                stack.extend(n.named_children(&mut c));
            }
        }
    }
    out.reverse();
}

/// The loop's targets and every name assigned in its body: values that
/// change per iteration.
fn bound_names<'t>(cx: &FileContext<'t>, lp: &Loop<'t>) -> HashSet<&'t str> {
    let mut names: HashSet<&'t str> = lp.targets.iter().copied().collect();
    let mut stack = vec![lp.body];
    while let Some(n) = stack.pop() {
        let left = match n.kind() {
            "assignment"
            | "assignment_expression"
            | "short_var_declaration"
            | "assignment_statement"
            | "augmented_assignment" => n.child_by_field_name("left"),
            "variable_declarator" => n.child_by_field_name("name"),
            "for_statement" | "for_in_statement" | "for_in_clause" => n.child_by_field_name("left"),
            "range_clause" => n.child_by_field_name("left"),
            _ => None,
        };
        if let Some(left) = left {
            let mut found = Vec::new();
            names_in(cx, left, &mut found);
            names.extend(found.into_iter().filter(|n| *n != "_"));
        }
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c));
    }
    names
}

/// Whether any identifier inside `node` is one of `names`.
fn depends_on(cx: &FileContext, node: Node, names: &HashSet<&str>) -> bool {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if matches!(n.kind(), "identifier" | "shorthand_property_identifier")
            && names.contains(cx.text(n))
        {
            return true;
        }
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c));
    }
    false
}

#[derive(Debug, Clone, Copy)]
struct Queryset {
    select: bool,
    prefetch: bool,
}

/// The Django queryset a loop iterates, if it is one: `Order.objects...`
/// directly or through a name assigned once.
fn django_queryset<'t>(cx: &FileContext<'t>, iterable: Node<'t>) -> Option<Queryset> {
    let mut node = iterable;
    for _ in 0..4 {
        let text = cx.text(node);
        if text.contains(".objects.") || text.ends_with(".objects") {
            return Some(Queryset {
                select: text.contains("select_related("),
                prefetch: text.contains("prefetch_related("),
            });
        }
        node = match node.kind() {
            "identifier" => cx.flow.single_definition(node)?,
            "call"
                if matches!(
                    node.child_by_field_name("function").map(|f| cx.text(f)),
                    Some("list" | "enumerate")
                ) =>
            {
                node.child_by_field_name("arguments")?.named_child(0)?
            }
            _ => return None,
        };
    }
    None
}

/// `o.items.all()` with `o` a loop target: a related manager's query.
fn related_manager(cx: &FileContext, call: &Call, targets: &[&str]) -> bool {
    if !RELATED_READS.contains(&call.name) {
        return false;
    }
    let Some(recv) = call.receiver.filter(|r| r.kind() == "attribute") else {
        return false;
    };
    let (Some(base), Some(attr)) = (
        recv.child_by_field_name("object"),
        recv.child_by_field_name("attribute"),
    ) else {
        return false;
    };
    let attr = cx.text(attr);
    targets.contains(&cx.text(base)) && attr != "objects" && !attr.starts_with('_')
}

/// Field names declared as `models.ForeignKey(...)` / `OneToOneField(...)`
/// in this file.
fn foreign_keys<'t>(cx: &FileContext<'t>) -> HashSet<&'t str> {
    let mut out = HashSet::new();
    if cx.lang.language() != Language::Python {
        return out;
    }
    for call in cx.calls() {
        if !matches!(call.name, "ForeignKey" | "OneToOneField") {
            continue;
        }
        let Some(assign) = call.node.parent().filter(|p| p.kind() == "assignment") else {
            continue;
        };
        if let Some(left) = assign
            .child_by_field_name("left")
            .filter(|l| l.kind() == "identifier")
        {
            out.insert(cx.text(left));
        }
    }
    out
}

/// The last segment of a receiver's text, lowercased: `self.db.session` -> `session`.
fn last_segment(cx: &FileContext, node: Node) -> String {
    let text = cx.text(node);
    text.rsplit(['.', '>'])
        .next()
        .unwrap_or(text)
        .trim_end_matches("()")
        .to_ascii_lowercase()
}

/// Whether a call reads from the database, and through which library.
fn read_call<'t>(cx: &FileContext<'t>, call: &Call<'t>, lp: &Loop<'t>) -> Option<Orm> {
    let recv = call.receiver?;
    let recv_text = cx.text(recv);
    let bare_target = |n: Option<&Node>| n.is_some_and(|a| lp.targets.contains(&cx.text(*a)));
    match cx.lang.language() {
        Language::Python => {
            // `Customer.objects.get(...)`: a model class's manager (a
            // variable model, as in generic validation code, loops over
            // schema, not rows).
            let model_manager = recv_text.strip_suffix(".objects").is_some_and(|m| {
                let model = m.rsplit('.').next().unwrap_or(m);
                model.starts_with(|c: char| c.is_ascii_uppercase())
            });
            if model_manager && DJANGO_READS.contains(&call.name) {
                return Some(Orm::Django);
            }
            let last = last_segment(cx, recv);
            let session = last == "session" || last.ends_with("_session");
            if SQLALCHEMY_READS.contains(&call.name) && session {
                return Some(Orm::SqlAlchemy);
            }
            if call.name == "execute" {
                let arg = call.args.first();
                if bare_target(arg) {
                    return None;
                }
                let arg = arg?;
                let select_stmt = cx.text(*arg).starts_with("select(");
                let sql_select = crate::sinks::starts_like_statement(&cx.value(*arg).text)
                    && cx
                        .value(*arg)
                        .text
                        .trim_start()
                        .to_ascii_lowercase()
                        .starts_with("select");
                if select_stmt && (session || crate::sinks::database_receiver(cx, call)) {
                    return Some(Orm::SqlAlchemy);
                }
                if sql_select && crate::sinks::database_receiver(cx, call) {
                    return Some(Orm::Driver);
                }
            }
            None
        }
        Language::JavaScript | Language::TypeScript => {
            if PRISMA_READS.contains(&call.name) && recv.kind() == "member_expression" {
                if lp.callback && call.name.starts_with("findUnique") {
                    return None; // batched by Prisma's dataloader
                }
                return Some(Orm::Prisma);
            }
            if MODEL_READS.contains(&call.name) {
                let last = cx.text(recv).rsplit('.').next().unwrap_or("");
                let lower = last.to_ascii_lowercase();
                let model = last.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                    && last.chars().any(|c| c.is_ascii_lowercase());
                let repository = lower.ends_with("repository")
                    || lower.ends_with("repo")
                    || cx.text(recv).starts_with("getRepository(")
                    || cx.text(recv).contains(".getRepository(");
                if (model && last != "Array" && last != "Object" && last != "Promise") || repository
                {
                    return Some(Orm::Model);
                }
            }
            if call.name == "query" && crate::sinks::database_receiver(cx, call) {
                let arg = call.args.first();
                if bare_target(arg) {
                    return None;
                }
                let text = cx.value(*arg?).text;
                if text.trim_start().to_ascii_lowercase().starts_with("select") {
                    return Some(Orm::Driver);
                }
            }
            None
        }
        Language::Go => {
            let handle = go_chain_handle(cx, call.node);
            if !go_database_handle(cx, handle) {
                return None;
            }
            let file = cx.file.text.as_str();
            if GORM_READS.contains(&call.name)
                && (file.contains("gorm.io/gorm") || file.contains("jinzhu/gorm"))
            {
                return Some(Orm::Gorm);
            }
            if handle.id() == recv.id()
                && (GO_SQL_READS.contains(&call.name)
                    || SQLX_READS.contains(&call.name) && file.contains("jmoiron/sqlx"))
            {
                return Some(Orm::GoSql);
            }
            None
        }
        _ => None,
    }
}

/// The handle a Go method chain starts from: `s.db` in `s.db.Where(...).First(&u)`.
fn go_chain_handle<'t>(cx: &FileContext<'t>, mut node: Node<'t>) -> Node<'t> {
    while node.kind() == "call_expression" {
        let Some(callee) = node
            .child_by_field_name("function")
            .filter(|f| f.kind() == "selector_expression")
        else {
            break;
        };
        let Some(operand) = callee.child_by_field_name("operand") else {
            break;
        };
        node = operand;
    }
    let _ = cx;
    node
}

/// `db`, `tx`, `conn`, `s.db`, `r.DB`, `sqlDB`, `pool`.
fn go_database_handle(cx: &FileContext, node: Node) -> bool {
    if !matches!(node.kind(), "identifier" | "selector_expression") {
        return false;
    }
    let last = last_segment(cx, node);
    matches!(
        last.as_str(),
        "db" | "tx" | "conn" | "database" | "pool" | "dbpool" | "sqldb" | "gormdb" | "orm"
    ) || (last.ends_with("db") && !last.ends_with("rdb") && !last.contains("redis"))
}
