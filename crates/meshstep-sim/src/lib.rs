//! # meshstep-sim
//!
//! The simulation core of meshstep: a deterministic discrete-event engine that
//! models Kubernetes service-to-service traffic through sidecar proxies, library
//! proxies or direct calls; the scenario (lesson) file format with a loader and
//! validator that report `file:line:col` diagnostics; and the lesson model —
//! process table, status tracker and quiz grading — derived from the trace.
//!
//! No GUI code lives here, so everything is testable in plain unit tests.
//!
//! A lesson is a RON file; the engine simulates it, and everything a
//! learner sees is read from the trace:
//!
//! ```
//! use meshstep_sim::trace::Outcome;
//! use meshstep_sim::{Fault, Lesson, RunOptions, bundled};
//!
//! let src = bundled::source("mesh-vs-library").expect("a bundled lesson");
//! let lesson = Lesson::from_source("mesh-vs-library.ron", src).expect("lesson is valid");
//! let run = lesson.run(&RunOptions { seed: lesson.scenario.seed, ..Default::default() }).unwrap();
//!
//! // Step 8: the mesh call's answer, as the engine computed it from the hops.
//! let Some(Outcome::Http { status, encrypted, latency_us, .. }) = &run.table.rows[7].outcome else {
//!     panic!("step 8 is an HTTP answer");
//! };
//! assert_eq!((*status, *encrypted), (200, true));
//! assert!(*latency_us > 150_000, "payments takes 150 ms to answer");
//!
//! // What if the control plane stops pushing config? Only step 7 changes.
//! let what_if = lesson.run_what_if(lesson.scenario.seed, &[Fault::ConfigPushHalted], None).unwrap();
//! assert_eq!(what_if.affected_steps(), [7]);
//! ```

pub mod action;
pub mod bundled;
pub mod compare;
pub mod component;
pub mod diagnostics;
pub mod engine;
pub mod fault;
pub mod ids;
pub mod learning;
pub mod lesson;
pub mod pack;
pub mod queue;
pub mod scale;
pub mod scenario;
pub mod share;
pub mod suggest;
pub mod templates;
pub mod topology;
pub mod trace;

pub use action::Action;
pub use component::{ComponentId, ComponentKind, State};
pub use diagnostics::{Diagnostic, Severity};
pub use engine::{EVENT_LIMIT, FaultStart, RunOptions, Sim, simulate};
pub use fault::Fault;
pub use lesson::{Lesson, LessonRun};
pub use scenario::schema::Scenario;
pub use topology::Topology;
pub use trace::{Outcome, Trace, TraceRow};
