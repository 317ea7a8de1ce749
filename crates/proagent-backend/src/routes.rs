//! `proagent-backend routes`: the endpoint inventory of a codebase (routes
//! found in handler code, operations of API descriptions), as a table, JSON
//! or Markdown. The JSON shape is documented in docs/output.md and
//! versioned like the review report's.

use pab_core::{Endpoint, EndpointOrigin, FileError, Known, ParamLocation};
use serde_json::json;
use std::io::Write;

/// Version of the `routes --format json` document.
pub const JSON_VERSION: u32 = 1;

fn known(k: Known) -> &'static str {
    match k {
        Known::Yes => "yes",
        Known::No => "no",
        Known::Unknown => "unknown",
    }
}

/// The short form for tables: `?` for unknown keeps columns narrow.
fn known_short(k: Known) -> &'static str {
    match k {
        Known::Yes => "yes",
        Known::No => "no",
        Known::Unknown => "?",
    }
}

fn location(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
        ParamLocation::Body => "body",
    }
}

fn list<T: ToString>(items: &[T]) -> String {
    if items.is_empty() {
        "-".to_string()
    } else {
        items
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// One row of the table: method, path, handler, file:line, auth,
/// validation, pagination, statuses, framework.
fn row(e: &Endpoint) -> [String; 9] {
    [
        e.method.clone(),
        e.path.clone(),
        e.handler.clone().unwrap_or_else(|| "-".into()),
        format!("{}:{}", e.file, e.span.start.line),
        known_short(e.auth).into(),
        known_short(e.validation).into(),
        list(&e.pagination),
        list(&e.statuses),
        e.framework.to_string(),
    ]
}

const HEADER: [&str; 9] = [
    "METHOD",
    "PATH",
    "HANDLER",
    "LOCATION",
    "AUTH",
    "VALIDATION",
    "PAGINATION",
    "STATUSES",
    "FRAMEWORK",
];

pub fn text(endpoints: &[Endpoint], out: &mut dyn Write) -> std::io::Result<()> {
    if endpoints.is_empty() {
        return writeln!(out, "No endpoints found.");
    }
    let rows: Vec<[String; 9]> = endpoints.iter().map(row).collect();
    let mut widths = HEADER.map(str::len);
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[&str]| {
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i + 1 == cells.len() {
                s.push_str(cell);
            } else {
                s.push_str(&format!("{cell:<w$}  "));
            }
        }
        s
    };
    writeln!(out, "{}", line(&HEADER))?;
    for r in &rows {
        let cells: Vec<&str> = r.iter().map(String::as_str).collect();
        writeln!(out, "{}", line(&cells).trim_end())?;
    }
    let files = {
        let mut f: Vec<&str> = endpoints.iter().map(|e| e.file.as_str()).collect();
        f.dedup();
        f.len()
    };
    writeln!(
        out,
        "\n{} endpoint(s) in {files} file(s). AUTH and VALIDATION: yes, no, or ? when the code does not say.",
        endpoints.len()
    )
}

pub fn markdown(endpoints: &[Endpoint], out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "# Endpoints\n")?;
    if endpoints.is_empty() {
        return writeln!(out, "No endpoints found.");
    }
    writeln!(
        out,
        "| method | path | handler | location | auth | validation | pagination | statuses | framework |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|---|---|")?;
    for e in endpoints {
        let cells = row(e).map(|c| c.replace('|', "\\|"));
        writeln!(
            out,
            "| {} | `{}` | {} | {} | {} | {} | {} | {} | {} |",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            cells[4],
            cells[5],
            cells[6],
            cells[7],
            cells[8]
        )?;
    }
    writeln!(out, "\n{} endpoint(s).", endpoints.len())
}

pub fn json(
    endpoints: &[Endpoint],
    errors: &[FileError],
    files: usize,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let items: Vec<serde_json::Value> = endpoints
        .iter()
        .map(|e| {
            json!({
                "method": e.method,
                "path": e.path,
                "handler": e.handler,
                "file": e.file,
                "line": e.span.start.line,
                "column": e.span.start.column,
                "end_line": e.span.end.line,
                "end_column": e.span.end.column,
                "origin": match e.origin {
                    EndpointOrigin::Code => "code",
                    EndpointOrigin::Spec => "spec",
                },
                "framework": e.framework,
                "auth": known(e.auth),
                "validation": known(e.validation),
                "returns_list": known(e.returns_list),
                "pagination": e.pagination,
                "params": e.params.iter().map(|p| json!({"name": p.name, "in": location(p.location)})).collect::<Vec<_>>(),
                "statuses": e.statuses,
            })
        })
        .collect();
    let doc = json!({
        "version": JSON_VERSION,
        "endpoints": items,
        "errors": errors.iter().map(|e| json!({
            "path": e.path,
            "line": e.line,
            "column": e.column,
            "message": e.message,
        })).collect::<Vec<_>>(),
        "summary": { "endpoints": endpoints.len(), "files": files },
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
