//! Lessons from elsewhere, on the desktop and the command line: a pack's
//! index opens its lessons as a menu (a file that cannot be read or has
//! errors stays in it, marked); `meshstep check` reads lessons and packs
//! from web addresses (a local server stands in for a static host) and
//! says why an address fails; `meshstep link` packs a lesson into a link
//! that unpacks to the same file, and the app opens such a link.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use meshstep_ui::library::Entry;
use meshstep_ui::{LessonLibrary, Shell};

mod cli_support;
use cli_support::{meshstep, text};

/// A static host serving the repository's files over plain HTTP, as a
/// web server or a gist would; answers 404 for what is not there.
fn static_host() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut first = String::new();
            if reader.read_line(&mut first).is_err() {
                continue;
            }
            // The rest of the request's head.
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = first.split_whitespace().nth(1).unwrap_or("/");
            let file =
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path.trim_start_matches('/'));
            let (status, body) = match std::fs::read(&file) {
                Ok(b) => ("200 OK", b),
                Err(_) => ("404 Not Found", b"not here".to_vec()),
            };
            let mut out = &stream;
            let _ = write!(
                out,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = out.write_all(&body);
        }
    });
    format!("http://{addr}")
}

#[test]
fn a_pack_opens_as_a_menu_with_every_lesson_in_it() {
    let mut shell = Shell::new(LessonLibrary::bundled(), 0);
    meshstep::sources::open(&mut shell, "tests/fixtures/pack/week.ron").unwrap();
    let pack = shell.pack.clone().expect("a pack menu");
    assert!(shell.pack_open);
    assert_eq!(pack.title, "Week 3: a pack for the tests");
    assert_eq!(pack.lessons.len(), 4);
    let entry = |n: usize| {
        let i = shell.library.index_of(&pack.lessons[n]).unwrap();
        &shell.library.entries[i]
    };
    assert!(matches!(&entry(0).entry, Entry::Ready(l) if l.scenario.id == "strict-mtls-refusal"));
    assert!(entry(0).path.is_some(), "a file: hot reload watches it");
    assert!(matches!(&entry(1).entry, Entry::Broken { diagnostics, .. } if diagnostics.len() == 4));
    assert_eq!(entry(2).name, "canary");
    match &entry(3).entry {
        Entry::Broken { diagnostics, .. } => {
            assert!(
                diagnostics[0]
                    .message
                    .contains("missing.ron could not be loaded")
            )
        }
        Entry::Ready(_) => panic!("a missing file cannot open"),
    }
}

#[test]
fn check_reads_lessons_and_packs_from_web_addresses() {
    let host = static_host();
    let lesson = format!("{host}/docs/examples/worked-example.ron");
    let out = meshstep(&["check", &lesson]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(&format!("ok: {lesson}")));

    let out = meshstep(&["check", &format!("{host}/tests/fixtures/pack/week.ron")]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(
        out.status.code(),
        Some(1),
        "the pack has a broken and a missing lesson"
    );
    assert!(
        stdout.contains("pack: ") && stdout.contains("(4 lessons)"),
        "{stdout}"
    );
    assert!(stdout.contains("ok: canary (bundled)"), "{stdout}");
    assert!(
        stdout.contains("/docs/examples/worked-example.ron (6 steps"),
        "{stdout}"
    );
    assert!(
        stderr.contains("27-several-errors.ron: 4 error(s)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("missing.ron: the server answered HTTP 404"),
        "{stderr}"
    );

    let out = meshstep(&["check", &format!("{host}/nothing.ron")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("HTTP 404"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_link_carries_the_lesson_and_the_app_opens_it() {
    let out = meshstep(&[
        "link",
        "docs/examples/worked-example.ron",
        "--base",
        "https://x.org/m/",
        "--step",
        "3",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let link = text(&out.stdout).trim().to_string();
    assert!(link.starts_with("https://x.org/m/#v=1&lz="), "{link}");
    let (parsed, problems) = meshstep_sim::share::ShareLink::parse(link.split_once('#').unwrap().1);
    assert!(problems.is_empty());
    assert_eq!(parsed.step, Some(3));
    let file = std::fs::read_to_string("docs/examples/worked-example.ron").unwrap();
    assert_eq!(
        meshstep::sources::unpack(parsed.lz.as_deref().unwrap()).unwrap(),
        file
    );

    let mut shell = Shell::new(LessonLibrary::bundled(), 0);
    meshstep::sources::open_inline(&mut shell, parsed.lz.as_deref().unwrap()).unwrap();
    let v = shell.viewer.as_ref().unwrap();
    assert_eq!(v.lesson.scenario.id, "strict-mtls-refusal");
    assert!(
        shell.library.entries[shell.selected].lz.is_some(),
        "kept for the next link"
    );

    let broken = meshstep(&["link", "tests/fixtures/broken/27-several-errors.ron"]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(text(&broken.stderr).contains("fix the lesson first"));
}
