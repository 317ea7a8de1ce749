//! Text columns whose name says they hold a password, token, API key or other
//! secret, with nothing in the name saying it is hashed or encrypted.

use crate::ast::{self, ColumnSource};
use crate::classify::StmtKind;
use crate::context::Context;
use crate::rule::{Reporter, SqlRule};
use crate::stmt::Stmt;
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct PlaintextSecretColumn;

static META: RuleMeta = RuleMeta {
    id: "schema/plaintext-secret-column",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Sql,
    default_enabled: true,
    summary: "A text column named like a password, token or API key suggests the secret is stored in clear.",
    docs: RuleDocs {
        what: "Reports a column of a text type (`text`, `varchar`, `char`, `citext`), declared by `CREATE TABLE` or `ADD COLUMN`, whose name ends in a secret: `password`, `passwd`, `pwd`, `passphrase`, `secret`, `token`, `api_key`/`apikey`, `private_key`, `secret_key`, `signing_key`, `encryption_key` (so `user_password`, `client_secret`, `access_token`, `stripeApiKey`). Names where the secret word is not the last word describe something else and are left alone (`password_changed_at`, `token_expires_at`, `api_key_id`, `tokens_used_count`), as are names that say the value is protected (`password_hash`, `encrypted_password`, `token_digest`, `secret_ciphertext`, `api_key_sha256`, `salt`...) and binary (`bytea`) columns. Devise's `reset_password_token` and `unlock_token`, which hold digests, are exempt.",
        why: "Whoever reads the table then holds every user's credentials: a leaked backup, a replica, a log of a slow query, an analytics export or an over-broad `GRANT` becomes an account takeover, and reused passwords spread it to other sites. Passwords only ever need to be verified, and bearer tokens and API keys only compared, so the clear value never needs to be stored.",
        lock: "",
        bad: "CREATE TABLE users (\n    id bigint PRIMARY KEY,\n    email text NOT NULL,\n    password text NOT NULL,\n    api_token varchar(64)\n);",
        good: "CREATE TABLE users (\n    id bigint PRIMARY KEY,\n    email text NOT NULL,\n    password_hash text NOT NULL,   -- argon2id / bcrypt output\n    api_token_digest bytea         -- sha256 of the token, compared on use\n);",
        fix: "1. Passwords: store only the output of a slow, salted password hash (argon2id, bcrypt or scrypt) computed by the application, in a column named for it (`password_hash`); verify by re-hashing.\n2. Tokens and API keys that are only compared: store a SHA-256 (or HMAC) digest (`token_digest`) and look the digest up; show the clear value to the user once, at creation.\n3. Secrets the application must read back (third-party credentials, private keys): encrypt them in the application or with a KMS (envelope encryption), store the ciphertext in `bytea`, and name the column so (`client_secret_encrypted`).\n4. Migrate existing rows: add the new column, backfill it from the old one, switch the application, then drop the clear column and rotate the exposed secrets.",
    },
};

/// Last words of a name that make it a password.
const PASSWORD_WORDS: &[&str] = &["password", "passwd", "pwd", "passphrase", "passcode"];

/// Last words of a name that make it a bearer credential, only ever compared.
const TOKEN_WORDS: &[&str] = &["token", "apikey"];

/// Words before `key` that make it a secret key the application reads back.
const KEY_QUALIFIERS: &[&str] = &["private", "secret", "signing", "encryption"];

/// Words that say the value is protected, or not the secret itself.
const PROTECTED_WORDS: &[&str] = &[
    "hash",
    "hashed",
    "digest",
    "encrypted",
    "enc",
    "encr",
    "crypted",
    "crypt",
    "cipher",
    "ciphertext",
    "bcrypt",
    "argon",
    "argon2",
    "argon2id",
    "scrypt",
    "pbkdf2",
    "salt",
    "salted",
    "hmac",
    "fingerprint",
];

/// Trailing words that name the value itself (`password_plain`).
const VALUE_WORDS: &[&str] = &["value", "plain", "plaintext", "raw", "clear", "cleartext"];

/// Devise keeps digests under these names.
const KNOWN_DIGESTS: &[&str] = &["reset_password_token", "unlock_token"];

#[derive(Clone, Copy)]
enum Secret {
    Password,
    /// Tokens and API keys: compared, never read back.
    Token,
    /// Secrets and keys the application may need in clear.
    Key,
}

fn secret_kind(name: &str) -> Option<Secret> {
    if KNOWN_DIGESTS.contains(&name) {
        return None;
    }
    let words = ast::name_words(name);
    let protected = |w: &String| {
        PROTECTED_WORDS.contains(&w.as_str())
            || w.strip_prefix("sha")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            || w.strip_prefix("hashed").is_some()
            || w.strip_prefix("encrypted").is_some()
    };
    if words.iter().any(protected) {
        return None;
    }
    let mut words: Vec<&str> = words.iter().map(String::as_str).collect();
    while words.len() > 1 && words.last().is_some_and(|w| VALUE_WORDS.contains(w)) {
        words.pop();
    }
    match words[..] {
        [.., last] if PASSWORD_WORDS.contains(&last) => Some(Secret::Password),
        [.., last] if TOKEN_WORDS.contains(&last) => Some(Secret::Token),
        [.., "api", "key"] => Some(Secret::Token),
        [.., "secret"] => Some(Secret::Key),
        [.., qualifier, "key"] if KEY_QUALIFIERS.contains(&qualifier) => Some(Secret::Key),
        _ => None,
    }
}

fn is_text_type(type_name: &pg_query::protobuf::TypeName) -> bool {
    match ast::builtin_type_name(type_name) {
        Some("text" | "varchar" | "bpchar" | "citext") => true,
        // citext usually lives in the schema its extension was created in.
        _ => ast::type_name(type_name) == "citext",
    }
}

impl SqlRule for PlaintextSecretColumn {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn kinds(&self) -> &'static [StmtKind] {
        &[StmtKind::CreateTable, StmtKind::AlterTable]
    }

    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter) {
        let Some(node) = stmt.node else { return };
        for col in ast::declared_columns(node) {
            if col.source == ColumnSource::AlterType || !is_text_type(col.type_name) {
                continue;
            }
            let Some(kind) = secret_kind(col.column) else {
                continue;
            };
            let table = ast::qualified(col.table);
            let (message, help) = match kind {
                Secret::Password => (
                    format!("Column `{table}.{}` looks like it stores passwords in clear text", col.column),
                    String::from("Store only a slow salted hash computed by the application (argon2id, bcrypt or scrypt), in a column named for it such as `password_hash`."),
                ),
                Secret::Token => (
                    format!("Column `{table}.{}` looks like it stores tokens or API keys in clear text", col.column),
                    String::from("Store a SHA-256 digest of each token and look tokens up by digest (a column such as `token_digest`); show the clear value only once, when it is issued."),
                ),
                Secret::Key => (
                    format!("Column `{table}.{}` looks like it stores a secret or private key in clear text", col.column),
                    String::from("Encrypt it in the application or with a KMS and store the ciphertext (`bytea`, in a column named e.g. `*_encrypted`); if it is only ever compared, store a digest instead."),
                ),
            };
            out.report(cx, &META, stmt.declared_column_clause(&col), message, help);
        }
    }
}
