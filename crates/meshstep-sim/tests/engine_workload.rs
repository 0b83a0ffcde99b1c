//! What apps do with the requests they receive: service times (fixed or
//! drawn), error answers, readiness, and the calls they make in turn — a
//! call chain whose answer depends on every hop, with proxies at work on
//! each hop and the trace context kept only when the app forwards it.

mod common;

use common::*;
use meshstep_sim::ids::ReqId;
use meshstep_sim::trace::{CallResult, Failure, Outcome};
use meshstep_sim::{Action, Trace};

fn call_result_row(t: &meshstep_sim::Topology, tr: &Trace, app: &str) -> Outcome {
    rows(t, tr, app, Action::ReceiveResponse)
        .last()
        .expect("the app got an answer")
        .outcome
        .clone()
}

fn latency(o: &Outcome) -> u64 {
    match o {
        Outcome::Http { latency_us, .. } => *latency_us,
        o => panic!("not an HTTP answer: {o:?}"),
    }
}

const PLAIN_PAIR: &str = r#"(
    pods: [(id: "a", app: "a"), (id: "b", app: "b", handler: Some((time: Some(TIME))))],
    services: [(name: "b", selector: "b")],
)"#;

const ONE_CALL: &str = r#"[(id: Some("call"), at_us: 0, do: Call(from: "a", to: "b"))]"#;

#[test]
fn a_fixed_service_time_is_the_time_between_handling_and_answering() {
    let t = topo(&PLAIN_PAIR.replace("TIME", "Fixed(7000)"));
    let tr = run(&t, &stimuli(ONE_CALL), 0, vec![]);
    let handle = rows(&t, &tr, "b/app", Action::HandleRequest)[0].time_us;
    let answer = rows(&t, &tr, "b/app", Action::SendResponse)[0];
    assert_eq!(answer.time_us - handle, 7000);
    assert_eq!(answer.outcome, Outcome::Answered { status: 200 });
    // 500 µs each way plus 7 ms of work.
    assert_eq!(latency(&call_result_row(&t, &tr, "a/app")), 8000);
}

#[test]
fn drawn_service_times_stay_in_bounds_and_repeat_with_the_seed() {
    let calls: String = (0..40)
        .map(|i| {
            format!(
                "(at_us: {}, do: Call(from: \"a\", to: \"b\")),",
                i * 100_000
            )
        })
        .collect();
    let s = stimuli(&format!("[{calls}]"));
    let times = |spec: &str, seed: u64| -> Vec<u64> {
        let t = topo(&PLAIN_PAIR.replace("TIME", spec));
        let tr = run(&t, &s, seed, vec![]);
        let handled = rows(&t, &tr, "b/app", Action::HandleRequest);
        let answered = rows(&t, &tr, "b/app", Action::SendResponse);
        handled
            .iter()
            .zip(&answered)
            .map(|(h, a)| a.time_us - h.time_us)
            .collect()
    };
    let uniform = times("Uniform(min_us: 2000, max_us: 4000)", 1);
    assert!(
        uniform.iter().all(|t| (2000..=4000).contains(t)),
        "{uniform:?}"
    );
    assert!(uniform.iter().any(|&t| t != uniform[0]), "times vary");
    assert_eq!(uniform, times("Uniform(min_us: 2000, max_us: 4000)", 1));
    assert_ne!(uniform, times("Uniform(min_us: 2000, max_us: 4000)", 2));
    let exp = times("Exponential(mean_us: 3000)", 1);
    let mean = exp.iter().sum::<u64>() / exp.len() as u64;
    assert!((1500..=4500).contains(&mean), "mean {mean} of {exp:?}");
    assert!(exp.iter().any(|&t| t > 3000) && exp.iter().any(|&t| t < 3000));
    assert_eq!(exp, times("Exponential(mean_us: 3000)", 1));
}

const FLAKY: &str = r#"(
    control_plane: Some((id: "cp")),
    pods: [
        (id: "a", app: "a", proxy: PROXY),
        (id: "b", app: "b", proxy: Sidecar, handler: Some((errors: Some((status: 503, probability: P))))),
    ],
    services: [(name: "b", selector: "b")],
    mesh: (retries: 2),
)"#;

#[test]
fn an_app_that_always_fails_answers_its_error_and_the_proxy_retries_it() {
    let t = topo(&FLAKY.replace("PROXY", "Sidecar").replace("P)", "1.0)"));
    let tr = run(&t, &stimuli(ONE_CALL), 0, vec![]);
    // Three attempts, each answered 503 by the app; the caller gets the last 503.
    assert_eq!(rows(&t, &tr, "b/app", Action::SendResponse).len(), 3);
    assert!(
        rows(&t, &tr, "b/app", Action::SendResponse)
            .iter()
            .all(|r| r.outcome == Outcome::Answered { status: 503 })
    );
    assert_eq!(rows(&t, &tr, "a/sidecar", Action::Retry).len(), 2);
    assert_eq!(result(&tr, "call"), CallResult::Http(503));
    // A plain app makes one attempt and sees the 503 itself.
    let t = topo(&FLAKY.replace("PROXY", "None").replace("P)", "1.0)"));
    let tr = run(&t, &stimuli(ONE_CALL), 0, vec![]);
    assert_eq!(rows(&t, &tr, "b/app", Action::SendResponse).len(), 1);
    assert_eq!(result(&tr, "call"), CallResult::Http(503));
}

