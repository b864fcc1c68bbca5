//! A group's series: attendance as a members × sessions grid, airtime per member across
//! sessions, and every flag with its session. The grids scroll sideways when the
//! sessions do not fit.

use super::text::{fit, fit_right, wrap};
use super::{DocLine, Look, Piece, Tone, bold, heading, tone};
use crate::review::browser::SeriesScreen;
use crate::review::export::flag_label;
use crate::review::fmt;
use crate::review::series::{Series, presence_mark};
use crate::summary::Presence;

const NAME_W: usize = 16;
const CELL_W: usize = 6;
const TOTAL_W: usize = 24;

/// How many session columns fit in a terminal `width` wide.
pub fn columns_for(width: u16) -> usize {
    (usize::from(width).saturating_sub(NAME_W + TOTAL_W + 2) / CELL_W).max(1)
}

pub fn lines(screen: &SeriesScreen, width: usize) -> Vec<DocLine> {
    let s = &screen.series;
    let muted = tone(Tone::Muted);
    let mut out = vec![DocLine::from(Piece::styled(
        format!(" {}", s.group),
        bold(Tone::Text),
    ))];
    let (Some(first), Some(last)) = (s.sessions.first(), s.sessions.last()) else {
        out.push(DocLine::from(Piece::styled(
            " No session of this group opens now.",
            muted,
        )));
        return out;
    };
    let columns = columns_for(width as u16);
    let from = screen.first_col.min(s.sessions.len().saturating_sub(1));
    let to = (from + columns).min(s.sessions.len());
    let mut summary = format!(
        " {} sessions, {} to {} · {} members · {} flags",
        s.sessions.len(),
        first.date,
        last.date,
        s.members.len(),
        s.flags.len()
    );
    if to - from < s.sessions.len() {
        summary.push_str(&format!(" · showing sessions {}–{} (←→)", from + 1, to));
    }
    out.push(DocLine::from(Piece::styled(summary, muted)));
    out.push(DocLine::blank());

    // Column heads: the date, and the place in the series.
    let head = |title: &str, total: &str, f: &dyn Fn(usize) -> String| {
        let mut spans = vec![Piece::styled(
            fit(&format!(" {title}"), NAME_W + 1),
            bold(Tone::Accent),
        )];
        for c in from..to {
            spans.push(Piece::styled(fit_right(&f(c), CELL_W), muted));
        }
        spans.push(Piece::styled(format!("  {total}"), muted));
        DocLine::new(spans)
    };
    let date = |c: usize| {
        s.sessions
            .get(c)
            .map(|x| x.date.get(5..).unwrap_or(&x.date).to_owned())
            .unwrap_or_default()
    };
    let place = |c: usize| {
        s.sessions
            .get(c)
            .map(|x| {
                if x.label.is_empty() {
                    format!("#{}", c + 1)
                } else {
                    x.label.clone()
                }
            })
            .unwrap_or_default()
    };

    out.push(heading(
        " Attendance: P present · L late · E left early · · absent",
    ));
    out.push(head("", "", &date));
    out.push(head("", "attended", &place));
    for (m, name) in s.members.iter().enumerate() {
        let mut spans = vec![Piece::styled(
            fit(&format!(" {name}"), NAME_W + 1),
            tone(Tone::Text),
        )];
        for c in from..to {
            let p = s.attendance.get(m).and_then(|r| r.get(c)).copied().flatten();
            let style = match p {
                Some(Presence::Present) => tone(Tone::Done),
                Some(Presence::Late | Presence::LeftEarly) => bold(Tone::Warning),
                Some(Presence::Absent) => tone(Tone::Unheard),
                None => tone(Tone::Plain),
            };
            spans.push(Piece::styled(fit_right(presence_mark(p), CELL_W - 2), style));
            spans.push(Piece::plain("  "));
        }
        let t = s.totals.get(m).cloned().unwrap_or_default();
        spans.push(Piece::styled(format!("  {}/{}", t.attended, t.on_roster), muted));
        out.push(DocLine::new(spans));
    }
    let per_session = |title: &str, f: &dyn Fn(usize) -> (String, Look)| {
        let mut spans = vec![Piece::styled(fit(&format!(" {title}"), NAME_W + 1), muted)];
        for c in from..to {
            let (text, style) = f(c);
            spans.push(Piece::styled(fit_right(&text, CELL_W), style));
        }
        DocLine::new(spans)
    };
    out.push(per_session("present", &|c| {
        let x = &s.sessions[c];
        (format!("{}/{}", x.present, x.roster), muted)
    }));
    out.push(per_session("over/under", &|c| {
        let x = &s.sessions[c];
        let style = if x.over_under_secs >= 300 {
            tone(Tone::Over)
        } else {
            muted
        };
        (fmt::over_under(x.over_under_secs), style)
    }));
    out.push(per_session("flags", &|c| {
        let x = &s.sessions[c];
        let style = if x.risk > 0 {
            bold(Tone::Risk)
        } else {
            tone(Tone::FollowUp)
        };
        (fmt::flags(x.risk, x.follow_up), style)
    }));
    out.push(DocLine::blank());

    out.push(heading(" Airtime: minutes per session · – not there"));
    out.push(head("", "", &date));
    out.push(head("", "total · turns · silent", &place));
    let most = s.totals.iter().map(|t| t.secs).max().unwrap_or(0);
    for (m, name) in s.members.iter().enumerate() {
        let mut spans = vec![Piece::styled(
            fit(&format!(" {name}"), NAME_W + 1),
            tone(Tone::Text),
        )];
        for c in from..to {
            let cell = match s.airtime.get(m).and_then(|r| r.get(c)).copied().flatten() {
                Some(0) => Piece::styled(fit_right("0", CELL_W), tone(Tone::Unheard)),
                Some(secs) => Piece::styled(
                    fit_right(&((secs + 30) / 60).to_string(), CELL_W),
                    tone(Tone::Airtime),
                ),
                None => Piece::styled(fit_right("–", CELL_W), tone(Tone::Rule)),
            };
            spans.push(cell);
        }
        let t = s.totals.get(m).cloned().unwrap_or_default();
        let share = (t.secs * 6).checked_div(most).unwrap_or(0);
        spans.push(Piece::styled(
            format!("  {:>7} {:>3} {:>2} ", fmt::duration(t.secs), t.turns, t.silent),
            muted,
        ));
        spans.push(Piece::styled("█".repeat(share as usize), tone(Tone::Airtime)));
        out.push(DocLine::new(spans));
    }
    out.push(DocLine::blank());

    flags(&mut out, s, width);
    out
}

