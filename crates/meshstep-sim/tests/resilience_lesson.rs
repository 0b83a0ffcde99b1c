//! The resilience lesson: retries, timeouts, ejection and load shedding, in
//! the sidecar and in the library, as the steps and questions say.

mod lesson_support;

use lesson_support::*;

#[test]
fn resilience_steps_show_retries_timeouts_ejection_and_overflow() {
    use Action::*;
    let l = lesson("resilience");
    let r = run(&l, vec![]);
    assert_steps(
        &r,
        &[
            ("frontend/app", SendRequest),
            ("payments-0/app", SendResponse),
            ("orders/sidecar", Retry),
            ("orders/app", ReceiveResponse),
            ("orders/sidecar", EjectEndpoint),
            ("orders/sidecar", AttemptTimeout),
            ("orders/sidecar", DropLateReply),
            ("orders/sidecar", Retry),
            ("orders/app", ReceiveResponse),
            ("orders/app", SendResponse),
            ("orders/sidecar", Forward),
            ("orders-lib/library", LibraryProcess),
            ("orders-lib/library", LibraryRetry),
            ("orders-lib/app", ReceiveResponse),
            ("orders-lib/library", EjectEndpoint),
            ("end", End),
        ],
    );
    assert_eq!(outcome(&l, &r, "order"), &Outcome::SentVia(Route::Sidecar));
    assert_eq!(outcome(&l, &r, "flaky"), &Outcome::Answered { status: 503 });
    // Retry on 5xx, to the other pod; the app sees only the 200.
    assert_eq!(
        outcome(&l, &r, "retry"),
        &forwarded(&l, "payments-1", 2, true)
    );
    assert!(matches!(
        outcome(&l, &r, "rescued"),
        Outcome::Http {
            status: 200,
            attempts: 2,
            encrypted: true,
            ..
        }
    ));
    // Outlier detection: 3 errors in a row eject payments-0 for 30 s.
    let eject = &r.trace.rows[r.table.rows[step(&l, "eject") as usize - 1]
        .trace_row
        .unwrap()];
    assert!(
        eject
            .note
            .to_string()
            .starts_with("payments-0 ejected for 30 s after 3 errors in a row"),
        "{}",
        eject.note
    );
    // Per-try timeout, late reply dropped, retry on payments-1 again.
    assert_eq!(
        outcome(&l, &r, "per-try"),
        &Outcome::Failed(Failure::Timeout)
    );
    assert_eq!(outcome(&l, &r, "late"), &Outcome::Dropped);
    assert_eq!(
        outcome(&l, &r, "retry-slow"),
        &forwarded(&l, "payments-1", 2, true)
    );
    // The route timeout: 504 to the app, which answers its fallback.
    assert!(matches!(
        outcome(&l, &r, "route-timeout"),
        Outcome::Http {
            status: 504,
            attempts: 2,
            ..
        }
    ));
    assert_eq!(
        outcome(&l, &r, "fallback"),
        &Outcome::Answered { status: 200 }
    );
    // Circuit breaking: the 4th concurrent call is refused without a try.
    assert_eq!(
        outcome(&l, &r, "overflow"),
        &Outcome::Failed(Failure::Overflow)
    );
    // Library side: same policy, in-process, plaintext.
    assert_eq!(
        outcome(&l, &r, "lib-call"),
        &forwarded(&l, "payments-0", 1, false)
    );
    assert_eq!(
        outcome(&l, &r, "lib-retry"),
        &forwarded(&l, "payments-1", 2, false)
    );
    assert!(matches!(
        outcome(&l, &r, "lib-timeout"),
        Outcome::Http {
            status: 504,
            attempts: 2,
            encrypted: false,
            ..
        }
    ));
    assert_eq!(outcome(&l, &r, "lib-eject"), &Outcome::Done);
}

