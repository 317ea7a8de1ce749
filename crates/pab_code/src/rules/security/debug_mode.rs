//! Framework debug modes switched on in code that ships.

use crate::context::FileContext;
use crate::names;
use crate::rule::{CodeRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct DebugMode;

static META: RuleMeta = RuleMeta {
    id: "security/debug-mode",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Python,
    default_enabled: true,
    summary: "A framework's debug mode is switched on in code: tracebacks, settings and (with Werkzeug) a code console are exposed.",
    docs: RuleDocs {
        what: "Reports, in Python: Flask / Werkzeug `app.run(debug=True)` (in a file that imports Flask), `FastAPI(debug=True)` / `Starlette(debug=True)`, and `DEBUG = True` at the top level of a Django settings module (`settings.py`, or `settings/prod*.py`, `settings/base.py`, `settings/common.py`; development modules such as `settings/dev.py` or `local.py` are left alone); in Go: `gin.SetMode(gin.DebugMode)`. A value read from the environment (`debug=os.environ.get(...)`) is not reported. JavaScript has no single switch that is always wrong (Express shows stack traces when `NODE_ENV` is not `production`, which is configuration, not code), so it is not checked. Severity warning: exposure depends on where the code runs.",
        why: "Debug mode shows full tracebacks with source, local variables and settings to whoever triggers an error; Werkzeug's debugger goes further and offers an interactive Python console in the browser, a remote code execution hole if the server is reachable. Django's `DEBUG = True` also lists every URL pattern and keeps every SQL query in memory.",
        lock: "",
        bad: "if __name__ == \"__main__\":\n    app.run(host=\"0.0.0.0\", debug=True)",
        good: "if __name__ == \"__main__\":\n    app.run(host=\"0.0.0.0\", debug=os.environ.get(\"FLASK_DEBUG\") == \"1\")",
        fix: "Read the switch from the environment and default to off (`DEBUG = os.environ.get(\"DJANGO_DEBUG\") == \"1\"`, `flask --debug run` for local work only, `GIN_MODE=release`), and serve production with a real server (gunicorn, uvicorn) rather than the development one.",
    },
};

impl CodeRule for DebugMode {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn languages(&self) -> &'static [Language] {
        &[Language::Python, Language::Go]
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["assignment"]
    }

    fn required_text(&self, language: Language) -> &'static [&'static [&'static str]] {
        let _ = language;
        // `debug=True`, `DEBUG = True`, `gin.DebugMode`.
        &[&["debug"]]
    }

    fn checks_test_code(&self) -> bool {
        false
    }

    fn check(&self, cx: &FileContext, out: &mut Reporter) {
        if names::is_test_path(&cx.file.path) {
            return;
        }
        for call in cx.calls() {
            let receiver = call.receiver.map(|r| cx.text(r));
            match cx.lang.language() {
                Language::Python => {
                    let Some(debug) = call.keyword("debug").filter(|d| cx.text(*d) == "True")
                    else {
                        continue;
                    };
                    let message = match call.name {
                        "run"
                            if receiver.is_some()
                                && (cx.file.text.contains("flask")
                                    || cx.file.text.contains("Flask")) => {
                            "`app.run(debug=True)` starts the Werkzeug debugger: anyone who reaches the server and triggers an error gets a Python console"
                        }
                        "FastAPI" | "Starlette" => {
                            "`debug=True` returns full tracebacks to clients on every server error"
                        }
                        _ => continue,
                    };
                    out.report(
                        cx,
                        &META,
                        debug.parent().unwrap_or(debug),
                        message,
                        "Read the switch from the environment and default to off (`debug=os.environ.get(\"APP_DEBUG\") == \"1\"`).",
                    );
                }
                Language::Go => {
                    let mode = call.args.first().map(|a| cx.text(*a));
                    if receiver == Some("gin")
                        && call.name == "SetMode"
                        && mode == Some("gin.DebugMode")
                    {
                        out.report(
                            cx,
                            &META,
                            call.node,
                            "`gin.SetMode(gin.DebugMode)` forces debug mode: routes and internals are logged and panics print stack traces",
                            "Leave the mode to the environment (`GIN_MODE=release`) or set `gin.ReleaseMode` in production builds.",
                        );
                    }
                }
                _ => {}
            }
        }
        if cx.lang.language() == Language::Python && is_django_settings(&cx.file.path) {
            for &assignment in cx.nodes("assignment") {
                let top_level = assignment
                    .parent()
                    .and_then(|p| p.parent())
                    .is_some_and(|m| m.kind() == "module");
                let left = assignment.child_by_field_name("left").map(|l| cx.text(l));
                let right = assignment.child_by_field_name("right").map(|r| cx.text(r));
                if top_level && left == Some("DEBUG") && right == Some("True") {
                    out.report(
                        cx,
                        &META,
                        assignment,
                        "`DEBUG = True` in Django settings shows tracebacks, settings and URL patterns to visitors and keeps every query in memory",
                        "Read it from the environment and default to off: `DEBUG = os.environ.get(\"DJANGO_DEBUG\") == \"1\"`.",
                    );
                }
            }
        }
    }
}

/// A Django settings module that is not explicitly for development.
fn is_django_settings(path: &str) -> bool {
    let path = path.replace('\\', "/");
    let mut parts = path.rsplit('/');
    let file = parts.next().unwrap_or("");
    let dir = parts.next().unwrap_or("");
    if file == "settings.py" {
        return true;
    }
    dir == "settings"
        && ["prod", "production", "base", "common", "settings"]
            .iter()
            .any(|p| file.trim_end_matches(".py") == *p || file.starts_with("prod"))
}
