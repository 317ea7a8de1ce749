//! JSON Web Tokens accepted without checking their signature, or with
//! the `none` algorithm allowed.

use crate::context::{Call, FileContext};
use crate::flow::Taint;
use crate::names;
use crate::rule::{CodeRule, Reporter, ALL_LANGUAGES};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use tree_sitter::Node;

pub struct JwtVerificationDisabled;

static META: RuleMeta = RuleMeta {
    id: "security/jwt-verification-disabled",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Python,
    default_enabled: true,
    summary: "A JWT is decoded without verifying its signature, or with the `none` algorithm allowed.",
    docs: RuleDocs {
        what: "Reports, in Python (PyJWT, python-jose): `jwt.decode(...)` with `options={\"verify_signature\": False}` (also through a local dict), `verify=False`, an `algorithms` list that contains `none`, or no `algorithms` at all when a key is given (PyJWT 1 and python-jose then accept whatever algorithm the token names); in JavaScript and TypeScript (jsonwebtoken): `jwt.decode(token)` on a token taken from the request in a function that never calls `verify`, and `jwt.verify(..., { algorithms: [..., 'none'] })`; in Go (golang-jwt, jwt-go): `ParseUnverified` on a token from the request in a function that does not also `Parse` it, and `jwt.UnsafeAllowNoneSignatureType`. Decoding a token to read its header before verifying it, or a token the service fetched itself, is not reported. A Go key function that does not check `token.Method` is not reported: golang-jwt refuses a key of the wrong type for the method, which blocks the classic confusion attack.",
        why: "A JWT's claims are only as trustworthy as its signature: without verification anyone can write `{\"sub\": \"admin\"}` into a token and be that user; allowing `none` lets them drop the signature altogether, and letting the token pick its algorithm lets them sign with the public key as an HMAC secret.",
        lock: "",
        bad: "def current_user(token: str):\n    claims = jwt.decode(token, options={\"verify_signature\": False})\n    return claims[\"sub\"]",
        good: "def current_user(token: str):\n    claims = jwt.decode(token, SECRET_KEY, algorithms=[\"HS256\"])\n    return claims[\"sub\"]",
        fix: "Verify every token you act on, with the key and an explicit list of the algorithms you issue: PyJWT `jwt.decode(token, key, algorithms=[\"RS256\"])`; jsonwebtoken `jwt.verify(token, key, { algorithms: ['RS256'] })`; golang-jwt `jwt.Parse(tok, keyFunc, jwt.WithValidMethods([]string{\"RS256\"}))`. Use unverified decoding only to pick the key (`kid`), and verify right after.",
    },
};

impl CodeRule for JwtVerificationDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn languages(&self) -> &'static [Language] {
        ALL_LANGUAGES
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["selector_expression"]
    }

    fn required_text(&self, language: Language) -> &'static [&'static [&'static str]] {
        let _ = language;
        &[&["jwt", "jsonwebtoken", "ParseUnverified"]]
    }

    fn check(&self, cx: &FileContext, out: &mut Reporter) {
        for call in cx.calls() {
            let problem = match cx.lang.language() {
                Language::Python => python_problem(cx, call),
                Language::JavaScript | Language::TypeScript => js_problem(cx, call),
                Language::Go => go_problem(cx, call),
                _ => None,
            };
            if let Some(message) = problem {
                out.report(
                    cx,
                    &META,
                    call.node,
                    message,
                    "Verify the signature with the key and an explicit algorithm list (`jwt.decode(token, key, algorithms=[\"HS256\"])`, `jwt.verify(token, key, { algorithms: ['HS256'] })`, `jwt.Parse(..., jwt.WithValidMethods(...))`).",
                );
            }
        }
        if cx.lang.language() == Language::Go {
            for &node in cx.nodes("selector_expression") {
                if cx.text(node) == "jwt.UnsafeAllowNoneSignatureType" {
                    out.report(
                        cx,
                        &META,
                        node,
                        "`jwt.UnsafeAllowNoneSignatureType` accepts tokens signed with `none`: anyone can forge them",
                        "Return the real verification key from the key function and restrict the methods with `jwt.WithValidMethods`.",
                    );
                }
            }
        }
    }
}

/// Whether a list literal (or the constant it names) names the `none`
/// algorithm.
fn lists_none<'t>(cx: &FileContext<'t>, node: Node<'t>) -> bool {
    let value = cx.value(node);
    value
        .text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w.eq_ignore_ascii_case("none"))
        && value.taint == Taint::Constant
}

