//! Faults a learner can inject to ask "what if": each changes the simulated
//! world, not the wording, so the trace shows what really follows. This is
//! the fault as the format knows it: its variants, spellings and whether it
//! fits a topology. What it does to the world is the engine's
//! (`engine::faults`), one match over these same variants.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::topology::{ProxyMode, TopologySpec};

/// What a fault needs to know of a topology to tell whether it fits: a
/// lesson's written topology, or the one built from it.
pub trait FaultTarget {
    /// The proxy mode of the pod with this id, if there is one.
    fn pod_proxy(&self, id: &str) -> Option<ProxyMode>;
    fn pod_ids(&self) -> impl Iterator<Item = &str>;
    fn has_control_plane(&self) -> bool;
}

impl FaultTarget for TopologySpec {
    fn pod_proxy(&self, id: &str) -> Option<ProxyMode> {
        self.pods.iter().find(|p| p.id == id).map(|p| p.proxy)
    }
    fn pod_ids(&self) -> impl Iterator<Item = &str> {
        self.pods.iter().map(|p| p.id.as_str())
    }
    fn has_control_plane(&self) -> bool {
        self.control_plane.is_some()
    }
}
use crate::suggest::did_you_mean;

/// The range a loss probability must lie in, whether it comes from a
/// lesson or from `--fault lossy=…`.
pub(crate) const PROBABILITY: std::ops::RangeInclusive<f64> = 0.0..=1.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Fault {
    /// The control plane's pods are down from the start: no config pushed, no
    /// lookups answered, no certificates renewed, no sidecar injected into new
    /// pods. Proxies keep the config and certificates they have; metrics are
    /// unaffected (the proxies keep them for Prometheus to scrape).
    ControlPlaneDown,
    /// The control plane runs and sees changes but sends no config.
    ConfigPushHalted,
    /// This pod was started without its sidecar (injection failed).
    NoSidecar(String),
    /// This app's code imports a communication library it was deployed
    /// without: the container exits at start (CrashLoopBackOff). A compiled
    /// app would not even build.
    NoLibrary(String),
    /// Proxies send plaintext instead of mutual TLS.
    MtlsOff,
    /// Network links drop messages with this probability (0..=1); with a pod,
    /// only that pod's link.
    Lossy {
        pod: Option<String>,
        probability: f64,
    },
    /// Proxies make a single attempt.
    RetriesOff,
}

impl Fault {
    /// The pod a fault names, for validation.
    pub fn pod(&self) -> Option<&str> {
        match self {
            Fault::NoSidecar(p) | Fault::NoLibrary(p) => Some(p),
            Fault::Lossy { pod, .. } => pod.as_deref(),
            _ => None,
        }
    }

    /// Checks the fault against a lesson's topology: the problem (and a
    /// hint) if it cannot apply there.
    pub fn check(&self, topo: &impl FaultTarget) -> Result<(), (String, Option<String>)> {
        let pod = |id: &str| {
            topo.pod_proxy(id).ok_or_else(|| {
                (
                    format!("there is no pod `{id}`"),
                    did_you_mean(id, topo.pod_ids()),
                )
            })
        };
        match self {
            Fault::NoSidecar(p) => {
                if pod(p)? != ProxyMode::Sidecar {
                    return Err((
                        format!("pod `{p}` has no sidecar to leave out"),
                        Some("`NoSidecar` names a pod with `proxy: Sidecar`".into()),
                    ));
                }
            }
            Fault::NoLibrary(p) => {
                if pod(p)? != ProxyMode::Library {
                    return Err((
                        format!("pod `{p}` has no library to leave out"),
                        Some("`NoLibrary` names a pod with `proxy: Library`".into()),
                    ));
                }
            }
            Fault::Lossy {
                pod: p,
                probability,
            } => {
                if let Some(p) = p {
                    pod(p)?;
                }
                if !PROBABILITY.contains(probability) {
                    return Err((
                        format!("loss probability {probability} is not between 0 and 1"),
                        Some("use a value such as 0.3".into()),
                    ));
                }
            }
            Fault::ControlPlaneDown | Fault::ConfigPushHalted => {
                if !topo.has_control_plane() {
                    return Err((
                        "the topology has no control plane to break".into(),
                        Some(
                            "add `control_plane: (id: \"istiod\")`, or choose another fault".into(),
                        ),
                    ));
                }
            }
            Fault::MtlsOff | Fault::RetriesOff => {}
        }
        Ok(())
    }

