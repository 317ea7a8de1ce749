//! A strict JSON parser producing the same spanned tree as the YAML path.
//! Written here because serde_json keeps no positions and YAML parsers
//! accept what JSON forbids (`"info": ,` reads as null in YAML), while a
//! `.json` description must be reported exactly where it is invalid. One
//! pass, an explicit stack (no recursion), strings borrowed from the input
//! unless they contain escapes.

use super::tree::{Node, ParseError, Value, MAX_DEPTH};
use std::borrow::Cow;

enum Open<'a> {
    Seq(usize, Vec<Node<'a>>),
    Map(usize, Vec<(Node<'a>, Node<'a>)>, Option<Node<'a>>),
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

fn fail<T>(offset: usize, message: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError {
        offset,
        message: message.into(),
    })
}

impl<'a> Reader<'a> {
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn string(&mut self) -> Result<Node<'a>, ParseError> {
        let start = self.pos;
        self.pos += 1;
        let content = self.pos;
        let mut owned: Option<String> = None;
        let mut run = content;
        loop {
            let Some(&b) = self.bytes.get(self.pos) else {
                return fail(start, "string is not closed (missing `\"`)");
            };
            match b {
                b'"' => {
                    let value = match owned {
                        Some(mut s) => {
                            s.push_str(&self.text[run..self.pos]);
                            Cow::Owned(s)
                        }
                        None => Cow::Borrowed(&self.text[content..self.pos]),
                    };
                    self.pos += 1;
                    return Ok(Node {
                        start,
                        end: self.pos,
                        value: Value::Str(value),
                    });
                }
                b'\\' => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(&self.text[run..self.pos]);
                    let escape = self.pos;
                    let Some(&e) = self.bytes.get(self.pos + 1) else {
                        return fail(escape, "string is not closed (missing `\"`)");
                    };
                    self.pos += 2;
                    match e {
                        b'"' => s.push('"'),
                        b'\\' => s.push('\\'),
                        b'/' => s.push('/'),
                        b'b' => s.push('\u{8}'),
                        b'f' => s.push('\u{c}'),
                        b'n' => s.push('\n'),
                        b'r' => s.push('\r'),
                        b't' => s.push('\t'),
                        b'u' => {
                            let hex = |at: usize| {
                                self.text
                                    .get(at..at + 4)
                                    // from_str_radix takes a sign (`+12a`): JSON does not.
                                    .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                            };
                            let Some(mut code) = hex(self.pos) else {
                                return fail(escape, "`\\u` needs four hex digits");
                            };
                            self.pos += 4;
                            if (0xD800..0xDC00).contains(&code)
                                && self.text.get(self.pos..self.pos + 2) == Some("\\u")
                            {
                                if let Some(low @ 0xDC00..0xE000) = hex(self.pos + 2) {
                                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                                    self.pos += 6;
                                }
                            }
                            s.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                        }
                        _ => return fail(escape, "invalid escape in string"),
                    }
                    run = self.pos;
                }
                0..=0x1f => return fail(self.pos, "control character in string (escape it)"),
                _ => self.pos += 1,
            }
        }
    }

    fn number(&mut self) -> Result<Node<'a>, ParseError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let digits = |r: &mut Self| {
            let s = r.pos;
            while r.peek().is_some_and(|b| b.is_ascii_digit()) {
                r.pos += 1;
            }
            r.pos - s
        };
        let int_start = self.pos;
        let n = digits(self);
        if n == 0 || (n > 1 && self.bytes[int_start] == b'0') {
            return fail(start, "invalid number");
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return fail(start, "invalid number (digits expected after `.`)");
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return fail(start, "invalid number (digits expected in the exponent)");
            }
        }
        Ok(Node {
            start,
            end: self.pos,
            value: Value::Number(Cow::Borrowed(&self.text[start..self.pos])),
        })
    }

    fn literal(&mut self, word: &str, value: Value<'a>) -> Result<Node<'a>, ParseError> {
        let start = self.pos;
        if self.text[start..].starts_with(word) {
            self.pos += word.len();
            Ok(Node {
                start,
                end: self.pos,
                value,
            })
        } else {
            fail(
                start,
                "expected a value (string, number, object, array, true, false or null)",
            )
        }
    }
}

