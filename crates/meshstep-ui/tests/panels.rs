//! The egui panels driven as a learner would, without a window: the
//! highlighted row follows the step, changed tracker cells are marked, key
//! moments open at their step, shortcuts and clicks move the lesson.

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use meshstep_sim::{Fault, Lesson};
use meshstep_ui::panels::{self, UiAction};
use meshstep_ui::tabs::Tab;
use meshstep_ui::theme::palette;
use meshstep_ui::{LessonLibrary, Shell, Viewer};

mod shell_support;

fn viewer(id: &str) -> Viewer {
    let lib = LessonLibrary::bundled();
    let i = lib.index_of(id).unwrap();
    match &lib.entries[i].entry {
        meshstep_ui::library::Entry::Ready(l) => Viewer::new((**l).clone()).unwrap(),
        _ => panic!("{id} is bundled and valid"),
    }
}

fn lesson(id: &str) -> Lesson {
    viewer(id).lesson
}

#[test]
fn the_highlighted_table_row_follows_the_step() {
    let v = viewer("mesh-vs-library");
    let pal = palette(true);
    for current in [1u32, 4, 9] {
        let table = v.run.table.clone();
        let mut h = Harness::new_ui(move |ui| {
            panels::table_ui(
                ui,
                &table,
                panels::TableView {
                    current: Some(current),
                    hint: None,
                    ..Default::default()
                },
                &pal,
            );
        });
        h.run();
        assert!(
            h.query_by_label(&format!("▶ {current}")).is_some(),
            "row {current} is marked"
        );
        for other in [1u32, 4, 9].into_iter().filter(|o| *o != current) {
            assert!(
                h.query_by_label(&format!("▶ {other}")).is_none(),
                "only one row is marked"
            );
        }
    }
    // Before the first step nothing is marked.
    let table = v.run.table.clone();
    let mut h = Harness::new_ui(move |ui| {
        panels::table_ui(
            ui,
            &table,
            panels::TableView {
                current: None,
                hint: None,
                ..Default::default()
            },
            &pal,
        );
    });
    h.run();
    assert!(h.query_by_label_contains("▶").is_none());
}

#[test]
fn a_hint_marks_the_column_it_names_even_under_another_cell() {
    use meshstep_sim::scenario::schema::HintTarget;
    let pal = palette(true);
    // why-mesh-matters, quiz 3: "Pod status shows up in the System State Change column".
    let v = viewer("why-mesh-matters");
    let hint = v.lesson.scenario.quiz[2].hint_target.clone();
    assert_eq!(hint, Some(HintTarget::Column("System State Change".into())));
    let table = v.run.table.clone();
    let mut h = Harness::new_ui(move |ui| {
        panels::table_ui(
            ui,
            &table,
            panels::TableView {
                current: Some(2),
                hint: hint.as_ref(),
                ..Default::default()
            },
            &pal,
        );
    });
    h.run();
    let marked = h
        .query_all_by_label_contains(panels::HINT_MARK)
        .map(|n| {
            use egui_kittest::kittest::NodeT;
            let label = n.accesskit_node().label().filter(|l| !l.is_empty());
            label.or_else(|| n.value()).unwrap_or_default()
        })
        .collect::<Vec<_>>();
    assert_eq!(marked.len(), 6, "every row's state change: {marked:?}");
    assert!(
        marked
            .iter()
            .all(|m| m.starts_with("System State Change: ")),
        "{marked:?}"
    );
    // A header column is marked in its heading.
    let table = v.run.table.clone();
    let action = Some(HintTarget::Column("Action".into()));
    let mut h = Harness::new_ui(move |ui| {
        panels::table_ui(
            ui,
            &table,
            panels::TableView {
                current: Some(2),
                hint: action.as_ref(),
                ..Default::default()
            },
            &pal,
        );
    });
    h.run();
    assert!(
        h.query_by_label(&format!("Action{}", panels::HINT_MARK))
            .is_some()
    );
}

