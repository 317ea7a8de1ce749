//! GraphQL schema definition language: one error-tolerant parse per file
//! (apollo-parser), turned into a small owned model of the type system
//! definitions that the `api/graphql-*` rules read. Syntax errors are
//! reported with their position and whatever parsed is still checked.
//! Executable documents (queries, fragments) in the same file are ignored:
//! the rules review the contract, not its clients.

use crate::rule::Reporter;
use apollo_parser::cst::{self, CstNode};
use apollo_parser::Parser;
use pab_core::{Diagnostics, Settings, SourceFile};
use std::collections::HashMap;

/// Nesting deeper than this is reported as an error instead of being
/// followed: an SDL file never nests this deep, and the parser recurses.
const RECURSION_LIMIT: usize = 128;

/// Syntax errors reported one by one; the rest are counted in one more.
const MAX_ERRORS: usize = 10;

/// The built-in scalar types.
pub const BUILTIN_SCALARS: &[&str] = &["String", "Int", "Float", "Boolean", "ID"];

/// What a named type is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeKind {
    Object,
    Interface,
    Union,
    Enum,
    InputObject,
    Scalar,
}

impl TypeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TypeKind::Object => "type",
            TypeKind::Interface => "interface",
            TypeKind::Union => "union",
            TypeKind::Enum => "enum",
            TypeKind::InputObject => "input",
            TypeKind::Scalar => "scalar",
        }
    }
}

/// A name as written, with its bytes in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    pub range: (usize, usize),
}

/// A type reference (`[User!]!`): the named type inside, and its wrappers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeRef {
    /// The named type at the bottom (`User`).
    pub name: String,
    /// Whether a list wraps it at any level.
    pub list: bool,
    /// Whether the outermost type is non-null.
    pub non_null: bool,
}

/// A directive use (`@deprecated(reason: "...")`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub name: String,
    pub range: (usize, usize),
    /// Argument names, with the content of the value when it is a string
    /// literal (quotes removed, escapes left as written).
    pub args: Vec<(String, Option<String>)>,
}

impl Directive {
    /// The argument `name`, if given: `Some(None)` when its value is not a
    /// string literal.
    pub fn arg(&self, name: &str) -> Option<Option<&str>> {
        self.args
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_deref())
    }
}

/// An argument or an input object field.
#[derive(Debug, Clone)]
pub struct InputValue {
    pub name: Name,
    pub ty: Option<TypeRef>,
    /// Whether it has a non-empty description.
    pub described: bool,
    /// Whether it declares a default value (`= 10`).
    pub has_default: bool,
    pub directives: Vec<Directive>,
    pub range: (usize, usize),
}

/// A field of an object or interface type.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: Name,
    pub args: Vec<InputValue>,
    pub ty: Option<TypeRef>,
    pub described: bool,
    pub directives: Vec<Directive>,
    /// The whole definition, description included: suppressions above it
    /// cover it.
    pub range: (usize, usize),
}

/// A value of an enum type.
#[derive(Debug, Clone)]
pub struct EnumValue {
    pub name: Name,
    pub described: bool,
    pub directives: Vec<Directive>,
    pub range: (usize, usize),
}

/// A type definition or extension.
#[derive(Debug, Clone)]
pub struct TypeDef {
    pub kind: TypeKind,
    pub name: Name,
    /// `extend type ...`: the type is defined elsewhere.
    pub extension: bool,
    pub described: bool,
    pub directives: Vec<Directive>,
    /// Fields of an object or interface type.
    pub fields: Vec<Field>,
    /// Fields of an input object type.
    pub input_fields: Vec<InputValue>,
    /// Values of an enum type.
    pub values: Vec<EnumValue>,
    /// From the start of the definition (its description) to the end of its
    /// name: the construct a type-level finding belongs to.
    pub header: (usize, usize),
}

/// One GraphQL file's type system, as far as it parsed.
pub struct Schema<'a> {
    pub file: &'a SourceFile,
    pub settings: &'a Settings,
    /// Type definitions and extensions, in file order.
    pub types: Vec<TypeDef>,
    query: String,
    mutation: String,
    subscription: String,
    /// Whether the file had syntax errors (some definitions may be missing).
    pub has_errors: bool,
    /// The kind of every type the file defines or extends (first wins).
    kinds: HashMap<String, TypeKind>,
}

/// The root operation types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Query,
    Mutation,
    Subscription,
}

