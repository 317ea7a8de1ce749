//! Errors caught and dropped without a trace: `except: pass`, an empty
//! `catch {}`, `.catch(() => {})`, Go's empty `if err != nil {}`.

use crate::context::FileContext;
use crate::rule::{CodeRule, Reporter, ALL_LANGUAGES};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};
use tree_sitter::Node;

pub struct SwallowedException;

static META: RuleMeta = RuleMeta {
    id: "reliability/swallowed-exception",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::Python,
    default_enabled: true,
    summary: "An exception or error is caught and dropped without handling, logging or a comment saying why.",
    docs: RuleDocs {
        what: "Reports handlers that catch every error and do nothing with it. Python: a bare `except:` or `except Exception` / `except BaseException` (alone, in a tuple, with or without `as e`) whose body is only `pass` or `...`. JavaScript and TypeScript: an empty `catch {}` block, and `.catch(() => {})` / `.catch(function () {})` with an empty body. Go: `if err != nil {}` with an empty block. A comment inside the handler or on its first line (in JavaScript, TypeScript and Go also on the line just above it, e.g. `// ignore: best effort` or a lint directive) that says why the error is ignored marks it as intentional and is not reported; so is catching a specific exception (`except KeyError: pass`), which is a decision, not a blanket. Test code (`tests/`, `test_*.py`, `*_test.go`, `*.spec.ts`...) is not checked.",
        why: "A swallowed error turns a failure into silently wrong behaviour: the write that did not happen, the file that was not sent, the payment that was not captured all look like success, no log line or metric exists to find them, and the bug surfaces days later as corrupted data. Catching everything also hides the errors nobody anticipated: typos (`NameError`), `KeyboardInterrupt`/`SystemExit` with a bare `except:`, out-of-memory.",
        lock: "",
        bad: "def publish(event):\n    try:\n        broker.send(event)\n    except Exception:\n        pass",
        good: "def publish(event):\n    try:\n        broker.send(event)\n    except BrokerUnavailable:\n        logger.warning(\"broker down, event %s queued for retry\", event.id)\n        retry_queue.put(event)",
        fix: "Catch the specific exception you expect and handle it: retry, fall back, return an error to the caller, or at least log it with context (`logger.exception(...)`, `console.error(err)`, `log.Printf(\"...: %v\", err)`). When ignoring really is right (best-effort cleanup, an optional cache), say so in a comment inside the handler, or use `contextlib.suppress(SpecificError)` in Python.",
    },
};

/// Python exception names that catch (nearly) everything.
const CATCH_ALL: &[&str] = &["Exception", "BaseException", "builtins.Exception"];

