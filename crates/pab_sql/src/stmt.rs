//! One statement as rules see it: its kind, its text and place in the file,
//! and its parse tree when some enabled rule asked for that kind.

use crate::classify::StmtKind;
use crate::lexer::{tokens, Token, TokenKind};
use pg_query::NodeEnum;

pub struct Stmt<'a> {
    pub kind: StmtKind,
    /// Byte offset of the statement in the file.
    pub start: usize,
    /// The statement's text as written (with its `;`, if any).
    pub text: &'a str,
    /// Leading top-level words, upper-cased.
    pub words: &'a [String],
    /// The parse tree; `None` when the kind was not parsed or did not parse.
    pub node: Option<&'a NodeEnum>,
}

impl Stmt<'_> {
    /// The whole statement, without its terminating `;`.
    pub fn range(&self) -> (usize, usize) {
        let trimmed = self.text.trim_end().trim_end_matches(';').trim_end();
        (self.start, self.start + trimmed.len())
    }

    /// File offset of a parse-tree `location` (-1, unknown, maps to the start).
    pub fn at(&self, location: i32) -> usize {
        if location < 0 {
            self.start
        } else {
            self.start + (location as usize).min(self.text.len())
        }
    }

    fn tokens(&self) -> Vec<Token> {
        tokens(self.text)
    }

    /// The token starting at `location` (or the statement, if there is none).
    pub fn token_at(&self, location: i32) -> (usize, usize) {
        let at = self.at(location) - self.start;
        self.tokens()
            .into_iter()
            .find(|t| t.start >= at)
            .map_or(self.range(), |t| (self.start + t.start, self.start + t.end))
    }

    /// From `location` to the end of its clause: the next comma or closing
    /// parenthesis at the same depth, or the end of the statement. This is the
    /// natural underline for a column definition or an `ALTER TABLE` action.
    pub fn clause_at(&self, location: i32) -> (usize, usize) {
        let at = self.at(location) - self.start;
        let toks = self.tokens();
        let Some(first) = toks.iter().position(|t| t.start >= at) else {
            return self.range();
        };
        let depth = toks[first].depth;
        let mut end = toks[first].end;
        for t in &toks[first..] {
            if t.depth < depth
                || (t.depth == depth
                    && t.kind == TokenKind::Punct
                    && matches!(&self.text[t.start..t.end], "," | ";" | ")"))
            {
                break;
            }
            end = t.end;
        }
        (self.start + toks[first].start, self.start + end)
    }

    /// The first occurrence of a keyword (case-insensitive, outside strings
    /// and comments) at or after `from` (a parse-tree location).
    pub fn keyword(&self, keyword: &str, from: i32) -> Option<(usize, usize)> {
        let from = self.at(from) - self.start;
        self.tokens()
            .into_iter()
            .find(|t| {
                t.start >= from
                    && t.kind == TokenKind::Word
                    && self.text[t.start..t.end].eq_ignore_ascii_case(keyword)
            })
            .map(|t| (self.start + t.start, self.start + t.end))
    }

    /// The span of `keyword` if present, else of the whole statement.
    pub fn keyword_or_all(&self, keyword: &str) -> (usize, usize) {
        self.keyword(keyword, 0).unwrap_or_else(|| self.range())
    }
}