#[test]
fn an_app_that_sometimes_fails_is_rescued_by_retries_more_often_than_not() {
    let calls: String = (0..60)
        .map(|i| {
            format!(
                "(id: Some(\"c{i}\"), at_us: {}, do: Call(from: \"a\", to: \"b\")),",
                i * 100_000
            )
        })
        .collect();
    let s = stimuli(&format!("[{calls}]"));
    let ok = |proxy: &str| -> usize {
        let t = topo(&FLAKY.replace("PROXY", proxy).replace("P)", "0.5)"));
        let tr = run(&t, &s, 3, vec![]);
        (0..60)
            .filter(|i| result(&tr, &format!("c{i}")) == CallResult::Http(200))
            .count()
    };
    let (direct, proxied) = (ok("None"), ok("Sidecar"));
    // Half the answers fail; three tries fail together one time in eight.
    assert!((18..=42).contains(&direct), "direct {direct}");
    assert!(proxied >= 48, "with retries {proxied}");
    assert!(proxied > direct);
}

#[test]
fn a_pod_that_is_not_ready_gets_no_traffic() {
    let t = topo(
        r#"(
        control_plane: Some((id: "cp")),
        pods: [
            (id: "a", app: "a", proxy: Sidecar),
            (id: "b-0", app: "b", proxy: Sidecar, ready: false),
            (id: "b-1", app: "b", proxy: Sidecar),
            (id: "plain", app: "plain"),
        ],
        services: [(name: "b", selector: "b")],
    )"#,
    );
    let s = stimuli(
        r#"[(at_us: 0, do: Call(from: "a", to: "b")), (at_us: 100000, do: Call(from: "a", to: "b")),
            (at_us: 200000, do: Call(from: "plain", to: "b")), (at_us: 300000, do: Call(from: "plain", to: "b"))]"#,
    );
    let tr = run(&t, &s, 0, vec![]);
    assert!(rows(&t, &tr, "b-0/app", Action::HandleRequest).is_empty());
    assert_eq!(rows(&t, &tr, "b-1/app", Action::HandleRequest).len(), 4);
    // With no ready endpoint at all: the sidecar answers 503 (UH), a plain app cannot connect.
    let t = topo(
        r#"(
        control_plane: Some((id: "cp")),
        pods: [(id: "a", app: "a", proxy: Sidecar), (id: "b", app: "b", ready: false), (id: "plain", app: "plain")],
        services: [(name: "b", selector: "b")],
    )"#,
    );
    let s = stimuli(
        r#"[(id: Some("meshed"), at_us: 0, do: Call(from: "a", to: "b")),
            (id: Some("plain"), at_us: 100000, do: Call(from: "plain", to: "b")),
            (id: Some("get"), at_us: 200000, do: KubectlGetPods(namespace: "default"))]"#,
    );
    let tr = run(&t, &s, 0, vec![]);
    assert_eq!(result(&tr, "meshed"), CallResult::Http(503));
    assert_eq!(
        result(&tr, "plain"),
        CallResult::Failed(Failure::NoEndpoints)
    );
    let pods = output(&rows(&t, &tr, "kubectl", Action::ListPods)[0].outcome);
    assert!(pods.contains("b READY=0/1 STATUS=Running"), "{pods}");
}

const CHAIN: &str = r#"(
    control_plane: Some((id: "cp")),
    pods: [
        (id: "frontend", app: "frontend", proxy: PROXY),
        (id: "orders", app: "orders", proxy: PROXY,
         handler: Some((time: Some(Fixed(1000)), calls: [(to: "payments"), (to: "stock", parallel: PAR)], fallback: FALLBACK, propagates_trace: TRACE))),
        (id: "payments", app: "payments", proxy: PROXY, handler: Some((time: Some(Fixed(4000)), errors: ERRORS))),
        (id: "stock", app: "stock", proxy: PROXY, handler: Some((time: Some(Fixed(2000))))),
    ],
    services: [(name: "orders", selector: "orders"), (name: "payments", selector: "payments"), (name: "stock", selector: "stock")],
    mesh: (retries: 0, per_try_timeout_us: 1000000, app_timeout_us: 1000000),
)"#;

fn chain(
    proxy: &str,
    par: bool,
    errors: &str,
    fallback: &str,
    trace: bool,
) -> meshstep_sim::Topology {
    topo(
        &CHAIN
            .replace("PROXY", proxy)
            .replace("PAR", &par.to_string())
            .replace("ERRORS", errors)
            .replace("FALLBACK", fallback)
            .replace("TRACE", &trace.to_string()),
    )
}

