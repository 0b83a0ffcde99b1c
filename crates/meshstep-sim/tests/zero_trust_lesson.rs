//! The zero-trust lesson: identities travel in mTLS certificates; STRICT
//! resets plaintext; an ALLOW policy lets frontend in and answers batch 403
//! from payments' sidecar; in ambient mode the same call goes app, ztunnel,
//! ztunnel, app, a refusal is a reset, an HTTP rule makes ztunnel fail
//! closed, and a waypoint enforces it with a 403. Every step shows the event
//! its wording claims, the engine's answer to every question is the marked
//! option, and each what-if (faults and settings changes) changes exactly
//! the steps it says.

mod lesson_support;

use lesson_support::*;

/// Who acted in a flow, in order: (component id, action).
fn hops(l: &Lesson, r: &LessonRun, flow: &str) -> Vec<(String, Action)> {
    in_flow(r, flow)
        .map(|x| (l.topology.component(x.component).id.clone(), x.action))
        .collect()
}

fn h(list: &[(&str, Action)]) -> Vec<(String, Action)> {
    list.iter().map(|(c, a)| (c.to_string(), *a)).collect()
}

/// The kinds of the components that acted in a flow.
fn kinds(l: &Lesson, r: &LessonRun, flow: &str) -> Vec<ComponentKind> {
    in_flow(r, flow)
        .map(|x| l.topology.component(x.component).kind)
        .collect()
}

/// The outcome of the app's `ReceiveResponse` in a flow.
fn received<'a>(l: &Lesson, r: &'a LessonRun, flow: &str) -> &'a Outcome {
    let app = in_flow(r, flow)
        .find(|x| x.action == Action::ReceiveResponse)
        .unwrap_or_else(|| panic!("flow `{flow}` got an answer"));
    assert_eq!(l.topology.component(app.component).kind, ComponentKind::App);
    &app.outcome
}

#[test]
fn zero_trust_steps_show_identity_strict_mtls_and_authorization() {
    use Action::*;
    let l = lesson("zero-trust");
    let r = run(&l, vec![]);
    assert_steps(
        &r,
        &[
            ("frontend/sidecar", Forward),
            ("payments/sidecar", InterceptInbound),
            ("payments/sidecar", InterceptInbound),
            ("kubectl", ApplyMeshConfig),
            ("payments/sidecar", ApplyConfig),
            ("payments/sidecar", RejectPlaintext),
            ("reports/app", ReceiveResponse),
            ("payments/sidecar", DenyRequest),
            ("ztunnel/node-1", Intercept),
            ("ztunnel/node-1", Forward),
            ("ztunnel/node-2", InterceptInbound),
            ("ztunnel/node-2", DenyRequest),
            ("batch-ambient/app", ReceiveResponse),
            ("kubectl", ApplyMeshConfig),
            ("ztunnel/node-2", DenyRequest),
            ("ztunnel/node-1", Intercept),
            ("waypoint", Forward),
            ("waypoint", DenyRequest),
            ("end", End),
        ],
    );
    // Sidecar mode, before any policy: frontend over mTLS, reports (a
    // library, no mesh certificate) in plaintext, both accepted (PERMISSIVE).
    assert_eq!(
        outcome(&l, &r, "mtls-call"),
        &forwarded(&l, "payments", 1, true)
    );
    assert_eq!(outcome(&l, &r, "identity"), &Outcome::Done);
    assert_eq!(outcome(&l, &r, "plaintext-ok"), &Outcome::Done);
    let lib = rows(&l, &r, "reports/library", LibraryProcess);
    assert_eq!(lib[0].outcome, forwarded(&l, "payments", 1, false));
    assert_eq!(call_result(&r, "frontend-1"), CallResult::Http(200));
    assert_eq!(call_result(&r, "reports-1"), CallResult::Http(200));
    // One apply: mesh-wide STRICT and one ALLOW policy per namespace.
    assert_eq!(
        outcome(&l, &r, "lockdown"),
        &Outcome::Output(
            "peerauthentication.security.istio.io/default created, \
             authorizationpolicy.security.istio.io/payments-callers created, \
             authorizationpolicy.security.istio.io/payments-callers-ambient created"
                .into()
        )
    );
    assert_eq!(outcome(&l, &r, "enforced"), &Outcome::Config { version: 2 });
    let at = |id: &str| r.table.rows[step(&l, id) as usize - 1].time_us.unwrap();
    assert_eq!(at("enforced") - at("lockdown"), 100_500);
    // STRICT: reports' plaintext is reset every time; its library retries
    // twice and answers 503; payments' app never sees the call.
    assert_eq!(
        outcome(&l, &r, "strict-refuses"),
        &Outcome::Failed(Failure::Refused)
    );
    assert_eq!(
        in_flow(&r, "reports-2")
            .filter(|x| x.action == RejectPlaintext)
            .count(),
        3
    );
    assert!(matches!(
        outcome(&l, &r, "library-503"),
        Outcome::Http {
            status: 503,
            attempts: 3,
            encrypted: false,
            ..
        }
    ));
    assert_eq!(call_result(&r, "reports-2"), CallResult::Http(503));
    assert!(in_flow(&r, "reports-2").all(|x| x.action != HandleRequest));
    // The policy: batch, proven over mTLS, gets 403 from payments' sidecar,
    // not retried, never seen by payments' app; frontend gets 200.
    assert_eq!(
        outcome(&l, &r, "denied"),
        &Outcome::Failed(Failure::Forbidden)
    );
    let deny = &r.trace.rows[r.table.rows[step(&l, "denied") as usize - 1]
        .trace_row
        .unwrap()];
    assert!(
        deny.note.to_string().starts_with("RBAC: access denied"),
        "{}",
        deny.note
    );
    assert!(matches!(
        received(&l, &r, "batch-1"),
        Outcome::Http {
            status: 403,
            attempts: 1,
            encrypted: true,
            ..
        }
    ));
    assert!(in_flow(&r, "batch-1").all(|x| x.action != HandleRequest && x.action != Retry));
    assert_eq!(call_result(&r, "batch-1"), CallResult::Http(403));
    assert_eq!(call_result(&r, "frontend-2"), CallResult::Http(200));
    assert_eq!(handled_by(&l, &r, "frontend-2"), "payments/app");
}

