#!/usr/bin/env python3
"""Colour-vision-deficiency simulation of a screenshot, to look at by eye.

Usage: scripts/cvd_simulate.py IN.png OUT.png

Writes one image: the original and its protanopia, deuteranopia and
tritanopia simulations in a 2x2 grid, each labelled. The matrices are
Machado, Oliveira & Fernandes (2009) at full severity, applied in linear
RGB, the same ones `theme.rs`'s packet-colour test uses. Needs Pillow only.
"""

import sys

from PIL import Image, ImageDraw

VISIONS = [
    ("normal vision", None),
    ("protanopia", [[0.152286, 1.052583, -0.204868],
                    [0.114503, 0.786281, 0.099216],
                    [-0.003882, -0.048116, 1.051998]]),
    ("deuteranopia", [[0.367322, 0.860646, -0.227968],
                      [0.280085, 0.672501, 0.047413],
                      [-0.011820, 0.042940, 0.968881]]),
    ("tritanopia", [[1.255528, -0.076749, -0.178779],
                    [-0.078411, 0.930809, 0.147602],
                    [0.004733, 0.691367, 0.303900]]),
]


def lin(v):
    v /= 255.0
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def srgb(v):
    v = min(max(v, 0.0), 1.0)
    v = v * 12.92 if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055
    return round(v * 255)


def simulate(img, m):
    if m is None:
        return img.copy()
    cache = {}

    def px(c):
        out = cache.get(c)
        if out is None:
            l = [lin(x) for x in c[:3]]
            out = tuple(srgb(sum(m[i][j] * l[j] for j in range(3))) for i in range(3))
            cache[c] = out
        return out

    res = Image.new("RGB", img.size)
    pixels = img.get_flattened_data() if hasattr(img, "get_flattened_data") else img.getdata()
    res.putdata([px(c) for c in pixels])
    return res


def main():
    src, dst = sys.argv[1], sys.argv[2]
    img = Image.open(src).convert("RGB")
    w, h = img.size
    grid = Image.new("RGB", (w * 2, h * 2), "white")
    for i, (name, m) in enumerate(VISIONS):
        tile = simulate(img, m)
        d = ImageDraw.Draw(tile)
        d.rectangle([0, h - 28, 240, h], fill="black")
        d.text((8, h - 22), name, fill="white")
        grid.paste(tile, ((i % 2) * w, (i // 2) * h))
    grid.save(dst)


if __name__ == "__main__":
    main()
