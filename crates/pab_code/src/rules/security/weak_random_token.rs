//! Tokens, secrets, session ids and one-time codes drawn from a
//! non-cryptographic random generator.

use crate::context::{Call, FileContext};
use crate::lang::Shape;
use crate::names;
use crate::rule::{CodeRule, Reporter, ALL_LANGUAGES};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use tree_sitter::Node;

pub struct WeakRandomToken;

static META: RuleMeta = RuleMeta {
    id: "security/weak-random-token",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Python,
    default_enabled: true,
    summary: "A token, secret, session id or one-time code is drawn from a predictable random generator (random, Math.random, math/rand).",
    docs: RuleDocs {
        what: "Reports calls to non-cryptographic generators (Python `random.*` and names imported from `random`; `Math.random()`; Go `math/rand` and `math/rand/v2`) whose result builds a value named like a credential: assigned to (or a keyword, key or field named) `token`, `secret`, `password`, `otp`, `nonce`, `salt`, `csrf`, `api_key`, `session_id`, `reset_code`, `verification_code`…, or returned by / assembled in a function whose name says it makes one (`generate_token`, `makeOtp`, `RandomPassword`). The value is followed through string building, joins, comprehensions, indexing (`chars[random.randrange(n)]`), arithmetic and text conversions. Python, JavaScript, TypeScript and Go. `secrets`, `random.SystemRandom`, `crypto.randomBytes` / `randomUUID` / `getRandomValues` and `crypto/rand` pass; test code is skipped. Severity warning: guessing the next value takes work, but it is practical.",
        why: "These generators are fast and statistically good, but not unpredictable: Python's Mersenne Twister is fully reconstructed from 624 outputs, V8's xorshift128+ from a handful of `Math.random()` values, and `math/rand` is seeded from a guessable value (or a constant, before Go 1.20). Whoever observes a few tokens (their own reset links, invite codes) predicts the next users' and takes over their accounts.",
        lock: "",
        bad: "def reset_token():\n    return \"\".join(random.choices(string.ascii_letters + string.digits, k=32))",
        good: "def reset_token():\n    return secrets.token_urlsafe(32)",
        fix: "Use the platform's cryptographic generator: Python `secrets.token_urlsafe()`, `secrets.token_hex()`, `secrets.choice()`, `secrets.randbelow()`; Node `crypto.randomBytes(32).toString('hex')`, `crypto.randomUUID()`, `crypto.randomInt()`; Go `crypto/rand` (`rand.Read`, `rand.Text()` in Go 1.24). Keep `random` for simulations, jitter and sampling.",
    },
};

const PY_RANDOM: &[&str] = &[
    "random",
    "randint",
    "randrange",
    "choice",
    "choices",
    "sample",
    "getrandbits",
    "randbytes",
    "uniform",
    "shuffle",
];

const GO_RANDOM: &[&str] = &[
    "Intn", "Int", "Int63", "Int31", "Int63n", "Int31n", "Uint32", "Uint64", "Read", "Float64",
    "IntN", "Int64N", "Int32N", "UintN", "N", "Perm",
];

/// Calls a random value passes through and stays the token's material:
/// conversions, formatting, joins, character picks, rounding.
const PASS_THROUGH: &[&str] = &[
    "str",
    "String",
    "string",
    "int",
    "hex",
    "chr",
    "format",
    "join",
    "Join",
    "toString",
    "substring",
    "substr",
    "slice",
    "padStart",
    "padEnd",
    "charAt",
    "fromCharCode",
    "floor",
    "round",
    "ceil",
    "trunc",
    "Sprintf",
    "Sprint",
    "Itoa",
    "FormatInt",
    "zfill",
    "rjust",
    "ljust",
    "upper",
    "lower",
    "toUpperCase",
    "toLowerCase",
    "Number",
    "encode",
    "decode",
    "hexdigest",
    "b64encode",
    "urlsafe_b64encode",
    "EncodeToString",
    "from",
    "map",
    "concat",
    "repeat",
    "replace",
    "list",
    "bytes",
    "append",
    "WriteByte",
    "WriteString",
    "WriteRune",
];

