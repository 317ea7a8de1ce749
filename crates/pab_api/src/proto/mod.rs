//! Protocol Buffers: one parse per file (protox-parse, which reads the
//! syntax without resolving imports), turned into a small owned model of
//! the file's package, messages, enums and services with the byte ranges of
//! their names, which the `api/proto-*` rules read.
//!
//! protox-parse stops at the first syntax error: such a file is reported
//! with the error's position and not checked further (the run continues).

use crate::rule::Reporter;
use pab_core::{Diagnostics, Settings, SourceFile};
use prost_types::{
    source_code_info::Location, DescriptorProto, EnumDescriptorProto, FileDescriptorProto,
};
use std::collections::HashMap;

/// A name with its bytes in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    pub range: (usize, usize),
}

/// A field of a message.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: Name,
    /// The message or enum type as written (`google.protobuf.FieldMask`,
    /// without a leading dot); `None` for scalar types.
    pub type_name: Option<String>,
    /// Whether the field is a `string`.
    pub is_string: bool,
    pub repeated: bool,
    /// The whole field declaration.
    pub range: (usize, usize),
}

/// A message, nested ones included.
#[derive(Debug, Clone)]
pub struct Message {
    pub name: Name,
    /// Dotted name inside the package (`Order.Line` for a nested message).
    pub path: String,
    pub fields: Vec<Field>,
    pub oneofs: Vec<Name>,
    /// Names of the options set with `option (...)` (custom options, as
    /// `google.api.resource`).
    pub custom_options: Vec<String>,
    pub comment: Option<String>,
    pub range: (usize, usize),
}

impl Message {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name.text == name)
    }
}

/// An enum value.
#[derive(Debug, Clone)]
pub struct EnumValue {
    pub name: Name,
    pub number: i32,
    pub range: (usize, usize),
}

/// An enum, nested ones included.
#[derive(Debug, Clone)]
pub struct Enum {
    pub name: Name,
    pub values: Vec<EnumValue>,
    pub range: (usize, usize),
}

/// A method of a service.
#[derive(Debug, Clone)]
pub struct Method {
    pub name: Name,
    /// The request type as written (no leading dot), with its bytes.
    pub input: Name,
    pub output: Name,
    pub client_streaming: bool,
    pub server_streaming: bool,
    pub comment: Option<String>,
    pub range: (usize, usize),
}

/// A service.
#[derive(Debug, Clone)]
pub struct Service {
    pub name: Name,
    pub methods: Vec<Method>,
    pub comment: Option<String>,
    pub range: (usize, usize),
}

/// One parsed `.proto` file.
pub struct ProtoFile<'a> {
    pub file: &'a SourceFile,
    pub settings: &'a Settings,
    /// The package name, with the bytes of the name in `package x.y;`.
    pub package: Option<Name>,
    /// The whole `package` statement (or the file start when there is none).
    pub package_statement: (usize, usize),
    pub imports: Vec<String>,
    /// Every message, nested ones included, in file order; the entries
    /// protobuf generates for `map<k, v>` fields are left out.
    pub messages: Vec<Message>,
    pub enums: Vec<Enum>,
    pub services: Vec<Service>,
}

impl<'a> ProtoFile<'a> {
    /// Parses `file`; a syntax error goes to `out.errors` with its position
    /// and the result is `None`.
    pub fn parse(
        file: &'a SourceFile,
        settings: &'a Settings,
        out: &mut Diagnostics,
    ) -> Option<Self> {
        let descriptor = match protox_parse::parse(&file.path, &file.text) {
            Ok(d) => d,
            Err(e) => {
                let at = e.span().map(|s| s.start.min(file.text.len()));
                out.error(
                    file,
                    at,
                    format!("protobuf syntax error: {e}; the file was not checked further"),
                );
                return None;
            }
        };
        Some(Builder::new(file).build(descriptor, settings))
    }

    /// The message whose name (or dotted path in the package) is the last
    /// part of `reference` (`.shop.v1.Order`, `Order`), if this file
    /// defines it. Types of other packages are never matched.
    pub fn message(&self, reference: &str) -> Option<&Message> {
        let reference = reference.trim_start_matches('.');
        let local = match &self.package {
            Some(p) => reference
                .strip_prefix(p.text.as_str())
                .and_then(|r| r.strip_prefix('.'))
                .unwrap_or(reference),
            None => reference,
        };
        self.messages.iter().find(|m| m.path == local)
    }

