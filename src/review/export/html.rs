//! The HTML reports: one file each, styles inline, charts as inline SVG, printable.
//! Nothing is loaded from elsewhere and nothing runs: no scripts, no links out.

use std::fmt::Write as _;

use super::member_label;
use crate::observations::Attached;
use crate::review::browser::Supervised;
use crate::review::fmt;
use crate::review::notes::{by_tag, timeline};
use crate::review::series::{Series, presence_mark};
use crate::review::wrapup::Found;
use crate::summary::{Outcome, Summary};
use crate::supervision::{Record, Target, note_key};

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Escaped, with line breaks kept.
pub(super) fn text(t: &str) -> String {
    escape(&t.replace("\r\n", "\n")).replace('\n', "<br>")
}

const STYLE: &str = r#"
:root { --ink: #1b1b1b; --muted: #5f6368; --rule: #d0d4d9; --bar: #2a6f97; --plan: #c9d6df;
  --over: #b3261e; --under: #2e7d32; --risk: #b3261e; --follow: #7b1fa2; --absent: #9aa0a6; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  margin: 0; background: #fff; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 1.8rem 0 .6rem; border-bottom: 1px solid var(--rule); padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
.meta { color: var(--muted); margin: 0 0 1rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.grid td, table.grid th { text-align: center; padding: .2rem .3rem; }
table.grid td:first-child, table.grid th:first-child { text-align: left; }
.mark-A { color: var(--absent); }
.mark-L, .mark-E { font-weight: 600; }
.flag { font-weight: 700; font-size: .8rem; letter-spacing: .03em; padding: 0 .3rem; border-radius: 3px;
  border: 1px solid currentColor; }
.flag.risk { color: var(--risk); }
.flag.follow { color: var(--follow); }
ul.notes { list-style: none; padding: 0; margin: 0; }
ul.notes li { padding: .3rem 0; border-bottom: 1px solid var(--rule); }
.at { color: var(--muted); font-variant-numeric: tabular-nums; }
.tag { color: var(--muted); font-size: .85rem; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem; }
.callout { border-left: 4px solid var(--over); padding: .3rem .8rem; background: #fdf3f2; }
.callout.changed { color: var(--over); font-size: 1.05rem; }
.status { margin: 0 0 .5rem; }
li.comment { color: var(--follow); border-bottom: none; padding-left: 1rem; }
.open { color: var(--over); }
svg { max-width: 100%; height: auto; display: block; margin: .5rem 0; }
svg text { font: 12px system-ui, sans-serif; fill: var(--ink); }
svg .muted { fill: var(--muted); }
svg .plan { fill: var(--plan); }
svg .actual { fill: var(--bar); }
svg .over { fill: var(--over); }
svg .under { fill: var(--under); }
svg .passed { fill: none; stroke: var(--muted); stroke-dasharray: 2 2; }
svg .axis { stroke: var(--rule); }
footer { color: var(--muted); font-size: .8rem; margin-top: 2rem; }
@media (max-width: 50rem) { .columns { grid-template-columns: 1fr; } }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  section, svg, tr { break-inside: avoid; }
  .callout { background: none; }
  a { color: inherit; text-decoration: none; }
}
"#;

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"holdspace {}\">\n<title>{}</title>\n<style>{STYLE}</style>\n\
         </head>\n<body>\n<main>\n{body}<footer>Confidential: contains client information. \
         Written by holdspace review.</footer>\n</main>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        escape(title)
    )
}

// `write!` to a String cannot fail; the results are ignored on purpose.
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{ let _ = write!($out, $($arg)*); }};
}

/// A horizontal bar chart: each row a label and one or more bars with a value text.
struct Bars<'a> {
    label: String,
    bars: Vec<(f64, &'a str)>,
    value: String,
}

const LABEL_W: f64 = 210.0;
const BAR_W: f64 = 380.0;
/// Room for "0:00 · 0 turns · 0% · never spoke" in full.
const VALUE_W: f64 = 240.0;

