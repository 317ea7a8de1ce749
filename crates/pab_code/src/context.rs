//! What a rule sees of one file: the parse tree, every call already
//! resolved into receiver / name / arguments (one walk of the tree for all
//! rules), the nodes of the kinds enabled rules asked for, and the data
//! flow.

use crate::flow::{Flow, Value};
use crate::lang::{Lang, Shape};
use pab_core::{Settings, SourceFile};
use std::collections::HashMap;
use tree_sitter::Node;

/// A call site: `receiver.name(args)` or `name(args)`.
#[derive(Debug, Clone)]
pub struct Call<'t> {
    pub node: Node<'t>,
    /// The callee expression as written (`self.db.execute`).
    pub callee: Node<'t>,
    /// What the method is called on, for a method call.
    pub receiver: Option<Node<'t>>,
    /// The function or method name (`execute`).
    pub name: &'t str,
    /// Positional arguments, in order.
    pub args: Vec<Node<'t>>,
    /// Keyword arguments (Python), by name.
    pub keywords: Vec<(&'t str, Node<'t>)>,
    /// A tagged template (sql`...`): the library receives the pieces
    /// separately and escapes the values itself.
    pub tagged_template: bool,
}

impl<'t> Call<'t> {
    /// A keyword argument's value.
    pub fn keyword(&self, name: &str) -> Option<Node<'t>> {
        self.keywords
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }

    /// The argument at `position`, or else the keyword argument `name`
    /// (Python lets the caller write either).
    pub fn argument(&self, position: usize, name: &str) -> Option<Node<'t>> {
        self.args
            .get(position)
            .copied()
            .or_else(|| self.keyword(name))
    }
}

/// One file under review.
pub struct FileContext<'t> {
    pub file: &'t SourceFile,
    pub settings: &'t Settings,
    pub lang: Lang,
    pub root: Node<'t>,
    pub flow: Flow<'t>,
    calls: Vec<Call<'t>>,
    nodes: HashMap<&'static str, Vec<Node<'t>>>,
    /// The file's routes, extracted on first use (the analyzer needs them
    /// for the endpoint inventory, the `api/*` rules read them).
    routes: std::cell::OnceCell<Vec<crate::endpoints::Route<'t>>>,
    /// Whether the text names a web framework
    /// ([`crate::endpoints::mentions_framework`]), searched once per file
    /// by the analyzer: route extraction and mounts only run when it does.
    pub mentions_framework: bool,
}