impl<'a> Schema<'a> {
    /// Parses `file`; syntax errors go to `out.errors` with their position.
    pub fn parse(file: &'a SourceFile, settings: &'a Settings, out: &mut Diagnostics) -> Self {
        let text = file.text.as_str();
        let mut schema = Schema {
            file,
            settings,
            types: Vec::new(),
            query: "Query".into(),
            mutation: "Mutation".into(),
            subscription: "Subscription".into(),
            has_errors: false,
            kinds: HashMap::new(),
        };
        // A file of only comments (or nothing) is empty, not a syntax error
        // (the grammar wants at least one definition).
        let blank = text.lines().all(|l| {
            let l = l.trim_matches(|c: char| c.is_whitespace() || c == ',' || c == '\u{feff}');
            l.is_empty() || l.starts_with('#')
        });
        if blank {
            return schema;
        }
        let tree = Parser::new(text).recursion_limit(RECURSION_LIMIT).parse();
        let mut errors = 0usize;
        for e in tree.errors() {
            errors += 1;
            if errors <= MAX_ERRORS {
                let at = e.index().min(text.len());
                out.error(
                    file,
                    Some(at),
                    format!("GraphQL syntax error: {}", e.message()),
                );
            }
        }
        if errors > MAX_ERRORS {
            out.error(
                file,
                None,
                format!(
                    "{} more GraphQL syntax errors; the parts of the file that parse were reviewed",
                    errors - MAX_ERRORS
                ),
            );
        }
        schema.has_errors = errors > 0;
        let b = Builder { text };
        for def in tree.document().definitions() {
            match def {
                cst::Definition::SchemaDefinition(d) => {
                    schema.roots(d.root_operation_type_definitions(), &b)
                }
                cst::Definition::SchemaExtension(d) => {
                    schema.roots(d.root_operation_type_definitions(), &b)
                }
                other => {
                    if let Some(t) = b.type_def(&other) {
                        schema.types.push(t);
                    }
                }
            }
        }
        for t in &schema.types {
            schema.kinds.entry(t.name.text.clone()).or_insert(t.kind);
        }
        schema
    }

    fn roots(&mut self, defs: cst::CstChildren<cst::RootOperationTypeDefinition>, b: &Builder) {
        for root in defs {
            let (Some(op), Some(name)) = (
                root.operation_type(),
                root.named_type().and_then(|t| t.name()),
            ) else {
                continue;
            };
            let name = b.name(&name).text;
            if op.query_token().is_some() {
                self.query = name;
            } else if op.mutation_token().is_some() {
                self.mutation = name;
            } else if op.subscription_token().is_some() {
                self.subscription = name;
            }
        }
    }

    /// The name of a root operation type (`Query` unless a `schema`
    /// definition in the file says otherwise).
    pub fn root(&self, op: Operation) -> &str {
        match op {
            Operation::Query => &self.query,
            Operation::Mutation => &self.mutation,
            Operation::Subscription => &self.subscription,
        }
    }

    /// The root operation `name` is the root type of, if any.
    pub fn root_of(&self, name: &str) -> Option<Operation> {
        [
            Operation::Query,
            Operation::Mutation,
            Operation::Subscription,
        ]
        .into_iter()
        .find(|&op| self.root(op) == name)
    }

    /// The fields of every object definition or extension of the root type
    /// of `op` in this file, with their type.
    pub fn root_fields(&self, op: Operation) -> impl Iterator<Item = &Field> {
        let root = self.root(op);
        self.types
            .iter()
            .filter(move |t| t.kind == TypeKind::Object && t.name.text == root)
            .flat_map(|t| &t.fields)
    }

    /// What `name` is, when the file defines or extends it (or it is a
    /// built-in scalar); `None` when the type is defined in another file.
    pub fn kind_of(&self, name: &str) -> Option<TypeKind> {
        if BUILTIN_SCALARS.contains(&name) {
            return Some(TypeKind::Scalar);
        }
        self.kinds.get(name).copied()
    }

    /// Whether values of `name` are leaves (scalars and enums): `None` when
    /// the type is not known in this file.
    pub fn is_leaf(&self, name: &str) -> Option<bool> {
        self.kind_of(name)
            .map(|k| matches!(k, TypeKind::Scalar | TypeKind::Enum))
    }
}

/// Turns the concrete syntax tree into the model, reading names and
/// literals from the source text by their ranges (never unescaping, which
/// assumes a well-formed tree).
struct Builder<'t> {
    text: &'t str,
}

