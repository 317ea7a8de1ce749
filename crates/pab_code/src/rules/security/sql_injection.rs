//! SQL built by string formatting from request data or from a function's
//! arguments, reaching a call that runs it.

use crate::context::{Call, FileContext};
use crate::flow::Taint;
use crate::lang::Shape;
use crate::rule::{CodeRule, Reporter, ALL_LANGUAGES};
use crate::sinks::{self, Arg, QuerySink, SinkKind};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use tree_sitter::Node;

pub struct SqlInjection;

static META: RuleMeta = RuleMeta {
    id: "security/sql-injection",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Python,
    default_enabled: true,
    summary: "SQL built by string formatting from request data or function arguments reaches a query call.",
    docs: RuleDocs {
        what: "Reports a query call (DB-API `execute`, SQLAlchemy `text`, Django `raw`/`extra`/`RawSQL`, `knex.raw` and its `*Raw` clauses, `sequelize.query`, node-postgres/mysql2 `query`, Prisma `$queryRawUnsafe`, Go `database/sql`/sqlx `Query`/`Exec`..., gorm `Raw`/`Exec`/`Where`) whose SQL text is built by concatenation, f-strings, template literals, `%`, `.format`, `fmt.Sprintf` or `join` from request data (FastAPI handler parameters, `request.args`/`form`/`json`, Django `request.GET`/`POST`, Express `req.params`/`query`/`body`, gin `c.Param`/`Query`, net/http `r.URL.Query()`/`r.FormValue`), or from a function argument spliced into the query text. Values are followed through assignments, string building and calls of helper functions defined in the same file (`q = build_where(request.args[\"id\"])` is reported when `build_where` splices its argument into SQL, not when it escapes it, casts it to a number or ignores it). Python, JavaScript, TypeScript and Go. A query built only from constants, numbers or escaped values (quote doubling `replace(\"'\", \"''\")` included) is not reported, and neither is a parameterised call, a tagged template (sql`...`), or a database wrapper that splices its caller's whole statement (an argument named `sql`, `query`, `statement`, `operation`) into a larger one and runs it with the caller's bound values.",
        why: "Whoever controls the spliced text controls the query: one quote in a name field turns `WHERE name = '...'` into `WHERE name = '' OR '1'='1'`, or appends `; DROP TABLE users`. SQL injection reads, changes or deletes any data the database user can reach, and it is found by automated scanners within hours of deployment.",
        lock: "",
        bad: "@app.get(\"/users\")\ndef find_users(name: str, db=Depends(get_db)):\n    return db.execute(text(f\"SELECT * FROM users WHERE name = '{name}'\")).all()",
        good: "@app.get(\"/users\")\ndef find_users(name: str, db=Depends(get_db)):\n    return db.execute(text(\"SELECT * FROM users WHERE name = :name\"), {\"name\": name}).all()",
        fix: "Keep the SQL text constant and pass every value as a bound parameter: `%s` or `%(name)s` with DB-API, `:name` with SQLAlchemy `text`, `$1` with node-postgres and PostgreSQL drivers in Go, `?` with mysql2, knex, sqlite and gorm, `replacements` with Sequelize, the tagged `$queryRaw` with Prisma. A table or column name cannot be a parameter: pick it from a fixed allow-list (a dict or switch over the accepted names) instead of formatting the input into the query.",
    },
};

impl CodeRule for SqlInjection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn languages(&self) -> &'static [Language] {
        ALL_LANGUAGES
    }

    fn required_text(&self, language: Language) -> &'static [&'static [&'static str]] {
        match language {
            // The query calls' names (see `sinks::QUERY_SINKS`).
            Language::Python => &[&["execute", "text", "raw", "extra", "read_sql", "fetch"]],
            Language::Go => &[&[
                "Query", "Exec", "Prepare", "Select", "Get", "Raw", "Where", "Having", "Joins",
            ]],
            _ => &[&["query", "execute", "raw", "unsafe"]],
        }
    }

    fn check(&self, cx: &FileContext, out: &mut Reporter) {
        for call in cx.calls() {
            let Some((sink, arg)) = sinks::query_sink(cx, call) else {
                continue;
            };
            let value = cx.value(arg);
            if !value.is_injectable() {
                continue;
            }
            if wraps_callers_statement(cx, call, sink, arg) {
                continue;
            }
            // `execute` and `query` are common names: the text or the
            // receiver must say it is SQL.
            if sink.kind == SinkKind::Statement
                && !sinks::looks_like_sql(&value.text)
                && !sinks::database_receiver(cx, call)
            {
                continue;
            }
            let callee = cx.node_snippet(call.callee);
            let origin = cx.origin_snippet(&value);
            let message = match value.injected() {
                Taint::Request => format!(
                    "SQL built from request data (`{origin}`) reaches `{callee}`: whoever sends the request can rewrite the query"
                ),
                _ => format!(
                    "SQL built by splicing the argument `{origin}` into the query text reaches `{callee}`: any caller's input can rewrite the query"
                ),
            };
            out.report(cx, &META, arg, message, help(cx.lang.language()));
        }
    }
}

