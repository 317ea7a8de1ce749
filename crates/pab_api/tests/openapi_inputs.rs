//! The OpenAPI entry point on real-world inputs: broken YAML and JSON,
//! broken references, unknown versions, files that are not descriptions,
//! a large generated description, endpoints, and suppressions.

use pab_api::ApiAnalyzer;
use pab_core::{Analyzer, EndpointOrigin, Engine, FileOutcome, Known, ParamLocation, Settings};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

fn engine() -> Engine {
    Engine::new(vec![Box::new(ApiAnalyzer)])
}

fn settings(engine: &Engine, select: &str) -> Settings {
    Settings {
        rules: engine
            .registry()
            .rule_set(Some(&[select.to_string()]), &[], &BTreeMap::new())
            .unwrap(),
        postgres_version: 16,
        assume_in_transaction: false,
        api_version_prefix: None,
    }
}

fn review(path: &str, text: &str) -> FileOutcome {
    let engine = engine();
    let settings = settings(&engine, "all");
    engine.review_source(path, text.to_string(), &settings)
}

#[test]
fn invalid_yaml_is_an_error_with_its_position_and_the_run_goes_on() {
    let out = review(
        "openapi.yaml",
        "openapi: 3.0.3\ninfo:\n  title: [unclosed\n  version: 1\npaths: {}\n",
    );
    assert_eq!(out.errors.len(), 1, "{out:?}");
    let e = &out.errors[0];
    assert!(e.message.starts_with("invalid YAML"), "{e:?}");
    assert!(e.message.contains("fix the syntax"), "{e:?}");
    assert!(
        e.line.is_some_and(|l| l >= 3) && e.column.is_some(),
        "{e:?}"
    );
    assert!(out.findings.is_empty());
}

#[test]
fn invalid_json_is_an_error_with_its_position() {
    let out = review(
        "api.json",
        "{\n  \"openapi\": \"3.1.0\",\n  \"info\": ,\n  \"paths\": {}\n}\n",
    );
    assert_eq!(out.errors.len(), 1, "{out:?}");
    assert!(
        out.errors[0].message.starts_with("invalid JSON"),
        "{:?}",
        out.errors
    );
    assert_eq!(out.errors[0].line, Some(3));
}

#[test]
fn broken_yaml_that_is_not_a_description_is_not_our_business() {
    let out = review(
        "ci.yml",
        "jobs:\n  build: [oops\n  # runs the openapi generator\n",
    );
    assert!(out.errors.is_empty() && out.notes.is_empty(), "{out:?}");
}

#[test]
fn json_findings_point_at_the_node() {
    let text = "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"T\", \"version\": \"1\"},\n  \"paths\": {\n    \"/users/\": {\"get\": {\"responses\": {\"200\": {\"description\": \"ok\"}}}}\n  }\n}\n";
    let out = review("api.json", text);
    let f = out
        .findings
        .iter()
        .find(|f| f.rule == "api/oas-path-shape")
        .expect("trailing slash reported");
    assert_eq!((f.span.start.line, f.span.start.column), (5, 5));
}

#[test]
fn circular_references_are_a_note_not_a_hang() {
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/A'\n";
    let started = Instant::now();
    let out = review("openapi.yaml", text);
    assert!(started.elapsed().as_secs() < 5);
    assert!(
        out.notes
            .iter()
            .any(|n| n.message.contains("cycle") && n.line == Some(7)),
        "{:?}",
        out.notes
    );
    assert!(out.errors.is_empty());
}

#[test]
fn recursive_schemas_are_fine() {
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Node:\n      type: object\n      properties:\n        children:\n          type: array\n          items: {$ref: '#/components/schemas/Node'}\n      example: {children: [{children: []}]}\n";
    let out = review("openapi.yaml", text);
    assert!(out.notes.is_empty() && out.errors.is_empty(), "{out:?}");
    assert!(!out
        .findings
        .iter()
        .any(|f| f.rule == "api/oas-example-mismatch"));
}

#[test]
fn unresolved_references_are_findings() {
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {$ref: 'nowhere.yaml#/Ok'}\n";
    let out = review("openapi.yaml", text);
    let f = out
        .findings
        .iter()
        .find(|f| f.rule == "api/oas-unresolved-ref")
        .expect("reported");
    assert_eq!(f.span.start.line, 7);
}

