//! The explore pages driven as a learner would: the side-by-side view lays
//! the same call out by phase through each approach and adds a column when
//! asked; the scale lab computes within a time budget per frame, and a myth's
//! "test it" opens it at its experiment.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use meshstep_sim::compare::Approach;
use std::time::Duration;

use meshstep_ui::explore::{Page, SCALE_SLICE};
use meshstep_ui::panels::UiAction;
use meshstep_ui::{LessonLibrary, Shell};

mod shell_support;

fn harness() -> Harness<'static, Shell> {
    let lib = LessonLibrary::bundled();
    let i = lib.index_of("mesh-vs-library").unwrap();
    shell_support::harness(Shell::new(lib, i))
}

#[test]
fn side_by_side_lays_one_call_out_by_phase_and_adds_a_column() {
    let mut h = harness();
    h.run();
    h.get_by_label(Page::SideBySide.label()).click();
    h.run();
    assert_eq!(h.state().explore.page, Some(Page::SideBySide));
    // The library has nothing in the phase a sidecar spends two rows on.
    assert!(
        h.query_by_label_contains("nothing: no proxy outside the app takes the call")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("Sidecar Proxy (checkout-lib): intercepts outbound request")
            .is_some()
    );
    assert!(h.query_by_label("Hops per call").is_some());
    h.get_by_label("☐ Ambient").click();
    h.run();
    let side = h.state().explore.side.as_ref().unwrap();
    assert_eq!(
        side.chosen,
        [Approach::Library, Approach::Sidecar, Approach::Ambient]
    );
    assert_eq!(side.columns.len(), 3);
    assert!(
        h.query_all_by_label_contains("ztunnel").count() >= 2,
        "ambient's column names the node's ztunnel"
    );
    // One cursor for every column.
    h.get_by_label("2 intercepted").click();
    h.run();
    assert_eq!(h.state().explore.side.as_ref().unwrap().cursor, 1);
    assert!(h.query_by_label("▶ intercepted").is_some());
    // Closing the page brings the flow view and the side panel back.
    h.get_by_label(Page::SideBySide.label()).click();
    h.run();
    assert_eq!(h.state().explore.page, None);
    assert!(h.query_by_label("Process table").is_some());
}

#[test]
fn the_scale_lab_computes_a_slice_at_a_time_until_done() {
    let mut h = harness();
    h.run();
    h.get_by_label(Page::ScaleLab.label()).click();
    h.run();
    assert!(h.state().needs_frames(), "a running lab asks for frames");
    // With no time to spare a frame samples one slice, then draws.
    h.state_mut().explore.scale.tick(Duration::ZERO);
    h.run();
    let first = h.state().explore.scale.result.as_ref().unwrap().sampled;
    assert_eq!(first, SCALE_SLICE);
    assert!(
        h.query_by_label_contains("sampling calls").is_some(),
        "the progress bar shows"
    );
    let mut frames = 1;
    while h.state().explore.scale.running() {
        h.state_mut().explore.scale.tick(Duration::ZERO);
        frames += 1;
    }
    h.run();
    let requests = h.state().explore.scale.params.requests;
    assert_eq!(frames, requests.div_ceil(SCALE_SLICE));
    assert!(
        !h.state().needs_frames(),
        "a finished lab lets the window idle"
    );
    assert!(h.query_by_label("Roll out one policy change").is_some());
    assert!(
        h.query_by_label("Proxy memory").is_some(),
        "the memory plot's title"
    );
    // The app's own tick gives each frame a time budget and returns within it.
    h.state_mut().apply(UiAction::TryExperiment("mesh-latency"));
    let t = std::time::Instant::now();
    h.state_mut().tick(0.016);
    assert!(
        t.elapsed() < Duration::from_millis(500),
        "one frame's work is bounded"
    );
    assert!(
        h.state().explore.scale.running(),
        "a million calls take more than one frame"
    );
}

#[test]
fn a_myths_experiment_opens_the_scale_lab_at_its_preset() {
    let mut h = harness();
    h.run();
    h.state_mut().apply(UiAction::OpenDeepDive);
    h.run();
    let label = "📈 Test it in the scale lab: Are libraries less work to operate than a mesh?";
    assert!(h.query_by_label(label).is_some());
    h.state_mut()
        .apply(UiAction::TryExperiment("library-operations"));
    h.run();
    let s = h.state();
    assert_eq!(s.explore.page, Some(Page::ScaleLab));
    assert!(!s.learn.deep_dive_open);
    assert_eq!(
        (
            s.explore.scale.params.pods,
            s.explore.scale.params.languages
        ),
        (2_000, 4)
    );
    assert!(
        h.query_by_label_contains("one policy change rebuilds every app")
            .is_some()
    );
}
