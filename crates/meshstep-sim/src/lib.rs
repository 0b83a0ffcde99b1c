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
//! ```
//! use meshstep_sim::{Lesson, RunOptions};
//!
//! let src = include_str!("../../../scenarios/mesh-vs-library.ron");
//! let lesson = Lesson::from_source("mesh-vs-library.ron", src).expect("lesson is valid");
//! let run = lesson.run(&RunOptions { seed: 1, record: true, ..Default::default() }).unwrap();
//! let table = &run.table;
//! // The sidecar applies its policies at step 4 of this lesson.
//! assert_eq!(table.rows[3].action, meshstep_sim::Action::ApplyPolicies);
//! ```

pub mod action;
pub mod bundled;
pub mod component;
pub mod diagnostics;
pub mod engine;
pub mod fault;
pub mod ids;
pub mod learning;
pub mod lesson;
pub mod queue;
pub mod scenario;
pub mod share;
pub mod suggest;
pub mod topology;
pub mod trace;

pub use action::Action;
pub use component::{ComponentId, ComponentKind, State};
pub use diagnostics::{Diagnostic, Severity};
pub use engine::{EVENT_LIMIT, FaultStart, RunOptions, simulate};
pub use fault::Fault;
pub use lesson::{Lesson, LessonRun};
pub use scenario::schema::Scenario;
pub use topology::Topology;
pub use trace::{Outcome, Trace, TraceRow};
