#!/usr/bin/env bash
# Engine figures for this tree and for the round-1 engine (commit 53db92f,
# or $BASELINE), on the same workload, the same machine, in the same run:
# events and requests per second, peak live heap and bytes per event, with
# recording off and on; then each bundled lesson and `check` of a lesson
# with 10,000 stimuli. Prints the figures; checks nothing.
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
echo "== this tree ($(git rev-parse --short HEAD)$(git diff --quiet || echo ', with uncommitted changes'))"
cargo bench --quiet --locked -p meshstep-sim --bench engine
