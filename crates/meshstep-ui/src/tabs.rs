//! The side panel's tabs: the one list of what the side panel can show.
//! The tab strip, the Ctrl+digit keys, the help overlay and the side panel's
//! contents all read [`Tab::ALL`], so a new tab is one variant here and one
//! arm in `side_panel`.

use meshstep_sim::lesson::Lesson;

/// One tab of the side panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Tab {
    /// The lesson's summary, concept snapshot, process flow and transcript:
    /// what to read before stepping.
    Overview,
    /// The process table, key moments and execution sample.
    #[default]
    Steps,
    /// The status tracker.
    Tracker,
    /// The visual quiz.
    Quiz,
    /// Practice questions by difficulty.
    Practice,
    /// The lesson's what-ifs and the what-if lab.
    WhatIf,
    /// The sequence chart: a lane per component, an arrow per message.
    Sequence,
}

impl Tab {
    /// Every tab, in the order of the strip (and of Ctrl+1…).
    pub const ALL: [Tab; 7] = [
        Tab::Overview,
        Tab::Steps,
        Tab::Tracker,
        Tab::Sequence,
        Tab::Quiz,
        Tab::Practice,
        Tab::WhatIf,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Tab::Overview => "Overview",
            Tab::Steps => "Steps",
            Tab::Tracker => "Tracker",
            Tab::Quiz => "Quiz",
            Tab::Practice => "Practice",
            Tab::WhatIf => "What if",
            Tab::Sequence => "Sequence",
        }
    }

    /// The tab's name in saved settings and links; stable across versions.
    pub fn key(self) -> &'static str {
        match self {
            Tab::Overview => "overview",
            Tab::Steps => "steps",
            Tab::Tracker => "tracker",
            Tab::Quiz => "quiz",
            Tab::Practice => "practice",
            Tab::WhatIf => "what-if",
            Tab::Sequence => "sequence",
        }
    }

    pub fn from_key(key: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|t| t.key() == key)
    }

    /// What the tab holds, for its tooltip and the help overlay.
    pub fn hover(self) -> &'static str {
        match self {
            Tab::Overview => "What this lesson is about: summary, concept snapshot, process flow",
            Tab::Steps => "The process table: every step, who acted and what changed",
            Tab::Tracker => "The status tracker: the state of each component over the lesson",
            Tab::Quiz => "The visual quiz, graded by the simulation",
            Tab::Practice => "Practice questions from easy to hard, with hints and solutions",
            Tab::WhatIf => "Break something on purpose and see which steps change",
            Tab::Sequence => "Every message as an arrow between components, time downwards",
        }
    }

    /// The digit that, with Ctrl, opens this tab (1-based, as shown).
    pub fn digit(self) -> usize {
        Tab::ALL
            .iter()
            .position(|t| *t == self)
            .map_or(0, |i| i + 1)
    }

    /// The tab Ctrl+`digit` opens.
    pub fn from_digit(digit: usize) -> Option<Tab> {
        digit.checked_sub(1).and_then(|i| Tab::ALL.get(i).copied())
    }

    /// Whether this lesson has anything to show under the tab; a tab
    /// without content is drawn disabled rather than hidden, so the strip
    /// does not change shape between lessons.
    pub fn has_content(self, lesson: &Lesson) -> bool {
        let s = &lesson.scenario;
        match self {
            // The what-if lab works on any lesson, so its tab always has content.
            Tab::Overview | Tab::Steps | Tab::Tracker | Tab::Sequence | Tab::WhatIf => true,
            Tab::Quiz => !s.quiz.is_empty(),
            // The engine generates questions unless the lesson turns that off.
            Tab::Practice => !s.practice.is_empty() || !s.generate.kinds().is_empty(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn practice_has_content_while_the_engine_may_generate_questions() {
        let src = std::fs::read_to_string(format!(
            "{}/../../docs/examples/worked-example.ron",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let mut l = Lesson::from_source("w.ron", &src).unwrap();
        assert!(l.scenario.practice.is_empty());
        assert!(Tab::Practice.has_content(&l), "generated questions");
        l.scenario.generate = meshstep_sim::scenario::schema::Generate::Off;
        assert!(!Tab::Practice.has_content(&l));
    }

    #[test]
    fn digits_and_tabs_round_trip() {
        for t in Tab::ALL {
            assert_eq!(Tab::from_digit(t.digit()), Some(t));
        }
        assert_eq!(Tab::from_digit(0), None);
        for t in Tab::ALL {
            assert_eq!(Tab::from_key(t.key()), Some(t));
        }
        assert_eq!(Tab::from_digit(Tab::ALL.len() + 1), None);
    }
}
