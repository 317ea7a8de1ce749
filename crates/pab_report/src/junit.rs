//! `--format junit`: JUnit XML, which most CI systems show as a test report.
//! One `<testsuite>` per file, one failing `<testcase>` per finding (its
//! `type` is the severity), file errors as `<error>`, notes as the suite's
//! `<system-out>`. Files seen only through notes get one passing testcase,
//! and reviewed files without anything to say share one passing suite, since
//! the report knows only how many there were.

use crate::view::{location, plural, View};
use crate::RenderOptions;
use pab_core::{FileError, Finding, Note};
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use std::collections::BTreeMap;
use std::io::{self, Write};

#[derive(Default)]
struct FileItems<'a> {
    findings: Vec<&'a Finding>,
    errors: Vec<&'a FileError>,
    notes: Vec<&'a Note>,
}

impl FileItems<'_> {
    /// Testcases in this file's suite: one per finding and error, or a
    /// single passing one.
    fn tests(&self) -> usize {
        (self.findings.len() + self.errors.len()).max(1)
    }
}

pub(crate) fn render(view: &View, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let mut files: BTreeMap<&str, FileItems> = BTreeMap::new();
    for f in &view.findings {
        files.entry(&f.path).or_default().findings.push(f);
    }
    for e in &view.errors {
        files.entry(&e.path).or_default().errors.push(e);
    }
    for n in &view.notes {
        files.entry(&n.path).or_default().notes.push(n);
    }
    let clean = view.clean_files();
    let tests = files.values().map(FileItems::tests).sum::<usize>() + usize::from(clean > 0);

    let mut xml = Writer::new_with_indent(&mut *out, b' ', 2);
    xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let time = format!("{:.3}", view.report.duration.as_secs_f64());
    let version = format!("proagent-backend {}", options.tool_version);
    xml.write_event(Event::Start(BytesStart::new("testsuites").with_attributes(
        [
            ("name", version.as_str()),
            ("tests", &tests.to_string()),
            ("failures", &view.findings.len().to_string()),
            ("errors", &view.errors.len().to_string()),
            ("time", &time),
        ],
    )))?;
    for (path, items) in &files {
        write_suite(&mut xml, path, items)?;
    }
    if clean > 0 {
        let name = "files without findings";
        xml.write_event(Event::Start(suite_start(name, 1, 0, 0)))?;
        xml.create_element("testcase")
            .with_attributes([
                (
                    "name",
                    clean_xml(&format!(
                        "{} reviewed without findings",
                        plural(clean, "file", "files")
                    ))
                    .as_str(),
                ),
                ("classname", name),
            ])
            .write_empty()?;
        xml.write_event(Event::End(BytesEnd::new("testsuite")))?;
    }
    xml.write_event(Event::End(BytesEnd::new("testsuites")))?;
    writeln!(out)
}

fn suite_start(name: &str, tests: usize, failures: usize, errors: usize) -> BytesStart<'static> {
    BytesStart::new("testsuite").with_attributes([
        ("name", clean_xml(name).as_str()),
        ("tests", &tests.to_string()),
        ("failures", &failures.to_string()),
        ("errors", &errors.to_string()),
    ])
}

fn write_suite<W: Write>(xml: &mut Writer<W>, path: &str, items: &FileItems) -> io::Result<()> {
    let classname = clean_xml(path);
    xml.write_event(Event::Start(suite_start(
        path,
        items.tests(),
        items.findings.len(),
        items.errors.len(),
    )))?;
    for f in &items.findings {
        let name = format!("{} (line {})", f.rule, f.span.start.line);
        let mut body = f.message.clone();
        if !f.help.is_empty() {
            body.push_str("\nhelp: ");
            body.push_str(&f.help);
        }
        body.push_str("\nat ");
        body.push_str(&location(
            path,
            Some(f.span.start.line),
            Some(f.span.start.column),
        ));
        xml.create_element("testcase")
            .with_attributes([
                ("name", clean_xml(&name).as_str()),
                ("classname", &classname),
            ])
            .write_inner_content(|xml| {
                xml.create_element("failure")
                    .with_attributes([
                        ("message", clean_xml(&f.message).as_str()),
                        ("type", f.severity.as_str()),
                    ])
                    .write_text_content(text(&body))?;
                Ok(())
            })?;
    }
    for e in &items.errors {
        let name = match e.line {
            Some(line) => format!("file error (line {line})"),
            None => "file error".to_string(),
        };
        let body = format!("{}: {}", location(path, e.line, e.column), e.message);
        xml.create_element("testcase")
            .with_attributes([("name", name.as_str()), ("classname", &classname)])
            .write_inner_content(|xml| {
                xml.create_element("error")
                    .with_attributes([
                        ("message", clean_xml(&e.message).as_str()),
                        ("type", "error"),
                    ])
                    .write_text_content(text(&body))?;
                Ok(())
            })?;
    }
    if items.findings.is_empty() && items.errors.is_empty() {
        // Known to the report only through notes: reviewed, nothing found.
        xml.create_element("testcase")
            .with_attributes([("name", "review"), ("classname", classname.as_str())])
            .write_empty()?;
    }
    if !items.notes.is_empty() {
        let notes: Vec<String> = items
            .notes
            .iter()
            .map(|n| format!("note: {}: {}", location(path, n.line, None), n.message))
            .collect();
        xml.create_element("system-out")
            .write_text_content(text(&notes.join("\n")))?;
    }
    xml.write_event(Event::End(BytesEnd::new("testsuite")))
}

