//! `meshstep new NAME [--template KIND]`: writes a commented lesson to start
//! from, one template per kind of lesson, each with every optional section
//! present and explained and each passing `meshstep check` (a test runs it
//! on all of them). The templates live in `templates/`.

use std::path::{Path, PathBuf};

use clap::ValueEnum;

/// The kinds of lesson there is a template for: one list, for the flag
/// and its help (clap's `ValueEnum`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Template {
    /// One call from a pod with a sidecar to a service.
    SingleCall,
    /// A calls B, which calls C, every hop through sidecars.
    CallChain,
    /// A canary: part of the traffic to a new version, by config push.
    Canary,
    /// A lesson built around a fault and its what-ifs.
    Fault,
}

impl Template {
    fn source(self) -> &'static str {
        match self {
            Template::SingleCall => include_str!("../templates/single-call.ron"),
            Template::CallChain => include_str!("../templates/call-chain.ron"),
            Template::Canary => include_str!("../templates/canary.ron"),
            Template::Fault => include_str!("../templates/fault.ron"),
        }
    }
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
    let stem = path
        .file_stem()
        .map_or(String::new(), |s| s.to_string_lossy().into_owned());
    let mut id = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-').to_string();
    if id.is_empty() {
        "my-lesson".into()
    } else {
        id
    }
}

/// The title a new lesson starts with: its id in words.
fn title_for(id: &str) -> String {
    let words = id.replace('-', " ");
    let mut c = words.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The template's text with the lesson's id and title filled in.
pub fn lesson_text(template: Template, path: &Path) -> String {
    let id = id_for(path);
    template
        .source()
        .replace("__ID__", &id)
        .replace("__TITLE__", &title_for(&id))
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
            let kind = clap::ValueEnum::to_possible_value(&template)
                .map(|v| v.get_name().to_string())
                .unwrap_or_default();
            println!("wrote {p} (template {kind})");
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
