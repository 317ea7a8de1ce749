//! A YAML (and so JSON) document as a tree with byte spans, built from
//! saphyr-parser's event stream. saphyr keeps positions but its own tree
//! does not, and serde_json has none, so the tree is assembled here: one
//! pass over the events with an explicit stack (no recursion, so deep
//! nesting cannot overflow the stack), scalars borrowed from the input
//! where no unescaping was needed.

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};
use std::borrow::Cow;

/// Documents nested deeper than this are refused: no API description
/// needs it, and the rules walk schemas recursively.
pub const MAX_DEPTH: usize = 256;

/// A node and the bytes of the file it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    pub start: usize,
    pub end: usize,
    pub value: Value<'a>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    /// A number, as written (`1`, `1.5e3`, `0x1f`).
    Number(Cow<'a, str>),
    Str(Cow<'a, str>),
    Seq(Vec<Node<'a>>),
    /// Entries in document order; keys are usually strings.
    Map(Vec<(Node<'a>, Node<'a>)>),
    /// A YAML alias (`*name`): not expanded, so that a document of aliases
    /// to aliases cannot grow exponentially.
    Alias,
}

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset of the problem.
    pub offset: usize,
    pub message: String,
}

impl<'a> Node<'a> {
    pub fn range(&self) -> (usize, usize) {
        (self.start, self.end)
    }

    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key node and value of `key` in a mapping.
    pub fn entry(&self, key: &str) -> Option<(&Node<'a>, &Node<'a>)> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    /// Mapping entries (empty for anything else).
    pub fn entries(&self) -> &[(Node<'a>, Node<'a>)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    /// Sequence items (empty for anything else).
    pub fn items(&self) -> &[Node<'a>] {
        match &self.value {
            Value::Seq(items) => items,
            _ => &[],
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a scalar of any kind (a key written `200` is a number).
    pub fn scalar_text(&self) -> Option<Cow<'_, str>> {
        match &self.value {
            Value::Str(s) | Value::Number(s) => Some(Cow::Borrowed(s)),
            Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
            Value::Null => Some(Cow::Borrowed("null")),
            _ => None,
        }
    }

    pub fn is_map(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }

    pub fn is_seq(&self) -> bool {
        matches!(self.value, Value::Seq(_))
    }

    /// A copy that owns its text, for documents whose source is dropped.
    pub fn into_owned(self) -> Node<'static> {
        let value = match self.value {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(b),
            Value::Alias => Value::Alias,
            Value::Number(s) => Value::Number(Cow::Owned(s.into_owned())),
            Value::Str(s) => Value::Str(Cow::Owned(s.into_owned())),
            Value::Seq(items) => Value::Seq(items.into_iter().map(Node::into_owned).collect()),
            Value::Map(entries) => Value::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect(),
            ),
        };
        Node {
            start: self.start,
            end: self.end,
            value,
        }
    }
}

/// Converts saphyr's character indexes to byte offsets. Identity for ASCII
/// text; otherwise a checkpoint every 64 characters keeps the table small
/// and each lookup short, whatever the line lengths (a minified JSON file
/// is one line).
struct Offsets<'a> {
    text: &'a str,
    checkpoints: Option<Vec<usize>>,
}

const STRIDE: usize = 64;

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        let checkpoints = (!text.is_ascii()).then(|| {
            text.char_indices()
                .step_by(STRIDE)
                .map(|(byte, _)| byte)
                .collect()
        });
        Offsets { text, checkpoints }
    }

    fn byte(&self, char_index: usize) -> usize {
        let Some(points) = &self.checkpoints else {
            return char_index.min(self.text.len());
        };
        let Some(&base) = points.get(char_index / STRIDE) else {
            return self.text.len();
        };
        let rest = char_index % STRIDE;
        self.text[base..]
            .char_indices()
            .nth(rest)
            .map_or(self.text.len(), |(b, _)| base + b)
    }
}

