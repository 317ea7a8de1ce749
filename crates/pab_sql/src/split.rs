//! Splits a SQL file into statements without parsing it.
//!
//! Written by hand because no crate does what this needs at this speed: one
//! pass over the bytes that understands quoted strings (standard and `E''`),
//! quoted identifiers, dollar quoting, nested block comments, parentheses,
//! `BEGIN ATOMIC ... END` bodies, psql meta-commands (`\echo`, `\set`...)
//! and extension placeholders (`@extschema@`), and that keeps the first
//! top-level words of each statement so it can be classified without a parse.
//! pg_query's own splitter builds a full token list through the C scanner,
//! which costs as much as parsing the data `INSERT`s that no rule reads.

/// How many top-level words of a statement are kept for classification.
const MAX_WORDS: usize = 16;

/// One statement: bytes `start..end` of the file (from its first token to its
/// terminating `;` inclusive, or to the end of the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawStatement {
    pub start: usize,
    pub end: usize,
    /// Upper-cased bare words at parenthesis depth 0, in order, at most
    /// [`MAX_WORDS`]; quoted identifiers appear as `"`.
    pub words: Vec<String>,
    /// Byte ranges (file offsets) of `@name@` extension placeholders.
    pub placeholders: Vec<(usize, usize)>,
}

/// The statements of a file, and the psql meta-command lines skipped.
#[derive(Debug, Default)]
pub struct Split {
    pub statements: Vec<RawStatement>,
    /// File offsets of the psql meta-commands that were skipped.
    pub meta_commands: Vec<usize>,
}

struct Builder {
    start: Option<usize>,
    words: Vec<String>,
    placeholders: Vec<(usize, usize)>,
    depth: i32,
    /// Nesting inside a `BEGIN ATOMIC` body (SQL-standard function bodies
    /// contain `;` that do not end the statement).
    atomic: i32,
}

impl Builder {
    fn new() -> Self {
        Builder {
            start: None,
            words: Vec::new(),
            placeholders: Vec::new(),
            depth: 0,
            atomic: 0,
        }
    }

    fn touch(&mut self, at: usize) {
        if self.start.is_none() {
            self.start = Some(at);
        }
    }

    fn word(&mut self, w: &[u8]) {
        if self.depth == 0 && self.words.len() < MAX_WORDS {
            self.words
                .push(String::from_utf8_lossy(w).to_ascii_uppercase());
        }
        if w.eq_ignore_ascii_case(b"ATOMIC")
            && self.words.len() >= 2
            && self.words[self.words.len() - 2] == "BEGIN"
            && self.words[0] != "BEGIN"
        {
            self.atomic += 1;
        } else if self.atomic > 0 {
            if w.eq_ignore_ascii_case(b"CASE") {
                self.atomic += 1;
            } else if w.eq_ignore_ascii_case(b"END") {
                self.atomic -= 1;
            }
        }
    }

    /// Whether the statement is `COPY ... FROM STDIN`, which psql follows
    /// with data lines up to `\.`.
    fn copies_from_stdin(&self) -> bool {
        self.words.first().is_some_and(|w| w == "COPY")
            && self.words.iter().any(|w| w == "FROM")
            && self.words.iter().any(|w| w == "STDIN")
    }

