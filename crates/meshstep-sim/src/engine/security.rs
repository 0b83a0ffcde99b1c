//! The one place that decides who may talk to whom: the mutual-TLS mode a
//! workload's proxy enforces (its `PeerAuthentication`, the most specific
//! one winning, else the mesh's default) and whether its authorization
//! policies let a caller in. Both are enforced by the *server's* proxy, from
//! the config that proxy holds; a caller is known by its certificate only, so
//! policies naming callers refuse plaintext ones
//! (<https://istio.io/latest/docs/reference/config/security/peer_authentication/>,
//! <https://istio.io/latest/docs/reference/config/security/authorization-policy/>).

use crate::engine::config::ConfigSet;
use crate::engine::cx::Cx;
use crate::ids::{PodId, ReqId};
use crate::scenario::schema::{Authorization, AuthzAction, MtlsMode, Operation, Source};

/// The config a pod's own proxy holds; for an ambient pod, its node's
/// ztunnel, which is taken to hold the control plane's newest version (its
/// pushes are not modelled one by one).
fn held_by<'w>(cx: &'w Cx<'_>, pod: PodId) -> Option<&'w ConfigSet> {
    if cx.world.pod(pod).proxy.is_none() && cx.ambient(pod) {
        return cx
            .world
            .configs
            .get(cx.world.cp.version as usize)
            .map(|c| &**c);
    }
    let v = cx.world.pod(pod).proxy.as_ref()?.config?;
    cx.world.configs.get(v as usize).map(|c| &**c)
}

/// The mode `server` is held to, as `config` says.
pub(crate) fn mode_in(cx: &Cx<'_>, config: Option<&ConfigSet>, server: PodId) -> MtlsMode {
    if cx.world.mtls_off {
        return MtlsMode::Off;
    }
    let p = cx.topo.pod(server);
    let default = cx.world.mesh.mtls;
    config.map_or(default, |c| {
        c.peer_mode(&p.namespace, &p.app_label, default)
    })
}

/// The mode the server's own proxy enforces.
pub(crate) fn enforced(cx: &Cx<'_>, server: PodId) -> MtlsMode {
    mode_in(cx, held_by(cx, server), server)
}

/// Who the caller is, as the server's proxy can tell: its SPIFFE-style
/// principal and namespace over mutual TLS, nothing over plaintext.
fn caller<'w>(cx: &'w Cx<'_>, rq: ReqId) -> Option<(String, &'w str)> {
    let r = cx.world.req(rq);
    if !r.encrypted {
        return None;
    }
    let p = cx.topo.pod(r.client);
    Some((
        format!("cluster.local/ns/{}/sa/{}", p.namespace, p.service_account),
        p.namespace.as_str(),
    ))
}

fn source_matches(s: &Source, who: Option<&(String, &str)>) -> bool {
    let any = |list: &[String], v: &str| list.iter().any(|x| x == "*" || x == v);
    match who {
        None => s.principals.is_empty() && s.namespaces.is_empty(),
        Some((principal, ns)) => {
            (s.principals.is_empty() || any(&s.principals, principal))
                && (s.namespaces.is_empty() || any(&s.namespaces, ns))
        }
    }
}

fn operation_matches(o: &Operation, method: &str, path: &str) -> bool {
    let path_ok = |x: &String| match x.strip_suffix('*') {
        Some(prefix) => path.starts_with(prefix),
        None => x == path,
    };
    (o.methods.is_empty() || o.methods.iter().any(|m| m == method))
        && (o.paths.is_empty() || o.paths.iter().any(path_ok))
}

fn policy_matches(
    p: &Authorization,
    who: Option<&(String, &str)>,
    method: &str,
    path: &str,
) -> bool {
    p.rules.iter().any(|r| {
        (r.from.is_empty() || r.from.iter().any(|s| source_matches(s, who)))
            && (r.to.is_empty() || r.to.iter().any(|o| operation_matches(o, method, path)))
    })
}

/// Whether the server's proxy lets the request in; `Err` names the policy
/// that refused it (`None`: no `Allow` policy matched).
pub(crate) fn authorize(cx: &Cx<'_>, rq: ReqId, server: PodId) -> Result<(), Option<String>> {
    authorize_in(cx, rq, held_by(cx, server), server)
}