    /// Whether the file imports `path`.
    pub fn imports(&self, path: &str) -> bool {
        self.imports.iter().any(|i| i == path)
    }
}

/// The last dotted part of a type reference (`Order` in `.shop.v1.Order`).
pub fn simple_name(reference: &str) -> &str {
    reference.rsplit('.').next().unwrap_or(reference)
}

/// Descriptor field numbers, for source code info paths.
mod tag {
    pub const FILE_PACKAGE: i32 = 2;
    pub const FILE_MESSAGE: i32 = 4;
    pub const FILE_ENUM: i32 = 5;
    pub const FILE_SERVICE: i32 = 6;
    pub const MESSAGE_FIELD: i32 = 2;
    pub const MESSAGE_NESTED: i32 = 3;
    pub const MESSAGE_ENUM: i32 = 4;
    pub const MESSAGE_ONEOF: i32 = 8;
    pub const ENUM_VALUE: i32 = 2;
    pub const SERVICE_METHOD: i32 = 2;
    pub const NAME: i32 = 1;
    pub const METHOD_INPUT: i32 = 2;
    pub const METHOD_OUTPUT: i32 = 3;
}

struct Builder<'f> {
    file: &'f SourceFile,
    locations: HashMap<Vec<i32>, Location>,
    messages: Vec<Message>,
    enums: Vec<Enum>,
}

impl<'f> Builder<'f> {
    fn new(file: &'f SourceFile) -> Self {
        Builder {
            file,
            locations: HashMap::new(),
            messages: Vec::new(),
            enums: Vec::new(),
        }
    }