fn bar_chart(caption: &str, rows: &[Bars], max: f64) -> String {
    let bar_h = 11.0;
    let gap = 3.0;
    let row_pad = 8.0;
    let width = LABEL_W + BAR_W + VALUE_W;
    let heights: Vec<f64> = rows
        .iter()
        .map(|r| r.bars.len().max(1) as f64 * (bar_h + gap) + row_pad)
        .collect();
    let height: f64 = heights.iter().sum::<f64>() + 4.0;
    let mut svg = String::new();
    w!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" \
         height=\"{height}\" role=\"img\" aria-label=\"{}\"><title>{}</title>",
        escape(caption),
        escape(caption)
    );
    let mut y = 2.0;
    let scale = if max > 0.0 { BAR_W / max } else { 0.0 };
    for (row, h) in rows.iter().zip(&heights) {
        let mid = y + (h - row_pad) / 2.0 + 4.0;
        w!(
            svg,
            "<text x=\"0\" y=\"{mid:.1}\">{}</text>",
            escape(&fmt::truncate(&row.label, 30))
        );
        for (i, (value, class)) in row.bars.iter().enumerate() {
            let by = y + i as f64 * (bar_h + gap);
            let bw = (value.max(0.0) * scale).min(BAR_W);
            w!(
                svg,
                "<rect class=\"{class}\" x=\"{LABEL_W}\" y=\"{by:.1}\" width=\"{bw:.1}\" height=\"{bar_h}\"/>"
            );
        }
        w!(
            svg,
            "<text class=\"muted\" x=\"{:.1}\" y=\"{mid:.1}\">{}</text>",
            LABEL_W + BAR_W + 8.0,
            escape(&row.value)
        );
        y += h;
    }
    svg.push_str("</svg>\n");
    svg
}

fn flag_badges(risk: bool, follow_up: bool) -> String {
    let mut out = String::new();
    if risk {
        out.push_str("<span class=\"flag risk\">RISK</span> ");
    }
    if follow_up {
        out.push_str("<span class=\"flag follow\">FOLLOW-UP</span> ");
    }
    out
}

/// The supervisors' comments on `target`, as list items.
fn comments(supervised: &Supervised, target: &Target) -> String {
    let items: String = supervised
        .review
        .about(target)
        .map(|r: &Record| format!("<li class=\"comment\">↳ {}</li>", text(&super::record_words(r))))
        .collect();
    if items.is_empty() {
        items
    } else {
        format!("<ul class=\"notes\">{items}</ul>")
    }
}

