//! Blocking calls inside async code: one slow call stalls every request the
//! event loop serves.

use crate::context::{Call, FileContext};
use crate::rule::{CodeRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use tree_sitter::Node;

pub struct BlockingCallInAsync;

static META: RuleMeta = RuleMeta {
    id: "perf/blocking-call-in-async",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Python,
    default_enabled: true,
    summary: "A blocking call (sleep, synchronous HTTP, a synchronous database driver, a subprocess, sync file I/O) runs inside async code and stalls the event loop.",
    docs: RuleDocs {
        what: "Python: inside an `async def` (not in a nested function or lambda, which may run in a thread), calls to `time.sleep`, `requests.get/post/...`, `urllib.request.urlopen`, synchronous database drivers (`psycopg2.connect`, `psycopg.connect`, `sqlite3.connect`, `pymysql.connect`, `MySQLdb.connect`, `mysql.connector.connect`, and `execute` on a cursor or connection made by one of them in the same function), `subprocess.run/call/check_call/check_output` and `os.system`. JavaScript and TypeScript: inside an `async` function, or a route callback (`app.get('/path', (req, res) => ...)`), `fs.*Sync` (except `existsSync`) and `child_process` `execSync`/`execFileSync`/`spawnSync`. `asyncio.sleep`, `httpx.AsyncClient`, `aiohttp`, `asyncpg`, `asyncio.to_thread(...)` and `run_in_executor` are the non-blocking forms and are not reported. Reading local files with `open()` is not reported. Test code (`tests/`, `test_*.py`, `*_test.go`, `*.spec.ts`...) is not checked.",
        why: "An event loop runs every request of the process on one thread. A call that blocks it for 200 ms (a slow upstream, a lock wait in the database, a `sleep` meant as a back-off) blocks every other request for the same 200 ms: latency rises for all users at once, health checks time out, and throughput collapses to one request at a time under load.",
        lock: "",
        bad: "@app.get(\"/rates\")\nasync def rates():\n    resp = requests.get(\"https://rates.example.com/latest\", timeout=5)\n    time.sleep(0.1)\n    return resp.json()",
        good: "@app.get(\"/rates\")\nasync def rates():\n    async with httpx.AsyncClient(timeout=5) as client:\n        resp = await client.get(\"https://rates.example.com/latest\")\n    await asyncio.sleep(0.1)\n    return resp.json()",
        fix: "Use the async form: `await asyncio.sleep()`, `httpx.AsyncClient` or `aiohttp`, `asyncpg` / `psycopg.AsyncConnection` / `aiosqlite`, `asyncio.create_subprocess_exec`; in Node `fs.promises` (`await readFile(...)`) and `execFile`/`spawn` with callbacks or promises. When only a blocking library exists, run it off the loop: `await asyncio.to_thread(fn, ...)` or `loop.run_in_executor(...)`; in Node a worker thread. Or make the handler a plain `def`: FastAPI runs those in a thread pool.",
    },
};

const REQUESTS_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "head", "options", "request",
];

/// Synchronous database drivers' connect functions: (module, function).
const SYNC_DRIVERS: &[(&str, &str)] = &[
    ("psycopg2", "connect"),
    ("psycopg", "connect"),
    ("sqlite3", "connect"),
    ("pymysql", "connect"),
    ("MySQLdb", "connect"),
    ("mysql.connector", "connect"),
    ("cx_Oracle", "connect"),
    ("oracledb", "connect"),
];

const PY_SUBPROCESS: &[&str] = &["run", "call", "check_call", "check_output"];

const NODE_CHILD_SYNC: &[&str] = &["execSync", "execFileSync", "spawnSync"];
const NODE_CHILD_NAMES: &[&str] = &["child_process", "cp", "childProcess", "child"];
const NODE_FS_NAMES: &[&str] = &["fs", "fsSync", "nodeFs", "fse"];
const ROUTE_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "all", "use", "head", "options",
];

impl CodeRule for BlockingCallInAsync {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn languages(&self) -> &'static [Language] {
        &[Language::Python, Language::JavaScript, Language::TypeScript]
    }

    fn required_text(&self, language: Language) -> &'static [&'static [&'static str]] {
        match language {
            // Only `async def` bodies are checked; the blocking calls by name.
            Language::Python => &[
                &["async"],
                &[
                    "sleep",
                    "requests",
                    "urlopen",
                    "subprocess",
                    "system",
                    "connect",
                    "execute",
                    "commit",
                ],
            ],
            // `readFileSync`, `execSync`...
            _ => &[&["Sync"]],
        }
    }

    fn checks_test_code(&self) -> bool {
        false
    }

    fn check(&self, cx: &FileContext, out: &mut Reporter) {
        if crate::names::is_test_path(&cx.file.path) {
            return;
        }
        let python = cx.lang.language() == Language::Python;
        for call in cx.calls() {
            let func = cx.flow.scope_of(call.node);
            if func.id() == cx.root.id() {
                continue;
            }
            let (blocking, context) = if python {
                if !is_async(func) {
                    continue;
                }
                match python_blocking(cx, call) {
                    Some(b) => (b, "an async function"),
                    None => continue,
                }
            } else {
                let Some(b) = node_blocking(cx, call) else {
                    continue;
                };
                if is_async(func) {
                    (b, "an async function")
                } else if is_route_callback(cx, func) {
                    (b, "a route handler")
                } else {
                    continue;
                }
            };
            let callee = cx.node_snippet(call.callee);
            out.report(
                cx,
                &META,
                call.node,
                format!("`{callee}` {blocking} inside {context}: it blocks the event loop, and every other request waits"),
                if python {
                    "Use the async form (`await asyncio.sleep`, `httpx.AsyncClient`, `asyncpg`/`psycopg.AsyncConnection`, `asyncio.create_subprocess_exec`) or run the call off the loop with `await asyncio.to_thread(...)`."
                } else {
                    "Use the asynchronous API (`await fs.promises.readFile(...)`, `execFile`/`spawn` with a promise) or move the work to a worker thread."
                },
            );
        }
    }
}

