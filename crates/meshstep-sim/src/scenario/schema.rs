//! The scenario file format: the serde types a lesson's RON file deserializes into.
//!
//! Everything an instructor writes lives here. Fields that bind wording to the
//! simulation (steps, tracker rows, quiz checks) name engine components and
//! actions; the validator checks those names and cross-checks the author's
//! stated expectations against a real simulation run.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::action::Action;
use crate::fault::Fault;

/// The newest scenario format version this build understands.
pub const FORMAT_VERSION: u32 = 1;

/// One lesson: a topology to simulate, the stimuli that drive it, and the
/// teaching material bound to the resulting trace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format version; must be at most [`FORMAT_VERSION`].
    pub version: u32,
    /// Short machine name, used in share links and progress files (`mesh-vs-library`).
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    /// Seed for the engine's random numbers (lossy links). Same seed, same trace.
    #[serde(default)]
    pub seed: u64,
    pub topology: TopologySpec,
    /// Display names for components, keyed by component id (`checkout-lib/app`).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Things that happen at given virtual times: calls, `kubectl` commands, config pushes.
    pub stimuli: Vec<Stimulus>,
    /// The process table: each step binds author wording to one engine event.
    pub steps: Vec<Step>,
    #[serde(default)]
    pub process_flow: ProcessFlow,
    #[serde(default)]
    pub execution_sample: ExecutionSample,
    #[serde(default)]
    pub tracker: Tracker,
    #[serde(default)]
    pub key_moments: Vec<KeyMoment>,
    #[serde(default)]
    pub quiz: Vec<QuizQuestion>,
    #[serde(default)]
    pub concept_snapshot: Vec<String>,
    #[serde(default)]
    pub transcript: String,
    #[serde(default)]
    pub practice: Vec<PracticeQuestion>,
    /// "What if" experiments offered to the learner, each a set of faults.
    #[serde(default)]
    pub what_if: Vec<WhatIf>,
    #[serde(default)]
    pub deep_dive: Option<DeepDive>,
}

impl Scenario {
    /// Steps (1-based) the learner is asked to predict before seeing them.
    pub fn predict_steps(&self) -> impl Iterator<Item = u32> + '_ {
        self.steps
            .iter()
            .enumerate()
            .filter(|(_, s)| s.predict.is_some())
            .map(|(i, _)| i as u32 + 1)
    }
}

