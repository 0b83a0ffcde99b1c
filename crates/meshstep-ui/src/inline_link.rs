//! A lesson carried inside a link (`lz=`): its text as raw DEFLATE in
//! URL-safe base64. The desktop packs and unpacks it here; the page uses the
//! browser's own CompressionStream and DecompressionStream (web/loader.js),
//! so the `.wasm` carries no DEFLATE code.

use meshstep_sim::share::ShareLink;

/// Links longer than this may be cut by chat and mail programs.
pub const LINK_ADVICE: usize = 8000;

/// The share-link fragment (`v=1&lz=…&step=N`) for a packed lesson.
pub fn fragment(lz: &str, step: Option<u32>) -> String {
    ShareLink {
        lz: Some(lz.to_string()),
        step,
        ..Default::default()
    }
    .to_fragment()
}

/// A lesson's text as it travels in a link.
#[cfg(not(target_arch = "wasm32"))]
pub fn pack(text: &str) -> String {
    use base64::Engine;
    use std::io::Write;
    let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to memory cannot fail.
    let _ = z.write_all(text.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(z.finish().unwrap_or_default())
}

/// The lesson a link carries.
#[cfg(not(target_arch = "wasm32"))]
pub fn unpack(lz: &str) -> Result<String, String> {
    use base64::Engine;
    use std::io::Read;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
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

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_lesson_survives_the_trip_through_a_link() {
        let src = meshstep_sim::bundled::source("mesh-overview").unwrap();
        let lz = pack(src);
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
        assert_eq!(fragment("abc", Some(2)), "v=1&lz=abc&step=2");
    }
}
