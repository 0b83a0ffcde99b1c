#!/usr/bin/env bash
# Every check CI runs, in the order CI runs them: toolchain components and
# system packages, formatting, lints, every bundled lesson through
# `meshstep check`, the real-window tests under Xvfb, the browser build (with
# its size budget) and its end-to-end test in headless Chromium, then all tests.
# `.ci/run` calls exactly this; run it yourself before pushing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Build output lives outside the clone so later runs and CI reuse it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/meshstep-target}"

# Each phase's time, printed at the end (the README's CI figures come from here).
timings=()
phase_name=""
phase_start=$SECONDS
phase() {
    if [ -n "$phase_name" ]; then
        timings+=("$(printf '%5d s  %s' $((SECONDS - phase_start)) "$phase_name")")
    fi
    phase_name="$1"
    phase_start=$SECONDS
    [ -n "$1" ] && echo "== $1"
    return 0
}

for component in rustfmt clippy; do
    if ! rustup component list --installed 2>/dev/null | grep -q "^${component}"; then
        rustup component add "$component"
    fi
done

phase "system packages (Xvfb, Mesa) for the real-window tests"
bash scripts/install-system-deps.sh

phase "cargo fmt --check"
cargo fmt --all -- --check
phase "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
phase "cargo clippy (the browser build's own code)"
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
cargo clippy --locked --target wasm32-unknown-unknown --bin meshstep -- -D warnings
phase "meshstep check (bundled lessons and the documented example)"
cargo run --quiet --locked -- check scenarios/*.ron docs/examples/*.ron
log=$(mktemp)
trap 'rm -f "$log"' EXIT
phase "real-window tests (Xvfb + Mesa software rendering)"
cargo test --locked --test window -- --ignored 2>&1 | tee -a "$log"
phase "browser build (wasm32, wasm-bindgen, size budget)"
bash web/build.sh
phase "browser end-to-end test (headless Chromium, SwiftShader WebGL2)"
(cd web/e2e && npm ci --no-audit --no-fund --silent && node test.mjs) 2>&1 | tee -a "$log"
phase "cargo test"
cargo test --workspace --locked 2>&1 | tee -a "$log"

phase ""
echo "== time per phase"
printf '%s\n' "${timings[@]}"
echo "   total: $SECONDS s"

# One closing line for every suite above (cargo prints one per test binary).
awk '/^test result:/ { p += $4; f += $6 }
     /^web e2e:/ { p += $3; f += $5 }
     END { printf "all tests: %d passed, %d failed\n", p, f; exit (f > 0) }' "$log"
