#!/usr/bin/env bash
# Prints the browser build's download size against its budget (5 MiB gzip)
# and fails when the .wasm is over it, so CI catches a dependency or feature
# that brings the size back.
set -euo pipefail
cd "$(dirname "$0")/dist"
wasm=meshstep_bg.wasm
raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
br=""
if command -v brotli >/dev/null; then br=$(brotli -c -q 11 "$wasm" | wc -c); fi
mib() { python3 -c "print(f'{$1 / 1048576:.2f} MiB')"; }
echo "wasm raw:    $(mib "$raw")"
echo "wasm gzip:   $(mib "$gz") (budget 5.00 MiB)"
[ -n "$br" ] && echo "wasm brotli: $(mib "$br")"
js=$(cat meshstep.js loader.js index.html style.css | gzip -9 | wc -c)
echo "page+js gzip: $(python3 -c "print(f'{$js / 1024:.1f} KiB')")"
if [ "$gz" -gt $((5 * 1048576)) ]; then
    echo "OVER BUDGET: the .wasm is $(mib $((gz - 5 * 1048576))) over 5 MiB gzip" >&2
    exit 1
fi