#[test]
fn references_to_other_files_resolve_relative_to_the_description() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("schemas")).unwrap();
    std::fs::write(
        dir.path().join("schemas/user.yaml"),
        "User:\n  type: object\n  properties:\n    team: {$ref: 'team.yaml#/Team'}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("schemas/team.yaml"),
        "Team: {type: string}\n",
    )
    .unwrap();
    let main = dir.path().join("openapi.yaml");
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /u:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'schemas/user.yaml#/User'}\n              example: {team: 7}\n";
    let out = review(main.to_str().unwrap(), text);
    assert!(
        !out.findings
            .iter()
            .any(|f| f.rule == "api/oas-unresolved-ref"),
        "{:?}",
        out.findings
    );
    // The example is checked through both files.
    assert!(
        out.findings
            .iter()
            .any(|f| f.rule == "api/oas-example-mismatch" && f.message.contains("$.team")),
        "{:?}",
        out.findings
    );
}

/// The `api/oas-unresolved-ref` messages of a review.
fn unresolved(out: &FileOutcome) -> Vec<String> {
    out.findings
        .iter()
        .filter(|f| f.rule == "api/oas-unresolved-ref")
        .map(|f| f.message.clone())
        .collect()
}

#[test]
fn references_may_not_leave_the_project() {
    // dir/outside.yaml is valid YAML with the node asked for: before the
    // confinement it was read and the reference resolved.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("outside.yaml"), "Secret: {type: string}\n").unwrap();
    let project = dir.path().join("project");
    std::fs::create_dir_all(project.join(".git")).unwrap();
    std::fs::create_dir_all(project.join("api")).unwrap();
    std::fs::write(project.join("common.yaml"), "Error: {type: string}\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        dir.path().join("outside.yaml"),
        project.join("api/link.yaml"),
    )
    .unwrap();
    let up = "../".repeat(20);
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    \
         Inside: {{$ref: '../common.yaml#/Error'}}\n    \
         Sibling: {{$ref: '../../outside.yaml#/Secret'}}\n    \
         Passwd: {{$ref: '{up}etc/passwd'}}\n    \
         Absolute: {{$ref: '/etc/hostname#/x'}}\n    \
         Proc: {{$ref: '/proc/self/environ'}}\n    \
         Escaped: {{$ref: '..%2F..%2Foutside.yaml#/Secret'}}\n    \
         Link: {{$ref: 'link.yaml#/Secret'}}\n"
    );
    let main = project.join("api/openapi.yaml");
    let out = review(main.to_str().unwrap(), &text);
    let messages = unresolved(&out);
    // The file inside the git work tree (above the description) is read.
    assert!(
        !messages.iter().any(|m| m.contains("common.yaml")),
        "{messages:?}"
    );
    let mut refused = vec![
        "../../outside.yaml#/Secret",
        "etc/passwd",
        "/etc/hostname#/x",
        "/proc/self/environ",
        "..%2F..%2Foutside.yaml#/Secret",
    ];
    if cfg!(unix) {
        refused.push("link.yaml#/Secret");
    }
    for reference in refused {
        assert!(
            messages
                .iter()
                .any(|m| m.contains(reference) && m.contains("points outside the project")),
            "{reference}: {messages:?}"
        );
    }
    assert_eq!(
        messages.len(),
        if cfg!(unix) { 6 } else { 5 },
        "{messages:?}"
    );
}

#[test]
fn without_a_git_work_tree_references_stay_in_the_description_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("outside.yaml"), "Secret: {type: string}\n").unwrap();
    std::fs::create_dir_all(dir.path().join("api/schemas")).unwrap();
    std::fs::write(dir.path().join("api/schemas/a.yaml"), "A: {type: string}\n").unwrap();
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'schemas/a.yaml#/A'}\n    B: {$ref: '../outside.yaml#/Secret'}\n    C: {$ref: '../missing.yaml#/C'}\n";
    let main = dir.path().join("api/openapi.yaml");
    let messages = unresolved(&review(main.to_str().unwrap(), text));
    if dir.path().ancestors().any(|d| d.join(".git").exists()) {
        return; // the temporary directory is in a work tree: not this case.
    }
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages
        .iter()
        .all(|m| m.contains("points outside the project")));
}