// ---------------------------------------------------------------- topology

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopologySpec {
    #[serde(default)]
    pub control_plane: Option<ControlPlaneSpec>,
    pub pods: Vec<PodSpec>,
    #[serde(default)]
    pub services: Vec<ServiceSpec>,
    #[serde(default)]
    pub latency: Latency,
    #[serde(default)]
    pub mesh: MeshPolicy,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlPlaneSpec {
    /// Component id of the control plane (`istiod`).
    pub id: String,
    #[serde(default = "default_mesh_namespace")]
    pub namespace: String,
    /// Already running when the simulation starts. When false, a `KubectlApply`
    /// stimulus installs it and sidecars are injected once it is ready.
    #[serde(default = "yes")]
    pub installed: bool,
    /// Time from `kubectl apply` until the control plane pods are Running.
    #[serde(default = "default_startup_us")]
    pub startup_us: u64,
    /// Time the control plane needs to turn new state into a config push.
    #[serde(default = "default_cp_processing_us")]
    pub processing_us: u64,
    /// Push fresh config to every sidecar after telemetry changes its view.
    #[serde(default)]
    pub push_on_telemetry: bool,
    /// How sidecars learn routes: pushed to all (`Push`) or asked per destination (`OnDemand`).
    #[serde(default)]
    pub discovery: Discovery,
    /// Names of the control plane's own pods, as `kubectl get pods` lists them.
    #[serde(default = "default_cp_pods")]
    pub pods: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Discovery {
    #[default]
    Push,
    OnDemand,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodSpec {
    /// Pod id, also the prefix of its containers' ids (`checkout/app`, `checkout/sidecar`).
    pub id: String,
    #[serde(default = "default_namespace")]
    pub namespace: String,
    /// The app label; services select pods by it.
    pub app: String,
    /// Which proxy handles this pod's traffic.
    #[serde(default)]
    pub proxy: ProxyMode,
    /// Time the app spends handling one request it receives.
    #[serde(default = "default_service_time_us")]
    pub service_time_us: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ProxyMode {
    /// Plain app: direct calls, no retries, no encryption, no metrics.
    #[default]
    None,
    /// A sidecar container injected into the pod by the mesh.
    Sidecar,
    /// Proxy logic compiled into the app (client library).
    Library,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    pub name: String,
    #[serde(default = "default_namespace")]
    pub namespace: String,
    /// Pods whose `app` equals this are the service's endpoints.
    pub selector: String,
}

/// Per-hop costs, in microseconds of virtual time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Latency {
    /// App container to its sidecar, over the pod's loopback interface.
    pub loopback_us: u64,
    /// Pod to pod across the cluster network.
    pub network_us: u64,
    /// Sidecar to control plane.
    pub control_plane_us: u64,
    /// Work a library proxy does in-process per request.
    pub library_us: u64,
    /// Work a sidecar does to capture a request (iptables redirect, accept).
    pub intercept_us: u64,
    /// Work a sidecar does to apply routing, policy and mTLS per request.
    pub sidecar_us: u64,
}

impl Default for Latency {
    fn default() -> Self {
        Self {
            loopback_us: 20,
            network_us: 500,
            control_plane_us: 300,
            library_us: 50,
            intercept_us: 30,
            sidecar_us: 100,
        }
    }
}

/// Mesh-wide traffic policy that the control plane hands to proxies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MeshPolicy {
    pub mtls: MtlsMode,
    /// Extra attempts a proxy makes after a failed or timed-out try.
    pub retries: u32,
    /// How long a proxy waits for one attempt before retrying.
    pub per_try_timeout_us: u64,
    /// How long an app without a proxy waits before giving up.
    pub app_timeout_us: u64,
}

impl Default for MeshPolicy {
    fn default() -> Self {
        Self {
            mtls: MtlsMode::Permissive,
            retries: 2,
            per_try_timeout_us: 5_000,
            app_timeout_us: 15_000,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MtlsMode {
    Off,
    /// Encrypt between sidecars; still accept plaintext from pods without one.
    Permissive,
    /// Encrypt between sidecars; reject plaintext at a sidecar's inbound port.
    Strict,
}

// ---------------------------------------------------------------- stimuli

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stimulus {
    /// Names the flow this stimulus starts, so steps and tracker rows can refer to it.
    #[serde(default)]
    pub id: Option<String>,
    pub at_us: u64,
    #[serde(rename = "do")]
    pub action: StimulusAction,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum StimulusAction {
    /// The app in pod `from` calls service `to`.
    Call { from: String, to: String },
    /// `kubectl apply -f <manifest>`: installs the mesh control plane.
    KubectlApply { manifest: String },
    /// `kubectl get pods -n <namespace>`.
    KubectlGetPods { namespace: String },
    /// `kubectl get svc -n <namespace>`.
    KubectlGetServices { namespace: String },
    /// `kubectl exec -it <pod> -- curl http://<service>`.
    KubectlExecCurl { pod: String, service: String },
    /// `kubectl logs <pod>`.
    KubectlLogs { pod: String },
    /// The operator changes mesh config; the control plane pushes it.
    PushConfig,
}

// ---------------------------------------------------------------- process table

/// One row of the process table: author wording bound to an engine event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Which engine event this row shows: the first one after the previous
    /// step's event that matches.
    pub on: EventRef,
    pub action: String,
    pub result: String,
    /// The "system state change" column some lessons show.
    #[serde(default)]
    pub state_change: String,
    #[serde(default)]
    pub notes: String,
    /// Pause before showing this step and ask the learner to predict it.
    #[serde(default)]
    pub predict: Option<Predict>,
}

/// "Predict, then reveal": what the learner is asked before a step is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Predict {
    pub question: String,
    pub asks: PredictAsk,
    /// Common mistakes, shown when the prediction is wrong.
    #[serde(default)]
    pub mistakes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PredictAsk {
    /// Which component acts at this step.
    NextComponent,
    /// What this tracker row shows once the step has happened.
    NextState { row: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventRef {
    /// Component id (`checkout-mesh/sidecar`, `istiod`, `kubectl`, `end`).
    pub component: String,
    pub action: Action,
    /// Only events of this flow (a stimulus id).
    #[serde(default)]
    pub flow: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessFlow {
    pub nodes: Vec<String>,
    #[serde(default)]
    pub caption: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExecutionSample {
    /// What the lines are (`Kubernetes`, `call chain`).
    #[serde(default)]
    pub language: String,
    pub lines: Vec<SampleLine>,
    #[serde(default)]
    pub caption: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleLine {
    pub text: String,
    /// The step (1-based) during which this line is the current one.
    #[serde(default)]
    pub step: Option<u32>,
}

// ---------------------------------------------------------------- status tracker

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tracker {
    /// Heading of the first column (`Component`, `Variable`).
    #[serde(default)]
    pub subject_heading: String,
    pub checkpoints: Vec<Checkpoint>,
    pub rows: Vec<TrackerRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    pub id: String,
    pub label: String,
    pub at: CheckpointAt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckpointAt {
    /// Before the first event.
    Start,
    /// After step N (1-based) and everything the engine does before step N+1.
    AfterStep(u32),
    /// After the last event.
    Final,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackerRow {
    pub id: String,
    pub label: String,
    pub subject: Subject,
    /// Wording for engine state keys (`intercepting` -> "Intercepting request").
    #[serde(default)]
    pub wording: BTreeMap<String, String>,
    /// Shown instead of the state when the row's component takes no part in
    /// the flow of the checkpoint's step (`"N/A"`).
    #[serde(default)]
    pub outside_flow: Option<String>,
    /// What the author says each cell shows, one per checkpoint; checked
    /// against the simulation.
    #[serde(default)]
    pub expect: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Subject {
    /// The state of one component.
    Component(String),
    /// Several components shown as one row (the first that takes part in the
    /// checkpoint's flow, else the first listed).
    Components(Vec<String>),
    /// One field of the request a stimulus started.
    Request { flow: String, field: RequestField },
    /// What a call from a pod to a service gets, given the cluster's state.
    Path {
        from: String,
        to: String,
        property: PathProperty,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestField {
    State,
    Routing,
    Policy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PathProperty {
    Communication,
    Security,
    Observability,
    Reliability,
}

// ---------------------------------------------------------------- key moments, quiz

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyMoment {
    pub question: String,
    pub answer: String,
    /// Steps (1-based) the moment refers to; it opens at the first.
    pub steps: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizQuestion {
    pub question: String,
    pub options: Vec<AnswerOption>,
    pub hint: String,
    /// What the hint points at in the table or tracker.
    #[serde(default)]
    pub hint_target: Option<HintTarget>,
    /// What the question asks of the simulation, so the engine can grade it.
    pub asks: Ask,
    /// Why the right answer is right.
    #[serde(default)]
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    pub text: String,
    #[serde(default)]
    pub correct: bool,
    /// What this option claims, where the text alone cannot be compared.
    #[serde(default)]
    pub means: Option<Means>,
    /// Why a learner might pick this, and why it is wrong.
    #[serde(default)]
    pub why_wrong: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Means {
    Step(u32),
    Outcome(OutcomeClaim),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OutcomeClaim {
    /// The call completed with this HTTP status.
    Http(u16),
    Timeout,
    ConnectionRefused,
    ProxyCrash,
    /// The caller could not reach the service at all.
    Unreachable,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum HintTarget {
    /// A process-table column (`Action`, `Result`).
    Column(String),
    /// A process-table row (1-based step).
    Step(u32),
    /// A tracker row by id.
    TrackerRow(String),
    /// A tracker cell.
    Cell { row: String, checkpoint: String },
}

/// What a question asks of the engine. The right option is the one whose
/// claim matches what the simulation computes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Ask {
    /// "At which step does <component> <action>?" Options mean `Step(n)`.
    StepOf { component: String, action: Action },
    /// "What does the tracker show here?" Options are compared by text.
    TrackerCell { row: String, checkpoint: String },
    /// "What is the result at step N?" Options mean `Outcome(..)`.
    StepOutcome { step: u32 },
    /// "If <fault>, which step is affected first?" Options mean `Step(n)`.
    FirstStepAffectedBy { faults: Vec<Fault> },
    /// "With <fault>, what happens to the request of <flow>?" Options mean `Outcome(..)`.
    FlowOutcomeWith { faults: Vec<Fault>, flow: String },
    /// Conceptual question the engine cannot grade; the author's mark stands.
    Concept,
}

// ---------------------------------------------------------------- practice

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PracticeQuestion {
    pub question: String,
    pub difficulty: Difficulty,
    pub options: Vec<AnswerOption>,
    /// The worked solution, one entry per step.
    pub solution: Vec<String>,
    pub quick_check: String,
    pub hint: String,
    pub mistakes: Vec<String>,
    #[serde(default = "concept")]
    pub asks: Ask,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhatIf {
    pub label: String,
    pub faults: Vec<Fault>,
    #[serde(default)]
    pub explanation: String,
    /// Steps the author says change under these faults; checked by the validator.
    #[serde(default)]
    pub expect_affected: Option<Vec<u32>>,
}

// ---------------------------------------------------------------- deep dive

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeepDive {
    pub overview: DeepOverview,
    pub mental_model: MentalModel,
    pub build_up: Vec<BuildUpStep>,
    pub under_the_hood: UnderTheHood,
    pub myths: Vec<Myth>,
    pub expert_notes: Vec<String>,
    pub when_not_to_use: String,
    pub production_patterns: String,
    pub connections: Vec<Connection>,
    pub pitfalls: Vec<Pitfall>,
    pub takeaways: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeepOverview {
    pub what: String,
    pub why_it_matters: String,
    pub where_it_fits: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MentalModel {
    pub core_idea: String,
    pub analogy: String,
    #[serde(default)]
    pub diagram: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Level {
    Foundation,
    Intermediate,
    Advanced,
    Expert,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildUpStep {
    pub title: String,
    pub level: Level,
    pub concept: String,
    pub body: String,
    pub result: String,
    pub insight: String,
    /// "Commit to an answer before reading on."
    #[serde(default)]
    pub prediction: Option<Prediction>,
    /// The simulated step (1-based) this build-up step shows, if any.
    #[serde(default)]
    pub sim_step: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prediction {
    pub question: String,
    pub choices: Vec<String>,
    /// Index (0-based) into `choices` of the answer the section goes on to explain.
    pub answer: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnderTheHood {
    pub mechanism: String,
    pub why_designed: String,
    #[serde(default)]
    pub diagram: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Myth {
    pub question: String,
    pub belief: String,
    pub reality: String,
    pub why_it_matters: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Connection {
    pub topic: String,
    pub relation: String,
    pub insight: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pitfall {
    pub title: String,
    pub wrong: String,
    pub right: String,
    pub root_cause: String,
}

fn yes() -> bool {
    true
}
fn concept() -> Ask {
    Ask::Concept
}
fn default_namespace() -> String {
    "default".into()
}
fn default_mesh_namespace() -> String {
    "istio-system".into()
}
fn default_startup_us() -> u64 {
    2_000_000
}
fn default_cp_processing_us() -> u64 {
    200
}
fn default_service_time_us() -> u64 {
    1_000
}
fn default_cp_pods() -> Vec<String> {
    vec!["istiod".into(), "istio-ingressgateway".into()]
}
