//! Mesh configuration wherever a lesson writes it (the topology's `config`
//! and `library_config`, `KubectlApplyConfig`, `RebuildApp`): Services and
//! apps that exist, subsets that select pods, weights, timeouts, request
//! attributes as proxies match them, identities as certificates name them.

use super::Sink;
use crate::scenario::schema::{
    Resource, ResourceRef, RouteMatch, Scenario, StimulusAction, Subset,
};
use crate::suggest::did_you_mean;

/// Where the lesson writes resources, and whether a proxy library holds them.
fn lists(s: &Scenario) -> Vec<(String, &[Resource], bool)> {
    let mut out = vec![
        (
            "topology.config".to_string(),
            s.topology.config.as_slice(),
            false,
        ),
        (
            "topology.library_config".to_string(),
            s.topology.library_config.as_slice(),
            true,
        ),
    ];
    for (at, action) in config_actions(s) {
        match action {
            StimulusAction::KubectlApplyConfig { resources, .. } => {
                out.push((format!("{at}.resources"), resources, false))
            }
            StimulusAction::RebuildApp { config, .. } => {
                out.push((format!("{at}.config"), config, true))
            }
            _ => {}
        }
    }
    out
}

/// Every stimulus and what-if change, with its path.
fn config_actions(s: &Scenario) -> Vec<(String, &StimulusAction)> {
    let stimuli =
        (s.stimuli.iter().enumerate()).map(|(i, st)| (format!("stimuli[{i}].do"), &st.action));
    let changes = s.what_if.iter().enumerate().flat_map(|(i, w)| {
        (w.changes.iter().enumerate()).map(move |(j, c)| (format!("what_if[{i}].changes[{j}]"), c))
    });
    stimuli.chain(changes).collect()
}