#[test]
fn tracker_cells_that_changed_at_the_checkpoint_are_marked() {
    let v = viewer("mesh-vs-library");
    let pal = palette(true);
    let tracker = v.run.tracker.clone();
    let ids = tracker.checkpoint_ids.clone();
    let render = |active: usize, now: bool| {
        let t = tracker.clone();
        let mut h = Harness::new_ui(move |ui| {
            panels::tracker_ui(ui, &t, Some(active), now, None, None, &pal)
        });
        h.run();
        h
    };
    let after6 = ids.iter().position(|c| c == "after-6").unwrap();
    let h = render(after6, true);
    assert!(h.query_by_label("• Reporting metrics").is_some());
    assert!(h.query_by_label("• Updating config").is_some());
    // unchanged since the previous checkpoint: not marked
    assert!(h.query_by_label("• Waiting for response").is_none());
    assert!(h.query_by_label("▶ After step 6").is_some());
    let after1 = ids.iter().position(|c| c == "after-1").unwrap();
    let h = render(after1, true);
    assert!(h.query_by_label("• Processing request").is_some());
    assert!(h.query_by_label("• Reporting metrics").is_none());
    // A later step in the same column: nothing changed at this step, nothing marked.
    let h = render(after1, false);
    assert!(h.query_by_label_contains("• ").is_none());
    assert!(h.query_by_label("Processing request").is_some());
}

#[test]
fn the_checkpoint_in_effect_follows_the_step() {
    use meshstep_sim::scenario::schema::CheckpointAt::*;
    let at = [
        Start,
        AfterStep(1.into()),
        AfterStep(3.into()),
        AfterStep(4.into()),
        AfterStep(6.into()),
        Final,
    ];
    assert_eq!(panels::active_checkpoint(&at, None, false), Some(0));
    assert_eq!(panels::active_checkpoint(&at, Some(2), false), Some(1));
    assert_eq!(panels::active_checkpoint(&at, Some(5), false), Some(3));
    assert_eq!(panels::active_checkpoint(&at, Some(9), true), Some(5));
    assert!(panels::checkpoint_is_now(
        &AfterStep(4.into()),
        Some(4),
        false
    ));
    assert!(!panels::checkpoint_is_now(
        &AfterStep(4.into()),
        Some(5),
        false
    ));
    assert!(panels::checkpoint_is_now(&Start, None, false));
}

#[test]
fn key_moments_open_at_the_step_they_refer_to() {
    let l = lesson("mesh-vs-library");
    let pal = palette(true);
    let moments = l.scenario.key_moments.clone();
    let cp_answer = moments
        .iter()
        .find(|m| m.steps == [6, 7])
        .unwrap()
        .answer
        .clone();
    let lib_answer = moments
        .iter()
        .find(|m| m.steps == [1])
        .unwrap()
        .answer
        .clone();
    let show = |step: u32| {
        let m = moments.clone();
        let mut h = Harness::new_ui(move |ui| {
            panels::key_moments_ui(ui, &m, Some(step), &pal);
        });
        h.run();
        h
    };
    let h = show(7);
    assert!(
        h.query_by_label(&cp_answer).is_some(),
        "the control-plane moment is open at step 7"
    );
    assert!(
        h.query_by_label(&lib_answer).is_none(),
        "the library moment stays closed"
    );
    let h = show(1);
    assert!(h.query_by_label(&lib_answer).is_some());
    assert!(h.query_by_label(&cp_answer).is_none());
}

#[test]
fn the_sample_line_follows_the_step() {
    let l = lesson("mesh-vs-library");
    let s = &l.scenario.execution_sample;
    assert_eq!(panels::current_sample_line(s, None), None);
    assert_eq!(panels::current_sample_line(s, Some(2)), Some(0));
    assert_eq!(panels::current_sample_line(s, Some(5)), Some(1));
    assert_eq!(panels::current_sample_line(s, Some(9)), Some(2));
}

fn shell_harness(shell: Shell) -> Harness<'static, Shell> {
    shell_support::harness(shell)
}

