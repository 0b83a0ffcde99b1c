//! The real window: the app under Xvfb with Mesa's software renderer, driven
//! to a step by `--step`, saves a screenshot with bevy's screenshot API and
//! exits; the image must have the window's size and real content.
//!
//! Needs Xvfb and Mesa (`scripts/install-system-deps.sh`), so it is ignored by
//! a plain `cargo test`; `scripts/check.sh` runs it with `--ignored`.

use std::path::Path;
use std::process::Command;

fn screenshot(args: &[&str], out: &Path, w: u32, h: u32) -> image::RgbImage {
    let status = Command::new("xvfb-run")
        .args(["-a", "-s", &format!("-screen 0 {w}x{h}x24")])
        .arg(env!("CARGO_BIN_EXE_meshstep"))
        .args(args)
        .args(["--size", &format!("{w}x{h}"), "--screenshot"])
        .arg(out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("RUST_LOG", "error")
        // never the tester's own saved progress
        .env(
            "MESHSTEP_DATA_DIR",
            std::env::temp_dir().join("meshstep-window-test-data"),
        )
        .env("XDG_RUNTIME_DIR", std::env::temp_dir())
        .status()
        .expect("xvfb-run is installed (scripts/install-system-deps.sh)");
    assert!(status.success(), "meshstep {args:?} exited with {status}");
    image::open(out).expect("a PNG was written").to_rgb8()
}

/// Not blank: many colours, and text-like detail (strong neighbour contrast)
/// in the left half and, for lesson views (flow view left, panels right), the right.
fn assert_has_content(img: &image::RgbImage, what: &str) {
    assert_detail(img, what, true);
}

/// Strong neighbour contrasts (text, box edges) in columns `x0..x1`.
fn edges_in(img: &image::RgbImage, x0: u32, x1: u32) -> usize {
    let mut edges = 0;
    for y in (0..img.height()).step_by(3) {
        for x in (x0.max(1)..x1).step_by(2) {
            let (a, b) = (img.get_pixel(x - 1, y).0, img.get_pixel(x, y).0);
            let d: i32 = (0..3)
                .map(|i| (i32::from(a[i]) - i32::from(b[i])).abs())
                .sum();
            if d > 120 {
                edges += 1;
            }
        }
    }
    edges
}

/// Share of pixels that differ between two images in columns `x0..x1`.
fn changed_share(a: &image::RgbImage, b: &image::RgbImage, x0: u32, x1: u32) -> f64 {
    let (mut n, mut changed) = (0u64, 0u64);
    for y in (0..a.height()).step_by(2) {
        for x in (x0..x1).step_by(2) {
            n += 1;
            if a.get_pixel(x, y) != b.get_pixel(x, y) {
                changed += 1;
            }
        }
    }
    changed as f64 / n as f64
}

fn assert_detail(img: &image::RgbImage, what: &str, both_halves: bool) {
    let mut colours = std::collections::HashSet::new();
    for p in img.pixels().step_by(7) {
        colours.insert(p.0);
    }
    assert!(
        colours.len() > 40,
        "{what}: only {} colours, looks blank",
        colours.len()
    );
    let (w, h) = img.dimensions();
    let halves: &[(u32, u32)] = if both_halves {
        &[(0, w / 2), (w / 2, w)]
    } else {
        &[(0, w / 2)]
    };
    let _ = h;
    for &(x0, x1) in halves {
        let edges = edges_in(img, x0, x1);
        assert!(
            edges > 300,
            "{what}: half {x0}..{x1} has too little detail ({edges} edges)"
        );
    }
}

#[test]
#[ignore = "needs Xvfb and Mesa: run by scripts/check.sh"]
fn each_lesson_renders_at_its_first_and_last_step() {
    let dir = std::env::temp_dir().join("meshstep-window-test");
    std::fs::create_dir_all(&dir).unwrap();
    for (lesson, last) in [
        ("mesh-vs-library", 9),
        ("why-mesh-matters", 6),
        ("mesh-overview", 7),
    ] {
        let mut shots = Vec::new();
        for step in [1, last] {
            let out = dir.join(format!("{lesson}-{step}.png"));
            let img = screenshot(&[lesson, "--step", &step.to_string()], &out, 1280, 720);
            assert_eq!(img.dimensions(), (1280, 720), "{lesson} step {step}");
            assert_has_content(&img, &format!("{lesson} step {step}"));
            shots.push(img);
        }
        // The flow view (left) shows a different moment at the last step.
        let moved = changed_share(&shots[0], &shots[1], 0, 640);
        assert!(
            moved > 0.002,
            "{lesson}: first and last step look the same in the flow view ({moved})"
        );
    }
}

#[test]
#[ignore = "needs Xvfb and Mesa: run by scripts/check.sh"]
fn light_theme_and_full_hd_render() {
    let dir = std::env::temp_dir().join("meshstep-window-test");
    std::fs::create_dir_all(&dir).unwrap();
    let dark = screenshot(
        &["mesh-overview", "--step", "3"],
        &dir.join("dark.png"),
        1280,
        720,
    );
    let light = screenshot(
        &["mesh-overview", "--step", "3", "--light"],
        &dir.join("light.png"),
        1280,
        720,
    );
    let mean = |img: &image::RgbImage| {
        img.pixels()
            .map(|p| u64::from(p.0[0]) + u64::from(p.0[1]) + u64::from(p.0[2]))
            .sum::<u64>()
            / u64::from(img.width() * img.height())
    };
    assert!(
        mean(&light) > mean(&dark) + 150,
        "the light theme is lighter"
    );
    let hd = screenshot(
        &["mesh-vs-library", "--step", "5"],
        &dir.join("hd.png"),
        1920,
        1080,
    );
    assert_eq!(hd.dimensions(), (1920, 1080));
    assert_has_content(&hd, "1920x1080");
}

#[test]
#[ignore = "needs Xvfb and Mesa: run by scripts/check.sh"]
fn a_broken_lesson_file_shows_its_diagnostics_instead_of_crashing() {
    let dir = std::env::temp_dir().join("meshstep-window-test");
    std::fs::create_dir_all(&dir).unwrap();
    let img = screenshot(
        &["tests/fixtures/broken/27-several-errors.ron"],
        &dir.join("broken.png"),
        1280,
        720,
    );
    // Left-aligned diagnostics text and no flow view: only the left half is busy.
    assert_detail(&img, "diagnostics view", false);
    let right = edges_in(&img, 1000, 1280);
    assert!(
        right < 200,
        "nothing is drawn at the far right of the diagnostics view ({right} edges)"
    );
    let lesson = screenshot(
        &["mesh-vs-library", "--step", "1"],
        &dir.join("lesson.png"),
        1280,
        720,
    );
    assert_ne!(img.as_raw(), lesson.as_raw());
}

#[test]
#[ignore = "needs Xvfb and Mesa: run by scripts/check.sh"]
fn at_1024_by_768_nothing_is_cut_at_the_window_edge() {
    // The flow view's pods once ran off the left edge at this size.
    let dir = std::env::temp_dir().join("meshstep-window-test");
    std::fs::create_dir_all(&dir).unwrap();
    for lesson in ["mesh-vs-library", "why-mesh-matters", "mesh-overview"] {
        let img = screenshot(
            &[lesson, "--step", "2"],
            &dir.join(format!("{lesson}-1024.png")),
            1024,
            768,
        );
        assert_eq!(img.dimensions(), (1024, 768));
        assert_has_content(&img, &format!("{lesson} at 1024x768"));
        // The leftmost pixels of the flow view (below the top bar, above
        // the timeline) are plain background: no box reaches the edge.
        let bg = *img.get_pixel(2, 400);
        for y in (80..700).step_by(4) {
            for x in 0..4 {
                assert_eq!(
                    *img.get_pixel(x, y),
                    bg,
                    "{lesson}: something is drawn at the window's left edge ({x}, {y})"
                );
            }
        }
    }
}
