//! Passwords hashed with a fast general-purpose digest (MD5, SHA-1,
//! SHA-2) instead of a password hashing function.

use crate::context::{Call, FileContext};
use crate::names;
use crate::rule::{CodeRule, Reporter, ALL_LANGUAGES};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use tree_sitter::Node;

pub struct WeakPasswordHash;

static META: RuleMeta = RuleMeta {
    id: "security/weak-password-hash",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Python,
    default_enabled: true,
    summary: "A password is hashed with MD5 / SHA-1 / SHA-2, which attackers brute-force at billions of guesses per second.",
    docs: RuleDocs {
        what: "Reports MD5, SHA-1 and SHA-2/SHA-3 digests (`hashlib.md5/sha1/sha256/...`, `hashlib.new(\"md5\", ...)`, `.update(...)` on one; Node `crypto.createHash('md5'|'sha1'|'sha256'|...).update(...)`, CryptoJS `MD5/SHA1/SHA256/SHA512`; Go `md5.Sum`, `sha1.Sum`, `sha256.Sum256`, `sha512.Sum512` and `Write` / `io.WriteString` on their `New()`) of a value whose name says it is a password (`password`, `new_pwd`, `user.password`, `form[\"password\"]`, `passwd.encode()`, or a local assigned once from one). Python, JavaScript, TypeScript and Go. Hashing tokens, files or password *hashes* is not reported; `bcrypt`, `argon2`, `scrypt` and `pbkdf2` pass. Severity warning: the weakness costs the users' passwords only once the database leaks.",
        why: "General-purpose digests are built to be fast: a GPU computes billions of MD5 or SHA-256 hashes per second, so a leaked table of them gives up most real passwords within hours, and unsalted ones fall to precomputed tables at once. Users reuse passwords, so the breach spreads to their other accounts.",
        lock: "",
        bad: "def set_password(user, password):\n    user.password_hash = hashlib.sha256(password.encode()).hexdigest()",
        good: "def set_password(user, password):\n    user.password_hash = bcrypt.hashpw(password.encode(), bcrypt.gensalt())",
        fix: "Use a password hashing function with a per-password salt and a work factor: `argon2-cffi` (`PasswordHasher().hash(pw)`), `bcrypt.hashpw`, `hashlib.scrypt`, Django's / passlib's hashers; Node `argon2`, `bcrypt`, `crypto.scrypt`; Go `golang.org/x/crypto/bcrypt` or `argon2.IDKey`. Rehash existing hashes at the next login.",
    },
};

/// Python hashlib constructors of fast digests.
const PY_DIGESTS: &[&str] = &[
    "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_224", "sha3_256", "sha3_384",
    "sha3_512", "blake2b", "blake2s",
];

/// Algorithm names given to `hashlib.new` / `crypto.createHash`.
const DIGEST_NAMES: &[&str] = &[
    "md4",
    "md5",
    "sha1",
    "sha-1",
    "sha224",
    "sha256",
    "sha-256",
    "sha384",
    "sha512",
    "sha-512",
    "sha3-256",
    "sha3-512",
    "ripemd160",
];

const CRYPTOJS_DIGESTS: &[&str] = &[
    "MD5", "SHA1", "SHA224", "SHA256", "SHA384", "SHA512", "SHA3",
];

/// Go packages of fast digests and their one-shot functions.
const GO_DIGEST_PACKAGES: &[&str] = &["md5", "sha1", "sha256", "sha512"];
const GO_SUMS: &[&str] = &["Sum", "Sum224", "Sum256", "Sum384", "Sum512", "Sum512_256"];