    fn finish(&mut self, end: usize, out: &mut Vec<RawStatement>) {
        if let Some(start) = self.start.take() {
            out.push(RawStatement {
                start,
                end,
                words: std::mem::take(&mut self.words),
                placeholders: std::mem::take(&mut self.placeholders),
            });
        }
        self.words.clear();
        self.placeholders.clear();
        self.depth = 0;
        self.atomic = 0;
    }
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// Splits `text` into statements.
pub fn split(text: &str) -> Split {
    let b = text.as_bytes();
    let n = b.len();
    let mut out = Split::default();
    let mut cur = Builder::new();
    let mut i = 0;
    let mut line_start = true; // only whitespace since the last newline
    while i < n {
        let c = b[i];
        match c {
            b'\n' => {
                line_start = true;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\x0c' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        let at_line_start = line_start;
        line_start = false;
        match c {
            b'-' if b.get(i + 1) == Some(&b'-') => {
                i = memchr::memchr(b'\n', &b[i..]).map_or(n, |p| i + p);
                line_start = false;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = skip_block_comment(b, i);
            }
            b'\\' if at_line_start && cur.start.is_none() => {
                // A psql meta-command takes the rest of its line.
                out.meta_commands.push(i);
                i = memchr::memchr(b'\n', &b[i..]).map_or(n, |p| i + p);
            }
            b'\'' => {
                cur.touch(i);
                let escapes = i > 0
                    && (b[i - 1] == b'E' || b[i - 1] == b'e')
                    && (i < 2 || !is_ident_char(b[i - 2]));
                i = skip_quoted(b, i, b'\'', escapes);
            }
            b'"' => {
                cur.touch(i);
                if cur.depth == 0 && cur.words.len() < MAX_WORDS {
                    cur.words.push("\"".into());
                }
                i = skip_quoted(b, i, b'"', false);
            }
            b'$' => {
                cur.touch(i);
                i = match dollar_tag(b, i) {
                    Some(tag_end) => skip_dollar_body(b, i, tag_end),
                    None => i + 1,
                };
            }
            b'@' | b'%' => {
                cur.touch(i);
                if let Some(end) = placeholder_end(b, i) {
                    cur.placeholders.push((i, end));
                    i = end;
                } else {
                    i += 1;
                }
            }
            b'(' => {
                cur.touch(i);
                cur.depth += 1;
                i += 1;
            }
            b')' => {
                cur.touch(i);
                cur.depth -= 1;
                i += 1;
            }
            b';' => {
                i += 1;
                if cur.depth <= 0 && cur.atomic <= 0 {
                    let copy_data = cur.copies_from_stdin();
                    if cur.start.is_some() {
                        cur.finish(i, &mut out.statements);
                    }
                    if copy_data {
                        i = skip_copy_data(b, i);
                    }
                } else {
                    cur.touch(i - 1);
                }
            }
            c if is_ident_start(c) => {
                cur.touch(i);
                let start = i;
                while i < n && is_ident_char(b[i]) {
                    i += 1;
                }
                cur.word(&b[start..i]);
            }
            _ => {
                cur.touch(i);
                i += 1;
            }
        }
    }
    cur.finish(n, &mut out.statements);
    out
}

/// Skips the data lines after `COPY ... FROM STDIN;`, through the `\.` line.
fn skip_copy_data(b: &[u8], from: usize) -> usize {
    let mut line = memchr::memchr(b'\n', &b[from..]).map_or(b.len(), |p| from + p + 1);
    while line < b.len() {
        let end = memchr::memchr(b'\n', &b[line..]).map_or(b.len(), |p| line + p);
        if b[line..end].strip_suffix(b"\r").unwrap_or(&b[line..end]) == b"\\." {
            return end;
        }
        line = end + 1;
    }
    b.len()
}

pub(crate) fn skip_block_comment(b: &[u8], mut i: usize) -> usize {
    let mut depth = 0;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    b.len()
}

/// Skips a quoted string or identifier starting at `i`; a doubled quote is
/// an escaped quote, and in `E''` strings so is a backslash-escaped one.
pub(crate) fn skip_quoted(b: &[u8], mut i: usize, quote: u8, backslash_escapes: bool) -> usize {
    i += 1;
    while i < b.len() {
        match memchr::memchr2(quote, b'\\', &b[i..]) {
            None => return b.len(),
            Some(p) => {
                i += p;
                if b[i] == b'\\' {
                    i += if backslash_escapes { 2 } else { 1 };
                } else if b.get(i + 1) == Some(&quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            }
        }
    }
    b.len()
}

/// If a dollar-quote tag (`$$` or `$name$`) starts at `i`, where it ends.
pub(crate) fn dollar_tag(b: &[u8], i: usize) -> Option<usize> {
    if i > 0 && is_ident_char(b[i - 1]) {
        return None; // part of an identifier like `a$b`
    }
    let mut j = i + 1;
    if j < b.len() && b[j] == b'$' {
        return Some(j + 1);
    }
    if j >= b.len() || !is_ident_start(b[j]) {
        return None; // `$1` is a parameter
    }
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] >= 0x80) {
        j += 1;
    }
    (j < b.len() && b[j] == b'$').then_some(j + 1)
}

pub(crate) fn skip_dollar_body(b: &[u8], start: usize, tag_end: usize) -> usize {
    let tag = &b[start..tag_end];
    let finder = memchr::memmem::Finder::new(tag);
    finder
        .find(&b[tag_end..])
        .map_or(b.len(), |p| tag_end + p + tag.len())
}

/// `@name@` as used in extension scripts for the target schema or owner, and
/// the `%s` / `%(name)s` parameters of Python drivers (psycopg, DB-API).
fn placeholder_end(b: &[u8], i: usize) -> Option<usize> {
    if b[i] == b'%' {
        let after = |j: usize| b.get(j).is_none_or(|&c| !is_ident_char(c));
        if b.get(i + 1) == Some(&b's') && after(i + 2) {
            return Some(i + 2);
        }
        if b.get(i + 1) != Some(&b'(') {
            return None;
        }
        let close = i + 2 + memchr::memchr(b')', b.get(i + 2..)?)?;
        let name_ok = b[i + 2..close]
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'_');
        return (name_ok && close > i + 2 && b.get(close + 1) == Some(&b's') && after(close + 2))
            .then_some(close + 2);
    }
    let mut j = i + 1;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
        j += 1;
    }
    (j > i + 1 && j < b.len() && b[j] == b'@').then_some(j + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sql: &str) -> Vec<&str> {
        split(sql)
            .statements
            .iter()
            .map(|s| &sql[s.start..s.end])
            .collect()
    }