impl CodeRule for WeakRandomToken {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn languages(&self) -> &'static [Language] {
        ALL_LANGUAGES
    }

    fn required_text(&self, language: Language) -> &'static [&'static [&'static str]] {
        let _ = language;
        // `random.*`, `Math.random`, `math/rand`.
        &[&["rand"]]
    }

    fn checks_test_code(&self) -> bool {
        false
    }

    fn check(&self, cx: &FileContext, out: &mut Reporter) {
        if names::is_test_path(&cx.file.path) {
            return;
        }
        let go_rand = go_math_rand_names(&cx.file.text);
        for call in cx.calls() {
            if !is_weak_random(cx, call, &go_rand) {
                continue;
            }
            let Some(name) = token_target(cx, call.node) else {
                continue;
            };
            let callee = cx.node_snippet(call.callee);
            out.report(
                cx,
                &META,
                call.node,
                format!("`{name}` is made from `{callee}`, a predictable generator: whoever sees a few values can compute the next ones"),
                "Use a cryptographic generator: `secrets.token_urlsafe()` / `secrets.choice()`, `crypto.randomBytes()` / `crypto.randomInt()`, Go `crypto/rand`.",
            );
        }
    }
}

/// The names `math/rand` is imported as in a Go file (`rand`, or its
/// alias).
fn go_math_rand_names(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| l.contains("\"math/rand\"") || l.contains("\"math/rand/v2\""))
        .map(|l| {
            let l = l.trim().trim_start_matches("import").trim();
            match l.split_whitespace().collect::<Vec<_>>().as_slice() {
                [alias, _] => *alias,
                _ => "rand",
            }
        })
        .collect()
}

fn is_weak_random<'t>(cx: &FileContext<'t>, call: &Call<'t>, go_rand: &[&str]) -> bool {
    let receiver = call.receiver.map(|r| cx.text(r));
    match cx.lang.language() {
        Language::Python => match receiver {
            Some("random") => PY_RANDOM.contains(&call.name),
            None => {
                PY_RANDOM.contains(&call.name)
                    && cx.file.text.contains("from random import")
                    && !cx.file.text.contains("from secrets import")
            }
            _ => false,
        },
        Language::JavaScript | Language::TypeScript => {
            receiver == Some("Math") && call.name == "random"
        }
        Language::Go => {
            receiver.is_some_and(|r| go_rand.contains(&r)) && GO_RANDOM.contains(&call.name)
        }
        _ => false,
    }
}

/// Whether a name (of a variable, key or function) says it is, or makes,
/// a credential.
fn is_token_name(name: &str) -> bool {
    let w = names::words(name);
    if w.first().is_some_and(|f| f == "test") {
        return false;
    }
    let has = |x: &str| w.iter().any(|v| v == x);
    let any = |xs: &[&str]| xs.iter().any(|x| has(x));
    // A bare `token` is as often a lexer's or a MIME boundary's.
    let qualified_token = has("token")
        && (w.len() > 1
            && w.iter().any(|v| {
                names::CREDENTIAL_TOKEN_QUALIFIERS.contains(&v.as_str())
                    || matches!(
                        v.as_str(),
                        "generate" | "gen" | "make" | "new" | "create" | "random" | "issue"
                    )
            }));
    qualified_token
        || any(&[
            "secret",
            "password",
            "passwd",
            "pwd",
            "otp",
            "totp",
            "nonce",
            "salt",
            "csrf",
            "xsrf",
            "apikey",
            "passphrase",
            "sessionid",
            "pin",
        ])
        || (has("session") && any(&["id", "key"]))
        || (has("key") && any(&["api", "secret", "access", "private", "signing"]))
        || (has("code")
            && any(&[
                "reset",
                "verification",
                "verify",
                "confirm",
                "confirmation",
                "activation",
                "auth",
                "login",
                "invite",
                "mfa",
                "sms",
                "email",
                "recovery",
                "one",
                "access",
            ]))
}

