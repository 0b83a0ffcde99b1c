//! A printable handout of a lesson, as HTML (one page styled for print,
//! A4, the answer key on a page of its own) or Markdown with its figures:
//! the flow view at its key steps (SVG from the window's own layout, so no
//! window is needed), the process table, the tracker, the key moments, the
//! quiz and the practice, and the answer key, each right answer the one the
//! engine computes. `meshstep export` writes it to a file; the app's
//! "Printable handout" button saves it (desktop) or downloads it (page).

use std::fmt::Write;

use meshstep_sim::learning::grading::right_option;
use meshstep_sim::lesson::quiz::letter;
use meshstep_sim::{Lesson, LessonRun};

use crate::Viewer;
use crate::flow_svg::{esc, flow_svg};

/// Width and height of each flow figure, points.
const FIGURE: (f32, f32) = (720.0, 480.0);

/// The steps drawn: the first, each key moment's, and the last (at most six).
pub fn key_steps(lesson: &Lesson) -> Vec<u32> {
    let n = lesson.scenario.steps.len() as u32;
    let mut steps = vec![1];
    for m in &lesson.scenario.key_moments {
        if let Some(s) = m.steps.first().and_then(|s| s.number()) {
            steps.push(s);
        }
    }
    steps.push(n);
    steps.retain(|&s| s >= 1 && s <= n);
    steps.sort_unstable();
    steps.dedup();
    steps.truncate(6);
    steps
}

/// One figure per key step: (step, caption, SVG).
fn figures(lesson: &Lesson) -> Result<Vec<(u32, String, String)>, String> {
    let mut v = Viewer::new(lesson.clone())?;
    v.reduced_motion = true;
    Ok(key_steps(lesson)
        .into_iter()
        .map(|s| {
            v.jump_to_step(s);
            let row = &v.run.table.rows[s as usize - 1];
            let caption = format!("Step {s}: {} — {}", row.component, row.action_text);
            (s, caption, flow_svg(&v, FIGURE.0, FIGURE.1))
        })
        .collect())
}

/// The lesson's own practice and quiz with the engine's right answers.
struct Answers {
    quiz: Vec<usize>,
    practice: Vec<usize>,
}

fn answers(lesson: &Lesson, run: &LessonRun) -> Answers {
    let s = &lesson.scenario;
    Answers {
        quiz: (s.quiz.iter())
            .map(|q| right_option(lesson, run, &q.asks, &q.options))
            .collect(),
        practice: (s.practice.iter())
            .map(|p| right_option(lesson, run, &p.asks, &p.options))
            .collect(),
    }
}

