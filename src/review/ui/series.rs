//! A group's series: attendance as a members × sessions grid, airtime per member across
//! sessions, and every flag with its session. The grids scroll sideways when the
//! sessions do not fit.

use std::sync::LazyLock;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::text::{fit, fit_right, wrap};
use super::{body_height, document, heading};
use crate::review::browser::SeriesScreen;
use crate::review::export::flag_label;
use crate::review::fmt;
use crate::review::series::{Series, presence_mark};
use crate::summary::Presence;
use crate::theme::Theme;

const NAME_W: usize = 16;
const CELL_W: usize = 6;
const TOTAL_W: usize = 24;

/// How many session columns fit in a terminal `width` wide.
pub fn columns_for(width: u16) -> usize {
    (usize::from(width).saturating_sub(NAME_W + TOTAL_W + 2) / CELL_W).max(1)
}

pub fn draw(frame: &mut Frame, area: Rect, screen: &SeriesScreen, theme: &Theme) {
    let lines = lines(screen, usize::from(area.width), theme);
    document(frame, area, lines, screen.scroll, theme);
}

pub fn max_scroll(screen: &SeriesScreen, size: (u16, u16)) -> usize {
    static PLAIN: LazyLock<Theme> = LazyLock::new(|| Theme::dark().monochrome());
    lines(screen, usize::from(size.0), &PLAIN)
        .len()
        .saturating_sub(body_height(size))
}

pub fn lines(screen: &SeriesScreen, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let s = &screen.series;
    let muted = Style::new().fg(theme.muted);
    let mut out = vec![Line::from(Span::styled(
        format!(" {}", s.group),
        Style::new().fg(theme.text).add_modifier(Modifier::BOLD),
    ))];
    let (Some(first), Some(last)) = (s.sessions.first(), s.sessions.last()) else {
        out.push(Line::from(Span::styled(
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
    out.push(Line::from(Span::styled(summary, muted)));
    out.push(Line::from(""));

    // Column heads: the date, and the place in the series.
    let head = |title: &str, total: &str, f: &dyn Fn(usize) -> String| {
        let mut spans = vec![Span::styled(
            fit(&format!(" {title}"), NAME_W + 1),
            Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
        )];
        for c in from..to {
            spans.push(Span::styled(fit_right(&f(c), CELL_W), muted));
        }
        spans.push(Span::styled(format!("  {total}"), muted));
        Line::from(spans)
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
        theme,
    ));
    out.push(head("", "", &date));
    out.push(head("", "attended", &place));
    for (m, name) in s.members.iter().enumerate() {
        let mut spans = vec![Span::styled(
            fit(&format!(" {name}"), NAME_W + 1),
            Style::new().fg(theme.text),
        )];
        for c in from..to {
            let p = s.attendance.get(m).and_then(|r| r.get(c)).copied().flatten();
            let style = match p {
                Some(Presence::Present) => Style::new().fg(theme.done),
                Some(Presence::Late | Presence::LeftEarly) => {
                    Style::new().fg(theme.warning).add_modifier(Modifier::BOLD)
                }
                Some(Presence::Absent) => Style::new().fg(theme.unheard),
                Some(Presence::NotRecorded) => Style::new().fg(theme.muted),
                None => Style::new(),
            };
            spans.push(Span::styled(fit_right(presence_mark(p), CELL_W - 2), style));
            spans.push(Span::raw("  "));
        }
        let t = s.totals.get(m).cloned().unwrap_or_default();
        spans.push(Span::styled(format!("  {}/{}", t.attended, t.on_roster), muted));
        out.push(Line::from(spans));
    }
    let per_session = |title: &str, f: &dyn Fn(usize) -> (String, Style)| {
        let mut spans = vec![Span::styled(fit(&format!(" {title}"), NAME_W + 1), muted)];
        for c in from..to {
            let (text, style) = f(c);
            spans.push(Span::styled(fit_right(&text, CELL_W), style));
        }
        Line::from(spans)
    };
    out.push(per_session("present", &|c| {
        let x = &s.sessions[c];
        (format!("{}/{}", x.present, x.roster), muted)
    }));
    out.push(per_session("over/under", &|c| {
        let x = &s.sessions[c];
        let style = if x.over_under_secs >= 300 {
            Style::new().fg(theme.overtime)
        } else {
            muted
        };
        (fmt::over_under(x.over_under_secs), style)
    }));
    out.push(per_session("flags", &|c| {
        let x = &s.sessions[c];
        let style = if x.risk > 0 {
            Style::new().fg(theme.risk).add_modifier(Modifier::BOLD)
        } else {
            Style::new().fg(theme.follow_up)
        };
        (fmt::flags(x.risk, x.follow_up), style)
    }));
    out.push(Line::from(""));

    out.push(heading(" Airtime: minutes per session · – not there", theme));
    out.push(head("", "", &date));
    out.push(head("", "total · turns · silent", &place));
    let most = s.totals.iter().map(|t| t.secs).max().unwrap_or(0);
    for (m, name) in s.members.iter().enumerate() {
        let mut spans = vec![Span::styled(
            fit(&format!(" {name}"), NAME_W + 1),
            Style::new().fg(theme.text),
        )];
        for c in from..to {
            let cell = match s.airtime.get(m).and_then(|r| r.get(c)).copied().flatten() {
                Some(0) => Span::styled(fit_right("0", CELL_W), Style::new().fg(theme.unheard)),
                Some(secs) => Span::styled(
                    fit_right(&((secs + 30) / 60).to_string(), CELL_W),
                    Style::new().fg(theme.airtime),
                ),
                None => Span::styled(fit_right("–", CELL_W), Style::new().fg(theme.border)),
            };
            spans.push(cell);
        }
        let t = s.totals.get(m).cloned().unwrap_or_default();
        let share = (t.secs * 6).checked_div(most).unwrap_or(0);
        spans.push(Span::styled(
            format!("  {:>7} {:>3} {:>2} ", fmt::duration(t.secs), t.turns, t.silent),
            muted,
        ));
        spans.push(Span::styled(
            "█".repeat(share as usize),
            Style::new().fg(theme.airtime),
        ));
        out.push(Line::from(spans));
    }
    out.push(Line::from(""));

    flags(&mut out, s, width, theme);
    out
}

fn flags(out: &mut Vec<Line<'static>>, s: &Series, width: usize, theme: &Theme) {
    out.push(heading(
        &format!(" Flags ({}), newest first", s.flags.len()),
        theme,
    ));
    if s.flags.is_empty() {
        out.push(Line::from(Span::styled(
            " No risk or follow-up flags in this group.",
            Style::new().fg(theme.muted),
        )));
    }
    for f in &s.flags {
        let style = if f.note.risk {
            Style::new().fg(theme.risk).add_modifier(Modifier::BOLD)
        } else {
            Style::new().fg(theme.follow_up).add_modifier(Modifier::BOLD)
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
                out.push(Line::from(vec![
                    Span::styled(lead.clone(), Style::new().fg(theme.muted)),
                    Span::styled(kind.clone(), style),
                    Span::styled(l, Style::new().fg(theme.text)),
                ]));
            } else {
                out.push(Line::from(vec![
                    Span::raw(" ".repeat(indent)),
                    Span::styled(l, Style::new().fg(theme.text)),
                ]));
            }
        }
    }
}
