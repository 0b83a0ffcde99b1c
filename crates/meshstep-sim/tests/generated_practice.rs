//! Generated practice, for every bundled lesson: each question's right
//! option is what a fresh engine run says (through the quiz grader's own
//! path where one exists), every question has one right answer among
//! distinct options, a seed reproduces its set, and a lesson's `generate`
//! setting is obeyed. The "test this pattern" set is ten, easy to hard.

use meshstep_sim::compare::{Approach, CompareOptions, Workload, compare};
use meshstep_sim::learning::generate::{About, Generated, generate, hops_text, steps_text};
use meshstep_sim::learning::pattern::{TEST_LEN, TestItem, pattern_test};
use meshstep_sim::lesson::lab;
use meshstep_sim::lesson::quiz::{EngineAnswer, claim_text, engine_answer};
use meshstep_sim::lesson::tracker::cell;
use meshstep_sim::scenario::schema::{Ask, Difficulty, Generate, OutcomeClaim, QuestionKind};
use meshstep_sim::trace::CallResult;
use meshstep_sim::{Lesson, LessonRun, RunOptions, bundled};

fn lesson(id: &str) -> (Lesson, LessonRun) {
    let l = bundled::lesson(id).unwrap().unwrap();
    let r = l
        .run(&RunOptions {
            seed: l.scenario.seed,
            ..Default::default()
        })
        .unwrap();
    (l, r)
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The lesson's calls through sidecars and through a library, as the
/// generator measures them (4 calls).
fn sidecar_and_library(l: &Lesson, seed: u64) -> meshstep_sim::compare::Comparison {
    let w = Workload::from_scenario(&l.scenario).unwrap();
    let opts = CompareOptions {
        requests: 4,
        seed,
        rollout: false,
        ..Default::default()
    };
    compare(&w, &[Approach::Sidecar, Approach::Library], &opts).unwrap()
}

/// The right answer, computed again from a fresh run along another path.
fn engine_says(l: &Lesson, g: &Generated) -> String {
    let fresh = lesson(&l.scenario.id).1;
    let menu = lab::catalogue(l);
    let with = |id: &str| {
        let i = menu.iter().find(|i| i.id == id).unwrap();
        (
            i,
            l.run_changed(fresh.trace.seed, &i.faults, &i.changes, None)
                .unwrap(),
        )
    };
    match &g.about {
        About::NextComponent { after } => {
            let i = fresh.bindings[*after as usize].unwrap();
            l.topology
                .component(fresh.trace.rows[i].component)
                .label
                .clone()
        }
        About::StateAfter { row, step } => {
            let tr = l
                .scenario
                .tracker
                .rows
                .iter()
                .find(|r| &r.id == row)
                .unwrap();
            let i = fresh.bindings[*step as usize - 1].unwrap();
            cell(l, &fresh, tr, Some(i), fresh.trace.rows[i].flow).text
        }
        About::StepsChanged { intervention } => {
            let (i, run) = with(intervention);
            let changed = run.affected_steps();
            if i.changes.is_empty() {
                // The quiz grader's question "which step is affected first?" agrees.
                let ask = Ask::FirstStepAffectedBy {
                    faults: i.faults.clone(),
                    from: None,
                };
                assert_eq!(
                    engine_answer(l, &fresh, &ask),
                    EngineAnswer::Step(changed[0]),
                    "{}",
                    g.question
                );
            }
            cap(&steps_text(&changed))
        }
        About::OutcomeUnder { intervention, flow } => {
            let (i, run) = with(intervention);
            if i.changes.is_empty() {
                let ask = Ask::FlowOutcomeWith {
                    faults: i.faults.clone(),
                    flow: flow.clone(),
                    from: None,
                };
                match engine_answer(l, &fresh, &ask) {
                    EngineAnswer::Outcome(c) => cap(&claim_text(c)),
                    other => panic!("{other}"),
                }
            } else {
                let f = run.trace.flow(flow).unwrap();
                match run.trace.call_results[f.0 as usize].unwrap() {
                    CallResult::Http(s) => cap(&claim_text(OutcomeClaim::Http(s))),
                    other => format!("{other:?}"),
                }
            }
        }
        About::Hops => {
            let c = sidecar_and_library(l, fresh.trace.seed);
            let h = |a| c.figures(a).unwrap().hops_per_call;
            format!(
                "Sidecar: {}; library: {}",
                hops_text(h(Approach::Sidecar)),
                hops_text(h(Approach::Library))
            )
        }
        About::AddedLatency => {
            let c = sidecar_and_library(l, fresh.trace.seed);
            let p = |a| c.figures(a).unwrap().added_p50_us.unwrap();
            match p(Approach::Sidecar).cmp(&p(Approach::Library)) {
                std::cmp::Ordering::Greater => "The sidecars add more".into(),
                std::cmp::Ordering::Less => "The library adds more".into(),
                std::cmp::Ordering::Equal => "They add the same".into(),
            }
        }
    }
}

#[test]
fn every_generated_answer_is_what_the_engine_says_in_every_lesson() {
    for id in bundled::ids() {
        let (l, run) = lesson(id);
        let set = generate(&l, &run, 11, 40);
        assert!(set.len() >= 8, "{id} makes only {} questions", set.len());
        let kinds: std::collections::BTreeSet<QuestionKind> = set.iter().map(|g| g.kind).collect();
        assert!(kinds.len() >= 3, "{id}: only {kinds:?}");
        for g in &set {
            assert!((2..=4).contains(&g.options.len()), "{id}: {}", g.question);
            let mut uniq = g.options.clone();
            uniq.sort();
            uniq.dedup();
            assert_eq!(
                uniq.len(),
                g.options.len(),
                "{id}: repeated option in {g:#?}"
            );
            assert_eq!(
                g.options[g.right],
                engine_says(&l, g),
                "{id}: {}\n{:?}",
                g.question,
                g.options
            );
            assert!(!g.explanation.is_empty());
        }
    }
}

#[test]
fn a_seed_gives_back_the_same_set_and_another_seed_another() {
    let (l, run) = lesson("why-mesh-matters");
    let a = generate(&l, &run, 3, 10);
    assert_eq!(a, generate(&l, &run, 3, 10));
    assert_ne!(a, generate(&l, &run, 4, 10));
    // The right answer is not always in the same place.
    let places: std::collections::BTreeSet<usize> = a.iter().map(|g| g.right).collect();
    assert!(places.len() > 1, "{places:?}");
}

#[test]
fn a_lesson_chooses_which_kinds_it_generates_or_none() {
    let (mut l, run) = lesson("resilience");
    l.scenario.generate = Generate::Only(vec![QuestionKind::NextComponent]);
    let set = generate(&l, &run, 1, 8);
    assert!(!set.is_empty());
    assert!(set.iter().all(|g| g.kind == QuestionKind::NextComponent));
    l.scenario.generate = Generate::Off;
    assert!(generate(&l, &run, 1, 8).is_empty());
}

#[test]
fn the_setting_reads_from_a_lesson_file() {
    let src = bundled::source("canary").unwrap().trim_end();
    let src = format!(
        "{},\n    generate: Only([StepsChanged, OutcomeUnder]),\n)",
        src.strip_suffix(')')
            .unwrap()
            .trim_end()
            .trim_end_matches(',')
    );
    let l = Lesson::from_source("c.ron", &src).unwrap();
    assert_eq!(
        l.scenario.generate.kinds(),
        vec![QuestionKind::StepsChanged, QuestionKind::OutcomeUnder]
    );
    let bad = src.replace("StepsChanged", "StepsChanges");
    let diags = Lesson::from_source("c.ron", &bad).unwrap_err();
    assert!(
        diags
            .iter()
            .any(|d| format!("{d:?}").contains("StepsChanges")),
        "{diags:#?}"
    );
}

#[test]
fn test_this_pattern_asks_ten_from_easy_to_hard_mixing_own_and_generated() {
    for id in bundled::ids() {
        let (l, run) = lesson(id);
        let t = pattern_test(&l, &run, 5);
        assert_eq!(t.len(), TEST_LEN, "{id}");
        let levels: Vec<Difficulty> = t.iter().map(|i| i.difficulty(&l)).collect();
        assert!(levels.is_sorted(), "{id}: {levels:?}");
        for d in [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard] {
            assert!(levels.contains(&d), "{id} has no {d:?} question");
        }
        let own = t.iter().filter(|i| matches!(i, TestItem::Own(_))).count();
        if !l.scenario.practice.is_empty() {
            assert!(own > 0 && own < TEST_LEN, "{id}: {own} own questions");
        }
        for i in &t {
            assert!(i.right(&l, &run) < i.options(&l).len());
        }
        assert_eq!(t, pattern_test(&l, &run, 5));
    }
}