fn flags(out: &mut Vec<DocLine>, s: &Series, width: usize) {
    out.push(heading(&format!(" Flags ({}), newest first", s.flags.len())));
    if s.flags.is_empty() {
        out.push(DocLine::from(Piece::styled(
            " No risk or follow-up flags in this group.",
            tone(Tone::Muted),
        )));
    }
    for f in &s.flags {
        let style = if f.note.risk {
            bold(Tone::Risk)
        } else {
            bold(Tone::FollowUp)
        };
        let lead = format!(" {} {:<5} ", f.date, f.session);
        let kind = format!("{:<16} ", flag_label(f.note.risk, f.note.follow_up));
        let indent = lead.chars().count() + kind.chars().count();
        let text = format!(
            "{} {}: {}",
            f.note.at.get(..5).unwrap_or(&f.note.at),
            f.note.about,
            f.note.text
        );
        for (i, l) in wrap(&text, width.saturating_sub(indent).max(10))
            .into_iter()
            .enumerate()
        {
            if i == 0 {
                out.push(DocLine::new(vec![
                    Piece::styled(lead.clone(), tone(Tone::Muted)),
                    Piece::styled(kind.clone(), style),
                    Piece::styled(l, tone(Tone::Text)),
                ]));
            } else {
                out.push(DocLine::new(vec![
                    Piece::plain(" ".repeat(indent)),
                    Piece::styled(l, tone(Tone::Text)),
                ]));
            }
        }
    }
}
