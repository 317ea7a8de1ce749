//! The interface every SQL rule implements, and the reporter it writes to.

use crate::classify::StmtKind;
use crate::context::Context;
use crate::stmt::Stmt;
use pab_core::{Diagnostics, RuleMeta};
use std::collections::HashSet;

/// A rule over PostgreSQL statements. Each lives in its own file under
/// src/rules/<area>/, named after what it reports.
pub trait SqlRule: Sync {
    fn meta(&self) -> &'static RuleMeta;

    /// The statement kinds this rule reads; only these are parsed for it.
    fn kinds(&self) -> &'static [StmtKind];

    /// Checks one statement, with the file context as it stands before it.
    fn check(&self, stmt: &Stmt, cx: &Context, out: &mut Reporter);

    /// Runs once after the last statement, for rules about the whole file.
    fn finish(&self, _cx: &Context, _out: &mut Reporter) {}
}

/// Collects a file's findings, anchored to the statement being checked.
pub struct Reporter<'a> {
    pub(crate) out: &'a mut Diagnostics,
    pub(crate) anchor: (usize, usize),
    reported_once: HashSet<&'static str>,
}

impl<'a> Reporter<'a> {
    pub(crate) fn new(out: &'a mut Diagnostics) -> Self {
        Reporter {
            out,
            anchor: (0, 0),
            reported_once: HashSet::new(),
        }
    }

    /// Reports `rule` on file bytes `range` of the current statement.
    pub fn report(
        &mut self,
        cx: &Context,
        rule: &'static RuleMeta,
        range: (usize, usize),
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.report_anchored(cx, rule, range, self.anchor, message, help);
    }

    /// Reports with an explicit anchor (for findings made in `finish`).
    pub fn report_anchored(
        &mut self,
        cx: &Context,
        rule: &'static RuleMeta,
        range: (usize, usize),
        anchor: (usize, usize),
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.out
            .report(cx.file, cx.settings, rule, range, anchor, message, help);
    }

    /// Whether `rule` has not yet reported in this file (and marks it as
    /// reported): for rules that say something once per file.
    pub fn first_time(&mut self, rule: &'static RuleMeta) -> bool {
        self.reported_once.insert(rule.id)
    }
}
