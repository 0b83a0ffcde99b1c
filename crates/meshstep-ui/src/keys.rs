//! The one key map. [`KEYMAP`] drives both what a key press does
//! ([`pressed`]) and what the help overlay lists, so the two cannot drift.
//!
//! One scheme everywhere: the step keys (arrows, Space, Home, End, Enter)
//! act only while no widget has keyboard focus — a focused button takes
//! Space and Enter, a focused slider the arrows, and Esc gives focus back;
//! letters and digits answer the open question; Ctrl+digit opens a tab.

use egui::{Key, Modifiers};

use crate::tabs::Tab;

/// What a binding does; the shell turns it into an action for what is on
/// screen (which question is open, for instance).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    StepForward,
    StepBack,
    TogglePlay,
    Home,
    End,
    /// Check the chosen answer, or go on to the predicted step.
    Confirm,
    /// The n-th chord of the binding picks the n-th answer.
    Answer,
    /// The n-th chord of the binding opens the n-th tab.
    OpenTab,
    /// The tab before or after the open one (the n-th chord: 0 back, 1 on).
    CycleTab,
    ToggleSidePanel,
    ToggleReducedMotion,
    ToggleHelp,
    /// Close the help overlay (and give keyboard focus back).
    Close,
    /// Move keyboard focus; egui does it, the map lists it for the help.
    MoveFocus,
    /// Text size up, down or back (egui's zoom, kept with the settings);
    /// egui does it, the map lists it.
    Zoom,
    /// The flow view closer in, further out, or fitted again.
    ViewIn,
    ViewOut,
    ViewFit,
    /// Pan the flow view: the n-th chord left (0) or right (1), up (0) or down (1).
    PanSideways,
    PanUpDown,
    /// Open or close the lesson editor.
    ToggleEditor,
    /// Save (or download) the text in the editor.
    SaveLesson,
}

/// When a binding may act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Only while no widget has keyboard focus.
    Unfocused,
    /// Unless a text field is being typed in.
    NotTyping,
    /// Even while typing (the editor's own keys).
    Anywhere,
}

/// A key with the modifiers it needs (exactly those).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chord {
    pub key: Key,
    pub ctrl: bool,
    /// Shift held (and needed): Shift+arrows pan, plain arrows step.
    pub shift: bool,
}

const fn k(key: Key) -> Chord {
    Chord {
        key,
        ctrl: false,
        shift: false,
    }
}

const fn ctrl(key: Key) -> Chord {
    Chord {
        key,
        ctrl: true,
        shift: false,
    }
}

const fn shift(key: Key) -> Chord {
    Chord {
        key,
        ctrl: false,
        shift: true,
    }
}

impl Chord {
    pub fn label(self) -> String {
        let name = match self.key {
            Key::ArrowRight => "Right arrow",
            Key::ArrowLeft => "Left arrow",
            Key::ArrowUp => "Up arrow",
            Key::ArrowDown => "Down arrow",
            Key::Questionmark => "?",
            Key::Escape => "Esc",
            k => k.symbol_or_name(),
        };
        match (self.ctrl, self.shift) {
            (true, _) => format!("Ctrl+{name}"),
            (false, true) => format!("Shift+{name}"),
            (false, false) => name.to_string(),
        }
    }

    fn modifiers_match(self, m: Modifiers) -> bool {
        if self.shift {
            return m.shift && !m.command && !m.alt;
        }
        // Shift is allowed for keys typed with it (such as "?").
        m.command == self.ctrl && !m.alt && (self.ctrl || !m.ctrl)
    }
}

/// One line of the key map.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub chords: &'static [Chord],
    pub command: Command,
    pub does: &'static str,
    pub scope: Scope,
}

impl Binding {
    /// The keys as the help overlay shows them: "A–D" for a run of keys.
    pub fn keys_label(&self) -> String {
        match self.chords {
            [one] => one.label(),
            [first, .., last] if self.chords.len() > 2 => {
                let last = last.key.symbol_or_name();
                format!("{}–{last}", first.label())
            }
            many => many
                .iter()
                .map(|c| c.label())
                .collect::<Vec<_>>()
                .join(" or "),
        }
    }
}