#[test]
fn path_items_in_other_files_resolve_their_references_from_that_file() {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in [
        (
            "paths/invoices.yaml",
            "get:\n  operationId: listInvoices\n  parameters:\n    - $ref: '../parameters/limit.yaml'\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema: {$ref: '../schemas/InvoiceList.yaml'}\npost:\n  requestBody: {$ref: '../bodies/invoice.yaml'}\n  responses:\n    '201': {$ref: '../responses/created.yaml'}\n",
        ),
        (
            "parameters/limit.yaml",
            "name: limit\nin: query\nschema: {type: integer}\n",
        ),
        (
            "schemas/InvoiceList.yaml",
            "type: array\nitems: {$ref: 'Invoice.yaml'}\n",
        ),
        ("schemas/Invoice.yaml", "type: object\n"),
        (
            "bodies/invoice.yaml",
            "x-body-name: invoice\ncontent:\n  application/json: {schema: {type: object}}\n",
        ),
        (
            "responses/created.yaml",
            "description: created\ncontent:\n  application/json:\n    schema: {$ref: '../schemas/InvoiceList.yaml'}\n",
        ),
    ] {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /invoices: {$ref: 'paths/invoices.yaml'}\n";
    let main = dir.path().join("openapi.yaml");
    let out = review(main.to_str().unwrap(), text);
    assert_eq!(out.endpoints.len(), 2, "{:?}", out.endpoints);
    let get = &out.endpoints[0];
    assert_eq!(
        (get.method.as_str(), get.path.as_str()),
        ("GET", "/invoices")
    );
    assert_eq!(
        get.params
            .iter()
            .map(|p| (p.name.as_str(), p.location))
            .collect::<Vec<_>>(),
        vec![("limit", ParamLocation::Query)]
    );
    assert_eq!(get.pagination, vec!["limit".to_string()]);
    assert_eq!(get.returns_list, Known::Yes);
    let post = &out.endpoints[1];
    assert_eq!(post.method, "POST");
    assert_eq!(
        post.params
            .iter()
            .map(|p| (p.name.as_str(), p.location))
            .collect::<Vec<_>>(),
        vec![("invoice", ParamLocation::Body)]
    );
    assert_eq!(post.statuses, vec![201]);
    assert_eq!(post.returns_list, Known::Yes);
}

#[test]
fn unknown_versions_get_a_note_with_the_line() {
    let out = review(
        "openapi.yaml",
        "# next\nopenapi: 4.0.0\ninfo: {title: T, version: '1'}\npaths: {}\n",
    );
    assert!(out.findings.is_empty());
    assert_eq!(out.notes.len(), 1, "{out:?}");
    assert_eq!(out.notes[0].line, Some(2));
    assert!(out.notes[0].message.contains("4.0.0"));
}

#[test]
fn yaml_that_is_not_a_description_produces_nothing_unless_named_like_one() {
    let compose = "services:\n  web:\n    image: nginx\n";
    let out = review("deploy/stack.yaml", compose);
    assert!(out.findings.is_empty() && out.notes.is_empty() && out.errors.is_empty());
    let out = review("api/openapi.yaml", compose);
    assert_eq!(out.notes.len(), 1, "{out:?}");
    assert!(out.notes[0].message.contains("the name says OpenAPI"));
    let out = review("petstore.openapi.json", "{\"swag\": 1}");
    assert_eq!(out.notes.len(), 1, "{out:?}");
}

#[test]
fn lock_files_and_manifests_are_not_even_read() {
    let a = ApiAnalyzer;
    for name in [
        "package.json",
        "package-lock.json",
        "tsconfig.base.json",
        "pnpm-lock.yaml",
        "docker-compose.yml",
    ] {
        assert!(!a.accepts(Path::new(name)), "{name}");
    }
    for name in ["openapi.yaml", "api.yml", "spec.json", "schema.graphql"] {
        assert!(a.accepts(Path::new(name)), "{name}");
    }
    assert!(a.language(Path::new("x.yaml")) == Some(pab_core::Language::Yaml));
    assert!(a.language(Path::new("x.json")) == Some(pab_core::Language::Json));
}

#[test]
fn yaml_suppressions_apply() {
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    # proagent-backend: ignore[api/oas-operation-id] generated by the gateway\n    get:\n      responses:\n        '200': {description: ok}\n    post:\n      responses:\n        '201': {description: ok}\n";
    let out = review("openapi.yaml", text);
    let ids: Vec<_> = out
        .findings
        .iter()
        .filter(|f| f.rule == "api/oas-operation-id")
        .map(|f| f.span.start.line)
        .collect();
    assert_eq!(ids, vec![9]);
}

#[test]
fn operations_become_endpoints() {
    let text = r#"swagger: "2.0"
info: {title: T, version: "1"}
basePath: /api/v1
securityDefinitions:
  key: {type: apiKey, in: header, name: X-Key}
security:
  - key: []
paths:
  /users/{id}:
    parameters:
      - {name: id, in: path, required: true, type: string}
    get:
      operationId: getUser
      parameters:
        - {name: expand, in: query, type: string}
      responses:
        "200": {description: ok, schema: {type: object}}
        "404": {description: missing}
  /users:
    get:
      operationId: listUsers
      security: []
      parameters:
        - {name: limit, in: query, type: integer}
      responses:
        "200": {description: ok, schema: {type: array, items: {type: object}}}
"#;
    let out = review("swagger.yaml", text);
    assert_eq!(out.endpoints.len(), 2);
    let get = &out.endpoints[0];
    assert_eq!(get.origin, EndpointOrigin::Spec);
    assert_eq!(get.framework, "openapi");
    assert_eq!(
        (get.method.as_str(), get.path.as_str()),
        ("GET", "/api/v1/users/{id}")
    );
    assert_eq!(get.handler.as_deref(), Some("getUser"));
    assert_eq!(get.auth, Known::Yes);
    assert_eq!(get.returns_list, Known::No);
    assert_eq!(get.statuses, vec![200, 404]);
    assert_eq!(get.span.start.line, 12);
    let locations: Vec<_> = get
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.location))
        .collect();
    assert_eq!(
        locations,
        vec![
            ("expand", ParamLocation::Query),
            ("id", ParamLocation::Path)
        ]
    );
    let list = &out.endpoints[1];
    assert_eq!(list.path, "/api/v1/users");
    assert_eq!(list.auth, Known::No);
    assert_eq!(list.returns_list, Known::Yes);
    assert_eq!(list.pagination, vec!["limit".to_string()]);

    let v3 = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\nservers:\n  - url: 'https://{host}/v2'\n    variables: {host: {default: api.acme.io}}\npaths:\n  /orders:\n    post:\n      requestBody:\n        content:\n          application/json: {schema: {type: object}}\n      responses:\n        '201': {description: created}\n";
    let out = review("openapi.yaml", v3);
    let post = &out.endpoints[0];
    assert_eq!(
        (post.method.as_str(), post.path.as_str()),
        ("POST", "/v2/orders")
    );
    assert_eq!(post.params[0].location, ParamLocation::Body);
    assert_eq!(post.statuses, vec![201]);
}

