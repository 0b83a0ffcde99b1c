//! The context every handler gets: the clock, the queue, the seeded random
//! generator, the world, and the recorder that writes the trace. Handlers
//! change state through it so every change lands in the trace's history, and
//! schedule through it so every event remembers the row that caused it.

use crate::action::Action;
use crate::component::{ComponentId, State};
use crate::engine::event::{Event, Scheduled};
use crate::engine::request::Request;
use crate::engine::rng::SimRng;
use crate::engine::world::World;
use crate::ids::{PodId, ReqId, RowId};
use crate::queue::{EventQueue, Micros};
use crate::topology::Topology;
use crate::trace::{
    Changes, FlowId, History, Note, Outcome, Progress, RequestLog, StateChange, TraceRow, push_log,
};

/// Writes rows and state changes (or, with recording off, only counts events).
#[derive(Clone)]
pub(crate) struct Recorder {
    on: bool,
    pub rows: Vec<TraceRow>,
    pub history: History,
    pub events: u64,
    /// Time of the last recorded event (stale timers do not count).
    pub last_active: Micros,
}

impl Recorder {
    /// `calls`: how many stimuli the run has, to size the trace up front.
    pub fn new(on: bool, topo: &Topology, stimuli: usize) -> Self {
        let n = topo.components.len();
        let history = if on {
            History {
                states: Default::default(),
                config: vec![Changes::default(); n],
                injected: vec![Changes::default(); topo.pods.len()],
                requests: Vec::with_capacity(stimuli),
                progress: Vec::with_capacity(stimuli.saturating_mul(6).min(1 << 24)),
            }
        } else {
            History::default()
        };
        // About a dozen rows per call through a sidecar; fewer is fine, growth is cheap.
        let rows = if on {
            Vec::with_capacity(stimuli.saturating_mul(8).min(1 << 24))
        } else {
            Vec::new()
        };
        Recorder {
            on,
            rows,
            history,
            events: 0,
            last_active: 0,
        }
    }

    /// Changes made now hold from the next row on.
    fn tag(&self) -> u32 {
        self.rows.len() as u32
    }
}

#[derive(Clone)]
pub(crate) struct Cx<'t> {
    pub topo: &'t Topology,
    pub now: Micros,
    pub world: World,
    pub rng: SimRng,
    pub(crate) queue: EventQueue<Scheduled>,
    pub(crate) rec: Recorder,
    /// The row that caused the event being handled; then the latest row the
    /// handler recorded, which is what its own scheduled events are caused by.
    pub(crate) cause: Option<RowId>,
}

impl<'t> Cx<'t> {
    /// Schedules `event` `delay` from now.
    #[inline]
    pub fn after(&mut self, delay: Micros, event: Event) {
        // Saturating: a scenario may give absurd latencies; time then pins at the end of time.
        let cause = self.cause;
        self.queue
            .push_after(self.now, delay, Scheduled { event, cause });
    }

    pub fn state(&self, c: ComponentId) -> State {
        self.world.states[c.index()]
    }

    /// Whether a pod's traffic goes through a ztunnel: it is enrolled in
    /// ambient mode and its node's ztunnel (started with the mesh) runs.
    pub fn ambient(&self, pod: crate::ids::PodId) -> bool {
        self.topo.pod(pod).proxy == crate::scenario::schema::ProxyMode::Ambient
            && self.world.cp.installed
            && self
                .topo
                .ztunnel_of(pod)
                .is_some_and(|z| self.state(z) != State::NotInstalled)
    }

    pub fn set(&mut self, c: ComponentId, s: State) {
        let slot = &mut self.world.states[c.index()];
        if *slot != s {
            *slot = s;
            if self.rec.on {
                let row = self.rec.tag();
                self.rec.history.states.push(
                    StateChange {
                        row,
                        component: c,
                        state: s,
                    },
                    &self.world.states,
                );
            }
        }
    }

    /// Changes what the trace shows of a request's progress (which only the
    /// trace shows: nothing to do when not recording).
    #[inline]
    pub fn progress(&mut self, rq: ReqId, change: impl FnOnce(&mut Progress)) {
        if !self.rec.on {
            return;
        }
        let p = &mut self.world.requests[rq.index()].progress;
        change(p);
        let (t, p) = (self.rec.tag(), *p);
        self.rec.history.progress(rq, t, p);
    }

    /// Records the config version a pod's sidecar holds.
    pub fn set_config(&mut self, pod: PodId, version: Option<u32>) {
        if let Some(proxy) = &mut self.world.pods[pod.index()].proxy {
            proxy.config = version;
        }
        if self.rec.on
            && let Some(s) = self.topo.pod(pod).sidecar
        {
            let t = self.rec.tag();
            self.rec.history.config[s.index()].push(t, version);
        }
    }

    /// Records whether a sidecar runs in a pod.
    pub fn set_injected(&mut self, pod: PodId, injected: bool) {
        if self.rec.on {
            let t = self.rec.tag();
            self.rec.history.injected[pod.index()].push(t, injected);
        }
    }

    pub fn new_request(&mut self, r: Request) -> ReqId {
        let id = ReqId::new(self.world.requests.len());
        if self.rec.on {
            let created = self.rec.tag();
            self.rec.history.requests.push(RequestLog {
                flow: r.flow,
                parent: r.parent,
                trace: r.trace,
                created,
                last: None,
            });
        }
        self.world.requests.push(r);
        id
    }

    /// The flow of the row that caused the event being handled.
    pub fn cause_flow(&self) -> Option<FlowId> {
        self.cause
            .and_then(|c| self.rec.rows.get(c.index()))
            .and_then(|r| r.flow)
    }

    /// Starts a trace row for `component` doing `action`; finish it with [`RowBuilder::record`].
    pub fn row(&mut self, component: ComponentId, action: Action) -> RowBuilder<'_, 't> {
        RowBuilder {
            cx: self,
            component,
            action,
            flow: None,
            req: None,
            outcome: Outcome::Done,
            note: Note::None,
        }
    }
}

/// One row in the making: who did what, for which request or flow, with what result.
pub(crate) struct RowBuilder<'a, 't> {
    cx: &'a mut Cx<'t>,
    component: ComponentId,
    action: Action,
    flow: Option<FlowId>,
    req: Option<ReqId>,
    outcome: Outcome,
    note: Note,
}

impl RowBuilder<'_, '_> {
    /// The row concerns this request (and so its flow).
    pub fn request(mut self, rq: ReqId) -> Self {
        self.req = Some(rq);
        self.flow = Some(self.cx.world.req(rq).flow);
        self
    }

    pub fn flow(mut self, flow: Option<FlowId>) -> Self {
        self.flow = flow;
        self
    }

    pub fn outcome(mut self, outcome: Outcome) -> Self {
        self.outcome = outcome;
        self
    }

    pub fn note(mut self, note: impl Into<Note>) -> Self {
        self.note = note.into();
        self
    }

    pub fn record(self) {
        let cx = self.cx;
        let rec = &mut cx.rec;
        rec.events += 1;
        rec.last_active = cx.now;
        if !rec.on {
            return;
        }
        let seq = rec.rows.len();
        push_log(
            &mut rec.rows,
            TraceRow {
                time_us: cx.now,
                component: self.component,
                action: self.action,
                outcome: self.outcome,
                flow: self.flow,
                request: self.req,
                cause: cx.cause,
                note: self.note,
            },
        );
        cx.cause = Some(RowId::new(seq));
    }
}
