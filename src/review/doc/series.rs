//! A group's series: attendance as a members × sessions grid, airtime per member across
//! sessions, and every flag with its session. The grids scroll sideways when the
//! sessions do not fit.

use super::text::{fit, fit_right, wrap};
use super::{DocLine, Look, Piece, Tone, bold, heading, push_parts, tone};
use crate::review::browser::SeriesScreen;
use crate::review::export::flag_label;
use crate::review::fmt;
use crate::review::series::{Series, presence_mark, sparkline};
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
    let (flagged, risk, follow) = s.flag_counts();
    let former = if s.former.is_empty() {
        String::new()
    } else {
        format!(" ({} former)", s.former.len())
    };
    let mut summary = vec![
        format!("{} sessions, {} to {}", s.sessions.len(), first.date, last.date),
        format!("{} members{former}", s.members.len()),
        format!("{flagged} flagged notes ({risk} risk, {follow} follow-up)"),
    ];
    if to - from < s.sessions.len() {
        summary.push(format!("showing sessions {}–{} (←→)", from + 1, to));
    }
    push_parts(&mut out, &summary, width, muted);
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
    let year = |c: usize| {
        s.sessions
            .get(c)
            .and_then(|x| x.date.get(..4))
            .unwrap_or_default()
            .to_owned()
    };
    // Columns of more than one year say which: `12-27` beside `12-01` hides a gap of years.
    let years_differ = (from..to)
        .map(year)
        .collect::<std::collections::BTreeSet<_>>()
        .len()
        > 1;
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
        " Attendance: P present · L late · E left early · · absent · ? not recorded",
    ));
    if years_differ {
        out.push(head("", "", &year));
    }
    out.push(head("", "", &date));
    out.push(head("", "attended", &place));
    for m in s.member_order() {
        let mut spans = member_row(&mut out, s, m);
        for c in from..to {
            let p = s.attendance.get(m).and_then(|r| r.get(c)).copied().flatten();
            let style = match p {
                Some(Presence::Present) => tone(Tone::Done),
                Some(Presence::Late | Presence::LeftEarly) => bold(Tone::Warning),
                Some(Presence::Absent) => tone(Tone::Unheard),
                Some(Presence::NotRecorded) => tone(Tone::Muted),
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

    out.push(heading(
        " Airtime: minutes per session (seconds under one) · – not there",
    ));
    if years_differ {
        out.push(head("", "", &year));
    }
    out.push(head("", "", &date));
    out.push(head("", "total · turns · silent", &place));
    let most = s.totals.iter().map(|t| t.secs).max().unwrap_or(0);
    for m in s.member_order() {
        let mut spans = member_row(&mut out, s, m);
        for c in from..to {
            let cell = match s.airtime.get(m).and_then(|r| r.get(c)).copied().flatten() {
                Some(0) => Piece::styled(fit_right("0", CELL_W), tone(Tone::Unheard)),
                Some(secs) => Piece::styled(fit_right(&fmt::minutes(secs), CELL_W), tone(Tone::Airtime)),
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

    trends(&mut out, s, width);
    members(&mut out, s, width);
    flags(&mut out, s, width);
    out
}

/// The start of a grid row for member `m`: their name in the name column (after the
/// former members' heading, if they are the first of them).
fn member_row(out: &mut Vec<DocLine>, s: &Series, m: usize) -> Vec<Piece> {
    former_heading(out, s, m);
    let name = s.members.get(m).map(String::as_str).unwrap_or_default();
    vec![Piece::styled(
        fit(&format!(" {name}"), NAME_W + 1),
        tone(Tone::Text),
    )]
}

/// Before the first former member, a line that says the rest are former members.
fn former_heading(out: &mut Vec<DocLine>, s: &Series, m: usize) {
    if s.former.first() == Some(&m) {
        out.push(DocLine::from(Piece::styled(
            " Former members (not on the newest session's roster)",
            tone(Tone::Muted),
        )));
    }
}

/// A sparkline of the newest of `values` that fit in `cells` (`…` first when the older
/// ones do not): the newest sessions are the ones a supervisor looks for.
fn newest_sparkline(values: &[Option<u64>], cells: usize) -> String {
    if values.len() <= cells {
        return sparkline(values);
    }
    let shown = cells.saturating_sub(1);
    format!("…{}", sparkline(&values[values.len() - shown..]))
}

/// Risk and follow-up notes per session across the whole series, oldest to newest.
fn trends(out: &mut Vec<DocLine>, s: &Series, width: usize) {
    out.push(heading(" Flag trend: flagged notes per session, oldest → newest"));
    let line = |label: &str, values: Vec<Option<u64>>, look: Look| {
        let total: u64 = values.iter().flatten().sum();
        let suffix = format!("  {total} in all");
        let cells = width.saturating_sub(NAME_W + 1 + suffix.chars().count());
        DocLine::new(vec![
            Piece::styled(fit(&format!(" {label}"), NAME_W + 1), tone(Tone::Muted)),
            Piece::styled(newest_sparkline(&values, cells), look),
            Piece::styled(suffix, tone(Tone::Muted)),
        ])
    };
    out.push(line(
        "risk",
        s.sessions.iter().map(|x| Some(x.risk as u64)).collect(),
        bold(Tone::Risk),
    ));
    out.push(line(
        "follow-up",
        s.sessions.iter().map(|x| Some(x.follow_up as u64)).collect(),
        tone(Tone::FollowUp),
    ));
    out.push(DocLine::blank());
}

/// Each member across the series: attendance rate, time in the room, airtime per session
/// as a sparkline, flags about them, and the sessions they attended.
fn members(out: &mut Vec<DocLine>, s: &Series, width: usize) {
    out.push(heading(" Members across the series"));
    for m in s.member_order() {
        former_heading(out, s, m);
        let name = s.members.get(m).map(String::as_str).unwrap_or_default();
        let t = s.totals.get(m).cloned().unwrap_or_default();
        let airtime: Vec<Option<u64>> = s.airtime.get(m).cloned().unwrap_or_default();
        let flags = if t.flags > 0 {
            format!(" · {} flagged", t.flags)
        } else {
            String::new()
        };
        out.push(DocLine::new(vec![
            Piece::styled(fit(&format!(" {name}"), NAME_W + 1), tone(Tone::Text)),
            Piece::styled(
                format!(
                    "{}/{} attended ({}%) · {} in the room · airtime {}",
                    t.attended,
                    t.on_roster,
                    t.attendance_rate(),
                    fmt::duration(t.attended_secs),
                    fmt::duration(t.secs)
                ),
                tone(Tone::Muted),
            ),
        ]));
        // The trend on a line of its own, so the newest sessions always show.
        let label = "airtime per session: ";
        let cells = width.saturating_sub(NAME_W + 1 + label.len() + flags.chars().count());
        out.push(DocLine::new(vec![
            Piece::plain(" ".repeat(NAME_W + 1)),
            Piece::styled(label, tone(Tone::Muted)),
            Piece::styled(newest_sparkline(&airtime, cells), tone(Tone::Airtime)),
            Piece::bold(flags, Tone::Risk),
        ]));
        let attended: Vec<String> = s
            .sessions
            .iter()
            .enumerate()
            .filter(|(c, _)| {
                s.attendance
                    .get(m)
                    .and_then(|r| r.get(*c))
                    .copied()
                    .flatten()
                    .is_some_and(|p| p.attended())
            })
            .map(|(_, x)| x.date.clone())
            .collect();
        let text = format!("sessions: {}", attended.join(" "));
        for l in wrap(&text, width.saturating_sub(NAME_W + 3).max(10)) {
            out.push(DocLine::new(vec![
                Piece::plain(" ".repeat(NAME_W + 1)),
                Piece::styled(l, tone(Tone::Muted)),
            ]));
        }
    }
    out.push(DocLine::blank());
}

fn flags(out: &mut Vec<DocLine>, s: &Series, width: usize) {
    let (all, risk, follow) = s.flag_counts();
    out.push(heading(&format!(
        " Flagged notes ({all}: {risk} risk, {follow} follow-up), newest first"
    )));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_of_more_than_one_year_say_which() -> Result<(), crate::summary::SummaryError> {
        use crate::review::browser::SeriesScreen;
        use std::path::PathBuf;
        let first = crate::summary::parse_summary(include_str!("../../../tests/fixtures/summary-v1.ron"))?;
        let mut later = first.clone();
        later.date = "2026-12-01".into();
        let text = |series| -> Vec<String> {
            lines(&SeriesScreen::new(series), 100)
                .iter()
                .map(|l| l.text())
                .collect()
        };
        let two_years = text(crate::review::series::build(
            "g",
            vec![(PathBuf::from("a"), first.clone()), (PathBuf::from("b"), later)],
        ));
        assert!(
            two_years
                .iter()
                .any(|l| l.contains("2025") && l.contains("2026") && !l.contains('-')),
            "{two_years:#?}"
        );
        let one_year = text(crate::review::series::build(
            "g",
            vec![(PathBuf::from("a"), first)],
        ));
        assert!(!one_year.iter().any(|l| l.trim() == "2025"), "{one_year:#?}");
        Ok(())
    }

    #[test]
    fn a_trend_too_long_for_the_line_keeps_its_newest_sessions() {
        let values: Vec<Option<u64>> = (0..10).map(Some).collect();
        assert_eq!(newest_sparkline(&values, 10).chars().count(), 10);
        let cut = newest_sparkline(&values, 4);
        assert_eq!(cut.chars().count(), 4);
        assert!(cut.starts_with('…'), "{cut}");
        assert!(cut.ends_with('█'), "the newest, highest, is there: {cut}");
    }
}
