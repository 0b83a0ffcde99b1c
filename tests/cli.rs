//! The `meshstep` command line as an instructor or a script uses it.
use std::process::Command;

mod cli_support;
use cli_support::{meshstep, text};

#[test]
fn check_passes_the_bundled_lessons_and_the_worked_example() {
    let o = meshstep(&[
        "check",
        "scenarios/mesh-vs-library.ron",
        "scenarios/why-mesh-matters.ron",
        "scenarios/mesh-overview.ron",
        "docs/examples/worked-example.ron",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout).matches("ok: ").count(), 4);
}

#[test]
fn check_fails_with_file_line_col_and_keeps_going_through_all_files() {
    let o = meshstep(&[
        "check",
        "tests/fixtures/broken/17-quiz-answer-disagrees.ron",
        "scenarios/mesh-overview.ron",
        "tests/fixtures/broken/03-step-field-typo.ron",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains("tests/fixtures/broken/17-quiz-answer-disagrees.ron:"),
        "{err}"
    );
    assert!(err.contains("did you mean `result`?"), "{err}");
    assert!(text(&o.stdout).contains("ok: scenarios/mesh-overview.ron"));
    let missing = meshstep(&["check", "no/such/lesson.ron"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("cannot read no/such/lesson.ron"));
}

#[test]
fn table_prints_markdown_csv_and_json() {
    let md = text(&meshstep(&["table", "mesh-vs-library"]).stdout);
    assert!(
        md.contains("## Process table") && md.contains("## Status tracker"),
        "{md}"
    );
    assert!(
        md.contains(
            "| 4 | Sidecar Proxy (checkout-mesh) | Intercepts the request and processes it |"
        ),
        "{md}"
    );
    let csv = text(&meshstep(&["table", "mesh-vs-library", "--format", "csv"]).stdout);
    assert!(
        csv.starts_with("Step,Component,Action,Result,Notes,Engine\n"),
        "{csv}"
    );
    let json = meshstep(&[
        "table",
        "scenarios/mesh-vs-library.ron",
        "--format",
        "json",
        "--seed",
        "3",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("valid JSON");
    assert_eq!(v["seed"], 3);
    assert_eq!(v["table"]["rows"].as_array().unwrap().len(), 9);
    // What the engine says happened at step 8: the mesh call's answer.
    let answer = &v["table"]["rows"][7]["outcome"]["Http"];
    assert_eq!(answer["status"], 200);
    assert_eq!(answer["encrypted"], true);
    assert_eq!(answer["latency_us"], 151_210);
    assert_eq!(
        v["tracker"]["lines"][2]["cells"][1]["text"],
        "Processing request"
    );
}

#[test]
fn faults_change_the_table() {
    let o = meshstep(&[
        "table",
        "mesh-vs-library",
        "--fault",
        "config-push-halted",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let statuses: Vec<&str> = v["table"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    // The control plane sees the change but pushes nothing: step 7 fails.
    assert_eq!(statuses[6], "Changed");
    assert_eq!(statuses.iter().filter(|s| **s != "AsWritten").count(), 1);
    assert_eq!(v["table"]["rows"][6]["outcome"]["Failed"], "PushHalted");
    let md = text(
        &meshstep(&[
            "table",
            "mesh-vs-library",
            "--fault",
            "no-sidecar=checkout-mesh",
        ])
        .stdout,
    );
    assert!(md.contains("faults: no-sidecar=checkout-mesh"));
    assert!(md.contains("DID NOT HAPPEN"));
    let bad = meshstep(&["table", "mesh-vs-library", "--fault", "gremlins"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("control-plane-down"),
        "lists the valid faults"
    );
    let unknown_pod = meshstep(&["table", "mesh-vs-library", "--fault", "no-sidecar=nope"]);
    assert_eq!(unknown_pod.status.code(), Some(2));
    assert!(text(&unknown_pod.stderr).contains("there is no pod `nope`"));
}

#[test]
fn run_prints_the_whole_trace_deterministically() {
    let a = meshstep(&[
        "run",
        "why-mesh-matters",
        "--format",
        "json",
        "--seed",
        "9",
        "--fault",
        "lossy=0.3",
    ]);
    let b = meshstep(&[
        "run",
        "why-mesh-matters",
        "--format",
        "json",
        "--seed",
        "9",
        "--fault",
        "lossy=0.3",
    ]);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
    let v: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.last().unwrap()["action"], "End");
    assert!(
        rows.iter().any(|r| r["step"] == "3"),
        "bound steps are marked"
    );
}

#[test]
fn lessons_lists_all_and_the_window_explains_a_missing_display() {
    let l = text(&meshstep(&["lessons"]).stdout);
    for id in ["mesh-vs-library", "why-mesh-matters", "mesh-overview"] {
        assert!(l.contains(id), "{l}");
    }
    let o = Command::new(env!("CARGO_BIN_EXE_meshstep"))
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("no display"),
        "{}",
        text(&o.stderr)
    );
    let bad = meshstep(&["no-such-lesson"]);
    assert_eq!(bad.status.code(), Some(2));
    let help = text(&meshstep(&["--help"]).stdout);
    for word in ["check", "table", "run", "--step", "--screenshot", "--light"] {
        assert!(help.contains(word), "{word} in --help");
    }
}

#[test]
fn run_still_shows_a_lesson_whose_wording_disagrees_with_the_engine() {
    let o = meshstep(&["run", "tests/fixtures/broken/20-tracker-cell-disagrees.ron"]);
    assert!(o.status.success());
    assert!(text(&o.stderr).contains("disagrees with the simulation"));
    assert!(text(&o.stdout).contains("| End |"));
    // but a structurally broken file does not run
    let o = meshstep(&["run", "tests/fixtures/broken/01-missing-comma.ron"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn an_installed_binary_has_the_bundled_lessons_without_the_source_tree() {
    let elsewhere = std::env::temp_dir();
    let o = Command::new(env!("CARGO_BIN_EXE_meshstep"))
        .args(["table", "mesh-overview"])
        .current_dir(&elsewhere)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("## Process table"));
    let o = Command::new(env!("CARGO_BIN_EXE_meshstep"))
        .args([
            "check",
            "mesh-vs-library",
            "why-mesh-matters",
            "mesh-overview",
        ])
        .current_dir(&elsewhere)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
}

#[test]
fn a_fork_point_and_a_share_link_give_the_same_run() {
    let by_flags = text(
        &meshstep(&[
            "table",
            "mesh-vs-library",
            "--fault",
            "control-plane-down",
            "--from-step",
            "5",
        ])
        .stdout,
    );
    let link = by_flags
        .lines()
        .find_map(|l| l.strip_prefix("share: "))
        .expect("the table names its share link")
        .to_string();
    assert_eq!(
        link,
        "#v=1&lesson=mesh-vs-library&faults=control-plane-down&from=step:5"
    );
    let by_link = text(&meshstep(&["table", "mesh-vs-library", "--link", &link]).stdout);
    assert_eq!(by_flags, by_link);
    // Steps up to 5 are as written; the push at 7 never comes.
    assert!(
        by_flags
            .contains("| 7 | Control Plane | Sends configuration and policies | DID NOT HAPPEN")
    );
    let bad = meshstep(&["table", "mesh-vs-library", "--link", "#faults=gremlins"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("unknown fault `gremlins`"));
}

#[test]
fn migrate_rewrites_a_round_one_lesson_and_says_what_is_left() {
    let o = meshstep(&[
        "migrate",
        "tests/fixtures/round1/mesh-overview.ron",
        "--stdout",
    ]);
    let out = text(&o.stdout);
    assert!(out.contains("flavour: Linkerd") && !out.contains("discovery"));
    let err = text(&o.stderr);
    assert!(err.contains("changed: `discovery: OnDemand` became `flavour: Linkerd`"));
    // The restarted pods come up a second later, after the lesson's call: that
    // timing is the author's to fix, and the error says where.
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.contains("mesh-overview.ron:") && err.contains("step 3:"),
        "{err}"
    );
    let o = meshstep(&[
        "migrate",
        "tests/fixtures/round1/mesh-vs-library.ron",
        "--stdout",
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a push still needs a config change"
    );
    let err = text(&o.stderr);
    assert!(
        err.contains("changed: removed `push_on_telemetry`"),
        "{err}"
    );
    assert!(err.contains("mesh-vs-library.ron:"), "located: {err}");
}

#[test]
fn compare_prints_the_engines_figures_in_every_format() {
    let md = meshstep(&["compare", "mesh-vs-library", "--requests", "50"]);
    assert!(md.status.success(), "{}", text(&md.stderr));
    let md = text(&md.stdout);
    assert!(
        md.starts_with("| Figure | No proxy | Library | Sidecar | Ambient |"),
        "{md}"
    );
    assert!(
        md.contains("| Hops per call | 1.0 | 1.0 | 3.0 | 2.0 |"),
        "{md}"
    );
    // The library is built for Java; payments is written in Go.
    assert!(
        md.contains("| Languages covered, no new code | 0 of 2 | 1 of 2 | 2 of 2 | 2 of 2 |"),
        "{md}"
    );

    let csv = meshstep(&[
        "compare",
        "mesh-vs-library",
        "--requests",
        "50",
        "--format",
        "csv",
        "--approach",
        "sidecar",
    ]);
    assert_eq!(text(&csv.stdout).lines().next(), Some("Figure,Sidecar"));

    let json = meshstep(&[
        "compare",
        "mesh-vs-library",
        "--requests",
        "50",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("valid JSON");
    let sidecar = &v["figures"][2];
    assert_eq!(sidecar["approach"], "Sidecar");
    assert_eq!(sidecar["calls"], 50);
    assert_eq!(sidecar["rollout"]["pods_restarted"], 0);
    assert!(sidecar["added_p50_us"].as_i64().unwrap() > 0);
}

#[test]
fn scale_runs_a_preset_reproducibly_and_refuses_out_of_range_sliders() {
    let args = [
        "scale",
        "--preset",
        "push-propagation",
        "--requests",
        "20000",
        "--format",
        "json",
    ];
    let a = meshstep(&args);
    assert!(a.status.success(), "{}", text(&a.stderr));
    assert_eq!(a.stdout, meshstep(&args).stdout, "same seed, same figures");
    let v: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    assert_eq!(v["params"]["pods"], 10_000);
    assert_eq!(v["sampled"], 20_000);

    let bad = meshstep(&["scale", "--pods", "5"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("pods must be between 10 and 10000"));
    let bad = meshstep(&["scale", "--preset", "nope"]);
    assert!(
        text(&bad.stderr).contains("push-propagation"),
        "lists the experiments"
    );
}

#[test]
fn new_writes_a_lesson_from_every_template_that_passes_check() {
    let dir = std::env::temp_dir().join(format!("meshstep-new-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for kind in ["single-call", "call-chain", "canary", "fault"] {
        let name = dir.join(format!("My {kind} lesson"));
        let name = name.to_str().unwrap();
        let o = meshstep(&["new", name, "--template", kind]);
        assert!(o.status.success(), "{kind}: {}", text(&o.stderr));
        let file = format!("{name}.ron");
        assert!(
            text(&o.stdout).contains(&format!("wrote \"{file}\" (template {kind})")),
            "{}",
            text(&o.stdout)
        );
        let body = std::fs::read_to_string(&file).unwrap();
        let id = format!("my-{kind}-lesson");
        assert!(
            body.contains(&format!("id: \"{id}\"")),
            "{kind}: the id comes from the name"
        );
        assert!(!body.contains("__"), "{kind}: a placeholder left");
        // Every optional section is there, each explained by a comment.
        for section in [
            "summary:",
            "labels:",
            "process_flow:",
            "execution_sample:",
            "tracker:",
            "key_moments:",
            "quiz:",
            "concept_snapshot:",
            "transcript:",
            "practice:",
            "what_if:",
            "deep_dive:",
            "generate:",
            "predict:",
        ] {
            assert!(body.contains(section), "{kind} has no {section}");
        }
        assert!(
            body.matches("docs/scenario-format.md").count() >= 10,
            "{kind}: comments point to the reference"
        );
        let o = meshstep(&["check", &file]);
        assert!(
            o.status.success(),
            "{kind}: {}{}",
            text(&o.stdout),
            text(&o.stderr)
        );
        assert!(
            !text(&o.stderr).contains("warning"),
            "{kind}: {}",
            text(&o.stderr)
        );
    }
    // An existing file is not overwritten without --force.
    let again = dir.join("My fault lesson");
    let o = meshstep(&["new", again.to_str().unwrap(), "--template", "fault"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("already exists"),
        "{}",
        text(&o.stderr)
    );
    let o = meshstep(&["new", again.to_str().unwrap(), "--force"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_web_src_link_is_the_lesson_to_open_on_the_desktop_too() {
    // With no display, the app cannot open, and says what works instead:
    // the same address in the text version.
    let o = meshstep(&["--link", "#v=1&src=https://example.org/l.ron&step=2"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("meshstep table https://example.org/l.ron"),
        "{err}"
    );
}

#[test]
fn export_writes_a_handout_with_figures_and_the_engines_answer_key() {
    use meshstep_sim::learning::grading::right_option;
    use meshstep_sim::lesson::quiz::letter;
    let dir = std::env::temp_dir().join(format!("meshstep-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let html = dir.join("h.html");
    let o = meshstep(&["export", "mesh-vs-library", "--out", html.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.matches("<svg").count() >= 3, "a figure per key step");
    // The answer key is on a page of its own, after the questions.
    let key = page.find("<h2>Answer key</h2>").expect("an answer key");
    assert!(page.find("<h2 class=\"new-page\">Quiz</h2>").unwrap() < key);
    assert!(
        page.contains(".answers { break-before: page; }")
            || page.contains(".new-page, .answers { break-before: page; }")
    );
    // Each right answer is the one the engine computes.
    let l = meshstep_sim::bundled::lesson("mesh-vs-library")
        .unwrap()
        .unwrap();
    let run = l
        .run(&meshstep_sim::RunOptions {
            seed: l.scenario.seed,
            ..Default::default()
        })
        .unwrap();
    for q in &l.scenario.quiz {
        let r = right_option(&l, &run, &q.asks, &q.options);
        let line = format!("<b>{}. {}</b>", letter(r), q.options[r].text);
        assert!(page[key..].contains(&line), "{line}");
    }
    // Markdown: the figures are SVG files beside it.
    let md = dir.join("h.md");
    let o = meshstep(&[
        "export",
        "canary",
        "--format",
        "md",
        "--out",
        md.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let body = std::fs::read_to_string(&md).unwrap();
    assert!(body.contains("## Answer key"));
    let figs: Vec<_> = std::fs::read_dir(dir.join("h-files")).unwrap().collect();
    assert!(figs.len() >= 2, "{figs:?}");
    assert!(body.contains("](h-files/step-1.svg)"));
    let _ = std::fs::remove_dir_all(&dir);
}