pub(super) fn check(sink: &mut Sink<'_>, s: &Scenario) {
    let t = &s.topology;
    let services: Vec<&str> = t.services.iter().map(|x| x.name.as_str()).collect();
    let apps: Vec<&str> = t.pods.iter().map(|p| p.app.as_str()).collect();
    let all = lists(s);
    // Subsets anywhere in the lesson, by Service, for routes that name them.
    let subsets: Vec<(&str, &Subset)> = all
        .iter()
        .flat_map(|(_, l, _)| l.iter())
        .filter_map(|r| match r {
            Resource::Destination(d) => Some(d),
            _ => None,
        })
        .flat_map(|d| d.subsets.iter().map(move |x| (d.host.as_str(), x)))
        .collect();
    let host = |sink: &mut Sink<'_>, path: &str, h: &str| {
        if !services.contains(&h) {
            sink.error(
                path,
                format!("there is no Service `{h}`"),
                "unknown Service",
                did_you_mean(h, services.iter().copied()),
            );
        }
    };
    for (base, list, library) in &all {
        let mut seen: Vec<ResourceRef> = Vec::new();
        for (i, r) in list.iter().enumerate() {
            let p = format!("{base}[{i}]");
            let id = r.reference();
            if seen.contains(&id) {
                sink.error(
                    &p,
                    format!("{id} is given twice here"),
                    "second time",
                    ["give each resource of a kind its own name (`name: Some(\"…\")`)".into()],
                );
            }
            seen.push(id);
            match r {
                Resource::Routes(rt) => {
                    host(sink, &format!("{p}.host"), &rt.host);
                    if rt.http.is_empty() {
                        sink.error(
                            &format!("{p}.http"),
                            "routes with no route send every request to a 404",
                            "no routes",
                            [
                                "add a route, for example `http: [(to: [(subset: Some(\"v1\"))])]`"
                                    .into(),
                            ],
                        );
                    }
                    for (j, h) in rt.http.iter().enumerate() {
                        let hp = format!("{p}.http[{j}]");
                        for (k, m) in h.matches.iter().enumerate() {
                            route_match(sink, &format!("{hp}.matches[{k}]"), m);
                        }
                        if !h.to.is_empty() && h.to.iter().all(|b| b.weight == 0) {
                            sink.error(&format!("{hp}.to"), "every weight is 0, so nothing would be sent", "all zero", [
                                "give the backends weights that add up to 100, such as 90 and 10".into(),
                            ]);
                        }
                        let named = (h.to.iter().enumerate())
                            .filter_map(|(k, b)| {
                                b.subset
                                    .as_deref()
                                    .map(|n| (format!("{hp}.to[{k}].subset"), n))
                            })
                            .chain(h.mirror.as_deref().map(|m| (format!("{hp}.mirror"), m)));
                        for (sp, name) in named {
                            if !subsets
                                .iter()
                                .any(|(hst, x)| *hst == rt.host && x.name == name)
                            {
                                sink.warn(
                                    &sp,
                                    format!("no Destination for `{}` defines the subset `{name}`", rt.host),
                                    "undefined subset",
                                    "a proxy answers 503 (NC) to what this route sends there; define it under the Service's `Destination(… subsets: …)`",
                                );
                            }
                        }
                        if let Some(us) = h.timeout_us {
                            super::time(sink, &format!("{hp}.timeout_us"), us);
                            if us == 0 {
                                // Envoy reads 0 as "no timeout" (RouteAction.timeout,
                                // https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto);
                                // a lesson meaning that leaves it out.
                                sink.error(&format!("{hp}.timeout_us"), "a route timeout of 0 is ambiguous: Istio reads it as no timeout at all", "zero", [
                                    "leave it out for no timeout, or give microseconds such as 100000".into(),
                                ]);
                            }
                        }
                        if let Some(r) = &h.retries
                            && let Some(us) = r.per_try_timeout_us
                        {
                            super::time(sink, &format!("{hp}.retries.per_try_timeout_us"), us);
                            if us == 0 {
                                sink.error(&format!("{hp}.retries.per_try_timeout_us"), "a per-try timeout of 0 ends every attempt at once", "zero", [
                                    "leave it out for no per-try limit, or give microseconds such as 5000".into(),
                                ]);
                            }
                        }
                    }
                }
                Resource::Destination(d) => {
                    host(sink, &format!("{p}.host"), &d.host);
                    let selector = t
                        .services
                        .iter()
                        .find(|x| x.name == d.host)
                        .map(|x| x.selector.as_str());
                    for (j, sub) in d.subsets.iter().enumerate() {
                        let selects = t.pods.iter().any(|pod| {
                            Some(pod.app.as_str()) == selector
                                && pod.version.as_deref() == Some(&sub.version)
                        });
                        if selector.is_some() && !selects {
                            sink.warn(
                                &format!("{p}.subsets[{j}].version"),
                                format!("no pod of `{}` has `version: Some(\"{}\")`", d.host, sub.version),
                                "selects no pod",
                                "calls routed to this subset find no endpoint (503); set `version` on the pods",
                            );
                        }
                    }
                }
                Resource::PeerAuthentication(pa) => {
                    if let Some(sel) = &pa.selector {
                        app(sink, &format!("{p}.selector"), sel, &apps);
                        if pa.namespace.is_none() {
                            sink.warn(
                                &format!("{p}.selector"),
                                "a mesh-wide policy with a selector is ignored",
                                "ignored",
                                "give it the namespace of the pods it selects",
                            );
                        }
                    }
                }
                Resource::Authorization(a) => {
                    if let Some(sel) = &a.selector {
                        app(sink, &format!("{p}.selector"), sel, &apps);
                    }
                    for (j, rule) in a.rules.iter().enumerate() {
                        for (k, src) in rule.from.iter().enumerate() {
                            for (m, pr) in src.principals.iter().enumerate() {
                                principal(
                                    sink,
                                    &format!("{p}.rules[{j}].from[{k}].principals[{m}]"),
                                    pr,
                                    s,
                                );
                            }
                        }
                        for (k, op) in rule.to.iter().enumerate() {
                            for (m, path) in op.paths.iter().enumerate() {
                                if !path.starts_with('/') && path != "*" {
                                    sink.error(&format!("{p}.rules[{j}].to[{k}].paths[{m}]"), format!("`{path}` is not a path"), "not a path", [
                                        "paths start with `/`; end one with `*` to match a prefix (`/admin/*`)".into(),
                                    ]);
                                }
                            }
                        }
                    }
                }
            }
            if *library
                && matches!(
                    r,
                    Resource::PeerAuthentication(_) | Resource::Authorization(_)
                )
            {
                sink.warn(&p, "a proxy library does not enforce this", "not used by a library", "libraries use `Routes` and `Destination` only; security policies are enforced by the server's sidecar");
            }
        }
    }
    let library_apps: Vec<&str> = (t.pods.iter())
        .filter(|p| p.proxy == crate::scenario::schema::ProxyMode::Library)
        .map(|p| p.app.as_str())
        .collect();
    for (at, action) in config_actions(s) {
        if let StimulusAction::RebuildApp { app: a, .. } = action
            && !library_apps.contains(&a.as_str())
        {
            sink.error(
                &format!("{at}.app"),
                format!("no pod of app `{a}` has a proxy library to rebuild"),
                "no library",
                [did_you_mean(a, library_apps.iter().copied()).unwrap_or_else(|| {
                    "name the `app` label of pods with `proxy: Library`; a mesh's proxies change by `KubectlApplyConfig` instead".into()
                })],
            );
        }
    }
}