/// The report of one session.
pub fn session(
    s: &Summary,
    observations: &[Attached],
    supervised: &Supervised,
    wrapup: &Found,
    problems: &[String],
) -> String {
    let mut b = String::new();
    w!(
        b,
        "<p class=\"status\"><strong>Status:</strong> {}</p>\n",
        text(&super::status_words(supervised))
    );
    for problem in problems {
        w!(b, "<p class=\"callout\">⚠ {}</p>\n", text(problem));
    }
    if supervised.changed_after_sign_off {
        w!(
            b,
            "<p class=\"callout changed\"><strong>⚠ {}</strong></p>\n",
            escape(super::CHANGED_AFTER_SIGN_OFF)
        );
    }
    w!(b, "<h1>{}</h1>\n", text(&s.title));
    let series = s
        .series
        .as_ref()
        .map(|x| format!(" · session {} of {}", x.session, x.of))
        .unwrap_or_default();
    w!(
        b,
        "<p class=\"meta\">{} · {} · {}{}</p>\n",
        escape(&s.group),
        escape(&s.kind),
        escape(&s.date),
        escape(&series)
    );
    b.push_str("<section><dl class=\"facts\">");
    let facilitators: Vec<String> = s
        .facilitators
        .iter()
        .map(|f| format!("{} ({})", f.name, f.role))
        .collect();
    let facts = [
        ("Facilitators", facilitators.join(", ")),
        ("Trainees", s.trainees.join(", ")),
        (
            "Time",
            format!(
                "{} planned, {} actual, {}",
                fmt::duration(s.planned_secs),
                fmt::duration(s.actual_secs),
                over_under_words(s.over_under_secs)
            ),
        ),
        (
            "Attendance",
            format!("{} of {} on the roster", s.present_count(), s.attendance.len()),
        ),
        (
            "Flags",
            format!("{} risk, {} follow-up", s.flags.risk, s.flags.follow_up),
        ),
    ];
    for (k, v) in facts {
        if !v.is_empty() {
            w!(b, "<dt>{k}</dt><dd>{}</dd>", escape(&v));
        }
    }
    b.push_str("</dl></section>\n");

    let flagged: Vec<_> = s.notes.iter().filter(|n| n.risk || n.follow_up).collect();
    if !flagged.is_empty() {
        b.push_str("<section><h2>Flags</h2><ul class=\"notes\">");
        for n in flagged {
            w!(
                b,
                "<li>{}<span class=\"at\">{}</span> · {} · {}</li>",
                flag_badges(n.risk, n.follow_up),
                escape(&n.at),
                escape(&n.about),
                text(&n.text)
            );
        }
        b.push_str("</ul></section>\n");
    }

    b.push_str("<section><h2>Attendance</h2><table><tr><th>Member</th><th>Status</th></tr>");
    for a in &s.attendance {
        let at = a.at.as_deref().map(|t| format!(" at {t}")).unwrap_or_default();
        w!(
            b,
            "<tr><td>{}</td><td>{}{}</td></tr>",
            escape(&a.name),
            a.status.label(),
            escape(&at)
        );
    }
    b.push_str("</table></section>\n");

    b.push_str("<section><h2>Time per segment</h2>");
    b.push_str(
        "<p class=\"meta\">Upper bar: planned (after adjustments); lower bar: actual, red when over.</p>",
    );
    let max = s
        .segments
        .iter()
        .map(|x| x.final_planned_secs.max(x.actual_secs).max(x.planned_secs))
        .max()
        .unwrap_or(0) as f64;
    let rows: Vec<Bars> = s
        .segments
        .iter()
        .map(|x| {
            let over = x.actual_secs > x.final_planned_secs;
            let value = match x.status {
                Outcome::Done => format!(
                    "{} of {} ({})",
                    fmt::clock(x.actual_secs),
                    fmt::clock(x.final_planned_secs),
                    fmt::over_under(x.actual_secs as i64 - x.final_planned_secs as i64)
                ),
                other => other.label().to_owned(),
            };
            Bars {
                label: x.title.clone(),
                bars: vec![
                    (x.final_planned_secs as f64, "plan"),
                    (x.actual_secs as f64, if over { "over" } else { "actual" }),
                ],
                value,
            }
        })
        .collect();
    b.push_str(&bar_chart("Planned and actual time per segment", &rows, max));
    b.push_str("</section>\n");

    b.push_str("<section><h2>Airtime</h2>");
    let most = s.airtime.iter().map(|a| a.secs).max().unwrap_or(0) as f64;
    let rows: Vec<Bars> = s
        .airtime
        .iter()
        .map(|a| Bars {
            label: a.member.clone(),
            bars: vec![(a.secs as f64, "actual")],
            value: format!(
                "{} · {} turn{} · {:.0}%{}",
                fmt::clock(a.secs),
                a.turns,
                if a.turns == 1 { "" } else { "s" },
                a.share * 100.0,
                if a.spoke { "" } else { " · never spoke" }
            ),
        })
        .collect();
    b.push_str(&bar_chart("Airtime per member", &rows, most));
    if !s.never_spoke.is_empty() {
        w!(
            b,
            "<p class=\"callout\"><strong>Never spoke:</strong> {}</p>",
            escape(&s.never_spoke.join(", "))
        );
    }
    b.push_str("</section>\n");

    if let Some(svg) = timeline_svg(s) {
        b.push_str("<section><h2>Turns</h2>");
        b.push_str("<p class=\"meta\">Each bar a turn; dashed: passed.</p>");
        b.push_str(&svg);
        b.push_str(
            "<table><tr><th>Start</th><th>Member</th><th>Segment</th><th class=\"num\">Length</th></tr>",
        );
        for t in &s.turns {
            w!(
                b,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
                escape(&t.start),
                escape(&t.member),
                escape(&t.segment),
                if t.passed {
                    "passed".to_owned()
                } else {
                    fmt::clock(t.length_secs)
                }
            );
        }
        b.push_str("</table></section>\n");
    }

    b.push_str("<section><h2>Notes by tag</h2>");
    let notes_html = notes_by_tag(s, supervised);
    if observations.is_empty() {
        b.push_str(&notes_html);
    } else {
        b.push_str("<div class=\"columns\"><div><h3>Facilitators</h3>");
        b.push_str(&notes_html);
        b.push_str("</div><div>");
        for a in observations {
            let obs = &a.observations;
            w!(
                b,
                "<h3>Observations by {}</h3><p class=\"meta\">{}</p><ul class=\"notes\">",
                escape(&a.author_label()),
                super::how_words(a.how)
            );
            for n in &obs.notes {
                let segment = n
                    .segment
                    .as_deref()
                    .map(|x| format!(" · {}", escape(x)))
                    .unwrap_or_default();
                let flags = flag_badges(
                    n.tags.iter().any(|t| t == "risk"),
                    n.tags.iter().any(|t| t == "follow-up"),
                );
                let target = Target::Observation {
                    trainee: obs.trainee.clone(),
                    note: note_key(&n.at, &n.about, &n.text),
                };
                w!(
                    b,
                    "<li>{flags}<span class=\"at\">{}</span>{segment} · {} · {}{}</li>",
                    escape(&n.at),
                    escape(&n.about),
                    text(&n.text_with_tags()),
                    comments(supervised, &target)
                );
            }
            b.push_str("</ul>");
        }
        b.push_str("</div></div>");
    }
    b.push_str("</section>\n");
    let present = super::commentable(s, observations);
    let stranded: Vec<&Record> = supervised.review.comments_not_on(&present).collect();
    if !stranded.is_empty() {
        w!(
            b,
            "<section><h2>{}</h2><ul class=\"notes\">",
            escape(super::COMMENTS_ON_CHANGED)
        );
        for r in stranded {
            w!(b, "<li>↳ {}</li>", text(&super::record_words(r)));
        }
        b.push_str("</ul></section>\n");
    }
    b.push_str(&super::wrapup::html(wrapup));
    let records: Vec<&Record> = supervised.review.session_records().collect();
    if !records.is_empty() {
        b.push_str("<section><h2>Supervision</h2><ul class=\"notes\">");
        for r in records {
            w!(
                b,
                "<li>{}</li>",
                text(&super::history_words(&supervised.review, r))
            );
        }
        b.push_str("</ul></section>\n");
    }
    page(&format!("{} · {}", s.title, s.date), &b)
}