impl Builder<'_> {
    fn range(&self, node: &impl CstNode) -> (usize, usize) {
        let r = node.syntax().text_range();
        let (start, end) = (usize::from(r.start()), usize::from(r.end()));
        (start.min(self.text.len()), end.min(self.text.len()))
    }

    fn slice(&self, range: (usize, usize)) -> &str {
        self.text.get(range.0..range.1).unwrap_or("")
    }

    fn name(&self, name: &cst::Name) -> Name {
        let range = self.range(name);
        Name {
            text: self.slice(range).trim().to_string(),
            range,
        }
    }

    /// Whether a description has text other than whitespace.
    fn described(&self, d: Option<cst::Description>) -> bool {
        d.and_then(|d| d.string_value())
            .is_some_and(|s| !string_content(self.slice(self.range(&s))).trim().is_empty())
    }

    fn directives(&self, d: Option<cst::Directives>) -> Vec<Directive> {
        let Some(d) = d else { return Vec::new() };
        d.directives()
            .filter_map(|d| {
                let name = self.name(&d.name()?).text;
                let args = d
                    .arguments()
                    .into_iter()
                    .flat_map(|a| a.arguments())
                    .filter_map(|a| {
                        let name = self.name(&a.name()?).text;
                        let value = match a.value() {
                            Some(cst::Value::StringValue(s)) => {
                                Some(string_content(self.slice(self.range(&s))).to_string())
                            }
                            _ => None,
                        };
                        Some((name, value))
                    })
                    .collect();
                Some(Directive {
                    name,
                    range: self.range(&d),
                    args,
                })
            })
            .collect()
    }

    /// A type reference, unwrapped without recursion (the parser bounds the
    /// depth, but a loop needs no bound).
    fn type_ref(&self, ty: Option<cst::Type>) -> Option<TypeRef> {
        let mut ty = ty?;
        let non_null = matches!(ty, cst::Type::NonNullType(_));
        let mut list = false;
        loop {
            ty = match ty {
                cst::Type::NamedType(n) => {
                    return Some(TypeRef {
                        name: self.name(&n.name()?).text,
                        list,
                        non_null,
                    })
                }
                cst::Type::ListType(l) => {
                    list = true;
                    l.ty()?
                }
                cst::Type::NonNullType(n) => match (n.named_type(), n.list_type()) {
                    (Some(named), _) => cst::Type::NamedType(named),
                    (None, Some(l)) => cst::Type::ListType(l),
                    (None, None) => return None,
                },
            };
        }
    }

    fn input_values(&self, values: cst::CstChildren<cst::InputValueDefinition>) -> Vec<InputValue> {
        values
            .filter_map(|v| {
                Some(InputValue {
                    name: self.name(&v.name()?),
                    ty: self.type_ref(v.ty()),
                    described: self.described(v.description()),
                    has_default: v.default_value().is_some(),
                    directives: self.directives(v.directives()),
                    range: self.range(&v),
                })
            })
            .collect()
    }

    fn fields(&self, fields: Option<cst::FieldsDefinition>) -> Vec<Field> {
        fields
            .into_iter()
            .flat_map(|f| f.field_definitions())
            .filter_map(|f| {
                Some(Field {
                    name: self.name(&f.name()?),
                    args: f
                        .arguments_definition()
                        .map(|a| self.input_values(a.input_value_definitions()))
                        .unwrap_or_default(),
                    ty: self.type_ref(f.ty()),
                    described: self.described(f.description()),
                    directives: self.directives(f.directives()),
                    range: self.range(&f),
                })
            })
            .collect()
    }

    fn enum_values(&self, values: Option<cst::EnumValuesDefinition>) -> Vec<EnumValue> {
        values
            .into_iter()
            .flat_map(|v| v.enum_value_definitions())
            .filter_map(|v| {
                Some(EnumValue {
                    name: self.name(&v.enum_value()?.name()?),
                    described: self.described(v.description()),
                    directives: self.directives(v.directives()),
                    range: self.range(&v),
                })
            })
            .collect()
    }

    fn type_def(&self, def: &cst::Definition) -> Option<TypeDef> {
        use cst::Definition as D;
        let mut t = TypeDef {
            kind: TypeKind::Object,
            name: Name {
                text: String::new(),
                range: (0, 0),
            },
            extension: def.is_extension_definition(),
            described: false,
            directives: Vec::new(),
            fields: Vec::new(),
            input_fields: Vec::new(),
            values: Vec::new(),
            header: (0, 0),
        };
        let name = match def {
            D::ObjectTypeDefinition(d) => {
                t.described = self.described(d.description());
                t.directives = self.directives(d.directives());
                t.fields = self.fields(d.fields_definition());
                d.name()
            }
            D::ObjectTypeExtension(d) => {
                t.directives = self.directives(d.directives());
                t.fields = self.fields(d.fields_definition());
                d.name()
            }
            D::InterfaceTypeDefinition(d) => {
                t.kind = TypeKind::Interface;
                t.described = self.described(d.description());
                t.directives = self.directives(d.directives());
                t.fields = self.fields(d.fields_definition());
                d.name()
            }
            D::InterfaceTypeExtension(d) => {
                t.kind = TypeKind::Interface;
                t.directives = self.directives(d.directives());
                t.fields = self.fields(d.fields_definition());
                d.name()
            }
            D::InputObjectTypeDefinition(d) => {
                t.kind = TypeKind::InputObject;
                t.described = self.described(d.description());
                t.directives = self.directives(d.directives());
                t.input_fields = d
                    .input_fields_definition()
                    .map(|f| self.input_values(f.input_value_definitions()))
                    .unwrap_or_default();
                d.name()
            }
            D::InputObjectTypeExtension(d) => {
                t.kind = TypeKind::InputObject;
                t.directives = self.directives(d.directives());
                t.input_fields = d
                    .input_fields_definition()
                    .map(|f| self.input_values(f.input_value_definitions()))
                    .unwrap_or_default();
                d.name()
            }
            D::EnumTypeDefinition(d) => {
                t.kind = TypeKind::Enum;
                t.described = self.described(d.description());
                t.directives = self.directives(d.directives());
                t.values = self.enum_values(d.enum_values_definition());
                d.name()
            }
            D::EnumTypeExtension(d) => {
                t.kind = TypeKind::Enum;
                t.directives = self.directives(d.directives());
                t.values = self.enum_values(d.enum_values_definition());
                d.name()
            }
            D::UnionTypeDefinition(d) => {
                t.kind = TypeKind::Union;
                t.described = self.described(d.description());
                t.directives = self.directives(d.directives());
                d.name()
            }
            D::UnionTypeExtension(d) => {
                t.kind = TypeKind::Union;
                t.directives = self.directives(d.directives());
                d.name()
            }
            D::ScalarTypeDefinition(d) => {
                t.kind = TypeKind::Scalar;
                t.described = self.described(d.description());
                t.directives = self.directives(d.directives());
                d.name()
            }
            D::ScalarTypeExtension(d) => {
                t.kind = TypeKind::Scalar;
                t.directives = self.directives(d.directives());
                d.name()
            }
            _ => None,
        }?;
        t.name = self.name(&name);
        if t.name.text.is_empty() {
            return None;
        }
        t.header = (self.range(def).0, t.name.range.1);
        Some(t)
    }
}