#[test]
fn keyboard_shortcuts_step_play_and_show_help() {
    let mut h = shell_harness(Shell::new(LessonLibrary::bundled(), 0));
    h.run();
    let step = |h: &Harness<'_, Shell>| h.state().viewer.as_ref().unwrap().current_step();
    assert_eq!(step(&h), None);
    h.key_press(egui::Key::ArrowRight);
    h.run();
    h.key_press(egui::Key::ArrowRight);
    h.run();
    assert_eq!(step(&h), Some(2));
    h.key_press(egui::Key::ArrowLeft);
    h.run();
    assert_eq!(step(&h), Some(1));
    h.key_press(egui::Key::End);
    h.run();
    assert_eq!(step(&h), Some(9));
    h.key_press(egui::Key::Home);
    h.run();
    assert_eq!(step(&h), None);
    h.key_press(egui::Key::Space);
    h.run();
    assert!(h.state().viewer.as_ref().unwrap().playing);
    assert!(h.query_by_label("Keyboard shortcuts").is_none());
    h.key_press(egui::Key::Questionmark);
    h.run();
    assert!(h.state().help_open);
    assert!(
        h.query_by_label("previous step (exactly the earlier state)")
            .is_some()
    );
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(!h.state().help_open);
}

#[test]
fn clicking_a_row_or_a_what_if_changes_the_view() {
    let mut h = shell_harness(Shell::new(LessonLibrary::bundled(), 0));
    h.run();
    // Click row 3 of the process table (below the start card): the view jumps there.
    let row3 = "Calls the payments service as if nothing were in between";
    h.get_by_label(row3).scroll_to_me();
    h.run();
    h.get_by_label(row3).click();
    h.run();
    assert_eq!(h.state().viewer.as_ref().unwrap().current_step(), Some(3));
    h.get_by_label(Tab::WhatIf.label()).click();
    h.run();
    h.get_by_label("Stop the control plane").click();
    h.run();
    let v = h.state().viewer.as_ref().unwrap();
    assert_eq!(v.faults(), [Fault::ControlPlaneDown]);
    assert_eq!(v.run.affected_steps(), [7]);
    assert!(h.query_by_label("Steps that changed: 7").is_some());
    let explanation = h.state().viewer.as_ref().unwrap().lesson.scenario.what_if[0]
        .explanation
        .clone();
    assert!(
        h.query_by_label(&explanation).is_some(),
        "what it teaches, beside it"
    );
    assert_eq!(
        h.state().viewer.as_ref().unwrap().current_step(),
        Some(3),
        "stays at the same step"
    );
    h.get_by_label("Back to the lesson as written").click();
    h.run();
    assert!(h.state().viewer.as_ref().unwrap().faults().is_empty());
}

#[test]
fn a_broken_lesson_shows_its_diagnostics_instead_of_the_lesson() {
    let mut lib = LessonLibrary::bundled();
    let i = lib.add_source("oops.ron", "Scenario(version: 1, id: \"x\", title: \"x\", topology: (pods: []), stimuli: [], steps: [(on: (component: \"kubectl\", action: Nope), action: \"a\", result: \"r\")])");
    let mut h = shell_harness(Shell::new(lib, i));
    h.run();
    assert!(h.state().viewer.is_none());
    assert!(h.query_by_label("oops.ron cannot be opened").is_some());
    assert!(
        h.query_by_label_contains("oops.ron:1:").is_some(),
        "names file:line:col"
    );
    // the picker still offers the bundled lessons
    h.state_mut().apply(UiAction::SelectLesson(0));
    h.run();
    assert!(h.state().viewer.is_some());
}

#[test]
fn stepping_back_shows_exactly_the_earlier_state() {
    let mut v = viewer("mesh-vs-library");
    v.step_forward();
    v.step_forward();
    v.step_forward();
    while v.animating() {
        v.tick(0.1);
    }
    let at3 = v.snapshot();
    v.step_forward();
    while v.animating() {
        v.tick(0.1);
    }
    assert_ne!(v.snapshot(), at3);
    v.step_back();
    assert!(!v.animating(), "back is a lookup, not an animation");
    assert_eq!(v.snapshot(), at3);
    assert_eq!(v.current_step(), Some(3));
    let row = v.cursor().unwrap();
    assert_eq!(v.snapshot(), v.run.trace.snapshot_after(Some(row)));
    // Step 3's row is the mesh app sending: it shows its own state there.
    let app = v.lesson.topology.find("checkout-mesh/app").unwrap();
    assert_eq!(
        v.snapshot().states[app.index()],
        meshstep_sim::State::SentToSidecar
    );
}

