//! Everything the learner can ask of the shell, as one enum: panels, the top
//! bar and the keys return these, and `Shell::apply_one` matches every one
//! (no catch-all), so a new action cannot be ignored silently.

use meshstep_sim::Fault;
use meshstep_sim::scenario::schema::{Onset, StimulusAction};

/// Something the learner asked for in a panel.
#[derive(Debug, Clone, PartialEq)]
pub enum UiAction {
    JumpToStep(u32),
    StepForward,
    StepBack,
    TogglePlay,
    Home,
    End,
    Restart,
    SetSpeed(f32),
    SelectLesson(usize),
    /// Re-run with these faults and setting changes, starting where `from`
    /// says (`None`: from the start).
    SetFaults {
        faults: Vec<Fault>,
        changes: Vec<StimulusAction>,
        from: Option<Onset>,
    },
    /// Run a what-if from the start and show this step of it (a generated
    /// question's "run it").
    TryWhatIfAt {
        faults: Vec<Fault>,
        changes: Vec<StimulusAction>,
        step: u32,
    },
    ToggleTheme,
    ToggleHelp,
    OpenDeepDive,
    CloseDeepDive,
    /// Leave the deep dive for the step-through, at this step.
    OpenStepFromDeepDive(u32),
    ToggleProgress,
    /// Open or close an explore page (side by side, scale lab).
    TogglePage(crate::explore::Page),
    /// A change on the side-by-side page.
    Side(crate::compare_ui::SideAction),
    /// A change on the scale lab's page.
    Scale(crate::scale_ui::ScaleAction),
    /// Open the scale lab at this experiment (a myth's "test it").
    TryExperiment(&'static str),
    /// Show this side-panel tab (and the side panel).
    OpenTab(crate::tabs::Tab),
    ToggleSidePanel,
    /// Jump between steps instead of animating (or animate again).
    ToggleReducedMotion,
    /// Choose answer n (0 = A) of the open prediction or quiz question.
    Answer(usize),
    /// Check the chosen quiz answer, or go on after a prediction.
    Confirm,
    /// Close the help overlay.
    CloseHelp,
    /// Zoom or pan the flow view.
    View(ViewMove),
    /// Save (desktop) or download (page) the lesson's printable handout.
    ExportHandout,
    /// Show or hide the lesson pack's menu.
    TogglePack,
    /// Open, save or move around the lesson editor.
    Editor(crate::editor::EditorAction),
}

/// A change of the flow view's zoom or pan by key or button.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ViewMove {
    In,
    Out,
    Fit,
    /// By a fifth of the view, in these directions (-1, 0 or 1 each).
    Pan(f32, f32),
}