impl<'t> FileContext<'t> {
    /// Walks the tree once, collecting calls and the nodes of `kinds`.
    pub fn new(
        file: &'t SourceFile,
        settings: &'t Settings,
        lang: Lang,
        root: Node<'t>,
        kinds: &[&'static str],
        mentions_framework: bool,
    ) -> FileContext<'t> {
        let src = file.text.as_str();
        let mut calls = Vec::new();
        // Kind id -> index in `kinds`: the walk compares integers, not the
        // kind names (see `Lang::kind`).
        let mut wanted: Vec<Option<usize>> = Vec::new();
        for (i, kind) in kinds.iter().enumerate() {
            for &id in lang.kind_ids(kind) {
                let id = usize::from(id);
                if wanted.len() <= id {
                    wanted.resize(id + 1, None);
                }
                wanted[id] = Some(i);
            }
        }
        let mut found: Vec<Vec<Node<'t>>> = vec![Vec::new(); kinds.len()];
        let mut cursor = root.walk();
        // The functions enclosing the cursor, with their depths, and the
        // scope of each call (see `Flow::remember_scope`).
        let mut functions: Vec<(usize, Node<'t>)> = Vec::new();
        let mut depth = 0usize;
        let mut call_scopes = Vec::new();
        // Pre-order walk without recursion: deeply nested input must not
        // exhaust the stack.
        'walk: loop {
            let node = cursor.node();
            while functions.last().is_some_and(|(d, _)| *d >= depth) {
                functions.pop();
            }
            let shape = lang.shape_of(node);
            if shape == Shape::Call {
                if let Some(call) = resolve_call(lang, node, src) {
                    calls.push(call);
                    call_scopes.push((node, functions.last().map_or(root, |(_, f)| *f)));
                }
            }
            if shape == Shape::Function {
                functions.push((depth, node));
            }
            if let Some(&Some(i)) = wanted.get(usize::from(node.kind_id())) {
                found[i].push(node);
            }
            if cursor.goto_first_child() {
                depth += 1;
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    continue 'walk;
                }
                if !cursor.goto_parent() {
                    break 'walk;
                }
                depth -= 1;
            }
        }
        let nodes: HashMap<&'static str, Vec<Node<'t>>> = kinds
            .iter()
            .copied()
            .zip(found)
            .filter(|(_, found)| !found.is_empty())
            .collect();
        let flow = Flow::new(lang, src, root);
        for (call, scope) in call_scopes {
            flow.remember_scope(call, scope);
        }
        FileContext {
            file,
            settings,
            lang,
            root,
            flow,
            calls,
            nodes,
            routes: std::cell::OnceCell::new(),
            mentions_framework,
        }
    }

    /// The routes this file declares (see [`crate::endpoints`]), in file
    /// order; extracted once, on first use.
    pub fn routes(&self) -> &[crate::endpoints::Route<'t>] {
        self.routes.get_or_init(|| crate::endpoints::extract(self))
    }

    /// Every call in the file, in file order.
    pub fn calls(&self) -> &[Call<'t>] {
        &self.calls
    }

    /// Nodes of a kind some enabled rule listed in `node_kinds`.
    pub fn nodes(&self, kind: &str) -> &[Node<'t>] {
        self.nodes.get(kind).map_or(&[], Vec::as_slice)
    }

    pub fn text(&self, node: Node) -> &'t str {
        self.file.text.get(node.byte_range()).unwrap_or("")
    }

    /// The text of a node for a message: its first line, cut short.
    pub fn snippet(&self, range: (usize, usize)) -> String {
        let text = self.file.text.get(range.0..range.1).unwrap_or("");
        let line = text.lines().next().unwrap_or("").trim();
        let mut out: String = line.chars().take(60).collect();
        if out.len() < line.len() || text.trim().lines().nth(1).is_some() {
            out.push('…');
        }
        out
    }

    /// [`Self::snippet`] of a node.
    pub fn node_snippet(&self, node: Node) -> String {
        self.snippet((node.start_byte(), node.end_byte()))
    }

    /// [`Self::snippet`] of where a value's worst part comes from (the
    /// request access or the parameter), for messages.
    pub fn origin_snippet(&self, value: &Value) -> String {
        value.origin.map(|o| self.snippet(o)).unwrap_or_default()
    }

    /// What an expression's value is made of (see [`crate::flow`]).
    pub fn value(&self, node: Node<'t>) -> Value {
        self.flow.value(node)
    }

    /// The whole method chain a call is part of: for the `filter` call in
    /// `Customer.objects.filter(pk=1).first()`, the `first()` call. A query
    /// builder's chain is one query; rules report it once, as a whole.
    pub fn chain_top(&self, mut node: Node<'t>) -> Node<'t> {
        while let Some(member) = node.parent() {
            if !matches!(self.lang.shape_of(member), Shape::Member { .. }) {
                break;
            }
            let Some(call) = member.parent() else { break };
            if self.lang.shape_of(call) != Shape::Call
                || call.child_by_field_name("function").map(|f| f.id()) != Some(member.id())
            {
                break;
            }
            node = call;
        }
        node
    }

    /// Whether the node is an identifier (in any grammar).
    pub fn is_identifier(&self, node: Node) -> bool {
        self.lang.shape_of(node) == Shape::Identifier
    }

    /// The statement that contains `node`: what a suppression comment
    /// above it covers.
    pub fn anchor(&self, node: Node<'t>) -> (usize, usize) {
        let mut at = node;
        while let Some(parent) = at.parent() {
            if self.lang.is_block_node(parent) {
                break;
            }
            at = parent;
        }
        (at.start_byte(), at.end_byte())
    }
}

fn resolve_call<'t>(lang: Lang, node: Node<'t>, src: &'t str) -> Option<Call<'t>> {
    let callee = node
        .child_by_field_name("function")
        .or_else(|| node.child_by_field_name("constructor"))?;
    let text = |n: Node| src.get(n.byte_range()).unwrap_or("");
    let (receiver, name) = match lang.shape_of(callee) {
        Shape::Member { object, property } => (
            callee.child_by_field_name(object),
            text(callee.child_by_field_name(property)?),
        ),
        Shape::Identifier => (None, text(callee)),
        _ => return None,
    };
    let arguments = node.child_by_field_name("arguments");
    let tagged_template = arguments.is_some_and(|a| lang.kind(a) == "template_string");
    let mut args = Vec::new();
    let mut keywords = Vec::new();
    if let Some(a) = arguments.filter(|_| !tagged_template) {
        if lang.shape_of(a) == Shape::Comprehension {
            args.push(a);
        } else {
            let mut cursor = a.walk();
            for child in a.named_children(&mut cursor) {
                match lang.kind(child) {
                    "comment" => {}
                    "keyword_argument" => {
                        if let (Some(k), Some(v)) = (
                            child.child_by_field_name("name"),
                            child.child_by_field_name("value"),
                        ) {
                            keywords.push((text(k), v));
                        }
                    }
                    _ => args.push(child),
                }
            }
        }
    }
    Some(Call {
        node,
        callee,
        receiver,
        name,
        args,
        keywords,
        tagged_template,
    })
}