/// The handout as one HTML page, styled for print (A4, the answer key on a
/// page of its own).
pub fn html(lesson: &Lesson, run: &LessonRun) -> Result<String, String> {
    let s = &lesson.scenario;
    let key = answers(lesson, run);
    let mut o = String::new();
    let _ = write!(
        o,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t} — handout</title><style>{CSS}</style></head><body>",
        t = esc(&s.title)
    );
    let _ = write!(
        o,
        "<h1>{}</h1><p class=\"summary\">{}</p>",
        esc(&s.title),
        esc(&s.summary)
    );
    if !s.process_flow.nodes.is_empty() {
        let flow: Vec<String> = s.process_flow.nodes.iter().map(|n| esc(n)).collect();
        let _ = write!(
            o,
            "<h2>The flow</h2><p class=\"flow\">{}</p>",
            flow.join(" → ")
        );
        if !s.process_flow.caption.is_empty() {
            let _ = write!(o, "<p>{}</p>", esc(&s.process_flow.caption));
        }
    }
    if !s.concept_snapshot.is_empty() {
        o.push_str("<h2>The idea in brief</h2><ul>");
        for c in &s.concept_snapshot {
            let _ = write!(o, "<li>{}</li>", esc(c));
        }
        o.push_str("</ul>");
    }
    o.push_str("<h2>The flow view at the key steps</h2>");
    for (_, caption, svg) in figures(lesson)? {
        let _ = write!(
            o,
            "<figure>{svg}<figcaption>{}</figcaption></figure>",
            esc(&caption)
        );
    }
    o.push_str("<h2>Process table</h2><table><tr><th>Step</th><th>Component</th><th>Action</th><th>Result</th></tr>");
    for r in &run.table.rows {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}<div class=\"note\">{}</div></td></tr>",
            r.step,
            esc(&r.component),
            esc(&r.action_text),
            esc(&r.result),
            esc(&r.notes)
        );
    }
    o.push_str("</table>");
    let t = &run.tracker;
    if !t.lines.is_empty() {
        let _ = write!(
            o,
            "<h2>Status tracker</h2><table><tr><th>{}</th>",
            esc(&t.heading)
        );
        for c in &t.checkpoints {
            let _ = write!(o, "<th>{}</th>", esc(c));
        }
        o.push_str("</tr>");
        for l in &t.lines {
            let _ = write!(o, "<tr><th>{}</th>", esc(&l.label));
            for c in &l.cells {
                let mark = if c.changed { " class=\"changed\"" } else { "" };
                let _ = write!(o, "<td{mark}>{}</td>", esc(&c.text));
            }
            o.push_str("</tr>");
        }
        o.push_str("</table><p class=\"note\">Bold cells changed since the checkpoint before.</p>");
    }
    if !s.key_moments.is_empty() {
        o.push_str("<h2>Key moments</h2>");
        for m in &s.key_moments {
            let _ = write!(
                o,
                "<p><b>{}</b><br>{}</p>",
                esc(&m.question),
                esc(&m.answer)
            );
        }
    }
    if !s.quiz.is_empty() {
        o.push_str("<h2 class=\"new-page\">Quiz</h2><ol>");
        for q in &s.quiz {
            let _ = write!(o, "<li><p>{}</p><ol type=\"A\">", esc(&q.question));
            for opt in &q.options {
                let _ = write!(o, "<li>{}</li>", esc(&opt.text));
            }
            o.push_str("</ol></li>");
        }
        o.push_str("</ol>");
    }
    if !s.practice.is_empty() {
        o.push_str("<h2>Practice</h2><ol>");
        for p in &s.practice {
            let _ = write!(
                o,
                "<li><p><i>{:?}.</i> {}</p><ol type=\"A\">",
                p.difficulty,
                esc(&p.question)
            );
            for opt in &p.options {
                let _ = write!(o, "<li>{}</li>", esc(&opt.text));
            }
            o.push_str("</ol></li>");
        }
        o.push_str("</ol>");
    }
    o.push_str("<section class=\"answers\"><h2>Answer key</h2>");
    if !s.quiz.is_empty() {
        o.push_str("<h3>Quiz</h3><ol>");
        for (q, right) in s.quiz.iter().zip(&key.quiz) {
            let _ = write!(
                o,
                "<li><b>{}. {}</b> {}</li>",
                letter(*right),
                esc(&q.options[*right].text),
                esc(&q.explanation)
            );
        }
        o.push_str("</ol>");
    }
    if !s.practice.is_empty() {
        o.push_str("<h3>Practice, with worked solutions</h3><ol>");
        for (p, right) in s.practice.iter().zip(&key.practice) {
            let _ = write!(
                o,
                "<li><b>{}. {}</b><ol>",
                letter(*right),
                esc(&p.options[*right].text)
            );
            for step in &p.solution {
                let _ = write!(o, "<li>{}</li>", esc(step));
            }
            let _ = write!(
                o,
                "</ol><p class=\"note\">Quick check: {}</p></li>",
                esc(&p.quick_check)
            );
        }
        o.push_str("</ol>");
    }
    o.push_str("</section></body></html>");
    Ok(o)
}

