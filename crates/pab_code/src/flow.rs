//! Light data flow: for any expression, what its value can be made of. Each function (and the module) is a scope; its local names
//! get the join of every value assigned to them anywhere in the function
//! (flow-insensitive, so branches and loops need no special case), computed
//! to a fixed point. Values carry where their text comes from:
//!
//! - [`Taint::Request`]: data from the HTTP request (FastAPI handler
//!   parameters, Flask/Django `request.args/form/json/GET/POST/body`,
//!   Express `req.params/query/body/headers`, gin `c.Param/Query/PostForm`,
//!   net/http `r.URL.Query()/r.FormValue`...);
//! - [`Taint::Parameter`]: an argument of the enclosing function, which any
//!   caller controls;
//! - [`Taint::Opaque`]: anything else we cannot see into (a call's result,
//!   an attribute);
//! - [`Taint::Benign`] and [`Taint::Constant`]: numbers, booleans, escaped
//!   values, and text written in the source.
//!
//! String building (concatenation, f-strings, template literals, `%`,
//! `.format`, `fmt.Sprintf`, `join`, `strings.Join`, appends to a list or a
//! `strings.Builder`) joins its parts and records in
//! [`Value::interpolated`] the worst part that was inserted *after* some
//! constant text: what distinguishes `"SELECT ... WHERE id = " + id` (a
//! value spliced into a query) from `sql + " LIMIT 10"` (a helper that
//! decorates the query its caller wrote).
//!
//! Calls are opaque, except calls of known library functions (the tables
//! below) and of *helpers*: functions defined once at the top of the same
//! file (Python `def`, JavaScript/TypeScript function declarations and
//! functions assigned to a name, Go `func`; not methods, not functions
//! nested in another), called by their plain name where nothing else
//! binds it. A helper's return value is summarised once per file, on the
//! first call evaluated, in terms of its parameters: each parameter is a
//! bit in [`Value::params`] (and [`Value::spliced`] when inserted after
//! constant text) rather than a taint, so the summary's own taint, text
//! and interpolation are what the helper adds. A call's value is the
//! summary with each parameter's bit replaced by the argument's value
//! (positional or keyword): `build_where(request.args["id"])` is request
//! data spliced into SQL when `build_where` returns `"... WHERE id = " +
//! v`, benign when it returns `"..." + str(int(v))` or escapes `v`,
//! constant when it ignores `v`, and an appending helper (`sql + " LIMIT
//! 10"`) splices nothing itself, as in its own scope. Helpers calling
//! helpers are followed [`SUMMARY_LEVELS`] deep (each summary uses the
//! next level's, so recursion ends); generators, variadic helpers,
//! splatted arguments and anything deeper stay opaque.
//!
//! Everything here is language-neutral: node kinds come from
//! [`crate::lang::Shape`], names of request APIs and string functions from
//! the tables below.

use crate::lang::{Lang, Shape};
use crate::literal::{self, Piece};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use tree_sitter::Node;

/// Where a value's text can come from, from harmless to attacker-controlled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Taint {
    /// Written in the source: literals and what is built only from them.
    Constant,
    /// Not constant but unable to carry syntax: numbers, booleans, lengths,
    /// escaped or quoted values.
    Benign,
    /// Unknown: a call's result, an attribute, a global.
    Opaque,
    /// An argument of the enclosing function.
    Parameter,
    /// Data from the HTTP request.
    Request,
}

/// Constant text kept per value, for keyword checks (does this look like
/// SQL?); longer text is cut.
const MAX_TEXT: usize = 512;

/// What an expression's value is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    /// The worst origin among all parts.
    pub taint: Taint,
    /// The worst origin among parts inserted after constant text by string
    /// building (and so spliced into it).
    pub interpolated: Taint,
    /// The request object itself (`request`, `req`, `r *http.Request`,
    /// `c *gin.Context`): not data, but its data members are.
    pub request_object: bool,
    /// Constant text of the value (its literals, in order, cut at a few
    /// hundred bytes).
    pub text: String,
    /// Host bytes of the expression the worst taint came from (the request
    /// access or the parameter), for messages.
    pub origin: Option<(usize, usize)>,
    /// While a helper's summary is computed: the helper's parameters (by
    /// position, one bit each) whose text flows into the value. Always
    /// empty elsewhere.
    params: u64,
    /// Of those, the parameters inserted after constant text.
    spliced: u64,
}

impl Value {
    fn of(taint: Taint) -> Value {
        Value {
            taint,
            interpolated: Taint::Constant,
            request_object: false,
            text: String::new(),
            origin: None,
            params: 0,
            spliced: 0,
        }
    }

    /// A number, a boolean, `None`: constant, no text.
    pub fn scalar() -> Value {
        Value::of(Taint::Constant)
    }

    pub fn constant(text: &str) -> Value {
        let mut v = Value::scalar();
        push_text(&mut v.text, text);
        v
    }

    pub fn benign() -> Value {
        Value::of(Taint::Benign)
    }

    pub fn opaque() -> Value {
        Value::of(Taint::Opaque)
    }

    fn tainted(taint: Taint, origin: (usize, usize)) -> Value {
        Value {
            origin: Some(origin),
            ..Value::of(taint)
        }
    }

    fn request_object() -> Value {
        Value {
            request_object: true,
            ..Value::opaque()
        }
    }

    /// The value is one of `self` or `other`.
    pub fn join(&mut self, other: &Value) {
        if other.taint > self.taint {
            self.taint = other.taint;
            self.origin = other.origin;
        } else if self.origin.is_none() && other.taint == self.taint {
            self.origin = other.origin;
        }
        self.interpolated = self.interpolated.max(other.interpolated);
        self.request_object |= other.request_object;
        self.params |= other.params;
        self.spliced |= other.spliced;
        if !other.text.is_empty() && !self.text.contains(other.text.as_str()) {
            if !self.text.is_empty() {
                push_text(&mut self.text, "\n");
            }
            push_text(&mut self.text, &other.text);
        }
    }

    /// The value as data, not as the request object it may be.
    fn data(mut self) -> Value {
        if self.request_object {
            self.request_object = false;
            self.taint = self.taint.min(Taint::Opaque);
        }
        self
    }

    /// Whether the value is dynamic text spliced into constant text, or
    /// request data used as it is: what makes a query or a command
    /// injectable.
    pub fn is_injectable(&self) -> bool {
        self.taint == Taint::Request || self.interpolated >= Taint::Parameter
    }

    /// The origin that makes the value injectable: request data, or a
    /// function parameter spliced into text.
    pub fn injected(&self) -> Taint {
        if self.taint == Taint::Request {
            Taint::Request
        } else {
            self.interpolated
        }
    }
}

fn push_text(text: &mut String, more: &str) {
    if text.len() >= MAX_TEXT {
        return;
    }
    let room = MAX_TEXT - text.len();
    let mut end = more.len().min(room);
    while !more.is_char_boundary(end) {
        end -= 1;
    }
    text.push_str(&more[..end]);
}

/// Concatenation in order: parts after constant text are interpolated.
fn concat(parts: impl IntoIterator<Item = Value>) -> Value {
    let mut out = Value::scalar();
    let mut seen_text = false;
    for part in parts {
        let part = part.data();
        if seen_text {
            out.interpolated = out.interpolated.max(part.taint);
            out.spliced |= part.params;
        }
        seen_text |= !part.text.is_empty();
        let text = std::mem::take(&mut out.text);
        let part_text = part.text.clone();
        out.join(&Value {
            text: String::new(),
            ..part
        });
        out.text = text;
        push_text(&mut out.text, &part_text);
    }
    out
}

/// A format string applied to arguments (`%`, `.format`, `fmt.Sprintf`):
/// every argument is spliced into the template's text, except a first
/// argument that the template starts with (`"%s LIMIT 10" % sql`).
fn format(template: Value, args: Vec<Value>) -> Value {
    let leading = ["%s", "%v", "%d", "{}", "{0}", "%(", "%+v", "%q"]
        .iter()
        .any(|p| template.text.starts_with(p));
    let mut out = template.data();
    for (i, arg) in args.into_iter().enumerate() {
        let arg = arg.data();
        if !(i == 0 && leading) {
            out.interpolated = out.interpolated.max(arg.taint);
            out.spliced |= arg.params;
        }
        let text = std::mem::take(&mut out.text);
        out.join(&Value {
            text: String::new(),
            ..arg
        });
        out.text = text;
    }
    out
}

/// Items joined with a separator (`", ".join(xs)`, `strings.Join(xs, sep)`):
/// the items' own value. The separator is glue, not a template: joining a
/// command's words or a query's conditions splices nothing into text the
/// function wrote (the template that receives the result does, if any).
fn join_items(items: Value, sep: &Value) -> Value {
    let mut v = items.data();
    v.join(sep);
    v
}

/// Names that are a request object wherever they are not bound otherwise
/// (Flask's global `request`), and parameters with these names.
const REQUEST_NAMES: &[&str] = &["request", "req"];

/// Types of parameters that are request objects.
const REQUEST_TYPES: &[&str] = &[
    "*http.Request",
    "*gin.Context",
    "echo.Context",
    "*fiber.Ctx",
    "fiber.Ctx",
    "Request",
    "express.Request",
    "FastifyRequest",
    "NextRequest",
    "HttpRequest",
];