/// Whether a function node is declared `async`.
fn is_async(func: Node) -> bool {
    let mut c = func.walk();
    let found = func.children(&mut c).take(4).any(|ch| ch.kind() == "async");
    found
}

/// What makes a Python call blocking, for the message.
fn python_blocking<'t>(cx: &FileContext<'t>, call: &Call<'t>) -> Option<&'static str> {
    let file = cx.file.text.as_str();
    let receiver = call.receiver.map(|r| cx.text(r));
    match (receiver, call.name) {
        (Some("time"), "sleep") => return Some("sleeps the whole thread"),
        (None, "sleep") if file.contains("from time import") => {
            return Some("sleeps the whole thread")
        }
        (Some("requests"), m) if REQUESTS_METHODS.contains(&m) => {
            return Some("makes a synchronous HTTP request")
        }
        (Some("urllib.request"), "urlopen") => return Some("makes a synchronous HTTP request"),
        (None, "urlopen") if file.contains("from urllib.request import") => {
            return Some("makes a synchronous HTTP request")
        }
        (Some("subprocess"), m) if PY_SUBPROCESS.contains(&m) => {
            return Some("waits for a subprocess")
        }
        (Some("os"), "system") => return Some("waits for a subprocess"),
        (Some(module), "connect") if SYNC_DRIVERS.contains(&(module, "connect")) => {
            return Some("opens a synchronous database connection")
        }
        _ => {}
    }
    if matches!(call.name, "execute" | "executemany" | "commit") {
        if let Some(r) = call.receiver {
            if made_by_sync_driver(cx, r, 0) {
                return Some("runs a query on a synchronous database driver");
            }
        }
    }
    None
}

/// Whether `node` is (a name defined once as) a sync driver's connection,
/// or a cursor of one: `conn = psycopg2.connect(...)`, `cur = conn.cursor()`.
fn made_by_sync_driver<'t>(cx: &FileContext<'t>, node: Node<'t>, depth: u32) -> bool {
    if depth > 4 {
        return false;
    }
    let node = match cx.flow.single_definition(node) {
        Some(def) => def,
        None if node.kind() == "call" => node,
        None => return false,
    };
    let Some(call) = cx.calls().iter().find(|c| c.node.id() == node.id()) else {
        return false;
    };
    let receiver = call.receiver.map(|r| cx.text(r));
    if call.name == "connect" && receiver.is_some_and(|m| SYNC_DRIVERS.contains(&(m, "connect"))) {
        return true;
    }
    call.name == "cursor"
        && call
            .receiver
            .is_some_and(|r| made_by_sync_driver(cx, r, depth + 1))
}

/// What makes a Node call blocking, for the message.
fn node_blocking(cx: &FileContext, call: &Call) -> Option<&'static str> {
    let file = cx.file.text.as_str();
    let receiver = call.receiver.map(|r| cx.text(r));
    let imports_fs = [
        "'fs'",
        "\"fs\"",
        "'node:fs'",
        "\"node:fs\"",
        "'fs-extra'",
        "\"fs-extra\"",
    ]
    .iter()
    .any(|m| file.contains(m));
    if call.name.ends_with("Sync") && call.name != "existsSync" && call.name.len() > 4 {
        let fs_call = match receiver {
            Some(r) => NODE_FS_NAMES.contains(&r) && imports_fs,
            None => imports_fs && !NODE_CHILD_SYNC.contains(&call.name),
        };
        if fs_call {
            return Some("does synchronous file I/O");
        }
    }
    if NODE_CHILD_SYNC.contains(&call.name) {
        let child = match receiver {
            Some(r) => NODE_CHILD_NAMES.contains(&r),
            None => file.contains("child_process"),
        };
        if child {
            return Some("waits for a child process");
        }
    }
    None
}

/// A callback passed to `app.get('/path', ..., fn)` (Express, Fastify,
/// Koa routers).
fn is_route_callback(cx: &FileContext, func: Node) -> bool {
    let Some(args) = func.parent().filter(|p| p.kind() == "arguments") else {
        return false;
    };
    let Some(call) = args.parent() else {
        return false;
    };
    let Some(c) = cx.calls().iter().find(|c| c.node.id() == call.id()) else {
        return false;
    };
    c.receiver.is_some()
        && ROUTE_METHODS.contains(&c.name)
        && c.args.first().is_some_and(|a| {
            matches!(a.kind(), "string" | "template_string") && cx.text(*a).get(1..2) == Some("/")
        })
}
