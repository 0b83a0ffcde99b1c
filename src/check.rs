//! `meshstep check` (lessons, packs and their lessons, paths or web
//! addresses), `meshstep link` (a link carrying the lesson), and where
//! every command's LESSON argument is read from.

use std::path::Path;
use std::process::ExitCode;

use meshstep::sources::{LINK_ADVICE, is_address, pack_text, read};
use meshstep_sim::Lesson;
use meshstep_sim::bundled;
use meshstep_sim::diagnostics::render as render_diagnostics;
use meshstep_sim::pack::{Pack, PackItem, is_pack};
use meshstep_sim::share::ShareLink;

/// A lesson's file name and source: a file, or a bundled lesson (compiled in,
/// so an installed binary needs no source tree).
pub fn resolve(name: &str) -> Result<(String, String), ExitCode> {
    if let Some(src) = bundled::source(name).filter(|_| !Path::new(name).exists()) {
        Ok((format!("{name}.ron"), src.to_string()))
    } else if is_address(name) || Path::new(name).exists() || name.contains(['/', '.']) {
        let source = read(name).map_err(|e| {
            eprintln!("error: {e}");
            match is_address(name) {
                true => eprintln!(
                    "  help: check the address; open it in a browser to see what it serves"
                ),
                false => eprintln!("  help: check the path, and that the file is UTF-8 text"),
            }
            ExitCode::from(2)
        })?;
        Ok((name.to_string(), source))
    } else if let Some(src) = bundled::source(name) {
        Ok((format!("{name}.ron"), src.to_string()))
    } else {
        let ids: Vec<&str> = bundled::ids().collect();
        eprintln!("error: `{name}` is neither a file nor a bundled lesson");
        eprintln!("  help: bundled lessons: {}", ids.join(", "));
        Err(ExitCode::from(2))
    }
}

pub fn check(files: &[String]) -> ExitCode {
    let mut failed = 0;
    for f in files {
        let Ok((name, source)) = resolve(f) else {
            failed += 1;
            continue;
        };
        if is_pack(&source) {
            failed += check_pack(&name, &source);
            continue;
        }
        failed += check_one(&name, &source);
    }
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// A pack: its index, then each lesson in it; the number that failed.
fn check_pack(name: &str, source: &str) -> usize {
    let pack = match Pack::from_source(source) {
        Ok(p) => p,
        Err(diags) => {
            eprint!("{}", render_diagnostics(name, source, &diags));
            eprintln!("error: {name}: the pack's index has errors");
            return 1;
        }
    };
    println!(
        "pack: {name}: {} ({} lessons)",
        pack.title,
        pack.lessons.len()
    );
    let mut failed = 0;
    for item in pack.items(name) {
        failed += match item {
            PackItem::Bundled(id) => {
                println!("ok: {id} (bundled)");
                0
            }
            PackItem::File(at) => match read(&at) {
                Ok(text) => check_one(&at, &text),
                Err(e) => {
                    eprintln!("error: {e}");
                    1
                }
            },
        };
    }
    failed
}

/// One lesson; 1 when it fails.
fn check_one(name: &str, source: &str) -> usize {
    match Lesson::from_source(name, source) {
        Ok(l) => {
            if !l.warnings.is_empty() {
                eprint!("{}", render_diagnostics(name, &l.source, &l.warnings));
            }
            println!(
                "ok: {name} ({} steps, {} quiz questions, {} warning(s))",
                l.scenario.steps.len(),
                l.scenario.quiz.len(),
                l.warnings.len()
            );
            0
        }
        Err(diags) => {
            eprint!("{}", render_diagnostics(name, source, &diags));
            let n = diags.iter().filter(|d| d.is_error()).count();
            eprintln!("error: {name}: {n} error(s)");
            1
        }
    }
}

/// `meshstep link`: the lesson, checked, packed into a link.
pub fn link(lesson: &str, base: Option<String>, step: Option<u32>) -> ExitCode {
    let Ok((name, source)) = resolve(lesson) else {
        return ExitCode::from(2);
    };
    if let Err(diags) = Lesson::from_source(&name, &source) {
        eprint!("{}", render_diagnostics(&name, &source, &diags));
        eprintln!("error: fix the lesson first: a link to a broken lesson shows only its errors");
        return ExitCode::from(1);
    }
    let link = ShareLink {
        lz: Some(pack_text(&source)),
        step,
        ..Default::default()
    };
    let text = format!("{}#{}", base.unwrap_or_default(), link.to_fragment());
    println!("{text}");
    if text.len() > LINK_ADVICE {
        eprintln!(
            "warning: the link is {} characters; chat and mail programs may cut links over {LINK_ADVICE}",
            text.len()
        );
        eprintln!("  help: put the file on a web host and share `#src=ADDRESS` instead");
    }
    ExitCode::SUCCESS
}