/// Element text: only `<`, `>` and `&` need escaping there, and leaving
/// quotes alone keeps the report readable as plain text in CI logs.
fn text(s: &str) -> BytesText<'static> {
    BytesText::from_escaped(partial_escape(clean_xml(s)).into_owned())
}

/// Replaces characters XML 1.0 forbids even when escaped (most control
/// characters), which a path or a message quoting SQL may contain; the XML
/// escaping of `<`, `&` and quotes is quick-xml's job.
fn clean_xml(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{finding, render_report, rendered, DROP_TABLE};
    use crate::Format;
    use pab_core::Report;
    use quick_xml::events::Event;
    use quick_xml::Reader;

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered(Format::Junit));
    }

    /// Parses `xml` fully and returns (element name, attributes) of every
    /// start or empty element; panics if it is not well-formed.
    fn elements(xml: &str) -> Vec<(String, BTreeMap<String, String>)> {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().check_end_names = true;
        let mut found = Vec::new();
        loop {
            match reader.read_event() {
                Ok(Event::Eof) => break,
                Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                    let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                    let attrs = e
                        .attributes()
                        .map(|a| {
                            let a = a.expect("well-formed attribute");
                            let value = a.unescape_value().expect("valid escapes").into_owned();
                            (String::from_utf8(a.key.as_ref().to_vec()).unwrap(), value)
                        })
                        .collect();
                    found.push((name, attrs));
                }
                Ok(Event::Text(t)) => {
                    t.decode().expect("valid text");
                }
                Ok(_) => {}
                Err(e) => panic!("not well-formed at {}: {e}\n{xml}", reader.error_position()),
            }
        }
        found
    }

    #[test]
    fn well_formed_with_consistent_counts() {
        let out = rendered(Format::Junit);
        let elements = elements(&out);
        let (name, root) = &elements[0];
        assert_eq!(name, "testsuites");
        assert_eq!(root["tests"], "6");
        assert_eq!(root["failures"], "4");
        assert_eq!(root["errors"], "1");
        let suites: Vec<_> = elements.iter().filter(|(n, _)| n == "testsuite").collect();
        let names: Vec<&str> = suites.iter().map(|(_, a)| a["name"].as_str()).collect();
        assert_eq!(
            names,
            [
                "migrations/001_init.sql",
                "migrations/002_users.sql",
                "migrations/003_broken.sql",
                "files without findings"
            ]
        );
        let testcases = elements.iter().filter(|(n, _)| n == "testcase").count();
        assert_eq!(testcases.to_string(), root["tests"]);
        let failure = elements.iter().find(|(n, _)| n == "failure").unwrap();
        assert_eq!(failure.1["type"], "suggestion");
    }

    #[test]
    fn control_characters_and_markup_survive() {
        let f = finding(
            &DROP_TABLE,
            "a<&\u{1}>.sql",
            (1, 1),
            (1, 2),
            1,
            "x\n",
            "bad \u{1b}[31m <tag> & \"quotes\"",
            "fix ]]> it",
        );
        let report = Report {
            findings: vec![f],
            files: 1,
            ..Report::default()
        };
        let out = render_report(Format::Junit, &report);
        assert!(!out.contains('\u{1}') && !out.contains('\u{1b}'));
        let elements = elements(&out);
        let suite = elements.iter().find(|(n, _)| n == "testsuite").unwrap();
        assert_eq!(suite.1["name"], "a<&\u{fffd}>.sql");
        let failure = elements.iter().find(|(n, _)| n == "failure").unwrap();
        assert_eq!(failure.1["message"], "bad \u{fffd}[31m <tag> & \"quotes\"");
    }
}
