//! A file's text with a line index, so analyzers can speak in byte offsets and
//! findings come out in lines and columns.

use crate::finding::{Excerpt, Position, Span};

/// The most lines a finding's excerpt carries; longer spans are cut.
const MAX_EXCERPT_LINES: u32 = 6;
/// Excerpt lines longer than this are cut to a window around the span, so
/// that findings in a minified file (a 10 MB JSON document on one line) do
/// not each copy the whole file.
const MAX_EXCERPT_LINE_BYTES: usize = 400;

pub struct SourceFile {
    /// The path as the user should see it (relative to the working directory
    /// when possible, `/` separators).
    pub path: String,
    pub text: String,
    line_starts: Vec<usize>,
    /// Characters before every [`CHAR_MARK_BYTES`]-th byte (moved forward to
    /// a character boundary), so that a column costs at most that many
    /// bytes of counting: counting from the line's start costs the line's
    /// length per position, the file's length per finding on a one-line
    /// minified file. Empty for an all-ASCII text, where a column is a
    /// byte distance.
    char_marks: Vec<(usize, usize)>,
}

/// Distance between the checkpoints of [`SourceFile::char_marks`].
const CHAR_MARK_BYTES: usize = 4096;

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let mut line_starts = Vec::with_capacity(text.len() / 40 + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let char_marks = if text.is_ascii() {
            Vec::new()
        } else {
            let mut marks = Vec::with_capacity(text.len() / CHAR_MARK_BYTES + 1);
            let (mut at, mut chars) = (0, 0);
            while at < text.len() {
                marks.push((at, chars));
                let mut next = (at + CHAR_MARK_BYTES).min(text.len());
                while !text.is_char_boundary(next) {
                    next += 1;
                }
                chars += text[at..next].chars().count();
                at = next;
            }
            marks
        };
        SourceFile {
            path: path.into(),
            text,
            line_starts,
            char_marks,
        }
    }

    pub fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }

    /// The 1-based position of a byte offset (clamped to the text, and moved
    /// back to a character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_index = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = self.line_starts[line_index];
        let column = if self.char_marks.is_empty() {
            offset - line_start + 1
        } else {
            self.chars_before(offset) - self.chars_before(line_start) + 1
        };
        Position {
            line: line_index as u32 + 1,
            column: column as u32,
        }
    }

    /// Characters before byte `offset` (a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let i = self.char_marks.partition_point(|m| m.0 <= offset);
        let (at, chars) = self.char_marks[i.saturating_sub(1)];
        chars + self.text[at..offset].chars().count()
    }

    pub fn span(&self, start: usize, end: usize) -> Span {
        let end = end.max(start);
        Span {
            start: self.position(start),
            end: self.position(end),
            start_byte: start.min(self.text.len()),
            end_byte: end.min(self.text.len()),
        }
    }

    /// The byte offset where 1-based line `line` starts.
    pub fn line_start(&self, line: u32) -> usize {
        let i = (line.max(1) - 1) as usize;
        self.line_starts.get(i).copied().unwrap_or(self.text.len())
    }

    /// The text of 1-based line `line`, without its line break.
    pub fn line_text(&self, line: u32) -> &str {
        let i = (line.max(1) - 1) as usize;
        let Some(&start) = self.line_starts.get(i) else {
            return "";
        };
        let end = self
            .line_starts
            .get(i + 1)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// The lines a span covers, capped at a few lines.
    pub fn excerpt(&self, span: &Span) -> Excerpt {
        let last = span.end.line.min(span.start.line + MAX_EXCERPT_LINES - 1);
        let mut text = String::new();
        for line in span.start.line..=last {
            let full = self.line_text(line);
            if full.len() <= MAX_EXCERPT_LINE_BYTES {
                text.push_str(full);
            } else {
                // A window starting a little before the span on its first
                // line, at the line's start on the others.
                let line_start = self.line_start(line);
                let from = if line == span.start.line {
                    span.start_byte
                        .saturating_sub(line_start)
                        .saturating_sub(80)
                } else {
                    0
                };
                let mut a = from.min(full.len());
                while !full.is_char_boundary(a) {
                    a -= 1;
                }
                let mut b = (a + MAX_EXCERPT_LINE_BYTES).min(full.len());
                while !full.is_char_boundary(b) {
                    b -= 1;
                }
                text.push_str(&full[a..b]);
            }
            text.push('\n');
        }
        Excerpt {
            first_line: span.start.line,
            text,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn columns_count_characters_across_checkpoints() {
        // A long line of multi-byte characters, crossing many checkpoints:
        // the column is the character count, whatever the byte offset.
        let line = "é".repeat(10_000) + "x";
        let text = format!("ab\n{line}\nz");
        let file = SourceFile::new("t", text.clone());
        let x = text.find('x').unwrap();
        assert_eq!(file.position(x).line, 2);
        assert_eq!(file.position(x).column, 10_001);
        let z = text.find('z').unwrap();
        assert_eq!((file.position(z).line, file.position(z).column), (3, 1));
        for offset in (0..text.len()).step_by(997) {
            let p = file.position(offset);
            let mut at = offset;
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            assert_eq!(p.column as usize, text[start..at].chars().count() + 1);
        }
    }

    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let file = SourceFile::new("a.sql", "ab\nçd\n");
        assert_eq!(file.position(0), Position { line: 1, column: 1 });
        assert_eq!(file.position(3), Position { line: 2, column: 1 });
        // `d` is the fourth byte of line 2 but its second character.
        assert_eq!(file.position(5), Position { line: 2, column: 2 });
        assert_eq!(file.line_text(2), "çd");
        assert_eq!(file.line_text(9), "");
    }

    #[test]
    fn excerpts_of_very_long_lines_are_windows_around_the_span() {
        let line = format!("{}needle{}", "a".repeat(5000), "b".repeat(5000));
        let file = SourceFile::new("a.json", line);
        let span = file.span(5000, 5006);
        let excerpt = file.excerpt(&span);
        assert!(excerpt.text.len() <= 401, "{}", excerpt.text.len());
        assert!(excerpt.text.contains("needle"));
    }

    #[test]
    fn offsets_inside_a_character_move_back() {
        let file = SourceFile::new("a.sql", "é");
        assert_eq!(file.position(1), Position { line: 1, column: 1 });
    }
}
