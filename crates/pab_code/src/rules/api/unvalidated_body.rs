//! The request body reaches the handler without a schema: no typed model,
//! serializer, DTO or validator checks it.

use crate::context::FileContext;
use crate::rule::{CodeRule, Reporter, ALL_LANGUAGES};
use pab_core::{Known, Language, RuleDocs, RuleMeta, Severity};

pub struct UnvalidatedBody;

static META: RuleMeta = RuleMeta {
    id: "api/unvalidated-body",
    aliases: &[],
    severity: Severity::Warning,
    language: Language::JavaScript,
    default_enabled: true,
    summary: "A route reads the raw request body without a validating model, schema or DTO.",
    docs: RuleDocs {
        what: "Reports the place where a route handler reads the raw request body (`req.body`, `request.json`, `request.get_json()`, `request.data`, `json.NewDecoder(r.Body)`, echo `c.Bind`, a NestJS `@Body() body: any`) when nothing visible validates it: no pydantic parameter, DRF serializer `is_valid`, NestJS DTO class, zod/joi/yup `parse`/`validate`, celebrate or express-validator middleware, Fastify `schema`, gin `ShouldBindJSON` into a struct, `validate.Struct`. Only routes whose handler is in the same file are checked.",
        why: "An unvalidated body is whatever the client sent: missing fields become `undefined`/`None` deep in the code (500s instead of 400s), wrong types reach the database, and extra fields ride along into `create(req.body)` (mass assignment: `isAdmin: true`). A schema at the edge rejects bad input with a clear 4xx and documents the contract.",
        lock: "",
        bad: "router.post('/users', async (req, res) => {\n  const user = await User.create(req.body);\n  res.status(201).json(user);\n});",
        good: "const NewUser = z.object({ email: z.string().email(), name: z.string() });\n\nrouter.post('/users', async (req, res) => {\n  const input = NewUser.parse(req.body);\n  const user = await User.create(input);\n  res.status(201).json(user);\n});",
        fix: "Declare the body's shape and validate it before use: a pydantic model parameter (FastAPI), a serializer with `is_valid(raise_exception=True)` (DRF), a DTO class with class-validator and the ValidationPipe (NestJS), zod/joi/celebrate/express-validator (Express), a `schema.body` (Fastify), `ShouldBindJSON` into a struct with `binding` tags (gin).",
    },
};

impl CodeRule for UnvalidatedBody {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn languages(&self) -> &'static [Language] {
        ALL_LANGUAGES
    }

    fn check(&self, cx: &FileContext, out: &mut Reporter) {
        let mut reported = Vec::new();
        for route in cx.routes() {
            let ep = &route.endpoint;
            if ep.validation != Known::No || matches!(ep.method.as_str(), "GET" | "HEAD") {
                continue;
            }
            let node = route
                .body
                .as_ref()
                .and_then(|b| b.body_read)
                .unwrap_or(route.decl);
            // One handler registered for several methods reads its body once.
            if reported.contains(&node.id()) {
                continue;
            }
            reported.push(node.id());
            out.report(
                cx,
                &META,
                node,
                format!(
                    "`{} {}` uses the request body (`{}`) without validating it",
                    ep.method,
                    ep.path,
                    cx.node_snippet(node)
                ),
                "validate the body against a schema before using it (pydantic model, serializer, DTO class, zod/joi, Fastify schema, ShouldBindJSON into a struct)",
            );
        }
    }
}
