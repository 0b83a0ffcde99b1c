//! Each row of a call has a phase (sent, intercepted, forwarded, served,
//! answered), so runs through a library, a sidecar or nothing line up and
//! the sidecar's extra hops show as an extra phase and extra rows in one.

mod common;

use common::*;
use meshstep_sim::trace::Trace;
use meshstep_sim::trace::phase::Phase::{self, *};
use meshstep_sim::{Action, Topology};

/// The phases one flow goes through, each run of equal phases as one.
fn phases(t: &Topology, tr: &Trace, flow: &str) -> Vec<Phase> {
    let f = tr.flow(flow);
    let mut out: Vec<Phase> = Vec::new();
    for i in (0..tr.rows.len()).filter(|&i| tr.rows[i].flow == f) {
        if let Some(p) = tr.phase(t, i)
            && out.last() != Some(&p)
        {
            out.push(p);
        }
    }
    out
}

const THREE_WAYS: &str = r#"(control_plane: Some((id: "cp")),
    pods: [
        (id: "lib", app: "c", proxy: Library), (id: "side", app: "c", proxy: Sidecar),
        (id: "plain", app: "p"), (id: "s", app: "s", proxy: Sidecar), (id: "t", app: "t"),
    ],
    services: [(name: "s", selector: "s"), (name: "t", selector: "t")])"#;

#[test]
fn a_call_through_sidecars_goes_through_every_phase_in_order() {
    let t = topo(THREE_WAYS);
    let s = stimuli(r#"[(id: Some("m"), at_us: 0, do: Call(from: "side", to: "s"))]"#);
    let tr = run(&t, &s, 0, vec![]);
    assert_eq!(
        phases(&t, &tr, "m"),
        [Sent, Intercepted, Forwarded, Served, Answered]
    );
    // The server's sidecar hands on its app's answer: still the server's phase.
    let server_return = (tr.rows.iter().enumerate())
        .find(|(_, r)| {
            r.action == Action::ReturnResponse && r.component == t.find("s/sidecar").unwrap()
        })
        .map(|(i, _)| i)
        .unwrap();
    assert_eq!(tr.phase(&t, server_return), Some(Served));
}

#[test]
fn a_library_call_has_no_intercepted_phase_and_a_plain_call_no_proxy_phase() {
    let t = topo(THREE_WAYS);
    let s = stimuli(
        r#"[(id: Some("l"), at_us: 0, do: Call(from: "lib", to: "t")),
            (id: Some("p"), at_us: 100000, do: Call(from: "plain", to: "t"))]"#,
    );
    let tr = run(&t, &s, 0, vec![]);
    assert_eq!(phases(&t, &tr, "l"), [Sent, Forwarded, Served, Answered]);
    assert_eq!(phases(&t, &tr, "p"), [Sent, Served, Answered]);
}

#[test]
fn rows_outside_any_call_have_no_phase() {
    let t = topo(THREE_WAYS);
    let s = stimuli(r#"[(id: Some("m"), at_us: 0, do: Call(from: "side", to: "s"))]"#);
    let tr = run(&t, &s, 0, vec![]);
    for (i, r) in tr.rows.iter().enumerate() {
        if r.request.is_none() {
            assert_eq!(tr.phase(&t, i), None, "{r:?}");
        }
    }
    assert_eq!(tr.phase(&t, tr.rows.len() - 1), None, "the end row");
}
