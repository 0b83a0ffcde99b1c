//! Where a lesson comes from on the desktop and the command line: a file
//! path or a web address (`src=` links, fetched with ureq), a lesson pack's
//! index (its lessons read beside it), or the lesson carried inside a link
//! (`lz=`, `meshstep_ui::inline_link`).

use std::time::Duration;

use meshstep_sim::pack::{Pack, is_pack};
use meshstep_ui::Shell;
use meshstep_ui::packs::{Fetched, Origin};

pub use meshstep_ui::inline_link::{LINK_ADVICE, pack as pack_text, unpack};

/// Whether `src` is a web address rather than a path.
pub fn is_address(src: &str) -> bool {
    src.starts_with("http://") || src.starts_with("https://")
}

/// The text at a path or a web address.
pub fn read(src: &str) -> Result<String, String> {
    if is_address(src) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(20)))
            .build()
            .into();
        let mut response = agent.get(src).call().map_err(|e| match e {
            ureq::Error::StatusCode(code) => {
                format!("cannot fetch {src}: the server answered HTTP {code}")
            }
            e => format!("cannot fetch {src}: {e}"),
        })?;
        response
            .body_mut()
            .read_to_string()
            .map_err(|e| format!("cannot read what {src} sent: {e}"))
    } else {
        let path = src.strip_prefix("file://").unwrap_or(src);
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))
    }
}

/// The file name a source is shown by.
pub fn name_of(src: &str) -> String {
    let bare = src.split(['?', '#']).next().unwrap_or(src);
    bare.rsplit('/').next().unwrap_or(bare).to_string()
}

/// A pack's lesson files, each read (or why it could not be).
pub fn read_pack_files(pack: &Pack, base: &str) -> Vec<Fetched> {
    (pack.files(base).into_iter())
        .map(|at| Fetched {
            text: read(&at),
            at,
        })
        .collect()
}

/// Opens `src` in the shell: a lesson, or a pack's menu with its lessons.
pub fn open(shell: &mut Shell, src: &str) -> Result<(), String> {
    let text = read(src)?;
    let name = if is_address(src) {
        name_of(src)
    } else {
        src.to_string()
    };
    let origin = if is_address(src) {
        Origin::Url(src.to_string())
    } else {
        Origin::Path(src.into())
    };
    if is_pack(&text) {
        let fetched = Pack::from_source(&text)
            .map(|p| read_pack_files(&p, src))
            .unwrap_or_default();
        shell.open_pack(&name, &text, origin, &fetched);
    } else {
        let i = shell.library.add_source(&name, &text);
        let e = &mut shell.library.entries[i];
        match origin {
            Origin::Url(u) => e.url = Some(u),
            Origin::Path(p) => e.path = Some(p),
        }
        shell.select(i);
    }
    Ok(())
}

/// Opens the lesson a link carries (`lz=`).
pub fn open_inline(shell: &mut Shell, lz: &str) -> Result<(), String> {
    let text = unpack(lz)?;
    let i = shell.library.add_source("lesson in the link", &text);
    shell.library.entries[i].lz = Some(lz.to_string());
    shell.select(i);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_addresses() {
        assert_eq!(name_of("https://h/p/week3.ron?x#y"), "week3.ron");
        assert!(is_address("https://h/a.ron") && !is_address("a.ron"));
        assert!(
            read("/no/such/file.ron")
                .unwrap_err()
                .contains("cannot read /no/such/file.ron")
        );
    }
}
