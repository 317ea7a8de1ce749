//! Credentials written into the source: provider key formats anywhere in a
//! string literal, and random-looking literals stored under secret names.

use crate::context::FileContext;
use crate::literal;
use crate::names;
use crate::rule::{CodeRule, Reporter, ALL_LANGUAGES};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use tree_sitter::Node;

pub struct HardcodedSecret;

static META: RuleMeta = RuleMeta {
    id: "security/hardcoded-secret",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Python,
    default_enabled: true,
    summary: "A credential (provider key, private key, token or password) is written in the source.",
    docs: RuleDocs {
        what: "Reports string literals, in Python, JavaScript, TypeScript and Go, that contain a provider credential anywhere (AWS access key ids `AKIA…`/`ASIA…`, GitHub tokens `ghp_…`/`gho_…`/`ghs_…`/`github_pat_…`, Slack `xoxb-…`/`xoxp-…`, Stripe `sk_live_…`/`rk_live_…`, Google API keys `AIza…`, SendGrid `SG.…`, a PEM `PRIVATE KEY` block with its body), and literals stored under a secret-like name (`password`, `client_secret`, `api_key`, `access_token`, `SECRET_KEY`…: a variable, attribute, keyword argument, dict/object key or struct field) that look random: at least 10 characters, letters and digits, no counting or keyboard runs (`12345`, `qwerty`), no spaces, and a Shannon entropy of at least 3 bits per character (3.3 from 16 characters); a JWT stored under such a name too. Placeholders are ignored (`changeme`, `xxx`, `example`, `dummy`, `your-…`, `<...>`, `${...}`, `{{...}}`, AWS's documented `…EXAMPLE` keys, jwt.io's sample token), as are empty strings and environment lookups (they are not literals). The generic (entropy) check skips test code (`tests/`, `test_*.py`, `*_test.go`, `*.spec.ts`, fixtures); provider formats are reported everywhere. The message shows only the first four characters.",
        why: "A secret in the source is in every clone, fork, CI log, container image and backup of the repository, and in its history after it is deleted; bots scan public pushes for key formats within minutes. Whoever reads it acts as the service: reads its data, spends its money, signs its tokens.",
        lock: "",
        bad: "STRIPE_KEY = \"sk_live_51H8xQ2eZvKYlo2C0a9f8PqR7\"\nDB_PASSWORD = \"pR0d-7g9Xk2mQ\"",
        good: "STRIPE_KEY = os.environ[\"STRIPE_KEY\"]\nDB_PASSWORD = os.environ[\"DB_PASSWORD\"]",
        fix: "Revoke and rotate the credential first: it is already leaked. Then read it at run time from the environment or a secret manager (`os.environ[...]`, `process.env.X`, `os.Getenv`, Vault, AWS Secrets Manager), keep local values in an untracked `.env`, and let the deployment inject them. Test data should use obvious placeholders.",
    },
};

/// String literal kinds of every grammar.
const STRING_KINDS: &[&str] = &[
    "string",
    "template_string",
    "interpreted_string_literal",
    "raw_string_literal",
];

/// Words that mark a value as a placeholder or an example.
const PLACEHOLDER_WORDS: &[&str] = &[
    "example",
    "changeme",
    "change_me",
    "change-me",
    "changeit",
    "dummy",
    "placeholder",
    "your",
    "xxx",
    "sample",
    "fake",
    "redacted",
    "replace",
    "todo",
    "insert",
    "secret",
    "password",
    "mock",
    "test",
    "foobar",
    "lorem",
    "notreal",
    "not-real",
    "invalid",
    "default",
];

/// jwt.io's sample token signature: documentation, not a credential.
const JWT_IO_SAMPLE: &str = "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

impl CodeRule for HardcodedSecret {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn languages(&self) -> &'static [Language] {
        ALL_LANGUAGES
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        STRING_KINDS
    }

    fn required_text(&self, language: Language) -> &'static [&'static [&'static str]] {
        let _ = language;
        // A provider key's prefix, or a secret-like name.
        crate::names::secret_name_needles![
            "AKIA",
            "ASIA",
            "ABIA",
            "ACCA",
            "ghp_",
            "gho_",
            "ghu_",
            "ghs_",
            "ghr_",
            "github_pat_",
            "xoxb-",
            "xoxp-",
            "xoxa-",
            "xoxr-",
            "xoxs-",
            "sk_live_",
            "rk_live_",
            "AIza",
            "SG.",
            "-----BEGIN ",
        ]
    }

    fn check(&self, cx: &FileContext, out: &mut Reporter) {
        let test_code = names::is_test_path(&cx.file.path);
        for &kind in STRING_KINDS {
            for &node in cx.nodes(kind) {
                check_literal(cx, node, test_code, out);
            }
        }
    }
}

