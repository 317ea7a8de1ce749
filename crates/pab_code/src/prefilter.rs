//! A look at a file's text before it is parsed: which enabled rules can
//! report anything in it at all.
//!
//! Each rule declares, per language, the text without which it cannot fire
//! ([`CodeRule::required_text`]): the names of the calls it reports, the
//! keywords of the constructs it reads. Most files of a code base contain
//! none of what most rules need, so a rule that cannot fire is not run, and
//! a file no rule can fire on, with no query call for the embedded-SQL
//! check and no web framework for the endpoint inventory, is not parsed at
//! all: parsing and the shared analysis are most of a review's cost. Like
//! semgrep's own pre-filter, this only ever skips work whose result would
//! be empty; `tests/prefilter.rs` checks that every fixture gets the same
//! diagnostics with and without it.
//!
//! One Aho-Corasick automaton per grammar holds every rule's strings and
//! finds the ones present in a single pass over the text.

use crate::lang::Lang;
use crate::names;
use crate::rule::CodeRule;
use crate::rules::ALL_RULES;
use crate::sinks::QUERY_SINKS;
use aho_corasick::AhoCorasick;
use pab_core::SourceFile;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The needles of one grammar: the automaton and, per needle as written
/// by a rule, the automaton's patterns that stand for it.
struct Needles {
    automaton: Option<AhoCorasick>,
    patterns: HashMap<&'static str, Vec<usize>>,
    count: usize,
}

/// The strings a file may show a needle as: the needle itself and, for an
/// all-lowercase needle, its `Capitalized` and `UPPER` forms. Rules compare
/// names word by word (`dbPassword`, `DB_PASSWORD`, `Access-Control-...`),
/// and a word is written in one of these three cases.
fn variants(needle: &str) -> Vec<String> {
    let mut out = vec![needle.to_string()];
    if needle.chars().any(|c| c.is_ascii_uppercase()) {
        return out;
    }
    let mut capitalized = String::with_capacity(needle.len());
    for (i, c) in needle.chars().enumerate() {
        capitalized.push(if i == 0 { c.to_ascii_uppercase() } else { c });
    }
    out.push(capitalized);
    out.push(needle.to_ascii_uppercase());
    out.dedup();
    out
}

/// Every string a rule or the embedded-SQL check asks about for `lang`.
fn needles_of(lang: Lang) -> &'static Needles {
    static TABLES: [OnceLock<Needles>; 5] = [const { OnceLock::new() }; 5];
    TABLES[lang as usize].get_or_init(|| {
        let language = lang.language();
        let mut wanted: Vec<&'static str> = ALL_RULES
            .iter()
            .filter(|r| r.languages().contains(&language))
            .flat_map(|r| r.required_text(language).iter())
            .flat_map(|group| group.iter().copied())
            .chain(sink_names(lang))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut strings = Vec::new();
        let mut patterns: HashMap<&'static str, Vec<usize>> = HashMap::new();
        for needle in wanted {
            for variant in variants(needle) {
                patterns.entry(needle).or_default().push(strings.len());
                strings.push(variant);
            }
        }
        Needles {
            // Without an automaton every rule runs: slower, never wrong.
            automaton: AhoCorasick::new(&strings).ok(),
            patterns,
            count: strings.len(),
        }
    })
}

/// The names of the calls that run SQL in `lang`: a file with none of them
/// has no query for the embedded-SQL check.
fn sink_names(lang: Lang) -> impl Iterator<Item = &'static str> {
    let language = lang.language();
    QUERY_SINKS
        .iter()
        .filter(move |s| s.languages.contains(&language))
        .map(|s| s.name)
}

/// Which of the needles occur in a file.
pub struct Present {
    needles: &'static Needles,
    /// Per automaton pattern; `None` when there is no automaton: then
    /// everything counts as present.
    found: Option<Vec<bool>>,
}

impl Present {
    /// Scans `text` once for every needle of `lang`.
    pub fn scan(lang: Lang, text: &str) -> Present {
        Present::scan_until(lang, text, |_| false)
    }

