//! Properties over all inputs: any seed with any combination of faults ends,
//! never panics, and gives the same trace twice; the loader never panics,
//! whatever the file holds.

use std::sync::OnceLock;

use meshstep_sim::scenario::schema::ProxyMode;
use meshstep_sim::topology::Pod;
use meshstep_sim::trace::CallResult;
use meshstep_sim::{Fault, FaultStart, Lesson, RunOptions};
use proptest::prelude::*;

const IDS: [&str; 3] = ["mesh-vs-library", "why-mesh-matters", "mesh-overview"];

fn sources() -> &'static Vec<(String, String)> {
    static S: OnceLock<Vec<(String, String)>> = OnceLock::new();
    S.get_or_init(|| {
        IDS.iter()
            .map(|id| {
                let p = format!("{}/../../scenarios/{id}.ron", env!("CARGO_MANIFEST_DIR"));
                (p.clone(), std::fs::read_to_string(&p).unwrap())
            })
            .collect()
    })
}

fn lessons() -> &'static Vec<Lesson> {
    static L: OnceLock<Vec<Lesson>> = OnceLock::new();
    L.get_or_init(|| {
        sources()
            .iter()
            .map(|(p, s)| Lesson::from_source(p, s).unwrap())
            .collect()
    })
}

fn faults(mask: u8, probability: f64, pod: &Pod, pod_loss: bool) -> Vec<Fault> {
    let mut f = Vec::new();
    let (proxy, pod) = (pod.proxy, pod.id.as_str());
    let bit = |i: u8| mask & (1 << i) != 0;
    if bit(0) {
        f.push(Fault::ControlPlaneDown);
    }
    if bit(1) {
        f.push(Fault::ConfigPushHalted);
    }
    if bit(2) {
        f.push(Fault::MtlsOff);
    }
    if bit(3) {
        f.push(Fault::RetriesOff);
    }
    if bit(4) && proxy == ProxyMode::Sidecar {
        f.push(Fault::NoSidecar(pod.to_string()));
    }
    if bit(5) && proxy == ProxyMode::Library {
        f.push(Fault::NoLibrary(pod.to_string()));
    }
    if bit(6) {
        f.push(Fault::Lossy {
            pod: pod_loss.then(|| pod.to_string()),
            probability,
        });
    }
    f
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn any_seed_and_faults_end_deterministically(
        lesson in 0..IDS.len(),
        seed in any::<u64>(),
        mask in any::<u8>(),
        probability in 0.0f64..=1.0,
        pod in any::<prop::sample::Index>(),
        pod_loss in any::<bool>(),
        start in 0u8..3,
        at in 0u64..5_000_000,
    ) {
        let l = &lessons()[lesson];
        let pod = &l.topology.pods[pod.index(l.topology.pods.len())];
        let from = match start {
            0 => FaultStart::Beginning,
            1 => FaultStart::AtUs(at),
            _ => FaultStart::AfterRow((at % 40) as usize),
        };
        let opts = RunOptions { seed, faults: faults(mask, probability, pod, pod_loss), from, ..Default::default() };
        let a = l.run(&opts).unwrap();
        let b = l.run(&opts).unwrap();
        prop_assert_eq!(a.trace.digest(), b.trace.digest());
        // The run ended because the queue emptied, not at the event limit.
        prop_assert_eq!(a.trace.truncated, None);
        prop_assert!(a.trace.events < meshstep_sim::EVENT_LIMIT);
        // Every call ends one way or another: timers guarantee it.
        prop_assert!(a.trace.call_results.iter().flatten().all(|r| *r != CallResult::Pending));
        // Time never runs backwards, and every cause comes before its effect.
        prop_assert!(a.trace.rows.windows(2).all(|w| w[0].time_us <= w[1].time_us));
        for (i, r) in a.trace.rows.iter().enumerate() {
            prop_assert!(r.cause.is_none_or(|c| c.index() < i));
        }
    }

    #[test]
    fn the_loader_never_panics_on_a_mangled_lesson(
        lesson in 0..IDS.len(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<prop::sample::Index>()), 1..6),
    ) {
        let (path, src) = &sources()[lesson];
        let mut chars: Vec<char> = src.chars().collect();
        const JUNK: [char; 12] = ['(', ')', '[', ']', '{', '}', ',', ':', '"', 'x', '9', '\n'];
        for (at, op, what) in edits {
            if chars.is_empty() { break; }
            let i = at.index(chars.len());
            match op {
                0 => { chars.remove(i); }
                1 => chars.insert(i, JUNK[what.index(JUNK.len())]),
                2 => { let end = (i + what.index(40)).min(chars.len()); chars.drain(i..end); }
                _ => { let end = (i + what.index(40)).min(chars.len()); let dup: Vec<char> = chars[i..end].to_vec(); chars.splice(i..i, dup); }
            }
        }
        let mangled: String = chars.into_iter().collect();
        match Lesson::from_source(path, &mangled) {
            Ok(_) => {}
            Err(diags) => {
                prop_assert!(!diags.is_empty());
                for d in &diags {
                    // Every diagnostic points inside the file.
                    if let Some(s) = &d.span { prop_assert!(s.start <= s.end && s.end <= mangled.len()); }
                }
                let _ = meshstep_sim::diagnostics::render(path, &mangled, &diags);
            }
        }
    }
}
