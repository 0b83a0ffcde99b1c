//! The canary lesson: every step shows the event its wording claims, the
//! share of calls each version gets moves from 10 % to 50 % on both sides,
//! a mesh change restarts nothing while a library change costs a build and a
//! rollout, and the engine's answer to every question is the marked option.

mod lesson_support;

use lesson_support::*;

/// How many of the calls whose flow ids are `prefix00`…`prefix19` reached
/// reviews-v2.
fn to_v2(l: &Lesson, r: &LessonRun, prefix: &str) -> usize {
    (0..20)
        .filter(|i| handled_by(l, r, &format!("{prefix}{i:02}")) == "reviews-v2/app")
        .count()
}

#[test]
fn canary_steps_show_the_split_the_push_and_the_rebuild() {
    use Action::*;
    let l = lesson("canary");
    let r = run(&l, vec![]);
    assert_steps(
        &r,
        &[
            ("web-0/sidecar", Forward),
            ("web-0/sidecar", Forward),
            ("web-0/sidecar", Forward),
            ("kubectl", ApplyMeshConfig),
            ("kubectl", ProxyStatus),
            ("istiod", PushConfig),
            ("web-0/sidecar", Forward),
            ("web-0/sidecar", ApplyConfig),
            ("kubectl", ProxyStatus),
            ("web-1/sidecar", ApplyConfig),
            ("web-0/sidecar", Forward),
            ("lib-0/library", LibraryProcess),
            ("kubectl", RebuildApp),
            ("lib-0/library", LibraryProcess),
            ("lib-0", PodReady),
            ("lib-1/library", LibraryProcess),
            ("end", End),
        ],
    );
    // Before the change: 90/10 draws, and the tester's header wins.
    assert_eq!(
        outcome(&l, &r, "first-call"),
        &forwarded(&l, "reviews-v1", 1, true)
    );
    assert_eq!(
        outcome(&l, &r, "canary-call"),
        &forwarded(&l, "reviews-v2", 1, true)
    );
    assert_eq!(
        outcome(&l, &r, "tester-call"),
        &forwarded(&l, "reviews-v2", 1, true)
    );
    // The apply changes the API server only; during the debounce every proxy
    // still holds v1.
    assert_eq!(
        outcome(&l, &r, "apply"),
        &Outcome::Output("virtualservice.networking.istio.io/reviews configured".into())
    );
    let Outcome::Output(before) = outcome(&l, &r, "status-before") else {
        panic!("proxy-status prints a listing")
    };
    assert_eq!(before.matches("SYNCED (v1)").count(), 4, "{before}");
    assert!(!before.contains("(v2)"), "{before}");
    // istiod pushes once, 100 ms (debounce) + 200 µs after the apply, to the
    // four sidecars; lib's pods have none.
    assert_eq!(
        outcome(&l, &r, "push"),
        &Outcome::Pushed {
            version: 2,
            sidecars: 4
        }
    );
    let at = |id: &str| r.table.rows[step(&l, id) as usize - 1].time_us.unwrap();
    assert_eq!(at("push") - at("apply"), 100_200);
    assert_eq!(rows(&l, &r, "istiod", PushConfig).len(), 1);
    // The call routed just before web-0 installed v2 still follows v1 ...
    assert_eq!(
        outcome(&l, &r, "inflight-call"),
        &forwarded(&l, "reviews-v1", 1, true)
    );
    let routed = in_flow(&r, "inflight")
        .find(|x| x.action == ApplyPolicies)
        .unwrap()
        .time_us;
    assert!(routed < at("web0-v2"));
    assert_eq!(outcome(&l, &r, "web0-v2"), &Outcome::Config { version: 2 });
    // ... and for 20 ms the two web sidecars hold different versions.
    let Outcome::Output(after) = outcome(&l, &r, "status-after") else {
        panic!("proxy-status prints a listing")
    };
    assert!(after.contains("web-0.default SYNCED (v2)"), "{after}");
    assert!(after.contains("web-1.default STALE (v1 of v2)"), "{after}");
    let i = r.table.rows[step(&l, "status-after") as usize - 1]
        .trace_row
        .unwrap();
    let snap = r.trace.snapshot_after(Some(i));
    let held = |c: &str| snap.config[l.topology.find(c).unwrap().index()];
    assert_eq!(
        (held("web-0/sidecar"), held("web-1/sidecar")),
        (Some(2), Some(1))
    );
    assert_eq!(at("web1-v2") - at("web0-v2"), 20_000);
    assert_eq!(
        outcome(&l, &r, "mesh-after"),
        &forwarded(&l, "reviews-v2", 1, true)
    );
    // Library side: the same rules from the image, plaintext to the sidecars.
    assert_eq!(
        outcome(&l, &r, "lib-call"),
        &forwarded(&l, "reviews-v1", 1, false)
    );
    let Outcome::Output(build) = outcome(&l, &r, "rebuild") else {
        panic!("the rebuild prints what it does")
    };
    assert!(build.contains("replacing its 2 pod(s)"), "{build}");
    assert_eq!(
        outcome(&l, &r, "lib-building"),
        &forwarded(&l, "reviews-v1", 1, false)
    );
    assert_eq!(outcome(&l, &r, "lib-ready"), &Outcome::Done);
    assert_eq!(
        outcome(&l, &r, "lib-after"),
        &forwarded(&l, "reviews-v2", 1, false)
    );
}

