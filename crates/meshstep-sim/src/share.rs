//! The share link: one versioned format for "this lesson, at this step, with
//! this seed, these faults from this point", read and written the same way by
//! the command line, the desktop app and the web page. It is the URL
//! fragment of the page (`#v=1&lesson=mesh-vs-library&step=7&faults=mtls-off`).
//!
//! Settings changed in the what-if lab travel by their lab entry's id
//! (`settings=retries-off:payments`). Keys this version does not know are
//! kept, so a link written by a newer meshstep survives being opened and
//! shared again.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::fault::Fault;
use crate::scenario::schema::{Onset, StepRef};

/// The link format this build writes; it reads this and every earlier one.
pub const LINK_VERSION: u32 = 1;

/// Characters left as they are in a value: what fault spellings and ids use.
const VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b':')
    .remove(b'=')
    .remove(b',');

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ShareLink {
    pub lesson: Option<String>,
    pub step: Option<u32>,
    pub seed: Option<u64>,
    pub faults: Vec<Fault>,
    /// Setting changes from the what-if lab, by entry id
    /// (`retries-off:payments`; see `lesson::lab`).
    pub settings: Vec<String>,
    /// Where the faults and settings start (the fork point); `None`: from the beginning.
    pub from: Option<Onset>,
    /// An explore page open over the lesson (`side-by-side`, `scale-lab`).
    pub page: Option<String>,
    /// The scale-lab experiment loaded (`scale::presets`).
    pub experiment: Option<String>,
    /// The generated-practice set on screen (its seed).
    pub practice: Option<u64>,
    /// Where the lesson's file is (`src=https://…/lesson.ron`): a lesson
    /// from outside the app, which the page fetches.
    pub src: Option<String>,
    /// The lesson itself, carried in the link (`lz=`): raw DEFLATE in
    /// URL-safe base64, unpacked by the page or the desktop app.
    pub lz: Option<String>,
    /// Keys this version does not read, in order, kept for round trips.
    pub extra: Vec<(String, String)>,
}

impl ShareLink {
    /// Reads a link (`#…`, `?…` or the bare `key=value&…`). What cannot be
    /// read is left out and described in the second value, for the learner.
    pub fn parse(text: &str) -> (ShareLink, Vec<String>) {
        let mut link = ShareLink::default();
        let mut problems = Vec::new();
        let body = text.trim().trim_start_matches(['#', '?']);
        for pair in body.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let v = percent_decode_str(v).decode_utf8_lossy().to_string();
            match k {
                "v" => match v.parse::<u32>() {
                    Ok(n) if n <= LINK_VERSION => {}
                    _ => problems.push(format!(
                        "this link is format {v}; this meshstep reads up to {LINK_VERSION}, so parts of it may be ignored"
                    )),
                },
                "lesson" => link.lesson = Some(v),
                "step" => match v.parse() {
                    Ok(n) => link.step = Some(n),
                    Err(_) => problems.push(format!("`{v}` is not a step number")),
                },
                "seed" => match v.parse() {
                    Ok(n) => link.seed = Some(n),
                    Err(_) => problems.push(format!("`{v}` is not a seed")),
                },
                "faults" => {
                    for f in v.split(',').filter(|f| !f.is_empty()) {
                        match f.parse() {
                            Ok(f) => link.faults.push(f),
                            Err(e) => problems.push(format!("{e}")),
                        }
                    }
                }
                "settings" => link
                    .settings
                    .extend(v.split(',').filter(|s| !s.is_empty()).map(String::from)),
                "from" => match parse_onset(&v) {
                    Some(o) => link.from = Some(o),
                    None => problems.push(format!(
                        "`{v}` is not a starting point: write `step:N` or `us:T`"
                    )),
                },
                "page" => link.page = Some(v),
                "src" => link.src = Some(v),
                "lz" => link.lz = Some(v),
                "practice" => match v.parse() {
                    Ok(n) => link.practice = Some(n),
                    Err(_) => problems.push(format!("`{v}` is not a practice set number")),
                },
                "experiment" => link.experiment = Some(v),
                _ => link.extra.push((k.to_string(), v)),
            }
        }
        (link, problems)
    }

    /// The link as a URL fragment, without the `#`.
    pub fn to_fragment(&self) -> String {
        let enc = |s: &str| utf8_percent_encode(s, VALUE).to_string();
        let mut parts = vec![format!("v={LINK_VERSION}")];
        if let Some(s) = &self.src {
            parts.push(format!("src={}", enc(s)));
        }
        if let Some(z) = &self.lz {
            parts.push(format!("lz={}", enc(z)));
        }
        if let Some(l) = &self.lesson {
            parts.push(format!("lesson={}", enc(l)));
        }
        if let Some(s) = self.step {
            parts.push(format!("step={s}"));
        }
        if let Some(s) = self.seed {
            parts.push(format!("seed={s}"));
        }
        if !self.faults.is_empty() {
            let f: Vec<String> = self.faults.iter().map(|f| f.to_string()).collect();
            parts.push(format!("faults={}", enc(&f.join(","))));
        }
        if !self.settings.is_empty() {
            parts.push(format!("settings={}", enc(&self.settings.join(","))));
        }
        if (!self.faults.is_empty() || !self.settings.is_empty())
            && let Some(o) = self.from.clone()
        {
            parts.push(format!("from={}", onset_text(o)));
        }
        if let Some(p) = &self.page {
            parts.push(format!("page={}", enc(p)));
        }
        if let Some(x) = &self.experiment {
            parts.push(format!("experiment={}", enc(x)));
        }
        if let Some(p) = self.practice {
            parts.push(format!("practice={p}"));
        }
        for (k, v) in &self.extra {
            parts.push(format!("{}={}", enc(k), enc(v)));
        }
        parts.join("&")
    }
}

