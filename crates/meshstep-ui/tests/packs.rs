//! A lesson pack's menu: the pack's title and summary, each lesson with
//! its summary and size, a lesson that does not open marked with why;
//! "Open" shows the lesson and closes the menu, the top bar's 📚 brings it
//! back, and a link naming one of the pack's lessons opens that one.

use egui_kittest::kittest::Queryable;
use meshstep_ui::packs::{Fetched, Origin};
use meshstep_ui::{LessonLibrary, Shell};

mod shell_support;
use shell_support::harness;

const INDEX: &str = r#"Pack(
    title: "Week 3",
    summary: Some("Start with the first."),
    lessons: ["https://h.org/w/a.ron", "b.ron", "canary"],
)"#;

#[test]
fn the_menu_lists_the_lessons_and_opens_one() {
    let a = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/examples/worked-example.ron"
    ))
    .unwrap();
    let fetched = [
        Fetched {
            at: "https://h.org/w/a.ron".into(),
            text: Ok(a),
        },
        Fetched {
            at: "https://h.org/w/b.ron".into(),
            text: Err("the server answered HTTP 404".into()),
        },
    ];
    let mut shell = Shell::new(LessonLibrary::bundled(), 0);
    shell.open_pack(
        "week3.ron",
        INDEX,
        Origin::Url("https://h.org/w/week3.ron".into()),
        &fetched,
    );
    let mut h = harness(shell);
    h.run();
    assert!(h.query_by_label_contains("📚 Week 3").is_some());
    assert!(h.query_by_label_contains("Start with the first.").is_some());
    assert!(
        h.query_by_label_contains("1. Strict mTLS").is_some(),
        "the lesson's own title"
    );
    assert!(
        h.query_by_label_contains("6 steps · 1 quiz questions")
            .is_some()
    );
    assert!(h.query_by_label_contains("✖ does not open: 1 error(s). https://h.org/w/b.ron could not be loaded: the server answered HTTP 404").is_some());
    assert!(h.query_by_label_contains("3. Canary").is_some());

    // Open the first: the lesson shows and the menu goes.
    h.get_all_by_label("Open").next().unwrap().click();
    h.run();
    assert!(!h.state().pack_open);
    assert_eq!(
        h.state().viewer.as_ref().unwrap().lesson.scenario.id,
        "strict-mtls-refusal"
    );
    assert_eq!(
        h.state().library.entries[h.state().selected].url.as_deref(),
        Some("https://h.org/w/a.ron")
    );

    // 📚 brings the menu back; a link naming a pack lesson by id opens it.
    h.get_by_label("📚 Pack").click();
    h.run();
    assert!(h.state().pack_open);
    let (link, _) = meshstep_sim::share::ShareLink::parse("#lesson=canary&step=2");
    assert!(h.state_mut().open_link(&link).is_empty());
    h.run();
    assert!(!h.state().pack_open);
    let v = h.state().viewer.as_ref().unwrap();
    assert_eq!(
        (v.lesson.scenario.id.as_str(), v.current_step()),
        ("canary", Some(2))
    );
}

#[test]
fn a_broken_index_shows_its_located_problems() {
    let mut shell = Shell::new(LessonLibrary::bundled(), 0);
    let index = "Pack(title: \"W\", lessons: [\"a.ron\", \"nope\"])";
    shell.open_pack("w.ron", index, Origin::Path("w.ron".into()), &[]);
    assert!(shell.pack.is_none());
    let mut h = harness(shell);
    h.run();
    assert!(
        h.query_by_label_contains("w.ron cannot be opened")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("`nope` is neither a .ron file nor a bundled lesson")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("§6.5").is_some(),
        "names the reference's section"
    );
}
