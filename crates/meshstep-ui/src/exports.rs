//! Files the app hands out: the lesson's printable handout, written where
//! exports go on the desktop (the downloads folder) or offered as a
//! download by the page.

use crate::editor::Download;
use crate::shell::Shell;

impl Shell {
    /// The handout of the lesson on screen (as `meshstep export` writes it).
    pub fn export_handout(&mut self) {
        let Some(v) = &self.viewer else {
            return;
        };
        let (lesson, run) = (&v.lesson, &v.run);
        let file_name = format!("{}-handout.html", lesson.scenario.id);
        match crate::handout::html(lesson, run) {
            Ok(text) => self.deliver(file_name, text),
            Err(e) => self.learn.message = Some(format!("The handout could not be made: {e}")),
        }
    }

    /// Writes `text` as `file_name` where exports go (a free name: `-2`,
    /// `-3`… when taken), or hands it to the page as a download; says which.
    pub fn deliver(&mut self, file_name: String, text: String) {
        match &self.export_dir {
            #[cfg(not(target_arch = "wasm32"))]
            Some(dir) => {
                let (stem, ext) = file_name.rsplit_once('.').unwrap_or((&file_name, ""));
                let path = (1..100)
                    .map(|n| match n {
                        1 => dir.join(&file_name),
                        n => dir.join(format!("{stem}-{n}.{ext}")),
                    })
                    .find(|p| !p.exists());
                let result = std::fs::create_dir_all(dir).and_then(|_| match &path {
                    Some(p) => std::fs::write(p, &text),
                    None => Ok(()),
                });
                self.learn.message = Some(match (result, path) {
                    (Ok(()), Some(p)) => format!(
                        "Saved {}. Open it in a browser and print it (to paper or PDF).",
                        p.display()
                    ),
                    (Err(e), _) => format!("Could not save {file_name}: {e}"),
                    (Ok(()), None) => format!("Could not save {file_name}: no free file name"),
                });
            }
            _ => {
                self.download = Some(Download { file_name, text });
            }
        }
    }
}
