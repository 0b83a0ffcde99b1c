//! SCORM 1.2 packages: every bundled lesson packages into a zip whose
//! manifest passes our check and lists exactly the files in it, with the
//! page loading scorm.js before the app and the lesson's own text inside;
//! a missing browser build is explained; and the check catches each rule
//! a broken manifest breaks. (The package talking to a platform's runtime
//! API is tested in the browser: web/e2e/test.mjs.)

use std::io::Read;
use std::path::PathBuf;

use meshstep::scorm::{LESSON_FILE, WEB_FILES, manifest, package, write_zip};
use meshstep::scorm_check::check;
use meshstep_sim::{Lesson, bundled};

/// A stand-in for web/dist: the files the build writes, small.
fn fake_dist(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("meshstep-scorm-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for f in WEB_FILES {
        let text = match f {
            "index.html" => {
                "<html><body>\n  <script type=\"module\" src=\"loader.js\"></script>\n</body></html>"
            }
            _ => "// stand-in",
        };
        std::fs::write(dir.join(f), text).unwrap();
    }
    dir
}

fn lesson(id: &str) -> Lesson {
    Lesson::from_source(id, bundled::source(id).unwrap()).unwrap()
}

#[test]
fn every_bundled_lesson_packages_into_a_checked_zip_of_exactly_its_files() {
    let dist = fake_dist("all");
    for id in bundled::ids() {
        let l = lesson(id);
        let files = package(&l, &dist, Some(80)).unwrap();
        let out = dist.join(format!("{id}.zip"));
        write_zip(&files, &out).unwrap();

        let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
        let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
        let mut read = |name: &str| {
            let mut s = String::new();
            zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
            s
        };
        let manifest = read("imsmanifest.xml");
        assert_eq!(check(&manifest, &names), Vec::<String>::new(), "{id}");
        assert!(manifest.contains("<adlcp:masteryscore>80</adlcp:masteryscore>"));
        assert!(manifest.contains(&format!("identifier=\"meshstep-{id}\"")));
        for f in WEB_FILES.iter().chain(&["scorm.js", LESSON_FILE]) {
            assert!(names.iter().any(|n| n == f), "{id}: {f} in the zip");
            assert!(
                manifest.contains(&format!("<file href=\"{f}\"/>")),
                "{id}: {f} listed"
            );
        }
        assert_eq!(read(LESSON_FILE), l.source, "{id}: the lesson's own text");
        let page = read("index.html");
        let (scorm, loader) = (
            page.find("scorm.js").unwrap(),
            page.find("loader.js").unwrap(),
        );
        assert!(scorm < loader, "scorm.js runs before the app's loader");
        assert!(read("scorm.js").contains("LMSInitialize"));
    }
    std::fs::remove_dir_all(dist).ok();
}

#[test]
fn a_missing_browser_build_says_how_to_make_one() {
    let e = package(&lesson("canary"), &PathBuf::from("/no/such/dist"), None).unwrap_err();
    assert!(
        e.contains("/no/such/dist") && e.contains("meshstep.js"),
        "{e}"
    );
    assert!(
        e.contains("bash web/build.sh") && e.contains("--web-dist"),
        "{e}"
    );

    let dist = fake_dist("old");
    std::fs::write(dist.join("index.html"), "<html>no loader</html>").unwrap();
    let e = package(&lesson("canary"), &dist, None).unwrap_err();
    assert!(e.contains("loader.js") && e.contains("web/build.sh"), "{e}");
    std::fs::remove_dir_all(dist).ok();
}

#[test]
fn the_check_catches_each_broken_rule() {
    let l = lesson("mesh-vs-library");
    let files: Vec<String> = WEB_FILES
        .iter()
        .map(|f| f.to_string())
        .chain(["scorm.js".into(), LESSON_FILE.into()])
        .collect();
    let good = manifest(&l, &files, None);
    assert_eq!(check(&good, &files), Vec::<String>::new());
    let id = "mesh-vs-library";

    let cases: Vec<(String, Vec<String>, &str)> = vec![
        (
            good[..good.len() / 2].to_string(),
            files.clone(),
            "not well-formed",
        ),
        (
            good.replace(">1.2<", ">1.3<"),
            files.clone(),
            "schemaversion",
        ),
        (
            good.replace(">ADL SCORM<", ">IMS<"),
            files.clone(),
            "`ADL SCORM`",
        ),
        (
            good.replace(
                &format!("identifierref=\"sco-{id}\""),
                "identifierref=\"nope\"",
            ),
            files.clone(),
            "resource `nope`, which does not exist",
        ),
        (
            good.replace(&format!("default=\"org-{id}\""), "default=\"elsewhere\""),
            files.clone(),
            "default organization `elsewhere`",
        ),
        (
            good.clone(),
            files[1..].to_vec(),
            "launches `index.html`, which is not in the package",
        ),
        (
            good.clone(),
            [files.clone(), vec!["extra.js".into()]].concat(),
            "`extra.js` is in the package but no resource lists it",
        ),
        (
            good.replace(
                &format!("identifier=\"item-{id}\""),
                &format!("identifier=\"org-{id}\""),
            ),
            files.clone(),
            "is used before",
        ),
        (
            good.replace(
                "isvisible=\"true\">",
                "isvisible=\"true\"><adlcp:masteryscore>150</adlcp:masteryscore>",
            ),
            files.clone(),
            "masteryscore `150`",
        ),
        (
            good.replace("imscp_rootv1p1p2\"", "other\""),
            files.clone(),
            "IMS CP namespace",
        ),
        (
            good.replace(" adlcp:scormtype=\"sco\"", ""),
            files.clone(),
            "scormtype",
        ),
        (
            good.replace("type=\"webcontent\"", "type=\"web\""),
            files.clone(),
            "webcontent",
        ),
    ];
    for (manifest, files, want) in cases {
        let problems = check(&manifest, &files);
        assert!(
            problems.iter().any(|p| p.contains(want)),
            "expected a problem containing {want:?}, got {problems:?}"
        );
    }
}
