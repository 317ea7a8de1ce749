//! Code or serialized objects built from untrusted data handed to an
//! interpreter: `eval`, `exec`, `new Function`, `vm.run*`; `pickle.loads`,
//! `yaml.load` without a safe loader.

use crate::context::{Call, FileContext};
use crate::flow::{Taint, Value};
use crate::rule::{CodeRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use tree_sitter::Node;

pub struct CodeExecution;

static META: RuleMeta = RuleMeta {
    id: "security/code-execution",
    aliases: &[],
    severity: Severity::Critical,
    language: Language::Python,
    default_enabled: true,
    summary: "Untrusted data is run as code or deserialized into arbitrary objects (eval, exec, new Function, pickle, unsafe yaml.load).",
    docs: RuleDocs {
        what: "Reports, in Python, JavaScript and TypeScript: `eval` / `exec` / `compile` (Python), `eval`, `new Function`, `Function(...)`, `vm.runInNewContext` / `runInThisContext` / `runInContext` / `compileFunction` and `new vm.Script` (Node) whose code is request data (also spliced into constant code); `pickle.load(s)`, `cPickle`, `dill`, `marshal.loads`, `shelve`-free `jsonpickle.decode` on request data; and `yaml.load` / `yaml.load_all` without a safe loader (`SafeLoader`, `CSafeLoader`, `BaseLoader`), or `yaml.unsafe_load`, on anything that is not a constant. `yaml.safe_load` and `yaml.load(..., Loader=yaml.SafeLoader)` pass. Code built from a function's own arguments is not reported: code generators (`namedtuple`, `dataclasses`, template engines) do that on purpose, and the data flow does not follow values across calls; pickle of data the service wrote itself (a cache, a file it produced) is not reported either: the rule cannot tell who wrote it.",
        why: "`eval` and friends run whatever program the text spells with the service's privileges; `pickle`, `marshal` and unsafe YAML constructors call arbitrary functions while decoding (`!!python/object/apply:os.system`). One request is enough to take over the host.",
        lock: "",
        bad: "@app.post(\"/calc\")\ndef calc(expr: str):\n    return {\"result\": eval(expr)}\n\n@app.post(\"/import\")\ndef import_config():\n    return yaml.load(request.data, Loader=yaml.Loader)",
        good: "@app.post(\"/calc\")\ndef calc(expr: str):\n    return {\"result\": ast.literal_eval(expr)}\n\n@app.post(\"/import\")\ndef import_config():\n    return yaml.safe_load(request.data)",
        fix: "Never evaluate text that comes from outside: parse it (`ast.literal_eval`, `JSON.parse`, a small expression parser) or map it to a fixed set of operations. Deserialize untrusted bytes with a data-only format: `json`, `yaml.safe_load` / `Loader=yaml.SafeLoader`, `msgpack`; if objects must cross a trust boundary, sign them (`hmac`) and verify before `pickle.loads`.",
    },
};

/// Python deserializers that construct arbitrary objects: (module, function).
const PY_DESERIALIZERS: &[(&str, &str)] = &[
    ("pickle", "loads"),
    ("pickle", "load"),
    ("cPickle", "loads"),
    ("cPickle", "load"),
    ("_pickle", "loads"),
    ("dill", "loads"),
    ("dill", "load"),
    ("cloudpickle", "loads"),
    ("cloudpickle", "load"),
    ("marshal", "loads"),
    ("marshal", "load"),
    ("jsonpickle", "decode"),
    ("pandas", "read_pickle"),
    ("pd", "read_pickle"),
];

/// YAML loaders that construct only plain data.
const SAFE_YAML_LOADERS: &[&str] = &["SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"];

/// YAML loaders that construct arbitrary Python objects (`FullLoader` is
/// restricted since PyYAML 5.4 and left alone).
const UNSAFE_YAML_LOADERS: &[&str] = &["Loader", "UnsafeLoader", "CLoader", "CUnsafeLoader"];

const NODE_VM_RUNNERS: &[&str] = &[
    "runInNewContext",
    "runInThisContext",
    "runInContext",
    "compileFunction",
];

enum Kind {
    /// Text run as code.
    Code,
    /// Bytes decoded into arbitrary objects, only when from the request.
    Deserialize,
    /// An unsafe YAML load: any non-constant document.
    Yaml,
}

impl CodeRule for CodeExecution {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn languages(&self) -> &'static [Language] {
        &[Language::Python, Language::JavaScript, Language::TypeScript]
    }

    fn required_text(&self, language: Language) -> &'static [&'static [&'static str]] {
        match language {
            Language::Python => &[&[
                "eval", "exec", "compile", "yaml", "pickle", "dill", "marshal",
            ]],
            _ => &[&["eval", "Function", "vm"]],
        }
    }

    fn check(&self, cx: &FileContext, out: &mut Reporter) {
        for call in cx.calls() {
            let Some((kind, data)) = target(cx, call) else {
                continue;
            };
            let value = cx.value(data);
            let callee = cx.node_snippet(call.callee);
            let origin = cx.origin_snippet(&value);
            let (message, help) = match kind {
                // Code generators (namedtuple, dataclasses, template
                // engines) splice their own arguments into code on purpose:
                // only request data is reported.
                Kind::Code if value.taint == Taint::Request => (
                    format!("`{callee}` runs code built from request data (`{origin}`): whoever sends the request runs any code on the server"),
                    "Do not evaluate outside text: parse it (`ast.literal_eval`, `JSON.parse`) or map it to a fixed set of operations.",
                ),
                Kind::Deserialize if value.taint == Taint::Request => (
                    format!("`{callee}` deserializes request data (`{origin}`): a crafted payload calls any function while it is decoded"),
                    "Decode untrusted bytes with a data-only format (`json`, `msgpack`); if objects must cross a trust boundary, sign them and verify the signature before loading.",
                ),
                Kind::Yaml if value.taint > Taint::Benign => (
                    unsafe_yaml_message(&callee, &value, cx),
                    "Use `yaml.safe_load(...)` (or `Loader=yaml.SafeLoader`): it builds plain data only.",
                ),
                _ => continue,
            };
            out.report(cx, &META, call.node, message, help);
        }
    }
}