#[test]
fn the_same_call_takes_sidecar_hops_or_ztunnel_hops() {
    use Action::*;
    let l = lesson("zero-trust");
    let r = run(&l, vec![]);
    // Sidecar mode: app, sidecar, sidecar, app (2.21 ms).
    assert_eq!(
        hops(&l, &r, "frontend-1"),
        h(&[
            ("frontend/app", SendRequest),
            ("frontend/sidecar", Intercept),
            ("frontend/sidecar", ApplyPolicies),
            ("frontend/sidecar", Forward),
            ("frontend/sidecar", ReportMetrics),
            ("payments/sidecar", InterceptInbound),
            ("payments/app", HandleRequest),
            ("payments/app", SendResponse),
            ("payments/sidecar", ReturnResponse),
            ("frontend/sidecar", ReturnResponse),
            ("frontend/app", ReceiveResponse),
        ])
    );
    assert!(matches!(
        received(&l, &r, "frontend-1"),
        Outcome::Http {
            status: 200,
            latency_us: 2210,
            encrypted: true,
            ..
        }
    ));
    // Ambient mode, no waypoint: app, ztunnel on node-1, ztunnel on node-2,
    // app; no sidecar anywhere, no metrics row, mTLS (HBONE) between nodes
    // (2.09 ms).
    assert_eq!(
        hops(&l, &r, "ambient-frontend"),
        h(&[
            ("frontend-ambient/app", SendRequest),
            ("ztunnel/node-1", Intercept),
            ("ztunnel/node-1", Forward),
            ("ztunnel/node-2", InterceptInbound),
            ("payments-ambient/app", HandleRequest),
            ("payments-ambient/app", SendResponse),
            ("ztunnel/node-1", ReturnResponse),
            ("frontend-ambient/app", ReceiveResponse),
        ])
    );
    assert!(l.topology.find("frontend-ambient/sidecar").is_none());
    assert!(l.topology.find("payments-ambient/sidecar").is_none());
    let ambient = kinds(&l, &r, "ambient-frontend");
    assert!(!ambient.contains(&ComponentKind::Sidecar), "{ambient:?}");
    assert!(ambient.contains(&ComponentKind::Ztunnel), "{ambient:?}");
    assert_eq!(outcome(&l, &r, "ztunnel-out"), &Outcome::Done);
    assert_eq!(
        outcome(&l, &r, "hbone"),
        &forwarded(&l, "payments-ambient", 1, true)
    );
    assert_eq!(
        rows(&l, &r, "frontend-ambient/app", SendRequest)[0].outcome,
        Outcome::SentVia(Route::Ztunnel)
    );
    assert!(matches!(
        received(&l, &r, "ambient-frontend"),
        Outcome::Http {
            status: 200,
            latency_us: 2090,
            attempts: 1,
            encrypted: true,
        }
    ));
    // Through billing's waypoint: app, ztunnel, waypoint, ztunnel, app
    // (3.19 ms); the waypoint counts the request, ztunnel never does.
    assert_eq!(
        hops(&l, &r, "waypoint-frontend"),
        h(&[
            ("frontend-ambient/app", SendRequest),
            ("ztunnel/node-1", Intercept),
            ("waypoint", Intercept),
            ("waypoint", ApplyPolicies),
            ("waypoint", Forward),
            ("waypoint", ReportMetrics),
            ("ztunnel/node-2", InterceptInbound),
            ("billing/app", HandleRequest),
            ("billing/app", SendResponse),
            ("waypoint", ReturnResponse),
            ("frontend-ambient/app", ReceiveResponse),
        ])
    );
    assert_eq!(
        outcome(&l, &r, "waypoint-allows"),
        &forwarded(&l, "billing", 1, true)
    );
    assert!(matches!(
        received(&l, &r, "waypoint-frontend"),
        Outcome::Http {
            status: 200,
            latency_us: 3190,
            ..
        }
    ));
    let ztunnels: Vec<Action> = (r.trace.rows.iter())
        .filter(|x| l.topology.component(x.component).kind == ComponentKind::Ztunnel)
        .map(|x| x.action)
        .collect();
    assert!(!ztunnels.contains(&ReportMetrics), "{ztunnels:?}");
    assert!(!ztunnels.contains(&Retry), "{ztunnels:?}");
}