const TAB_KEYS: [Chord; Tab::ALL.len()] = [
    ctrl(Key::Num1),
    ctrl(Key::Num2),
    ctrl(Key::Num3),
    ctrl(Key::Num4),
    ctrl(Key::Num5),
    ctrl(Key::Num6),
    ctrl(Key::Num7),
];

/// Every key the app answers to, in the order the help overlay lists them.
pub const KEYMAP: &[Binding] = &[
    // Before the plain arrows, which would take Shift+arrow too.
    Binding {
        chords: &[shift(Key::ArrowLeft), shift(Key::ArrowRight)],
        command: Command::PanSideways,
        does: "pan the zoomed flow view left or right",
        scope: Scope::Unfocused,
    },
    Binding {
        chords: &[shift(Key::ArrowUp), shift(Key::ArrowDown)],
        command: Command::PanUpDown,
        does: "pan the zoomed flow view up or down",
        scope: Scope::Unfocused,
    },
    Binding {
        chords: &[k(Key::ArrowRight)],
        command: Command::StepForward,
        does: "next step (after a prediction: show the step)",
        scope: Scope::Unfocused,
    },
    Binding {
        chords: &[k(Key::ArrowLeft)],
        command: Command::StepBack,
        does: "previous step (exactly the earlier state)",
        scope: Scope::Unfocused,
    },
    Binding {
        chords: &[k(Key::Space)],
        command: Command::TogglePlay,
        does: "play / pause",
        scope: Scope::Unfocused,
    },
    Binding {
        chords: &[k(Key::Home)],
        command: Command::Home,
        does: "back to the start",
        scope: Scope::Unfocused,
    },
    Binding {
        chords: &[k(Key::End)],
        command: Command::End,
        does: "jump to the end",
        scope: Scope::Unfocused,
    },
    Binding {
        chords: &[k(Key::A), k(Key::B), k(Key::C), k(Key::D)],
        command: Command::Answer,
        does: "choose that answer to the open prediction, quiz or test question",
        scope: Scope::NotTyping,
    },
    Binding {
        chords: &[k(Key::Num1), k(Key::Num2), k(Key::Num3), k(Key::Num4)],
        command: Command::Answer,
        does: "the same, by number",
        scope: Scope::NotTyping,
    },
    Binding {
        chords: &[k(Key::Enter)],
        command: Command::Confirm,
        does: "check the chosen answer (in a test, again for the next question); after a prediction, show the step",
        scope: Scope::Unfocused,
    },
    Binding {
        chords: &TAB_KEYS,
        command: Command::OpenTab,
        does: "open a side-panel tab (in the order shown)",
        scope: Scope::NotTyping,
    },
    Binding {
        // Browsers keep Ctrl+digit for their own tabs: these work everywhere.
        chords: &[k(Key::OpenBracket), k(Key::CloseBracket)],
        command: Command::CycleTab,
        does: "the side-panel tab before or after the open one",
        scope: Scope::NotTyping,
    },
    Binding {
        chords: &[ctrl(Key::B)],
        command: Command::ToggleSidePanel,
        does: "show or hide the side panel",
        scope: Scope::NotTyping,
    },
    Binding {
        chords: &[ctrl(Key::E)],
        command: Command::ToggleEditor,
        does: "open or close the lesson editor (the text beside the lesson)",
        scope: Scope::Anywhere,
    },
    Binding {
        chords: &[ctrl(Key::S)],
        command: Command::SaveLesson,
        does: "in the editor: save the lesson (in the browser: download it)",
        scope: Scope::Anywhere,
    },
    Binding {
        chords: &[ctrl(Key::M)],
        command: Command::ToggleReducedMotion,
        does: "reduced motion: steps jump instead of animating",
        scope: Scope::NotTyping,
    },
    Binding {
        chords: &[ctrl(Key::Plus), ctrl(Key::Equals)],
        command: Command::Zoom,
        does: "larger text",
        scope: Scope::NotTyping,
    },
    Binding {
        chords: &[ctrl(Key::Minus)],
        command: Command::Zoom,
        does: "smaller text",
        scope: Scope::NotTyping,
    },
    Binding {
        chords: &[ctrl(Key::Num0)],
        command: Command::Zoom,
        does: "text back to its normal size",
        scope: Scope::NotTyping,
    },
    Binding {
        chords: &[k(Key::Plus), k(Key::Equals)],
        command: Command::ViewIn,
        does: "zoom the flow view in (or the mouse wheel over it; drag to pan)",
        scope: Scope::NotTyping,
    },
    Binding {
        chords: &[k(Key::Minus)],
        command: Command::ViewOut,
        does: "zoom the flow view out",
        scope: Scope::NotTyping,
    },
    Binding {
        chords: &[k(Key::Num0)],
        command: Command::ViewFit,
        does: "fit the whole flow view again (or double-click it)",
        scope: Scope::NotTyping,
    },
    Binding {
        chords: &[k(Key::Tab)],
        command: Command::MoveFocus,
        does: "move keyboard focus to the next control (Shift+Tab: back)",
        scope: Scope::NotTyping,
    },
    Binding {
        chords: &[k(Key::Questionmark)],
        command: Command::ToggleHelp,
        does: "show or hide this help",
        scope: Scope::NotTyping,
    },
    Binding {
        chords: &[k(Key::Escape)],
        command: Command::Close,
        does: "close this help; leave the focused control",
        scope: Scope::NotTyping,
    },
];

