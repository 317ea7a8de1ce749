//! Passwords, tokens and API keys written to logs or standard output.

use crate::context::{Call, FileContext};
use crate::names;
use crate::rule::{CodeRule, Reporter, ALL_LANGUAGES};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct SecretInLog;

static META: RuleMeta = RuleMeta {
    id: "security/secret-in-log",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Python,
    default_enabled: true,
    summary: "A password, token, API key or Authorization header is written to a log.",
    docs: RuleDocs {
        what: "Reports logging calls (Python `logging.*`, `logger.*` / `log.*` / any receiver named like a logger, `print`; JavaScript/TypeScript `console.*` and loggers; Go `log.Print*/Fatal*/Panic*`, `fmt.Print*`, `slog.*` and loggers) whose arguments read a value named like a credential: a variable, attribute, dict key or object key called `password`, `secret`, `api_key`, `access_token`, `client_secret`, `authorization`... (also inside f-strings, template literals, `%`/`.format`/`Sprintf` arguments and through a local assigned once), or the request's `Authorization` header. A bare `token` or `key` is not a credential name (lexers, caches); values passed through other functions first (`len(password)`, `mask(token)`) or only compared are not reported, and neither are names inside the message text. Python, JavaScript, TypeScript and Go. Severity warning: the leak needs log access, which is usually wider than access to the secret.",
        why: "Logs are copied to aggregators, tickets, dashboards and backups, kept for months and read by many people and tools; a password or token there is a credential anyone with log access can use, and a rotated secret stays valid in old log lines' eyes until everything is purged.",
        lock: "",
        bad: "logger.info(\"login attempt user=%s password=%s\", username, password)",
        good: "logger.info(\"login attempt user=%s\", username)",
        fix: "Log that a credential was present or which one (an id, the last four characters, a hash), never its value; add a redacting filter to the logger for the names that must never appear (`password`, `authorization`, `token`).",
    },
};

const LOG_METHODS: &[&str] = &[
    "debug",
    "info",
    "warning",
    "warn",
    "error",
    "exception",
    "critical",
    "fatal",
    "log",
    "trace",
    "Print",
    "Printf",
    "Println",
    "Fatal",
    "Fatalf",
    "Fatalln",
    "Panic",
    "Panicf",
    "Panicln",
    "Debug",
    "Info",
    "Warn",
    "Error",
    "Debugf",
    "Infof",
    "Warnf",
    "Errorf",
    "Debugw",
    "Infow",
    "Warnw",
    "Errorw",
];

impl CodeRule for SecretInLog {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn languages(&self) -> &'static [Language] {
        ALL_LANGUAGES
    }

    fn required_text(&self, language: Language) -> &'static [&'static [&'static str]] {
        let _ = language;
        // A secret-like name is logged.
        crate::names::secret_name_needles![]
    }

    fn check(&self, cx: &FileContext, out: &mut Reporter) {
        for call in cx.calls() {
            if !is_log_call(cx, call) {
                continue;
            }
            let leaked = call
                .args
                .iter()
                .chain(call.keywords.iter().map(|(_, v)| v))
                .find_map(|&arg| {
                    names::mentioned_names(cx, arg)
                        .into_iter()
                        .find(|(_, n)| names::is_secret_name(n))
                        .map(|(_, name)| (arg, name))
                });
            let Some((node, name)) = leaked else {
                continue;
            };
            out.report(
                cx,
                &META,
                node,
                format!("`{name}` is written to the log by `{}`: anyone who can read the logs can use it", cx.node_snippet(call.callee)),
                "Log that the credential was present or an identifier for it, never its value; redact secret fields in a logging filter.",
            );
        }
    }
}

fn is_log_call<'t>(cx: &FileContext<'t>, call: &Call<'t>) -> bool {
    let Some(receiver) = call.receiver.map(|r| cx.text(r)) else {
        return cx.lang.language() == Language::Python && call.name == "print";
    };
    let last = receiver.rsplit('.').next().unwrap_or(receiver);
    let lower = last.to_ascii_lowercase();
    match cx.lang.language() {
        Language::Go if receiver == "fmt" => {
            matches!(call.name, "Print" | "Printf" | "Println")
        }
        Language::JavaScript | Language::TypeScript if receiver == "console" => {
            matches!(
                call.name,
                "log" | "info" | "warn" | "error" | "debug" | "trace"
            )
        }
        _ => {
            (lower == "logging"
                || lower == "log"
                || lower == "slog"
                || lower.ends_with("logger")
                || lower.ends_with("_log")
                || lower == "logrus"
                || lower == "sugar"
                || lower == "zap")
                && LOG_METHODS.contains(&call.name)
        }
    }
}