    /// Scans `text` for the needles of `lang` until `enough` holds: what is
    /// found later could not change the answer. `enough` is asked each time
    /// a needle is seen for the first time, so at most once per needle.
    pub fn scan_until(lang: Lang, text: &str, enough: impl Fn(&Present) -> bool) -> Present {
        let needles = needles_of(lang);
        let Some(ac) = needles.automaton.as_ref() else {
            return Present {
                needles,
                found: None,
            };
        };
        let mut present = Present {
            needles,
            found: Some(vec![false; needles.count]),
        };
        for m in ac.find_overlapping_iter(text) {
            let new = present
                .found
                .as_mut()
                .and_then(|f| f.get_mut(m.pattern().as_usize()))
                .is_some_and(|slot| !std::mem::replace(slot, true));
            if new && enough(&present) {
                break;
            }
        }
        present
    }

    /// Whether `needle` (one a rule or the sinks declared) occurs.
    fn has(&self, needle: &str) -> bool {
        let Some(found) = &self.found else {
            return true;
        };
        match self.needles.patterns.get(needle) {
            Some(ids) => ids.iter().any(|&i| found.get(i).copied().unwrap_or(true)),
            // Not in the automaton (cannot happen for declared needles):
            // assume it is there.
            None => true,
        }
    }

    /// Whether `rule` can report anything in a file of `lang` with this
    /// text: every group of its required text has a string that occurs.
    pub fn may_fire(&self, rule: &dyn CodeRule, lang: Lang) -> bool {
        rule.required_text(lang.language())
            .iter()
            .all(|group| group.iter().any(|n| self.has(n)))
    }

    /// Whether the file calls something that runs SQL (by name): only then
    /// can it hold an embedded query.
    pub fn may_query(&self, lang: Lang) -> bool {
        sink_names(lang).any(|n| self.has(n))
    }
}

/// The enabled rules that can fire on `file`, and whether the file needs
/// its parse tree at all: for one of them, for an embedded query (a query
/// call by name), or for the endpoint inventory (a web framework is
/// mentioned: `framework`, the analyzer's
/// [`crate::endpoints::mentions_framework`]).
pub fn select<'r>(
    lang: Lang,
    file: &SourceFile,
    enabled: Vec<&'r dyn CodeRule>,
    framework: bool,
) -> (Vec<&'r dyn CodeRule>, bool) {
    let test_code = names::is_test_path(&file.path);
    let candidates: Vec<&dyn CodeRule> = enabled
        .into_iter()
        .filter(|r| !test_code || r.checks_test_code())
        // The `api/*` rules read the file's routes, which are only
        // extracted from files that mention a framework.
        .filter(|r| r.meta().area() != "api" || framework)
        .collect();
    // Most files soon show every string that matters: stop there.
    let present = Present::scan_until(lang, &file.text, |p| {
        p.may_query(lang) && candidates.iter().all(|r| p.may_fire(*r, lang))
    });
    let run: Vec<&dyn CodeRule> = candidates
        .into_iter()
        .filter(|r| present.may_fire(*r, lang))
        .collect();
    let needs_tree = !run.is_empty() || framework || present.may_query(lang);
    (run, needs_tree)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needles_match_the_cases_words_are_written_in() {
        assert_eq!(variants("password"), ["password", "Password", "PASSWORD"]);
        assert_eq!(variants("Function"), ["Function"]);
        let present = Present::scan(Lang::Python, "DB_PASSWORD = os.environ['X']\n");
        assert!(present.has("pass"));
        assert!(!present.has("secret"));
    }

    /// The SQL-injection rule's declared names cover every query call.
    #[test]
    fn every_query_call_passes_the_sql_injection_filter() {
        let rule = ALL_RULES
            .iter()
            .find(|r| r.meta().id == "security/sql-injection")
            .expect("the rule");
        for lang in [Lang::Python, Lang::JavaScript, Lang::TypeScript, Lang::Go] {
            for sink in sink_names(lang) {
                let present = Present::scan(lang, &format!("x.{sink}(q)"));
                assert!(present.may_fire(*rule, lang), "{lang:?} {sink}");
            }
        }
    }

    #[test]
    fn a_file_without_query_calls_has_no_embedded_sql() {
        assert!(
            !Present::scan(Lang::Python, "def f(x):\n    return x + 1\n").may_query(Lang::Python)
        );
        assert!(Present::scan(Lang::Python, "cur.execute('SELECT 1')\n").may_query(Lang::Python));
        assert!(Present::scan(Lang::Go, "db.QueryRow(q)\n").may_query(Lang::Go));
    }
}