/// Parses a JSON document. `None` for an empty (whitespace-only) file.
pub fn parse(text: &str) -> Result<Option<Node<'_>>, ParseError> {
    let mut r = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    // A byte-order mark is tolerated, as most JSON readers do.
    if text.starts_with('\u{feff}') {
        r.pos = 3;
    }
    r.skip_ws();
    if r.pos >= r.bytes.len() {
        return Ok(None);
    }
    let mut stack: Vec<Open<'_>> = Vec::new();
    loop {
        // Expect a value (or the end of an empty container).
        r.skip_ws();
        let done = match r.peek() {
            Some(b'{') | Some(b'[') => {
                if stack.len() >= MAX_DEPTH {
                    return fail(r.pos, format!("nested more than {MAX_DEPTH} levels deep"));
                }
                let start = r.pos;
                let is_map = r.peek() == Some(b'{');
                r.pos += 1;
                r.skip_ws();
                let close = if is_map { b'}' } else { b']' };
                if r.peek() == Some(close) {
                    r.pos += 1;
                    Node {
                        start,
                        end: r.pos,
                        value: if is_map {
                            Value::Map(Vec::new())
                        } else {
                            Value::Seq(Vec::new())
                        },
                    }
                } else {
                    if is_map {
                        if r.peek() != Some(b'"') {
                            return fail(r.pos, "expected a `\"key\"` or `}`");
                        }
                        let key = r.string()?;
                        r.skip_ws();
                        if r.peek() != Some(b':') {
                            return fail(r.pos, "expected `:` after the key");
                        }
                        r.pos += 1;
                        stack.push(Open::Map(start, Vec::new(), Some(key)));
                    } else {
                        stack.push(Open::Seq(start, Vec::new()));
                    }
                    continue;
                }
            }
            Some(b'"') => r.string()?,
            Some(b'-' | b'0'..=b'9') => r.number()?,
            Some(b't') => r.literal("true", Value::Bool(true))?,
            Some(b'f') => r.literal("false", Value::Bool(false))?,
            Some(b'n') => r.literal("null", Value::Null)?,
            Some(_) => {
                return fail(
                    r.pos,
                    "expected a value (string, number, object, array, true, false or null)",
                )
            }
            None => return fail(r.pos, "unexpected end of file: a value is missing"),
        };
        // Attach the value, closing every container that ends after it.
        let mut value = done;
        loop {
            match stack.last_mut() {
                None => {
                    r.skip_ws();
                    if r.pos < r.bytes.len() {
                        return fail(r.pos, "unexpected text after the JSON document");
                    }
                    return Ok(Some(value));
                }
                Some(Open::Seq(start, items)) => {
                    items.push(value);
                    r.skip_ws();
                    match r.peek() {
                        Some(b',') => {
                            r.pos += 1;
                            break;
                        }
                        Some(b']') => {
                            r.pos += 1;
                            let start = *start;
                            let Some(Open::Seq(_, items)) = stack.pop() else {
                                return fail(r.pos, "parser stack out of step");
                            };
                            value = Node {
                                start,
                                end: r.pos,
                                value: Value::Seq(items),
                            };
                        }
                        _ => return fail(r.pos, "expected `,` or `]` after an array item"),
                    }
                }
                Some(Open::Map(start, entries, key)) => {
                    if let Some(k) = key.take() {
                        entries.push((k, value));
                    }
                    r.skip_ws();
                    match r.peek() {
                        Some(b',') => {
                            r.pos += 1;
                            r.skip_ws();
                            if r.peek() != Some(b'"') {
                                return fail(
                                    r.pos,
                                    "expected a `\"key\"` after `,` (no trailing commas in JSON)",
                                );
                            }
                            let k = r.string()?;
                            r.skip_ws();
                            if r.peek() != Some(b':') {
                                return fail(r.pos, "expected `:` after the key");
                            }
                            r.pos += 1;
                            *key = Some(k);
                            break;
                        }
                        Some(b'}') => {
                            r.pos += 1;
                            let start = *start;
                            let Some(Open::Map(_, entries, _)) = stack.pop() else {
                                return fail(r.pos, "parser stack out of step");
                            };
                            value = Node {
                                start,
                                end: r.pos,
                                value: Value::Map(entries),
                            };
                        }
                        _ => return fail(r.pos, "expected `,` or `}` after an object member"),
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_with_spans() {
        let text = r#"{"a": [1, -2.5e3, "x\"y\u00e9"], "b": {"c": null, "d": true}, "e": {}}"#;
        let root = parse(text).unwrap().unwrap();
        let a = root.get("a").unwrap().items();
        assert_eq!(a[1].value, Value::Number("-2.5e3".into()));
        assert_eq!(a[2].as_str(), Some("x\"yé"));
        assert_eq!(&text[a[2].start..a[2].end], r#""x\"y\u00e9""#);
        assert_eq!(root.get("b").unwrap().get("c").unwrap().value, Value::Null);
        assert!(root.get("e").unwrap().entries().is_empty());
    }

    #[test]
    fn rejects_what_json_forbids_with_the_place() {
        for (bad, at) in [
            ("{\"a\": ,}", 6),
            ("{\"a\": 1,}", 8),
            ("[1 2]", 3),
            ("{'a': 1}", 1),
            ("[01]", 1),
            ("{\"a\": 1} x", 9),
            ("[\"a", 1),
            ("[", 1),
        ] {
            let e = parse(bad).unwrap_err();
            assert_eq!(e.offset, at, "{bad}: {e:?}");
        }
        assert!(parse(r#"["\u+123"]"#).is_err(), "a sign is not a hex digit");
        assert!(parse(&"[".repeat(5000)).is_err());
        assert_eq!(parse("  \n").unwrap(), None);
    }
}