/// A collection being built.
enum Open<'a> {
    Seq(usize, Vec<Node<'a>>),
    /// Entries and a key waiting for its value.
    Map(usize, Vec<(Node<'a>, Node<'a>)>, Option<Node<'a>>),
}

/// Parses the first document of `text`. `None` for an empty document.
pub fn parse(text: &str) -> Result<Option<Node<'_>>, ParseError> {
    let offsets = Offsets::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Open<'_>> = Vec::new();
    let scan_error = |e: ScanError| ParseError {
        offset: offsets.byte(e.marker().index()),
        message: e.info().to_string(),
    };
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(scan_error)?;
        let start = offsets.byte(span.start.index());
        let end = offsets.byte(span.end.index()).max(start);
        let done = match event {
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => continue,
            Event::StreamEnd | Event::DocumentEnd => return Ok(None),
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(ParseError {
                        offset: start,
                        message: format!("nested more than {MAX_DEPTH} levels deep"),
                    });
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Open::Seq(start, Vec::new())
                } else {
                    Open::Map(start, Vec::new(), None)
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let value = match stack.pop() {
                    Some(Open::Seq(s, items)) => (s, Value::Seq(items)),
                    Some(Open::Map(s, entries, _)) => (s, Value::Map(entries)),
                    None => continue,
                };
                Node {
                    start: value.0,
                    end: end.max(value.0),
                    value: value.1,
                }
            }
            Event::Alias(_) => Node {
                start,
                end,
                value: Value::Alias,
            },
            Event::Scalar(text, style, _, tag) => Node {
                start,
                end,
                value: scalar(text, style, tag.is_some()),
            },
        };
        match stack.last_mut() {
            None => return Ok(Some(done)),
            Some(Open::Seq(_, items)) => items.push(done),
            Some(Open::Map(_, entries, key)) => match key.take() {
                None => *key = Some(done),
                Some(k) => entries.push((k, done)),
            },
        }
    }
    Ok(None)
}

/// Resolves a scalar with the YAML 1.2 core schema: plain `null`, `true`,
/// numbers are typed, anything quoted or tagged is a string.
fn scalar(text: Cow<'_, str>, style: ScalarStyle, tagged: bool) -> Value<'_> {
    if style != ScalarStyle::Plain || tagged {
        return Value::Str(text);
    }
    match text.as_ref() {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        t if is_number(t) => Value::Number(text),
        _ => Value::Str(text),
    }
}

fn is_number(t: &str) -> bool {
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    if body.is_empty() {
        return false;
    }
    if let Some(hex) = body.strip_prefix("0x") {
        return !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    if let Some(oct) = body.strip_prefix("0o") {
        return !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b));
    }
    if matches!(body, ".inf" | ".Inf" | ".INF") || matches!(t, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    body.starts_with(|c: char| c.is_ascii_digit() || c == '.') && body.parse::<f64>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_keys_and_values_in_bytes() {
        let text = "a: 1\nb:\n  - \"é\"\n  - x\nc: {d: null}\n";
        let root = parse(text).unwrap().unwrap();
        let (k, v) = root.entry("b").unwrap();
        assert_eq!(&text[k.start..k.end], "b");
        let second = &v.items()[1];
        assert_eq!(&text[second.start..second.end], "x");
        assert_eq!(root.get("a").unwrap().value, Value::Number("1".into()));
        assert_eq!(root.get("c").unwrap().get("d").unwrap().value, Value::Null);
    }

    #[test]
    fn json_is_read_exactly() {
        let text =
            "{\"openapi\": \"3.0.0\", \"n\": 12, \"s\": \"a\\u00e9\\n\", \"t\": true, \"l\": []}";
        let root = parse(text).unwrap().unwrap();
        assert_eq!(root.get("openapi").unwrap().as_str(), Some("3.0.0"));
        assert_eq!(root.get("s").unwrap().as_str(), Some("aé\n"));
        assert_eq!(root.get("t").unwrap().value, Value::Bool(true));
        assert!(root.get("l").unwrap().is_seq());
    }

    #[test]
    fn errors_and_depth_limits_are_reported_not_panicked() {
        assert!(parse("a: [1, 2\nb: c").is_err());
        let deep = "[".repeat(10_000);
        let err = parse(&deep).unwrap_err();
        assert!(
            err.message.contains("nested") || err.message.contains("recursion"),
            "{err:?}"
        );
        assert_eq!(parse("").unwrap(), None);
    }
}
