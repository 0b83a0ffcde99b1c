//! The shape of the code, checked: no file imports from a file that imports
//! back from it (directly or round a loop), in the core, the UI crate or the
//! binary; and no file in the core over 600 lines. A module and the modules
//! inside it count as one unit (a parent using its children is the point).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module path (`engine::path::sidecar`) of every `.rs` file under `src`.
fn modules(src: &Path) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p.strip_prefix(src).unwrap().with_extension("");
                let mut parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if matches!(
                    parts.last().map(String::as_str),
                    Some("mod" | "lib" | "main")
                ) {
                    parts.pop();
                }
                out.insert(parts.join("::"), p);
            }
        }
    }
    out
}

/// The code of a file without comments and without its tests.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Module-to-module dependencies through `crate::` and `super::` paths.
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mods = modules(src);
    let resolve = |path: &[&str]| -> Option<String> {
        (1..=path.len())
            .rev()
            .map(|k| path[..k].join("::"))
            .find(|c| mods.contains_key(c))
    };
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, file) in &mods {
        let text = code(&std::fs::read_to_string(file).unwrap());
        let parent: Vec<&str> = name.split("::").filter(|s| !s.is_empty()).collect();
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < text.len() {
            if !text.is_char_boundary(i) {
                i += 1;
                continue;
            }
            let rest = &text[i..];
            let (prefix, base): (&str, Vec<&str>) = if rest.starts_with("crate::") {
                ("crate::", Vec::new())
            } else if rest.starts_with("super::") {
                // `super` of `a::b` is `a`, whether `b` is `a/b.rs` or `a/b/mod.rs`.
                ("super::", parent[..parent.len().saturating_sub(1)].to_vec())
            } else {
                i += 1;
                continue;
            };
            if i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_') {
                i += 1;
                continue;
            }
            let tail: String = rest[prefix.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let mut path = base.clone();
            path.extend(tail.split("::").filter(|s| !s.is_empty()));
            if let Some(dep) = resolve(&path) {
                let related = dep == *name
                    || dep.starts_with(&format!("{name}::"))
                    || name.starts_with(&format!("{dep}::"))
                    || dep.is_empty()
                    || name.is_empty();
                if !related {
                    g.entry(name.clone()).or_default().insert(dep);
                }
            }
            i += prefix.len();
        }
    }
    g
}

/// A cycle in the graph, if there is one.
fn cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == n) {
            return Some(path[at..].to_vec());
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_string());
        for d in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(d, g, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    g.keys()
        .find_map(|n| visit(n, g, &mut Vec::new(), &mut done))
}

/// The checkout being tested. Read when the test runs, not when it is
/// compiled: two clones sharing one target directory share this binary, and
/// a path baked in would check the other clone's files.
fn root() -> PathBuf {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    dir.join("../..")
}

#[test]
fn no_module_imports_round_a_loop() {
    for src in ["crates/meshstep-sim/src", "crates/meshstep-ui/src", "src"] {
        let g = graph(&root().join(src));
        assert!(
            g.values().map(BTreeSet::len).sum::<usize>() > 5,
            "{src}: the graph was read"
        );
        if let Some(c) = cycle(&g) {
            panic!(
                "{src}: modules import each other round a loop: {}",
                c.join(" -> ")
            );
        }
    }
}

#[test]
fn the_cycle_check_finds_a_loop() {
    let mut g = BTreeMap::new();
    g.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    g.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    g.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(cycle(&g).map(|c| c.len()), Some(3));
    g.get_mut("c").unwrap().clear();
    assert_eq!(cycle(&g), None);
}

#[test]
fn no_file_in_the_core_is_over_600_lines() {
    for (name, file) in modules(&root().join("crates/meshstep-sim/src")) {
        let n = std::fs::read_to_string(&file).unwrap().lines().count();
        assert!(n <= 600, "{name} ({}) has {n} lines", file.display());
    }
}