#[test]
fn playing_walks_every_step_then_stops() {
    let mut v = viewer("mesh-overview");
    v.toggle_play();
    let mut seen = Vec::new();
    for _ in 0..2000 {
        v.tick(0.05);
        if let Some(s) = v.current_step()
            && seen.last() != Some(&s)
        {
            seen.push(s);
        }
        if !v.playing {
            break;
        }
    }
    assert_eq!(seen, (1..=7).collect::<Vec<_>>());
    assert!(
        !v.playing && v.at_end() && !v.needs_frames(),
        "idle once played through"
    );
}

#[test]
fn the_side_panel_keeps_its_width_over_every_tab_and_step() {
    // Long unwrapped text once widened the panel past its own edge, so the
    // flow view drew beneath it, and the panel changed width between steps,
    // so the flow view jumped sideways as the learner stepped.
    for lesson in 0..3 {
        let mut h = Harness::builder()
            .with_size(egui::vec2(1280.0, 720.0))
            .build_ui_state(
                |ui, (shell, central): &mut (Shell, egui::Rect)| {
                    *central = meshstep_ui::shell_ui(ui, shell);
                },
                (
                    Shell::new(LessonLibrary::bundled(), lesson),
                    egui::Rect::NOTHING,
                ),
            );
        h.run();
        let first_edge = h.state().1.max.x;
        let title = h
            .state()
            .0
            .viewer
            .as_ref()
            .unwrap()
            .lesson
            .scenario
            .title
            .clone();
        let n = h.state().0.viewer.as_ref().unwrap().step_count();
        for tab in Tab::ALL {
            h.state_mut().0.apply(UiAction::OpenTab(tab));
            for step in [0, n / 2, n] {
                h.state_mut().0.apply(UiAction::JumpToStep(step));
                h.run();
                let central = h.state().1;
                let heading = h.get_by_label(&title).rect();
                assert!(
                    heading.min.x >= central.max.x - 0.5,
                    "lesson {lesson}, {tab:?}, step {step}: side panel text at {} starts left of the flow view's edge {}",
                    heading.min.x,
                    central.max.x
                );
                assert!(
                    (central.max.x - first_edge).abs() < 0.5,
                    "lesson {lesson}, {tab:?}, step {step}: the flow view's edge moved from {first_edge} to {}",
                    central.max.x
                );
                assert!(
                    central.width() >= 1280.0 * 0.5 - 1.0,
                    "lesson {lesson}: the flow view keeps at least half the window ({})",
                    central.width()
                );
            }
        }
    }
}

#[test]
fn a_share_link_opens_its_lesson_step_and_forked_run() {
    use meshstep_sim::scenario::schema::Onset;
    use meshstep_sim::share::ShareLink;
    let lib = LessonLibrary::bundled();
    let mut shell = Shell::with_learning(lib, 0, Default::default());
    let (link, problems) = ShareLink::parse(
        "#v=1&lesson=mesh-vs-library&step=8&faults=control-plane-down&from=step:5",
    );
    assert!(problems.is_empty());
    assert!(shell.open_link(&link).is_empty());
    let v = shell.viewer.as_ref().unwrap();
    assert_eq!(v.lesson.scenario.id, "mesh-vs-library");
    assert_eq!(v.current_step(), Some(8));
    assert_eq!(v.faults(), [Fault::ControlPlaneDown]);
    assert_eq!(v.fault_onset(), Some(Onset::AfterStep(5.into())));
    // The fork: steps up to 5 as written, the push at 7 gone.
    assert_eq!(v.run.affected_steps(), [7]);
    let (bad, _) = ShareLink::parse("#lesson=no-such-lesson");
    assert_eq!(shell.open_link(&bad).len(), 1);
}

