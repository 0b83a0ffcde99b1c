//! The data paths, checked on small hand-built clusters: sidecars intercept,
//! police, encrypt, retry and count metrics; libraries do it in-process;
//! direct calls get none of it; faults change what happens.

mod common;

use common::*;
use meshstep_sim::trace::{CallResult, Failure, Outcome};
use meshstep_sim::{Action, Fault, RunOptions, simulate};

#[test]
fn sidecar_intercepts_polices_forwards_counts_metrics_and_returns() {
    let t = topo(MESH);
    let tr = run(&t, &stimuli(CALL_A), 1, vec![]);
    assert_eq!(
        actions(&t, &tr, "a/sidecar"),
        [
            Action::Intercept,
            Action::ApplyPolicies,
            Action::Forward,
            Action::ReportMetrics,
            Action::ReturnResponse
        ]
    );
    assert_eq!(
        actions(&t, &tr, "b/sidecar"),
        [Action::InterceptInbound, Action::ReturnResponse]
    );
    let fwd = rows(&t, &tr, "a/sidecar", Action::Forward);
    assert_eq!(
        fwd[0].outcome,
        Outcome::Forwarded {
            endpoint: t.pod_id("b"),
            attempt: 1,
            encrypted: true,
        }
    );
    assert_eq!(result(&tr, "call"), CallResult::Http(200));
    assert_eq!(tr.rows.last().unwrap().action, Action::End);
}

#[test]
fn metrics_stay_in_the_proxy_and_never_reach_the_control_plane() {
    let t = topo(MESH);
    let tr = run(&t, &stimuli(CALL_A), 1, vec![]);
    assert_eq!(rows(&t, &tr, "a/sidecar", Action::ReportMetrics).len(), 1);
    // The control plane neither receives metrics nor pushes because of them.
    assert_eq!(actions(&t, &tr, "cp"), Vec::<Action>::new());
    assert!(tr.rows.iter().all(|r| r.action != Action::ReceiveMetrics));
    // With the control plane down, metrics are recorded just the same.
    let down = run(&t, &stimuli(CALL_A), 1, vec![Fault::ControlPlaneDown]);
    let report = rows(&t, &down, "a/sidecar", Action::ReportMetrics);
    assert_eq!(report.len(), 1);
    assert_eq!(report[0].outcome, Outcome::Done);
}

#[test]
fn the_extra_sidecar_hops_cost_exactly_what_the_scenario_says() {
    // Same server, once through a library (in-process) and once through a sidecar.
    let t = topo(
        r#"(control_plane: Some((id: "cp")),
            pods: [(id: "lib", app: "c", proxy: Library), (id: "side", app: "c", proxy: Sidecar), (id: "s", app: "s")],
            services: [(name: "s", selector: "s")],
            latency: (loopback_us: 20, network_us: 500, control_plane_us: 300, library_us: 50, intercept_us: 30, sidecar_us: 100))"#,
    );
    let s = stimuli(
        r#"[(id: Some("l"), at_us: 0, do: Call(from: "lib", to: "s")), (id: Some("m"), at_us: 100000, do: Call(from: "side", to: "s"))]"#,
    );
    let tr = run(&t, &s, 0, vec![]);
    let latency = |id: &str| match rows(&t, &tr, id, Action::ReceiveResponse)[0].outcome {
        Outcome::Http { latency_us, .. } => latency_us,
        ref o => panic!("{o:?}"),
    };
    // library: 50 in-process; sidecar: 20 loopback + 30 intercept + 100 policy out, 20 loopback back.
    assert_eq!(latency("lib/app"), 50 + 500 + 1000 + 500);
    assert_eq!(latency("side/app"), 20 + 30 + 100 + 500 + 1000 + 500 + 20);
    assert_eq!(actions(&t, &tr, "lib/library"), [Action::LibraryProcess]);
}

