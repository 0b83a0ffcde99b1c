//! Author mistakes in `tests/fixtures/broken/`. Each file says on its first
//! line what is wrong and, on `// expect: LINE: TEXT` lines below it, where
//! each diagnostic must point and what it must say. Every diagnostic is
//! expected (no extra ones), each has a hint, and the rendered output is
//! snapshot-tested. Valid fixtures load without any diagnostic.

use meshstep_sim::Lesson;
use meshstep_sim::diagnostics::render;

fn dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/broken")
}

fn name(path: &std::path::Path) -> String {
    format!(
        "tests/fixtures/broken/{}",
        path.file_name().unwrap().to_string_lossy()
    )
}

/// The `// expect: LINE: TEXT` lines of a fixture's header.
fn expectations(src: &str) -> Vec<(usize, String)> {
    src.lines()
        .skip(1)
        .map_while(|l| l.strip_prefix("// expect: "))
        .map(|e| {
            let (line, text) = e.split_once(": ").expect("`// expect: LINE: TEXT`");
            (line.parse().expect("a line number"), text.to_string())
        })
        .collect()
}

#[test]
fn every_broken_fixture_is_reported_where_it_is_wrong() {
    let files = std::fs::read_dir(dir())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "ron")
        })
        .count();
    let mut count = 0;
    insta::glob!("../../../tests/fixtures", "broken/*.ron", |path| {
        count += 1;
        let src = std::fs::read_to_string(path).unwrap();
        let name = name(path);
        assert!(
            src.trim_start_matches('\u{feff}').starts_with("//"),
            "{name}: first line says what is wrong"
        );
        let want = expectations(&src);
        assert!(!want.is_empty(), "{name}: the header says what to expect");
        let diags = match Lesson::from_source(&name, &src) {
            Ok(l) => l.warnings,
            Err(d) => d,
        };
        let mut got: Vec<(usize, &str)> = Vec::new();
        for d in &diags {
            let (line, _) = d
                .line_col(&src)
                .unwrap_or_else(|| panic!("{name}: `{}` has no location", d.message));
            assert!(
                !d.hints.is_empty(),
                "{name}: `{}` says what would fix it",
                d.message
            );
            got.push((line, d.message.as_str()));
        }
        for (line, text) in &want {
            assert!(
                got.iter()
                    .any(|(l, m)| l == line && m.contains(text.as_str())),
                "{name}: expected `{text}` at line {line}; got {got:?}"
            );
        }
        for (line, message) in &got {
            assert!(
                want.iter().any(|(l, _)| l == line),
                "{name}: unexpected diagnostic at line {line}: {message}"
            );
        }
        let rendered = render(&name, &src, &diags);
        assert!(
            rendered.contains(&format!("{name}:")),
            "{name}: names file:line:col"
        );
        insta::assert_snapshot!(rendered);
    });
    assert_eq!(count, files, "every fixture is checked");
}

#[test]
fn valid_fixtures_and_examples_load_cleanly() {
    for rel in [
        "tests/fixtures/valid-minimal.ron",
        "tests/fixtures/valid-with-bom.ron",
        "docs/examples/worked-example.ron",
    ] {
        let path = format!("{}/../../{rel}", env!("CARGO_MANIFEST_DIR"));
        let src = std::fs::read_to_string(&path).unwrap();
        match Lesson::from_source(rel, &src) {
            Ok(l) => assert!(l.warnings.is_empty(), "{rel}: {:?}", l.warnings),
            Err(d) => panic!("{rel}:\n{}", render(rel, &src, &d)),
        }
    }
}

#[test]
fn diagnostics_are_the_same_every_time() {
    // Span lookup must not depend on hash-map order.
    for entry in std::fs::read_dir(dir()).unwrap() {
        let p = entry.unwrap().path();
        let src = std::fs::read_to_string(&p).unwrap();
        let first = Lesson::from_source("f", &src).err();
        for _ in 0..5 {
            assert_eq!(
                Lesson::from_source("f", &src).err(),
                first,
                "{}",
                p.display()
            );
        }
    }
}
