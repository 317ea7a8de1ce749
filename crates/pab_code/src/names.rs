//! What names say about the values they hold, for the rules that decide
//! by name (a secret, a password, a token): identifiers split into words,
//! the head word of a name, the name a value is assigned to (variable,
//! attribute, keyword argument, dict / object key, struct field), and
//! whether a path is test code.

use crate::context::FileContext;
use crate::lang::{Lang, Shape};
use tree_sitter::Node;

/// The lower-case words of an identifier: `apiKey`, `API_KEY`, `api-key`
/// and `ApiKey` are all `["api", "key"]`.
pub fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1);
        // A new word starts at `aB` and at the `B` of `ABc` (`APIKey`).
        let boundary = c.is_uppercase()
            && prev.is_some_and(|p| {
                p.is_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_uppercase() && next.is_some_and(|n| n.is_lowercase()))
            });
        if boundary && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Trailing words that describe a value's representation, not what it is
/// (`password_bytes`, `apiKeyValue`).
const REPRESENTATION_WORDS: &[&str] = &[
    "value", "val", "str", "string", "bytes", "b", "raw", "hex", "b64", "base64", "encoded", "utf8",
];

/// The words of a name without trailing representation words: the last one
/// is the head noun (`reset_password_url` is a URL, `new_password` a
/// password).
fn head_words(name: &str) -> Vec<String> {
    let mut w = words(name);
    while w.len() > 1
        && w.last()
            .is_some_and(|l| REPRESENTATION_WORDS.contains(&l.as_str()))
    {
        w.pop();
    }
    w
}

const PASSWORD_WORDS: &[&str] = &["password", "passwd", "pwd", "passphrase", "passw"];

/// Whether a name says it holds a password (`password`, `new_pwd`,
/// `userPassword`, `password_bytes`), not something about one
/// (`password_hash`, `password_reset_url`, `password_policy`).
pub fn is_password_name(name: &str) -> bool {
    let w = head_words(name);
    w.last()
        .is_some_and(|h| PASSWORD_WORDS.contains(&h.as_str()))
}

/// Qualifiers that make a `*_token` a credential (`access_token`,
/// `csrfToken`); a bare `token` is as often a lexer's or a paginator's.
pub const CREDENTIAL_TOKEN_QUALIFIERS: &[&str] = &[
    "access",
    "refresh",
    "auth",
    "bearer",
    "api",
    "session",
    "id",
    "csrf",
    "xsrf",
    "oauth",
    "github",
    "gh",
    "gitlab",
    "slack",
    "bot",
    "personal",
    "private",
    "secret",
    "service",
    "app",
    "admin",
    "reset",
    "verification",
    "verify",
    "confirm",
    "confirmation",
    "invite",
    "magic",
    "login",
    "sso",
    "master",
    "remember",
    "device",
    "client",
    "user",
    "npm",
    "pypi",
    "discord",
    "telegram",
    "hf",
    "sentry",
    "twilio",
    "stripe",
    "jwt",
    "security",
    "webhook",
    "registration",
    "signup",
    "activation",
    "unsubscribe",
];

/// Qualifiers that make a `*_key` a secret (`api_key`, `SECRET_KEY`,
/// `privateKey`); `public_key`, `cache_key` and `primary_key` are not.
const SECRET_KEY_QUALIFIERS: &[&str] = &[
    "api",
    "secret",
    "private",
    "access",
    "signing",
    "encryption",
    "master",
    "client",
    "app",
    "auth",
    "hmac",
    "jwt",
    "stripe",
    "aws",
    "service",
    "webhook",
    "session",
    "license",
    "crypt",
    "cipher",
    "aes",
    "sign",
];

/// `required_text` of a rule that needs a secret-like name: the words
/// without which [`is_secret_name`] cannot hold (any case form), written
/// once beside it so the two cannot drift apart. A macro, so that a rule can
/// put needles of its own in the same group (`secret_name_needles!["AKIA"]`).
macro_rules! secret_name_needles {
    ($($extra:literal),* $(,)?) => {
        &[&[
            $($extra,)*
            "pass",
            "pwd",
            "secret",
            "jwt",
            "authorization",
            "bearer",
            "token",
            "key",
        ]]
    };
}
pub(crate) use secret_name_needles;

