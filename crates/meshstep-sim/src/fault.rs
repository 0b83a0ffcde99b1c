//! Faults a learner can inject to ask "what if": each changes the simulation,
//! not the wording, so the trace shows what really follows.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Fault {
    /// The control plane is unreachable: no lookups answered, no telemetry
    /// accepted, no config pushed. Sidecars keep the config they have.
    ControlPlaneDown,
    /// The control plane takes telemetry but stops sending config.
    ConfigPushHalted,
    /// This pod was started without its sidecar (injection failed).
    NoSidecar(String),
    /// This app was built without its communication library.
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
            if (0.0..=1.0).contains(&v) {
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