/// How many assignments a spliced value is followed back through.
const MAX_HOPS: u32 = 4;

/// A database wrapper splicing the statement its caller passed into a
/// larger one and running it with the caller's bound values, as a cursor
/// class's `execute(self, operation, parameters)` does with
/// `"DECLARE c CURSOR FOR " + operation`: the parameter is a whole SQL
/// statement, not a value, and the caller is who decides what is in it.
/// Every function argument spliced in must be named like a statement
/// (`sql`, `query`, `statement`, `stmt`, `operation`) and another argument
/// of the function must be passed along as the statement's parameters.
fn wraps_callers_statement<'t>(
    cx: &FileContext<'t>,
    call: &Call<'t>,
    sink: &QuerySink,
    arg: Node<'t>,
) -> bool {
    let Arg::Index(index) = sink.arg else {
        return false;
    };
    let passes_bound_values = call.args.iter().skip(index + 1).any(|&a| {
        let inner = if cx.is_identifier(a) {
            Some(a)
        } else {
            a.named_child(0) // `*args`, `args...`
        };
        inner.is_some_and(|i| cx.flow.is_parameter(i))
    });
    if !passes_bound_values {
        return false;
    }
    let mut spliced_statement = false;
    let mut stack = vec![(arg, 0)];
    while let Some((node, hops)) = stack.pop() {
        if cx.is_identifier(node) {
            if cx.value(node).taint < Taint::Parameter {
                continue;
            }
            if cx.flow.is_parameter(node) {
                if !statement_name(cx.text(node)) {
                    return false;
                }
                spliced_statement = true;
                continue;
            }
            match cx.flow.single_definition(node) {
                Some(def) if hops < MAX_HOPS => stack.push((def, hops + 1)),
                _ => return false,
            }
            continue;
        }
        match cx.lang.shape_of(node) {
            // `obj.name`: only the object is read as a variable.
            Shape::Member { object, .. } => {
                stack.extend(node.child_by_field_name(object).map(|o| (o, hops)));
            }
            _ if node.kind() == "keyword_argument" => {
                stack.extend(node.child_by_field_name("value").map(|v| (v, hops)));
            }
            _ => {
                let mut cursor = node.walk();
                stack.extend(node.named_children(&mut cursor).map(|c| (c, hops)));
            }
        }
    }
    spliced_statement
}

/// `operation`, `sql`, `raw_sql`, `query`, `stmt`, `statement`, `sqlQuery`.
fn statement_name(name: &str) -> bool {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in name.chars() {
        if (c == '_' || c.is_ascii_uppercase()) && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        if c != '_' {
            word.push(c.to_ascii_lowercase());
        }
    }
    words.push(word);
    words.iter().any(|w| {
        matches!(
            w.as_str(),
            "sql" | "query" | "statement" | "stmt" | "operation"
        )
    })
}

fn help(language: Language) -> &'static str {
    match language {
        Language::Python => "Keep the SQL constant and bind the values: `cursor.execute(\"... WHERE id = %s\", (user_id,))`, `text(\"... WHERE id = :id\")` with `{\"id\": user_id}`, `Model.objects.raw(\"... %s\", [user_id])`; choose table or column names from a fixed allow-list.",
        Language::Go => "Keep the SQL constant and pass the values as arguments: `db.QueryContext(ctx, \"... WHERE id = $1\", id)` (`?` for MySQL and SQLite), gorm `Raw(\"... ?\", id)` / `Where(\"name = ?\", name)`; choose table or column names from a fixed allow-list.",
        _ => "Keep the SQL constant and pass the values as bindings: `pool.query('... WHERE id = $1', [id])`, `knex.raw('... ?', [id])`, `sequelize.query('... :id', { replacements: { id } })`, Prisma's tagged `$queryRaw`; choose table or column names from a fixed allow-list.",
    }
}