fn notes_by_tag(s: &Summary, supervised: &Supervised) -> String {
    let mut b = String::new();
    if s.notes.is_empty() {
        b.push_str("<p>No notes were taken.</p>");
    }
    for (tag, notes) in by_tag(&s.notes) {
        match &tag {
            Some(tag) => w!(b, "<h3>#{}</h3><ul class=\"notes\">", escape(tag)),
            None => b.push_str("<h3>Untagged</h3><ul class=\"notes\">"),
        }
        for n in notes {
            let correction = n.correction().map_or_else(String::new, |words| {
                let class = if n.withdrawn.is_some() {
                    "withdrawn"
                } else {
                    "amended"
                };
                format!(" <span class=\"{class}\">({})</span>", escape(&words))
            });
            w!(
                b,
                "<li><span class=\"at\">{}</span> · {} · {}{correction}{}</li>",
                escape(&n.at),
                escape(&n.about),
                text(&n.text),
                comments(supervised, &Target::Note(note_key(&n.at, &n.about, &n.text)))
            );
        }
        b.push_str("</ul>");
    }
    b
}

fn over_under_words(secs: i64) -> String {
    match secs {
        0 => "on time".into(),
        s if s > 0 => format!("{} over", fmt::duration(s as u64)),
        s => format!("{} under", fmt::duration(s.unsigned_abs())),
    }
}

