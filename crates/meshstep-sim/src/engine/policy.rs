//! The one place that decides attempts and timeouts: how many attempts a
//! proxy makes, how long it waits for each, whether a failed attempt is tried
//! again, and what status the caller gets when the proxy gives up.
//!
//! The policy modelled is the lesson's configured one (`topology.mesh`): a
//! retry on a reset or refused connection, on a timed-out attempt and on a
//! 503, like Istio's `retryOn: connect-failure,reset,5xx` with a per-try
//! timeout. Istio's own default retries twice on connection failures only and
//! sets no timeout (<https://istio.io/latest/docs/concepts/traffic-management/#retries>).

use crate::engine::event::Reply;
use crate::engine::request::{PathKind, Request, status};
use crate::engine::world::World;
use crate::queue::Micros;

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
pub(crate) fn max_attempts(world: &World, path: PathKind) -> u32 {
    match path {
        PathKind::Direct => 1,
        PathKind::Sidecar | PathKind::Library => 1 + world.mesh.retries,
    }
}

/// How long the caller's side waits for one attempt.
pub(crate) fn attempt_timeout(world: &World, path: PathKind) -> Micros {
    match path {
        // An app with no proxy has only its own client timeout.
        PathKind::Direct => world.mesh.app_timeout_us,
        PathKind::Sidecar | PathKind::Library => world.mesh.per_try_timeout_us,
    }
}

/// Whether this kind of failure is worth another attempt.
fn retriable(end: AttemptEnd) -> bool {
    match end {
        AttemptEnd::TimedOut | AttemptEnd::Replied(Reply::Reset) => true,
        AttemptEnd::Replied(Reply::Status(s)) => s == status::SERVICE_UNAVAILABLE,
    }
}

/// The answer a proxy gives its app when it stops trying.
fn final_answer(end: AttemptEnd) -> Reply {
    match end {
        AttemptEnd::TimedOut => Reply::Status(status::GATEWAY_TIMEOUT),
        AttemptEnd::Replied(Reply::Reset) => Reply::Status(status::SERVICE_UNAVAILABLE),
        AttemptEnd::Replied(r) => r,
    }
}

/// After an attempt of a proxied call: try again, or answer the app. (An app
/// with no proxy makes one attempt and sees exactly what came back.)
pub(crate) fn after_attempt(req: &Request, end: AttemptEnd) -> Next {
    if retriable(end) && req.attempt < req.max_attempts {
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
        assert_eq!(after_attempt(&r, AttemptEnd::TimedOut), Next::Retry);
        assert_eq!(
            after_attempt(&r, AttemptEnd::Replied(Reply::Reset)),
            Next::Retry
        );
        assert_eq!(
            after_attempt(&r, AttemptEnd::Replied(Reply::Status(200))),
            Next::Answer(Reply::Status(200))
        );
    }

    #[test]
    fn exhausted_retries_become_504_on_timeouts_and_503_on_resets() {
        let r = req(PathKind::Library, 3, 3);
        assert_eq!(
            after_attempt(&r, AttemptEnd::TimedOut),
            Next::Answer(Reply::Status(504))
        );
        assert_eq!(
            after_attempt(&r, AttemptEnd::Replied(Reply::Reset)),
            Next::Answer(Reply::Status(503))
        );
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
        w.mesh.retries = 0;
        assert_eq!(max_attempts(&w, PathKind::Sidecar), 1);
        assert_eq!(max_attempts(&w, PathKind::Direct), 1);
        let r = req(PathKind::Sidecar, 1, 1);
        assert_eq!(
            after_attempt(&r, AttemptEnd::TimedOut),
            Next::Answer(Reply::Status(504))
        );
    }
}