/// The authorization policies in `config` that select `server`.
fn applying<'c>(cx: &Cx<'_>, config: &'c ConfigSet, server: PodId) -> Vec<&'c Authorization> {
    let spec = cx.topo.pod(server);
    config
        .authz
        .iter()
        .filter(|a| a.namespace == spec.namespace)
        .filter(|a| a.selector.as_deref().is_none_or(|s| s == spec.app_label))
        .collect()
}

/// Whether a rule reads HTTP (methods or paths), which ztunnel cannot.
fn reads_http(r: &crate::scenario::schema::Rule) -> bool {
    r.to.iter()
        .any(|o| !o.methods.is_empty() || !o.paths.is_empty())
}

/// The verdict of the policies that select `server`, as a ztunnel reaches
/// it without reading HTTP: an ALLOW rule with HTTP fields never matches
/// (so a policy of only such rules lets nobody in: it fails closed), and a
/// DENY rule is matched on who calls alone. `Err` says why, for the note.
/// <https://istio.io/latest/docs/ambient/usage/l4-policy/>
pub(crate) fn authorize_l4(
    cx: &Cx<'_>,
    rq: ReqId,
    config: Option<&ConfigSet>,
    server: PodId,
) -> Result<(), String> {
    let Some(config) = config else {
        return Ok(());
    };
    let applies = applying(cx, config, server);
    let who = caller(cx, rq);
    let from_ok = |r: &crate::scenario::schema::Rule| {
        r.from.is_empty() || r.from.iter().any(|s| source_matches(s, who.as_ref()))
    };
    if let Some(d) = (applies.iter())
        .filter(|a| a.action == AuthzAction::Deny)
        .find(|a| a.rules.iter().any(from_ok))
    {
        let http = d.rules.iter().any(reads_http);
        return Err(format!(
            "AuthorizationPolicy/{} denies this caller{}",
            d.name,
            if http {
                " (its HTTP fields are ignored at L4)"
            } else {
                ""
            }
        ));
    }
    let allows: Vec<_> = (applies.iter())
        .filter(|a| a.action == AuthzAction::Allow)
        .collect();
    if allows.is_empty()
        || allows
            .iter()
            .any(|a| a.rules.iter().any(|r| !reads_http(r) && from_ok(r)))
    {
        return Ok(());
    }
    Err(
        match allows.iter().find(|a| a.rules.iter().any(reads_http)) {
            Some(a) => format!(
                "AuthorizationPolicy/{} allows by HTTP fields ztunnel cannot read, so its rules never match (fail closed); a waypoint would enforce them",
                a.name
            ),
            None => "no ALLOW policy lets this caller in".into(),
        },
    )
}

/// What a proxy that refuses with a 403 says: Envoy's body, and which policy.
pub(crate) fn denial(policy: Option<String>) -> String {
    match policy {
        Some(name) => format!("RBAC: access denied; AuthorizationPolicy/{name} denies this caller"),
        None => "RBAC: access denied; no ALLOW policy lets this caller in".to_string(),
    }
}

/// [`authorize`] by the policies in `config` (what a waypoint or a ztunnel holds).
pub(crate) fn authorize_in(
    cx: &Cx<'_>,
    rq: ReqId,
    config: Option<&ConfigSet>,
    server: PodId,
) -> Result<(), Option<String>> {
    let Some(config) = config else {
        return Ok(());
    };
    let applies = applying(cx, config, server);
    if applies.is_empty() {
        return Ok(());
    }
    let who = caller(cx, rq);
    let http = &cx.world.http[cx.world.req(rq).http as usize];
    let (method, path) = (http.method(), http.path());
    let hit = |a: &&&Authorization| policy_matches(a, who.as_ref(), method, path);
    if let Some(d) = applies
        .iter()
        .filter(|a| a.action == AuthzAction::Deny)
        .find(hit)
    {
        return Err(Some(d.name.clone()));
    }
    let allows: Vec<&&Authorization> = applies
        .iter()
        .filter(|a| a.action == AuthzAction::Allow)
        .collect();
    if allows.is_empty() || allows.iter().any(hit) {
        Ok(())
    } else {
        Err(None)
    }
}
