//! Helpers shared by the engine tests: small clusters written in RON, run
//! with recording on, and readers for what the trace says.
#![allow(dead_code)]

use meshstep_sim::scenario::schema::{Stimulus, TopologySpec};
use meshstep_sim::trace::{CallResult, Outcome};
use meshstep_sim::{Action, Fault, FaultStart, RunOptions, Topology, Trace, simulate};

pub fn topo(src: &str) -> Topology {
    let spec: TopologySpec = meshstep_sim::scenario::load::ron_options()
        .from_str(src)
        .expect("test topology parses");
    Topology::build(&spec, &Default::default()).expect("test topology builds")
}

pub fn stimuli(src: &str) -> Vec<Stimulus> {
    meshstep_sim::scenario::load::ron_options()
        .from_str(src)
        .expect("test stimuli parse")
}

pub fn run(t: &Topology, s: &[Stimulus], seed: u64, faults: Vec<Fault>) -> Trace {
    run_from(t, s, seed, faults, FaultStart::Beginning)
}

pub fn run_from(
    t: &Topology,
    s: &[Stimulus],
    seed: u64,
    faults: Vec<Fault>,
    from: FaultStart,
) -> Trace {
    simulate(
        t,
        s,
        &RunOptions {
            seed,
            faults,
            from,
            record: true,
            max_events: None,
            ..Default::default()
        },
    )
    .expect("runs")
}

/// The actions one component performed, in order.
pub fn actions(t: &Topology, tr: &Trace, id: &str) -> Vec<Action> {
    let c = t.find(id).expect("component exists");
    tr.rows
        .iter()
        .filter(|r| r.component == c)
        .map(|r| r.action)
        .collect()
}

/// The rows of one component doing one action.
pub fn rows<'a>(
    t: &Topology,
    tr: &'a Trace,
    id: &str,
    a: Action,
) -> Vec<&'a meshstep_sim::TraceRow> {
    let c = t.find(id).expect("component exists");
    tr.rows
        .iter()
        .filter(|r| r.component == c && r.action == a)
        .collect()
}

pub fn result(tr: &Trace, flow: &str) -> CallResult {
    tr.call_results[tr.flow(flow).expect("flow").0 as usize].expect("flow made a call")
}

pub fn output(o: &Outcome) -> String {
    match o {
        Outcome::Output(s) => s.to_string(),
        o => panic!("not a command's output: {o:?}"),
    }
}

/// A mesh with two sidecar pods, a library pod and a plain pod.
pub const MESH: &str = r#"(
    control_plane: Some((id: "cp")),
    pods: [
        (id: "a", app: "a", proxy: Sidecar),
        (id: "b", app: "b", proxy: Sidecar),
        (id: "lib", app: "lib", proxy: Library),
        (id: "plain", app: "plain"),
    ],
    services: [(name: "b", selector: "b")],
)"#;

pub const CALL_A: &str = r#"[(id: Some("call"), at_us: 0, do: Call(from: "a", to: "b"))]"#;