fn parse_onset(v: &str) -> Option<Onset> {
    let (kind, n) = v.split_once(':')?;
    match kind {
        "step" if !n.is_empty() => Some(Onset::AfterStep(match n.parse::<u32>() {
            Ok(k) => StepRef::Number(k),
            Err(_) => StepRef::Id(n.to_string()),
        })),
        "us" => n.parse().ok().map(Onset::AtUs),
        _ => None,
    }
}

fn onset_text(o: Onset) -> String {
    match o {
        Onset::AfterStep(StepRef::Number(n)) => format!("step:{n}"),
        Onset::AfterStep(StepRef::Id(id)) => format!("step:{id}"),
        Onset::AtUs(t) => format!("us:{t}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_round_trips_with_its_fork_point_and_unknown_keys() {
        let link = ShareLink {
            lesson: Some("mesh-vs-library".into()),
            step: Some(7),
            seed: Some(9),
            faults: vec![
                Fault::ControlPlaneDown,
                Fault::Lossy {
                    pod: Some("web".into()),
                    probability: 0.3,
                },
            ],
            settings: Vec::new(),
            from: Some(Onset::AfterStep(5.into())),
            page: Some("scale-lab".into()),
            experiment: Some("push-propagation".into()),
            practice: Some(3),
            src: Some("https://example.org/a b/l.ron".into()),
            lz: Some("y0jNyVcozy_KSQEA".into()),
            extra: vec![("speed".into(), "2 x".into())],
        };
        let text = link.to_fragment();
        assert_eq!(
            text,
            "v=1&src=https:%2F%2Fexample.org%2Fa%20b%2Fl.ron&lz=y0jNyVcozy_KSQEA&lesson=mesh-vs-library&step=7&seed=9&faults=control-plane-down,lossy=web:0.3&from=step:5&page=scale-lab&experiment=push-propagation&practice=3&speed=2%20x"
        );
        assert_eq!(ShareLink::parse(&format!("#{text}")), (link, vec![]));
    }

    #[test]
    fn a_link_carries_lab_settings_and_their_fork_point_without_faults() {
        let link = ShareLink {
            lesson: Some("canary".into()),
            settings: vec![
                "retries-off:reviews".into(),
                "delete:VirtualService/reviews".into(),
            ],
            from: Some(Onset::AfterStep(3.into())),
            ..Default::default()
        };
        let text = link.to_fragment();
        assert_eq!(
            text,
            "v=1&lesson=canary&settings=retries-off:reviews,delete:VirtualService%2Freviews&from=step:3"
        );
        assert_eq!(ShareLink::parse(&text), (link, vec![]));
    }

    #[test]
    fn round_one_links_without_a_version_still_open() {
        let (l, problems) = ShareLink::parse("#lesson=mesh-overview&step=4&faults=mtls-off");
        assert!(problems.is_empty());
        assert_eq!(l.lesson.as_deref(), Some("mesh-overview"));
        assert_eq!((l.step, l.faults), (Some(4), vec![Fault::MtlsOff]));
    }

    #[test]
    fn what_cannot_be_read_is_named() {
        let (l, problems) = ShareLink::parse("#v=9&step=x&faults=mtls-off,bogus&from=later");
        assert_eq!(l.faults, [Fault::MtlsOff]);
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems[0].contains("format 9"));
    }
}
