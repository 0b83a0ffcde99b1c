//! The operator's commands and what they print, computed from the world as it
//! is (so a control plane that is down shows as crash-looping).
//!
//! `kubectl logs POD` shows the app container: Istio's injector marks it as
//! the pod's default container. The proxy's access log needs `-c istio-proxy`
//! (`-c linkerd-proxy`) and access logging switched on
//! (<https://istio.io/latest/docs/tasks/observability/logs/access-log/>).

use crate::action::Action;
use crate::component::State;
use crate::engine::config::ConfigSet;
use crate::engine::cx::Cx;
use crate::engine::request::Target;
use crate::engine::world::Phase;
use crate::engine::{control_plane, pod};
use crate::ids::PodId;
use crate::scenario::schema::{Flavour, Resource, ResourceKind, ResourceRef};
use crate::topology::{PodKind, Topology};
use crate::trace::{CallResult, FlowId, Outcome, fmt_us};

fn print(cx: &mut Cx<'_>, action: Action, flow: FlowId, command: String, output: String) {
    let k = cx.topo.kubectl;
    cx.row(k, action)
        .flow(Some(flow))
        .outcome(Outcome::Output(output.into_boxed_str()))
        .note(command)
        .record();
}

/// `kubectl apply -f MANIFEST` of the mesh itself.
pub(crate) fn apply_mesh(cx: &mut Cx<'_>, flow: FlowId, manifest: &str) {
    let out = match &cx.topo.control_plane {
        None => "no control plane in this topology: nothing to install".to_string(),
        Some(_) if cx.world.cp.installed => {
            "service mesh resources unchanged (already installed)".to_string()
        }
        Some(cp) => format!(
            "namespace/{} created, {} deployment(s) created, sidecar injector configured",
            cp.namespace(),
            cp.pod_names().len() + cx.topo.gateways.len()
        ),
    };
    let install = cx.topo.control_plane.is_some() && !cx.world.cp.installed;
    if install {
        control_plane::install(cx);
    }
    print(
        cx,
        Action::ApplyManifest,
        flow,
        format!("kubectl apply -f {manifest}"),
        out,
    );
}

/// How `kubectl` names a resource in what it prints.
fn printed(r: &ResourceRef) -> String {
    let group = match r.kind {
        ResourceKind::VirtualService | ResourceKind::DestinationRule => "networking.istio.io",
        ResourceKind::PeerAuthentication | ResourceKind::AuthorizationPolicy => "security.istio.io",
    };
    format!(
        "{}.{group}/{}",
        format!("{:?}", r.kind).to_lowercase(),
        r.name
    )
}

