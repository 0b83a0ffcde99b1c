//! What apps do: each pod's handler (times, error rates, the calls it makes,
//! which must not go round a loop) and the method, path and headers of every
//! call.

use super::Sink;
use crate::scenario::schema::{
    HttpRequest, Scenario, ServiceTime, StimulusAction, fault::PROBABILITY,
};

pub(super) fn check(sink: &mut Sink<'_>, s: &Scenario) {
    for (i, st) in s.stimuli.iter().enumerate() {
        if let StimulusAction::Call { http: h, .. } = &st.action {
            http(sink, &format!("stimuli[{i}].do.http"), h);
        }
    }
    for (i, p) in s.topology.pods.iter().enumerate() {
        let Some(h) = &p.handler else { continue };
        let at = |f: &str| format!("topology.pods[{i}].handler.{f}");
        match h.time {
            Some(ServiceTime::Fixed(us)) => super::time(sink, &at("time"), us),
            Some(ServiceTime::Uniform { min_us, max_us }) => {
                super::time(sink, &at("time"), max_us);
                if min_us > max_us {
                    sink.error(
                        &at("time"),
                        format!("the shortest time ({min_us} µs) is longer than the longest ({max_us} µs)"),
                        "min above max",
                        ["swap `min_us` and `max_us`".into()],
                    );
                }
            }
            Some(ServiceTime::Exponential { mean_us }) => super::time(sink, &at("time"), mean_us),
            None => {}
        }
        if h.time.is_some() && p.service_time_us != crate::scenario::schema::DEFAULT_SERVICE_TIME_US
        {
            sink.warn(
                &format!("topology.pods[{i}].service_time_us"),
                "`service_time_us` is not used: `handler.time` says how long the app takes",
                "not used",
                "remove one of the two",
            );
        }
        if let Some(e) = h.errors {
            status(sink, &at("errors.status"), e.status);
            if !PROBABILITY.contains(&e.probability) {
                sink.error(
                    &at("errors.probability"),
                    format!("probability {} is not between 0 and 1", e.probability),
                    "out of range",
                    ["use a value such as 0.3 (three requests in ten)".into()],
                );
            }
        }
        if let Some(f) = h.fallback {
            status(sink, &at("fallback"), f);
        }
        for (j, c) in h.calls.iter().enumerate() {
            http(sink, &at(&format!("calls[{j}].http")), &c.http);
            if j == 0 && c.parallel {
                sink.warn(
                    &at(&format!("calls[{j}].parallel")),
                    "the first call has no call before it to go out with",
                    "nothing to be parallel with",
                    "set `parallel: true` on the calls that go out with the one before them",
                );
            }
        }
    }
    loops(sink, s);
}

fn status(sink: &mut Sink<'_>, path: &str, code: u16) {
    if !(100..=599).contains(&code) {
        sink.error(
            path,
            format!("{code} is not an HTTP status"),
            "not a status",
            ["HTTP statuses run from 100 to 599, such as 500 or 503".into()],
        );
    }
}

fn http(sink: &mut Sink<'_>, path: &str, h: &HttpRequest) {
    if let Some(m) = &h.method
        && (m.is_empty() || !m.chars().all(|c| c.is_ascii_uppercase()))
    {
        sink.error(
            &format!("{path}.method"),
            format!("`{m}` is not an HTTP method"),
            "not a method",
            ["write it in capitals, such as `GET` or `POST`".into()],
        );
    }
    if let Some(p) = &h.path
        && !p.starts_with('/')
    {
        sink.error(
            &format!("{path}.path"),
            format!("the path `{p}` does not start with `/`"),
            "not a path",
            [format!("write `/{p}`")],
        );
    }
    for name in h.headers.keys() {
        let ok = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !ok {
            sink.error(
                &format!("{path}.headers[{name:?}]"),
                format!("`{name}` is not a header name as a proxy matches it"),
                "not lowercase",
                [format!(
                    "write header names in lowercase letters, digits and `-`, such as `{}`",
                    name.to_ascii_lowercase().replace(['_', ' '], "-")
                )],
            );
        }
    }
}

/// Apps whose calls lead back to themselves would call each other forever.
fn loops(sink: &mut Sink<'_>, s: &Scenario) {
    let t = &s.topology;
    // From each app to the apps its calls reach (through the Services' selectors).
    let apps: Vec<&str> = t.pods.iter().map(|p| p.app.as_str()).collect();
    let reaches = |app: &str| -> Vec<&str> {
        let mut out: Vec<&str> = t
            .pods
            .iter()
            .filter(|p| p.app == app)
            .filter_map(|p| p.handler.as_ref())
            .flat_map(|h| h.calls.iter())
            .filter_map(|c| t.services.iter().find(|s| s.name == c.to))
            .map(|s| s.selector.as_str())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    };
    for (i, p) in t.pods.iter().enumerate() {
        if p.handler.as_ref().is_none_or(|h| h.calls.is_empty()) {
            continue;
        }
        let Some(cycle) = cycle_from(&p.app, &reaches) else {
            continue;
        };
        // Report each loop once, at the first pod in the file that calls round it.
        let calls_before = |k: usize| {
            t.pods[k]
                .handler
                .as_ref()
                .is_some_and(|h| !h.calls.is_empty())
        };
        if (0..i).any(|k| calls_before(k) && cycle.contains(&apps[k])) {
            continue;
        }
        sink.error(
            &format!("topology.pods[{i}].handler.calls"),
            format!(
                "these calls go round a loop: {}; every request would set off calls forever",
                cycle.join(" → ")
            ),
            "calls loop",
            ["remove one of the calls in the loop".into()],
        );
    }
}

/// A path of apps from `start` back to `start`, if there is one.
fn cycle_from<'a>(start: &'a str, reaches: &dyn Fn(&str) -> Vec<&'a str>) -> Option<Vec<&'a str>> {
    let mut stack = vec![vec![start]];
    let mut seen = vec![start];
    while let Some(path) = stack.pop() {
        let last = *path.last().expect("paths are never empty");
        for next in reaches(last) {
            if next == start {
                let mut p = path.clone();
                p.push(start);
                return Some(p);
            }
            if !seen.contains(&next) {
                seen.push(next);
                let mut p = path.clone();
                p.push(next);
                stack.push(p);
            }
        }
    }
    None
}
