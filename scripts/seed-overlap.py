#!/usr/bin/env python3
"""seed-overlap: find wording that the lessons copy from their seed pages.

The lessons in scenarios/*.ron were written from source pages ("seeds") kept
in ../shared/seeds/*.txt. Lesson prose should say the same facts in its own
words, so this script lists every run of 8 or more consecutive words that a
string in a lesson shares with a seed. Words are letters, digits and
apostrophes, compared case-insensitively; punctuation is ignored.

Not checked: comments, shell commands and flow notations (strings starting
with kubectl, istioctl, linkerd, curl or '#', strings containing ' -> '),
and the `text:` lines of `execution_sample`.

Usage: scripts/seed-overlap.py [--strict]
Prints `FILE:LINE: "shared words"` per run, then `N shared runs of 8+ words`.
Exits 0, or with --strict 1 when N > 0.
"""
import glob
import os
import re
import sys

RUN = 8
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SKIP_PREFIXES = ("kubectl", "istioctl", "linkerd", "curl", "#")


def words(text):
    """Words of `text` as (lowercase word, offset) pairs."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    out = []
    for m in re.finditer(r"[A-Za-z0-9']+", text):
        w = m.group().strip("'").lower()
        if w:
            out.append((w, m.start()))
    return out


def strings(src):
    """Yield (line, text, key, keys) for each string literal in RON source.

    `key` is the field name the string belongs to; `keys` the field names of
    the brackets around it, outermost first.
    """
    i, line, stack, key = 0, 1, [], None
    while i < len(src):
        c = src[i]
        if src.startswith("//", i):
            i = src.find("\n", i)
            i = len(src) if i < 0 else i
            continue
        if src.startswith("/*", i):
            end = src.find("*/", i)
            end = len(src) if end < 0 else end + 2
            line += src.count("\n", i, end)
            i = end
            continue
        raw = re.match(r'r(#*)"', src[i:])
        if raw and (i == 0 or not (src[i - 1].isalnum() or src[i - 1] == "_")):
            close = '"' + raw.group(1)
            start = i + len(raw.group())
            end = src.find(close, start)
            yield line, src[start:end], key, list(stack)
            line += src.count("\n", i, end)
            i = end + len(close)
            continue
        if c == '"':
            j, buf = i + 1, []
            while src[j] != '"':
                if src[j] == "\\":
                    j += 1
                    buf.append({"n": "\n", "t": "\t"}.get(src[j], src[j]))
                else:
                    buf.append(src[j])
                j += 1
            yield line, "".join(buf), key, list(stack)
            line += src.count("\n", i, j)
            i = j + 1
            continue
        m = re.match(r"([A-Za-z_]\w*)\s*:(?!:)", src[i:])
        if m and (i == 0 or not (src[i - 1].isalnum() or src[i - 1] == "_")):
            key = m.group(1)
            line += m.group().count("\n")
            i += len(m.group())
            continue
        if c in "([{":
            stack.append(key)
        elif c in ")]}":
            if stack:
                stack.pop()
        elif c == "\n":
            line += 1
        i += 1


def skipped(text, key, keys):
    t = text.strip()
    return (
        t.lower().startswith(SKIP_PREFIXES)
        or " -> " in t
        or (key == "text" and "execution_sample" in keys)
    )


def seed_grams(seed_dir):
    grams = set()
    for path in sorted(glob.glob(os.path.join(seed_dir, "*.txt"))):
        with open(path, encoding="utf-8", errors="replace") as f:
            ws = [w for w, _ in words(f.read())]
        grams.update(tuple(ws[k : k + RUN]) for k in range(len(ws) - RUN + 1))
    return grams


def runs(text, grams):
    """Maximal runs of RUN+ words of `text` covered by seed n-grams."""
    ws = words(text)
    hit = [tuple(w for w, _ in ws[k : k + RUN]) in grams for k in range(len(ws) - RUN + 1)]
    k = 0
    while k < len(hit):
        if not hit[k]:
            k += 1
            continue
        start = k
        while k + 1 < len(hit) and hit[k + 1]:
            k += 1
        end = k + RUN  # exclusive word index
        yield ws[start][1], " ".join(w for w, _ in ws[start:end])
        k += 1


def main():
    strict = "--strict" in sys.argv[1:]
    seed_dir = os.path.join(ROOT, "..", "shared", "seeds")
    if not os.path.isdir(seed_dir):
        print(f"note: no seed folder at {os.path.normpath(seed_dir)}; nothing to compare")
        return 0
    grams = seed_grams(seed_dir)
    count = 0
    for lesson in sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.ron"))):
        with open(lesson, encoding="utf-8") as f:
            src = f.read()
        name = os.path.relpath(lesson, ROOT)
        for line, text, key, keys in strings(src):
            if skipped(text, key, keys):
                continue
            for offset, shared in runs(text, grams):
                count += 1
                print(f'{name}:{line + text.count(chr(10), 0, offset)}: "{shared}"')
    print(f"{count} shared runs of {RUN}+ words")
    return 1 if strict and count else 0


if __name__ == "__main__":
    sys.exit(main())
