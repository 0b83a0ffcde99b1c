//! The ways a call between two apps can be made that meshstep compares: the
//! apps alone, a proxy library compiled into each app, a sidecar proxy in
//! each pod, and Istio's ambient mode (a ztunnel per node). One list, used by
//! the comparison, the scale lab, the command line and the panels.

use serde::Serialize;

use crate::scenario::schema::ProxyMode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Approach {
    /// Plain apps calling each other: the baseline every overhead is measured against.
    Direct,
    /// Proxy logic compiled into every app (a client library).
    Library,
    /// A proxy container beside every app.
    Sidecar,
    /// No proxy in the pod: the node's ztunnel carries its traffic (Istio only).
    Ambient,
}

impl Approach {
    pub const ALL: [Approach; 4] = [
        Approach::Direct,
        Approach::Library,
        Approach::Sidecar,
        Approach::Ambient,
    ];

    /// The name used on the command line, in share links and in JSON/CSV.
    pub fn key(self) -> &'static str {
        match self {
            Approach::Direct => "direct",
            Approach::Library => "library",
            Approach::Sidecar => "sidecar",
            Approach::Ambient => "ambient",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Approach::Direct => "No proxy",
            Approach::Library => "Library",
            Approach::Sidecar => "Sidecar",
            Approach::Ambient => "Ambient",
        }
    }

    pub fn from_key(key: &str) -> Option<Approach> {
        Approach::ALL.into_iter().find(|a| a.key() == key)
    }

    /// What every app pod is given in this approach's run.
    pub fn proxy_mode(self) -> ProxyMode {
        match self {
            Approach::Direct => ProxyMode::None,
            Approach::Library => ProxyMode::Library,
            Approach::Sidecar => ProxyMode::Sidecar,
            Approach::Ambient => ProxyMode::Ambient,
        }
    }

    /// Whether it needs a control plane to configure its proxies.
    pub fn needs_control_plane(self) -> bool {
        matches!(self, Approach::Sidecar | Approach::Ambient)
    }

    /// Whether a policy change reaches it without rebuilding apps.
    pub fn configured_at_runtime(self) -> bool {
        self.needs_control_plane()
    }
}
