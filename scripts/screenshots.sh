#!/usr/bin/env bash
# Regenerates docs/screenshots/: each lesson at its first and last step (dark,
# 1280x720), plus a light-theme view, a diagnostics view, a quiz with feedback
# a deep-dive page, the what-if lab with a forked run, the side-by-side page
# the scale lab at an experiment, a zoomed view, generated practice and a
# colour-vision simulation. Look at them after.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/meshstep-target}"
cargo build --locked --bin meshstep
BIN="$CARGO_TARGET_DIR/debug/meshstep"
# Each screenshot starts from no saved progress (settings such as the open
# tab are saved, so one shot would change the next) and leaves the user's alone.
DATA_ROOT=$(mktemp -d)
trap 'rm -rf "$DATA_ROOT"' EXIT
fresh() {
    MESHSTEP_DATA_DIR=$(mktemp -d -p "$DATA_ROOT")
    export MESHSTEP_DATA_DIR
}
shot() {
    local out=$1
    shift
    fresh
    xvfb-run -a -s "-screen 0 1280x720x24" "$BIN" "$@" --screenshot "docs/screenshots/$out" 2>/dev/null
    echo "docs/screenshots/$out"
}
# sized WxH out args…: the same at another window size.
sized() {
    local size=$1 out=$2
    shift 2
    fresh
    xvfb-run -a -s "-screen 0 ${size}x24" "$BIN" "$@" --size "$size" --screenshot "docs/screenshots/$out" 2>/dev/null
    echo "docs/screenshots/$out"
}
# lesson:first:last — the seed lessons from their first step; the round-2
# lessons at two steps that show what they teach.
for entry in mesh-vs-library:1:9 why-mesh-matters:1:6 mesh-overview:1:7 \
    canary:3:8 resilience:4:11 zero-trust:7:12; do
    IFS=: read -r lesson first last <<<"$entry"
    shot "$lesson-first.png" "$lesson" --step "$first"
    shot "$lesson-last.png" "$lesson" --step "$last"
done
shot "mesh-overview-light.png" mesh-overview --step 4 --light
shot "diagnostics.png" tests/fixtures/broken/27-several-errors.ron
shot "editor.png" mesh-vs-library --step 4 --edit
shot "editor-problems.png" tests/fixtures/broken/27-several-errors.ron --edit --light
shot "pack-menu.png" tests/fixtures/pack/week.ron
shot "quiz-feedback.png" mesh-vs-library --answer-quiz 1:C
shot "deep-dive.png" mesh-vs-library --deep-dive
shot "lab.png" mesh-vs-library --lab \
    --link '#v=1&lesson=mesh-vs-library&step=8&faults=control-plane-down&from=step:3'
shot "side-by-side.png" mesh-vs-library --page side-by-side
shot "scale-lab.png" mesh-vs-library --experiment library-operations
shot "failure-marks.png" mesh-vs-library --link '#v=1&lesson=mesh-vs-library&step=8&faults=lossy=1'
# The three window sizes learners use, both themes.
sized 1024x768 "size-1024x768.png" mesh-vs-library --step 5
sized 1920x1080 "size-1920x1080.png" mesh-vs-library --step 5
sized 1280x720 "light-1280x720.png" mesh-vs-library --step 5 --light
sized 1024x768 "light-1024x768.png" mesh-vs-library --step 5 --light
sized 1920x1080 "light-1920x1080.png" mesh-vs-library --step 5 --light
# What-ifs that stay truthful: a step whose message is lost, a missing sidecar.
shot "what-if-consequence.png" mesh-vs-library --link '#v=1&lesson=mesh-vs-library&step=5&faults=lossy=0.25'
shot "what-if-absent.png" mesh-vs-library --lab --link '#v=1&lesson=mesh-vs-library&step=3&faults=no-sidecar=checkout-mesh'
# The sequence chart: a side-panel tab, chosen through the saved settings.
fresh_tab() {
    local tab=$1 out=$2
    shift 2
    fresh
    printf '{"meshstep_progress":1,"prefs":{"tab":"%s"}}\n' "$tab" >"$MESHSTEP_DATA_DIR/progress.json"
    xvfb-run -a -s "-screen 0 1280x720x24" "$BIN" "$@" --screenshot "docs/screenshots/$out" 2>/dev/null
    echo "docs/screenshots/$out"
}
fresh_tab sequence "sequence-chart.png" mesh-vs-library --step 8

# Zoomed into the 29 components of zero-trust, around the payments pod.
shot "zoomed-view.png" zero-trust --step 8 --view-zoom '2@0.75,0.3'
# Generated practice: the Practice tab at a link's set, tall enough to show it.
fresh
printf '{"meshstep_progress":1,"prefs":{"tab":"practice"}}\n' >"$MESHSTEP_DATA_DIR/progress.json"
xvfb-run -a -s "-screen 0 1280x1400x24" "$BIN" mesh-vs-library --size 1280x1400 \
    --link '#v=1&lesson=mesh-vs-library&practice=1&step=3' \
    --screenshot docs/screenshots/generated-practice.png 2>/dev/null
echo docs/screenshots/generated-practice.png
# The colour-vision check of the failure view (packets, marks, legend).
python3 scripts/cvd_simulate.py docs/screenshots/failure-marks.png docs/screenshots/cvd-simulation.png
echo docs/screenshots/cvd-simulation.png