#[test]
fn the_lab_forks_the_run_at_the_step_on_screen_and_undoes_it() {
    let mut h = shell_harness(Shell::new(LessonLibrary::bundled(), 0));
    h.run();
    h.state_mut().apply(UiAction::JumpToStep(3));
    h.get_by_label(Tab::WhatIf.label()).click();
    h.run();
    h.get_by_label("What-if lab").click();
    h.run();
    assert!(
        h.query_by_label_contains("Pick one to fork the run after step 3")
            .is_some()
    );
    h.get_by_label("Control plane down").click();
    h.run();
    let v = h.state().viewer.as_ref().unwrap();
    assert_eq!(v.faults(), [Fault::ControlPlaneDown]);
    assert_eq!(v.current_step(), Some(3), "stays at the step");
    let changed = v.run.affected_steps();
    assert!(
        !changed.is_empty() && changed.iter().all(|&s| s > 3),
        "{changed:?}"
    );
    assert!(
        h.query_by_label("This run is forked after step 3.")
            .is_some()
    );
    // The timeline marks where the run branches, in words as well as a line.
    assert!(h.query_by_label("Fork: after step 3").is_some());
    // What the fork changed, counted from the diff against the lesson as written.
    let d = v.diff.as_ref().expect("a forked run has a diff");
    assert!(d.shared > 0 && !d.is_empty());
    let summary = meshstep_ui::lab_ui::diff_summary(d);
    assert!(summary.starts_with("Against the lesson as written, after the fork:"));
    assert!(h.query_by_label(&summary).is_some(), "{summary}");
    // … and event by event: the push the dead control plane never makes is gone.
    let lines = &v.diff_lines;
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("− gone") && l.contains("pushes config")),
        "{lines:?}"
    );
    h.get_by_label("What changed, event by event").click();
    h.run();
    assert!(
        h.query_by_label(&h.state().viewer.as_ref().unwrap().diff_lines[0])
            .is_some()
    );
    h.get_by_label("Undo the fork").click();
    h.run();
    let v = h.state().viewer.as_ref().unwrap();
    assert!(v.faults().is_empty() && v.run.affected_steps().is_empty());
    assert!(v.diff.is_none());
    assert!(h.query_by_label_contains("Fork: after step").is_none());
}

#[test]
fn a_link_with_a_lab_setting_opens_the_forked_run() {
    use meshstep_sim::share::ShareLink;
    let lib = LessonLibrary::bundled();
    let i = lib.index_of("canary").unwrap();
    let mut shell = Shell::new(lib, i);
    let (link, problems) =
        ShareLink::parse("#v=1&lesson=canary&step=6&settings=retries-off:reviews&from=step:3");
    assert!(problems.is_empty());
    assert!(shell.open_link(&link).is_empty());
    let v = shell.viewer.as_ref().unwrap();
    let entry = meshstep_sim::lesson::lab::setting_by_id(&v.lab, "retries-off:reviews").unwrap();
    assert_eq!(v.changes(), entry.changes.as_slice());
    assert_eq!(
        v.fault_onset(),
        Some(meshstep_sim::scenario::schema::Onset::AfterStep(3.into()))
    );
    assert_eq!(v.current_step(), Some(6));
    // A setting the lesson's lab does not offer is said, not silently dropped.
    let (bad, _) = ShareLink::parse("#v=1&lesson=canary&settings=retries-off:nowhere");
    let problems = shell.open_link(&bad);
    assert!(
        problems.iter().any(|p| p.contains("retries-off:nowhere")),
        "{problems:?}"
    );
}