    /// Command-line spellings, for help text and error messages.
    pub const SYNTAX: &'static str = "control-plane-down | config-push-halted | no-sidecar=POD | no-library=POD | mtls-off | lossy=P | lossy=POD:P | retries-off";
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::ControlPlaneDown => write!(f, "control-plane-down"),
            Fault::ConfigPushHalted => write!(f, "config-push-halted"),
            Fault::NoSidecar(p) => write!(f, "no-sidecar={p}"),
            Fault::NoLibrary(p) => write!(f, "no-library={p}"),
            Fault::MtlsOff => write!(f, "mtls-off"),
            Fault::Lossy {
                pod: None,
                probability,
            } => write!(f, "lossy={probability}"),
            Fault::Lossy {
                pod: Some(p),
                probability,
            } => write!(f, "lossy={p}:{probability}"),
            Fault::RetriesOff => write!(f, "retries-off"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown fault `{given}`: expected {}", Fault::SYNTAX)]
pub struct ParseFaultError {
    pub given: String,
}

impl FromStr for Fault {
    type Err = ParseFaultError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || ParseFaultError {
            given: s.to_string(),
        };
        let (name, arg) = match s.split_once('=') {
            Some((n, a)) => (n, Some(a)),
            None => (s, None),
        };
        let prob = |p: &str| -> Result<f64, ParseFaultError> {
            let v: f64 = p.parse().map_err(|_| bad())?;
            if PROBABILITY.contains(&v) {
                Ok(v)
            } else {
                Err(bad())
            }
        };
        match (name, arg) {
            ("control-plane-down", None) => Ok(Fault::ControlPlaneDown),
            ("config-push-halted", None) => Ok(Fault::ConfigPushHalted),
            ("mtls-off", None) => Ok(Fault::MtlsOff),
            ("retries-off", None) => Ok(Fault::RetriesOff),
            ("no-sidecar", Some(p)) if !p.is_empty() => Ok(Fault::NoSidecar(p.into())),
            ("no-library", Some(p)) if !p.is_empty() => Ok(Fault::NoLibrary(p.into())),
            ("lossy", Some(a)) => match a.rsplit_once(':') {
                Some((pod, p)) if !pod.is_empty() => Ok(Fault::Lossy {
                    pod: Some(pod.into()),
                    probability: prob(p)?,
                }),
                _ => Ok(Fault::Lossy {
                    pod: None,
                    probability: prob(a)?,
                }),
            },
            _ => Err(bad()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_every_spelling() {
        for s in [
            "control-plane-down",
            "config-push-halted",
            "no-sidecar=web",
            "no-library=shop",
            "mtls-off",
            "lossy=0.25",
            "lossy=web:0.5",
            "retries-off",
        ] {
            let f: Fault = s.parse().unwrap();
            assert_eq!(f.to_string(), s);
        }
    }

    #[test]
    fn each_spelling_parses_to_its_own_variant() {
        use Fault::*;
        let cases = [
            ("control-plane-down", ControlPlaneDown),
            ("config-push-halted", ConfigPushHalted),
            ("no-sidecar=web", NoSidecar("web".into())),
            ("no-library=shop", NoLibrary("shop".into())),
            ("mtls-off", MtlsOff),
            ("retries-off", RetriesOff),
            (
                "lossy=0.25",
                Lossy {
                    pod: None,
                    probability: 0.25,
                },
            ),
            (
                "lossy=web:0.5",
                Lossy {
                    pod: Some("web".into()),
                    probability: 0.5,
                },
            ),
        ];
        for (s, want) in cases {
            assert_eq!(s.parse::<Fault>().unwrap(), want, "{s}");
        }
    }

    #[test]
    fn rejects_bad_spellings() {
        for s in [
            "",
            "lossy=2",
            "lossy=x",
            "no-sidecar=",
            "controlplane",
            "mtls-off=1",
        ] {
            assert!(s.parse::<Fault>().is_err(), "{s} should not parse");
        }
    }
}
