//! A DELETE route answers 200 with a body while the other DELETE routes of
//! the file answer 204 No Content.

use crate::context::FileContext;
use crate::rule::{CodeRule, Reporter, ALL_LANGUAGES};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct DeleteReturnsBody;

static META: RuleMeta = RuleMeta {
    id: "api/delete-returns-body",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::JavaScript,
    default_enabled: true,
    summary: "A DELETE route answers 200 with a body while the file's other DELETE routes answer 204.",
    docs: RuleDocs {
        what: "Reports the declaration of a DELETE route whose handler sends a body with a success status other than 204 when another DELETE route in the same file answers 204 No Content: the file has a convention and this route breaks it.",
        why: "Clients of one API handle deletes one way. When most deletes answer 204 with no body and one answers 200 with JSON, generic client code either ignores a body it should read or tries to parse one that is not there.",
        lock: "",
        bad: "router.delete('/users/:id', async (req, res) => { await remove(req.params.id); res.sendStatus(204); });\nrouter.delete('/posts/:id', async (req, res) => { await removePost(req.params.id); res.json({ deleted: true }); });",
        good: "router.delete('/users/:id', async (req, res) => { await remove(req.params.id); res.sendStatus(204); });\nrouter.delete('/posts/:id', async (req, res) => { await removePost(req.params.id); res.sendStatus(204); });",
        fix: "Answer 204 with no body like the other DELETE routes (`res.sendStatus(204)`, `status_code=204`, `c.Status(http.StatusNoContent)`), or change them all if the API deliberately returns the deleted resource.",
    },
};

impl CodeRule for DeleteReturnsBody {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn languages(&self) -> &'static [Language] {
        ALL_LANGUAGES
    }

    fn check(&self, cx: &FileContext, out: &mut Reporter) {
        let routes = cx.routes();
        let Some(convention) = routes
            .iter()
            .find(|r| r.endpoint.method == "DELETE" && r.endpoint.statuses.contains(&204))
        else {
            return;
        };
        for route in routes {
            let ep = &route.endpoint;
            if ep.method != "DELETE" || ep.statuses.iter().any(|s| (201..300).contains(s)) {
                continue;
            }
            let Some(body) = &route.body else { continue };
            if body.body_responses.is_empty() {
                continue;
            }
            out.report(
                cx,
                &META,
                route.decl,
                format!(
                    "`DELETE {}` answers 200 with a body, while `DELETE {}` (line {}) answers 204 No Content",
                    ep.path, convention.endpoint.path, convention.endpoint.span.start.line
                ),
                "answer 204 with no body like the file's other DELETE routes",
            );
        }
    }
}