#[test]
fn no_text_style_is_smaller_than_twelve_points_in_either_theme() {
    let mut h = shell_harness(Shell::new(LessonLibrary::bundled(), 0));
    for _ in 0..2 {
        h.run();
        let small = h.ctx.global_style().text_styles[&egui::TextStyle::Small].size;
        assert!(
            small >= meshstep_ui::shell::MIN_TEXT_PX,
            "small text is {small} pt"
        );
        for (style, font) in &h.ctx.global_style().text_styles {
            assert!(font.size >= 12.0, "{style:?} is {} pt", font.size);
        }
        h.state_mut().apply(UiAction::ToggleTheme);
    }
}

#[test]
fn the_table_scrolls_to_the_current_row() {
    let mut h = shell_harness(Shell::new(LessonLibrary::bundled(), 0));
    h.state_mut().viewer.as_mut().unwrap().gates.clear();
    h.run();
    let last = h.state().viewer.as_ref().unwrap().step_count();
    let label = |h: &Harness<'_, Shell>, n: u32| {
        let r = &h.state().viewer.as_ref().unwrap().run.table.rows[n as usize - 1];
        format!("Step {n}: {}: {}", r.component, r.action_text)
    };
    let first = label(&h, 1);
    let end = label(&h, last);
    assert!(
        h.get_by_label(&end).rect().top() > 720.0,
        "the last row starts out of view"
    );
    h.state_mut().apply(UiAction::JumpToStep(last));
    h.run();
    h.run();
    let r = h.get_by_label(&end).rect();
    assert!(r.top() >= 0.0 && r.bottom() <= 720.0, "row {last} at {r:?}");
    h.state_mut().apply(UiAction::JumpToStep(1));
    h.run();
    h.run();
    let r = h.get_by_label(&first).rect();
    assert!(r.top() >= 0.0 && r.bottom() <= 720.0, "row 1 at {r:?}");
}

#[test]
fn a_step_opens_into_the_events_it_folds() {
    let lib = LessonLibrary::bundled();
    let i = lib.index_of("why-mesh-matters").unwrap();
    let mut h = shell_harness(Shell::new(lib, i));
    h.state_mut().apply(UiAction::JumpToStep(3));
    h.run();
    let events = h.state().viewer.as_ref().unwrap().events_of_step(3);
    assert!(events.len() >= 8, "the curl's hops: {events:#?}");
    assert!(
        events.iter().any(|e| e.contains("intercepts")),
        "{events:#?}"
    );
    let header = format!("Step 3: its {} engine events", events.len());
    h.get_by_label(&header).click();
    h.run();
    for e in &events {
        assert!(h.query_by_label(e).is_some(), "{e} listed");
    }
}

#[test]
fn the_current_step_says_why_it_happened() {
    let mut h = shell_harness(Shell::new(LessonLibrary::bundled(), 0));
    h.state_mut().apply(UiAction::JumpToStep(5));
    h.run();
    // Under the current row, and in the status bar: the same line.
    let lines: Vec<String> = h
        .query_all_by_label_contains("Why: Sidecar Proxy (checkout-mesh) forwards request because")
        .map(|n| {
            let a = n.accesskit_node();
            a.label().or(a.value()).unwrap_or_default().to_string()
        })
        .collect();
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(lines.iter().all(|l| l.contains("(step 4)")), "{lines:#?}");
    assert!(lines.iter().any(|l| l.contains("·  Why:")), "{lines:#?}");
}

#[test]
fn the_top_bar_leaves_the_host_its_corner() {
    // The page draws "Open file…" at the top right; the bar once ran under it.
    for width in [1280.0, 768.0] {
        let mut shell = Shell::new(LessonLibrary::bundled(), 0);
        shell.top_bar_reserve = 120.0;
        let mut h = shell_support::harness_sized(shell, width, 720.0);
        h.run();
        for label in ["?", "▤ Panel", "⚖ Side by side"] {
            let r = h.get_by_label(label).rect();
            assert!(
                r.right() <= width - 120.0 || r.top() > 40.0,
                "{width}: {label} at {r:?} is under the host's corner"
            );
        }
    }
}