/// Members of a request object that hold request data.
const REQUEST_DATA_MEMBERS: &[&str] = &[
    // Flask, Django, DRF, Starlette
    "args",
    "form",
    "values",
    "json",
    "data",
    "files",
    "cookies",
    "headers",
    "GET",
    "POST",
    "FILES",
    "COOKIES",
    "META",
    "body",
    "query_params",
    "path_params",
    "query_string",
    "url",
    // Express, Koa, Fastify
    "query",
    "params",
    "originalUrl",
    "path",
    "hostname",
    // Next.js
    "nextUrl",
    "searchParams",
    // net/http
    "URL",
    "Form",
    "PostForm",
    "MultipartForm",
    "Header",
    "Body",
    "RequestURI",
    "Host",
];

/// Methods of a request object that return request data.
const REQUEST_DATA_METHODS: &[&str] = &[
    "get_json",
    "get_data",
    "json",
    "form",
    "body",
    "param",
    "header",
    "FormValue",
    "PostFormValue",
    "PathValue",
    "Cookie",
    "Param",
    "Params",
    "Query",
    "DefaultQuery",
    "GetQuery",
    "QueryArray",
    "QueryMap",
    "PostForm",
    "DefaultPostForm",
    "GetPostForm",
    "PostFormArray",
    "GetHeader",
    "QueryParam",
    "QueryParams",
    "FormParams",
    "Body",
    "GetRawData",
];

/// Decorators of Python functions that make them HTTP handlers: their
/// parameters are request data (FastAPI path/query/body parameters, Flask
/// path parameters).
const ROUTE_DECORATORS: &[&str] = &[
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "options",
    "route",
    "api_route",
    "websocket",
];

/// NestJS parameter decorators: request data, and the request object.
const REQUEST_DATA_DECORATORS: &[&str] = &["Param", "Query", "Body", "Headers"];
const REQUEST_OBJECT_DECORATORS: &[&str] = &["Req", "Request"];

/// Words a parameter type may consist of for the parameter to be unable to
/// carry syntax (numbers, booleans, dates, UUIDs, and their optional forms).
const BENIGN_TYPE_WORDS: &[&str] = &[
    "int",
    "float",
    "bool",
    "complex",
    "Decimal",
    "decimal",
    "UUID",
    "uuid",
    "date",
    "datetime",
    "time",
    "timedelta",
    "Optional",
    "None",
    "typing",
    "number",
    "boolean",
    "bigint",
    "Date",
    "undefined",
    "null",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float32",
    "float64",
    "Time",
    "Duration",
    "PositiveInt",
    "NonNegativeInt",
    "StrictInt",
    "StrictBool",
    "conint",
];

/// Methods whose result is the receiver's text, transformed.
const TEXT_METHODS: &[&str] = &[
    "strip",
    "lstrip",
    "rstrip",
    "lower",
    "upper",
    "title",
    "capitalize",
    "casefold",
    "swapcase",
    "encode",
    "decode",
    "removeprefix",
    "removesuffix",
    "zfill",
    "ljust",
    "rjust",
    "center",
    "trim",
    "trimStart",
    "trimEnd",
    "toLowerCase",
    "toUpperCase",
    "toString",
    "slice",
    "substring",
    "substr",
    "padStart",
    "padEnd",
    "normalize",
    "valueOf",
    "repeat",
    "String",
    "filter",
    "sort",
    "reverse",
    "flat",
    "get",
    "getlist",
    "getAll",
    "Get",
];

/// Methods that add their argument to the receiver in place: the receiver
/// name is then also bound to the argument.
const APPEND_METHODS: &[&str] = &[
    "append",
    "extend",
    "insert",
    "add",
    "push",
    "unshift",
    "WriteString",
    "WriteByte",
    "WriteRune",
];

/// Functions whose result is the text of their first argument.
const TEXT_FUNCTIONS: &[&str] = &[
    "str",
    "repr",
    "String",
    "string",
    "sorted",
    "list",
    "tuple",
    "set",
    "reversed",
    "encodeURIComponent",
    "encodeURI",
    "decodeURIComponent",
    "dumps",
    "stringify",
    "ToLower",
    "ToUpper",
    "TrimSpace",
    "Trim",
    "TrimPrefix",
    "TrimSuffix",
    "Title",
    "Repeat",
    "Clone",
];

/// Functions whose result cannot carry syntax: numbers, lengths, booleans.
const BENIGN_FUNCTIONS: &[&str] = &[
    "int",
    "float",
    "len",
    "bool",
    "abs",
    "round",
    "ord",
    "hash",
    "id",
    "UUID",
    "Decimal",
    "Number",
    "parseInt",
    "parseFloat",
    "Boolean",
    "BigInt",
    "isNaN",
    "int64",
    "int32",
    "uint",
    "uint64",
    "float64",
    "Itoa",
    "Atoi",
    "FormatInt",
    "FormatUint",
    "FormatFloat",
    "FormatBool",
    "ParseInt",
    "ParseUint",
    "ParseFloat",
    "ParseBool",
    "count",
    "isdigit",
    "isnumeric",
];

/// Whether a function's name says it escapes or quotes its input for the
/// target language (`escape_string`, `quote_ident`, `shlex.quote`,
/// `escapeLiteral`): its result is trusted as benign.
fn is_sanitizer(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["escape", "quote", "sanitiz"]
        .iter()
        .any(|w| lower.contains(w))
}

/// How an assignment binds a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BindKind {
    /// `x = v`
    Set,
    /// `x += v`, `x.append(v)`, `sb.WriteString(v)`
    Append,
    /// `for x in v`
    Element,
}

#[derive(Debug, Clone, Copy)]
struct Binding<'t> {
    name: &'t str,
    value: Node<'t>,
    kind: BindKind,
}

/// One function's (or the module's) names and what they hold.
struct Scope<'t> {
    /// The function (or the root) this is the scope of.
    node_id: usize,
    /// How many levels of helper summaries calls evaluated here may use
    /// ([`SUMMARY_LEVELS`] in ordinary scopes, fewer inside a summary).
    level: u32,
    parent: Option<Node<'t>>,
    bound: HashSet<&'t str>,
    params: HashSet<&'t str>,
    bindings: Vec<Binding<'t>>,
    env: HashMap<&'t str, Value>,
}

/// The data flow of one file, computed per scope on first use.
pub struct Flow<'t> {
    lang: Lang,
    src: &'t str,
    root: Node<'t>,
    scopes: RefCell<HashMap<usize, Rc<Scope<'t>>>>,
    /// The scope of nodes whose ancestors a walk already saw (by node id).
    known_scopes: RefCell<HashMap<usize, Node<'t>>>,
    /// Functions defined at the top of the file (not methods, not nested
    /// in another function) by name; `None` for a name defined twice.
    /// Collected on the first call that may be to one.
    helpers: RefCell<Option<HashMap<&'t str, Option<Node<'t>>>>>,
    /// Return-value summaries of helpers, by function node id and level.
    summaries: RefCell<HashMap<(usize, u32), Memo<'t>>>,
}

/// What a helper returns, in terms of its parameters: `value` is its
/// return value with each parameter standing for nothing but a bit in
/// [`Value::params`] (and [`Value::spliced`] when inserted after constant
/// text), so that its taint, interpolation and text say what the helper
/// itself adds.
struct Summary<'t> {
    value: Value,
    /// Parameter names and their positions, for keyword arguments.
    names: Vec<(&'t str, usize)>,
}

/// A summary computed (`None`: the helper is not summarised, or is being
/// summarised).
type Memo<'t> = Option<Rc<Summary<'t>>>;

/// How many helpers deep a call's value is followed (a helper calling a
/// helper calling a helper); deeper calls, and recursion past that, are
/// opaque.
const SUMMARY_LEVELS: u32 = 3;

/// The value of a call to a helper whose summary is `summary`, given the
/// values of the arguments at each parameter position (`None`: not
/// passed, or not known): the helper's own parts, joined with each
/// argument whose parameter flows into the result, spliced where the
/// parameter was spliced.
fn instantiate(summary: &Value, args: &[Option<Value>]) -> Value {
    let mut out = Value {
        params: 0,
        spliced: 0,
        ..summary.clone()
    };
    for i in 0..64 {
        let bit = 1u64 << i;
        if summary.params & bit == 0 {
            continue;
        }
        let arg = match args.get(i) {
            Some(Some(v)) => v.clone().data(),
            _ => Value::opaque(),
        };
        if summary.spliced & bit != 0 {
            out.interpolated = out.interpolated.max(arg.taint);
            out.spliced |= arg.params;
        }
        out.join(&arg);
    }
    out
}

/// How deep expression evaluation goes before giving up (as opaque): keeps
/// the stack bounded on pathological nesting.
const MAX_DEPTH: u32 = 48;

/// Operands of one `+` chain read one by one.
const MAX_PARTS: usize = 256;

/// Fixed-point rounds per scope; values only grow, so a few suffice for
/// real code, and the cap bounds pathological chains.
const MAX_ROUNDS: usize = 6;

