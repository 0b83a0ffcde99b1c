//! Where progress lives. Desktop: a file in the user's data directory,
//! written atomically (temporary file, then rename). A file that cannot be
//! fully read is kept aside under another name before anything is written,
//! so progress is never silently lost. Tests use the in-memory store.

use meshstep_sim::learning::progress::{Progress, read};

/// What loading found.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub progress: Progress,
    /// For the learner: what went wrong and where the old file is.
    pub message: Option<String>,
}

pub trait ProgressStore: Send + Sync {
    fn load(&mut self) -> Loaded;
    fn save(&mut self, progress: &Progress) -> Result<(), String>;
    /// Where progress is kept, for messages.
    fn location(&self) -> String;
}

/// Progress in memory only (tests, headless runs).
#[derive(Default)]
pub struct MemoryStore {
    pub text: Option<String>,
    pub kept_aside: Vec<String>,
}

impl ProgressStore for MemoryStore {
    fn load(&mut self) -> Loaded {
        let Some(text) = self.text.clone() else {
            return Loaded {
                progress: Progress::default(),
                message: None,
            };
        };
        let r = read(&text);
        let message = r.problem.map(|p| {
            self.kept_aside.push(text);
            format!("Saved progress was kept aside because {}.", p.describe())
        });
        Loaded {
            progress: r.progress,
            message,
        }
    }

    fn save(&mut self, progress: &Progress) -> Result<(), String> {
        self.text = Some(progress.to_text());
        Ok(())
    }

    fn location(&self) -> String {
        "memory".into()
    }
}

/// Progress in `dir/progress.json`.
#[cfg(not(target_arch = "wasm32"))]
pub struct FileStore {
    pub dir: std::path::PathBuf,
}

#[cfg(not(target_arch = "wasm32"))]
impl FileStore {
    pub fn new(dir: impl Into<std::path::PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    pub fn path(&self) -> std::path::PathBuf {
        self.dir.join("progress.json")
    }

    /// A free name beside the file for keeping a bad one.
    fn aside_name(
        &self,
        problem: &meshstep_sim::learning::progress::ReadProblem,
    ) -> std::path::PathBuf {
        use meshstep_sim::learning::progress::ReadProblem;
        let tag = match problem {
            ReadProblem::NewerVersion { found } => format!("from-newer-v{found}"),
            ReadProblem::DamagedLines { .. } => "damaged".into(),
            ReadProblem::NotProgress => "unreadable".into(),
        };
        (1..)
            .map(|n| self.dir.join(format!("progress.{tag}-{n}.json")))
            .find(|p| !p.exists())
            .unwrap_or_else(|| self.dir.join(format!("progress.{tag}.json")))
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl ProgressStore for FileStore {
    fn load(&mut self) -> Loaded {
        let path = self.path();
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Loaded {
                    progress: Progress::default(),
                    message: None,
                };
            }
            Err(e) => {
                return Loaded {
                    progress: Progress::default(),
                    message: Some(format!(
                        "Could not read saved progress at {}: {e}. It was left untouched.",
                        path.display()
                    )),
                };
            }
        };
        use meshstep_sim::learning::progress::ReadProblem;
        let text = String::from_utf8_lossy(&bytes);
        let r = read(&text);
        let Some(problem) = r.problem else {
            return Loaded {
                progress: r.progress,
                message: None,
            };
        };
        let aside = self.aside_name(&problem);
        let kept = match std::fs::rename(&path, &aside) {
            Ok(()) => format!("The file was kept as {}.", aside.display()),
            Err(e) => format!(
                "It could not be moved aside ({e}); it stays at {}.",
                path.display()
            ),
        };
        let n = r.progress.lessons.len();
        let what = match (&problem, n) {
            (ReadProblem::DamagedLines { .. }, 0) => {
                "No lesson in it could be read, so you start with empty progress.".to_string()
            }
            (ReadProblem::DamagedLines { .. }, 1) => {
                "The one lesson that could be read was restored.".to_string()
            }
            (ReadProblem::DamagedLines { .. }, n) => {
                format!("The {n} lessons that could be read were restored.")
            }
            _ => "You start with empty progress.".to_string(),
        };
        Loaded {
            progress: r.progress,
            message: Some(format!(
                "Saved progress at {} could not all be read: {}. {what} {kept}",
                path.display(),
                problem.describe()
            )),
        }
    }

    fn save(&mut self, progress: &Progress) -> Result<(), String> {
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| format!("cannot create {}: {e}", self.dir.display()))?;
        let path = self.path();
        let tmp = self.dir.join("progress.json.tmp");
        std::fs::write(&tmp, progress.to_text())
            .map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
        // Rename is atomic on one file system: a crash leaves the old file or the new one, never half.
        std::fs::rename(&tmp, &path).map_err(|e| format!("cannot replace {}: {e}", path.display()))
    }

    fn location(&self) -> String {
        self.path().display().to_string()
    }
}