impl CodeRule for WeakPasswordHash {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn languages(&self) -> &'static [Language] {
        ALL_LANGUAGES
    }

    fn required_text(&self, language: Language) -> &'static [&'static [&'static str]] {
        let _ = language;
        // A password hashed with a fast digest.
        &[&["pass", "pwd"], &["md4", "md5", "sha", "ripemd", "blake"]]
    }

    fn check(&self, cx: &FileContext, out: &mut Reporter) {
        // Once per file: searching the text per call made big files quadratic.
        let digests_imported =
            cx.lang.language() == Language::Python && cx.file.text.contains("from hashlib import");
        for call in cx.calls() {
            let Some((digest, data)) = hashed_data(cx, call, digests_imported) else {
                continue;
            };
            let Some((_, name)) = names::mentioned_names(cx, data)
                .into_iter()
                .find(|(_, n)| names::is_password_name(n))
            else {
                continue;
            };
            out.report(
                cx,
                &META,
                call.node,
                format!("the password `{name}` is hashed with {digest}, a fast digest that GPUs brute-force at billions of guesses per second"),
                "Hash passwords with a salted, slow password hash: argon2 (`argon2-cffi`, `argon2`), `bcrypt`, `scrypt` or PBKDF2 with a high iteration count.",
            );
        }
    }
}

/// The digest's name and the data it hashes, when `call` feeds data to a
/// fast digest; `imported`: the file imports digests from hashlib by name.
fn hashed_data<'t>(
    cx: &FileContext<'t>,
    call: &Call<'t>,
    imported: bool,
) -> Option<(String, Node<'t>)> {
    let receiver = call.receiver.map(|r| cx.text(r));
    let first = call.args.first().copied();
    let constant = |n: Node<'t>| names::string_key(cx, n).map(str::to_ascii_lowercase);
    match cx.lang.language() {
        Language::Python => match (receiver, call.name) {
            (Some("hashlib"), name) | (None, name)
                if PY_DIGESTS.contains(&name) && (receiver.is_some() || imported) =>
            {
                Some((name.to_string(), first?))
            }
            (Some("hashlib"), "new") => {
                let alg = constant(first?)?;
                DIGEST_NAMES
                    .contains(&alg.as_str())
                    .then_some((alg, *call.args.get(1)?))
            }
            (Some(_), "update") => {
                let digest = digest_object(cx, call.receiver?)?;
                Some((digest, first?))
            }
            _ => None,
        },
        Language::JavaScript | Language::TypeScript => match (receiver, call.name) {
            (Some("CryptoJS"), name) if CRYPTOJS_DIGESTS.contains(&name) => {
                Some((name.to_string(), first?))
            }
            (Some(_), "update") => Some((digest_object(cx, call.receiver?)?, first?)),
            _ => None,
        },
        Language::Go => match (receiver, call.name) {
            (Some(pkg), name) if GO_DIGEST_PACKAGES.contains(&pkg) && GO_SUMS.contains(&name) => {
                Some((format!("{pkg}.{name}"), first?))
            }
            (Some("io"), "WriteString") => Some((digest_object(cx, first?)?, *call.args.get(1)?)),
            (Some(_), "Write" | "WriteString") => {
                Some((digest_object(cx, call.receiver?)?, first?))
            }
            _ => None,
        },
        _ => None,
    }
}

/// The digest a hash object was made by: `hashlib.sha256()`,
/// `crypto.createHash("md5")`, `md5.New()`, directly or through a local
/// assigned once.
fn digest_object<'t>(cx: &FileContext<'t>, node: Node<'t>) -> Option<String> {
    let node = if cx.is_identifier(node) {
        cx.flow.single_definition(node)?
    } else {
        node
    };
    let call = cx.calls().iter().find(|c| c.node.id() == node.id())?;
    let receiver = call.receiver.map(|r| cx.text(r));
    let first = call.args.first().copied();
    match (cx.lang.language(), receiver, call.name) {
        (Language::Python, Some("hashlib"), name) if PY_DIGESTS.contains(&name) => {
            Some(name.to_string())
        }
        (Language::Python, Some("hashlib"), "new")
        | (Language::JavaScript | Language::TypeScript, _, "createHash") => {
            let alg = names::string_key(cx, first?)?.to_ascii_lowercase();
            DIGEST_NAMES.contains(&alg.as_str()).then_some(alg)
        }
        (Language::Go, Some(pkg), "New" | "New224" | "New384" | "New512_256")
            if GO_DIGEST_PACKAGES.contains(&pkg) =>
        {
            Some(format!("{pkg}.{}", call.name))
        }
        _ => None,
    }
}