/// Whether a name says it holds a credential: a password, a secret, an API
/// key, an access token (`DB_PASSWORD`, `client_secret`, `apiKey`,
/// `access_token`, `authorization`). The head word decides, so
/// `token_count`, `password_reset_url`, `secret_name` and `public_key` are
/// not secrets; a bare `token` or `key` is not either (lexers, caches).
pub fn is_secret_name(name: &str) -> bool {
    let w = head_words(name);
    let Some(head) = w.last().map(String::as_str) else {
        return false;
    };
    let before = w.len().checked_sub(2).map(|i| w[i].as_str());
    if PASSWORD_WORDS.contains(&head) {
        return true;
    }
    match head {
        "secret" | "apikey" | "secretkey" | "privatekey" | "accesskey" | "authtoken"
        | "accesstoken" | "refreshtoken" | "jwt" | "authorization" | "bearer" => true,
        "token" => before.is_some_and(|b| CREDENTIAL_TOKEN_QUALIFIERS.contains(&b)),
        "key" => before.is_some_and(|b| SECRET_KEY_QUALIFIERS.contains(&b)),
        _ => false,
    }
}

/// The name an expression's value is stored under: the variable, attribute
/// or subscript key of an assignment (`password = v`, `self.password = v`,
/// `cfg["password"] = v`), a declarator (`const apiKey = v`), a keyword
/// argument or parameter default (`login(password=v)`), a dict / object key
/// (`{"password": v}`), a struct field (`Config{Password: v}`) or a class
/// field (`private apiKey = v`).
pub fn assigned_name<'t>(cx: &FileContext<'t>, expr: Node<'t>) -> Option<&'t str> {
    let mut child = expr;
    let mut parent = expr.parent()?;
    let mut index: Option<usize> = None;
    loop {
        match parent.kind() {
            "parenthesized_expression"
            | "literal_element"
            | "as_expression"
            | "satisfies_expression"
            | "non_null_expression" => {}
            "expression_list" => {
                let mut cursor = parent.walk();
                index = parent
                    .named_children(&mut cursor)
                    .position(|c| c.id() == child.id());
            }
            _ => break,
        }
        child = parent;
        parent = parent.parent()?;
    }
    let is_field = |field: &str| {
        parent
            .child_by_field_name(field)
            .is_some_and(|n| n.id() == child.id())
    };
    let target = match cx.lang.shape_of(parent) {
        Shape::Assignment { left, right } | Shape::AugmentedAssignment { left, right } => {
            if !is_field(right) {
                return None;
            }
            parent.child_by_field_name(left)?
        }
        Shape::Declarator { name, value } => {
            if !is_field(value) {
                return None;
            }
            parent.child_by_field_name(name)?
        }
        _ => {
            let (value_field, name_field) = match parent.kind() {
                "keyword_argument" | "default_parameter" | "typed_default_parameter" => {
                    ("value", "name")
                }
                "pair" | "keyed_element" => ("value", "key"),
                "public_field_definition" | "field_definition" => ("value", "name"),
                "required_parameter" | "optional_parameter" => ("value", "pattern"),
                "assignment_pattern" => ("right", "left"),
                _ => return None,
            };
            if !is_field(value_field) {
                return None;
            }
            let field = if parent.kind() == "field_definition" && cx.lang != Lang::Python {
                parent
                    .child_by_field_name("property")
                    .or_else(|| parent.child_by_field_name(name_field))?
            } else {
                parent.child_by_field_name(name_field)?
            };
            field
        }
    };
    // `a, b = x, y`: the name at the value's position.
    let target = match index {
        Some(i)
            if matches!(
                target.kind(),
                "expression_list" | "pattern_list" | "tuple_pattern"
            ) =>
        {
            target.named_child(i as u32)?
        }
        _ if matches!(target.kind(), "expression_list") && target.named_child_count() == 1 => {
            target.named_child(0)?
        }
        _ => target,
    };
    key_name(cx, target)
}

/// The name a key, target or field node spells: an identifier, the
/// property of a member access, a constant string key, a subscript's
/// constant key.
pub fn key_name<'t>(cx: &FileContext<'t>, node: Node<'t>) -> Option<&'t str> {
    match node.kind() {
        "property_identifier"
        | "field_identifier"
        | "private_property_identifier"
        | "shorthand_property_identifier"
        | "type_identifier" => return Some(cx.text(node)),
        "literal_element" => return key_name(cx, node.named_child(0)?),
        _ => {}
    }
    match cx.lang.shape_of(node) {
        Shape::Identifier => Some(cx.text(node)),
        Shape::Member { property, .. } => Some(cx.text(node.child_by_field_name(property)?)),
        Shape::Subscript { .. } => {
            let index = node
                .child_by_field_name("subscript")
                .or_else(|| node.child_by_field_name("index"))?;
            string_key(cx, index)
        }
        Shape::String => string_key(cx, node),
        _ => None,
    }
}

