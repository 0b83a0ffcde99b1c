#!/usr/bin/env bash
# Window benchmarks under software rendering (Xvfb + Mesa llvmpipe), release build:
#   - an empty bevy + egui window's frames per second and CPU ms per frame:
#     what the renderer costs before meshstep draws anything
#   - frames per second and CPU ms per frame while playing every lesson at
#     1280x720 (target >= 60, or >= 30 where the empty window itself is slow)
#   - the scale lab at 10,000 pods and 1,000,000 calls per approach: time to
#     compute and frames drawn meanwhile (targets < 2 s, >= 15 fps)
#   - the app's CPU use while paused for 10 s (target <= 1%)
# Prints the figures; it checks nothing. Needs scripts/install-system-deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/meshstep-target}"
cargo build --release --locked --bin meshstep
BIN="$CARGO_TARGET_DIR/release/meshstep"
MESHSTEP_DATA_DIR=$(mktemp -d)
export MESHSTEP_DATA_DIR
SCREEN="-screen 0 1280x720x24"

# One pass through each lesson first, unmeasured (see src/app/bench.rs).
timeout 300 xvfb-run -a -s "$SCREEN" "$BIN" --bench-empty "${FPS_SECONDS:-10}" 2>/dev/null
for lesson in mesh-vs-library why-mesh-matters mesh-overview canary resilience zero-trust; do
    timeout 300 xvfb-run -a -s "$SCREEN" "$BIN" "$lesson" --bench-play "${FPS_SECONDS:-10}" 2>/dev/null
done

# The scale lab at its largest (10,000 pods, 1,000,000 calls per approach),
# computing a chunk per frame while the window draws (target: < 2 s, >= 15 fps).
xvfb-run -a -s "$SCREEN" "$BIN" mesh-vs-library --bench-scale 2>/dev/null

# Idle: open a lesson paused at a step, let it settle, then measure its CPU time over 10 s.
xvfb-run -a -s "$SCREEN" "$BIN" mesh-vs-library --step 4 >/dev/null 2>&1 &
wrapper=$!
sleep 8
pid=$(pgrep -n -f "^$BIN mesh-vs-library --step 4" || true)
if [ -z "$pid" ]; then
    echo "idle: could not find the app's process" >&2
    kill "$wrapper" 2>/dev/null || true
    exit 1
fi
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
t0=$(ticks "$pid")
sleep 10
t1=$(ticks "$pid")
hz=$(getconf CLK_TCK)
kill "$pid" 2>/dev/null || true
wait "$wrapper" 2>/dev/null || true
python3 -c "print(f'idle cpu while paused: {($t1 - $t0) / $hz / 10 * 100:.2f}% of one core over 10 s')"
