//! Rule metadata: one static [`RuleMeta`] per rule, written next to the rule's
//! code. `rules`, `explain`, docs/rules/*.md and SARIF rule descriptors are all
//! generated from it.

use crate::finding::Severity;

/// The kind of artifact a rule reads. A rule that reads several languages
/// (a code rule over Python, JavaScript, TypeScript and Go) names in its
/// [`RuleMeta`] the one its documentation examples are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    Sql,
    Python,
    JavaScript,
    /// TypeScript, TSX included.
    TypeScript,
    Go,
    /// A YAML document (an OpenAPI description, say).
    Yaml,
    /// A JSON document; JSON has no comments, so no inline suppressions.
    Json,
    /// GraphQL schema definition language.
    GraphQl,
    /// Protocol Buffers.
    Protobuf,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Sql => "sql",
            Language::Python => "python",
            Language::JavaScript => "javascript",
            Language::TypeScript => "typescript",
            Language::Go => "go",
            Language::Yaml => "yaml",
            Language::Json => "json",
            Language::GraphQl => "graphql",
            Language::Protobuf => "protobuf",
        }
    }

    /// How a line comment starts, for suppression examples.
    pub fn line_comment(self) -> &'static str {
        match self {
            Language::Sql => "--",
            Language::Python | Language::Yaml | Language::GraphQl => "#",
            Language::JavaScript | Language::TypeScript | Language::Go | Language::Protobuf => "//",
            // JSON has no comments; suppress with `ignore` in the configuration.
            Language::Json => "",
        }
    }

    /// Every way a comment starts in this language, for finding suppression
    /// comments: a marker after anything else (`#` in a JavaScript string,
    /// `--` in `i--`) is not a comment.
    pub fn comment_starts(self) -> &'static [&'static str] {
        match self {
            Language::Sql => &["--", "/*"],
            Language::Python | Language::Yaml | Language::GraphQl => &["#"],
            Language::JavaScript | Language::TypeScript | Language::Go | Language::Protobuf => {
                &["//", "/*"]
            }
            Language::Json => &[],
        }
    }
}

/// The user documentation of a rule, in the fixed shape every rule follows.
#[derive(Debug, Clone, Copy)]
pub struct RuleDocs {
    /// What it does: the condition that triggers it.
    pub what: &'static str,
    /// Why it matters in production.
    pub why: &'static str,
    /// The lock the statement takes and what it blocks, for migration rules;
    /// empty where no lock is involved.
    pub lock: &'static str,
    /// Code that triggers the rule.
    pub bad: &'static str,
    /// The same intent written safely.
    pub good: &'static str,
    /// How to fix it, step by step where it takes several steps.
    pub fix: &'static str,
}

/// Everything the engine and the docs know about a rule.
#[derive(Debug, Clone, Copy)]
pub struct RuleMeta {
    /// `<area>/<kebab-name>`; never changes once released.
    pub id: &'static str,
    /// Earlier ids of this rule, still accepted in config and suppressions.
    pub aliases: &'static [&'static str],
    pub severity: Severity,
    pub language: Language,
    /// Whether the rule runs without being selected explicitly.
    pub default_enabled: bool,
    /// One line, shown by `rules` and as the SARIF short description.
    pub summary: &'static str,
    pub docs: RuleDocs,
}

impl RuleMeta {
    /// The area part of the id (`migration` in `migration/ban-drop-table`).
    pub fn area(&self) -> &'static str {
        self.id.split_once('/').map_or(self.id, |(area, _)| area)
    }

    /// The first documentation field left empty (`summary`, `what`, `why`,
    /// `bad`, `good`, `fix`), if any: every rule must fill them all.
    pub fn empty_docs_field(&self) -> Option<&'static str> {
        let d = &self.docs;
        [
            ("summary", self.summary),
            ("what", d.what),
            ("why", d.why),
            ("bad", d.bad),
            ("good", d.good),
            ("fix", d.fix),
        ]
        .into_iter()
        .find(|(_, text)| text.trim().is_empty())
        .map(|(field, _)| field)
    }

    /// Whether `name` is this rule's id or one of its aliases.
    pub fn answers_to(&self, name: &str) -> bool {
        self.id == name || self.aliases.contains(&name)
    }

    /// The full Markdown page for this rule, as `explain` prints it and as
    /// docs/rules/<area>/<name>.md stores it.
    pub fn to_markdown(&self) -> String {
        let d = &self.docs;
        let mut out = format!(
            "# {}\n\n{}\n\n- Severity: **{}**\n- Enabled by default: {}\n- Language: {}\n",
            self.id,
            self.summary,
            self.severity,
            if self.default_enabled { "yes" } else { "no" },
            self.language.as_str()
        );
        if !self.aliases.is_empty() {
            out.push_str(&format!("- Also known as: {}\n", self.aliases.join(", ")));
        }
        out.push_str(&format!("\n## What it does\n\n{}\n", d.what.trim()));
        out.push_str(&format!("\n## Why it matters\n\n{}\n", d.why.trim()));
        if !d.lock.trim().is_empty() {
            out.push_str(&format!("\n## Lock taken\n\n{}\n", d.lock.trim()));
        }
        let fence = self.language.as_str();
        out.push_str(&format!(
            "\n## Example\n\n```{fence}\n{}\n```\n",
            d.bad.trim()
        ));
        out.push_str(&format!(
            "\n## Use instead\n\n```{fence}\n{}\n```\n",
            d.good.trim()
        ));
        out.push_str(&format!("\n## How to fix\n\n{}\n", d.fix.trim()));
        out.push_str(&format!(
            "\n## Suppressing\n\n```{fence}\n{} proagent-backend: ignore[{}] why this is safe here\n```\n",
            self.language.line_comment(),
            self.id
        ));
        out
    }
}