fn check_literal<'t>(cx: &FileContext<'t>, node: Node<'t>, test_code: bool, out: &mut Reporter) {
    // A Python string nested in another (f-string pieces) is read with it.
    if node.parent().is_some_and(|p| p.kind() == "interpolation") {
        return;
    }
    let Some(pieces) = literal::pieces(cx.lang, node, &cx.file.text) else {
        return;
    };
    let text = literal::constant_text(&pieces, &cx.file.text);
    if text.len() < 8 {
        return;
    }
    if let Some((provider, secret)) = provider_secret(&text) {
        out.report(
            cx,
            &META,
            node,
            if secret.starts_with("-----") {
                format!("{provider} (`{secret}` block) is written in the source")
            } else {
                format!("{provider} `{}` is written in the source", redact(secret))
            },
            "Revoke and rotate it, then read it at run time from the environment or a secret manager (`os.environ[...]`, `process.env.X`, `os.Getenv`).",
        );
        return;
    }
    if literal::has_holes(&pieces) {
        return;
    }
    let Some(name) = names::assigned_name(cx, node) else {
        return;
    };
    if !names::is_secret_name(name) || test_code {
        return;
    }
    let what = if is_jwt(&text) {
        "a JWT"
    } else if looks_random(&text) {
        "a credential"
    } else {
        return;
    };
    out.report(
        cx,
        &META,
        node,
        format!("`{name}` is set to {what} written in the source (`{}`)", redact(&text)),
        "Rotate it, then read it at run time from the environment or a secret manager (`os.environ[...]`, `process.env.X`, `os.Getenv`); keep local values in an untracked `.env`.",
    );
}

/// The first four characters and a mask.
fn redact(secret: &str) -> String {
    let head: String = secret.chars().take(4).collect();
    format!("{head}***")
}

fn is_placeholder(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let t = lower.trim();
    PLACEHOLDER_WORDS.iter().any(|w| t.contains(w))
        || (t.starts_with('<') && t.ends_with('>'))
        || t.contains("${")
        || t.contains("{{")
        || t.contains("%(")
        || t.contains("%s")
        || t.starts_with('$')
        || {
            // One character repeated (`aaaaaaaa`, `********`).
            let mut chars = t.chars();
            let first = chars.next();
            chars.all(|c| Some(c) == first)
        }
}

/// Keyboard and counting runs (`12345`, `abcde`, `qwerty`): typed by a
/// person as a placeholder, not generated.
fn is_sequence(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    [
        "12345", "23456", "34567", "45678", "56789", "abcde", "bcdef", "qwert", "asdf",
    ]
    .iter()
    .any(|s| lower.contains(s))
}

/// Shannon entropy in bits per character.
fn entropy(text: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    let mut total = 0usize;
    for c in text.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
        total += 1;
    }
    counts
        .values()
        .map(|&n| {
            let p = n as f64 / total as f64;
            -p * p.log2()
        })
        .sum()
}

/// Whether a value stored under a secret name looks like a real
/// credential rather than a word, a sentence, a path or a placeholder.
fn looks_random(text: &str) -> bool {
    let len = text.chars().count();
    if !(10..=256).contains(&len)
        || is_sequence(text)
        || text.chars().any(char::is_whitespace)
        || text.contains("://")
        || text.starts_with('/')
        || is_placeholder(text)
    {
        return false;
    }
    let has_digit = text.chars().any(|c| c.is_ascii_digit());
    let has_letter = text.chars().any(|c| c.is_alphabetic());
    if !has_digit || !has_letter {
        return false;
    }
    let threshold = if len >= 16 { 3.3 } else { 3.0 };
    entropy(text) >= threshold
}

fn is_jwt(text: &str) -> bool {
    let text = text.strip_prefix("Bearer ").unwrap_or(text);
    let parts: Vec<&str> = text.split('.').collect();
    let b64 = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    parts.len() == 3
        && parts[0].starts_with("eyJ")
        && parts[1].starts_with("eyJ")
        && parts[0].len() >= 10
        && parts[1].len() >= 10
        && parts[2].len() >= 20
        && parts.iter().all(|p| b64(p))
        && parts[2] != JWT_IO_SAMPLE
}