fn app(sink: &mut Sink<'_>, path: &str, a: &str, apps: &[&str]) {
    if !apps.contains(&a) {
        sink.error(
            path,
            format!("no pod has the app label `{a}`"),
            "selects nothing",
            did_you_mean(a, apps.iter().copied()),
        );
    }
}

fn route_match(sink: &mut Sink<'_>, path: &str, m: &RouteMatch) {
    for k in m.headers.keys() {
        if k.is_empty()
            || !k
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            sink.error(
                &format!("{path}.headers[{k:?}]"),
                format!("`{k}` is not a header name as a proxy matches it"),
                "not lowercase",
                ["write header names in lowercase letters, digits and `-`".into()],
            );
        }
    }
    if let Some(p) = &m.path_prefix
        && !p.starts_with('/')
    {
        sink.error(
            &format!("{path}.path_prefix"),
            format!("`{p}` does not start with `/`"),
            "not a path",
            [format!("write `/{p}`")],
        );
    }
    if let Some(meth) = &m.method
        && !meth.chars().all(|c| c.is_ascii_uppercase())
    {
        sink.error(
            &format!("{path}.method"),
            format!("`{meth}` is not an HTTP method"),
            "not a method",
            ["write it in capitals, such as `GET`".into()],
        );
    }
}

/// `cluster.local/ns/<namespace>/sa/<service account>` or `*`, naming a
/// workload the lesson has (a policy naming nobody is usually a typo).
fn principal(sink: &mut Sink<'_>, path: &str, p: &str, s: &Scenario) {
    if p == "*" {
        return;
    }
    let known: Vec<String> = s
        .topology
        .pods
        .iter()
        .map(|pod| {
            format!(
                "cluster.local/ns/{}/sa/{}",
                pod.namespace,
                pod.service_account.as_deref().unwrap_or(&pod.app)
            )
        })
        .collect();
    let parts: Vec<&str> = p.split('/').collect();
    let shaped = parts.len() == 5 && parts[1] == "ns" && parts[3] == "sa";
    if !shaped {
        sink.error(path, format!("`{p}` is not a workload identity"), "not a principal", [
            "write `cluster.local/ns/<namespace>/sa/<service account>` (a pod's service account is its `app` label unless it sets `service_account`)".into(),
        ]);
    } else if !known.iter().any(|k| k == p) {
        sink.warn(
            path,
            format!("no pod has the identity `{p}`"),
            "matches no pod",
            &did_you_mean(p, known.iter().map(String::as_str)).unwrap_or_else(|| {
                "a pod's service account is its `app` label unless it sets `service_account`".into()
            }),
        );
    }
}
