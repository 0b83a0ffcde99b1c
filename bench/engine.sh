#!/usr/bin/env bash
# Engine figures for this tree and for the round-1 engine (commit 53db92f,
# or $BASELINE), on the same workload, the same machine, in the same run:
# events and requests per second, peak live heap and bytes per event, with
# recording off and on; then each bundled lesson and `check` of a lesson
# with 10,000 stimuli; then, because this machine's speed drifts a lot
# within a minute, both engines' recording-off runs alternated eight times,
# with the best of each. Prints the figures; checks nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/meshstep-target}"
base="${BASELINE:-53db92f}"
wt=$(mktemp -d)
git worktree add --quiet --detach "$wt" "$base"
trap 'git worktree remove --force "$wt"' EXIT
mkdir -p "$wt/crates/meshstep-sim/examples"
cp bench/baseline/round1_engine.rs "$wt/crates/meshstep-sim/examples/round1_engine.rs"
echo "== round 1 ($base)"
(cd "$wt" && cargo run --quiet --release --locked -p meshstep-sim --example round1_engine)
old_bin="${CARGO_TARGET_DIR}/release/examples/round1_engine"
cp "$old_bin" "$wt/round1_engine.bin"
echo "== this tree ($(git rev-parse --short HEAD)$(git diff --quiet || echo ', with uncommitted changes'))"
cargo bench --quiet --locked -p meshstep-sim --bench engine
new_bin=$(cargo bench --no-run --locked -p meshstep-sim --bench engine 2>&1 | sed -n 's/.*(\(.*\/engine-[0-9a-f]*\)).*/\1/p' | tail -1)
echo "== recording off, alternated (8 rounds, best of 3 runs each)"
for _ in 1 2 3 4 5 6 7 8; do
    MESHSTEP_BENCH_OFF_ONLY=1 "$wt/round1_engine.bin"
    MESHSTEP_BENCH_OFF_ONLY=1 "$new_bin" --bench
done | awk '
    { if (!($2 in ms) || $3 + 0 < ms[$2] + 0) ms[$2] = $3; ev[$2] = $8 }
    END {
        for (k in ms) printf "%s: best %.1f ms, %.2f M events/s, %.3f M calls/s\n", k, ms[k], ev[k] / ms[k] / 1e3, 100 / ms[k]
        printf "now / round 1: %.2f x the events per second, %.2f x the calls per second\n", (ev["now"] / ms["now"]) / (ev["round1"] / ms["round1"]), ms["round1"] / ms["now"]
    }'