/// The content of a string literal as written: `"..."` or `"""..."""`
/// without the quotes (escapes are not decoded).
pub fn string_content(literal: &str) -> &str {
    let s = literal.trim();
    if let Some(inner) = s.strip_prefix("\"\"\"") {
        return inner.strip_suffix("\"\"\"").unwrap_or(inner);
    }
    let inner = s.strip_prefix('"').unwrap_or(s);
    inner.strip_suffix('"').unwrap_or(inner)
}

/// Parses a GraphQL file and runs the enabled rules on it.
pub fn analyze(file: &SourceFile, settings: &Settings, out: &mut Diagnostics) {
    let schema = Schema::parse(file, settings, out);
    let mut reporter = Reporter::new(file, settings, out);
    for rule in crate::rules::ALL_RULES {
        if settings.rules.is_enabled(rule.meta()) {
            rule.check_graphql(&schema, &mut reporter);
        }
    }
}

/// `PascalCase`: a capital letter, then letters and digits (acronyms in
/// capitals are accepted: `HTTPHeader`).
pub fn is_pascal_case(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase()) && chars.all(|c| c.is_ascii_alphanumeric())
}

/// `camelCase`: a lowercase letter, then letters and digits.
pub fn is_camel_case(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase()) && chars.all(|c| c.is_ascii_alphanumeric())
}

/// `SCREAMING_SNAKE_CASE`: capitals and digits in words joined by single
/// underscores, starting with a capital.
pub fn is_screaming_snake_case(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.split('_').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
}

/// Names the GraphQL spec reserves (`__typename`) or that tools generate
/// (`_entities`, `_service` in Apollo Federation): not the author's choice.
pub fn is_reserved(name: &str) -> bool {
    name.starts_with('_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert!(is_pascal_case("OrderItem"));
        assert!(is_pascal_case("HTTPHeader"));
        assert!(!is_pascal_case("order_item"));
        assert!(!is_pascal_case("Order_Item"));
        assert!(is_camel_case("createdAt"));
        assert!(!is_camel_case("created_at"));
        assert!(!is_camel_case("CreatedAt"));
        assert!(is_screaming_snake_case("IN_STOCK"));
        assert!(is_screaming_snake_case("V2"));
        assert!(!is_screaming_snake_case("inStock"));
        assert!(!is_screaming_snake_case("IN__STOCK"));
        assert!(!is_screaming_snake_case("_IN"));
    }

    #[test]
    fn string_contents() {
        assert_eq!(string_content("\"a\""), "a");
        assert_eq!(string_content("\"\"\" a \"\"\""), " a ");
        assert_eq!(string_content("\""), "");
        assert_eq!(string_content("\"\"\""), "");
    }
}
