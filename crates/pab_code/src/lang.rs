//! The languages pab_code reads and, per language, the table that maps
//! tree-sitter node kinds to the few shapes the rest of the crate reasons
//! about (a call, a member access, a string with interpolations, a binding).
//! The data flow and the rules speak in shapes, so they are written once for
//! all four grammars; a new grammar is a new column in this table.

use pab_core::Language;
use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;
use tree_sitter::Node;

/// Per grammar: every node kind's name, shape and block-ness, by kind id.
#[derive(Default)]
struct KindTable {
    names: Vec<String>,
    shapes: Vec<Shape>,
    blocks: Vec<bool>,
    ids: HashMap<String, Vec<u16>>,
}

/// A grammar: TypeScript and TSX are separate tree-sitter grammars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Python,
    JavaScript,
    TypeScript,
    Tsx,
    Go,
}

impl Lang {
    /// The grammar for a file name, from its extension.
    pub fn from_path(path: &Path) -> Option<Lang> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "py" | "pyi" => Lang::Python,
            "js" | "mjs" | "cjs" | "jsx" => Lang::JavaScript,
            "ts" | "mts" | "cts" => Lang::TypeScript,
            "tsx" => Lang::Tsx,
            "go" => Lang::Go,
            _ => return None,
        })
    }

    pub fn grammar(self) -> tree_sitter::Language {
        match self {
            Lang::Python => tree_sitter_python::LANGUAGE.into(),
            Lang::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Lang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Lang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Lang::Go => tree_sitter_go::LANGUAGE.into(),
        }
    }

    /// The language rules and suppressions know it as.
    pub fn language(self) -> Language {
        match self {
            Lang::Python => Language::Python,
            Lang::JavaScript => Language::JavaScript,
            Lang::TypeScript | Lang::Tsx => Language::TypeScript,
            Lang::Go => Language::Go,
        }
    }

    /// What a node kind is, for the data flow and the rules.
    pub fn shape(self, kind: &str) -> Shape {
        match self {
            Lang::Python => python_shape(kind),
            Lang::JavaScript | Lang::TypeScript | Lang::Tsx => js_shape(kind),
            Lang::Go => go_shape(kind),
        }
    }

    /// A node's kind, from a table built once per grammar. `Node::kind`
    /// measures and UTF-8-checks the grammar's C string on every call, and
    /// the walks ask it for every node they visit.
    pub fn kind(self, node: Node) -> &'static str {
        let table = self.kinds();
        table
            .names
            .get(usize::from(node.kind_id()))
            .map_or("", String::as_str)
    }

    /// [`Self::shape`] of a node's kind, by table lookup.
    pub fn shape_of(self, node: Node) -> Shape {
        let table = self.kinds();
        table
            .shapes
            .get(usize::from(node.kind_id()))
            .copied()
            .unwrap_or(Shape::Other)
    }

    /// [`Self::is_block`] of a node's kind, by table lookup.
    pub fn is_block_node(self, node: Node) -> bool {
        let table = self.kinds();
        table
            .blocks
            .get(usize::from(node.kind_id()))
            .copied()
            .unwrap_or(false)
    }

    /// The ids of the node kinds named `kind` (aliases share a name).
    pub fn kind_ids(self, kind: &str) -> &'static [u16] {
        self.kinds().ids.get(kind).map_or(&[], Vec::as_slice)
    }

    fn kinds(self) -> &'static KindTable {
        static TABLES: [OnceLock<KindTable>; 5] = [const { OnceLock::new() }; 5];
        TABLES[self as usize].get_or_init(|| {
            let grammar = self.grammar();
            let mut table = KindTable::default();
            for id in 0..grammar.node_kind_count() {
                let id = u16::try_from(id).unwrap_or(u16::MAX);
                let name = grammar.node_kind_for_id(id).unwrap_or("").to_string();
                table.shapes.push(self.shape(&name));
                table.blocks.push(self.is_block(&name));
                table.ids.entry(name.clone()).or_default().push(id);
                table.names.push(name);
            }
            table
        })
    }

    /// Node kinds that hold statements in sequence: a finding's anchor (what
    /// a suppression comment above it covers) is the child of one of these.
    pub fn is_block(self, kind: &str) -> bool {
        matches!(
            kind,
            "module"
                | "block"
                | "program"
                | "statement_block"
                | "statement_list"
                | "source_file"
                | "class_body"
                | "switch_case"
                | "switch_default"
                | "expression_case"
                | "default_case"
                | "communication_case"
                | "type_case"
                | "else_clause"
        )
    }
}

/// The shapes of syntax the data flow understands. Field names differ per
/// grammar, so the shapes carry them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A function, method or lambda: a scope of its own.
    Function,
    /// `f(args)`, `obj.m(args)`; a tagged template when `arguments` is a
    /// template string.
    Call,
    /// `obj.name`: `object` and `property` are the fields of each part.
    Member {
        object: &'static str,
        property: &'static str,
    },
    /// `obj[index]`: `object` is the field of the indexed value.
    Subscript {
        object: &'static str,
    },
    Identifier,
    /// A string literal: its text pieces, escapes and (for f-strings and
    /// template literals) interpolations are its children.
    String,
    /// Python's implicit concatenation `"a" "b"`.
    ConcatenatedString,
    /// `left <op> right`.
    Binary,
    /// A node whose value is its only named child: parentheses, `await`,
    /// TypeScript casts.
    Transparent,
    /// `a if c else b`, `c ? a : b`, `a or b`: the value is one of several
    /// children.
    Alternatives,
    /// Numbers, booleans, null: constants that are not text.
    Scalar,
    /// Lists, tuples, arrays, dicts, objects, composite literals: the value
    /// is every element's.
    Collection,
    /// `[x for y in z]`, `(x for ...)`: the value is the element's.
    Comprehension,
    /// `x = v` (also `x := v` in Go and Python).
    Assignment {
        left: &'static str,
        right: &'static str,
    },
    /// `x += v` and friends; the operator is the `operator` field.
    AugmentedAssignment {
        left: &'static str,
        right: &'static str,
    },
    /// `let x = v`, `var x T = v`: `name` fields (Go allows several) and an
    /// optional `value`.
    Declarator {
        name: &'static str,
        value: &'static str,
    },
    /// `for x in xs`, `for (const x of xs)`, `for _, x := range xs`.
    ForIn {
        left: &'static str,
        right: &'static str,
    },
    Other,
}