#[test]
fn ztunnel_refuses_by_reset_fails_closed_on_http_rules_and_a_waypoint_answers_403() {
    use Action::*;
    let l = lesson("zero-trust");
    let r = run(&l, vec![]);
    // An identity rule at L4: batch is reset, with no HTTP status.
    assert_eq!(
        outcome(&l, &r, "l4-deny"),
        &Outcome::Failed(Failure::Refused)
    );
    assert_eq!(
        outcome(&l, &r, "reset-seen"),
        &Outcome::Failed(Failure::Refused)
    );
    assert_eq!(
        call_result(&r, "ambient-batch"),
        CallResult::Failed(Failure::Refused)
    );
    assert!(in_flow(&r, "ambient-batch").all(|x| x.action != HandleRequest));
    // The same refusal in shop was a 403.
    assert_eq!(call_result(&r, "batch-1"), CallResult::Http(403));
    // An HTTP rule with no waypoint: even the call it allows is reset.
    assert_eq!(
        outcome(&l, &r, "http-rule"),
        &Outcome::Output(
            "authorizationpolicy.security.istio.io/payments-callers-ambient configured, \
             authorizationpolicy.security.istio.io/billing-callers created"
                .into()
        )
    );
    assert_eq!(
        outcome(&l, &r, "fail-closed"),
        &Outcome::Failed(Failure::Refused)
    );
    let closed = &r.trace.rows[r.table.rows[step(&l, "fail-closed") as usize - 1]
        .trace_row
        .unwrap()];
    assert!(
        closed.note.to_string().contains("fail closed"),
        "{}",
        closed.note
    );
    assert_eq!(
        call_result(&r, "ambient-post"),
        CallResult::Failed(Failure::Refused)
    );
    assert!(in_flow(&r, "ambient-post").all(|x| x.action != HandleRequest));
    // With a waypoint the same rule lets frontend's POST /charge in and
    // answers batch 403 before billing's app sees anything.
    assert_eq!(call_result(&r, "waypoint-frontend"), CallResult::Http(200));
    assert_eq!(handled_by(&l, &r, "waypoint-frontend"), "billing/app");
    assert_eq!(
        outcome(&l, &r, "waypoint-denies"),
        &Outcome::Failed(Failure::Forbidden)
    );
    assert_eq!(call_result(&r, "waypoint-batch"), CallResult::Http(403));
    assert!(in_flow(&r, "waypoint-batch").all(|x| x.action != HandleRequest));
    assert!(
        in_flow(&r, "waypoint-batch")
            .all(|x| l.topology.component(x.component).id != "ztunnel/node-2"),
        "the waypoint refuses before the destination's ztunnel"
    );
    // Every call's result, caller by caller.
    let want = [
        ("frontend-1", CallResult::Http(200)),
        ("reports-1", CallResult::Http(200)),
        ("reports-2", CallResult::Http(503)),
        ("batch-1", CallResult::Http(403)),
        ("frontend-2", CallResult::Http(200)),
        ("ambient-frontend", CallResult::Http(200)),
        ("ambient-batch", CallResult::Failed(Failure::Refused)),
        ("ambient-post", CallResult::Failed(Failure::Refused)),
        ("waypoint-frontend", CallResult::Http(200)),
        ("waypoint-batch", CallResult::Http(403)),
    ];
    for (flow, res) in want {
        assert_eq!(call_result(&r, flow), res, "{flow}");
    }
}

