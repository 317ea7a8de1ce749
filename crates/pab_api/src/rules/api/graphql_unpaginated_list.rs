//! Root query fields that return a list of objects without pagination.

use crate::graphql::{Field, Operation, Schema, TypeKind};
use crate::rule::{ApiRule, Reporter};
use pab_core::{Language, RuleDocs, RuleMeta, Severity};

pub struct GraphqlUnpaginatedList;

/// Argument names that bound or page a list (lowercased).
const PAGING_ARGS: &[&str] = &[
    "first", "last", "after", "before", "limit", "offset", "skip", "take", "cursor", "top",
];

static META: RuleMeta = RuleMeta {
    id: "api/graphql-unpaginated-list",
    aliases: &[],
    severity: Severity::Suggestion,
    language: Language::GraphQl,
    default_enabled: true,
    summary: "A root query field returns a list of objects with no way to page through it.",
    docs: RuleDocs {
        what: "Reports fields of the root query type that return a list of an object, interface or union type defined in the same file, and take no paging argument: none named `first`, `last`, `after`, `before`, `limit`, `offset`, `skip`, `take`, `cursor`, `top` or containing `page`, and no argument whose type name contains `Page` or `Pagination` or whose input type (defined in the file) has such a field. Fields that take a list argument (`ordersByIds(ids: [ID!]!)`) are bounded by the caller and not reported, nor are Relay connections (which are not lists). Lists nested in other types are not reported: an order's lines or a user's roles are usually bounded by their parent, and the rule cannot tell which are not.",
        why: "A top-level list grows with the data. The first release returns twenty rows; a year later the same query returns two hundred thousand, times out in the resolver, and the fix (adding pagination) changes the field's type, which is a breaking change for every client.",
        lock: "",
        bad: "type Query {\n  orders: [Order!]!\n}",
        good: "type Query {\n  orders(first: Int!, after: String): OrderConnection!\n}",
        fix: "Page the field from its first release: return a Relay-style connection (`OrderConnection` with `edges`, `pageInfo`) taking `first`/`after`, or at least take `limit`/`offset` with a server-side maximum. For a field already in use, add a paginated field beside it and deprecate the list.",
    },
};

fn paginated(cx: &Schema, f: &Field) -> bool {
    f.args.iter().any(|a| {
        let name = a.name.text.to_ascii_lowercase();
        let ty = a.ty.as_ref();
        PAGING_ARGS.contains(&name.as_str())
            || name.contains("page")
            || ty.is_some_and(|t| t.list)
            || ty.is_some_and(|t| t.name.contains("Page") || t.name.contains("Pagination"))
            // An input type of the file with a paging field (`args: OrdersInput`).
            || ty.is_some_and(|t| {
                cx.types
                    .iter()
                    .filter(|d| d.kind == TypeKind::InputObject && d.name.text == t.name)
                    .flat_map(|d| &d.input_fields)
                    .any(|i| {
                        let n = i.name.text.to_ascii_lowercase();
                        PAGING_ARGS.contains(&n.as_str()) || n.contains("page")
                    })
            })
    })
}

impl ApiRule for GraphqlUnpaginatedList {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_graphql(&self, cx: &Schema, out: &mut Reporter) {
        for f in cx.root_fields(Operation::Query) {
            let Some(ty) = &f.ty else { continue };
            let objects = matches!(
                cx.kind_of(&ty.name),
                Some(TypeKind::Object | TypeKind::Interface | TypeKind::Union)
            );
            if !ty.list || !objects || paginated(cx, f) {
                continue;
            }
            out.report_in(
                &META,
                f.name.range,
                f.range,
                format!(
                    "query field `{}` returns a list of `{}` with no paging arguments",
                    f.name.text, ty.name
                ),
                format!(
                    "Return a connection (`{}Connection` with `first`/`after` arguments) or take `limit`/`offset` with a server-side maximum.",
                    ty.name
                ),
            );
        }
    }
}