/// The credential-like name the random value ends up in, if any.
fn token_target<'t>(cx: &FileContext<'t>, start: Node<'t>) -> Option<String> {
    let mut at = start;
    let mut steps = 0;
    loop {
        steps += 1;
        let parent = at.parent()?;
        if steps > 32 {
            return None;
        }
        let kind = parent.kind();
        let keyed = matches!(kind, "pair" | "keyed_element");
        match cx.lang.shape(kind) {
            // An arrow function's expression body is what it returns.
            Shape::Function => {
                return enclosing_function_name(cx, at).filter(|n| is_token_name(n));
            }
            Shape::Collection if keyed => {}
            Shape::Transparent
            | Shape::String
            | Shape::ConcatenatedString
            | Shape::Collection
            | Shape::Comprehension
            | Shape::Alternatives => {
                at = parent;
                continue;
            }
            Shape::Binary => {
                let op = parent
                    .child_by_field_name("operator")
                    .map_or("", |o| cx.text(o));
                if !matches!(op, "+" | "*" | "%" | "-" | "|" | "<<" | "//" | "/") {
                    return None;
                }
                at = parent;
                continue;
            }
            // `chars[random.randrange(n)]`: the picked character.
            Shape::Subscript { .. } => {
                at = parent;
                continue;
            }
            Shape::Member { object, .. } => {
                // `Math.random().toString(36)`: a method of the value.
                if parent.child_by_field_name(object).map(|o| o.id()) != Some(at.id()) {
                    return None;
                }
                at = parent;
                continue;
            }
            Shape::Call => {
                let name = call_name(cx, parent)?;
                if !PASS_THROUGH.contains(&name) {
                    return None;
                }
                at = parent;
                continue;
            }
            _ => {}
        }
        match kind {
            "argument_list"
            | "arguments"
            | "interpolation"
            | "template_substitution"
            | "for_in_clause"
            | "literal_element"
            | "expression_list"
            | "generator_expression" => {
                at = parent;
                continue;
            }
            "return_statement" => {
                return enclosing_function_name(cx, parent).filter(|n| is_token_name(n))
            }
            _ => {}
        }
        // An assignment, declarator, keyword, key or field.
        if let Some(name) = names::assigned_name(cx, at) {
            if is_token_name(name) {
                return Some(name.to_string());
            }
            // A local the function returns: `result += chars[...]` in
            // `generateToken`.
            let func = enclosing_function(cx, parent)?;
            return (returns_name(cx, func, name))
                .then(|| enclosing_function_name(cx, parent))
                .flatten()
                .filter(|n| is_token_name(n));
        }
        // `b[i] = letters[rand.Intn(n)]` in `RandomToken`.
        if let Shape::Assignment { left, .. } | Shape::AugmentedAssignment { left, .. } =
            cx.lang.shape(kind)
        {
            let target = parent.child_by_field_name(left)?;
            let target = if target.kind() == "expression_list" {
                target.named_child(0)?
            } else {
                target
            };
            if matches!(cx.lang.shape_of(target), Shape::Subscript { .. }) {
                return enclosing_function_name(cx, parent).filter(|n| is_token_name(n));
            }
        }
        return None;
    }
}

fn call_name<'t>(cx: &FileContext<'t>, call: Node<'t>) -> Option<&'t str> {
    let callee = call.child_by_field_name("function")?;
    match cx.lang.shape_of(callee) {
        Shape::Member { property, .. } => Some(cx.text(callee.child_by_field_name(property)?)),
        Shape::Identifier => Some(cx.text(callee)),
        _ => None,
    }
}

fn enclosing_function<'t>(cx: &FileContext<'t>, node: Node<'t>) -> Option<Node<'t>> {
    let mut at = node.parent();
    while let Some(n) = at {
        if cx.lang.shape_of(n) == Shape::Function {
            return Some(n);
        }
        at = n.parent();
    }
    None
}

/// The name of the function `node` is in: its own name, or the name it is
/// assigned to (`const makeToken = () => ...`).
fn enclosing_function_name<'t>(cx: &FileContext<'t>, node: Node<'t>) -> Option<String> {
    let func = enclosing_function(cx, node)?;
    if let Some(name) = func.child_by_field_name("name") {
        return Some(cx.text(name).to_string());
    }
    names::assigned_name(cx, func).map(str::to_string)
}

/// Whether a function returns the local `name` (or text built from it).
fn returns_name<'t>(cx: &FileContext<'t>, func: Node<'t>, name: &str) -> bool {
    let mut stack = vec![func];
    while let Some(n) = stack.pop() {
        if n.kind() == "return_statement" {
            let returned = cx.text(n).trim_start_matches("return").trim();
            if returned
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|w| w == name)
            {
                return true;
            }
        }
        let mut cursor = n.walk();
        for child in n.named_children(&mut cursor) {
            if n.id() == func.id() || cx.lang.shape_of(child) != Shape::Function {
                stack.push(child);
            }
        }
    }
    false
}