impl CodeRule for SwallowedException {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn languages(&self) -> &'static [Language] {
        ALL_LANGUAGES
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["except_clause", "catch_clause", "if_statement", "comment"]
    }

    fn required_text(&self, language: Language) -> &'static [&'static [&'static str]] {
        match language {
            Language::Python => &[&["except"]],
            Language::Go => &[&["nil"]],
            _ => &[&["catch"]],
        }
    }

    fn checks_test_code(&self) -> bool {
        false
    }

    fn check(&self, cx: &FileContext, out: &mut Reporter) {
        if crate::names::is_test_path(&cx.file.path) {
            return;
        }
        let comments = cx.nodes("comment");
        // A comment inside the handler, on its lines, or (in JavaScript,
        // TypeScript and Go, where the handler often shares a line with the
        // closing brace of the `try` or is one `.catch(...)` statement) on
        // the line right above it, says the error is ignored on purpose.
        let above = usize::from(cx.lang.language() != Language::Python);
        let explained = |node: Node| {
            let start = statement(cx.lang, node)
                .start_position()
                .row
                .saturating_sub(above);
            let end = node.end_position().row;
            comments.iter().any(|c| {
                let row = c.end_position().row;
                row >= start && row <= end
            })
        };
        match cx.lang.language() {
            Language::Python => {
                for &clause in cx.nodes("except_clause") {
                    if !catches_everything(cx, clause) || explained(clause) {
                        continue;
                    }
                    let Some(body) = last_named(clause).filter(|b| b.kind() == "block") else {
                        continue;
                    };
                    if !only_placeholders(cx, body) {
                        continue;
                    }
                    let what = match clause.child_by_field_name("value") {
                        None => "a bare `except:`".to_string(),
                        Some(v) => format!("`except {}`", cx.node_snippet(v)),
                    };
                    out.report(
                        cx,
                        &META,
                        clause,
                        format!("{what} with only `pass` drops every error raised in the `try` block without a trace"),
                        "Catch the specific exception you expect and handle or log it (`logger.exception(...)`); if ignoring it is intended, say why in a comment inside the handler or use `contextlib.suppress(SpecificError)`.",
                    );
                }
            }
            Language::JavaScript | Language::TypeScript => {
                for &clause in cx.nodes("catch_clause") {
                    let Some(body) = clause.child_by_field_name("body") else {
                        continue;
                    };
                    if body.named_child_count() > 0 || explained(clause) {
                        continue;
                    }
                    out.report(
                        cx,
                        &META,
                        clause,
                        "empty `catch` block drops the error without a trace",
                        "Handle the error or log it (`console.error(err)` / your logger) and rethrow what you cannot handle; if ignoring it is intended, say why in a comment inside the block.",
                    );
                }
                for call in cx.calls() {
                    if call.name != "catch" || call.receiver.is_none() || call.args.len() != 1 {
                        continue;
                    }
                    let handler = call.args[0];
                    if !matches!(
                        handler.kind(),
                        "arrow_function" | "function_expression" | "function"
                    ) {
                        continue;
                    }
                    let Some(body) = handler.child_by_field_name("body") else {
                        continue;
                    };
                    if body.kind() != "statement_block"
                        || body.named_child_count() > 0
                        || explained(call.node)
                    {
                        continue;
                    }
                    out.report(
                        cx,
                        &META,
                        handler,
                        format!(
                            "`{}` with an empty handler drops the rejection without a trace",
                            cx.node_snippet(call.callee)
                        ),
                        "Log the rejection (`.catch((err) => logger.warn({ err }, \"...\"))`) or let it propagate; if ignoring it is intended, say why in a comment inside the handler.",
                    );
                }
            }
            Language::Go => {
                for &stmt in cx.nodes("if_statement") {
                    let (Some(cond), Some(body)) = (
                        stmt.child_by_field_name("condition"),
                        stmt.child_by_field_name("consequence"),
                    ) else {
                        continue;
                    };
                    if !is_err_check(cx, cond) || body.named_child_count() > 0 || explained(stmt) {
                        continue;
                    }
                    out.report(
                        cx,
                        &META,
                        stmt,
                        format!("`if {}` with an empty block drops the error", cx.text(cond)),
                        "Return the error (wrapped with context: `return fmt.Errorf(\"...: %w\", err)`), handle it, or log it; if ignoring it is intended, assign it to `_` with a comment saying why.",
                    );
                }
            }
            _ => {}
        }
    }
}

/// The node itself for a handler clause, else the statement holding it.
fn statement(lang: crate::lang::Lang, node: Node) -> Node {
    let mut at = node;
    if matches!(node.kind(), "catch_clause" | "except_clause") {
        return node;
    }
    while let Some(parent) = at.parent() {
        if lang.is_block_node(parent) {
            break;
        }
        at = parent;
    }
    at
}

fn last_named(node: Node) -> Option<Node> {
    node.named_child(node.named_child_count().checked_sub(1)? as u32)
}

/// `except:`, `except Exception`, `except (ValueError, Exception) as e`.
fn catches_everything(cx: &FileContext, clause: Node) -> bool {
    let Some(value) = clause.child_by_field_name("value") else {
        // `except:` has no value; `except* ...` (groups) always has one.
        return clause.child(1).is_some_and(|c| c.kind() == ":");
    };
    let types = match value.kind() {
        "as_pattern" => value.named_child(0),
        _ => Some(value),
    };
    let Some(types) = types else { return false };
    let names: Vec<Node> = if types.kind() == "tuple" || types.kind() == "parenthesized_expression"
    {
        let mut c = types.walk();
        types.named_children(&mut c).collect()
    } else {
        vec![types]
    };
    names.iter().any(|n| CATCH_ALL.contains(&cx.text(*n)))
}

/// A block of only `pass` and `...`.
fn only_placeholders(cx: &FileContext, block: Node) -> bool {
    let mut c = block.walk();
    let statements: Vec<Node> = block.named_children(&mut c).collect();
    !statements.is_empty()
        && statements.iter().all(|s| match s.kind() {
            "pass_statement" => true,
            "expression_statement" => cx.text(*s).trim() == "...",
            _ => false,
        })
}

/// `err != nil`, `nil != err` (any name ending in `err`/`Err`).
fn is_err_check(cx: &FileContext, cond: Node) -> bool {
    if cond.kind() != "binary_expression"
        || cond.child_by_field_name("operator").map(|o| cx.text(o)) != Some("!=")
    {
        return false;
    }
    let (Some(l), Some(r)) = (
        cond.child_by_field_name("left"),
        cond.child_by_field_name("right"),
    ) else {
        return false;
    };
    let is_err = |n: Node| {
        n.kind() == "identifier" && {
            let t = cx.text(n);
            t == "err" || t.ends_with("Err") || t.ends_with("err")
        }
    };
    (is_err(l) && r.kind() == "nil") || (is_err(r) && l.kind() == "nil")
}