fn timeline_svg(s: &Summary) -> Option<String> {
    let t = timeline(s)?;
    let row_h = 16.0;
    let top = 18.0;
    let width = LABEL_W + BAR_W + VALUE_W;
    let plot = BAR_W + VALUE_W - 10.0;
    let height = top + t.rows.len() as f64 * row_h + 4.0;
    let scale = plot / t.length as f64;
    let mut svg = String::new();
    w!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" \
         height=\"{height}\" role=\"img\" aria-label=\"Turns over time\"><title>Turns over time</title>"
    );
    // A tick every 15 minutes, labelled with the local time.
    let mut tick = 0;
    while tick <= t.length {
        let x = LABEL_W + tick as f64 * scale;
        let at = (t.start + tick) % (24 * 3600);
        w!(
            svg,
            "<line class=\"axis\" x1=\"{x:.1}\" y1=\"{}\" x2=\"{x:.1}\" y2=\"{height}\" stroke-width=\"1\"/>\
             <text class=\"muted\" x=\"{x:.1}\" y=\"12\">{:02}:{:02}</text>",
            top - 4.0,
            at / 3600,
            at / 60 % 60
        );
        tick += 900;
    }
    for (i, (member, spans)) in t.rows.iter().enumerate() {
        let y = top + i as f64 * row_h;
        w!(
            svg,
            "<text x=\"0\" y=\"{:.1}\">{}</text>",
            y + 11.0,
            escape(&fmt::truncate(member, 30))
        );
        for span in spans {
            let x = LABEL_W + span.from as f64 * scale;
            let w = ((span.to - span.from) as f64 * scale).max(2.0);
            let class = if span.passed { "passed" } else { "actual" };
            w!(
                svg,
                "<rect class=\"{class}\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\"/>",
                y + 2.0,
                row_h - 5.0
            );
        }
    }
    svg.push_str("</svg>\n");
    Some(svg)
}

/// A bar chart with a row per session of the series: `bars` gives its bars and value.
fn per_session_chart(
    s: &Series,
    caption: &str,
    bars: impl Fn(&crate::review::series::SeriesSession) -> (Vec<(f64, &'static str)>, String),
) -> String {
    let rows: Vec<Bars> = s
        .sessions
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let (bars, value) = bars(x);
            Bars {
                label: format!("{}. {}", i + 1, x.date),
                bars,
                value,
            }
        })
        .collect();
    let max = rows
        .iter()
        .flat_map(|r| r.bars.iter().map(|(v, _)| *v))
        .fold(0.0, f64::max);
    bar_chart(caption, &rows, max)
}

