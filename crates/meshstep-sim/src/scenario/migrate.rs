//! `meshstep migrate`: rewrites what format-1 lessons say that no longer
//! describes a real mesh, by editing the text in place (comments and layout
//! stay), and says what it could not rewrite.
//!
//! It rewrites: `push_on_telemetry` (removed), `discovery` (becomes
//! `flavour: Linkerd`, or goes), a gateway listed as a control-plane pod
//! (moved to `topology.gateways`), a map key given twice (the first goes:
//! the last is the one that was read), pods left without the restart that
//! gives them a sidecar (a `KubectlRolloutRestart` once the control plane is
//! up), and a proxy's 504 graded as `Timeout` (becomes `Http(504)`).

use std::ops::Range;

use crate::diagnostics::Diagnostic;
use crate::lesson::Lesson;
use crate::lesson::quiz::{EngineAnswer, engine_answer};
use crate::scenario::load::{Loaded, load};
use crate::scenario::schema::{Means, OutcomeClaim, ProxyMode, StimulusAction};

/// A migrated lesson and an account of it.
#[derive(Debug, Clone)]
pub struct Migration {
    pub text: String,
    /// What was rewritten, one line each.
    pub changes: Vec<String>,
}

/// One text edit: replace `range` with `with`.
struct Edit {
    range: Range<usize>,
    with: String,
}

fn apply(src: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut out = src.to_string();
    let mut floor = usize::MAX;
    for e in edits {
        // Overlapping edits would corrupt the text: keep the later one only.
        if e.range.end > floor {
            continue;
        }
        out.replace_range(e.range.clone(), &e.with);
        floor = e.range.start;
    }
    out
}

/// The range that removes a field or list item with its comma, and its line
/// when it stood alone on it.
fn removal(src: &str, start: usize, end: usize) -> Range<usize> {
    let b = src.as_bytes();
    let mut e = end;
    while e < b.len() && (b[e] == b' ' || b[e] == b'\t') {
        e += 1;
    }
    let comma_after = e < b.len() && b[e] == b',';
    if comma_after {
        e += 1;
    }
    let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
    let alone_before = src[line_start..start].trim().is_empty();
    let rest = &src[e..];
    let line_end = rest.find('\n').map_or(src.len(), |i| e + i + 1);
    let alone_after = src[e..line_end].trim().is_empty();
    if alone_before && alone_after {
        return line_start..line_end;
    }
    if comma_after {
        while e < b.len() && b[e] == b' ' {
            e += 1;
        }
        return start..e;
    }
    // The last item on a shared line: take the comma before it instead.
    let before = src[..start].trim_end();
    match before.strip_suffix(',') {
        Some(kept) => kept.len()..end,
        None => start..end,
    }
}

fn field_removal(loaded: &Loaded, src: &str, path: &str) -> Option<Range<usize>> {
    let place = loaded.spans.exact(path)?;
    let key = place.key.clone()?;
    Some(removal(src, key.start, place.value.end))
}