/// The text of a string literal that is a plain word (a key), without
/// quotes.
pub fn string_key<'t>(cx: &FileContext<'t>, node: Node<'t>) -> Option<&'t str> {
    if cx.lang.shape_of(node) != Shape::String {
        return None;
    }
    let text = cx.text(node);
    let inner = text
        .trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .trim_matches(['"', '\'', '`']);
    (!inner.is_empty()
        && inner
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
    .then_some(inner)
}

/// Whether a path is test code (test directories, `test_*.py`,
/// `*_test.go`, `*.test.ts`, `*.spec.js`, fixtures): fake credentials and
/// deliberately insecure clients live there.
pub fn is_test_path(path: &str) -> bool {
    let path = path.replace('\\', "/");
    let mut parts = path.split('/').collect::<Vec<_>>();
    let file = parts.pop().unwrap_or("");
    if parts.iter().any(|d| {
        matches!(
            *d,
            "test"
                | "tests"
                | "testing"
                | "__tests__"
                | "__mocks__"
                | "spec"
                | "specs"
                | "fixtures"
                | "testdata"
                | "e2e"
                | "test_utils"
                | "testutils"
        )
    }) {
        return true;
    }
    let stem = file.split('.').next().unwrap_or("");
    stem.starts_with("test_")
        || stem.ends_with("_test")
        || stem.ends_with("_tests")
        || stem == "conftest"
        || stem == "tests"
        || file.contains(".test.")
        || file.contains(".spec.")
}

/// Methods and functions whose result is their input's text (so a secret
/// passed through them is still the secret): `password.encode()`,
/// `str(token)`, `Buffer.from(pw)`, `token.trim()`.
const TEXT_PASSTHROUGH: &[&str] = &[
    "encode",
    "decode",
    "strip",
    "lstrip",
    "rstrip",
    "lower",
    "upper",
    "format",
    "join",
    "toString",
    "trim",
    "concat",
    "replace",
    "str",
    "bytes",
    "bytearray",
    "String",
    "from",
    "repr",
    "toLowerCase",
    "toUpperCase",
    "Sprintf",
    "Sprint",
    "string",
    "TrimSpace",
    "fsencode",
];

/// Methods that read a value by key (`form.get("password")`,
/// `r.Header.Get("Authorization")`, `req.header("authorization")`).
const KEYED_GETTERS: &[&str] = &[
    "get",
    "Get",
    "getlist",
    "header",
    "get_header",
    "GetHeader",
    "getHeader",
    "param",
    "FormValue",
    "PostFormValue",
];

const COMPARISONS: &[&str] = &[
    "==",
    "!=",
    "===",
    "!==",
    "<",
    ">",
    "<=",
    ">=",
    "&&",
    "and",
    "or",
    "in",
    "not in",
    "is",
    "is not",
    "instanceof",
];

/// The names an expression's text is read from, with the node that spells
/// each: variables, attributes (`user.password`), constant keys
/// (`form["password"]`, `.get("password")`, `{"password": v}`), through
/// string building and text conversions (`password.encode()`,
/// `f"{token}"`, `[]byte(pw)`), and one step back through a local
/// assigned once (`pw = form["password"]`). Values only passed to other
/// functions (`len(password)`, `mask(token)`) or compared are not read.
pub fn mentioned_names<'t>(cx: &FileContext<'t>, node: Node<'t>) -> Vec<(Node<'t>, &'t str)> {
    let mut out = Vec::new();
    mentions(cx, node, &mut out, 0, 0);
    out
}

