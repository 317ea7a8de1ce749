//! One statement as rules see it: its kind, its text and place in the file,
//! and its parse tree when some enabled rule asked for that kind.

use crate::ast::{ColumnSource, DeclaredColumn};
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
    /// The statement's tokens, made on first use: the span helpers below are
    /// called once per column or clause, and re-lexing a wide `CREATE TABLE`
    /// for each of its columns would be quadratic.
    pub(crate) token_cache: std::cell::OnceCell<Vec<Token>>,
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

    /// The statement's tokens (comments and whitespace skipped), offsets
    /// relative to `start`.
    pub fn tokens(&self) -> &[Token] {
        self.token_cache.get_or_init(|| tokens(self.text))
    }

    /// The token starting at `location` (or the statement, if there is none).
    pub fn token_at(&self, location: i32) -> (usize, usize) {
        let at = self.at(location) - self.start;
        self.tokens()
            .iter()
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
        // The enclosing list's `)` is one level out (`t.depth < depth`); a `)`
        // at the clause's own depth closes a group inside it, as in
        // `varchar(20)` or `REFERENCES orders (id)`, and is part of it.
        for t in &toks[first..] {
            if t.depth < depth
                || (t.depth == depth
                    && t.kind == TokenKind::Punct
                    && matches!(&self.text[t.start..t.end], "," | ";"))
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
            .iter()
            .find(|t| {
                t.start >= from
                    && t.kind == TokenKind::Word
                    && self.text[t.start..t.end].eq_ignore_ascii_case(keyword)
            })
            .map(|t| (self.start + t.start, self.start + t.end))
    }

    /// The `index`-th action of an `ALTER TABLE` (`a.cmds[index]`, which has
    /// no location in the tree): the top-level comma-separated clauses after
    /// the relation name that starts at `relation_location`. The whole
    /// statement when there is no such clause.
    pub fn action(&self, relation_location: i32, index: usize) -> (usize, usize) {
        let at = self.at(relation_location) - self.start;
        let toks = self.tokens();
        let Some(mut i) = toks.iter().position(|t| t.start >= at) else {
            return self.range();
        };
        let punct =
            |t: &Token, p: &str| t.kind == TokenKind::Punct && &self.text[t.start..t.end] == p;
        // Skip the (possibly qualified) name and an `*` after it.
        i += 1;
        while i + 1 < toks.len() && punct(&toks[i], ".") {
            i += 2;
        }
        if i < toks.len() && punct(&toks[i], "*") {
            i += 1;
        }
        let mut actions = Vec::new();
        let mut first = i;
        let mut brackets = 0;
        for (j, t) in toks.iter().enumerate().skip(i) {
            if t.depth != 0 || t.kind != TokenKind::Punct {
                continue;
            }
            match &self.text[t.start..t.end] {
                "[" => brackets += 1,
                "]" => brackets -= 1,
                "," | ";" if brackets == 0 => {
                    if j > first {
                        actions.push((toks[first].start, toks[j - 1].end));
                    }
                    first = j + 1;
                }
                _ => {}
            }
        }
        if first < toks.len() {
            actions.push((toks[first].start, toks[toks.len() - 1].end));
        }
        actions
            .get(index)
            .map_or(self.range(), |&(a, b)| (self.start + a, self.start + b))
    }

    /// The type name starting at `location` (a `TypeName`'s): its words,
    /// modifiers and array brackets, such as `character varying(20)[]` or
    /// `timestamp(3) without time zone`.
    pub fn type_at(&self, location: i32) -> (usize, usize) {
        const TYPE_WORDS: &[&str] = &[
            "varying",
            "precision",
            "with",
            "without",
            "time",
            "zone",
            "character",
            "char",
        ];
        let at = self.at(location) - self.start;
        let toks = self.tokens();
        let Some(first) = toks.iter().position(|t| t.start >= at) else {
            return self.range();
        };
        let depth = toks[first].depth;
        let mut end = toks[first].end;
        let mut after_dot = false;
        for t in &toks[first + 1..] {
            let s = &self.text[t.start..t.end];
            let part = t.depth > depth
                || (t.kind == TokenKind::Punct && matches!(s, "(" | ")" | "[" | "]" | "."))
                || (t.kind == TokenKind::Word && s.bytes().all(|b| b.is_ascii_digit()))
                || (t.kind == TokenKind::Word
                    && TYPE_WORDS.iter().any(|w| w.eq_ignore_ascii_case(s)))
                || (after_dot && matches!(t.kind, TokenKind::Word | TokenKind::QuotedIdent));
            if !part || t.depth < depth {
                break;
            }
            after_dot = s == ".";
            end = t.end;
        }
        (self.start + toks[first].start, self.start + end)
    }
}