/// A provider credential anywhere in the text: (what it is, the match).
fn provider_secret(text: &str) -> Option<(&'static str, &str)> {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    // The run of characters of `class` from `start`.
    let run = |start: usize, class: &dyn Fn(u8) -> bool| -> usize {
        bytes[start..].iter().take_while(|&&b| class(b)).count()
    };
    let upper_digit = |b: u8| b.is_ascii_uppercase() || b.is_ascii_digit();
    let alnum = |b: u8| b.is_ascii_alphanumeric();
    let alnum_ = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let alnum_dash = |b: u8| b.is_ascii_alphanumeric() || b == b'-';
    let alnum_dash_ = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    for (i, _) in text.char_indices() {
        if i > 0 && is_word(bytes[i - 1]) {
            continue;
        }
        let rest = &text[i..];
        let candidate: Option<(&'static str, usize)> = if ["AKIA", "ASIA", "ABIA", "ACCA"]
            .iter()
            .any(|p| rest.starts_with(p))
        {
            let n = run(i + 4, &upper_digit);
            (n == 16).then_some(("an AWS access key id", 20))
        } else if ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]
            .iter()
            .any(|p| rest.starts_with(p))
        {
            let n = run(i + 4, &alnum);
            (n >= 36).then_some(("a GitHub token", 4 + n))
        } else if rest.starts_with("github_pat_") {
            let n = run(i + 11, &alnum_);
            (n >= 70).then_some(("a GitHub token", 11 + n))
        } else if ["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-"]
            .iter()
            .any(|p| rest.starts_with(p))
        {
            let n = run(i + 5, &alnum_dash);
            let body = &text[i + 5..i + 5 + n];
            (n >= 20 && body.matches('-').count() >= 2).then_some(("a Slack token", 5 + n))
        } else if ["sk_live_", "rk_live_"].iter().any(|p| rest.starts_with(p)) {
            let n = run(i + 8, &alnum);
            (n >= 20).then_some(("a Stripe live key", 8 + n))
        } else if rest.starts_with("AIza") {
            let n = run(i + 4, &alnum_dash_);
            (n == 35).then_some(("a Google API key", 39))
        } else if rest.starts_with("SG.") {
            let a = run(i + 3, &alnum_dash_);
            let dot = i + 3 + a;
            let b = if a == 22 && bytes.get(dot) == Some(&b'.') {
                run(dot + 1, &alnum_dash_)
            } else {
                0
            };
            (b == 43).then_some(("a SendGrid API key", 3 + a + 1 + b))
        } else if rest.starts_with("-----BEGIN ") {
            pem_private_key(rest).map(|n| ("a private key", n))
        } else {
            None
        };
        if let Some((what, len)) = candidate {
            let end = i + len;
            if end < bytes.len() && is_word(bytes[end]) && !rest.starts_with("-----") {
                continue;
            }
            let found = &text[i..end.min(text.len())];
            if found.contains("EXAMPLE") || is_placeholder_key(found) {
                continue;
            }
            return Some((what, found));
        }
    }
    None
}

/// Provider-shaped values that are visibly not real (`sk_live_xxxx…`,
/// `AKIA0000000000000000`).
fn is_placeholder_key(found: &str) -> bool {
    let lower = found.to_ascii_lowercase();
    lower.contains("xxxx") || lower.contains("0000000000") || lower.contains("example")
}

/// The length of a PEM private key block's header plus a body of real
/// key material (a header alone, as parsers compare against, is not a key).
fn pem_private_key(rest: &str) -> Option<usize> {
    let header_end = rest.get(11..)?.find("-----")? + 11 + 5;
    let header = &rest[..header_end];
    if !header.ends_with("PRIVATE KEY-----") && !header.ends_with("PRIVATE KEY BLOCK-----") {
        return None;
    }
    let body: usize = rest[header_end..]
        .lines()
        .map(|l| l.trim().trim_end_matches("\\n"))
        .take_while(|l| !l.starts_with("-----"))
        .flat_map(|l| l.split("\\n"))
        .filter(|l| {
            l.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
        })
        .map(str::len)
        .sum();
    (body >= 64).then_some(header_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_formats() {
        assert!(provider_secret("key=AKIAQ3EGR7WZ4NVBLK2P").is_some());
        assert!(provider_secret("AKIAIOSFODNN7EXAMPLE").is_none());
        assert!(provider_secret("ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R").is_some());
        assert!(provider_secret("sk_live_51H8xQ2eZvKYlo2C0a9f8PqR7").is_some());
        assert!(provider_secret("sk_live_xxxxxxxxxxxxxxxxxxxxxxxx").is_none());
        assert!(provider_secret("-----BEGIN RSA PRIVATE KEY-----").is_none());
        let key = format!(
            "-----BEGIN PRIVATE KEY-----\\n{}\\n-----END PRIVATE KEY-----",
            "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC".repeat(3)
        );
        assert_eq!(provider_secret(&key).map(|p| p.0), Some("a private key"));
    }

    #[test]
    fn random_looking_values() {
        assert!(looks_random("pR0d-7g9Xk2mQ"));
        assert!(looks_random("3f9a1c77e0b24d5a8c6e2f1b9d0a7c43"));
        assert!(!looks_random("changeme123"));
        assert!(!looks_random("hunter22"));
        assert!(!looks_random("PasswordField"));
        assert!(!looks_random("<your-api-key>"));
        assert_eq!(redact("sk_live_51H8"), "sk_l***");
    }
}