fn python_shape(kind: &str) -> Shape {
    match kind {
        "function_definition" | "lambda" => Shape::Function,
        "call" => Shape::Call,
        "attribute" => Shape::Member {
            object: "object",
            property: "attribute",
        },
        "subscript" => Shape::Subscript { object: "value" },
        "identifier" => Shape::Identifier,
        "string" => Shape::String,
        "concatenated_string" => Shape::ConcatenatedString,
        "binary_operator" => Shape::Binary,
        "parenthesized_expression" | "await" | "interpolation" | "expression_statement" => {
            Shape::Transparent
        }
        "conditional_expression" | "boolean_operator" => Shape::Alternatives,
        "integer"
        | "float"
        | "true"
        | "false"
        | "none"
        | "comparison_operator"
        | "not_operator"
        | "unary_operator" => Shape::Scalar,
        "list" | "tuple" | "set" | "dictionary" | "expression_list" | "pair" => Shape::Collection,
        "list_comprehension"
        | "set_comprehension"
        | "generator_expression"
        | "dictionary_comprehension" => Shape::Comprehension,
        "assignment" | "named_expression" => Shape::Assignment {
            left: if kind == "assignment" { "left" } else { "name" },
            right: if kind == "assignment" {
                "right"
            } else {
                "value"
            },
        },
        "augmented_assignment" => Shape::AugmentedAssignment {
            left: "left",
            right: "right",
        },
        "for_statement" | "for_in_clause" => Shape::ForIn {
            left: "left",
            right: "right",
        },
        _ => Shape::Other,
    }
}

fn js_shape(kind: &str) -> Shape {
    match kind {
        "function_declaration"
        | "function_expression"
        | "function"
        | "arrow_function"
        | "method_definition"
        | "generator_function"
        | "generator_function_declaration" => Shape::Function,
        "call_expression" | "new_expression" => Shape::Call,
        "member_expression" => Shape::Member {
            object: "object",
            property: "property",
        },
        "subscript_expression" => Shape::Subscript { object: "object" },
        "identifier"
        | "shorthand_property_identifier_pattern"
        | "shorthand_property_identifier" => Shape::Identifier,
        "string" | "template_string" => Shape::String,
        "binary_expression" => Shape::Binary,
        "parenthesized_expression"
        | "await_expression"
        | "as_expression"
        | "non_null_expression"
        | "satisfies_expression"
        | "type_assertion"
        | "template_substitution"
        | "spread_element"
        | "expression_statement" => Shape::Transparent,
        "ternary_expression" => Shape::Alternatives,
        "number" | "true" | "false" | "null" | "undefined" | "unary_expression" => Shape::Scalar,
        "array" | "object" | "pair" | "sequence_expression" => Shape::Collection,
        "assignment_expression" => Shape::Assignment {
            left: "left",
            right: "right",
        },
        "augmented_assignment_expression" => Shape::AugmentedAssignment {
            left: "left",
            right: "right",
        },
        "variable_declarator" => Shape::Declarator {
            name: "name",
            value: "value",
        },
        "for_in_statement" => Shape::ForIn {
            left: "left",
            right: "right",
        },
        _ => Shape::Other,
    }
}

fn go_shape(kind: &str) -> Shape {
    match kind {
        "function_declaration" | "method_declaration" | "func_literal" => Shape::Function,
        "call_expression" => Shape::Call,
        "selector_expression" => Shape::Member {
            object: "operand",
            property: "field",
        },
        "index_expression" => Shape::Subscript { object: "operand" },
        "identifier" => Shape::Identifier,
        "interpreted_string_literal" | "raw_string_literal" => Shape::String,
        "binary_expression" => Shape::Binary,
        "parenthesized_expression" | "expression_statement" | "unary_expression" => {
            Shape::Transparent
        }
        "int_literal" | "float_literal" | "imaginary_literal" | "rune_literal" | "true"
        | "false" | "nil" | "iota" => Shape::Scalar,
        "composite_literal" | "literal_value" | "expression_list" | "keyed_element"
        | "literal_element" => Shape::Collection,
        "short_var_declaration" => Shape::Assignment {
            left: "left",
            right: "right",
        },
        // `=` or `+=`: the operator decides, see the data flow.
        "assignment_statement" => Shape::AugmentedAssignment {
            left: "left",
            right: "right",
        },
        "var_spec" | "const_spec" => Shape::Declarator {
            name: "name",
            value: "value",
        },
        "range_clause" => Shape::ForIn {
            left: "left",
            right: "right",
        },
        _ => Shape::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_pick_grammars() {
        for (name, lang) in [
            ("a.py", Lang::Python),
            ("a.mjs", Lang::JavaScript),
            ("a.cjs", Lang::JavaScript),
            ("a.jsx", Lang::JavaScript),
            ("a.mts", Lang::TypeScript),
            ("a.TSX", Lang::Tsx),
            ("a.go", Lang::Go),
        ] {
            assert_eq!(Lang::from_path(Path::new(name)), Some(lang), "{name}");
        }
        assert_eq!(Lang::from_path(Path::new("a.sql")), None);
    }
}
