//! The what-if lab's menu: every fault and setting change that fits a
//! lesson, each of which runs from any step.

use std::collections::HashSet;

use meshstep_sim::lesson::lab::{Kind, catalogue};
use meshstep_sim::scenario::schema::{Onset, StepRef};
use meshstep_sim::trace::diff::diff;
use meshstep_sim::{Fault, Lesson, bundled};

fn lessons() -> Vec<(&'static str, Lesson)> {
    (bundled::BUNDLED.iter())
        .map(|(id, _)| (*id, bundled::lesson(id).unwrap().unwrap()))
        .collect()
}

#[test]
fn every_intervention_runs_from_the_middle_of_every_bundled_lesson() {
    for (id, l) in lessons() {
        let menu = catalogue(&l);
        let labels: HashSet<&str> = menu.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(labels.len(), menu.len(), "{id}: labels are unique");
        let middle = (l.scenario.steps.len() / 2).max(1) as u32;
        let fork = l
            .fork(
                l.scenario.seed,
                Some(Onset::AfterStep(StepRef::Number(middle))),
            )
            .unwrap();
        let mut differ = 0;
        for i in &menu {
            let run = fork
                .run(&i.faults, &i.changes)
                .unwrap_or_else(|e| panic!("{id}: {}: {e:?}", i.label));
            let d = diff(&fork.base.trace, &run.trace);
            // Everything up to the fork point is the lesson's.
            assert!(d.shared > fork.base.bindings[middle as usize - 1].unwrap());
            differ += usize::from(!d.is_empty());
        }
        // A fault's row alone marks a difference: every entry does something.
        assert_eq!(differ, menu.len(), "{id}");
    }
}

#[test]
fn the_menu_offers_what_fits_the_lesson() {
    let all: Vec<(&str, Lesson)> = lessons();
    for (id, l) in &all {
        let menu = catalogue(l);
        let t = &l.topology;
        for i in &menu {
            for f in &i.faults {
                assert!(f.check(t).is_ok(), "{id}: {}", i.label);
            }
        }
        // A sidecar can be removed from each pod that has one, and only there.
        let sidecars = (t.pods.iter()).filter(|p| p.sidecar.is_some()).count();
        let offered = (menu.iter())
            .filter(|i| matches!(i.faults.as_slice(), [Fault::NoSidecar(_)]))
            .count();
        assert_eq!(offered, sidecars, "{id}");
        // Settings are Istio resources: only with an Istio control plane.
        let istio = l
            .scenario
            .topology
            .control_plane
            .as_ref()
            .is_some_and(|c| c.flavour == meshstep_sim::scenario::schema::Flavour::Istio);
        let settings = menu.iter().filter(|i| i.kind == Kind::Setting).count();
        assert_eq!(settings > 0, istio, "{id}");
    }
}

#[test]
fn a_route_setting_keeps_what_the_routes_already_say() {
    let l = bundled::lesson("canary").unwrap().unwrap();
    let menu = catalogue(&l);
    let timeout = (menu.iter())
        .find(|i| i.label.starts_with("A 10 ms timeout for reviews"))
        .expect("offered");
    let meshstep_sim::scenario::schema::StimulusAction::KubectlApplyConfig { resources, .. } =
        &timeout.changes[0]
    else {
        panic!("{timeout:?}")
    };
    let meshstep_sim::scenario::schema::Resource::Routes(rt) = &resources[0] else {
        panic!("{resources:?}")
    };
    let written = (l.scenario.topology.config.iter())
        .find_map(|r| match r {
            meshstep_sim::scenario::schema::Resource::Routes(w) if w.host == "reviews" => Some(w),
            _ => None,
        })
        .expect("the canary lesson routes reviews");
    assert_eq!(rt.http.len(), written.http.len());
    for (a, b) in rt.http.iter().zip(&written.http) {
        assert_eq!(a.to, b.to, "weights and subsets kept");
        assert_eq!(a.matches, b.matches, "matches kept");
        assert_eq!(a.timeout_us, Some(10_000));
    }
}

#[test]
fn each_setting_is_found_again_by_its_id_as_a_share_link_names_it() {
    for (id, l) in lessons() {
        let menu = catalogue(&l);
        for i in menu.iter().filter(|i| i.kind == Kind::Setting) {
            let ids = meshstep_sim::lesson::lab::setting_ids(&menu, &i.changes);
            assert_eq!(ids.as_deref(), Some(std::slice::from_ref(&i.id)), "{id}");
            let back = meshstep_sim::lesson::lab::changes_for(&menu, std::slice::from_ref(&i.id));
            assert_eq!(back.as_ref(), Ok(&i.changes), "{id}: {}", i.id);
        }
        let err = meshstep_sim::lesson::lab::changes_for(&menu, &["retries-off:nowhere".into()]);
        assert!(err.unwrap_err().contains("retries-off:nowhere"), "{id}");
    }
}
