//! Prints a file's tree-sitter syntax tree with field names, for writing
//! rules: `cargo run -p pab_code --example sexp -- py app.py`
//! (`py`, `js`, `ts`, `tsx` or `go`).

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&args[2]).unwrap();
    let lang: tree_sitter::Language = match args[1].as_str() {
        "py" => tree_sitter_python::LANGUAGE.into(),
        "js" => tree_sitter_javascript::LANGUAGE.into(),
        "ts" => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        "tsx" => tree_sitter_typescript::LANGUAGE_TSX.into(),
        _ => tree_sitter_go::LANGUAGE.into(),
    };
    let mut p = tree_sitter::Parser::new();
    p.set_language(&lang).unwrap();
    let t = p.parse(&text, None).unwrap();
    print(t.root_node(), &text, 0, None);
}
fn print(n: tree_sitter::Node, text: &str, depth: usize, field: Option<&str>) {
    let leaf = n.child_count() == 0;
    println!(
        "{}{}{}{}",
        "  ".repeat(depth),
        field.map(|f| format!("{f}: ")).unwrap_or_default(),
        n.kind(),
        if leaf {
            format!(" {:?}", &text[n.byte_range()])
        } else {
            String::new()
        }
    );
    let mut c = n.walk();
    for (i, ch) in n.children(&mut c).enumerate() {
        print(ch, text, depth + 1, n.field_name_for_child(i as u32));
    }
}
