//! `meshstep new NAME [--template KIND]`: writes a commented lesson to start
//! from, one template per kind of lesson, each with every optional section
//! present and explained and each passing `meshstep check` (a test runs it
//! on all of them). The templates are `meshstep_sim::templates`.

use std::path::{Path, PathBuf};

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
pub use meshstep_sim::templates::Template;
use meshstep_sim::templates::{TEMPLATES, by_key, id_from};

/// `--template`'s parser: the names and their help come from the one list
/// of templates (`meshstep_sim::templates`), which the editor's menu uses too.
pub fn template_parser() -> impl TypedValueParser<Value = Template> {
    PossibleValuesParser::new(TEMPLATES.map(|t| PossibleValue::new(t.key).help(t.about)))
        .map(|key| by_key(&key).unwrap_or(TEMPLATES[0]))
}

/// `my-lesson` → `my-lesson.ron`; a name with `.ron` is kept as it is.
pub fn file_for(name: &str) -> PathBuf {
    let p = PathBuf::from(name);
    if p.extension().is_some_and(|e| e == "ron") {
        p
    } else {
        PathBuf::from(format!("{name}.ron"))
    }
}

/// The lesson id from the file name: lower case, words joined by `-`.
pub fn id_for(path: &Path) -> String {
    id_from(
        &path
            .file_stem()
            .map_or(String::new(), |s| s.to_string_lossy().into_owned()),
    )
}

/// The template's text with the lesson's id and title filled in.
pub fn lesson_text(template: Template, path: &Path) -> String {
    template.text(&id_for(path))
}

/// Writes the new lesson; never over an existing file unless `force`.
pub fn write(name: &str, template: Template, force: bool) -> Result<PathBuf, String> {
    let path = file_for(name);
    if path.exists() && !force {
        return Err(format!(
            "{} already exists; choose another name, or add --force to overwrite it",
            path.display()
        ));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(&path, lesson_text(template, &path))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// `meshstep new`: writes the lesson and says what to do next.
pub fn run(name: &str, template: Template, force: bool) -> std::process::ExitCode {
    match write(name, template, force) {
        Ok(path) => {
            let shown = path.display().to_string();
            // Quoted when a shell would split it.
            let p = if shown.contains(' ') {
                format!("\"{shown}\"")
            } else {
                shown
            };
            println!("wrote {p} (template {})", template.key);
            println!("next: edit it; `meshstep check {p}` checks it;");
            println!("      `meshstep {p}` opens it, and reloads it each time you save");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(2)
        }
    }
}
