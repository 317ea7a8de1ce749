//! The content of a file after Claude Code's Edit and MultiEdit tools, as the
//! tools themselves compute it: each `old_string` replaced by its
//! `new_string` (every occurrence with `replace_all`), edits applied in order.

use serde_json::Value;
use std::path::Path;

/// The file's content before and after the tool call (`shown` names it in
/// notes). A missing file is empty before; a non-UTF-8 one is not reviewed.
pub fn versions(
    tool: &str,
    input: &Value,
    path: &Path,
    shown: &str,
) -> Result<(String, String), String> {
    let before = match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes)
            .map_err(|_| format!("{shown} is not valid UTF-8, so it is not reviewed"))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("cannot read {shown}: {e}")),
    };
    let after = match tool {
        "Write" => input["content"]
            .as_str()
            .ok_or("Write input has no `content`")?
            .to_string(),
        "Edit" => apply_one(&before, input)?,
        _ => apply_many(&before, input)?,
    };
    Ok((before, after))
}

/// Applies one `{old_string, new_string, replace_all?}` edit.
fn apply(text: &str, edit: &Value) -> Result<String, String> {
    let (Some(old), Some(new)) = (edit["old_string"].as_str(), edit["new_string"].as_str()) else {
        return Err("an edit lacks `old_string` or `new_string`".into());
    };
    if old.is_empty() {
        // Creating a file through Edit: the new text is the whole content.
        return if text.is_empty() {
            Ok(new.to_string())
        } else {
            Err("an edit with an empty `old_string` on a non-empty file".into())
        };
    }
    if !text.contains(old) {
        // The tool itself will refuse this edit; nothing to review.
        return Err("`old_string` is not in the file, so the edit will not apply".into());
    }
    Ok(if edit["replace_all"].as_bool().unwrap_or(false) {
        text.replace(old, new)
    } else {
        text.replacen(old, new, 1)
    })
}

/// Edit: `tool_input` is itself the edit.
fn apply_one(text: &str, input: &Value) -> Result<String, String> {
    apply(text, input)
}

/// MultiEdit (older clients): `tool_input.edits`, in order, each on the result
/// of the previous one.
fn apply_many(text: &str, input: &Value) -> Result<String, String> {
    let Some(edits) = input["edits"].as_array() else {
        return Err("MultiEdit input has no `edits` list".into());
    };
    edits
        .iter()
        .try_fold(text.to_string(), |acc, e| apply(&acc, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn edits_apply_in_order_and_replace_all() {
        let input = json!({"edits": [
            {"old_string": "a", "new_string": "b", "replace_all": true},
            {"old_string": "bb", "new_string": "c"},
        ]});
        assert_eq!(apply_many("a a aa", &input).unwrap(), "b b c");
        assert_eq!(
            apply_one("x y x", &json!({"old_string": "x", "new_string": "z"})).unwrap(),
            "z y x"
        );
        assert!(apply_one("x", &json!({"old_string": "q", "new_string": "z"})).is_err());
        assert_eq!(
            apply_one("", &json!({"old_string": "", "new_string": "new"})).unwrap(),
            "new"
        );
    }
}