/// The handout as Markdown, with the figures as SVG files beside it
/// (`(file name, SVG)`), which the Markdown links to from `dir`.
pub fn markdown(
    lesson: &Lesson,
    run: &LessonRun,
    dir: &str,
) -> Result<(String, Vec<(String, String)>), String> {
    let s = &lesson.scenario;
    let key = answers(lesson, run);
    let mut o = format!("# {}\n\n{}\n\n", s.title, s.summary);
    if !s.process_flow.nodes.is_empty() {
        let _ = writeln!(o, "## The flow\n\n{}\n", s.process_flow.nodes.join(" → "));
    }
    if !s.concept_snapshot.is_empty() {
        o.push_str("## The idea in brief\n\n");
        for c in &s.concept_snapshot {
            let _ = writeln!(o, "- {c}");
        }
        o.push('\n');
    }
    o.push_str("## The flow view at the key steps\n\n");
    let mut files = Vec::new();
    for (step, caption, svg) in figures(lesson)? {
        let name = format!("step-{step}.svg");
        let _ = writeln!(o, "![{caption}]({dir}/{name})\n\n*{caption}*\n");
        files.push((name, svg));
    }
    o.push_str("## Process table\n\n| Step | Component | Action | Result |\n|---|---|---|---|\n");
    let cell = |t: &str| t.replace('|', "\\|").replace('\n', " ");
    for r in &run.table.rows {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |",
            r.step,
            cell(&r.component),
            cell(&r.action_text),
            cell(&r.result)
        );
    }
    let t = &run.tracker;
    if !t.lines.is_empty() {
        let _ = write!(o, "\n## Status tracker\n\n| |");
        for c in &t.checkpoints {
            let _ = write!(o, " {} |", cell(c));
        }
        let _ = writeln!(o, "\n|---|{}", "---|".repeat(t.checkpoints.len()));
        for l in &t.lines {
            let _ = write!(o, "| {} |", cell(&l.label));
            for c in &l.cells {
                let _ = write!(o, " {} |", cell(&c.text));
            }
            o.push('\n');
        }
    }
    if !s.key_moments.is_empty() {
        o.push_str("\n## Key moments\n\n");
        for m in &s.key_moments {
            let _ = writeln!(o, "**{}**  \n{}\n", m.question, m.answer);
        }
    }
    if !s.quiz.is_empty() {
        o.push_str("\n## Quiz\n\n");
        for (i, q) in s.quiz.iter().enumerate() {
            let _ = writeln!(o, "{}. {}", i + 1, q.question);
            for (k, opt) in q.options.iter().enumerate() {
                let _ = writeln!(o, "   - {}. {}", letter(k), opt.text);
            }
        }
    }
    if !s.practice.is_empty() {
        o.push_str("\n## Practice\n\n");
        for (i, p) in s.practice.iter().enumerate() {
            let _ = writeln!(o, "{}. *{:?}.* {}", i + 1, p.difficulty, p.question);
            for (k, opt) in p.options.iter().enumerate() {
                let _ = writeln!(o, "   - {}. {}", letter(k), opt.text);
            }
        }
    }
    o.push_str("\n---\n\n## Answer key\n\n");
    for (i, (q, right)) in s.quiz.iter().zip(&key.quiz).enumerate() {
        let _ = writeln!(
            o,
            "- Quiz {}: **{}. {}** {}",
            i + 1,
            letter(*right),
            q.options[*right].text,
            q.explanation
        );
    }
    for (i, (p, right)) in s.practice.iter().zip(&key.practice).enumerate() {
        let _ = writeln!(
            o,
            "- Practice {}: **{}. {}**",
            i + 1,
            letter(*right),
            p.options[*right].text
        );
        for step in &p.solution {
            let _ = writeln!(o, "  - {step}");
        }
    }
    Ok((o, files))
}

const CSS: &str = "
@page { size: A4; margin: 16mm; }
body { font: 11pt/1.45 sans-serif; color: #1b1e24; max-width: 180mm; margin: 0 auto; }
h1 { font-size: 20pt; margin-bottom: 2mm; }
h2 { font-size: 14pt; margin-top: 8mm; border-bottom: 1px solid #bbb; break-after: avoid; }
.summary { font-size: 12pt; color: #333; }
.flow { font-weight: bold; }
figure { margin: 4mm 0; break-inside: avoid; }
figure svg { width: 100%; height: auto; border: 1px solid #ccc; }
figcaption { font-size: 10pt; color: #444; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
th, td { border: 1px solid #ccc; padding: 1.5mm; vertical-align: top; text-align: left; }
tr { break-inside: avoid; }
td.changed { font-weight: bold; }
.note { font-size: 9pt; color: #555; }
.new-page, .answers { break-before: page; }
ol ol { margin-top: 1mm; }
";
