//! Fingerprints identify a finding across unrelated edits: they hash the rule,
//! the path and the flagged text with whitespace collapsed, never the line
//! number, plus an occurrence counter so that two identical statements in one
//! file stay distinct. Baselines and SARIF `partialFingerprints` use them.

use crate::finding::Finding;
use std::collections::HashMap;
use xxhash_rust::xxh3::xxh3_64;

/// Fills in `fingerprint` for findings of one file, which must be sorted by
/// position so that occurrence counters are stable.
pub fn assign(findings: &mut [Finding], text: &str) {
    let mut seen: HashMap<u64, u32> = HashMap::new();
    for f in findings {
        let snippet = text.get(f.span.start_byte..f.span.end_byte).unwrap_or("");
        let mut key = String::with_capacity(f.rule.len() + f.path.len() + snippet.len() + 4);
        key.push_str(f.rule);
        key.push('\0');
        key.push_str(&f.path);
        key.push('\0');
        for (i, word) in snippet.split_whitespace().enumerate() {
            if i > 0 {
                key.push(' ');
            }
            key.push_str(word);
        }
        let base = xxh3_64(key.as_bytes());
        let n = seen.entry(base).or_insert(0);
        *n += 1;
        key.push('\0');
        key.push_str(&n.to_string());
        f.fingerprint = format!("{:016x}", xxh3_64(key.as_bytes()));
    }
}