    fn build<'a>(mut self, d: FileDescriptorProto, settings: &'a Settings) -> ProtoFile<'a>
    where
        'f: 'a,
    {
        let info = d.source_code_info.clone().unwrap_or_default();
        for l in info.location {
            // The first location of a path is the declaration's.
            self.locations.entry(l.path.clone()).or_insert(l);
        }
        let package_statement = self.range(&[tag::FILE_PACKAGE]).unwrap_or((0, 0));
        let package = d.package.as_ref().filter(|p| !p.is_empty()).map(|p| {
            let statement = self.slice(package_statement);
            let range = statement
                .find(p.as_str())
                .map(|i| (package_statement.0 + i, package_statement.0 + i + p.len()))
                .unwrap_or(package_statement);
            Name {
                text: p.clone(),
                range,
            }
        });
        for (i, m) in d.message_type.iter().enumerate() {
            self.message(m, vec![tag::FILE_MESSAGE, i as i32], "");
        }
        for (i, e) in d.enum_type.iter().enumerate() {
            self.enumeration(e, vec![tag::FILE_ENUM, i as i32]);
        }
        let services = d
            .service
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let path = vec![tag::FILE_SERVICE, i as i32];
                let methods = s
                    .method
                    .iter()
                    .enumerate()
                    .map(|(j, m)| {
                        let mut path = path.clone();
                        path.extend([tag::SERVICE_METHOD, j as i32]);
                        Method {
                            name: self.name(&path, m.name()),
                            input: self.part(&path, tag::METHOD_INPUT, m.input_type()),
                            output: self.part(&path, tag::METHOD_OUTPUT, m.output_type()),
                            client_streaming: m.client_streaming(),
                            server_streaming: m.server_streaming(),
                            comment: self.comment(&path),
                            range: self.range(&path).unwrap_or((0, 0)),
                        }
                    })
                    .collect();
                Service {
                    name: self.name(&path, s.name()),
                    methods,
                    comment: self.comment(&path),
                    range: self.range(&path).unwrap_or((0, 0)),
                }
            })
            .collect();
        ProtoFile {
            file: self.file,
            settings,
            package,
            package_statement,
            imports: d.dependency.clone(),
            messages: self.messages,
            enums: self.enums,
            services,
        }
    }

    fn slice(&self, range: (usize, usize)) -> &str {
        self.file.text.get(range.0..range.1).unwrap_or("")
    }

    /// The byte offset of a (0-based line, byte column) pair.
    fn offset(&self, line: i32, column: i32) -> usize {
        let line = u32::try_from(line).unwrap_or(0).saturating_add(1);
        let start = self.file.line_start(line);
        let column = usize::try_from(column).unwrap_or(0);
        (start + column).min(self.file.text.len())
    }

    fn range(&self, path: &[i32]) -> Option<(usize, usize)> {
        let span = &self.locations.get(path)?.span;
        let (start, end) = match span.as_slice() {
            [line, col, end_col] => (self.offset(*line, *col), self.offset(*line, *end_col)),
            [line, col, end_line, end_col] => {
                (self.offset(*line, *col), self.offset(*end_line, *end_col))
            }
            _ => return None,
        };
        Some((start, end.max(start)))
    }

    fn comment(&self, path: &[i32]) -> Option<String> {
        self.locations
            .get(path)?
            .leading_comments
            .clone()
            .filter(|c| !c.trim().is_empty())
    }

    /// The name at `path` + NAME, falling back to the declaration's range.
    fn name(&self, path: &[i32], text: &str) -> Name {
        self.part(path, tag::NAME, text)
    }

    fn part(&self, path: &[i32], part: i32, text: &str) -> Name {
        let mut p = path.to_vec();
        p.push(part);
        let range = self
            .range(&p)
            .or_else(|| self.range(path))
            .unwrap_or((0, 0));
        Name {
            text: text.trim_start_matches('.').to_string(),
            range,
        }
    }

    fn message(&mut self, m: &DescriptorProto, path: Vec<i32>, outer: &str) {
        if m.options.as_ref().is_some_and(|o| o.map_entry()) {
            return;
        }
        let dotted = if outer.is_empty() {
            m.name().to_string()
        } else {
            format!("{outer}.{}", m.name())
        };
        let fields = m
            .field
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let mut p = path.clone();
                p.extend([tag::MESSAGE_FIELD, i as i32]);
                Field {
                    name: self.name(&p, f.name()),
                    type_name: f
                        .type_name
                        .as_ref()
                        .map(|t| t.trim_start_matches('.').to_string()),
                    is_string: f.r#type
                        == Some(prost_types::field_descriptor_proto::Type::String as i32),
                    repeated: f.label
                        == Some(prost_types::field_descriptor_proto::Label::Repeated as i32),
                    range: self.range(&p).unwrap_or((0, 0)),
                }
            })
            .collect();
        let oneofs = m
            .oneof_decl
            .iter()
            .enumerate()
            // proto3 `optional` fields get a synthetic oneof named `_field`.
            .filter(|(_, o)| !o.name().starts_with('_'))
            .map(|(i, o)| {
                let mut p = path.clone();
                p.extend([tag::MESSAGE_ONEOF, i as i32]);
                self.name(&p, o.name())
            })
            .collect();
        let custom_options = m
            .options
            .iter()
            .flat_map(|o| &o.uninterpreted_option)
            .map(|o| {
                o.name
                    .iter()
                    .map(|n| n.name_part.as_str())
                    .collect::<Vec<_>>()
                    .join(".")
            })
            .collect();
        self.messages.push(Message {
            name: self.name(&path, m.name()),
            path: dotted.clone(),
            fields,
            oneofs,
            custom_options,
            comment: self.comment(&path),
            range: self.range(&path).unwrap_or((0, 0)),
        });
        for (i, n) in m.nested_type.iter().enumerate() {
            let mut p = path.clone();
            p.extend([tag::MESSAGE_NESTED, i as i32]);
            self.message(n, p, &dotted);
        }
        for (i, e) in m.enum_type.iter().enumerate() {
            let mut p = path.clone();
            p.extend([tag::MESSAGE_ENUM, i as i32]);
            self.enumeration(e, p);
        }
    }

    fn enumeration(&mut self, e: &EnumDescriptorProto, path: Vec<i32>) {
        let values = e
            .value
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let mut p = path.clone();
                p.extend([tag::ENUM_VALUE, i as i32]);
                EnumValue {
                    name: self.name(&p, v.name()),
                    number: v.number(),
                    range: self.range(&p).unwrap_or((0, 0)),
                }
            })
            .collect();
        self.enums.push(Enum {
            name: self.name(&path, e.name()),
            values,
            range: self.range(&path).unwrap_or((0, 0)),
        });
    }
}