const ORDER: &str = r#"[(id: Some("order"), at_us: 0, do: Call(from: "frontend", to: "orders"))]"#;

#[test]
fn a_call_chain_answers_only_once_every_call_it_made_has_answered() {
    let t = chain("None", false, "None", "None", true);
    let tr = run(&t, &stimuli(ORDER), 0, vec![]);
    assert_eq!(result(&tr, "order"), CallResult::Http(200));
    // orders calls payments, waits for it, then stock, then works 1 ms.
    let h = rows(&t, &tr, "orders/app", Action::HandleRequest)[0].time_us;
    let to_stock = rows(&t, &tr, "orders/app", Action::SendRequest)[1].time_us;
    let answer = rows(&t, &tr, "orders/app", Action::SendResponse)[0].time_us;
    assert_eq!(to_stock - h, 500 + 4000 + 500);
    assert_eq!(answer - to_stock, 500 + 2000 + 500 + 1000);
    // The whole chain, as frontend sees it: 1 ms + 4 ms + 2 ms of work, six crossings.
    assert_eq!(
        latency(&call_result_row(&t, &tr, "frontend/app")),
        7000 + 6 * 500
    );
    // The same calls in parallel take as long as the slower one.
    let t = chain("None", true, "None", "None", true);
    let tr = run(&t, &stimuli(ORDER), 0, vec![]);
    assert_eq!(
        latency(&call_result_row(&t, &tr, "frontend/app")),
        1000 + 4000 + 4 * 500
    );
}

#[test]
fn a_failed_call_fails_its_caller_unless_the_caller_has_a_fallback() {
    let t = chain("Sidecar", false, "Some((status: 503))", "None", true);
    let tr = run(&t, &stimuli(ORDER), 0, vec![]);
    assert_eq!(
        rows(&t, &tr, "orders/app", Action::SendResponse)[0].outcome,
        Outcome::Answered { status: 500 }
    );
    assert_eq!(result(&tr, "order"), CallResult::Http(500));
    // orders still made its second call: a failure does not stop the sequence.
    assert_eq!(rows(&t, &tr, "stock/app", Action::HandleRequest).len(), 1);
    let t = chain("Sidecar", false, "Some((status: 503))", "Some(200)", true);
    let tr = run(&t, &stimuli(ORDER), 0, vec![]);
    assert_eq!(result(&tr, "order"), CallResult::Http(200));
}

#[test]
fn proxies_do_their_work_on_every_hop_of_a_chain() {
    let t = chain("Sidecar", false, "None", "None", true);
    let tr = run(&t, &stimuli(ORDER), 0, vec![]);
    for (pod, out, inbound) in [
        ("frontend", 1, 0),
        ("orders", 2, 1),
        ("payments", 0, 1),
        ("stock", 0, 1),
    ] {
        let s = format!("{pod}/sidecar");
        assert_eq!(rows(&t, &tr, &s, Action::Intercept).len(), out, "{s}");
        assert_eq!(rows(&t, &tr, &s, Action::ReportMetrics).len(), out, "{s}");
        assert_eq!(
            rows(&t, &tr, &s, Action::InterceptInbound).len(),
            inbound,
            "{s}"
        );
    }
    // Every hop is mutual TLS, and each call belongs to the flow that set it off.
    let order = tr.flow("order");
    for r in rows(&t, &tr, "orders/sidecar", Action::Forward) {
        assert!(matches!(
            r.outcome,
            Outcome::Forwarded {
                encrypted: true,
                ..
            }
        ));
        assert_eq!(r.flow, order);
    }
}

#[test]
fn the_calls_join_the_callers_trace_only_when_the_app_forwards_its_headers() {
    let last = |tr: &Trace| Some(tr.rows.len() - 1);
    let t = chain("Sidecar", false, "None", "None", true);
    let tr = run(&t, &stimuli(ORDER), 0, vec![]);
    assert_eq!(tr.requests(), 3);
    let root = tr.request_after(ReqId::new(0), last(&tr)).unwrap();
    assert_eq!(root.parent, None);
    for k in 1..3 {
        let child = tr.request_after(ReqId::new(k), last(&tr)).unwrap();
        assert_eq!(child.parent, Some(ReqId::new(0)));
        assert_eq!(child.trace, ReqId::new(0), "one trace");
    }
    let t = chain("Sidecar", false, "None", "None", false);
    let tr = run(&t, &stimuli(ORDER), 0, vec![]);
    for k in 1..3 {
        let child = tr.request_after(ReqId::new(k), last(&tr)).unwrap();
        assert_eq!(child.parent, Some(ReqId::new(0)), "the engine still knows");
        assert_eq!(
            child.trace,
            ReqId::new(k),
            "a tracing backend sees a new trace"
        );
    }
}