/// The report of a group across its sessions.
pub fn group(s: &Series) -> String {
    let mut b = String::new();
    w!(b, "<h1>{}</h1>\n", text(&s.group));
    if let (Some(first), Some(last)) = (s.sessions.first(), s.sessions.last()) {
        w!(
            b,
            "<p class=\"meta\">{} sessions, {} to {} · {} members · {} flags</p>\n",
            s.sessions.len(),
            escape(&first.date),
            escape(&last.date),
            s.members.len(),
            s.flags.len()
        );
    }

    b.push_str(
        "<section><h2>Sessions</h2><table><tr><th>#</th><th>Date</th><th>Session</th><th>Title</th>\
                <th class=\"num\">Present</th><th class=\"num\">Over/under</th><th>Flags</th><th>Status</th></tr>",
    );
    for (i, x) in s.sessions.iter().enumerate() {
        w!(
            b,
            "<tr><td>{}</td><td>{} {}</td><td>{}</td><td>{}</td><td class=\"num\">{}/{}</td>\
             <td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            i + 1,
            escape(&x.date),
            escape(&x.time),
            escape(&x.label),
            escape(&x.title),
            x.present,
            x.roster,
            fmt::over_under(x.over_under_secs),
            fmt::flags(x.risk, x.follow_up),
            escape(&x.status)
        );
    }
    b.push_str("</table>");
    b.push_str("<h3>Time over (red) or under (green) the plan</h3>");
    b.push_str(&per_session_chart(
        s,
        "Time over or under the plan per session",
        |x| {
            (
                vec![(
                    x.over_under_secs.unsigned_abs() as f64,
                    if x.over_under_secs > 0 { "over" } else { "under" },
                )],
                over_under_words(x.over_under_secs),
            )
        },
    ));
    b.push_str("</section>\n");

    b.push_str("<section><h2>Attendance</h2><p class=\"meta\">P present · L late · E left early · · absent · \
                blank: not on the roster. Columns are the sessions above.</p><table class=\"grid\"><tr><th>Member</th>");
    for i in 1..=s.sessions.len() {
        w!(b, "<th>{i}</th>");
    }
    b.push_str("<th class=\"num\">Attended</th></tr>");
    for m in s.member_order() {
        let name = &member_label(s, m);
        w!(b, "<tr><td>{}</td>", escape(name));
        for c in 0..s.sessions.len() {
            let p = s.attendance.get(m).and_then(|row| row.get(c)).copied().flatten();
            let mark = presence_mark(p);
            let class = match mark {
                "·" => "A",
                other => other,
            };
            w!(b, "<td class=\"mark-{}\">{}</td>", class.trim(), escape(mark));
        }
        let t = s.totals.get(m).cloned().unwrap_or_default();
        w!(b, "<td class=\"num\">{}/{}</td></tr>", t.attended, t.on_roster);
    }
    b.push_str("</table></section>\n");

    b.push_str("<section><h2>Airtime across sessions</h2>");
    let most = s.totals.iter().map(|t| t.secs).max().unwrap_or(0) as f64;
    let rows: Vec<Bars> = s
        .members
        .iter()
        .zip(&s.totals)
        .map(|(name, t)| Bars {
            label: name.clone(),
            bars: vec![(t.secs as f64, "actual")],
            value: format!(
                "{} · {} turns{}",
                fmt::duration(t.secs),
                t.turns,
                if t.silent > 0 {
                    format!(" · silent in {}", t.silent)
                } else {
                    String::new()
                }
            ),
        })
        .collect();
    b.push_str(&bar_chart("Total airtime per member", &rows, most));
    b.push_str("<table class=\"grid\"><tr><th>Member (minutes)</th>");
    for i in 1..=s.sessions.len() {
        w!(b, "<th>{i}</th>");
    }
    b.push_str("</tr>");
    for m in s.member_order() {
        let name = &member_label(s, m);
        w!(b, "<tr><td>{}</td>", escape(name));
        for c in 0..s.sessions.len() {
            match s.airtime.get(m).and_then(|row| row.get(c)).copied().flatten() {
                Some(secs) => w!(b, "<td>{}</td>", fmt::minutes(secs)),
                None => b.push_str("<td class=\"mark-A\">–</td>"),
            }
        }
        b.push_str("</tr>");
    }
    b.push_str("</table></section>\n");

    b.push_str("<section><h2>Flag trend</h2><p class=\"meta\">Upper bar: risk notes; lower bar: follow-up notes, per session.</p>");
    b.push_str(&per_session_chart(
        s,
        "Risk and follow-up notes per session",
        |x| {
            (
                vec![(x.risk as f64, "over"), (x.follow_up as f64, "plan")],
                format!("{} risk · {} follow-up", x.risk, x.follow_up),
            )
        },
    ));
    b.push_str("</section>\n");

    let (all, risk, follow) = s.flag_counts();
    w!(
        b,
        "<section><h2>Flags</h2><p class=\"meta\">{all} flagged notes: {risk} risk, {follow} follow-up (a note with both counts once).</p>"
    );
    if s.flags.is_empty() {
        b.push_str("<p>No risk or follow-up flags in this group.</p>");
    } else {
        b.push_str("<ul class=\"notes\">");
        for f in &s.flags {
            w!(
                b,
                "<li>{}<span class=\"at\">{} {}</span> {} ({}) · {} · {}</li>",
                flag_badges(f.note.risk, f.note.follow_up),
                escape(&f.date),
                escape(&f.note.at),
                escape(&f.session),
                escape(&f.title),
                escape(&f.note.about),
                text(&f.note.text)
            );
        }
        b.push_str("</ul>");
    }
    b.push_str("</section>\n");
    page(&format!("{} · group report", s.group), &b)
}
