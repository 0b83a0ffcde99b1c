//! The one place that decides attempts and timeouts: how many attempts a
//! proxy makes, how long it waits for each, whether a failed attempt is tried
//! again, and what status the caller gets when the proxy gives up.
//!
//! The retry policy is the request's route's (`Retries` in a `Routes`
//! resource) or, without one, the lesson's mesh-wide policy
//! (`topology.mesh`: retry resets, timed-out tries and 503s). Istio's own
//! default retries twice on connection failures only and sets no timeout
//! (<https://istio.io/latest/docs/concepts/traffic-management/#retries>).
//! What each `retryOn` condition covers follows Envoy's router
//! (<https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-retry-on>).

use crate::engine::config::RetryPolicy;
use crate::engine::event::Reply;
use crate::engine::request::{PathKind, Request, status};
use crate::engine::world::World;
use crate::queue::Micros;
use crate::scenario::schema::RetryOn;

/// How one attempt ended, as the client side sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AttemptEnd {
    Replied(Reply),
    TimedOut,
}

/// What the client side does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// Send another attempt.
    Retry,
    /// Give the caller this answer.
    Answer(Reply),
}

/// Attempts a proxy makes for one call (1 + retries).
pub(crate) fn max_attempts(world: &World, path: PathKind, p: &RetryPolicy) -> u32 {
    match path {
        // ztunnel never retries: it does not read HTTP.
        PathKind::Direct | PathKind::Ambient => 1,
        _ if world.retries_off => 1,
        PathKind::Sidecar | PathKind::Library => 1 + p.attempts,
    }
}

/// How long the caller's side waits for one attempt (`None`: no limit but
/// the route's).
pub(crate) fn attempt_timeout(world: &World, path: PathKind, p: &RetryPolicy) -> Option<Micros> {
    match path {
        // An app with no proxy has only its own client timeout.
        PathKind::Direct | PathKind::Ambient => Some(world.mesh.app_timeout_us),
        PathKind::Sidecar | PathKind::Library => p.per_try_timeout_us,
    }
}

/// Whether the policy retries this kind of failure.
fn retriable(end: AttemptEnd, on: &[RetryOn]) -> bool {
    on.iter().any(|c| match (c, end) {
        // No answer at all: a reset or refused connection, or a timed-out try.
        (RetryOn::Http5xx | RetryOn::GatewayError | RetryOn::Reset, AttemptEnd::TimedOut) => true,
        (
            RetryOn::Http5xx | RetryOn::GatewayError | RetryOn::Reset | RetryOn::ConnectFailure,
            AttemptEnd::Replied(Reply::Reset),
        ) => true,
        (RetryOn::Http5xx, AttemptEnd::Replied(Reply::Status(s))) => s >= 500,
        (RetryOn::GatewayError, AttemptEnd::Replied(Reply::Status(s))) => {
            matches!(s, 502..=504)
        }
        (RetryOn::Status(x), AttemptEnd::Replied(Reply::Status(s))) => *x == s,
        _ => false,
    })
}

/// The answer a proxy gives its app when it stops trying.
pub(crate) fn final_answer(end: AttemptEnd) -> Reply {
    match end {
        AttemptEnd::TimedOut => Reply::Status(status::GATEWAY_TIMEOUT),
        AttemptEnd::Replied(Reply::Reset) => Reply::Status(status::SERVICE_UNAVAILABLE),
        AttemptEnd::Replied(r) => r,
    }
}

/// After an attempt of a proxied call: try again, or answer the app. (An app
/// with no proxy makes one attempt and sees exactly what came back.)
pub(crate) fn after_attempt(req: &Request, end: AttemptEnd, p: &RetryPolicy) -> Next {
    if retriable(end, &p.on) && req.attempt < req.max_attempts {
        Next::Retry
    } else {
        Next::Answer(final_answer(end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::request::Target;
    use crate::ids::{PodId, SvcId};
    use crate::trace::FlowId;

    fn mesh() -> RetryPolicy {
        RetryPolicy::mesh(&Default::default())
    }

    fn req(path: PathKind, attempt: u32, max: u32) -> Request {
        let mut r = Request::new(
            crate::ids::ReqId::new(0),
            FlowId(0),
            PodId(0),
            Target::Service(SvcId(0)),
            path,
            0,
        );
        r.attempt = attempt;
        r.max_attempts = max;
        r
    }

    #[test]
    fn a_proxy_retries_timeouts_and_resets_while_attempts_remain() {
        let r = req(PathKind::Sidecar, 1, 3);
        assert_eq!(
            after_attempt(&r, AttemptEnd::TimedOut, &mesh()),
            Next::Retry
        );
        assert_eq!(
            after_attempt(&r, AttemptEnd::Replied(Reply::Reset), &mesh()),
            Next::Retry
        );
        assert_eq!(
            after_attempt(&r, AttemptEnd::Replied(Reply::Status(200)), &mesh()),
            Next::Answer(Reply::Status(200))
        );
    }

    #[test]
    fn exhausted_retries_become_504_on_timeouts_and_503_on_resets() {
        let r = req(PathKind::Library, 3, 3);
        assert_eq!(
            after_attempt(&r, AttemptEnd::TimedOut, &mesh()),
            Next::Answer(Reply::Status(504))
        );
        assert_eq!(
            after_attempt(&r, AttemptEnd::Replied(Reply::Reset), &mesh()),
            Next::Answer(Reply::Status(503))
        );
    }

    #[test]
    fn each_retry_condition_covers_what_envoy_says() {
        let r = req(PathKind::Sidecar, 1, 3);
        let p = |on: Vec<RetryOn>| RetryPolicy {
            attempts: 2,
            per_try_timeout_us: None,
            on,
            backoff_us: 0,
        };
        let retried = |on: Vec<RetryOn>, end| after_attempt(&r, end, &p(on)) == Next::Retry;
        let (t, reset) = (AttemptEnd::TimedOut, AttemptEnd::Replied(Reply::Reset));
        let st = |s| AttemptEnd::Replied(Reply::Status(s));
        assert!(retried(vec![RetryOn::Http5xx], st(500)) && retried(vec![RetryOn::Http5xx], t));
        assert!(!retried(vec![RetryOn::GatewayError], st(500)));
        assert!(
            retried(vec![RetryOn::GatewayError], st(503))
                && retried(vec![RetryOn::GatewayError], t)
        );
        assert!(retried(vec![RetryOn::ConnectFailure], reset));
        assert!(
            !retried(vec![RetryOn::ConnectFailure], t)
                && !retried(vec![RetryOn::ConnectFailure], st(503))
        );
        assert!(
            retried(vec![RetryOn::Status(409)], st(409))
                && !retried(vec![RetryOn::Status(409)], st(503))
        );
        assert!(!retried(vec![RetryOn::Http5xx], st(404)));
    }

    #[test]
    fn retries_off_means_one_attempt() {
        let mut w = World::new(
            &crate::Topology::build(
                &ron::from_str("(pods: [(id: \"a\", app: \"a\")])").unwrap(),
                &Default::default(),
            )
            .unwrap(),
        );
        w.retries_off = true;
        assert_eq!(max_attempts(&w, PathKind::Sidecar, &mesh()), 1);
        assert_eq!(max_attempts(&w, PathKind::Direct, &mesh()), 1);
        let r = req(PathKind::Sidecar, 1, 1);
        assert_eq!(
            after_attempt(&r, AttemptEnd::TimedOut, &mesh()),
            Next::Answer(Reply::Status(504))
        );
    }
}