/// Parses a protobuf file and runs the enabled rules on it.
pub fn analyze(file: &SourceFile, settings: &Settings, out: &mut Diagnostics) {
    let Some(proto) = ProtoFile::parse(file, settings, out) else {
        return;
    };
    if let Some(package) = proto
        .package
        .as_ref()
        .filter(|p| third_party_package(&p.text))
    {
        out.note(
            file,
            Some(file.position(package.range.0).line),
            format!(
                "not reviewed: `{}` is a well-known third-party package (a vendored copy); review your own protos",
                package.text
            ),
        );
        return;
    }
    let mut reporter = Reporter::new(file, settings, out);
    for rule in crate::rules::ALL_RULES {
        if settings.rules.is_enabled(rule.meta()) {
            rule.check_proto(&proto, &mut reporter);
        }
    }
}

/// Packages whose protos projects vendor rather than write (googleapis,
/// gRPC's health and reflection services, validation and gateway options):
/// their style is not the project's to fix.
const THIRD_PARTY_PACKAGES: &[&str] = &[
    "google",
    "grpc",
    "buf.validate",
    "validate",
    "gogoproto",
    "grpc.gateway",
    "envoy",
    "xds",
    "udpa",
    "opentelemetry.proto",
];

/// Whether `package` is, or is inside, a well-known third-party package.
pub fn third_party_package(package: &str) -> bool {
    THIRD_PARTY_PACKAGES.iter().any(|p| {
        package == *p
            || package
                .strip_prefix(p)
                .is_some_and(|rest| rest.starts_with('.'))
    })
}

/// `PascalCase`: a capital letter, then letters and digits.
pub fn is_pascal_case(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase()) && chars.all(|c| c.is_ascii_alphanumeric())
}

/// `lower_snake_case`: lowercase letters and digits in words joined by
/// single underscores, starting with a letter.
pub fn is_lower_snake_case(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name.split('_').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// `UPPER_SNAKE_CASE`: capitals and digits in words joined by single
/// underscores, starting with a capital.
pub fn is_upper_snake_case(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.split('_').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
}

/// `OrderStatus` -> `ORDER_STATUS`, `HTTPMethod` -> `HTTP_METHOD`,
/// `V2Thing` -> `V2_THING`.
pub fn upper_snake(pascal: &str) -> String {
    let chars: Vec<char> = pascal.chars().collect();
    let mut out = String::with_capacity(pascal.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            continue;
        }
        if i > 0 && c.is_ascii_uppercase() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let boundary = prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower);
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// The AIP standard method an RPC name spells (`GetBook` -> (`Get`,
/// `Book`)), if any.
pub fn standard_method(rpc: &str) -> Option<(&'static str, &str)> {
    ["Get", "List", "Create", "Update", "Delete", "Undelete"]
        .into_iter()
        .find_map(|verb| {
            let rest = rpc.strip_prefix(verb)?;
            rest.starts_with(|c: char| c.is_ascii_uppercase())
                .then_some((verb, rest))
        })
}

/// Whether `m` returns what the AIP standard methods return in place of a
/// `<Rpc>Response`: the resource itself (`GetBook` returns `Book`), or a
/// long-running operation.
pub fn returns_resource(m: &Method) -> bool {
    let output = simple_name(&m.output.text);
    m.output.text == "google.longrunning.Operation"
        || matches!(
            standard_method(&m.name.text),
            Some(("Get" | "Create" | "Update" | "Undelete", resource)) if resource == output
        )
}

/// `google.protobuf.Empty`, however it is written.
pub fn is_empty_type(reference: &str) -> bool {
    reference.trim_start_matches('.') == "google.protobuf.Empty"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert!(is_lower_snake_case("page_size"));
        assert!(is_lower_snake_case("address_1"));
        assert!(!is_lower_snake_case("pageSize"));
        assert!(!is_lower_snake_case("page__size"));
        assert!(!is_lower_snake_case("_page"));
        assert!(is_upper_snake_case("ORDER_STATUS_UNSPECIFIED"));
        assert!(!is_upper_snake_case("OrderStatus"));
        assert_eq!(upper_snake("OrderStatus"), "ORDER_STATUS");
        assert_eq!(upper_snake("HTTPMethod"), "HTTP_METHOD");
        assert_eq!(upper_snake("V2Thing"), "V2_THING");
        assert_eq!(upper_snake("Status"), "STATUS");
        assert_eq!(simple_name(".shop.v1.Order"), "Order");
        assert!(third_party_package("google.api"));
        assert!(third_party_package("grpc.health.v1"));
        assert!(!third_party_package("googleish.v1"));
        assert!(!third_party_package("shop.v1"));
    }
}