/// `kubectl apply -f MANIFEST` of mesh configuration: the API server keeps
/// the resources, and the control plane sees the change.
pub(crate) fn apply_config(cx: &mut Cx<'_>, flow: FlowId, manifest: &str, resources: &[Resource]) {
    let installed = cx.world.cp.installed;
    let out = if !installed {
        format!(
            "{manifest}: error: no matches for kind: the mesh's resource types are not installed"
        )
    } else if resources.is_empty() {
        format!("{manifest}: configured")
    } else {
        let held = &cx.world.staged.resources;
        resources
            .iter()
            .map(|r| {
                let id = r.reference();
                let verb = match held.iter().find(|h| h.reference() == id) {
                    None => "created",
                    Some(h) if h == r => "unchanged",
                    Some(_) => "configured",
                };
                format!("{} {verb}", printed(&id))
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    print(
        cx,
        Action::ApplyMeshConfig,
        flow,
        format!("kubectl apply -f {manifest}"),
        out,
    );
    if installed {
        let mut changes: Vec<String> = resources
            .iter()
            .map(|r| r.reference().to_string())
            .collect();
        if resources.is_empty() {
            changes.push(format!("the change in {manifest}"));
        }
        stage(cx, flow, (resources, &[]), changes);
    }
}

/// The API server now holds `add` and no longer `remove`: the staged config
/// changes, the change is named for the next push, and the control plane
/// sees it.
fn stage(
    cx: &mut Cx<'_>,
    flow: FlowId,
    (add, remove): (&[Resource], &[ResourceRef]),
    changes: Vec<String>,
) {
    let next = cx.world.staged.changed(cx.topo, add, remove);
    cx.world.staged = std::sync::Arc::new(next);
    cx.world.changes.extend(changes);
    control_plane::changed(cx, Some(flow));
}

/// `kubectl delete -f MANIFEST`: the resources go, and the control plane
/// sees the change.
pub(crate) fn delete_config(cx: &mut Cx<'_>, flow: FlowId, manifest: &str, refs: &[ResourceRef]) {
    let installed = cx.world.cp.installed;
    let held: Vec<ResourceRef> = cx
        .world
        .staged
        .resources
        .iter()
        .map(Resource::reference)
        .collect();
    let out = if !installed {
        format!("{manifest}: error: the mesh's resource types are not installed")
    } else {
        refs.iter()
            .map(|r| {
                if held.contains(r) {
                    format!("{} deleted", printed(r))
                } else {
                    format!("Error from server (NotFound): {} not found", printed(r))
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    print(
        cx,
        Action::ApplyMeshConfig,
        flow,
        format!("kubectl delete -f {manifest}"),
        out,
    );
    let gone: Vec<ResourceRef> = refs.iter().filter(|r| held.contains(r)).cloned().collect();
    if installed && !gone.is_empty() {
        let changes = gone.iter().map(|r| format!("{r} deleted")).collect();
        stage(cx, flow, (&[], &gone), changes);
    }
}

/// A new image of an app is built with a new proxy-library configuration,
/// then rolled out: the library's only way to change how it routes and
/// retries.
pub(crate) fn rebuild_app(
    cx: &mut Cx<'_>,
    flow: FlowId,
    index: u32,
    app: &str,
    config: &[Resource],
) {
    let topo = cx.topo;
    let build = cx.world.builds.len() as u32;
    cx.world.builds.push(std::sync::Arc::new(ConfigSet::compile(
        topo,
        config.to_vec(),
    )));
    let pods = topo.pods.iter().filter(|p| p.app_label == app).count();
    print(
        cx,
        Action::RebuildApp,
        flow,
        format!(
            "docker build -t {app}:build-{build} . && kubectl set image deployment/{app} app={app}:build-{build}"
        ),
        format!(
            "building a new image of {app} with its new library configuration ({}), then replacing its {pods} pod(s)",
            fmt_us(topo.latency.build_us)
        ),
    );
    cx.after(
        topo.latency.build_us,
        crate::engine::event::Event::Pod(crate::engine::event::PodEvent::Built {
            stimulus: index,
            build,
        }),
    );
}

/// The new image is pushed: every pod of the app is replaced by one running it.
pub(crate) fn roll_out(cx: &mut Cx<'_>, app: &str, build: u32) {
    let flow = cx.cause_flow();
    let pods: Vec<PodId> = (0..cx.topo.pods.len() as u32)
        .map(PodId)
        .filter(|&p| cx.topo.pod(p).app_label == app)
        .collect();
    for p in pods {
        pod::recreate_with(cx, p, flow, Some(build));
    }
}

pub(crate) fn get_pods(cx: &mut Cx<'_>, flow: FlowId, ns: &str) {
    let topo = cx.topo;
    let w = &cx.world;
    let mut out = Vec::new();
    if let (Some(cp), Some(cid)) = (&topo.control_plane, topo.control_plane_id)
        && cp.namespace() == ns
        && w.cp.installed
    {
        let status = match w.states[cid.index()] {
            State::Starting => "ContainerCreating",
            State::Down => "CrashLoopBackOff",
            _ => "Running",
        };
        out.extend(
            cp.pod_names()
                .iter()
                .map(|p| format!("{p} STATUS={status}")),
        );
    }
    for g in topo.gateways.iter().filter(|g| g.namespace == ns) {
        if w.cp.installed {
            // Its pods start with the control plane's.
            let status = match w.states[g.component.index()] {
                State::NotInstalled | State::Starting => "ContainerCreating",
                _ => "Running",
            };
            out.push(format!("{} STATUS={status}", g.id));
        }
    }
    for (i, p) in topo
        .pods
        .iter()
        .enumerate()
        .filter(|(_, p)| p.namespace == ns && p.kind == PodKind::Workload)
    {
        let rt = w.pod(PodId(i as u32));
        out.push(match rt.phase {
            Phase::CrashLoop => format!("{} READY=0/1 STATUS=CrashLoopBackOff", p.id),
            Phase::Running => {
                // istio-proxy reports ready only once its first config has
                // arrived; the app, once its readiness probe passes.
                let proxy_ready = rt
                    .proxy
                    .as_ref()
                    .map(|x| x.config.is_some() || topo.flavour() == Some(Flavour::Linkerd));
                let containers = 1 + u32::from(proxy_ready.is_some());
                let ready = u32::from(rt.ready) + u32::from(proxy_ready == Some(true));
                format!("{} READY={ready}/{containers} STATUS=Running", p.id)
            }
        });
    }
    let out = listing(ns, out);
    print(
        cx,
        Action::ListPods,
        flow,
        format!("kubectl get pods -n {ns}"),
        out,
    );
}

pub(crate) fn get_services(cx: &mut Cx<'_>, flow: FlowId, ns: &str) {
    let topo = cx.topo;
    let mut out = Vec::new();
    if let Some(cp) = &topo.control_plane
        && cp.namespace() == ns
        && cx.world.cp.installed
    {
        out.extend(cp.pod_names().iter().map(|p| format!("{p} (ClusterIP)")));
        out.extend(
            topo.gateways
                .iter()
                .filter(|g| g.namespace == ns)
                .map(|g| format!("{} (LoadBalancer)", g.id)),
        );
    }
    for s in topo.services.iter().filter(|s| s.namespace == ns) {
        out.push(format!(
            "{} (ClusterIP, {} endpoint(s))",
            s.name,
            s.endpoints.len()
        ));
    }
    let out = listing(ns, out);
    print(
        cx,
        Action::ListServices,
        flow,
        format!("kubectl get svc -n {ns}"),
        out,
    );
}

/// `kubectl logs POD [-c CONTAINER]`.
pub(crate) fn logs(cx: &mut Cx<'_>, flow: FlowId, pod: PodId, container: Option<&str>) {
    let topo = cx.topo;
    let name = &topo.pod(pod).id;
    let proxy_container = topo.flavour().map(|f| f.proxy_container());
    let command = match container {
        Some(c) => format!("kubectl logs {name} -c {c}"),
        None => format!("kubectl logs {name}"),
    };
    let entries = &cx.world.logs[pod.index()];
    let out = match container {
        Some(c) if Some(c) == proxy_container => {
            if !cx.world.has_sidecar(pod) {
                format!("error: container {c} is not valid for pod {name}")
            } else if !cx.world.mesh.access_log {
                format!(
                    "{name} proxy: no access log lines (access logging is off; the mesh config turns it on)"
                )
            } else {
                access_log(name, entries)
            }
        }
        Some(c) if c != topo.pod(pod).app_label && c != "app" => {
            format!("error: container {c} is not valid for pod {name}")
        }
        _ => app_log(
            name,
            entries,
            cx.world.served[pod.index()],
            cx.world.pod(pod).phase,
        ),
    };
    print(cx, Action::ReadLogs, flow, command, out);
}

fn app_log(
    name: &str,
    entries: &[crate::engine::world::LogEntry],
    served: u32,
    phase: Phase,
) -> String {
    if phase == Phase::CrashLoop {
        return format!(
            "{name}: error at start: cannot import the communication library (the container exits)"
        );
    }
    let failed = entries.iter().filter(|l| l.status >= 400).count();
    format!(
        "{name} app log: {} call(s) made, {} failed; {served} request(s) handled. The app logs no retries, encryption or mesh metrics",
        entries.len(),
        failed
    )
}

fn access_log(name: &str, entries: &[crate::engine::world::LogEntry]) -> String {
    let proxied: Vec<_> = entries.iter().filter(|l| l.proxied).collect();
    let Some(last) = proxied.last() else {
        return format!("{name} proxy: no requests logged yet");
    };
    let retries: u32 = proxied.iter().map(|l| l.retries).sum();
    let mtls = proxied.iter().filter(|l| l.encrypted).count();
    format!(
        "{name} proxy access log: {} request(s), last HTTP {} in {}, {} retr{}, {} of {} over mTLS",
        proxied.len(),
        last.status,
        fmt_us(last.latency_us),
        retries,
        if retries == 1 { "y" } else { "ies" },
        mtls,
        proxied.len()
    )
}

/// `kubectl rollout restart deployment -n NS`: every pod there is recreated.
pub(crate) fn rollout_restart(cx: &mut Cx<'_>, flow: FlowId, ns: &str) {
    let pods: Vec<PodId> = (0..cx.topo.pods.len() as u32)
        .map(PodId)
        .filter(|&p| cx.topo.pod(p).namespace == ns && cx.topo.pod(p).kind == PodKind::Workload)
        .collect();
    let mut apps: Vec<&str> = pods
        .iter()
        .map(|&p| cx.topo.pod(p).app_label.as_str())
        .collect();
    apps.dedup();
    let out = listing(
        ns,
        apps.iter()
            .map(|a| format!("deployment.apps/{a} restarted"))
            .collect(),
    );
    print(
        cx,
        Action::RolloutRestart,
        flow,
        format!("kubectl rollout restart deployment -n {ns}"),
        out,
    );
    for p in pods {
        pod::recreate(cx, p, Some(flow));
    }
}

/// `istioctl proxy-status`: each proxy's config version against the newest.
/// Linkerd has no such command: its proxies ask for what they need.
pub(crate) fn proxy_status(cx: &mut Cx<'_>, flow: FlowId) {
    let topo = cx.topo;
    if topo.flavour() == Some(crate::scenario::schema::Flavour::Linkerd) {
        let out = "linkerd has no proxy-status: each proxy asks the destination service about a target when it needs it (`linkerd check --proxy` checks the proxies)".to_string();
        return print(
            cx,
            Action::ProxyStatus,
            flow,
            "istioctl proxy-status".into(),
            out,
        );
    }
    let newest = cx.world.cp.version;
    let lines: Vec<String> = (0..topo.pods.len() as u32)
        .map(PodId)
        .filter_map(|p| {
            let proxy = cx.world.pod(p).proxy.as_ref()?;
            let pod = topo.pod(p);
            let state = match proxy.config {
                None => "NOT SENT".to_string(),
                Some(v) if v >= newest => format!("SYNCED (v{v})"),
                Some(v) => format!("STALE (v{v} of v{newest})"),
            };
            Some(format!("{}.{} {state}", pod.id, pod.namespace))
        })
        .collect();
    let out = if !cx.world.cp.up {
        "Error: no running control plane to ask".to_string()
    } else if lines.is_empty() {
        "no proxies connected".to_string()
    } else {
        lines.join(", ")
    };
    print(
        cx,
        Action::ProxyStatus,
        flow,
        "istioctl proxy-status".into(),
        out,
    );
}

/// What `kubectl exec … curl` prints for a call's result.
pub(crate) fn curl_output(topo: &Topology, result: CallResult, target: Target) -> String {
    let host = match target {
        Target::Service(s) => topo.service(s).name.as_str(),
        Target::External(h) => topo.external[h.index()].host.as_str(),
    };
    match result {
        CallResult::Http(s) => format!("HTTP {s} {} from {host}", crate::trace::status_text(s)),
        CallResult::Failed(f) => format!("curl: http://{host} failed: {}", f.describe()),
        CallResult::Pending => format!("curl: http://{host}: no answer yet"),
    }
}

/// What kubectl prints for a list of lines in a namespace: the lines, or its
/// own words when the namespace has nothing of the kind.
fn listing(ns: &str, lines: Vec<String>) -> String {
    if lines.is_empty() {
        format!("No resources found in {ns} namespace.")
    } else {
        lines.join(", ")
    }
}