fn mentions<'t>(
    cx: &FileContext<'t>,
    node: Node<'t>,
    out: &mut Vec<(Node<'t>, &'t str)>,
    depth: u32,
    follows: u32,
) {
    if depth > 24 || out.len() > 64 {
        return;
    }
    let recurse_children = |out: &mut Vec<(Node<'t>, &'t str)>| {
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            mentions(cx, child, out, depth + 1, follows);
        }
    };
    match node.kind() {
        "pair" | "keyed_element" => {
            let (Some(key), Some(value)) = (
                node.child_by_field_name("key"),
                node.child_by_field_name("value"),
            ) else {
                return;
            };
            // The key names the value when the value is read as it is
            // (`{"password": pw}`), not computed (`{hasPassword: Boolean(pw)}`).
            let plain = matches!(
                cx.lang.shape_of(value),
                Shape::Identifier | Shape::Member { .. } | Shape::Subscript { .. }
            ) && cx.value(value).taint != crate::flow::Taint::Constant;
            if let (true, Some(name)) = (plain, key_name(cx, key)) {
                out.push((key, name));
            }
            mentions(cx, value, out, depth + 1, follows);
            return;
        }
        "type_conversion_expression" => {
            if let Some(operand) = node.child_by_field_name("operand") {
                mentions(cx, operand, out, depth + 1, follows);
            }
            return;
        }
        "interpolation" | "template_substitution" | "spread_element" => {
            recurse_children(out);
            return;
        }
        _ => {}
    }
    match cx.lang.shape_of(node) {
        Shape::Identifier => {
            out.push((node, cx.text(node)));
            if follows < 1 {
                if let Some(def) = cx.flow.single_definition(node) {
                    mentions(cx, def, out, depth + 1, follows + 1);
                }
            }
        }
        Shape::Member { object, property } => {
            if let Some(p) = node.child_by_field_name(property) {
                out.push((p, cx.text(p)));
            }
            if let Some(o) = node.child_by_field_name(object) {
                mentions(cx, o, out, depth + 1, follows);
            }
        }
        Shape::Subscript { object } => {
            let index = node
                .child_by_field_name("subscript")
                .or_else(|| node.child_by_field_name("index"));
            if let Some((i, key)) = index.and_then(|i| string_key(cx, i).map(|k| (i, k))) {
                out.push((i, key));
            }
            if let Some(o) = node.child_by_field_name(object) {
                mentions(cx, o, out, depth + 1, follows);
            }
        }
        Shape::Binary => {
            let op = node
                .child_by_field_name("operator")
                .map_or("", |o| cx.text(o));
            if !COMPARISONS.contains(&op) {
                recurse_children(out);
            }
        }
        Shape::String
        | Shape::ConcatenatedString
        | Shape::Transparent
        | Shape::Alternatives
        | Shape::Collection => recurse_children(out),
        Shape::Call => {
            let Some(callee) = node.child_by_field_name("function") else {
                return;
            };
            let args = node.child_by_field_name("arguments");
            let name = match cx.lang.shape_of(callee) {
                Shape::Member { object, property } => {
                    let method = callee
                        .child_by_field_name(property)
                        .map_or("", |p| cx.text(p));
                    if KEYED_GETTERS.contains(&method) {
                        if let Some((a, key)) = args
                            .and_then(|a| a.named_child(0))
                            .and_then(|a| string_key(cx, a).map(|k| (a, k)))
                        {
                            out.push((a, key));
                        }
                    }
                    if TEXT_PASSTHROUGH.contains(&method) || KEYED_GETTERS.contains(&method) {
                        if let Some(o) = callee.child_by_field_name(object) {
                            mentions(cx, o, out, depth + 1, follows);
                        }
                    }
                    method
                }
                Shape::Identifier => cx.text(callee),
                _ => return,
            };
            if TEXT_PASSTHROUGH.contains(&name) && !KEYED_GETTERS.contains(&name) {
                if let Some(a) = args {
                    let mut cursor = a.walk();
                    for child in a.named_children(&mut cursor) {
                        if child.kind() != "keyword_argument" {
                            mentions(cx, child, out, depth + 1, follows);
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_into_words() {
        assert_eq!(words("APIKey"), ["api", "key"]);
        assert_eq!(words("db_password"), ["db", "password"]);
        assert_eq!(words("userPasswordHash"), ["user", "password", "hash"]);
        assert_eq!(words("X-Api-Key"), ["x", "api", "key"]);
    }

    #[test]
    fn secret_names_by_head_word() {
        for yes in [
            "password",
            "DB_PASSWORD",
            "client_secret",
            "apiKey",
            "API_KEY",
            "access_token",
            "csrfToken",
            "SECRET_KEY",
            "stripeSecretKey",
            "passwordValue",
            "jwt",
            "authorization",
        ] {
            assert!(is_secret_name(yes), "{yes}");
        }
        for no in [
            "token",
            "tokens",
            "token_count",
            "max_tokens",
            "password_reset_url",
            "secret_name",
            "public_key",
            "cache_key",
            "next_page_token",
            "password_hash",
            "key",
            "secrets",
            "passwordField",
        ] {
            assert!(!is_secret_name(no), "{no}");
        }
        assert!(is_password_name("new_password"));
        assert!(!is_password_name("password_hash"));
    }

    #[test]
    fn test_paths() {
        assert!(is_test_path("tests/test_api.py"));
        assert!(is_test_path("pkg/server_test.go"));
        assert!(is_test_path("src/auth.spec.ts"));
        assert!(!is_test_path("src/auth.ts"));
        assert!(!is_test_path("app/contest.py"));
    }
}