impl<'t> Flow<'t> {
    pub fn new(lang: Lang, src: &'t str, root: Node<'t>) -> Flow<'t> {
        Flow {
            lang,
            src,
            root,
            scopes: RefCell::new(HashMap::new()),
            known_scopes: RefCell::new(HashMap::new()),
            helpers: RefCell::new(None),
            summaries: RefCell::new(HashMap::new()),
        }
    }

    /// Records that `node` is evaluated in `scope`, as found by a walk of
    /// the tree that knows each node's ancestors. [`Self::scope_of`] stops
    /// climbing at such a node: `Node::parent` searches down from the root,
    /// so a climb costs the square of the depth, and the calls (parents of
    /// most expressions rules ask about) are all recorded by the one walk
    /// in `FileContext::new`.
    pub fn remember_scope(&self, node: Node<'t>, scope: Node<'t>) {
        self.known_scopes.borrow_mut().insert(node.id(), scope);
    }

    fn text(&self, node: Node) -> &'t str {
        self.src.get(node.byte_range()).unwrap_or("")
    }

    fn is_function(&self, node: Node) -> bool {
        self.lang.shape_of(node) == Shape::Function
    }

    /// The function (or the module) whose scope `node` is evaluated in.
    pub fn scope_of(&self, node: Node<'t>) -> Node<'t> {
        let known = self.known_scopes.borrow();
        if let Some(&scope) = known.get(&node.id()) {
            return scope;
        }
        let mut at = node.parent();
        while let Some(n) = at {
            if self.is_function(n) {
                return n;
            }
            if let Some(&scope) = known.get(&n.id()) {
                return scope;
            }
            at = n.parent();
        }
        self.root
    }

    /// What the expression `node` can be made of.
    pub fn value(&self, node: Node<'t>) -> Value {
        let scope_node = self.scope_of(node);
        let scope = self.scope(scope_node);
        Eval {
            flow: self,
            scope: &scope,
            locals: Vec::new(),
            depth: 0,
        }
        .eval(node)
    }

    /// The expression assigned to the identifier `node`, when its scope
    /// assigns it exactly once (and it is no parameter): `q` in
    /// `q = "SELECT 1"; cursor.execute(q)`.
    pub fn single_definition(&self, node: Node<'t>) -> Option<Node<'t>> {
        if self.lang.shape_of(node) != Shape::Identifier {
            return None;
        }
        let name = self.text(node);
        let mut scope_node = self.scope_of(node);
        loop {
            let scope = self.scope(scope_node);
            if scope.bound.contains(name) {
                if scope.params.contains(name) {
                    return None;
                }
                let mut defs = scope.bindings.iter().filter(|b| b.name == name);
                let first = defs.next()?;
                return (first.kind == BindKind::Set && defs.next().is_none())
                    .then_some(first.value);
            }
            scope_node = scope.parent?;
        }
    }

    /// Whether the identifier `node` is a parameter of the function it is
    /// read in (or of an enclosing one), never reassigned there.
    pub fn is_parameter(&self, node: Node<'t>) -> bool {
        if self.lang.shape_of(node) != Shape::Identifier {
            return false;
        }
        let name = self.text(node);
        let mut scope_node = self.scope_of(node);
        loop {
            let scope = self.scope(scope_node);
            if scope.bound.contains(name) {
                return scope.params.contains(name)
                    && !scope.bindings.iter().any(|b| b.name == name);
            }
            match scope.parent {
                Some(parent) => scope_node = parent,
                None => return false,
            }
        }
    }

    /// The scope of a function node (or the root), computed with its
    /// enclosing scopes first, outermost first, so that no computation
    /// recurses into another.
    fn scope(&self, node: Node<'t>) -> Rc<Scope<'t>> {
        if let Some(s) = self.scopes.borrow().get(&node.id()) {
            return Rc::clone(s);
        }
        let mut chain = vec![node];
        let mut at = node;
        while at.id() != self.root.id() {
            at = self.scope_of(at);
            if self.scopes.borrow().contains_key(&at.id()) {
                break;
            }
            chain.push(at);
        }
        for &n in chain.iter().rev() {
            if self.scopes.borrow().contains_key(&n.id()) {
                continue;
            }
            let scope = Rc::new(self.compute_scope(n));
            self.scopes.borrow_mut().insert(n.id(), scope);
        }
        let scopes = self.scopes.borrow();
        Rc::clone(&scopes[&node.id()])
    }

    fn compute_scope(&self, node: Node<'t>) -> Scope<'t> {
        let parent = (node.id() != self.root.id()).then(|| self.scope_of(node));
        let params = if node.id() == self.root.id() {
            Vec::new()
        } else {
            self.params(node)
                .into_iter()
                .map(|(name, value, _)| (name, value))
                .collect()
        };
        self.compute_scope_with(node, parent, params, SUMMARY_LEVELS)
    }

    fn compute_scope_with(
        &self,
        node: Node<'t>,
        parent: Option<Node<'t>>,
        params: Vec<(&'t str, Value)>,
        level: u32,
    ) -> Scope<'t> {
        let bindings = self.bindings(node);
        let mut scope = Scope {
            node_id: node.id(),
            level,
            parent,
            bound: HashSet::new(),
            params: params.iter().map(|(n, _)| *n).collect(),
            bindings,
            env: HashMap::new(),
        };
        scope.bound.extend(scope.params.iter().copied());
        scope.bound.extend(scope.bindings.iter().map(|b| b.name));
        let initial: HashMap<&'t str, Value> = params.into_iter().collect();
        scope.env = initial.clone();
        for _ in 0..MAX_ROUNDS {
            let mut next = initial.clone();
            for b in &scope.bindings {
                let v = Eval {
                    flow: self,
                    scope: &scope,
                    locals: Vec::new(),
                    depth: 0,
                }
                .eval(b.value);
                let v = match b.kind {
                    BindKind::Set => v,
                    BindKind::Append => {
                        let mut v = v.data();
                        v.interpolated = v.interpolated.max(v.taint);
                        v.spliced |= v.params;
                        v
                    }
                    BindKind::Element => v.data(),
                };
                match next.get_mut(b.name) {
                    Some(old) => old.join(&v),
                    None => {
                        next.insert(b.name, v);
                    }
                }
            }
            if next == scope.env {
                break;
            }
            scope.env = next;
        }
        scope
    }

    /// The function a plain call `name(...)` calls, when the file defines
    /// exactly one top-level function of that name (not a method, not a
    /// function nested in another).
    fn helper(&self, name: &str) -> Option<Node<'t>> {
        let mut helpers = self.helpers.borrow_mut();
        let map = helpers.get_or_insert_with(|| self.collect_helpers());
        map.get(name).copied().flatten()
    }

    fn collect_helpers(&self) -> HashMap<&'t str, Option<Node<'t>>> {
        let mut out: HashMap<&'t str, Option<Node<'t>>> = HashMap::new();
        let mut add = |name: &'t str, func: Node<'t>| {
            out.entry(name)
                .and_modify(|f| *f = None)
                .or_insert(Some(func));
        };
        let mut stack = vec![self.root];
        while let Some(node) = stack.pop() {
            if self.is_function(node) {
                if matches!(
                    node.kind(),
                    "function_definition"
                        | "function_declaration"
                        | "generator_function_declaration"
                ) {
                    if let Some(name) = node.child_by_field_name("name") {
                        add(self.text(name), node);
                    }
                }
                continue;
            }
            match self.lang.shape_of(node) {
                // Class bodies hold methods; calls hold callbacks.
                Shape::Call => continue,
                _ if node.kind().contains("class") => continue,
                Shape::Declarator { name, value }
                | Shape::Assignment {
                    left: name,
                    right: value,
                } => {
                    if let (Some(n), Some(v)) = (
                        node.child_by_field_name(name),
                        node.child_by_field_name(value),
                    ) {
                        if self.lang.shape_of(n) == Shape::Identifier && self.is_function(v) {
                            add(self.text(n), v);
                        }
                    }
                }
                _ => {}
            }
            let mut cursor = node.walk();
            stack.extend(node.named_children(&mut cursor));
        }
        out
    }

    /// The summary of `func`'s return value, letting the calls in it use
    /// summaries of `level - 1` levels. Memoised; a summary being computed
    /// reads as none, which with the decreasing level bounds recursion.
    fn summary(&self, func: Node<'t>, level: u32) -> Memo<'t> {
        let key = (func.id(), level);
        if let Some(s) = self.summaries.borrow().get(&key) {
            return s.clone();
        }
        self.summaries.borrow_mut().insert(key, None);
        let s = self.compute_summary(func, level).map(Rc::new);
        self.summaries.borrow_mut().insert(key, s.clone());
        s
    }

    fn compute_summary(&self, func: Node<'t>, level: u32) -> Option<Summary<'t>> {
        if level == 0 {
            return None;
        }
        let body = func.child_by_field_name("body")?;
        // Each parameter stands for a bit; the request object stays what it
        // is, and so does one that cannot carry syntax (typed as a number)
        // in Go, where the type is enforced. A Python or TypeScript hint
        // (`uid: int`, `id: number`) does not stop a caller passing text.
        let types_enforced = self.lang == Lang::Go;
        let mut names = Vec::new();
        let mut params = Vec::new();
        for (name, value, index) in self.params(func) {
            if index >= 64 {
                return None;
            }
            names.push((name, index));
            let typed_benign = types_enforced && value.taint <= Taint::Benign;
            let value = if value.request_object || typed_benign {
                value
            } else {
                Value {
                    params: 1 << index,
                    ..Value::scalar()
                }
            };
            params.push((name, value));
        }
        // `*args`, `...rest`, `xs ...string`: positions do not map.
        if let Some(list) = func.child_by_field_name("parameters") {
            let mut cursor = list.walk();
            let variadic = list.named_children(&mut cursor).any(|c| {
                if c.kind() == "keyword_separator" {
                    return false; // a bare `*`: keyword-only parameters follow
                }
                let t = self.text(c);
                t.starts_with('*') || t.starts_with("...") || c.kind().starts_with("variadic")
            });
            if variadic {
                return None;
            }
        }
        // The module scope, unless it is being computed (then its names
        // read as unknown).
        let root_ready = self.scopes.borrow().contains_key(&self.root.id());
        let parent = root_ready.then_some(self.root);
        let scope = self.compute_scope_with(func, parent, params, level - 1);
        let mut returned: Vec<Node<'t>> = Vec::new();
        if matches!(body.kind(), "block" | "statement_block") {
            let mut stack = vec![body];
            while let Some(node) = stack.pop() {
                match node.kind() {
                    // A generator's result is not what it returns.
                    "yield" | "yield_expression" => return None,
                    "return_statement" => {
                        let mut cursor = node.walk();
                        for child in node.named_children(&mut cursor) {
                            if child.kind() == "expression_list" {
                                let mut c = child.walk();
                                returned.extend(child.named_children(&mut c));
                            } else if child.kind() != "comment" {
                                returned.push(child);
                            }
                        }
                    }
                    _ if self.is_function(node) => continue,
                    _ => {}
                }
                let mut cursor = node.walk();
                stack.extend(node.named_children(&mut cursor));
            }
        } else {
            returned.push(body); // `(v) => ...`, `lambda v: ...`
        }
        let mut eval = Eval {
            flow: self,
            scope: &scope,
            locals: Vec::new(),
            depth: 0,
        };
        let mut value = Value::scalar();
        for r in returned {
            let v = eval.eval(r).data();
            value.join(&v);
        }
        Some(Summary { value, names })
    }

    /// The parameters of a function with their initial values and
    /// positions.
    fn params(&self, func: Node<'t>) -> Vec<(&'t str, Value, usize)> {
        let handler = self.is_route_handler(func);
        let mut out = Vec::new();
        let list = func
            .child_by_field_name("parameters")
            .or_else(|| func.child_by_field_name("parameter"));
        let Some(list) = list else {
            return out;
        };
        let mut items = Vec::new();
        if self.lang.shape_of(list) == Shape::Identifier {
            items.push(list);
        } else {
            let mut cursor = list.walk();
            items.extend(
                list.named_children(&mut cursor)
                    .filter(|c| c.kind() != "comment"),
            );
        }
        // Positions count names, not declarations: Go's `(col, val string)`
        // is two parameters; Python's `/` and `*` separators are none.
        let mut position = 0;
        for item in items {
            if matches!(item.kind(), "positional_separator" | "keyword_separator") {
                continue;
            }
            let ty = item
                .child_by_field_name("type")
                .map(|t| self.text(t).trim_start_matches(':').trim());
            let default = item
                .child_by_field_name("value")
                .or_else(|| item.child_by_field_name("right"));
            let decorators: Vec<&str> = {
                let mut cursor = item.walk();
                item.named_children(&mut cursor)
                    .filter(|c| c.kind() == "decorator")
                    .map(|d| decorator_name(self.text(d)))
                    .collect()
            };
            let mut names = Vec::new();
            let pattern = item
                .child_by_field_name("pattern")
                .or_else(|| item.child_by_field_name("left"))
                .or_else(|| item.child_by_field_name("name"));
            let declaration = matches!(
                item.kind(),
                "parameter_declaration" | "variadic_parameter_declaration"
            );
            if declaration {
                let mut cursor = item.walk();
                names.extend(
                    item.children_by_field_name("name", &mut cursor)
                        .map(|n| self.text(n)),
                );
            } else {
                self.targets(pattern.unwrap_or(item), &mut names);
            }
            // Go's grouped names are whole parameters each; a pattern's
            // names share its one argument.
            let destructured = !declaration
                && (names.len() > 1 || pattern.is_some_and(|p| p.named_child_count() > 0));
            let first = position;
            position += if declaration { names.len().max(1) } else { 1 };
            for (i, name) in names.into_iter().enumerate() {
                let index = if declaration { first + i } else { first };
                let value = self.param_value(ParamInfo {
                    index,
                    name,
                    ty,
                    default,
                    decorators: &decorators,
                    handler,
                    destructured,
                    node: item,
                });
                out.push((name, value, index));
            }
        }
        out
    }

    fn param_value(&self, p: ParamInfo<'_, 't>) -> Value {
        // Messages name the parameter, not its whole declaration.
        let declared = self.text(p.node);
        let origin = match declared.find(p.name) {
            Some(at) => (
                p.node.start_byte() + at,
                p.node.start_byte() + at + p.name.len(),
            ),
            None => (p.node.start_byte(), p.node.end_byte()),
        };
        if self.lang == Lang::Python && p.index == 0 && matches!(p.name, "self" | "cls") {
            return Value::opaque();
        }
        if p.decorators
            .iter()
            .any(|d| REQUEST_OBJECT_DECORATORS.contains(d))
        {
            return Value::request_object();
        }
        if p.decorators
            .iter()
            .any(|d| REQUEST_DATA_DECORATORS.contains(d))
        {
            return Value::tainted(Taint::Request, origin);
        }
        let request_typed = p.ty.is_some_and(|t| REQUEST_TYPES.contains(&t));
        if (request_typed || (REQUEST_NAMES.contains(&p.name) && self.lang != Lang::Go))
            && !p.destructured
        {
            return Value::request_object();
        }
        if p.ty.is_some_and(is_benign_type) {
            return Value::benign();
        }
        if p.handler {
            let injected = p.default.is_some_and(|d| {
                let text = self.text(d);
                text.starts_with("Depends(") || text.starts_with("Security(")
            });
            return if injected {
                Value::opaque()
            } else {
                Value::tainted(Taint::Request, origin)
            };
        }
        Value::tainted(Taint::Parameter, origin)
    }

    /// Whether a Python function is decorated as an HTTP route
    /// (`@app.get(...)`, `@router.post(...)`, `@bp.route(...)`).
    pub fn is_route_handler(&self, func: Node) -> bool {
        if self.lang != Lang::Python {
            return false;
        }
        let Some(parent) = func.parent().filter(|p| p.kind() == "decorated_definition") else {
            return false;
        };
        let mut cursor = parent.walk();
        let decorators: Vec<_> = parent
            .named_children(&mut cursor)
            .filter(|c| c.kind() == "decorator")
            .collect();
        decorators.into_iter().any(|d| {
            let text = self.text(d).trim_start_matches('@');
            let callee = text.split('(').next().unwrap_or("");
            callee.contains('.')
                && ROUTE_DECORATORS.contains(&callee.rsplit('.').next().unwrap_or(""))
        })
    }

    /// Names a pattern binds: `x`, `a, b`, `{ id, name: n }`, `[a, ...rest]`.
    fn targets(&self, node: Node<'t>, out: &mut Vec<&'t str>) {
        self.targets_within(node, out, 0);
    }

    fn targets_within(&self, node: Node<'t>, out: &mut Vec<&'t str>, depth: u32) {
        if depth > MAX_DEPTH {
            return;
        }
        match self.lang.shape_of(node) {
            Shape::Identifier => out.push(self.text(node)),
            Shape::Member { .. } | Shape::Subscript { .. } | Shape::Call => {}
            _ => {
                if node.kind() == "pair_pattern" {
                    if let Some(v) = node.child_by_field_name("value") {
                        self.targets_within(v, out, depth + 1);
                    }
                    return;
                }
                if let Some(left) = node.child_by_field_name("left").filter(|_| {
                    matches!(
                        node.kind(),
                        "object_assignment_pattern" | "assignment_pattern"
                    )
                }) {
                    self.targets_within(left, out, depth + 1);
                    return;
                }
                let mut cursor = node.walk();
                let children: Vec<_> = node.named_children(&mut cursor).collect();
                for child in children {
                    if child.kind() == "type_annotation" || child.kind() == "type" {
                        continue;
                    }
                    self.targets_within(child, out, depth + 1);
                }
            }
        }
    }

    /// Every binding in a scope's own body (nested functions have theirs).
    fn bindings(&self, scope: Node<'t>) -> Vec<Binding<'t>> {
        let mut out = Vec::new();
        let mut stack = Vec::new();
        let mut cursor = scope.walk();
        stack.extend(scope.named_children(&mut cursor).filter(|c| {
            !matches!(
                c.kind(),
                "parameters" | "formal_parameters" | "parameter_list"
            )
        }));
        while let Some(node) = stack.pop() {
            if self.is_function(node) {
                continue;
            }
            self.binding(node, &mut out);
            let mut cursor = node.walk();
            stack.extend(node.named_children(&mut cursor));
        }
        // The walk is depth-first from the end; file order reads better in
        // tests and does not change the fixed point.
        out.reverse();
        out
    }

    fn binding(&self, node: Node<'t>, out: &mut Vec<Binding<'t>>) {
        let mut bind = |targets: Node<'t>, value: Node<'t>, kind: BindKind| {
            self.bind_pattern(targets, value, kind, out, 0);
        };
        match self.lang.shape_of(node) {
            Shape::Assignment { left, right } => {
                if let (Some(l), Some(r)) = (
                    node.child_by_field_name(left),
                    node.child_by_field_name(right),
                ) {
                    bind(l, r, BindKind::Set);
                }
            }
            Shape::AugmentedAssignment { left, right } => {
                let (Some(l), Some(r)) = (
                    node.child_by_field_name(left),
                    node.child_by_field_name(right),
                ) else {
                    return;
                };
                let op = node
                    .child_by_field_name("operator")
                    .map_or("", |o| self.text(o));
                let kind = match op {
                    "=" => BindKind::Set,
                    "+=" => BindKind::Append,
                    _ => BindKind::Set,
                };
                bind(l, r, kind);
            }
            Shape::Declarator { name, value } => {
                let Some(v) = node.child_by_field_name(value) else {
                    return;
                };
                let mut cursor = node.walk();
                let names: Vec<_> = node.children_by_field_name(name, &mut cursor).collect();
                if names.len() == 1 {
                    bind(names[0], v, BindKind::Set);
                } else {
                    let mut cursor = v.walk();
                    let values: Vec<_> = v.named_children(&mut cursor).collect();
                    for (i, n) in names.into_iter().enumerate() {
                        let value = if values.len() > 1 {
                            values.get(i).copied()
                        } else {
                            Some(v)
                        };
                        if let Some(value) = value {
                            bind(n, value, BindKind::Set);
                        }
                    }
                }
            }
            Shape::ForIn { left, right } => {
                if let (Some(l), Some(r)) = (
                    node.child_by_field_name(left),
                    node.child_by_field_name(right),
                ) {
                    bind(l, r, BindKind::Element);
                }
            }
            Shape::Call => {
                let Some(callee) = node.child_by_field_name("function") else {
                    return;
                };
                let Shape::Member { object, property } = self.lang.shape_of(callee) else {
                    return;
                };
                let (Some(receiver), Some(method)) = (
                    callee.child_by_field_name(object),
                    callee.child_by_field_name(property),
                ) else {
                    return;
                };
                if !APPEND_METHODS.contains(&self.text(method))
                    || self.lang.shape_of(receiver) != Shape::Identifier
                {
                    return;
                }
                if let Some(arg) = node
                    .child_by_field_name("arguments")
                    .and_then(|a| a.named_child(a.named_child_count().saturating_sub(1) as u32))
                {
                    out.push(Binding {
                        name: self.text(receiver),
                        value: arg,
                        kind: BindKind::Append,
                    });
                }
            }
            _ => {}
        }
    }

    /// Binds the names of `targets` to `value`: element-wise when both
    /// sides list the same number of items (`a, b = x, y`), else each name
    /// to the whole value. `d[k] = v` adds `v` to `d`.
    fn bind_pattern(
        &self,
        targets: Node<'t>,
        value: Node<'t>,
        kind: BindKind,
        out: &mut Vec<Binding<'t>>,
        depth: u32,
    ) {
        if let Shape::Subscript { object } = self.lang.shape_of(targets) {
            if let Some(obj) = targets
                .child_by_field_name(object)
                .filter(|o| self.lang.shape_of(*o) == Shape::Identifier)
            {
                out.push(Binding {
                    name: self.text(obj),
                    value,
                    kind: BindKind::Append,
                });
            }
            return;
        }
        let is_list = |n: Node| {
            matches!(
                n.kind(),
                "pattern_list"
                    | "tuple_pattern"
                    | "list_pattern"
                    | "expression_list"
                    | "tuple"
                    | "array_pattern"
                    | "array"
                    | "list"
            )
        };
        if depth < MAX_DEPTH
            && is_list(targets)
            && is_list(value)
            && targets.named_child_count() == value.named_child_count()
        {
            for i in 0..targets.named_child_count() as u32 {
                if let (Some(t), Some(v)) = (targets.named_child(i), value.named_child(i)) {
                    self.bind_pattern(t, v, kind, out, depth + 1);
                }
            }
            return;
        }
        let mut names = Vec::new();
        self.targets(targets, &mut names);
        // A lone expression in a Go expression list stands for itself.
        let value = if value.kind() == "expression_list" && value.named_child_count() == 1 {
            value.named_child(0).unwrap_or(value)
        } else {
            value
        };
        out.extend(names.into_iter().map(|name| Binding { name, value, kind }));
    }
}

struct ParamInfo<'a, 't> {
    index: usize,
    name: &'t str,
    ty: Option<&'t str>,
    default: Option<Node<'t>>,
    decorators: &'a [&'t str],
    handler: bool,
    /// `{ id }` or `[a, b]`: a piece of the argument, not the argument.
    destructured: bool,
    node: Node<'t>,
}

/// `@Query('id')` -> `Query`.
fn decorator_name(text: &str) -> &str {
    let t = text.trim_start_matches('@');
    let end = t
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(t.len());
    t[..end].rsplit('.').next().unwrap_or("")
}

fn is_benign_type(ty: &str) -> bool {
    let ty = ty.trim();
    if ty.starts_with("Literal[") {
        return true; // a closed set of values written in the source
    }
    let mut words = ty
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .peekable();
    words.peek().is_some() && words.all(|w| BENIGN_TYPE_WORDS.contains(&w))
}

/// One evaluation: the scope it reads and the names bound inside the
/// expression itself (comprehension variables, lambda parameters).
struct Eval<'f, 't> {
    flow: &'f Flow<'t>,
    scope: &'f Scope<'t>,
    locals: Vec<(&'t str, Value)>,
    depth: u32,
}

impl<'t> Eval<'_, 't> {
    fn text(&self, node: Node) -> &'t str {
        self.flow.text(node)
    }

    fn shape(&self, node: Node) -> Shape {
        self.flow.lang.shape_of(node)
    }

    fn eval(&mut self, node: Node<'t>) -> Value {
        if self.depth > MAX_DEPTH {
            return Value::opaque();
        }
        self.depth += 1;
        let v = self.eval_inner(node);
        self.depth -= 1;
        v
    }

    fn eval_inner(&mut self, node: Node<'t>) -> Value {
        let range = (node.start_byte(), node.end_byte());
        match self.shape(node) {
            Shape::Identifier => self.lookup(self.text(node)),
            Shape::String => {
                let Some(pieces) = literal::pieces(self.flow.lang, node, self.flow.src) else {
                    return Value::opaque();
                };
                let parts: Vec<Value> = pieces
                    .iter()
                    .map(|p| match *p {
                        Piece::Hole(hole) => hole
                            .named_child(0)
                            .map_or_else(Value::scalar, |e| self.eval(e)),
                        Piece::Text(s, e) | Piece::Escape(s, e) => {
                            Value::constant(&self.flow.src[s..e])
                        }
                    })
                    .collect();
                concat(parts)
            }
            Shape::ConcatenatedString => {
                let parts = self
                    .children(node)
                    .into_iter()
                    .map(|c| self.eval(c))
                    .collect::<Vec<_>>();
                concat(parts)
            }
            Shape::Binary => self.binary(node),
            Shape::Transparent => match node.named_child(0) {
                Some(inner) => self.eval(inner),
                None => Value::scalar(),
            },
            Shape::Alternatives => {
                let picks: Vec<Node> = match (
                    node.child_by_field_name("consequence"),
                    node.child_by_field_name("alternative"),
                    node.child_by_field_name("left"),
                    node.child_by_field_name("right"),
                ) {
                    (Some(a), Some(b), _, _) | (_, _, Some(a), Some(b)) => vec![a, b],
                    _ => {
                        let c = self.children(node);
                        [c.first(), c.get(2)]
                            .into_iter()
                            .flatten()
                            .copied()
                            .collect()
                    }
                };
                self.join_all(picks)
            }
            Shape::Scalar => Value::scalar(),
            Shape::Collection => {
                let items: Vec<Node> = match node.kind() {
                    "pair" => node.child_by_field_name("value").into_iter().collect(),
                    "keyed_element" => self.children(node).last().copied().into_iter().collect(),
                    "composite_literal" => node.child_by_field_name("body").into_iter().collect(),
                    _ => self.children(node),
                };
                self.join_all(items)
            }
            Shape::Comprehension => self.comprehension(node),
            Shape::Member { object, property } => {
                let (Some(obj), Some(prop)) = (
                    node.child_by_field_name(object),
                    node.child_by_field_name(property),
                ) else {
                    return Value::opaque();
                };
                let prop = self.text(prop);
                // `self.request` (Django class-based views), `ctx.request`
                // (Koa), `c.req` (Hono).
                if matches!(prop, "request" | "req") {
                    return Value::request_object();
                }
                let receiver = self.eval(obj);
                if receiver.request_object {
                    return if REQUEST_DATA_MEMBERS.contains(&prop) {
                        Value::tainted(Taint::Request, range)
                    } else {
                        Value::opaque()
                    };
                }
                match (receiver.taint, prop) {
                    (_, "length") => Value::benign(),
                    (Taint::Request, _) => receiver,
                    _ => Value::opaque(),
                }
            }
            Shape::Subscript { object } => match node.child_by_field_name(object) {
                Some(obj) => {
                    let v = self.eval(obj);
                    if v.request_object {
                        Value::opaque()
                    } else {
                        v
                    }
                }
                None => Value::opaque(),
            },
            Shape::Call => self.call(node),
            Shape::Assignment { right, .. } => match node.child_by_field_name(right) {
                Some(r) => self.eval(r),
                None => Value::opaque(),
            },
            _ => Value::opaque(),
        }
    }

    fn children(&self, node: Node<'t>) -> Vec<Node<'t>> {
        let mut cursor = node.walk();
        node.named_children(&mut cursor)
            .filter(|c| c.kind() != "comment")
            .collect()
    }

    fn join_all(&mut self, nodes: Vec<Node<'t>>) -> Value {
        let mut out: Option<Value> = None;
        for n in nodes {
            let v = self.eval(n).data();
            match &mut out {
                Some(o) => o.join(&v),
                None => out = Some(v),
            }
        }
        out.unwrap_or_else(Value::scalar)
    }

    fn lookup(&self, name: &'t str) -> Value {
        if let Some((_, v)) = self.locals.iter().rev().find(|(n, _)| *n == name) {
            return v.clone();
        }
        let mut scope = self.scope;
        let mut owned;
        loop {
            if scope.bound.contains(name) {
                // Bound here but not computed yet (first round): nothing.
                return scope.env.get(name).cloned().unwrap_or_else(Value::scalar);
            }
            let Some(parent) = scope.parent else { break };
            owned = self.flow.scope(parent);
            scope = &owned;
        }
        match name {
            "undefined" | "None" | "True" | "False" | "nil" => Value::scalar(),
            _ if REQUEST_NAMES.contains(&name) && self.flow.lang != Lang::Go => {
                Value::request_object()
            }
            _ => Value::opaque(),
        }
    }

    fn binary(&mut self, node: Node<'t>) -> Value {
        let (Some(left), Some(right)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("right"),
        ) else {
            return Value::opaque();
        };
        let op = node
            .child_by_field_name("operator")
            .map_or("", |o| self.text(o));
        match op {
            "+" => {
                let mut parts = Vec::new();
                self.flatten_plus(node, &mut parts);
                let values: Vec<Value> = parts.into_iter().map(|p| self.eval(p)).collect();
                concat(values)
            }
            "%" if self.flow.lang == Lang::Python => {
                let template = self.eval(left);
                if template.text.is_empty() {
                    let mut v = template;
                    v.join(&self.eval(right));
                    return v;
                }
                let args = match right.kind() {
                    "tuple" | "dictionary" => self
                        .children(right)
                        .into_iter()
                        .map(|c| self.eval(c))
                        .collect(),
                    _ => vec![self.eval(right)],
                };
                format(template, args)
            }
            "==" | "!=" | "===" | "!==" | "<" | ">" | "<=" | ">=" | "in" | "not in" | "is"
            | "is not" | "instanceof" => Value::scalar(),
            _ => {
                let mut v = self.eval(left).data();
                v.join(&self.eval(right).data());
                v
            }
        }
    }

    /// The operands of a chain of `+`, in order. Iterative: generated code
    /// chains thousands of them, which would exhaust a recursive walk's
    /// stack; past [`MAX_PARTS`] the rest stay whole (and evaluate as
    /// opaque once too deep).
    fn flatten_plus(&self, node: Node<'t>, out: &mut Vec<Node<'t>>) {
        let is_plus = |n: Node| {
            self.shape(n) == Shape::Binary
                && n.child_by_field_name("operator")
                    .is_some_and(|o| self.text(o) == "+")
        };
        let mut stack = vec![node];
        let mut splits = 0;
        while let Some(n) = stack.pop() {
            let operands = (
                n.child_by_field_name("left"),
                n.child_by_field_name("right"),
            );
            match operands {
                (Some(l), Some(r)) if is_plus(n) && splits < MAX_PARTS => {
                    splits += 1;
                    stack.push(r);
                    stack.push(l);
                }
                _ => out.push(n),
            }
        }
    }

    /// `[body for x in xs if c]`: the body with `x` bound to an element of
    /// `xs`.
    fn comprehension(&mut self, node: Node<'t>) -> Value {
        let mark = self.locals.len();
        for clause in self.children(node) {
            if let Shape::ForIn { left, right } = self.shape(clause) {
                if let (Some(l), Some(r)) = (
                    clause.child_by_field_name(left),
                    clause.child_by_field_name(right),
                ) {
                    let v = self.eval(r).data();
                    let mut names = Vec::new();
                    self.flow.targets(l, &mut names);
                    self.locals
                        .extend(names.into_iter().map(|n| (n, v.clone())));
                }
            }
        }
        let v = match node.child_by_field_name("body") {
            Some(body) => self.eval(body),
            None => Value::opaque(),
        };
        self.locals.truncate(mark);
        v
    }

    /// A callback's result with its first parameter bound to `element`
    /// (`ids.map(id => `'${id}'`)`).
    fn callback(&mut self, func: Node<'t>, element: Value) -> Value {
        let Some(body) = func.child_by_field_name("body") else {
            return Value::opaque();
        };
        if matches!(body.kind(), "statement_block" | "block") {
            return Value::opaque();
        }
        let mark = self.locals.len();
        let first = func.child_by_field_name("parameter").or_else(|| {
            func.child_by_field_name("parameters")
                .and_then(|p| p.named_child(0))
        });
        if let Some(first) = first {
            let mut names = Vec::new();
            self.flow.targets(first, &mut names);
            self.locals
                .extend(names.into_iter().map(|n| (n, element.clone())));
        }
        let v = self.eval(body);
        self.locals.truncate(mark);
        v
    }

    fn call(&mut self, node: Node<'t>) -> Value {
        let range = (node.start_byte(), node.end_byte());
        let Some(callee) = node
            .child_by_field_name("function")
            .or_else(|| node.child_by_field_name("constructor"))
        else {
            return Value::opaque();
        };
        let args_node = node.child_by_field_name("arguments");
        // A tagged template (sql`...${x}`) is the library's to escape.
        if args_node.is_some_and(|a| a.kind() == "template_string") {
            return Value::opaque();
        }
        let args: Vec<Node<'t>> = match args_node {
            Some(a) if self.shape(a) == Shape::Comprehension => vec![a],
            Some(a) => self
                .children(a)
                .into_iter()
                .map(|c| {
                    if c.kind() == "keyword_argument" {
                        c.child_by_field_name("value").unwrap_or(c)
                    } else {
                        c
                    }
                })
                .collect(),
            None => Vec::new(),
        };
        match self.shape(callee) {
            Shape::Member { object, property } => {
                let (Some(recv_node), Some(method)) = (
                    callee.child_by_field_name(object),
                    callee.child_by_field_name(property),
                ) else {
                    return Value::opaque();
                };
                let method = self.text(method);
                let package =
                    (self.shape(recv_node) == Shape::Identifier).then(|| self.text(recv_node));
                if let Some(v) = self.library_call(package, method, &args, range) {
                    return v;
                }
                let receiver = self.eval(recv_node);
                self.method_call(receiver, method, &args, range)
            }
            Shape::Identifier => {
                let name = self.text(callee);
                // `new F(x)` is an object whatever `F` returns.
                let plain = node.kind() != "new_expression";
                self.library_call(None, name, &args, range)
                    .or_else(|| plain.then(|| self.helper_call(name, args_node)).flatten())
                    .unwrap_or_else(Value::opaque)
            }
            _ => Value::opaque(),
        }
    }

    /// A call to a helper defined in the file: its summary with the
    /// arguments' values in place of its parameters.
    fn helper_call(&mut self, name: &'t str, args: Option<Node<'t>>) -> Option<Value> {
        if self.scope.level == 0 || self.locals.iter().any(|(n, _)| *n == name) {
            return None;
        }
        let func = self.flow.helper(name)?;
        if self.shadowed(name, func) {
            return None;
        }
        let summary = self.flow.summary(func, self.scope.level)?;
        let mut positional = Vec::new();
        let mut keywords = Vec::new();
        if let Some(args) = args {
            for a in self.children(args) {
                match a.kind() {
                    "keyword_argument" => {
                        let (Some(k), Some(v)) = (
                            a.child_by_field_name("name"),
                            a.child_by_field_name("value"),
                        ) else {
                            return None;
                        };
                        keywords.push((self.text(k), v));
                    }
                    "list_splat" | "dictionary_splat" | "spread_element" | "variadic_argument" => {
                        return None
                    }
                    _ if !keywords.is_empty() => return None,
                    _ => positional.push(a),
                }
            }
        }
        let mut values: Vec<Option<Value>> = Vec::new();
        for i in 0..64usize {
            if summary.value.params >> i == 0 {
                break;
            }
            let node = positional.get(i).copied().or_else(|| {
                let param = summary.names.iter().find(|(_, at)| *at == i)?.0;
                keywords.iter().find(|(k, _)| *k == param).map(|(_, v)| *v)
            });
            let wanted = summary.value.params & (1 << i) != 0;
            values.push(node.filter(|_| wanted).map(|n| self.eval(n)));
        }
        Some(instantiate(&summary.value, &values))
    }

    /// Whether `name` is bound to something else than the helper `func`
    /// where it is called: a local or parameter of an enclosing function,
    /// or a module name also assigned otherwise. Inside a summary computed
    /// while the module is (no module scope to ask), it always is.
    fn shadowed(&self, name: &str, func: Node<'t>) -> bool {
        let mut scope = self.scope;
        let mut owned;
        loop {
            if scope.node_id == self.flow.root.id() {
                return scope
                    .bindings
                    .iter()
                    .any(|b| b.name == name && b.value.id() != func.id());
            }
            if scope.bound.contains(name) {
                return true;
            }
            let Some(parent) = scope.parent else {
                return true;
            };
            owned = self.flow.scope(parent);
            scope = &owned;
        }
    }

    /// Whether a replacement of `from` by `to` doubles a quote character
    /// (`s.replace("'", "''")`, `strings.ReplaceAll(s, `"`, `""`)`,
    /// `s.replace(/'/g, "''")`): SQL's own escape inside a quoted literal
    /// or identifier, so the result cannot close the quotes.
    fn doubles_quotes(&mut self, from: Option<&Node<'t>>, to: Option<&Node<'t>>) -> bool {
        let (Some(&from), Some(&to)) = (from, to) else {
            return false;
        };
        let to = self.eval(to);
        if to.taint != Taint::Constant {
            return false;
        }
        let from = match from.kind() {
            // JavaScript: `/'/g` replaces every quote.
            "regex" => match self.text(from) {
                "/'/g" => "'".to_string(),
                "/\"/g" => "\"".to_string(),
                _ => return false,
            },
            _ => {
                let v = self.eval(from);
                if v.taint != Taint::Constant {
                    return false;
                }
                v.text
            }
        };
        matches!(
            (from.as_str(), to.text.as_str()),
            ("'", "''") | ("\"", "\"\"")
        )
    }

    fn eval_args(&mut self, args: &[Node<'t>]) -> Vec<Value> {
        args.iter().map(|&a| self.eval(a)).collect()
    }

    /// Functions known by name (optionally qualified by their package):
    /// formatting, conversions, sanitizers, request accessors.
    fn library_call(
        &mut self,
        package: Option<&str>,
        name: &str,
        args: &[Node<'t>],
        range: (usize, usize),
    ) -> Option<Value> {
        let first = |s: &mut Self| args.first().map_or_else(Value::scalar, |&a| s.eval(a));
        Some(match (package, name) {
            (Some("fmt"), "Sprintf") | (Some("util"), "format") => {
                let template = first(self);
                let rest = self.eval_args(args.get(1..).unwrap_or(&[]));
                format(template, rest)
            }
            (Some("fmt"), "Sprint" | "Sprintln") => {
                let parts = self.eval_args(args);
                concat(parts)
            }
            (Some("strings"), "Join") => {
                let items = first(self);
                let sep = args.get(1).map_or_else(Value::scalar, |&a| self.eval(a));
                join_items(items, &sep)
            }
            (Some("strings"), "Replace" | "ReplaceAll")
                if self.doubles_quotes(args.get(1), args.get(2)) =>
            {
                Value::benign()
            }
            (Some("strings"), "Replace" | "ReplaceAll") => {
                let mut v = first(self);
                if let Some(&with) = args.get(2) {
                    v.join(&self.eval(with));
                }
                v
            }
            (Some("mux"), "Vars") | (Some("chi"), "URLParam" | "URLParamFromCtx") => {
                let from_request = self.eval_args(args).iter().any(|v| v.request_object);
                if from_request {
                    Value::tainted(Taint::Request, range)
                } else {
                    Value::opaque()
                }
            }
            (_, "append") if package.is_none() && self.flow.lang == Lang::Go => {
                let values = self.eval_args(args);
                let mut out = Value::scalar();
                for v in values {
                    out.join(&v.data());
                }
                out
            }
            (_, n) if is_sanitizer(n) => Value::benign(),
            (_, n) if BENIGN_FUNCTIONS.contains(&n) => Value::benign(),
            (None | Some("strings" | "json" | "JSON" | "html" | "url"), n)
                if TEXT_FUNCTIONS.contains(&n) =>
            {
                first(self).data()
            }
            _ => return None,
        })
    }

    fn method_call(
        &mut self,
        receiver: Value,
        method: &str,
        args: &[Node<'t>],
        range: (usize, usize),
    ) -> Value {
        if receiver.request_object {
            return if REQUEST_DATA_METHODS.contains(&method) {
                Value::tainted(Taint::Request, range)
            } else {
                Value::opaque()
            };
        }
        match method {
            // Python: the receiver is the template.
            "format"
                if !receiver.text.is_empty()
                    || (receiver.taint == Taint::Constant && receiver.params == 0) =>
            {
                let values = self.eval_args(args);
                format(receiver, values)
            }
            // Python: `sep.join(items)`; JavaScript: `items.join(sep)`.
            "join" => {
                let (items, sep) = match self.flow.lang {
                    Lang::Python => (
                        args.first().map_or_else(Value::scalar, |&a| self.eval(a)),
                        receiver,
                    ),
                    _ => (
                        receiver,
                        args.first().map_or_else(Value::scalar, |&a| self.eval(a)),
                    ),
                };
                join_items(items, &sep)
            }
            "replace" | "replaceAll" if self.doubles_quotes(args.first(), args.get(1)) => {
                Value::benign()
            }
            "replace" | "replaceAll" | "concat" => {
                let mut v = receiver.data();
                for a in self.eval_args(args) {
                    v.join(&a.data());
                }
                v
            }
            "map" | "flatMap" => match args.first() {
                Some(&f) if self.shape(f) == Shape::Function => self.callback(f, receiver.data()),
                _ => Value::opaque(),
            },
            _ if is_sanitizer(method) => Value::benign(),
            _ if BENIGN_FUNCTIONS.contains(&method) => Value::benign(),
            _ if TEXT_METHODS.contains(&method) => match receiver.taint {
                Taint::Request | Taint::Parameter | Taint::Constant | Taint::Benign => {
                    receiver.data()
                }
                Taint::Opaque => Value::opaque(),
            },
            // Anything read from request data is request data.
            _ if receiver.taint == Taint::Request => receiver.data(),
            _ => Value::opaque(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value of the last expression statement's expression.
    fn value_of_last(lang: Lang, src: &str) -> Value {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&lang.grammar()).unwrap();
        let tree = parser.parse(src, None).unwrap();
        let flow = Flow::new(lang, src, tree.root_node());
        let mut last = None;
        let mut stack = vec![tree.root_node()];
        while let Some(n) = stack.pop() {
            if n.kind() == "expression_statement"
                && last.is_none_or(|l: Node| l.start_byte() < n.start_byte())
            {
                last = Some(n);
            }
            let mut c = n.walk();
            stack.extend(n.named_children(&mut c));
        }
        let stmt = last.expect("an expression statement");
        flow.value(stmt.named_child(0).unwrap())
    }

    #[test]
    fn python_request_data_flows_through_strings() {
        let v = value_of_last(
            Language::Python,
            "def h():\n    uid = request.args.get('id')\n    q = 'SELECT * FROM t WHERE id = ' + uid\n    q\n",
        );
        assert_eq!((v.taint, v.interpolated), (Taint::Request, Taint::Request));
        assert!(v.text.starts_with("SELECT"), "{v:?}");
    }

    use crate::lang::Lang as Language;

    #[test]
    fn constant_placeholders_stay_constant() {
        let v = value_of_last(
            Language::Python,
            "def f(ids):\n    marks = ', '.join(['%s'] * len(ids))\n    f'SELECT * FROM t WHERE id IN ({marks})'\n",
        );
        assert!(v.interpolated <= Taint::Benign, "{v:?}");
        let v = value_of_last(
            Language::Python,
            "def f(ids):\n    marks = ','.join('?' for _ in ids)\n    f'SELECT * FROM t WHERE id IN ({marks})'\n",
        );
        assert!(v.interpolated <= Taint::Benign, "{v:?}");
        let v = value_of_last(
            Language::JavaScript,
            "function f(ids) { const m = ids.map(() => '?').join(','); `SELECT * FROM t WHERE id IN (${m})`; }",
        );
        assert!(v.interpolated <= Taint::Benign, "{v:?}");
    }

    #[test]
    fn helpers_that_append_are_not_splicing() {
        let v = value_of_last(Language::Python, "def run(sql):\n    sql + ' LIMIT 10'\n");
        assert_eq!(
            (v.taint, v.interpolated),
            (Taint::Parameter, Taint::Constant)
        );
        let v = value_of_last(Language::Python, "def run(name):\n    'SELECT %s' % name\n");
        assert_eq!(v.interpolated, Taint::Parameter);
        let v = value_of_last(Language::Python, "def run(sql):\n    '%s LIMIT 10' % sql\n");
        assert_eq!(v.interpolated, Taint::Constant);
    }

    #[test]
    fn doubled_quotes_are_escaped() {
        for (lang, src) in [
            (
                Language::Python,
                "def f(enc):\n    f\"\"\"SET CLIENT_ENCODING TO '{enc.replace(\"'\", \"''\")}'\"\"\"\n",
            ),
            (
                Language::JavaScript,
                "function f(n) { `SELECT * FROM t WHERE n = '${n.replace(/'/g, \"''\")}'`; }",
            ),
            (
                Language::Go,
                "package p\nfunc f(n string) {\n\tfmt.Sprintf(\"SELECT '%s'\", strings.ReplaceAll(n, \"'\", \"''\"))\n}\n",
            ),
        ] {
            let v = value_of_last(lang, src);
            assert!(!v.is_injectable(), "{src}: {v:?}");
        }
        // Any other replacement leaves the value as it was.
        let v = value_of_last(
            Language::Python,
            "def f(n):\n    f\"SELECT '{n.replace('-', '_')}'\"\n",
        );
        assert_eq!(v.injected(), Taint::Parameter, "{v:?}");
    }

    #[test]
    fn helpers_are_followed_with_their_arguments() {
        let py = |helper: &str| {
            value_of_last(
                Language::Python,
                &format!("{helper}\n\ndef h():\n    q = build(request.args['id'])\n    q\n"),
            )
        };
        // Spliced after constant text: the request data is spliced too.
        let v = py("def build(v):\n    return 'SELECT * FROM t WHERE id = ' + v");
        assert_eq!(v.injected(), Taint::Request, "{v:?}");
        assert!(v.text.starts_with("SELECT"), "{v:?}");
        assert_eq!((v.params, v.spliced), (0, 0), "bits stay in summaries");
        // Escaped, cast, constant: nothing of the argument is left.
        for helper in [
            "def build(v):\n    return 'SELECT * FROM t WHERE id = ' + escape_string(v)",
            "def build(v):\n    return 'SELECT * FROM t WHERE id = ' + str(int(v))",
            "def build(v):\n    return 'SELECT * FROM t WHERE id = %s'",
        ] {
            let v = py(helper);
            assert!(!v.is_injectable(), "{helper}: {v:?}");
        }
        // A type hint is not enforced: the argument is what it was. A Go
        // type is: an `int` parameter holds a number.
        let v = py("def build(v: int):\n    return f'SELECT * FROM t WHERE id = {v}'");
        assert_eq!(v.injected(), Taint::Request, "{v:?}");
        let v = value_of_last(
            Language::TypeScript,
            "function build(v: number) { return `SELECT * FROM t WHERE id = ${v}`; }\nfunction f(name: string) { build(name); }",
        );
        assert_eq!(v.injected(), Taint::Parameter, "{v:?}");
        let v = value_of_last(
            Language::Go,
            "package p\nfunc build(t string, v int) string {\n\treturn fmt.Sprintf(\"SELECT * FROM %s WHERE id = %v\", t, v)\n}\nfunc f(s string) {\n\tbuild(\"t\", s)\n}\n",
        );
        assert!(!v.is_injectable(), "{v:?}");
        // Grouped Go names are a position each; `/` and `*` are none.
        let v = value_of_last(
            Language::Go,
            "package p\nfunc where(col, val string) string {\n\treturn \"SELECT * FROM t WHERE \" + col + \" = '\" + val + \"'\"\n}\nfunc f(s string) {\n\twhere(\"name\", s)\n}\n",
        );
        assert_eq!(v.injected(), Taint::Parameter, "{v:?}");
        for helper in [
            "def build(t, /, v):\n    return 'SELECT * FROM ' + t + ' WHERE id = ' + v",
            "def build(t, *, v):\n    return 'SELECT * FROM ' + t + ' WHERE id = ' + v",
        ] {
            let v = value_of_last(
                Language::Python,
                &format!("{helper}\n\ndef h():\n    build('t', request.args['id'])\n    build('t', v=request.args['id'])\n"),
            );
            assert_eq!(v.injected(), Taint::Request, "{helper}: {v:?}");
        }
        let v = value_of_last(
            Language::Python,
            "def build(t, /, v):\n    return 'SELECT * FROM ' + t + ' WHERE id = ' + v\n\ndef h():\n    build('t', request.args['id'])\n",
        );
        assert_eq!(v.injected(), Taint::Request, "{v:?}");
        // Appending to the caller's text splices nothing: the argument is
        // what it was.
        let v = value_of_last(
            Language::Python,
            "def limit(sql):\n    return sql + ' LIMIT 10'\n\ndef f(name):\n    limit('SELECT 1')\n    limit(name)\n",
        );
        assert_eq!(
            (v.taint, v.interpolated),
            (Taint::Parameter, Taint::Constant)
        );
        // A parameter of the caller spliced by the helper is spliced.
        let v = value_of_last(
            Language::JavaScript,
            "const where = (col, v) => `${col} = '${v}'`;\nfunction f(name) { `SELECT * FROM t WHERE ${where('name', name)}`; where('name', name); }",
        );
        assert_eq!(v.injected(), Taint::Parameter, "{v:?}");
        // Keyword arguments go to their parameter; helpers call helpers.
        let v = value_of_last(
            Language::Python,
            "def wrap(v):\n    return \"'\" + v + \"'\"\n\ndef build(table, v=None):\n    return 'SELECT * FROM ' + table + ' WHERE id = ' + wrap(v)\n\ndef h():\n    build('t', v=request.args['id'])\n",
        );
        assert_eq!(v.injected(), Taint::Request, "{v:?}");
        // A local of the same name is not the helper.
        let v = value_of_last(
            Language::Python,
            "def build(v):\n    return 'SELECT ' + v\n\ndef h(build):\n    build(request.args['id'])\n",
        );
        assert_eq!(v.taint, Taint::Opaque, "{v:?}");
    }

    #[test]
    fn summaries_instantiate_per_parameter() {
        let summary = Value {
            params: 0b11,
            spliced: 0b10,
            ..Value::constant("SELECT ")
        };
        let request = Value::tainted(Taint::Request, (1, 2));
        let v = instantiate(
            &summary,
            &[Some(Value::constant("x")), Some(request.clone())],
        );
        assert_eq!((v.taint, v.interpolated), (Taint::Request, Taint::Request));
        assert_eq!(v.origin, Some((1, 2)));
        let v = instantiate(&summary, &[Some(request), Some(Value::benign())]);
        assert_eq!((v.taint, v.interpolated), (Taint::Request, Taint::Benign));
        // Not passed: unknown, not constant.
        let v = instantiate(&summary, &[]);
        assert_eq!((v.taint, v.interpolated), (Taint::Opaque, Taint::Opaque));
        assert!(!v.is_injectable());
    }

    #[test]
    fn recursive_helpers_end() {
        for src in [
            "def f(v):\n    return f('SELECT ' + v)\n\ndef h():\n    f(request.args['id'])\n",
            "def f(v):\n    return g(v) + ' x'\n\ndef g(v):\n    return f(v)\n\ndef h():\n    'SELECT ' + f(request.args['id'])\n",
            "def f(n):\n    if n:\n        return 'a'\n    return f(n) + f(n) + f(n) + f(n)\n\ndef h():\n    f(1)\n",
        ] {
            let v = value_of_last(Language::Python, src);
            assert!(v.taint <= Taint::Request, "{src}: {v:?}");
        }
        // Past the levels followed, the value is unknown.
        let v = value_of_last(
            Language::Python,
            "def f(v):\n    return f(v)\n\ndef h():\n    'SELECT ' + f(request.args['id'])\n",
        );
        assert!(!v.is_injectable(), "{v:?}");
        // Generators and variadic helpers are not summarised.
        for src in [
            "def f(v):\n    yield 'SELECT ' + v\n\ndef h():\n    f(request.args['id'])\n",
            "def f(*vs):\n    return 'SELECT ' + vs[0]\n\ndef h():\n    f(request.args['id'])\n",
        ] {
            let v = value_of_last(Language::Python, src);
            assert_eq!(v.taint, Taint::Opaque, "{src}: {v:?}");
        }
    }

    #[test]
    fn request_objects_of_other_frameworks() {
        for (lang, src) in [
            (
                Language::TypeScript,
                "export async function GET(request: NextRequest) { const q = request.nextUrl.searchParams.get('q'); `SELECT ${q}`; }",
            ),
            (
                Language::TypeScript,
                "app.get('/', (c) => { const id = c.req.param('id'); `SELECT ${id}`; });",
            ),
            (
                Language::Python,
                "class V(View):\n    def get(self, *a):\n        q = self.request.GET['q']\n        f'SELECT {q}'\n",
            ),
        ] {
            let v = value_of_last(lang, src);
            assert_eq!(v.injected(), Taint::Request, "{src}: {v:?}");
        }
    }

    #[test]
    fn handlers_and_request_objects() {
        let v = value_of_last(
            Language::Python,
            "@app.get('/u')\ndef h(name: str, n: int, db = Depends(get_db)):\n    f'{n}'\n    f'SELECT {name}'\n",
        );
        assert_eq!(v.injected(), Taint::Request);
        let v = value_of_last(
            Language::Python,
            "@app.get('/u')\ndef h(n: int):\n    f'SELECT {n}'\n",
        );
        assert!(!v.is_injectable(), "{v:?}");
        let v = value_of_last(
            Language::Go,
            "package p\nfunc h(w http.ResponseWriter, r *http.Request) {\n\tid := r.URL.Query().Get(\"id\")\n\tq := fmt.Sprintf(\"SELECT %s\", id)\n\tq\n}\n",
        );
        assert_eq!(v.injected(), Taint::Request, "{v:?}");
        let v = value_of_last(
            Language::Go,
            "package p\nfunc h(c *gin.Context) {\n\tvar sb strings.Builder\n\tsb.WriteString(\"SELECT \")\n\tsb.WriteString(c.Query(\"x\"))\n\tsb.String()\n}\n",
        );
        assert_eq!(v.injected(), Taint::Request, "{v:?}");
        let v = value_of_last(
            Language::TypeScript,
            "app.get('/', (req, res) => { const { id } = req.params; `SELECT ${id}`; });",
        );
        assert_eq!(v.injected(), Taint::Request, "{v:?}");
    }
}
