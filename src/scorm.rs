//! `meshstep export LESSON --format scorm`: a SCORM 1.2 package (a zip) a
//! school's learning platform imports: `imsmanifest.xml`, the browser
//! build, the lesson as `lesson.ron`, and `scorm.js`, which connects the
//! page to the platform's runtime API (score, status and progress; see
//! `src/app/lms.rs` and `meshstep_sim::learning::lms`).
//!
//! The manifest follows the SCORM 1.2 Content Aggregation Model (ADL,
//! 2001): one organization with one item, launching one `sco` resource that
//! lists every file. [`crate::scorm_check`] checks it before it is written.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use meshstep_sim::Lesson;

/// The browser build's files the package needs, as `web/build.sh` writes them.
pub const WEB_FILES: [&str; 5] = [
    "index.html",
    "loader.js",
    "style.css",
    "meshstep.js",
    "meshstep_bg.wasm",
];

/// The lesson's name in the package (web/scorm.js fetches it).
pub const LESSON_FILE: &str = "lesson.ron";

const SCORM_JS: &str = include_str!("../web/scorm.js");

/// Where index.html loads the app; scorm.js goes in before it.
const LOADER_TAG: &str = r#"<script type="module" src="loader.js"></script>"#;

/// The package's files, in the order they are zipped, and its manifest.
pub fn package(
    lesson: &Lesson,
    web_dist: &Path,
    mastery: Option<u32>,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    let missing: Vec<&str> = (WEB_FILES.iter().copied())
        .filter(|f| !web_dist.join(f).is_file())
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "the browser build is not in {} (missing {}).\n  help: run `bash web/build.sh` \
             first (it writes web/dist), or pass --web-dist DIR with a build",
            web_dist.display(),
            missing.join(", ")
        ));
    }
    let mut files = Vec::new();
    for name in WEB_FILES {
        let path = web_dist.join(name);
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let bytes = if name == "index.html" {
            let page = String::from_utf8_lossy(&bytes);
            if !page.contains(LOADER_TAG) {
                return Err(format!(
                    "{} does not load loader.js as web/index.html does.\n  help: rebuild it with \
                     `bash web/build.sh`",
                    path.display()
                ));
            }
            let tag = format!("<script src=\"scorm.js\"></script>\n  {LOADER_TAG}");
            page.replacen(LOADER_TAG, &tag, 1).into_bytes()
        } else {
            bytes
        };
        files.push((name.to_string(), bytes));
    }
    files.push(("scorm.js".into(), SCORM_JS.as_bytes().to_vec()));
    files.push((LESSON_FILE.into(), lesson.source.as_bytes().to_vec()));
    let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    let manifest = manifest(lesson, &names, mastery);
    let problems = crate::scorm_check::check(&manifest, &names);
    if !problems.is_empty() {
        return Err(format!(
            "the manifest written is wrong: {}",
            problems.join("; ")
        ));
    }
    files.insert(0, ("imsmanifest.xml".into(), manifest.into_bytes()));
    Ok(files)
}

/// `imsmanifest.xml` for the lesson, listing `files`.
pub fn manifest(lesson: &Lesson, files: &[String], mastery: Option<u32>) -> String {
    let s = &lesson.scenario;
    let title = xml_escape(&s.title);
    let mastery = mastery.map_or(String::new(), |m| {
        format!("\n        <adlcp:masteryscore>{m}</adlcp:masteryscore>")
    });
    let list: String = files
        .iter()
        .map(|f| format!("\n      <file href=\"{}\"/>", xml_escape(f)))
        .collect();
    // Lesson ids are letters, digits, `-` and `_`: with a letter in front,
    // an XML ID (xs:ID), as the manifest's identifiers must be.
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="meshstep-{id}" version="1.0"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="org-{id}">
    <organization identifier="org-{id}">
      <title>{title}</title>
      <item identifier="item-{id}" identifierref="sco-{id}" isvisible="true">
        <title>{title}</title>{mastery}
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="sco-{id}" type="webcontent" adlcp:scormtype="sco" href="index.html">{list}
    </resource>
  </resources>
</manifest>
"#,
        id = s.id,
    )
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Writes the files as a zip.
pub fn write_zip(files: &[(String, Vec<u8>)], out: &Path) -> Result<(), String> {
    let file =
        std::fs::File::create(out).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(name.as_str(), options)
            .and_then(|()| zip.write_all(bytes).map_err(Into::into))
            .map_err(|e| format!("cannot write {name} into {}: {e}", out.display()))?;
    }
    zip.finish()
        .map_err(|e| format!("cannot finish {}: {e}", out.display()))?;
    Ok(())
}

/// `meshstep export --format scorm`.
pub fn export(
    lesson: &Lesson,
    web_dist: &Path,
    mastery: Option<u32>,
    out: Option<PathBuf>,
) -> ExitCode {
    let out = out.unwrap_or_else(|| PathBuf::from(format!("{}-scorm.zip", lesson.scenario.id)));
    match package(lesson, web_dist, mastery).and_then(|files| {
        write_zip(&files, &out)?;
        Ok(files.len())
    }) {
        Ok(n) => {
            println!("wrote {} (SCORM 1.2, {n} files)", out.display());
            println!("next: upload it to your learning platform as a SCORM package");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
