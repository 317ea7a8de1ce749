//! The interface every code rule implements, and the reporter it writes to.

use crate::context::FileContext;
use pab_core::{Diagnostics, Language, RuleMeta};
use tree_sitter::Node;

/// Every language pab_code reads, for rules that apply to all of them.
pub const ALL_LANGUAGES: &[Language] = &[
    Language::Python,
    Language::JavaScript,
    Language::TypeScript,
    Language::Go,
];

/// A rule over Python, JavaScript, TypeScript or Go code. Each lives in its
/// own file under src/rules/<area>/, named after what it reports, with its
/// `RuleMeta` beside it.
pub trait CodeRule: Sync {
    fn meta(&self) -> &'static RuleMeta;

    /// The languages this rule checks; it is not run on other files.
    fn languages(&self) -> &'static [Language];

    /// Tree-sitter node kinds this rule reads with
    /// [`FileContext::nodes`] (calls are always collected): they are gathered
    /// in the same single walk of the tree.
    fn node_kinds(&self) -> &'static [&'static str] {
        &[]
    }

    /// Text without which this rule cannot report anything in a file of
    /// `language`: each group must have one of its strings somewhere in the
    /// file (as written; an all-lowercase string also matches its
    /// `Capitalized` and `UPPER` forms). The names of the calls the rule
    /// reports, the keywords of the constructs it reads. A file that lacks
    /// them is not checked by the rule, and a file no enabled rule can fire
    /// on is not parsed (see [`crate::prefilter`]): declare only what the
    /// rule's logic makes necessary. Empty, the default: every file.
    fn required_text(&self, language: Language) -> &'static [&'static [&'static str]] {
        let _ = language;
        &[]
    }

    /// Whether the rule reads test code (`tests/`, `test_*.py`,
    /// `*_test.go`...): a rule that returns early on it says so here, and
    /// is then not run on test files at all.
    fn checks_test_code(&self) -> bool {
        true
    }

    /// Checks one file.
    fn check(&self, cx: &FileContext, out: &mut Reporter);
}

/// Collects a file's findings.
pub struct Reporter<'a> {
    pub(crate) out: &'a mut Diagnostics,
}

impl Reporter<'_> {
    /// Reports `rule` on `node`; a suppression comment above the statement
    /// that contains it applies.
    pub fn report<'t>(
        &mut self,
        cx: &FileContext<'t>,
        rule: &'static RuleMeta,
        node: Node<'t>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.out.report(
            cx.file,
            cx.settings,
            rule,
            (node.start_byte(), node.end_byte()),
            cx.anchor(node),
            message,
            help,
        );
    }
}