fn python_problem<'t>(cx: &FileContext<'t>, call: &Call<'t>) -> Option<String> {
    if call.name != "decode" || !call.receiver.is_some_and(|r| cx.text(r).ends_with("jwt")) {
        return None;
    }
    if let Some(options) = call.keyword("options") {
        let options = if cx.is_identifier(options) {
            cx.flow.single_definition(options).unwrap_or(options)
        } else {
            options
        };
        if dict_sets_false(cx, options, "verify_signature") {
            return Some("`jwt.decode` with `verify_signature: False` accepts any token: anyone can write the claims they want".into());
        }
    }
    if call
        .keyword("verify")
        .is_some_and(|v| cx.text(v) == "False")
    {
        return Some("`jwt.decode(..., verify=False)` accepts any token: anyone can write the claims they want".into());
    }
    let algorithms = call
        .keyword("algorithms")
        .or_else(|| call.args.get(2).copied());
    match algorithms {
        Some(a) if lists_none(cx, a) => Some(
            "`jwt.decode` allows the `none` algorithm: a token without a signature is accepted".into(),
        ),
        Some(_) => None,
        // A key given but no algorithm list: the token picks.
        None if (call.args.len() >= 2 || call.keyword("key").is_some())
            && !cx.file.text.contains("authlib") =>
        {
            Some("`jwt.decode` without `algorithms` lets the token choose its algorithm (PyJWT 1, python-jose): a token can be signed with `none` or with the public key as an HMAC secret".into())
        }
        None => None,
    }
}

/// Whether a dict literal maps `key` to `False`.
fn dict_sets_false<'t>(cx: &FileContext<'t>, dict: Node<'t>, key: &str) -> bool {
    if dict.kind() != "dictionary" {
        return false;
    }
    let mut cursor = dict.walk();
    let found = dict.named_children(&mut cursor).any(|pair| {
        pair.kind() == "pair"
            && pair
                .child_by_field_name("key")
                .and_then(|k| names::string_key(cx, k))
                == Some(key)
            && pair
                .child_by_field_name("value")
                .is_some_and(|v| cx.text(v) == "False")
    });
    found
}

fn js_problem<'t>(cx: &FileContext<'t>, call: &Call<'t>) -> Option<String> {
    let receiver = call.receiver.map(|r| cx.text(r))?;
    if !matches!(receiver, "jwt" | "jsonwebtoken" | "JWT") {
        return None;
    }
    match call.name {
        "decode" => {
            let token = cx.value(*call.args.first()?);
            let func = cx.flow.scope_of(call.node);
            (token.taint == Taint::Request && !calls_in(cx, func, &["verify"])).then(|| {
                format!(
                    "`{receiver}.decode` reads the request's token (`{}`) without checking its signature, and this function never verifies it: anyone can write the claims they want",
                    cx.origin_snippet(&token)
                )
            })
        }
        "verify" => {
            let options = *call.args.get(2)?;
            let algorithms = object_value(cx, options, "algorithms")?;
            lists_none(cx, algorithms).then(|| {
                format!("`{receiver}.verify` allows the `none` algorithm: a token without a signature is accepted")
            })
        }
        _ => None,
    }
}

/// The value of `key` in an object literal.
fn object_value<'t>(cx: &FileContext<'t>, object: Node<'t>, key: &str) -> Option<Node<'t>> {
    if object.kind() != "object" {
        return None;
    }
    let mut cursor = object.walk();
    let pairs: Vec<_> = object.named_children(&mut cursor).collect();
    pairs.into_iter().find_map(|pair| {
        (pair.kind() == "pair"
            && pair
                .child_by_field_name("key")
                .and_then(|k| names::key_name(cx, k))
                == Some(key))
        .then(|| pair.child_by_field_name("value"))
        .flatten()
    })
}

/// Whether a function's own body calls a method or function named like
/// one of `methods`.
fn calls_in<'t>(cx: &FileContext<'t>, func: Node<'t>, methods: &[&str]) -> bool {
    cx.calls().iter().any(|c| {
        methods.contains(&c.name)
            && c.node.start_byte() >= func.start_byte()
            && c.node.end_byte() <= func.end_byte()
    })
}

fn go_problem<'t>(cx: &FileContext<'t>, call: &Call<'t>) -> Option<String> {
    if call.name != "ParseUnverified" {
        return None;
    }
    let token = cx.value(*call.args.first()?);
    let func = cx.flow.scope_of(call.node);
    (token.taint == Taint::Request
        && !calls_in(cx, func, &["Parse", "ParseWithClaims"]))
    .then(|| {
        format!(
            "`ParseUnverified` reads the request's token (`{}`) without checking its signature, and this function never verifies it: anyone can write the claims they want",
            cx.origin_snippet(&token)
        )
    })
}
