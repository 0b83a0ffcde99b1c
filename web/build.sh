#!/usr/bin/env bash
# Builds the browser version into web/dist/, a folder any static file server
# can serve: compiles meshstep for wasm32-unknown-unknown, runs wasm-bindgen
# (installed from crates.io at exactly the wasm-bindgen version in Cargo.lock),
# drops the name section, copies the page, and prints the size budget.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/meshstep-target}"

version=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $version"; then
    echo "installing wasm-bindgen-cli $version"
    cargo install wasm-bindgen-cli --version "$version"
fi
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

cargo build --locked --profile web --target wasm32-unknown-unknown --bin meshstep
rm -rf web/dist
mkdir -p web/dist
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
    --out-dir web/dist --out-name meshstep \
    "$CARGO_TARGET_DIR/wasm32-unknown-unknown/web/meshstep.wasm"
cp web/index.html web/style.css web/loader.js web/dist/
bash web/size.sh
