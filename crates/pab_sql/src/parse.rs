//! Parses the statements some rule needs, in parallel, with the real
//! PostgreSQL grammar (pg_query). A statement that does not parse becomes a
//! positioned error; the others are still checked.

use pg_query::NodeEnum;

/// Why a statement did not parse, and where (offset in the statement text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

/// Parses one statement. `text` has extension placeholders already replaced.
pub fn parse_statement(text: &str) -> Result<Option<NodeEnum>, SyntaxError> {
    match pg_query::parse(text, 0) {
        Ok(result) => Ok(result
            .protobuf
            .stmts
            .into_iter()
            .next()
            .and_then(|raw| raw.stmt)
            .and_then(|node| node.node)),
        Err(e) => {
            let message = match e {
                pg_query::Error::Parse(m) => m,
                other => other.to_string(),
            };
            Err(SyntaxError {
                offset: locate(text, &message),
                message,
            })
        }
    }
}

/// libpg_query reports the failing token's text but not its offset through
/// the Rust binding, so find it: the first occurrence of that token after
/// which a prefix of the statement fails the same way.
fn locate(text: &str, message: &str) -> usize {
    if message.ends_with("at end of input") {
        return text.trim_end().trim_end_matches(';').trim_end().len();
    }
    let Some(near) = message
        .split_once("at or near \"")
        .and_then(|(_, rest)| rest.rsplit_once('"'))
        .map(|(tok, _)| tok)
    else {
        return 0;
    };
    let candidates: Vec<_> = crate::lexer::tokens(text)
        .into_iter()
        .filter(|t| &text[t.start..t.end] == near)
        .collect();
    match candidates.as_slice() {
        [] => 0,
        [only] => only.start,
        many => many
            .iter()
            .find(|t| {
                matches!(pg_query::parse(&text[..t.end], 0), Err(pg_query::Error::Parse(m)) if m == message)
            })
            .unwrap_or(&many[0])
            .start,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_point_at_the_token() {
        let e = parse_statement("SELECT a, FROM t").unwrap_err();
        assert_eq!(e.offset, 10, "{e:?}");
        let e = parse_statement("CREATE TABLE t (a int,)").unwrap_err();
        assert_eq!(e.offset, 22, "{e:?}");
        let e = parse_statement("SELECT (1").unwrap_err();
        assert_eq!(e.offset, 9, "{e:?}");
        // The second `x` is the culprit, not the first.
        let e = parse_statement("SELECT x FROM t WHERE a = 1 x").unwrap_err();
        assert_eq!(e.offset, 28, "{e:?}");
    }
}
