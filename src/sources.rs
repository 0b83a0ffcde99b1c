//! Where a lesson comes from on the desktop and the command line: a file
//! path or a web address (`src=` links, fetched with ureq), a lesson pack's
//! index (its lessons read beside it), or the lesson carried inside a link
//! (`lz=`: raw DEFLATE in URL-safe base64, as the page reads it with the
//! browser's DecompressionStream).

use std::io::{Read, Write};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use meshstep_sim::pack::{Pack, PackItem, is_pack};
use meshstep_ui::Shell;
use meshstep_ui::packs::{Fetched, Origin};

/// Links longer than this may be cut by chat and mail programs.
pub const LINK_ADVICE: usize = 8000;

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
    (pack.items(base).into_iter())
        .filter_map(|item| match item {
            PackItem::File(at) => Some(Fetched {
                text: read(&at),
                at,
            }),
            PackItem::Bundled(_) => None,
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

/// A lesson's text as it travels in a link.
pub fn pack_text(text: &str) -> String {
    let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to memory cannot fail.
    let _ = z.write_all(text.as_bytes());
    URL_SAFE_NO_PAD.encode(z.finish().unwrap_or_default())
}

/// The lesson a link carries.
pub fn unpack(lz: &str) -> Result<String, String> {
    let bytes = URL_SAFE_NO_PAD
        .decode(lz.trim_end_matches('='))
        .map_err(|e| format!("the lesson in the link is damaged ({e}); copy the whole link"))?;
    let mut text = String::new();
    flate2::read::DeflateDecoder::new(&bytes[..])
        .take(16 << 20)
        .read_to_string(&mut text)
        .map_err(|e| {
            format!("the lesson in the link cannot be unpacked ({e}); copy the whole link")
        })?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lesson_survives_the_trip_through_a_link() {
        let src = meshstep_sim::bundled::source("mesh-overview").unwrap();
        let lz = pack_text(src);
        assert!(
            lz.len() < src.len() / 2,
            "compressed: {} of {}",
            lz.len(),
            src.len()
        );
        assert!(
            lz.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_eq!(unpack(&lz).unwrap(), src);
        assert!(unpack("***").unwrap_err().contains("damaged"));
        assert!(unpack("AAAA").unwrap_err().contains("cannot be unpacked"));
    }

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
