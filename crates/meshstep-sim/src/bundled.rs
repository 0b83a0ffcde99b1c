//! The lessons that ship with meshstep, compiled into every build (the
//! command line, the desktop app and the web page read these same copies, so
//! an installed binary needs no source tree).

/// The bundled lessons as `(id, source)`, in the order the picker lists them.
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "mesh-vs-library",
        include_str!("../../../scenarios/mesh-vs-library.ron"),
    ),
    (
        "why-mesh-matters",
        include_str!("../../../scenarios/why-mesh-matters.ron"),
    ),
    (
        "mesh-overview",
        include_str!("../../../scenarios/mesh-overview.ron"),
    ),
    ("canary", include_str!("../../../scenarios/canary.ron")),
    (
        "resilience",
        include_str!("../../../scenarios/resilience.ron"),
    ),
    (
        "zero-trust",
        include_str!("../../../scenarios/zero-trust.ron"),
    ),
];

/// The lesson shown when nothing else is asked for.
pub const DEFAULT_LESSON: &str = "mesh-vs-library";

/// A bundled lesson's source by id.
pub fn source(id: &str) -> Option<&'static str> {
    BUNDLED.iter().find(|(i, _)| *i == id).map(|(_, s)| *s)
}

/// The bundled ids, for messages.
pub fn ids() -> impl Iterator<Item = &'static str> {
    BUNDLED.iter().map(|(id, _)| *id)
}

/// A bundled lesson, loaded (they are checked by the tests, so this cannot fail
/// in a released build; a broken one reports its diagnostics).
pub fn lesson(id: &str) -> Option<Result<crate::Lesson, Vec<crate::Diagnostic>>> {
    source(id).map(|src| crate::Lesson::from_source(&format!("{id}.ron"), src))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_file_in_scenarios_is_bundled() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "ron"))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let mut ids: Vec<String> = super::ids().map(String::from).collect();
        ids.sort();
        assert_eq!(files, ids);
        for (id, src) in super::BUNDLED {
            let on_disk = std::fs::read_to_string(format!("{dir}/{id}.ron")).unwrap();
            assert_eq!(&on_disk, src, "{id}");
        }
    }
}