#[test]
fn canary_shares_shift_from_ten_to_fifty_percent_on_both_sides() {
    let l = lesson("canary");
    let r = run(&l, vec![]);
    // Mesh: 2 of 20 before the apply, 10 of 20 once every sidecar holds v2.
    assert_eq!(to_v2(&l, &r, "b"), 2);
    assert_eq!(to_v2(&l, &r, "a"), 10);
    // Library: the same shares, before the rebuild and after the rollout.
    assert_eq!(to_v2(&l, &r, "lb"), 2);
    assert_eq!(to_v2(&l, &r, "la"), 10);
    // The header route sends the tester to v2; during the build, lib still
    // runs the old image.
    assert_eq!(handled_by(&l, &r, "tester"), "reviews-v2/app");
    assert_eq!(handled_by(&l, &r, "inflight"), "reviews-v1/app");
    assert_eq!(handled_by(&l, &r, "building"), "reviews-v1/app");
    // Every call succeeds: the canary is about where calls go, not failures.
    for (f, res) in r.trace.flows.iter().zip(&r.trace.call_results) {
        if let Some(res) = res {
            assert_eq!(*res, CallResult::Http(200), "{f}");
        }
    }
    // Without a push, web keeps the old split: no call after the apply goes
    // to v2, and the library side is untouched.
    let halted = run(&l, vec![Fault::ConfigPushHalted]);
    assert_eq!(to_v2(&l, &halted, "a"), 0);
    assert_eq!(to_v2(&l, &halted, "la"), 10);
    assert!(rows(&l, &halted, "web-0/sidecar", Action::ApplyConfig).is_empty());
}

#[test]
fn a_mesh_change_restarts_nothing_while_a_library_change_costs_a_build_and_a_rollout() {
    let l = lesson("canary");
    let r = run(&l, vec![]);
    let apply = rows(&l, &r, "kubectl", Action::ApplyMeshConfig)[0].time_us;
    // Mesh: every sidecar holds v2 within 0.2 s of the apply, with no pod
    // recreated and nothing built.
    let applied: Vec<u64> = (r.trace.rows.iter())
        .filter(|x| x.action == Action::ApplyConfig)
        .map(|x| x.time_us)
        .collect();
    assert_eq!(applied.len(), 4);
    assert_eq!(applied.iter().max().unwrap() - apply, 160_500);
    // Library: the rebuild row, then (build_us + pod_start_us later) both lib
    // pods replaced, and no other pod.
    let rebuild = rows(&l, &r, "kubectl", Action::RebuildApp);
    assert_eq!(rebuild.len(), 1);
    let ready: Vec<(String, u64)> = (r.trace.rows.iter())
        .filter(|x| x.action == Action::PodReady)
        .map(|x| (l.topology.component(x.component).id.clone(), x.time_us))
        .collect();
    let lat = &l.scenario.topology.latency;
    assert_eq!(lat.build_us, 180_000_000, "3 min of build");
    let done = rebuild[0].time_us + lat.build_us + lat.pod_start_us;
    assert_eq!(
        ready,
        [("lib-0".to_string(), done), ("lib-1".to_string(), done)]
    );
    assert_eq!(done - rebuild[0].time_us, 181_000_000);
    // The table shows that cost: a RebuildApp row by the operator, a PodReady
    // row for a lib pod, and the push reached no library.
    let table: Vec<(ComponentKind, Action)> = (r.table.rows.iter())
        .map(|x| {
            let c = l.topology.find(&x.component_id).unwrap();
            (l.topology.component(c).kind, x.action)
        })
        .collect();
    assert!(table.contains(&(ComponentKind::Kubectl, Action::RebuildApp)));
    assert!(table.contains(&(ComponentKind::Pod, Action::PodReady)));
    assert!(rows(&l, &r, "lib-0/library", Action::ApplyConfig).is_empty());
}

#[test]
fn canary_tracker_and_answers_are_the_engines() {
    let l = lesson("canary");
    let r = run(&l, vec![]);
    assert_eq!(
        tracker_texts(&r, "control-plane"),
        [
            "Idle",
            "Idle",
            "Waiting out the debounce",
            "Idle",
            "Idle",
            "Idle"
        ]
    );
    assert_eq!(
        tracker_texts(&r, "web0"),
        [
            "Inactive",
            "Idle",
            "Idle",
            "Installing v2 mid-call",
            "Idle",
            "Idle"
        ]
    );
    assert_eq!(
        tracker_texts(&r, "inflight-route"),
        [
            "Empty",
            "Empty",
            "Empty",
            "Chosen by v1 (90/10)",
            "N/A",
            "N/A"
        ]
    );
    use EngineAnswer::{Outcome as O, Step, Text, Ungraded};
    assert_engine_answers(
        &l,
        &r,
        &[
            Step(step(&l, "web0-v2")),
            Step(step(&l, "lib-ready")),
            Text("Chosen by v1 (90/10)".into()),
            Step(step(&l, "push")),
            Ungraded,
            Step(step(&l, "rebuild")),
            Ungraded,
            O(OutcomeClaim::Http(504)),
            Step(step(&l, "first-call")),
        ],
    );
    assert_what_ifs(&l);
    // A sidecar that was never injected routes nothing: web-0's calls go
    // through kube-proxy, and its sidecar steps vanish.
    let bare = run(&l, vec![Fault::NoSidecar("web-0".into())]);
    for id in ["first-call", "tester-call", "web0-v2", "mesh-after"] {
        assert_eq!(
            bare.table.rows[step(&l, id) as usize - 1].status,
            StepStatus::Missing,
            "{id}"
        );
    }
    assert_eq!(
        tracker_texts(&bare, "web-path")[0],
        "Direct calls, no control"
    );
}
