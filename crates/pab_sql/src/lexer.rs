//! A small tokenizer over one statement's text, for the spans rules underline
//! (a keyword, a clause up to the next comma) where the parse tree gives only
//! a start offset. It shares the quoting rules of the splitter.

use crate::split::{dollar_tag, skip_block_comment, skip_dollar_body, skip_quoted};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    QuotedIdent,
    String,
    Punct,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
    /// Parenthesis depth the token is at (the `(` itself is at the outer depth).
    pub depth: i32,
}

/// Tokens of `text`, comments and whitespace skipped.
pub fn tokens(text: &str) -> Vec<Token> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut depth = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        let kind = match c {
            b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' => {
                i += 1;
                continue;
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |p| i + p);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = skip_block_comment(b, i);
                continue;
            }
            b'\'' => {
                let escapes = i > 0 && matches!(b[i - 1], b'E' | b'e');
                i = skip_quoted(b, i, b'\'', escapes);
                TokenKind::String
            }
            b'"' => {
                i = skip_quoted(b, i, b'"', false);
                TokenKind::QuotedIdent
            }
            b'$' => match dollar_tag(b, i) {
                Some(tag_end) => {
                    i = skip_dollar_body(b, i, tag_end);
                    TokenKind::String
                }
                None => {
                    i += 1;
                    while i < b.len() && b[i].is_ascii_digit() {
                        i += 1;
                    }
                    TokenKind::Punct
                }
            },
            c if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 => {
                while i < b.len()
                    && (b[i].is_ascii_alphanumeric()
                        || b[i] == b'_'
                        || b[i] == b'$'
                        || b[i] >= 0x80)
                {
                    i += 1;
                }
                TokenKind::Word
            }
            _ => {
                i += 1;
                TokenKind::Punct
            }
        };
        if c == b')' {
            depth -= 1;
        }
        out.push(Token {
            start,
            end: i,
            kind,
            depth,
        });
        if c == b'(' {
            depth += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_know_their_depth() {
        let text = "add (a, 'x)') -- c\n, b";
        let t = tokens(text);
        let words: Vec<_> = t.iter().map(|t| (&text[t.start..t.end], t.depth)).collect();
        assert_eq!(
            words,
            vec![
                ("add", 0),
                ("(", 0),
                ("a", 1),
                (",", 1),
                ("'x)'", 1),
                (")", 0),
                (",", 0),
                ("b", 0)
            ]
        );
    }
}