#[test]
fn zero_trust_tracker_answers_and_what_ifs_are_the_engines() {
    let l = lesson("zero-trust");
    let r = run(&l, vec![]);
    assert_eq!(
        tracker_texts(&r, "reports-call"),
        [
            "Not sent",
            "Not sent",
            "Reset (STRICT); 503 from its library",
            "Reset (STRICT); 503 from its library",
            "Reset (STRICT); 503 from its library"
        ]
    );
    assert_eq!(
        tracker_texts(&r, "batch-sidecar"),
        [
            "Not sent",
            "Not sent",
            "403 from payments' sidecar",
            "403 from payments' sidecar",
            "403 from payments' sidecar"
        ]
    );
    assert_eq!(
        tracker_texts(&r, "batch-ambient"),
        [
            "Not sent",
            "Not sent",
            "Not sent",
            "Reset by ztunnel, no status",
            "Reset by ztunnel, no status"
        ]
    );
    use EngineAnswer::{Outcome as O, Step, Text, Ungraded};
    assert_engine_answers(
        &l,
        &r,
        &[
            Step(step(&l, "strict-refuses")),
            O(OutcomeClaim::ConnectionRefused),
            O(OutcomeClaim::Http(403)),
            Text("Reset by ztunnel, no status".into()),
            Ungraded,
            Step(step(&l, "l4-deny")),
            Ungraded,
            O(OutcomeClaim::ConnectionRefused),
            Step(step(&l, "mtls-call")),
        ],
    );

    // Each what-if, faults and settings changes alike, changes exactly these
    // steps. (`assert_what_ifs` runs the faults only, without `changes`.)
    let ids = |list: &[&str]| -> Vec<u32> { list.iter().map(|id| step(&l, id)).collect() };
    let want: Vec<(&str, Vec<u32>)> = vec![
        (
            "Back to PERMISSIVE, keep the policy",
            ids(&["strict-refuses", "library-503"]),
        ),
        ("Give shop's policy the same HTTP rule", vec![]),
        (
            "Turn mTLS off",
            ids(&[
                "mtls-call",
                "strict-refuses",
                "library-503",
                "hbone",
                "ztunnel-in",
                // The ztunnel's hand-off still happens; the call behind it now gets 403.
                "to-waypoint",
                "waypoint-allows",
            ]),
        ),
        ("frontend started without its sidecar", ids(&["mtls-call"])),
        (
            "payments started without its sidecar",
            ids(&[
                "mtls-call",
                "identity",
                "plaintext-ok",
                "enforced",
                "strict-refuses",
                "library-503",
                "denied",
            ]),
        ),
        (
            "istiod is down from the start",
            ids(&[
                "enforced",
                "strict-refuses",
                "library-503",
                "denied",
                "l4-deny",
                "reset-seen",
                "fail-closed",
                "waypoint-denies",
            ]),
        ),
    ];
    assert_eq!(l.scenario.what_if.len(), want.len());
    let mut runs = Vec::new();
    for (i, (w, (label, affected))) in l.scenario.what_if.iter().zip(&want).enumerate() {
        assert_eq!(w.label, *label);
        let run = l.run_lesson_what_if(l.scenario.seed, i).unwrap();
        assert_eq!(&run.affected_steps(), affected, "what-if `{label}`");
        let written: Vec<u32> = (w.expect_affected.iter().flatten())
            .filter_map(|s| s.number())
            .collect();
        assert_eq!(&written, affected, "what-if `{label}` as written");
        runs.push(run);
    }

    // Back to PERMISSIVE: reports' plaintext now reaches the policy, which
    // refuses it at once (no identity): 403, one attempt, no reset.
    let permissive = &runs[0];
    assert_eq!(call_result(permissive, "reports-2"), CallResult::Http(403));
    assert!(in_flow(permissive, "reports-2").all(|x| x.action != Action::RejectPlaintext));
    assert!(matches!(
        received(&l, permissive, "reports-2"),
        Outcome::Http {
            status: 403,
            attempts: 1,
            encrypted: false,
            ..
        }
    ));
    assert_eq!(call_result(permissive, "batch-1"), CallResult::Http(403));
    // The change travels as a push, after step 5.
    let applied = rows(&l, permissive, "kubectl", Action::ApplyMeshConfig);
    assert_eq!(
        applied.len(),
        3,
        "zero-trust.yaml, permissive.yaml, charge-only.yaml"
    );
    // The same HTTP rule on a sidecar is enforced, not failed closed.
    let http_rule = &runs[1];
    assert_eq!(call_result(http_rule, "frontend-2"), CallResult::Http(200));
    assert_eq!(call_result(http_rule, "batch-1"), CallResult::Http(403));

    // mTLS off: no identity anywhere, so the allowed caller is refused too:
    // 403 from payments' sidecar, a reset from ztunnel.
    let off = run(&l, vec![Fault::MtlsOff]);
    assert_eq!(call_result(&off, "frontend-2"), CallResult::Http(403));
    assert_eq!(call_result(&off, "reports-2"), CallResult::Http(403));
    assert_eq!(
        call_result(&off, "ambient-frontend"),
        CallResult::Failed(Failure::Refused)
    );
    assert!(rows(&l, &off, "payments/sidecar", Action::RejectPlaintext).is_empty());
    // A pod started without its sidecar has no certificate: under STRICT its
    // plaintext is reset, and a plain app sees the reset itself.
    let bare = run(&l, vec![Fault::NoSidecar("frontend".into())]);
    assert_eq!(call_result(&bare, "frontend-1"), CallResult::Http(200));
    assert_eq!(
        call_result(&bare, "frontend-2"),
        CallResult::Failed(Failure::Refused)
    );
    assert_eq!(
        rows(&l, &bare, "frontend/app", Action::SendRequest)[1].outcome,
        Outcome::SentVia(Route::Direct)
    );
    // A server without its sidecar enforces nothing, and auto mTLS sends it
    // plaintext.
    let open = run(&l, vec![Fault::NoSidecar("payments".into())]);
    assert_eq!(
        rows(&l, &open, "frontend/sidecar", Action::Forward)[0].outcome,
        forwarded(&l, "payments", 1, false)
    );
    assert_eq!(call_result(&open, "reports-2"), CallResult::Http(200));
    assert_eq!(call_result(&open, "batch-1"), CallResult::Http(200));
    assert_eq!(
        call_result(&open, "ambient-batch"),
        CallResult::Failed(Failure::Refused)
    );
    // istiod down: kubectl stores the policies, nobody enforces them.
    let down = run(&l, vec![Fault::ControlPlaneDown]);
    assert_eq!(
        down.table.rows[step(&l, "lockdown") as usize - 1].status,
        StepStatus::AsWritten
    );
    for flow in [
        "reports-2",
        "batch-1",
        "ambient-batch",
        "ambient-post",
        "waypoint-batch",
    ] {
        assert_eq!(call_result(&down, flow), CallResult::Http(200), "{flow}");
    }
}
