//! What each fault does to the simulated world, when it takes effect: from
//! the start, or during a run (a what-if from a step or a time), and the
//! component the trace shows it on. One match over [`Fault`]'s variants; the
//! variants themselves, their spellings and checks are in the format.

use crate::component::State;
use crate::engine::world::{Phase, World};
use crate::fault::Fault;
use crate::queue::Micros;
use crate::topology::Topology;

impl Fault {
    /// The component a fault is shown on when it strikes during a run: what
    /// breaks, or kubectl for a change an operator makes.
    pub fn actor(&self, topo: &Topology) -> crate::ComponentId {
        let pod = |id: &str| topo.pod_id(id).map(|p| topo.pod(p));
        match self {
            Fault::ControlPlaneDown | Fault::ConfigPushHalted => {
                topo.control_plane_id.unwrap_or(topo.kubectl)
            }
            Fault::NoSidecar(p) => pod(p).and_then(|p| p.sidecar).unwrap_or(topo.kubectl),
            Fault::NoLibrary(p) => pod(p).map_or(topo.kubectl, |p| p.app),
            Fault::Lossy { pod: Some(p), .. } => pod(p).map_or(topo.kubectl, |p| p.pod),
            Fault::Lossy { pod: None, .. } | Fault::MtlsOff | Fault::RetriesOff => topo.kubectl,
        }
    }

    /// Changes the world as the fault says. A fault naming a pod that does
    /// not exist changes nothing ([`Fault::check`] refuses it before a run).
    pub(crate) fn apply(&self, topo: &Topology, world: &mut World, now: Micros) {
        let pod = self.pod().and_then(|id| topo.pod_id(id));
        match (self, pod) {
            (Fault::ControlPlaneDown, _) => {
                world.cp.up = false;
                world.cp.pending = None;
                world.cp.down_since = Some(world.cp.down_since.unwrap_or(now));
                if let Some(c) = topo.control_plane_id
                    && world.cp.installed
                {
                    world.states[c.index()] = State::Down;
                }
            }
            (Fault::ConfigPushHalted, _) => world.cp.push_halted = true,
            (Fault::NoSidecar(_), Some(p)) => {
                world.pod_mut(p).proxy = None;
                world.pod_mut(p).injection_blocked = true;
                if let Some(s) = topo.pod(p).sidecar {
                    world.states[s.index()] = State::Missing;
                }
            }
            (Fault::NoLibrary(_), Some(p)) => {
                if world.serves(p) {
                    world.not_serving += 1;
                }
                world.pod_mut(p).phase = Phase::CrashLoop;
                let spec = topo.pod(p);
                world.states[spec.app.index()] = State::NotRunning;
                if let Some(l) = spec.library {
                    world.states[l.index()] = State::Missing;
                }
            }
            (Fault::MtlsOff, _) => world.mtls_off = true,
            (Fault::RetriesOff, _) => world.retries_off = true,
            (Fault::Lossy { probability, .. }, p) => {
                let v = if probability.is_finite() {
                    probability.clamp(0.0, 1.0)
                } else {
                    0.0
                };
                match (self.pod(), p) {
                    (None, _) => world.pods.iter_mut().for_each(|x| x.loss = v),
                    (Some(_), Some(p)) => world.pod_mut(p).loss = v,
                    (Some(_), None) => {}
                }
            }
            (Fault::NoSidecar(_) | Fault::NoLibrary(_), None) => {}
        }
    }
}
