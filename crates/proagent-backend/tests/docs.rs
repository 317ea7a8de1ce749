//! docs/rules/ is generated from the rules' metadata; this test fails when it
//! is stale. `make docs` (UPDATE_DOCS=1) rewrites it.

use std::path::Path;

#[test]
fn docs_rules_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules");
    let engine = proagent_backend::engine();
    let pages = proagent_backend::rule_docs(&engine);
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let mut stale = Vec::new();
    for (path, content) in &pages {
        let file = root.join(path);
        if update {
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, content).unwrap();
        } else if std::fs::read_to_string(&file).ok().as_deref() != Some(content.as_str()) {
            stale.push(path.clone());
        }
    }
    // Pages of rules that no longer exist are stale too.
    let expected: std::collections::HashSet<_> = pages.iter().map(|(p, _)| p.clone()).collect();
    for area in std::fs::read_dir(&root).into_iter().flatten().flatten() {
        if !area.path().is_dir() {
            continue;
        }
        for page in std::fs::read_dir(area.path()).unwrap().flatten() {
            let rel = format!(
                "{}/{}",
                area.file_name().to_string_lossy(),
                page.file_name().to_string_lossy()
            );
            if !expected.contains(&rel) {
                if update {
                    std::fs::remove_file(page.path()).unwrap();
                } else {
                    stale.push(rel);
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "docs/rules is stale, run `make docs`: {stale:?}"
    );
}
