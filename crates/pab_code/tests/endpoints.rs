//! The endpoint model per framework: each file in `fixtures/endpoints/` is
//! reviewed and the routes it declares are snapshotted, one line each
//! (method, path, handler, line, auth, validation, list, pagination,
//! statuses, parameters, framework).

use pab_code::CodeAnalyzer;
use pab_core::{Endpoint, Engine, Known, Settings};
use std::collections::BTreeMap;
use std::path::Path;

fn known(k: Known) -> &'static str {
    match k {
        Known::Yes => "yes",
        Known::No => "no",
        Known::Unknown => "?",
    }
}

fn render(endpoints: &[Endpoint]) -> String {
    let mut out = String::new();
    for e in endpoints {
        let params: Vec<String> = e
            .params
            .iter()
            .map(|p| format!("{}:{}", p.name, format!("{:?}", p.location).to_lowercase()))
            .collect();
        out.push_str(&format!(
            "{:<7} {:<32} {:<16} L{:<3} auth={:<3} valid={:<3} list={:<3} page=[{}] status={:?} params=[{}] {}\n",
            e.method,
            e.path,
            e.handler.as_deref().unwrap_or("-"),
            e.span.start.line,
            known(e.auth),
            known(e.validation),
            known(e.returns_list),
            e.pagination.join(","),
            e.statuses,
            params.join(","),
            e.framework,
        ));
    }
    out
}

pub fn endpoints_of(name: &str, text: &str) -> Vec<Endpoint> {
    let engine = Engine::new(vec![Box::new(CodeAnalyzer)]);
    let settings = Settings {
        rules: engine
            .registry()
            .rule_set(None, &[], &BTreeMap::new())
            .unwrap(),
        postgres_version: 16,
        assume_in_transaction: false,
        api_version_prefix: None,
    };
    let outcome = engine.review_source(name, text.to_string(), &settings);
    assert!(outcome.errors.is_empty(), "{name}: {:?}", outcome.errors);
    outcome.endpoints
}

#[test]
fn every_framework_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/endpoints");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 11);
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let endpoints = endpoints_of(&name, &text);
        assert!(!endpoints.is_empty(), "{name}: no endpoint extracted");
        insta::assert_snapshot!(format!("endpoints__{name}"), render(&endpoints));
    }
}

#[test]
fn files_without_a_framework_have_no_endpoints() {
    let text = "def get(path):\n    return open(path).read()\n\n@cache.get('/x')\ndef f(): pass\n";
    assert!(endpoints_of("util.py", text).is_empty());
    let js = "const axios = require('axios');\naxios.get('/users', cfg);\n";
    assert!(endpoints_of("client.js", js).is_empty());
    // An HTTP client call in an Express file is not a route.
    let js = "const express = require('express');\naxios.get('/users', { params });\nhttp.post('/x', body);\n";
    assert!(endpoints_of("client.js", js).is_empty());
    // A front-end module: `Router(` is mentioned, no server is imported.
    let ts = "import { useRouter } from 'next/router';\nexport function save(data) {\n  const router = useRouter();\n  return api.post('/users', data);\n}\n";
    assert!(endpoints_of("save.ts", ts).is_empty());
    // net/http's client functions are not registrations on the default
    // server, whatever the URL looks like.
    let go = "package main\nimport \"net/http\"\nfunc notify(r io.Reader) {\n\thttp.Post(\"https://hooks.example.com/services/notify\", \"application/json\", r)\n\thttp.Post(\"/internal/notify\", \"application/json\", r)\n\thttp.Head(\"/status\", h)\n}\n";
    assert!(endpoints_of("notify.go", go).is_empty());
    // A full URL is never a route path, in any framework.
    let js = "const express = require('express');\nconst app = express();\napp.get('https://api.example.com/users', list);\n";
    assert!(endpoints_of("urls.js", js).is_empty());
    let py = "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get('https://api.example.com/users')\ndef f(): ...\n";
    assert!(endpoints_of("urls.py", py).is_empty());
}