#[test]
fn a_direct_call_gets_no_retries_no_encryption_no_metrics() {
    let t = topo(
        r#"(pods: [(id: "x", app: "x"), (id: "y", app: "y")], services: [(name: "y", selector: "y")])"#,
    );
    let s = stimuli(r#"[(id: Some("c"), at_us: 0, do: Call(from: "x", to: "y"))]"#);
    let tr = run(&t, &s, 0, vec![]);
    assert_eq!(result(&tr, "c"), CallResult::Http(200));
    assert!(tr.rows.iter().all(|r| !matches!(
        r.action,
        Action::ReportMetrics | Action::Retry | Action::Intercept
    )));
    assert!(matches!(
        rows(&t, &tr, "x/app", Action::ReceiveResponse)[0].outcome,
        Outcome::Http {
            encrypted: false,
            attempts: 1,
            ..
        }
    ));
    // Every message lost: one attempt, then the app's own timeout.
    let lost = run(
        &t,
        &s,
        0,
        vec![Fault::Lossy {
            pod: None,
            probability: 1.0,
        }],
    );
    assert_eq!(result(&lost, "c"), CallResult::Failed(Failure::Timeout));
    assert!(lost.rows.iter().all(|r| r.action != Action::Retry));
}

#[test]
fn sidecar_retries_rescue_a_lossy_link_and_retries_off_does_not() {
    let t = topo(MESH);
    let s = stimuli(CALL_A);
    let lossy = Fault::Lossy {
        pod: Some("b".into()),
        probability: 0.5,
    };
    // A seed whose first attempt is dropped on its way out, and a retry gets through.
    let seed = (0..200)
        .find(|&seed| {
            let tr = run(&t, &s, seed, vec![lossy.clone()]);
            let drop = tr.rows.iter().position(|r| r.action == Action::DropMessage);
            let handled = tr
                .rows
                .iter()
                .position(|r| r.action == Action::HandleRequest);
            matches!((drop, handled), (Some(d), Some(h)) if d < h)
                && tr.rows.iter().any(|r| r.action == Action::Retry)
                && result(&tr, "call") == CallResult::Http(200)
        })
        .expect("some seed loses the first attempt and recovers");
    let without = run(&t, &s, seed, vec![lossy, Fault::RetriesOff]);
    assert_ne!(result(&without, "call"), CallResult::Http(200));
    assert!(without.rows.iter().all(|r| r.action != Action::Retry));
}

#[test]
fn strict_mtls_resets_plaintext_from_a_pod_without_a_sidecar() {
    let strict = topo(
        r#"(control_plane: Some((id: "cp")), pods: [(id: "p", app: "p"), (id: "s", app: "s", proxy: Sidecar)],
            services: [(name: "s", selector: "s")], mesh: (mtls: Strict))"#,
    );
    let s = stimuli(r#"[(id: Some("c"), at_us: 0, do: Call(from: "p", to: "s"))]"#);
    let tr = run(&strict, &s, 0, vec![]);
    // No proxy on the caller: it sees the reset itself, with no HTTP status.
    assert_eq!(result(&tr, "c"), CallResult::Failed(Failure::Refused));
    assert!(actions(&strict, &tr, "s/sidecar").contains(&Action::RejectPlaintext));
    // Permissive (Istio's default) lets it through in plaintext.
    let permissive = topo(
        r#"(control_plane: Some((id: "cp")), pods: [(id: "p", app: "p"), (id: "s", app: "s", proxy: Sidecar)],
            services: [(name: "s", selector: "s")])"#,
    );
    assert_eq!(
        result(&run(&permissive, &s, 0, vec![]), "c"),
        CallResult::Http(200)
    );
}