/// Rewrites what can be rewritten. Fails only when the file cannot be read at all.
pub fn migrate(source: &str) -> Result<Migration, Vec<Diagnostic>> {
    let loaded = load(source)?;
    let s = &loaded.scenario;
    let mut edits = Vec::new();
    let mut changes = Vec::new();
    if let Some(cp) = &s.topology.control_plane {
        if cp.push_on_telemetry.is_some()
            && let Some(r) =
                field_removal(&loaded, source, "topology.control_plane.push_on_telemetry")
        {
            edits.push(Edit {
                range: r,
                with: String::new(),
            });
            changes.push("removed `push_on_telemetry`: a push now follows a config change (`KubectlApplyConfig`)".into());
        }
        if let Some(d) = cp.discovery {
            let path = "topology.control_plane.discovery";
            let to_linkerd = d == crate::scenario::schema::Discovery::OnDemand
                && loaded
                    .spans
                    .exact("topology.control_plane.flavour")
                    .is_none();
            if let Some(place) = loaded.spans.exact(path) {
                if to_linkerd {
                    let key = place.key.clone().unwrap_or(place.value.clone());
                    edits.push(Edit {
                        range: key.start..place.value.end,
                        with: "flavour: Linkerd".into(),
                    });
                    changes.push("`discovery: OnDemand` became `flavour: Linkerd` (per-target lookups are Linkerd's way)".into());
                } else if let Some(r) = field_removal(&loaded, source, path) {
                    edits.push(Edit {
                        range: r,
                        with: String::new(),
                    });
                    changes.push("removed `discovery`: the flavour decides".into());
                }
            }
        }
        if let Some(pods) = &cp.pods {
            let gateways: Vec<(usize, &String)> = pods
                .iter()
                .enumerate()
                .filter(|(_, p)| p.contains("gateway"))
                .collect();
            for &(i, _) in &gateways {
                if let Some(v) = loaded
                    .spans
                    .exact(&format!("topology.control_plane.pods[{i}]"))
                {
                    edits.push(Edit {
                        range: removal(source, v.value.start, v.value.end),
                        with: String::new(),
                    });
                }
            }
            if !gateways.is_empty()
                && let Some(p) = loaded.spans.exact("topology.pods")
            {
                let list: Vec<String> = gateways
                    .iter()
                    .map(|(_, g)| format!("(id: \"{g}\")"))
                    .collect();
                edits.push(Edit {
                    range: p.value.end..p.value.end,
                    with: format!(",\n        gateways: [{}]", list.join(", ")),
                });
                changes.push(format!(
                    "moved {} from the control plane's pods to `topology.gateways`",
                    gateways
                        .iter()
                        .map(|(_, g)| g.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        if !cp.installed {
            restarts(&loaded, source, &mut edits, &mut changes);
        }
    }
    for dup in loaded.spans.duplicate_map_keys() {
        // The first entry: from its key to the end of its value.
        let end = value_end(source, dup.first.end);
        edits.push(Edit {
            range: removal(source, dup.first.start, end),
            with: String::new(),
        });
        changes.push(format!(
            "removed the first of the two {} keys in `{}` (the second was the one read)",
            dup.key, dup.map
        ));
    }
    let text = apply(source, edits);
    let (text, more) = grade_504(&text);
    changes.extend(more);
    Ok(Migration { text, changes })
}

/// Where the value of a map entry whose key ends at `key_end` ends.
fn value_end(src: &str, key_end: usize) -> usize {
    let b = src.as_bytes();
    let mut i = key_end;
    while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b':') {
        i += 1;
    }
    let mut depth = 0usize;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                if depth == 0 {
                    return i.min(b.len());
                }
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            b',' | b')' | b']' | b'}' if depth == 0 => return i,
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// Pods selected for injection in a mesh the lesson installs were running
/// before it: restart them once the control plane is up.
fn restarts(loaded: &Loaded, src: &str, edits: &mut Vec<Edit>, changes: &mut Vec<String>) {
    let s = &loaded.scenario;
    let has_restart = s
        .stimuli
        .iter()
        .any(|x| matches!(x.action, StimulusAction::KubectlRolloutRestart { .. }));
    let Some((i, apply)) = s
        .stimuli
        .iter()
        .enumerate()
        .find(|(_, x)| matches!(x.action, StimulusAction::KubectlApply { .. }))
    else {
        return;
    };
    if has_restart {
        return;
    }
    let mut namespaces: Vec<&str> = s
        .topology
        .pods
        .iter()
        .filter(|p| p.proxy == ProxyMode::Sidecar)
        .map(|p| p.namespace.as_str())
        .collect();
    namespaces.dedup();
    let Some(item) = loaded.spans.exact(&format!("stimuli[{i}]")) else {
        return;
    };
    let startup = s
        .topology
        .control_plane
        .as_ref()
        .map_or(0, |c| c.startup_us);
    // A little after the control plane is up: at the same instant, its webhook is not yet there.
    let at = apply.at_us.saturating_add(startup).saturating_add(100_000);
    let indent = {
        let line_start = src[..item.value.start].rfind('\n').map_or(0, |n| n + 1);
        src[line_start..item.value.start].to_string()
    };
    let after = {
        let rest = &src[item.value.end..];
        let comma = rest.trim_start().starts_with(',');
        if comma {
            item.value.end + rest.find(',').unwrap_or(0) + 1
        } else {
            item.value.end
        }
    };
    let text: String = namespaces
        .iter()
        .map(|ns| {
            format!("\n{indent}(at_us: {at}, do: KubectlRolloutRestart(namespace: \"{ns}\")),")
        })
        .collect();
    let text = if src[item.value.end..after].contains(',') {
        text
    } else {
        format!(",{}", text.trim_end_matches(','))
    };
    edits.push(Edit {
        range: after..after,
        with: text,
    });
    changes.push(format!(
        "added `KubectlRolloutRestart` at {at} µs (the control plane is up then) so running pods in {} get their sidecars; a restarted pod takes `pod_start_us` to be ready, so check the timing of later calls",
        namespaces.join(", ")
    ));
}

/// A proxy that gives up answers 504; format 1 graded that as `Timeout`.
fn grade_504(text: &str) -> (String, Vec<String>) {
    let Ok((lesson, _)) = Lesson::from_source_lenient("migrate", text) else {
        return (text.to_string(), Vec::new());
    };
    let Ok(base) = lesson.run(&crate::RunOptions {
        seed: lesson.scenario.seed,
        ..Default::default()
    }) else {
        return (text.to_string(), Vec::new());
    };
    let s = &lesson.scenario;
    let questions = (s.quiz.iter().enumerate())
        .map(|(i, q)| (format!("quiz[{i}]"), &q.asks, &q.options))
        .chain(
            s.practice
                .iter()
                .enumerate()
                .map(|(i, q)| (format!("practice[{i}]"), &q.asks, &q.options)),
        );
    let mut edits = Vec::new();
    let mut changes = Vec::new();
    for (p, ask, options) in questions {
        if engine_answer(&lesson, &base, ask) != EngineAnswer::Outcome(OutcomeClaim::Http(504)) {
            continue;
        }
        // Only the option marked right said the proxy's answer; a wrong
        // `Timeout` option stays a wrong option.
        for (j, o) in options.iter().enumerate() {
            if !o.correct || o.means != Some(Means::Outcome(OutcomeClaim::Timeout)) {
                continue;
            }
            let Some(v) = lesson.spans.exact(&format!("{p}.options[{j}].means")) else {
                continue;
            };
            let slice = &text[v.value.clone()];
            if let Some(k) = slice.find("Timeout") {
                let at = v.value.start + k;
                edits.push(Edit {
                    range: at..at + "Timeout".len(),
                    with: "Http(504)".into(),
                });
                changes.push(format!(
                    "{p}: option {} means `Http(504)`, the status the proxy answers, not `Timeout`",
                    crate::scenario::schema::letter(j)
                ));
            }
        }
    }
    (apply(text, edits), changes)
}