/// A binding's command that fired this frame, with the index of the chord
/// that fired it (which answer, which tab).
pub fn pressed(ctx: &egui::Context) -> Vec<(Command, usize)> {
    let typing = ctx.egui_wants_keyboard_input();
    let unfocused = ctx.memory(|m| m.focused().is_none());
    let binding_of = |key: Key, modifiers: Modifiers| {
        KEYMAP
            .iter()
            .filter(|b| match b.scope {
                Scope::Anywhere => true,
                Scope::NotTyping => !typing,
                Scope::Unfocused => unfocused && !typing,
            })
            .find_map(|b| {
                let n = b
                    .chords
                    .iter()
                    .position(|c| c.key == key && c.modifiers_match(modifiers))?;
                Some((b.command, n))
            })
    };
    ctx.input(|i| {
        // In the order pressed: "] 2 Enter" in one frame opens the next tab,
        // answers there, then checks; and two presses are two steps.
        let question_key = i.events.iter().any(|e| {
            matches!(
                e,
                egui::Event::Key {
                    key: Key::Questionmark,
                    pressed: true,
                    ..
                }
            )
        });
        i.events
            .iter()
            .filter_map(|e| match e {
                egui::Event::Key {
                    key,
                    pressed: true,
                    repeat: false,
                    modifiers,
                    ..
                } => binding_of(*key, *modifiers),
                // "?" may arrive only as typed text (Shift+/ on some layouts).
                egui::Event::Text(t) if t == "?" && !question_key => {
                    binding_of(Key::Questionmark, Modifiers::NONE)
                }
                _ => None,
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tab_has_a_key_and_no_chord_is_bound_twice() {
        assert_eq!(TAB_KEYS.len(), Tab::ALL.len());
        let mut seen = Vec::new();
        for b in KEYMAP {
            for c in b.chords {
                assert!(!seen.contains(c), "{} bound twice", c.label());
                seen.push(*c);
            }
        }
    }

    #[test]
    fn runs_of_keys_read_as_ranges() {
        let labels: Vec<String> = KEYMAP.iter().map(Binding::keys_label).collect();
        assert!(labels.contains(&"A–D".to_string()), "{labels:?}");
        assert!(labels.contains(&"1–4".to_string()), "{labels:?}");
        assert!(labels.contains(&"Ctrl+1–7".to_string()), "{labels:?}");
        assert!(labels.contains(&"Right arrow".to_string()), "{labels:?}");
    }
}
