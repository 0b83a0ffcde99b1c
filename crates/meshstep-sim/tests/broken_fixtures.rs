//! Author mistakes in `tests/fixtures/broken/`: each is reported, with a
//! file:line:col inside the file and a hint, and the rendered diagnostics are
//! snapshot-tested. Valid fixtures load without any diagnostic.

use meshstep_sim::Lesson;
use meshstep_sim::diagnostics::render;

fn name(path: &std::path::Path) -> String {
    let dir = path
        .parent()
        .and_then(|p| p.file_name())
        .unwrap()
        .to_string_lossy();
    format!(
        "tests/fixtures/{dir}/{}",
        path.file_name().unwrap().to_string_lossy()
    )
}

#[test]
fn every_broken_fixture_is_reported_where_it_is_wrong() {
    let mut count = 0;
    insta::glob!("../../../tests/fixtures", "broken/*.ron", |path| {
        count += 1;
        let src = std::fs::read_to_string(path).unwrap();
        let name = name(path);
        assert!(
            src.trim_start_matches('\u{feff}').starts_with("//"),
            "{name}: first line says what is wrong"
        );
        let diags = match Lesson::from_source(&name, &src) {
            Ok(l) => l.warnings,
            Err(d) => d,
        };
        assert!(!diags.is_empty(), "{name}: the mistake is not reported");
        for d in &diags {
            let span = d
                .span
                .clone()
                .unwrap_or_else(|| panic!("{name}: `{}` has no location", d.message));
            assert!(span.end <= src.len(), "{name}: span inside the file");
            assert!(
                !d.hints.is_empty(),
                "{name}: `{}` says what would fix it",
                d.message
            );
        }
        let rendered = render(&name, &src, &diags);
        assert!(
            rendered.contains(&format!("{name}:")),
            "{name}: names file:line:col"
        );
        insta::assert_snapshot!(rendered);
    });
    assert!(count >= 20, "at least 20 kinds of mistakes ({count})");
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
    let path = format!("{}/../../tests/fixtures/broken", env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(path).unwrap() {
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