    #[test]
    fn splits_on_top_level_semicolons_only() {
        let sql = "select ';' ; -- c;\nselect \"a;b\"; /* x; /* y; */ */ select $$ ; $$;\nselect $f$ $$; $f$";
        assert_eq!(
            texts(sql),
            vec![
                "select ';' ;",
                "select \"a;b\";",
                "select $$ ; $$;",
                "select $f$ $$; $f$"
            ]
        );
    }

    #[test]
    fn escape_strings_and_doubled_quotes() {
        let sql = "select E'it\\'s;'; select 'it''s;'; select 'a\\'; select 2;";
        assert_eq!(
            texts(sql),
            vec![
                "select E'it\\'s;';",
                "select 'it''s;';",
                "select 'a\\';",
                "select 2;"
            ]
        );
    }

    #[test]
    fn parentheses_and_atomic_bodies_keep_semicolons() {
        let sql = "create rule r as on insert to t do (insert into a values (1); insert into b values (2));\n\
                   create function f() returns int language sql begin atomic select case when true then 1 end; select 2; end;\n\
                   begin; commit;";
        let t = texts(sql);
        assert_eq!(t.len(), 4, "{t:?}");
        assert!(t[1].ends_with("select 2; end;"));
        assert_eq!(t[2], "begin;");
    }

    #[test]
    fn meta_commands_and_placeholders() {
        let sql = "\\echo Use \"CREATE EXTENSION x\" to load this file. \\quit\nCREATE FUNCTION @extschema@.f() RETURNS int AS $$ select 1 $$ LANGUAGE sql;\n";
        let s = split(sql);
        assert_eq!(s.meta_commands, vec![0]);
        assert_eq!(s.statements.len(), 1);
        let (a, b) = s.statements[0].placeholders[0];
        assert_eq!(&sql[a..b], "@extschema@");
        assert_eq!(s.statements[0].words[..2], ["CREATE", "FUNCTION"]);
    }

    #[test]
    fn copy_data_and_driver_parameters() {
        let sql = "COPY t (a, b) FROM stdin;\n1\tit's; here\n2\t\\N\n\\.\nSELECT * FROM t WHERE a = %(id)s AND b = %s AND c = 5 % 2;\n";
        let s = split(sql);
        assert_eq!(s.statements.len(), 2, "{:?}", s.statements);
        let q = &s.statements[1];
        let found: Vec<_> = q.placeholders.iter().map(|&(a, b)| &sql[a..b]).collect();
        assert_eq!(found, vec!["%(id)s", "%s"]);
    }

    #[test]
    fn words_skip_parenthesised_parts() {
        let s = split("INSERT INTO s.t (a, b) VALUES (1, 2)");
        assert_eq!(
            s.statements[0].words,
            ["INSERT", "INTO", "S", "T", "VALUES"]
        );
        assert_eq!(s.statements[0].end, 36);
    }

    #[test]
    fn unterminated_constructs_end_at_eof() {
        for sql in [
            "select 'abc",
            "select $$ x",
            "/* open",
            "select \"x",
            "select (((",
            "select )))",
        ] {
            let s = split(sql);
            assert!(s.statements.len() <= 1, "{sql}");
        }
    }
}
