//! Operations as [`Endpoint`]s, for the `routes` command and for comparing
//! the description with the code that implements it.

use super::refs::DocId;
use super::{Node, Spec, Value, Version};
use pab_core::{Diagnostics, Endpoint, EndpointOrigin, Known, Param, ParamLocation};

/// Query parameter names that page or bound a collection.
pub const PAGINATION_PARAMS: &[&str] = &[
    "limit",
    "offset",
    "page",
    "per_page",
    "perpage",
    "page_size",
    "pagesize",
    "size",
    "cursor",
    "after",
    "before",
    "starting_after",
    "ending_before",
    "page_token",
    "pagetoken",
    "next_token",
    "continuation_token",
    "max_results",
    "maxresults",
    "top",
    "skip",
    "$top",
    "$skip",
    "first",
    "last",
];

/// Whether a query parameter name pages a collection (`pageSize`,
/// `page[size]` and `per-page` included).
pub fn is_pagination_param(name: &str) -> bool {
    let normal: String = name
        .chars()
        .filter(|c| !matches!(c, '-' | '[' | ']'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    PAGINATION_PARAMS
        .iter()
        .any(|p| p.replace('_', "") == normal.replace('_', ""))
}

/// Pushes one endpoint per operation, those of path items in other files
/// included (declared at their path's key in this file).
pub fn report(spec: &Spec, out: &mut Diagnostics) {
    for op in spec.operations.iter().chain(&spec.external_operations) {
        let prefix = path_prefix(spec, op.node, op.path_item);
        let mut path = format!("{}{}", prefix.trim_end_matches('/'), op.path);
        if path.is_empty() {
            path.push('/');
        }
        let mut params = Vec::new();
        let mut pagination = Vec::new();
        for p in spec.parameters(op) {
            let location = match p.location {
                "path" => ParamLocation::Path,
                "query" => ParamLocation::Query,
                "header" => ParamLocation::Header,
                "cookie" => ParamLocation::Cookie,
                "body" | "formData" => ParamLocation::Body,
                _ => continue,
            };
            if location == ParamLocation::Query && is_pagination_param(p.name) {
                pagination.push(p.name.to_string());
            }
            params.push(Param {
                name: p.name.to_string(),
                location,
            });
        }
        if let Some(body) = op.node.get("requestBody") {
            let body = spec.resolve_from(op.doc, body).map_or(body, |(_, b)| b);
            let name = body
                .get("x-body-name")
                .or_else(|| body.get("x-codegen-request-body-name"))
                .and_then(Node::as_str)
                .unwrap_or("body");
            params.push(Param {
                name: name.to_string(),
                location: ParamLocation::Body,
            });
        }
        let mut statuses = Vec::new();
        let mut returns_list = Known::No;
        for (status, doc, response) in spec.responses_in(op) {
            let code = status.scalar_text().and_then(|s| s.parse::<u16>().ok());
            if let Some(code) = code {
                statuses.push(code);
            }
            if code.is_some_and(|c| (200..300).contains(&c))
                && spec
                    .response_schemas(response)
                    .iter()
                    .any(|(_, s)| is_array_schema_in(spec, doc, s))
            {
                returns_list = Known::Yes;
            }
        }
        let auth = match spec.security(op) {
            Some(requirements) => {
                let list = requirements.items();
                if !list.is_empty() && list.iter().all(|r| !r.entries().is_empty()) {
                    Known::Yes
                } else {
                    Known::No
                }
            }
            None => Known::No,
        };
        out.endpoints.push(Endpoint {
            origin: EndpointOrigin::Spec,
            framework: "openapi",
            method: op.method.to_ascii_uppercase(),
            path,
            handler: op.operation_id().map(str::to_string),
            file: spec.file.path.clone(),
            span: spec.file.span(op.key.start, op.key.end),
            auth,
            validation: Known::Unknown,
            returns_list,
            pagination,
            params,
            statuses,
        });
    }
}

/// Whether a schema of the reviewed file (after references) is an array.
pub fn is_array_schema<'a>(spec: &Spec<'a>, schema: &'a Node<'a>) -> bool {
    is_array_schema_in(spec, DocId::MAIN, schema)
}

/// Whether a schema in document `doc` (after references) is an array.
pub fn is_array_schema_in<'a>(spec: &Spec<'a>, doc: DocId, schema: &'a Node<'a>) -> bool {
    let Ok((_, schema)) = spec.resolve_from(doc, schema) else {
        return false;
    };
    match schema.get("type").map(|t| &t.value) {
        Some(Value::Str(t)) => t == "array",
        // 3.1: `type: [array, "null"]`.
        Some(Value::Seq(items)) => items.iter().any(|t| t.as_str() == Some("array")),
        _ => false,
    }
}

/// The path part of the base URL of an operation: 2.0 `basePath`, 3.x the
/// first server of the operation, else of its path item, else of the
/// document (server variables replaced by their defaults).
pub fn path_prefix(spec: &Spec, op: &Node, path_item: &Node) -> String {
    if spec.version == Version::V2 {
        return spec
            .root
            .get("basePath")
            .and_then(Node::as_str)
            .unwrap_or("")
            .to_string();
    }
    let server = [op, path_item, spec.root]
        .into_iter()
        .filter_map(|n| n.get("servers"))
        .find_map(|s| s.items().first());
    let Some(server) = server else {
        return String::new();
    };
    let Some(url) = server.get("url").and_then(Node::as_str) else {
        return String::new();
    };
    let mut url = url.to_string();
    if let Some(vars) = server.get("variables") {
        for (name, var) in vars.entries() {
            if let (Some(name), Some(default)) = (
                name.as_str(),
                var.get("default").and_then(|d| d.scalar_text()),
            ) {
                url = url.replace(&format!("{{{name}}}"), &default);
            }
        }
    }
    url_path(&url).to_string()
}

/// `https://api.example.com:8443/v1` -> `api.example.com:8443`; "" for a
/// relative URL.
pub fn url_path_host(url: &str) -> &str {
    let rest = match url.find("://") {
        Some(i) => &url[i + 3..],
        None if url.starts_with("//") => &url[2..],
        None => return "",
    };
    rest.split('/').next().unwrap_or("")
}

/// `https://api.example.com/v1` -> `/v1`; `/v1` -> `/v1`.
pub fn url_path(url: &str) -> &str {
    let rest = match url.find("://") {
        Some(i) => &url[i + 3..],
        None if url.starts_with("//") => &url[2..],
        None => return url,
    };
    rest.find('/').map_or("", |i| &rest[i..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths() {
        assert_eq!(url_path("https://api.example.com/v1"), "/v1");
        assert_eq!(url_path("https://api.example.com"), "");
        assert_eq!(url_path("/v2"), "/v2");
        assert!(is_pagination_param("pageSize"));
        assert!(is_pagination_param("page[size]"));
        assert!(!is_pagination_param("name"));
    }
}