#[test]
fn the_top_bar_keeps_one_row_at_1280_in_the_page_even_with_a_pack_open() {
    let mut shell = Shell::new(LessonLibrary::bundled(), 0);
    shell.top_bar_reserve = 120.0;
    let index = "Pack(title: \"W\", lessons: [\"canary\"])";
    shell.open_pack(
        "w.ron",
        index,
        meshstep_ui::packs::Origin::Path("w.ron".into()),
        &[],
    );
    shell.pack_open = false;
    let mut h = shell_support::harness_sized(shell, 1280.0, 720.0);
    h.run();
    let first = h.get_by_label("📚 Pack").rect();
    for label in ["?", "▤ Panel", "✏ Edit", "📚 Pack", "⚖ Side by side"] {
        let r = h.get_by_label(label).rect();
        assert!(
            (r.center().y - first.center().y).abs() < 2.0 && r.right() <= 1280.0 - 120.0,
            "{label} at {r:?} is not on the first row, left of the page's corner"
        );
    }
}

#[test]
fn the_sequence_chart_draws_each_message_and_hides_what_is_to_be_predicted() {
    use meshstep_ui::sequence_ui::{arrow_label, chart_spans};
    let mut h = shell_harness(Shell::new(LessonLibrary::bundled(), 0));
    h.state_mut().apply(UiAction::OpenTab(Tab::Sequence));
    h.state_mut().apply(UiAction::JumpToStep(3));
    h.run();
    // Step 4 is still to be predicted: nothing from then on is drawn.
    let (shown, all) = {
        let v = h.state().viewer.as_ref().unwrap();
        let shown: Vec<String> = chart_spans(v).iter().map(|p| arrow_label(v, p)).collect();
        (shown, v.packets.iter().filter(|p| p.from != p.to).count())
    };
    assert!(
        !shown.is_empty() && shown.len() < all,
        "{} of {all}",
        shown.len()
    );
    assert!(
        shown
            .iter()
            .all(|l| !l.contains("step 4") && !l.contains("step 7")),
        "{shown:#?}"
    );
    // Each is a named control; the library's request is one of them.
    for l in &shown {
        assert!(h.query_by_label(l).is_some(), "no arrow {l}");
    }
    let lib = "request: Library Proxy (checkout-lib) → Sidecar Proxy (payments-0) (step 2)";
    assert!(shown.iter().any(|l| l == lib), "{shown:#?}");
    // Clicking an arrow shows the step its message arrives in.
    h.get_by_label(lib).click();
    h.run();
    let step = h.state().viewer.as_ref().unwrap().current_step();
    assert!(step.is_some_and(|s| s >= 2), "{step:?}");
    // Once predicted, the rest appears.
    h.state_mut().viewer.as_mut().unwrap().gates.clear();
    h.run();
    let v = h.state().viewer.as_ref().unwrap();
    assert_eq!(chart_spans(v).len(), all);
}

#[test]
fn an_upright_tablet_gets_the_panel_under_the_full_width_flow_view() {
    let i = LessonLibrary::bundled()
        .index_of("mesh-vs-library")
        .unwrap();
    for (w, h, below) in [
        (768.0, 1024.0, true),
        (1024.0, 768.0, false),
        (1280.0, 720.0, false),
    ] {
        let mut harness = Harness::builder()
            .with_size(egui::vec2(w, h))
            .build_ui_state(
                |ui, (shell, central): &mut (Shell, egui::Rect)| {
                    *central = meshstep_ui::shell_ui(ui, shell);
                },
                (Shell::new(LessonLibrary::bundled(), i), egui::Rect::NOTHING),
            );
        harness.run();
        let central = harness.state().1;
        let tab = harness.get_by_label(Tab::Steps.label()).rect();
        if below {
            assert!(
                central.width() >= w - 20.0,
                "flow view {central:?} in {w}×{h}"
            );
            assert!(
                tab.min.y >= central.max.y,
                "tabs {tab:?} under the view {central:?}"
            );
            assert!(
                central.height() > 0.35 * h,
                "and the view keeps a good part: {central:?}"
            );
        } else {
            assert!(
                tab.min.x >= central.max.x,
                "tabs {tab:?} beside the view {central:?}"
            );
        }
    }
}
