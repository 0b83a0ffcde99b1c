//! # meshstep-ui
//!
//! Everything meshstep shows that is not bevy: the viewer model (which moment
//! of a lesson's trace is on screen, playback), the flow-view layout computed
//! from the topology graph, the packets in flight derived from the trace, the
//! colour themes, and the egui panels as plain `fn …_ui(ui: &mut egui::Ui, …)`
//! functions. The desktop and browser apps are thin bevy shells around it.

pub mod compare_ui;
pub mod editing;
pub mod editor;
pub mod editor_ui;
pub mod explore;
pub mod explore_ui;
pub mod exports;
pub mod failure_marks;
pub mod flow_labels;
pub mod flow_marks;
pub mod flow_svg;
pub mod flow_zoom;
pub mod flow_zoom_ui;
pub mod handout;
pub mod inline_link;
pub mod keys;
pub mod lab_ui;
pub mod layout;
pub mod learn;
pub mod learn_ui;
pub mod library;
pub mod more_practice;
pub mod more_practice_ui;
pub mod narrate;
pub mod packets;
pub mod packs;
pub mod panels;
pub mod reload;
pub mod ron_colour;
pub mod scale_ui;
pub mod sequence_ui;
pub mod shell;
pub mod shell_ui;
mod side_panel;
pub mod store;
pub mod table_ui;
pub mod tabs;
pub mod theme;
mod top_bar;
pub mod ui_action;
pub mod viewer;

pub use library::{BUNDLED, DEFAULT_LESSON, LessonLibrary};
pub use shell::Shell;
pub use shell_ui::shell_ui;
pub use viewer::Viewer;
