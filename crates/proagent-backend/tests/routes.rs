//! `proagent-backend routes`: the endpoint inventory in every format, its
//! exit codes, and files that cannot be read.

use assert_cmd::Command;
use std::path::Path;
use tempfile::TempDir;

fn bin() -> Command {
    let mut cmd = Command::cargo_bin("proagent-backend").unwrap();
    cmd.env("NO_COLOR", "1");
    cmd
}

const FASTAPI: &str = r#"from fastapi import APIRouter, Depends

router = APIRouter(prefix="/api/v1/orders")


@router.get("", response_model=list[OrderOut])
def list_orders(limit: int = 50, cursor: int = 0):
    return []


@router.post("", status_code=201)
def create_order(body: OrderIn, user=Depends(get_current_user)):
    return save(body)


@router.delete("/{order_id}", status_code=204)
def delete_order(order_id: int):
    remove(order_id)
"#;

const EXPRESS: &str = r#"const express = require('express');
const router = express.Router();

router.get('/users/:id', async (req, res) => {
  res.json(await User.findByPk(req.params.id));
});

router.post('/users', requireAuth, async (req, res) => {
  res.status(201).json(await User.create(req.body));
});

module.exports = router;
"#;

fn project() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("app")).unwrap();
    std::fs::write(dir.path().join("app/orders.py"), FASTAPI).unwrap();
    std::fs::write(dir.path().join("app/users.js"), EXPRESS).unwrap();
    std::fs::write(
        dir.path().join("app/util.py"),
        "def add(a, b):\n    return a + b\n",
    )
    .unwrap();
    dir
}

fn routes(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    bin().current_dir(dir).arg("routes").args(args).assert()
}

fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

#[test]
fn text_table() {
    let dir = project();
    let a = routes(dir.path(), &[]).success();
    insta::assert_snapshot!("routes_text", stdout(&a));
}

#[test]
fn markdown_table() {
    let dir = project();
    let a = routes(dir.path(), &["app", "--format", "markdown"]).success();
    insta::assert_snapshot!("routes_markdown", stdout(&a));
}

#[test]
fn json_document() {
    let dir = project();
    let a = routes(dir.path(), &["--format", "json"]).success();
    let doc: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["summary"]["endpoints"], 5);
    let first = &doc["endpoints"][0];
    assert_eq!(first["method"], "GET");
    assert_eq!(first["path"], "/api/v1/orders");
    assert_eq!(first["returns_list"], "yes");
    assert_eq!(first["pagination"], serde_json::json!(["limit", "cursor"]));
    assert_eq!(first["origin"], "code");
    insta::assert_snapshot!("routes_json", serde_json::to_string_pretty(&doc).unwrap());
}

#[test]
fn no_endpoints_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x.py"), "print(1)\n").unwrap();
    let a = routes(dir.path(), &[]).success();
    assert_eq!(stdout(&a), "No endpoints found.\n");
}

#[test]
fn unreadable_files_are_named_on_stderr_and_the_rest_is_listed() {
    let dir = project();
    std::fs::write(dir.path().join("app/broken.py"), b"x = '\xff\xfe'\n").unwrap();
    let a = routes(dir.path(), &["--format", "json"]).success();
    let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("broken.py"), "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    assert_eq!(doc["summary"]["endpoints"], 5);
    assert_eq!(doc["errors"].as_array().unwrap().len(), 1);
}

#[test]
fn usage_and_configuration_errors_exit_2() {
    let dir = project();
    routes(dir.path(), &["--format", "yaml"]).code(2);
    std::fs::write(dir.path().join("proagent-backend.toml"), "nonsense = 1\n").unwrap();
    routes(dir.path(), &[]).code(2);
    let missing = routes(dir.path(), &["no-such-dir"]).code(2);
    let stderr = String::from_utf8(missing.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("no-such-dir: no such file or directory"),
        "{stderr}"
    );
}

#[test]
fn routers_mounted_from_other_files_get_their_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let files: &[(&str, &str)] = &[
        (
            "svc/app/main.py",
            "from fastapi import FastAPI\nfrom app.routers import orders\nfrom .routers.users import router as users_router\n\napp = FastAPI()\napp.include_router(orders.router, prefix=\"/api/v1\")\napp.include_router(users_router, prefix=\"/api/v2\")\n",
        ),
        (
            "svc/app/routers/orders.py",
            "from fastapi import APIRouter\nrouter = APIRouter(prefix=\"/orders\")\n\n@router.get(\"\")\ndef list_orders(): ...\n",
        ),
        (
            "svc/app/routers/users.py",
            "from fastapi import APIRouter\nrouter = APIRouter()\n\n@router.get(\"/users/{user_id}\")\ndef get_user(user_id: int): ...\n",
        ),
        (
            "web/src/app.js",
            "const express = require('express');\nconst users = require('./routes/users');\nimport { router as teams } from './routes/teams';\nconst app = express();\nconst api = express.Router();\napi.use('/teams', teams);\napp.use('/api', api);\napp.use('/api/users', users);\n",
        ),
        (
            "web/src/routes/users.js",
            "const express = require('express');\nconst router = express.Router();\nrouter.get('/:id', (req, res) => res.json({}));\nmodule.exports = router;\n",
        ),
        (
            "web/src/routes/teams/index.ts",
            "import express from 'express';\nexport const router = express.Router();\nrouter.post('/', (req, res) => res.status(201).json({}));\n",
        ),
    ];
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let a = routes(dir.path(), &["--format", "json"]).success();
    let doc: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    let got: Vec<String> = doc["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["method"].as_str().unwrap(),
                e["path"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "GET /api/v1/orders",
            "GET /api/v2/users/{user_id}",
            "POST /api/teams",
            "GET /api/users/{id}",
        ]
    );
}
