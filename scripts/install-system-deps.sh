#!/usr/bin/env bash
# Debian packages the tests need: a virtual X server and Mesa's software
# Vulkan driver (wgpu picks Vulkan on llvmpipe) plus the X11 libraries winit
# loads at run time, for the real-window tests; Chromium for the browser
# build's end-to-end test. Nothing here is needed to build.
set -euo pipefail
packages=(xvfb xauth mesa-vulkan-drivers libvulkan1 libxcursor1 libxrandr2 libxi6 libx11-xcb1 libxkbcommon-x11-0 chromium)
missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "system packages: all present"
    exit 0
fi
echo "system packages: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