/// A description with `n` paths, each with a few operations, parameters
/// and schemas, written as YAML or JSON.
pub fn generated_spec(n: usize, json: bool) -> String {
    let mut s = String::with_capacity(n * 700);
    if json {
        s.push_str("{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"Big\", \"version\": \"1\"}, \"paths\": {");
        for i in 0..n {
            if i > 0 {
                s.push_str(",\n");
            }
            s.push_str(&format!(
                "\"/things{i}/{{id}}\": {{\"get\": {{\"operationId\": \"get{i}\", \"parameters\": [{{\"name\": \"id\", \"in\": \"path\", \"required\": true, \"schema\": {{\"type\": \"string\"}}}}], \"responses\": {{\"200\": {{\"description\": \"ok\", \"content\": {{\"application/json\": {{\"schema\": {{\"$ref\": \"#/components/schemas/T{i}\"}}}}}}}}}}}}}}"
            ));
        }
        s.push_str("}, \"components\": {\"schemas\": {");
        for i in 0..n {
            if i > 0 {
                s.push_str(",\n");
            }
            s.push_str(&format!("\"T{i}\": {{\"type\": \"object\", \"required\": [\"id\"], \"properties\": {{\"id\": {{\"type\": \"integer\"}}, \"kind\": {{\"type\": \"string\", \"enum\": [\"a\", \"b\"]}}}}, \"example\": {{\"id\": {i}, \"kind\": \"a\"}}}}"));
        }
        s.push_str("}}}\n");
    } else {
        s.push_str("openapi: 3.0.3\ninfo: {title: Big, version: '1'}\npaths:\n");
        for i in 0..n {
            s.push_str(&format!("  /things{i}/{{id}}:\n    get:\n      operationId: get{i}\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema: {{type: string}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/T{i}'}}\n"));
        }
        s.push_str("components:\n  schemas:\n");
        for i in 0..n {
            s.push_str(&format!("    T{i}:\n      type: object\n      required: [id]\n      properties:\n        id: {{type: integer}}\n        kind: {{type: string, enum: [a, b]}}\n      example: {{id: {i}, kind: a}}\n"));
        }
    }
    s
}

#[test]
fn a_large_generated_description_is_reviewed_in_reasonable_time() {
    for json in [false, true] {
        let text = generated_spec(8_000, json);
        assert!(text.len() > 3_000_000, "{}", text.len());
        let started = Instant::now();
        let out = review(if json { "big.json" } else { "big.yaml" }, &text);
        let took = started.elapsed();
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert_eq!(out.endpoints.len(), 8_000);
        // Every operation lacks tags and a summary; nothing else is wrong.
        assert!(!out
            .findings
            .iter()
            .any(|f| f.rule == "api/oas-example-mismatch" || f.rule == "api/oas-unresolved-ref"));
        // Generous: debug builds on a loaded 2-core machine.
        assert!(took.as_secs() < 60, "{json}: {took:?}");
    }
}