impl Stmt<'_> {
    /// The (possibly qualified) name starting at `location`: `orders`,
    /// `public.orders`, `"Sales"."Orders"`. The name's first token when there
    /// is nothing to join.
    pub fn name_at(&self, location: i32) -> (usize, usize) {
        let at = self.at(location) - self.start;
        let toks = self.tokens();
        let Some(first) = toks.iter().position(|t| t.start >= at) else {
            return self.range();
        };
        let is_name = |t: &Token| matches!(t.kind, TokenKind::Word | TokenKind::QuotedIdent);
        let mut end = toks[first].end;
        let mut i = first + 1;
        while i + 1 < toks.len()
            && toks[i].kind == TokenKind::Punct
            && &self.text[toks[i].start..toks[i].end] == "."
            && is_name(&toks[i + 1])
        {
            end = toks[i + 1].end;
            i += 2;
        }
        (self.start + toks[first].start, self.start + end)
    }

    /// From the `keyword` that starts a statement (the last one before the
    /// table name, for a statement inside `WITH`) through the table name at
    /// `relation_location`: `DELETE FROM public.orders`.
    pub fn keyword_through_name(&self, keyword: &str, relation_location: i32) -> (usize, usize) {
        let name = self.name_at(relation_location);
        let before = name.0 - self.start;
        let start = self
            .tokens()
            .iter()
            .rev()
            .find(|t| {
                t.start < before
                    && t.kind == TokenKind::Word
                    && self.text[t.start..t.end].eq_ignore_ascii_case(keyword)
            })
            .map_or(name.0, |t| self.start + t.start);
        (start, name.1)
    }

    /// Where a finding about a declared column points: its definition in
    /// `CREATE TABLE`, else its `ALTER TABLE` action.
    pub fn declared_column_clause(&self, col: &DeclaredColumn) -> (usize, usize) {
        match (col.source, col.action, self.node) {
            (ColumnSource::CreateTable, _, _) | (_, None, _) => self.clause_at(col.def.location),
            (_, Some(i), Some(NodeEnum::AlterTableStmt(a))) => {
                self.action(a.relation.as_ref().map_or(-1, |r| r.location), i)
            }
            _ => self.range(),
        }
    }

    /// From `location` through the first parenthesised group after it: a
    /// call such as `random()` or `pg_catalog.lower(name)`. The token at
    /// `location` when no parenthesis follows.
    pub fn call_at(&self, location: i32) -> (usize, usize) {
        let at = self.at(location) - self.start;
        let toks = self.tokens();
        let Some(first) = toks.iter().position(|t| t.start >= at) else {
            return self.range();
        };
        let depth = toks[first].depth;
        let punct =
            |t: &Token, p: &str| t.kind == TokenKind::Punct && &self.text[t.start..t.end] == p;
        let mut opened = false;
        for t in &toks[first..] {
            if punct(t, "(") && t.depth == depth {
                opened = true;
            } else if opened && punct(t, ")") && t.depth == depth {
                return (self.start + toks[first].start, self.start + t.end);
            } else if !opened {
                let in_name =
                    matches!(t.kind, TokenKind::Word | TokenKind::QuotedIdent) || punct(t, ".");
                if !in_name {
                    break;
                }
            }
        }
        (self.start + toks[first].start, self.start + toks[first].end)
    }
}
