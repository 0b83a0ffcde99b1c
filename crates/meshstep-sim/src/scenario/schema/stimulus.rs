//! Stimuli: what happens at given virtual times (calls, kubectl commands).

use serde::{Deserialize, Serialize};

use super::{HttpRequest, Resource, ResourceRef};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stimulus {
    /// Names the flow this stimulus starts, so steps and tracker rows can refer to it.
    #[serde(default)]
    pub id: Option<String>,
    pub at_us: u64,
    #[serde(rename = "do")]
    pub action: StimulusAction,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum StimulusAction {
    /// The app in pod `from` calls service `to` (a Service name, or the host
    /// of an entry in `topology.external`). `from` may name an ingress
    /// gateway: a client outside the cluster calls in through it.
    Call {
        from: String,
        to: String,
        /// Method, path and headers (default `GET /`).
        #[serde(default)]
        http: HttpRequest,
    },
    /// `kubectl apply -f <manifest>`: installs the mesh control plane (and
    /// its gateways). Pods already running keep running without a sidecar.
    KubectlApply { manifest: String },
    /// `kubectl apply -f <manifest>` of mesh configuration (routing, security
    /// or telemetry resources): the control plane sees the change and, after
    /// its debounce, pushes a new config version to the proxies.
    KubectlApplyConfig {
        manifest: String,
        /// What the manifest holds; each replaces the resource of the same
        /// kind and name. (Left out, the push carries no change of behaviour.)
        #[serde(default)]
        resources: Vec<Resource>,
    },
    /// `kubectl delete -f <manifest>`: these resources are removed, and the
    /// control plane pushes the change.
    KubectlDeleteConfig {
        manifest: String,
        resources: Vec<ResourceRef>,
    },
    /// A new image of every pod of app `app` is built with this proxy-library
    /// configuration and rolled out: the library's way to change routing or
    /// resilience (`latency.build_us`, then each pod restarts).
    RebuildApp { app: String, config: Vec<Resource> },
    /// `kubectl rollout restart deployment -n <namespace>`: every pod there is
    /// recreated, and the injection webhook adds a sidecar to those selected.
    KubectlRolloutRestart { namespace: String },
    /// `kubectl get pods -n <namespace>`.
    KubectlGetPods { namespace: String },
    /// `kubectl get svc -n <namespace>`.
    KubectlGetServices { namespace: String },
    /// `kubectl exec -it <pod> -- curl http://<service>`.
    KubectlExecCurl { pod: String, service: String },
    /// `kubectl logs <pod> [-c <container>]`: the app container's log unless
    /// the proxy's container is named.
    KubectlLogs {
        pod: String,
        #[serde(default)]
        container: Option<String>,
    },
    /// `istioctl proxy-status` (`linkerd diagnostics` for Linkerd): which
    /// config version each proxy holds, synced or stale.
    ProxyStatus,
    /// A configuration change reaches the control plane (by any route); it
    /// pushes the new version after its debounce.
    PushConfig,
}