#[test]
fn resilience_policies_behave_as_configured_in_the_sidecar_and_in_the_library() {
    use Action::*;
    let l = lesson("resilience");
    let r = run(&l, vec![]);
    // Retries are present on both sides.
    assert!(rows(&l, &r, "orders/sidecar", Retry).len() >= 3);
    assert!(!rows(&l, &r, "orders-lib/library", LibraryRetry).is_empty());
    // Both route timeouts fire exactly 50 ms after the proxy took the call.
    let ut = |component: &str| {
        rows(&l, &r, component, AttemptTimeout)
            .into_iter()
            .filter(|x| x.outcome == Outcome::Failed(Failure::RouteTimeout))
            .collect::<Vec<_>>()
    };
    let mesh_ut = ut("orders/sidecar");
    assert_eq!(mesh_ut.len(), 1);
    let took = in_flow(&r, "o5")
        .find(|x| {
            x.action == ApplyPolicies && l.topology.component(x.component).id == "orders/sidecar"
        })
        .unwrap()
        .time_us;
    assert_eq!(mesh_ut[0].time_us - took, 50_000);
    let lib_ut = ut("orders-lib/library");
    assert!(!lib_ut.is_empty());
    let took = in_flow(&r, "l1")
        .find(|x| x.action == LibraryProcess)
        .unwrap()
        .time_us;
    assert_eq!(lib_ut[0].time_us - took, 50_000);
    // Per-try timeouts fire 15 ms after their try left.
    let per_try = rows(&l, &r, "orders/sidecar", AttemptTimeout)
        .into_iter()
        .find(|x| x.outcome == Outcome::Failed(Failure::Timeout))
        .unwrap();
    let sent = in_flow(&r, "o4")
        .find(|x| x.action == Forward && l.topology.component(x.component).id == "orders/sidecar")
        .unwrap()
        .time_us;
    assert_eq!(per_try.time_us - sent, 15_000);
    // Once ejected, payments-0 gets no more calls from orders' sidecar.
    let ejected_at = rows(&l, &r, "orders/sidecar", EjectEndpoint)[0].time_us;
    let mesh_flows: Vec<_> = ["o4", "o5", "burst1", "burst2", "burst3", "burst4"]
        .iter()
        .map(|f| r.trace.flow(f).unwrap())
        .collect();
    let p0 = l.topology.find("payments-0/app").unwrap();
    assert!(!r.trace.rows.iter().any(|x| x.component == p0
        && x.action == HandleRequest
        && x.time_us > ejected_at
        && x.flow.is_some_and(|f| mesh_flows.contains(&f))));
    // Each caller counts for itself: the library ejects payments-0 too, later.
    let lib_eject = rows(&l, &r, "orders-lib/library", EjectEndpoint);
    assert_eq!(lib_eject.len(), 1);
    assert!(lib_eject[0].time_us > ejected_at);
    // The burst: two in flight, one waits, one overflows at once (503, UO).
    let mut burst_forwards: Vec<Outcome> = Vec::new();
    for i in 1..=4 {
        let flow = format!("burst{i}");
        let first = in_flow(&r, &flow)
            .find(|x| {
                x.action == Forward && l.topology.component(x.component).id == "orders/sidecar"
            })
            .unwrap_or_else(|| panic!("{flow} reached orders' sidecar"));
        burst_forwards.push(first.outcome.clone());
    }
    assert_eq!(
        burst_forwards,
        [
            forwarded(&l, "payments-1", 1, true),
            forwarded(&l, "payments-1", 1, true),
            Outcome::Waiting,
            Outcome::Failed(Failure::Overflow),
        ]
    );
    let refused = in_flow(&r, "burst4")
        .find(|x| {
            x.action == ReceiveResponse && l.topology.component(x.component).id == "orders/app"
        })
        .unwrap();
    assert!(matches!(
        refused.outcome,
        Outcome::Http { status: 503, latency_us, .. } if latency_us < 1_000
    ));
    // Every order is answered 200 to the frontend; 4 of them thanks to a
    // fallback (their payment call ended in an error status).
    let orders: Vec<String> = (1..=5)
        .map(|i| format!("o{i}"))
        .chain((1..=4).map(|i| format!("burst{i}")))
        .chain((1..=3).map(|i| format!("l{i}")))
        .collect();
    for f in &orders {
        assert_eq!(call_result(&r, f), CallResult::Http(200), "{f}");
    }
    let fell_back: Vec<&String> = (orders.iter())
        .filter(|f| {
            in_flow(&r, f).any(|x| {
                let id = &l.topology.component(x.component).id;
                x.action == ReceiveResponse
                    && (id == "orders/app" || id == "orders-lib/app")
                    && matches!(x.outcome, Outcome::Http { status, .. } if status >= 500)
            })
        })
        .collect();
    assert_eq!(fell_back, ["o5", "burst4", "l1", "l3"]);
}

#[test]
fn resilience_tracker_answers_and_what_ifs_are_the_engines() {
    let l = lesson("resilience");
    let r = run(&l, vec![]);
    assert_eq!(
        tracker_texts(&r, "orders-app"),
        [
            "Idle",
            "Waiting for payments",
            "Waiting for payments",
            "Its payment call failed (504)",
            "Idle"
        ]
    );
    use EngineAnswer::{Outcome as O, Step, Ungraded};
    assert_engine_answers(
        &l,
        &r,
        &[
            O(OutcomeClaim::Http(200)),
            Step(step(&l, "eject")),
            O(OutcomeClaim::Http(504)),
            O(OutcomeClaim::Http(200)),
            Ungraded,
            Step(step(&l, "lib-retry")),
            Ungraded,
            Ungraded,
            Step(step(&l, "retry")),
        ],
    );
    assert_what_ifs(&l);
    // The control plane is not on the request path: with istiod down from
    // the start, every step happens as before.
    assert!(
        run(&l, vec![Fault::ControlPlaneDown])
            .affected_steps()
            .is_empty()
    );
    // Retries off: nobody retries, and order 1's 503 reaches orders' app.
    let off = run(&l, vec![Fault::RetriesOff]);
    assert!(rows(&l, &off, "orders/sidecar", Action::Retry).is_empty());
    assert!(rows(&l, &off, "orders-lib/library", Action::LibraryRetry).is_empty());
    assert!(matches!(
        off.table.rows[step(&l, "rescued") as usize - 1].outcome,
        Some(Outcome::Http {
            status: 503,
            attempts: 1,
            ..
        })
    ));
    assert_eq!(call_result(&off, "o1"), CallResult::Http(200), "fallback");
    // Without its sidecar, orders has no retries at all on that path.
    let bare = run(&l, vec![Fault::NoSidecar("orders".into())]);
    assert_eq!(
        tracker_texts(&bare, "mesh-reliability")[0],
        "No automatic retries"
    );
    assert_eq!(
        tracker_texts(&bare, "lib-reliability")[0],
        "Retries, timeouts, ejection: in the app's library"
    );
}