fn unsafe_yaml_message(callee: &str, value: &Value, cx: &FileContext) -> String {
    match value.taint {
        Taint::Request => format!(
            "`{callee}` without a safe loader reads request data (`{}`): a `!!python/object/apply` tag runs any function",
            cx.origin_snippet(value)
        ),
        _ => format!(
            "`{callee}` without a safe loader builds arbitrary Python objects: a document with a `!!python/object/apply` tag runs any function"
        ),
    }
}

/// What a call does with which argument, when it interprets it.
fn target<'t>(cx: &FileContext<'t>, call: &Call<'t>) -> Option<(Kind, Node<'t>)> {
    let receiver = call.receiver.map(|r| cx.text(r));
    match cx.lang.language() {
        Language::Python => {
            let first = call.args.first().copied();
            match (receiver, call.name) {
                (None | Some("builtins"), "eval" | "exec") => Some((Kind::Code, first?)),
                (None | Some("builtins"), "compile") if call.args.len() >= 3 => {
                    Some((Kind::Code, first?))
                }
                (Some("yaml"), "unsafe_load" | "unsafe_load_all") => Some((Kind::Yaml, first?)),
                (Some("yaml"), "load" | "load_all") => {
                    let loader = call.keyword("Loader").or_else(|| call.args.get(1).copied());
                    let unsafe_loader = match loader {
                        None => true,
                        Some(l) => {
                            let name = cx.text(l).rsplit('.').next().unwrap_or("");
                            if SAFE_YAML_LOADERS.contains(&name) {
                                return None;
                            }
                            UNSAFE_YAML_LOADERS.contains(&name)
                        }
                    };
                    unsafe_loader.then_some((Kind::Yaml, first?))
                }
                (Some(module), name) if PY_DESERIALIZERS.contains(&(module, name)) => {
                    Some((Kind::Deserialize, first?))
                }
                _ => None,
            }
        }
        Language::JavaScript | Language::TypeScript => {
            let is_new = call.node.kind() == "new_expression";
            match (receiver, call.name) {
                (None | Some("window" | "globalThis" | "global"), "eval") if !is_new => {
                    Some((Kind::Code, call.args.first().copied()?))
                }
                // The body is the last argument.
                (None | Some("window" | "globalThis" | "global"), "Function") => {
                    Some((Kind::Code, call.args.last().copied()?))
                }
                (Some("vm"), name) if NODE_VM_RUNNERS.contains(&name) && !is_new => {
                    Some((Kind::Code, call.args.first().copied()?))
                }
                (Some("vm"), "Script") if is_new => Some((Kind::Code, call.args.first().copied()?)),
                _ => None,
            }
        }
        _ => None,
    }
}
