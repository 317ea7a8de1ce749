//! Property tests of the OpenAPI entry point: arbitrary bytes, and valid
//! descriptions with lines dropped, duplicated or cut, with every rule
//! enabled, never panic and keep spans inside the file. Failing cases
//! proptest finds are kept in proptest-regressions/.

use pab_api::ApiAnalyzer;
use pab_core::{Engine, Settings};
use pab_testkit::{assert_spans_inside, settings_for};
use proptest::prelude::*;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(vec![Box::new(ApiAnalyzer)]))
}

fn check(path: &str, text: String) {
    let engine = engine();
    let settings = Settings {
        // With a version prefix, so the rules about it run too.
        api_version_prefix: Some("/v1".into()),
        ..settings_for(engine, &["all"])
    };
    assert_spans_inside(engine, &settings, path, text);
}

/// A description that exercises most rules.
const SEED: &str = r##"openapi: 3.0.3
info:
  title: Seed
  version: "1"
servers:
  - url: http://api.acme.io/v1/
tags:
  - name: users
paths:
  /users/{id}/:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: get user
      tags: [user]
      parameters:
        - {name: api_key, in: query, schema: {type: string}, example: 1}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/User'}
              example: {id: "x"}
    delete:
      security: []
      responses:
        '404': {$ref: '#/components/responses/Missing'}
  /users:
    get:
      responses:
        '200':
          description: list
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/User'}}
    post:
      responses:
        '200': {description: created}
security:
  - Bearer: []
components:
  securitySchemes:
    Bearer: {type: http, scheme: bearer}
  parameters:
    Id: {name: id, in: path, required: true, schema: {type: integer}}
  responses:
    Missing:
      description: gone
      content:
        application/json: {schema: {type: object}}
  schemas:
    User:
      type: object
      required: [id]
      properties:
        id: {type: integer, enum: [1, "2", 1]}
        tags: {type: array}
        self: {$ref: '#/components/schemas/User', nullable: true}
        loop: {$ref: '#/components/schemas/Loop'}
    Loop: {$ref: '#/components/schemas/Loop'}
"##;

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), json in any::<bool>()) {
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        // Make the sniff pass often, so the parsers and rules run.
        if bytes.first().is_some_and(|b| b % 2 == 0) {
            text = if json { format!("{{\"openapi\": \"3.1.0\", {text}") } else { format!("openapi: 3.1.0\n{text}") };
        }
        check(if json { "openapi.json" } else { "openapi.yaml" }, text);
    }

    #[test]
    fn mutated_descriptions_never_panic(
        edits in proptest::collection::vec((0usize..80, 0u8..4, any::<u8>()), 0..8)
    ) {
        let mut lines: Vec<String> = SEED.lines().map(str::to_string).collect();
        for (at, op, byte) in edits {
            if lines.is_empty() {
                break;
            }
            let i = at % lines.len();
            match op {
                0 => { lines.remove(i); }
                1 => { let l = lines[i].clone(); lines.insert(i, l); }
                2 => {
                    let l = &mut lines[i];
                    let mut cut = (byte as usize) % (l.len() + 1);
                    while !l.is_char_boundary(cut) { cut -= 1; }
                    l.truncate(cut);
                }
                _ => lines[i].push(char::from(byte % 95 + 32)),
            }
        }
        check("openapi.yaml", lines.join("\n"));
    }
}

#[test]
fn the_seed_itself_is_reviewed() {
    let engine = engine();
    let settings = settings_for(engine, &["all"]);
    let out = engine.review_source("openapi.yaml", SEED.to_string(), &settings);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert!(out.findings.len() > 15, "{}", out.findings.len());
}
