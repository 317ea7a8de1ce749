//! The interface every API contract rule implements, and the reporter it
//! writes to. One trait for every contract format: a rule implements the
//! `check_*` method of each format it reads and leaves the others to their
//! empty defaults, so that adding a format never touches existing rules.

use crate::openapi::Spec;
use pab_core::{Diagnostics, RuleMeta, Settings, SourceFile};

/// A rule over API descriptions. Each lives in its own file under
/// src/rules/<area>/, named after what it reports, with its `RuleMeta`
/// beside it.
pub trait ApiRule: Sync {
    fn meta(&self) -> &'static RuleMeta;

    /// Checks one OpenAPI description (2.0, 3.0 or 3.1).
    fn check_openapi(&self, _cx: &Spec, _out: &mut Reporter) {}

    /// Checks one GraphQL SDL file (what parsed of it).
    fn check_graphql(&self, _cx: &crate::graphql::Schema, _out: &mut Reporter) {}

    /// Checks one protobuf file.
    fn check_proto(&self, _cx: &crate::proto::ProtoFile, _out: &mut Reporter) {}
}

/// Collects one file's findings, whatever its format.
pub struct Reporter<'a> {
    pub(crate) file: &'a SourceFile,
    pub(crate) settings: &'a Settings,
    pub(crate) out: &'a mut Diagnostics,
}

impl<'a> Reporter<'a> {
    pub fn new(file: &'a SourceFile, settings: &'a Settings, out: &'a mut Diagnostics) -> Self {
        Reporter {
            file,
            settings,
            out,
        }
    }

    /// Reports `rule` on bytes `range` of the file; a suppression comment on
    /// the line above applies.
    pub fn report(
        &mut self,
        rule: &'static RuleMeta,
        range: (usize, usize),
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.report_in(rule, range, range, message, help);
    }

    /// Reports `rule` on bytes `range`, inside the construct at bytes
    /// `anchor` (an operation): a suppression comment above the construct
    /// covers the finding.
    pub fn report_in(
        &mut self,
        rule: &'static RuleMeta,
        range: (usize, usize),
        anchor: (usize, usize),
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        if !self.settings.rules.is_enabled(rule) {
            return;
        }
        self.out
            .report(self.file, self.settings, rule, range, anchor, message, help);
    }

    /// The file being reviewed.
    pub fn file(&self) -> &SourceFile {
        self.file
    }

    /// The settings that govern the file.
    pub fn settings(&self) -> &Settings {
        self.settings
    }

    /// Records a note about the file at byte `offset`.
    pub fn note(&mut self, offset: Option<usize>, message: impl Into<String>) {
        let line = offset.map(|o| self.file.position(o).line);
        self.out.note(self.file, line, message);
    }
}