#[test]
fn an_app_deployed_without_its_library_never_starts_so_never_calls() {
    let t = topo(MESH);
    let s = stimuli(r#"[(id: Some("c"), at_us: 0, do: Call(from: "lib", to: "b"))]"#);
    assert_eq!(result(&run(&t, &s, 0, vec![]), "c"), CallResult::Http(200));
    let tr = run(&t, &s, 0, vec![Fault::NoLibrary("lib".into())]);
    assert_eq!(result(&tr, "c"), CallResult::Failed(Failure::NoLibrary));
    assert!(actions(&t, &tr, "lib/library").is_empty());
    let send = rows(&t, &tr, "lib/app", Action::SendRequest);
    assert_eq!(send[0].outcome, Outcome::Failed(Failure::NoLibrary));
    assert_eq!(
        tr.initial.states[t.find("lib/app").unwrap().index()],
        meshstep_sim::State::NotRunning
    );
}

#[test]
fn a_pod_without_its_sidecar_gets_no_routing_mtls_or_metrics() {
    let t = topo(MESH);
    let tr = run(&t, &stimuli(CALL_A), 0, vec![Fault::NoSidecar("a".into())]);
    assert!(actions(&t, &tr, "a/sidecar").is_empty());
    assert!(tr.rows.iter().all(|r| r.action != Action::ReportMetrics));
    assert!(matches!(
        rows(&t, &tr, "a/app", Action::ReceiveResponse)[0].outcome,
        Outcome::Http {
            status: 200,
            encrypted: false,
            ..
        }
    ));
}

#[test]
fn same_seed_same_trace_and_counting_matches_recording() {
    let t = topo(MESH);
    let s = stimuli(CALL_A);
    let f = vec![Fault::Lossy {
        pod: None,
        probability: 0.4,
    }];
    let a = run(&t, &s, 42, f.clone());
    let b = run(&t, &s, 42, f.clone());
    assert_eq!(a.digest(), b.digest());
    assert_eq!(a.rows, b.rows);
    let counted = simulate(
        &t,
        &s,
        &RunOptions {
            seed: 42,
            faults: f,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(counted.events, a.events);
    assert!(counted.rows.is_empty());
    let digests: std::collections::HashSet<u64> = (0..50)
        .map(|seed| {
            run(
                &t,
                &s,
                seed,
                vec![Fault::Lossy {
                    pod: None,
                    probability: 0.4,
                }],
            )
            .digest()
        })
        .collect();
    assert!(digests.len() > 1, "the seed matters on a lossy link");
}

#[test]
fn unknown_names_in_stimuli_or_faults_are_errors_not_panics() {
    let t = topo(MESH);
    let s = stimuli(r#"[(at_us: 0, do: Call(from: "nope", to: "b"))]"#);
    let e = simulate(&t, &s, &RunOptions::default()).unwrap_err();
    assert_eq!(e[0].path, "stimuli[0].do.from");
    let e = simulate(
        &t,
        &stimuli(CALL_A),
        &RunOptions {
            faults: vec![Fault::NoSidecar("zz".into())],
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(e[0].path, "faults[0]");
    // A fault must fit the pod it names.
    let e = simulate(
        &t,
        &stimuli(CALL_A),
        &RunOptions {
            faults: vec![Fault::NoLibrary("a".into())],
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(e[0].message.contains("no library"), "{}", e[0].message);
}

#[test]
fn every_row_names_the_row_that_caused_it() {
    let t = topo(MESH);
    let tr = run(&t, &stimuli(CALL_A), 1, vec![]);
    // The stimulus has no cause; everything after it traces back to it.
    let send = tr
        .rows
        .iter()
        .position(|r| r.action == Action::SendRequest)
        .unwrap();
    assert_eq!(tr.rows[send].cause, None);
    for (i, r) in tr.rows.iter().enumerate() {
        if let Some(c) = r.cause {
            assert!(c.index() < i, "row {i} is caused by an earlier row");
        }
    }
    let ret = tr
        .rows
        .iter()
        .rposition(|r| r.action == Action::ReceiveResponse)
        .unwrap();
    let chain: Vec<Action> = tr.causes(ret).map(|i| tr.rows[i].action).collect();
    assert_eq!(
        chain,
        [
            Action::ReturnResponse,
            Action::ReturnResponse,
            Action::SendResponse,
            Action::HandleRequest,
            Action::InterceptInbound,
            Action::Forward,
            Action::ApplyPolicies,
            Action::Intercept,
            Action::SendRequest
        ]
    );
}
