//! `meshstep export LESSON --format html|md|scorm`: the printable handout
//! (`meshstep_ui::handout`) written to a file, or a SCORM package
//! (`meshstep::scorm`).

use std::path::PathBuf;
use std::process::ExitCode;

use meshstep_sim::Lesson;
use meshstep_ui::handout::{html, markdown};

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// A printable handout (print it to PDF from a browser).
    Html,
    /// The handout as Markdown, its figures as SVG files beside it.
    Md,
    /// A SCORM 1.2 package for a learning platform (needs the browser build).
    Scorm,
}

/// Where the SCORM package's parts come from.
pub struct ScormOptions {
    pub web_dist: PathBuf,
    pub mastery: Option<u32>,
}

/// `meshstep export`: runs the lesson and writes its handout.
pub fn export(
    lesson: &Lesson,
    format: ExportFormat,
    out: Option<PathBuf>,
    scorm: ScormOptions,
) -> ExitCode {
    let run = match lesson.run(&meshstep_sim::RunOptions {
        seed: lesson.scenario.seed,
        ..Default::default()
    }) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {}", meshstep_sim::topology::TopologyError::join(&e));
            return ExitCode::from(1);
        }
    };
    let id = &lesson.scenario.id;
    let written = match format {
        ExportFormat::Scorm => {
            return meshstep::scorm::export(lesson, &scorm.web_dist, scorm.mastery, out);
        }
        ExportFormat::Html => {
            let path = out.unwrap_or_else(|| PathBuf::from(format!("{id}-handout.html")));
            html(lesson, &run)
                .and_then(|text| std::fs::write(&path, text).map_err(|e| e.to_string()))
                .map(|()| path)
        }
        ExportFormat::Md => {
            let path = out.unwrap_or_else(|| PathBuf::from(format!("{id}-handout.md")));
            let stem = path
                .file_stem()
                .map_or("handout".into(), |s| s.to_string_lossy().into_owned());
            let dir_name = format!("{stem}-files");
            let dir = path.with_file_name(&dir_name);
            markdown(lesson, &run, &dir_name).and_then(|(text, files)| {
                std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
                for (name, svg) in files {
                    std::fs::write(dir.join(name), svg).map_err(|e| e.to_string())?;
                }
                std::fs::write(&path, text).map_err(|e| e.to_string())?;
                Ok(path)
            })
        }
    };
    match written {
        Ok(path) => {
            println!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write the handout: {e}");
            ExitCode::from(1)
        }
    }
}