#[test]
fn thousands_of_routes_stay_linear() {
    // Each route looks things up by name (its router, its handler): done
    // per route over the whole file, 5,000 routes took close to a minute.
    const N: usize = 5000;
    let mut js =
        String::from("const express = require('express');\nconst router = express.Router();\n");
    let mut go = String::from(
        "package main\nimport \"github.com/gin-gonic/gin\"\nfunc main() {\n\tr := gin.Default()\n\tv1 := r.Group(\"/v1\")\n",
    );
    let mut py = String::from("from fastapi import APIRouter\nrouter = APIRouter(prefix='/x')\n");
    for i in 0..N {
        js.push_str(&format!(
            "router.post('/items{i}/:id', requireAuth, h{i});\nfunction h{i}(req, res) {{ res.json(items); }}\n"
        ));
        go.push_str(&format!("\tv1.GET(\"/items{i}/:id\", h{i})\n"));
        py.push_str(&format!(
            "@router.get('/items{i}/{{id}}')\ndef h{i}(id: int):\n    return items\n"
        ));
    }
    go.push_str("}\n");
    for i in 0..N {
        go.push_str(&format!(
            "func h{i}(c *gin.Context) {{ c.JSON(200, items) }}\n"
        ));
    }
    let started = std::time::Instant::now();
    for (name, text) in [("big.js", &js), ("big.go", &go), ("big.py", &py)] {
        assert_eq!(endpoints_of(name, text).len(), N, "{name}");
    }
    let took = started.elapsed();
    assert!(took.as_secs() < 30, "{took:?}");
}

#[test]
fn path_shape_findings_land_on_routes_and_obey_suppressions() {
    let engine = Engine::new(vec![Box::new(CodeAnalyzer)]);
    let settings = Settings {
        rules: engine
            .registry()
            .rule_set(
                Some(&["api/verb-in-path".to_string(), "reliability".to_string()]),
                &[],
                &BTreeMap::new(),
            )
            .unwrap(),
        postgres_version: 16,
        assume_in_transaction: false,
        api_version_prefix: None,
    };
    let text = "from fastapi import APIRouter\n\nrouter = APIRouter(prefix=\"/users\")\n\n\n@router.post(\"/delete\")\ndef delete_users(): ...\n\n\n# proagent-backend: ignore[api/verb-in-path] kept for the mobile app v1\n@router.post(\"/{user_id}/update\")\ndef update_user(user_id: int): ...\n";
    let outcome = engine.review_source("users.py", text.to_string(), &settings);
    let found: Vec<(&str, u32)> = outcome
        .findings
        .iter()
        .map(|f| (f.rule, f.span.start.line))
        .collect();
    assert_eq!(found, [("api/verb-in-path", 6)]);
    let js = "const express = require('express');\nconst router = express.Router();\nrouter.post('/users/delete', (req, res) => {\n  res.sendStatus(204);\n});\n";
    let outcome = engine.review_source("users.js", js.to_string(), &settings);
    let spans: Vec<(u32, u32)> = outcome
        .findings
        .iter()
        .map(|f| (f.span.start.line, f.span.end.line))
        .collect();
    // The registration's first line, not the handler's body.
    assert_eq!(spans, [(3, 3)]);
}

#[test]
fn version_prefix_is_only_checked_on_complete_paths() {
    let engine = Engine::new(vec![Box::new(CodeAnalyzer)]);
    let settings = Settings {
        rules: engine
            .registry()
            .rule_set(
                Some(&["api/missing-version-prefix".to_string()]),
                &[],
                &BTreeMap::new(),
            )
            .unwrap(),
        postgres_version: 16,
        assume_in_transaction: false,
        api_version_prefix: Some("/api/v1".into()),
    };
    let lines = |name: &str, text: &str| -> Vec<u32> {
        engine
            .review_source(name, text.to_string(), &settings)
            .findings
            .iter()
            .map(|f| f.span.start.line)
            .collect()
    };
    // A router mounted by another module (`app.include_router(orders.router,
    // prefix="/api/v1")` in main.py): its full path is unknown here.
    let router = "from fastapi import APIRouter\nrouter = APIRouter(prefix=\"/orders\")\n\n@router.get(\"\")\ndef list_orders(): ...\n";
    assert!(lines("orders.py", router).is_empty());
    // The application itself, and a router it mounts in this file.
    let app = "from fastapi import APIRouter, FastAPI\napp = FastAPI()\nv1 = APIRouter(prefix=\"/api/v1\")\nlegacy = APIRouter()\n\n@app.get(\"/orders\")\ndef a(): ...\n\n@v1.get(\"/orders\")\ndef b(): ...\n\n@legacy.get(\"/carts\")\ndef c(): ...\n\napp.include_router(v1)\napp.include_router(legacy)\n";
    assert_eq!(lines("main.py", app), [6, 12]);
    let express = "const express = require('express');\nconst router = express.Router();\nrouter.get('/users', list);\n";
    assert!(lines("users.js", express).is_empty());
    let gin = "package main\nimport \"github.com/gin-gonic/gin\"\nfunc main() {\n\tr := gin.Default()\n\tr.GET(\"/users\", list)\n}\nfunc Register(g *gin.RouterGroup) {\n\tg.GET(\"/teams\", teams)\n}\n";
    assert_eq!(lines("main.go", gin), [5]);
}
