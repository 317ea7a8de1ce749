//! String literals of every grammar as one sequence of pieces: verbatim
//! text, escape sequences and interpolation holes (f-strings, template
//! literals). The data flow reads a literal's constant text and holes from
//! here; embedded SQL copies the decoded text with an offset map back to the
//! file.

use crate::lang::{Lang, Shape};
use pab_core::engine::OffsetMap;
use tree_sitter::Node;

/// One piece of a string literal, in order.
#[derive(Debug, Clone, Copy)]
pub enum Piece<'t> {
    /// Host bytes copied as they are.
    Text(usize, usize),
    /// An escape sequence's host bytes (`\n`); verbatim in raw strings.
    Escape(usize, usize),
    /// An interpolated expression (`{x}` in an f-string, `${x}`).
    Hole(Node<'t>),
}

/// The pieces of a string literal node, or `None` when it is not one (or is
/// too broken to read: an unterminated literal in a file with errors).
pub fn pieces<'t>(lang: Lang, node: Node<'t>, src: &str) -> Option<Vec<Piece<'t>>> {
    if lang.shape_of(node) != Shape::String || node.child_count() < 2 {
        return None;
    }
    let open = node.child(0)?;
    let close = node.child(node.child_count() - 1)?;
    let (start, end) = (open.end_byte(), close.start_byte());
    if start > end || close.is_missing() {
        return None;
    }
    let raw = is_raw(lang, node, open, src);
    let mut specials: Vec<Piece<'t>> = Vec::new();
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        collect_specials(child, raw, &mut specials);
    }
    let mut out = Vec::with_capacity(specials.len() * 2 + 1);
    let mut at = start;
    for special in specials {
        let (s, e) = match special {
            Piece::Escape(s, e) | Piece::Text(s, e) => (s, e),
            Piece::Hole(n) => (n.start_byte(), n.end_byte()),
        };
        if s < at || e > end {
            continue;
        }
        if s > at {
            out.push(Piece::Text(at, s));
        }
        out.push(special);
        at = e;
    }
    if at < end {
        out.push(Piece::Text(at, end));
    }
    Some(out)
}

/// Escapes and holes at any depth below the literal (Python nests escapes in
/// `string_content`), but not inside a hole.
fn collect_specials<'t>(node: Node<'t>, raw: bool, out: &mut Vec<Piece<'t>>) {
    match node.kind() {
        "escape_sequence" if !raw => out.push(Piece::Escape(node.start_byte(), node.end_byte())),
        "interpolation" | "template_substitution" => out.push(Piece::Hole(node)),
        _ => {
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                collect_specials(child, raw, out);
            }
        }
    }
}

fn is_raw(lang: Lang, node: Node, open: Node, src: &str) -> bool {
    match lang {
        Lang::Python => src
            .get(open.start_byte()..open.end_byte())
            .is_some_and(|prefix| prefix.contains(['r', 'R'])),
        Lang::Go => node.kind() == "raw_string_literal",
        _ => false,
    }
}

/// Whether a literal interpolates (an f-string with `{x}`, a template with
/// `${x}`).
pub fn has_holes(pieces: &[Piece]) -> bool {
    pieces.iter().any(|p| matches!(p, Piece::Hole(_)))
}

/// The character an escape stands for, when it is one of the common ones;
/// `None` keeps the escape's text as it is (`\x41`, `\u00e9`: no SQL rule
/// cares which character it is). A line continuation stands for nothing.
fn decode_escape(escape: &str) -> Option<Option<char>> {
    let mut chars = escape.chars();
    if chars.next() != Some('\\') {
        return None;
    }
    let c = chars.next()?;
    if chars.next().is_some() && !matches!(c, '\r') {
        return None;
    }
    Some(match c {
        'n' => Some('\n'),
        't' => Some('\t'),
        'r' => Some('\r'),
        '0' => Some('\0'),
        '\\' | '\'' | '"' | '`' => Some(c),
        '\n' | '\r' => None,
        _ => return None,
    })
}

/// Appends a literal without holes to `text`, decoding common escapes, and
/// records where each piece came from. `false` (nothing appended) when the
/// literal interpolates.
pub fn decode_into(pieces: &[Piece], src: &str, text: &mut String, map: &mut OffsetMap) -> bool {
    if has_holes(pieces) {
        return false;
    }
    for piece in pieces {
        match *piece {
            Piece::Text(s, e) => map.push_verbatim(text, &src[s..e], s),
            Piece::Escape(s, e) => match decode_escape(&src[s..e]) {
                Some(Some(c)) => map.push_decoded(text, c, s, e - s),
                Some(None) => {}
                None => map.push_verbatim(text, &src[s..e], s),
            },
            // Checked above: a literal with holes has no constant text.
            Piece::Hole(_) => {}
        }
    }
    true
}

/// The constant text of a literal's pieces (escapes as written), for
/// keyword checks: holes contribute nothing.
pub fn constant_text(pieces: &[Piece], src: &str) -> String {
    let mut out = String::new();
    for piece in pieces {
        if let Piece::Text(s, e) | Piece::Escape(s, e) = *piece {
            out.push_str(&src[s..e]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_string<'t>(lang: Lang, node: Node<'t>) -> Option<Node<'t>> {
        if lang.shape_of(node) == Shape::String {
            return Some(node);
        }
        let mut cursor = node.walk();
        let children: Vec<_> = node.children(&mut cursor).collect();
        children.into_iter().find_map(|c| first_string(lang, c))
    }

    fn decoded(lang: Lang, src: &str) -> (Option<String>, OffsetMap) {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&lang.grammar()).unwrap();
        let tree = parser.parse(src, None).unwrap();
        let node = first_string(lang, tree.root_node()).unwrap();
        let pieces = pieces(lang, node, src).unwrap();
        let (mut text, mut map) = (String::new(), OffsetMap::default());
        let ok = decode_into(&pieces, src, &mut text, &mut map);
        (ok.then_some(text), map)
    }

    #[test]
    fn escapes_decode_and_map_back() {
        let (text, map) = decoded(Lang::Python, "x = 'a\\'b\\nc'\n");
        assert_eq!(text.as_deref(), Some("a'b\nc"));
        // `c` is the fifth character of the text and sits at byte 11.
        assert_eq!(map.host_offset(4), 11);
        let (text, _) = decoded(Lang::Python, "x = r'a\\nb'\n");
        assert_eq!(text.as_deref(), Some("a\\nb"));
        let (text, _) = decoded(Lang::Go, "package p\nvar x = `a\\n`\n");
        assert_eq!(text.as_deref(), Some("a\\n"));
        let (text, _) = decoded(Lang::JavaScript, "const x = \"a\\tb\";");
        assert_eq!(text.as_deref(), Some("a\tb"));
    }

    #[test]
    fn interpolations_are_holes() {
        assert_eq!(decoded(Lang::Python, "x = f'a{b}c'\n").0, None);
        assert_eq!(decoded(Lang::TypeScript, "const x = `a${b}c`;").0, None);
        assert_eq!(
            decoded(Lang::TypeScript, "const x = `a\\`b`;").0.as_deref(),
            Some("a`b")
        );
    }
}
