//! One session: a header, then planned vs actual per segment, airtime per member and who
//! never spoke, the turns on a time line, and the notes by tag (risk first) with any
//! trainee's observations beside them. The whole is one document that scrolls.

use std::sync::LazyLock;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::text::{bar, beside, fit, fit_right, wrap};
use super::{body_height, document, heading};
use crate::observations::Observations;
use crate::review::browser::SessionScreen;
use crate::review::fmt;
use crate::review::notes::{by_tag, timeline};
use crate::summary::{Outcome, Presence, Summary};
use crate::theme::Theme;

/// Observations go beside the notes from this width; below it, after them.
pub const BESIDE_FROM: usize = 100;

pub fn draw(frame: &mut Frame, area: Rect, screen: &SessionScreen, theme: &Theme) {
    let lines = lines(screen, usize::from(area.width), theme);
    document(frame, area, lines, screen.scroll, theme);
}

/// How far the document can scroll in a terminal of `size`.
pub fn max_scroll(screen: &SessionScreen, size: (u16, u16)) -> usize {
    static PLAIN: LazyLock<Theme> = LazyLock::new(|| Theme::dark().monochrome());
    lines(screen, usize::from(size.0), &PLAIN)
        .len()
        .saturating_sub(body_height(size))
}

/// The document of one session, `width` columns wide.
pub fn lines(screen: &SessionScreen, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let s = match &screen.summary {
        Ok(s) => s,
        Err(reason) => {
            let mut out = vec![
                Line::from(Span::styled(
                    " This file did not open.",
                    Style::new().fg(theme.error).add_modifier(Modifier::BOLD),
                )),
                Line::from(""),
            ];
            for l in wrap(
                &format!("{}: {reason}", screen.path.display()),
                width.saturating_sub(2),
            ) {
                out.push(Line::from(format!(" {l}")));
            }
            out.push(Line::from(""));
            out.push(Line::from(Span::styled(
                " Every other summary still opens: press Esc to go back.",
                Style::new().fg(theme.muted),
            )));
            return out;
        }
    };
    let mut out = Vec::new();
    header(&mut out, s, width, theme);
    segments(&mut out, s, width, theme);
    airtime(&mut out, s, width, theme);
    turns(&mut out, s, width, theme);
    notes(&mut out, s, &screen.observations, width, theme);
    for problem in &screen.observation_problems {
        out.push(Line::from(Span::styled(
            format!(" An observations file did not open: {problem}"),
            Style::new().fg(theme.warning),
        )));
    }
    out
}

fn label(text: &str) -> Span<'static> {
    Span::raw(text.to_owned())
}

fn header(out: &mut Vec<Line<'static>>, s: &Summary, width: usize, theme: &Theme) {
    let muted = Style::new().fg(theme.muted);
    for (i, l) in wrap(&s.title, width.saturating_sub(2)).into_iter().enumerate() {
        out.push(Line::from(Span::styled(
            format!(" {l}"),
            Style::new()
                .fg(theme.text)
                .add_modifier(if i == 0 { Modifier::BOLD } else { Modifier::empty() }),
        )));
    }
    let mut about = vec![s.group.clone(), s.kind.clone()];
    let start = crate::review::index::start_time(s);
    let end = s
        .ended
        .as_deref()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.format("%H:%M").to_string());
    about.push(match (start.is_empty(), end) {
        (false, Some(end)) => format!("{} {start}–{end}", s.date),
        (false, None) => format!("{} {start}", s.date),
        _ => s.date.clone(),
    });
    if let Some(x) = &s.series {
        about.push(format!("session {} of {}", x.session, x.of));
    }
    push_wrapped(out, &about.join(" · "), width, muted);
    let facilitators: Vec<String> = s
        .facilitators
        .iter()
        .map(|f| format!("{} ({})", f.name, f.role))
        .collect();
    let people = format!("Facilitators: {}", facilitators.join(", "));
    push_wrapped(out, &people, width, Style::new().fg(theme.text));
    if !s.trainees.is_empty() {
        push_wrapped(out, &format!("Trainees: {}", s.trainees.join(", ")), width, muted);
    }

    let over_style = if s.over_under_secs > 0 {
        Style::new().fg(theme.overtime).add_modifier(Modifier::BOLD)
    } else {
        Style::new().fg(theme.text)
    };
    let mut time = vec![
        Span::styled(" Time ", muted),
        label(&format!(
            "{} of {} planned ",
            fmt::duration(s.actual_secs),
            fmt::duration(s.planned_secs)
        )),
        Span::styled(fmt::over_under(s.over_under_secs), over_style),
    ];
    if s.paused_secs > 0 {
        time.push(Span::styled(
            format!(" · paused {}", fmt::duration(s.paused_secs)),
            muted,
        ));
    }
    time.push(Span::styled("  Present ", muted));
    time.push(label(&format!("{}/{}", s.present_count(), s.attendance.len())));
    time.push(Span::styled("  Flags ", muted));
    if s.flags.risk + s.flags.follow_up == 0 {
        time.push(Span::styled("none", muted));
    } else {
        time.extend(super::list::flag_spans(s.flags.risk, s.flags.follow_up, 0, theme));
    }
    out.push(Line::from(time));
    let away: Vec<String> = s
        .attendance
        .iter()
        .filter(|a| a.status != Presence::Present)
        .map(|a| match &a.at {
            Some(at) => format!("{} {} {at}", a.name, a.status.label()),
            None => format!("{} {}", a.name, a.status.label()),
        })
        .collect();
    if !away.is_empty() {
        push_wrapped(out, &format!("Attendance: {}", away.join(" · ")), width, muted);
    }
    out.push(Line::from(""));
}

fn push_wrapped(out: &mut Vec<Line<'static>>, text: &str, width: usize, style: Style) {
    for l in wrap(text, width.saturating_sub(2)) {
        out.push(Line::from(Span::styled(format!(" {l}"), style)));
    }
}

/// Width of the label column of the charts.
fn label_width(width: usize) -> usize {
    (width / 3).clamp(12, 30)
}

fn segments(out: &mut Vec<Line<'static>>, s: &Summary, width: usize, theme: &Theme) {
    out.push(heading(" Segments: planned ░ and actual █", theme));
    let lw = label_width(width);
    let value_w = 16;
    let cells = width.saturating_sub(lw + value_w + 3);
    let max = s
        .segments
        .iter()
        .map(|x| x.final_planned_secs.max(x.actual_secs))
        .max()
        .unwrap_or(0);
    for x in &s.segments {
        let over = x.actual_secs > x.final_planned_secs && x.status == Outcome::Done;
        let actual_style = if over {
            Style::new().fg(theme.overtime)
        } else {
            Style::new().fg(theme.done)
        };
        let plan = bar(x.final_planned_secs, max, cells, '░');
        out.push(Line::from(vec![
            Span::raw(" "),
            Span::styled(fit(&x.title, lw), Style::new().fg(theme.text)),
            Span::raw(" "),
            Span::styled(fit(&plan, cells), Style::new().fg(theme.muted)),
            Span::raw(" "),
            Span::styled(
                fit(&format!("{} plan", fmt::clock(x.final_planned_secs)), value_w),
                Style::new().fg(theme.muted),
            ),
        ]));
        let (value, value_style) = match x.status {
            Outcome::Done => (
                format!(
                    "{} {}",
                    fmt::clock(x.actual_secs),
                    fmt::over_under(x.actual_secs as i64 - x.final_planned_secs as i64)
                ),
                actual_style,
            ),
            other => (other.label().to_owned(), Style::new().fg(theme.skipped)),
        };
        let mut note = x.kind.clone();
        if x.adjusted_secs != 0 {
            note.push_str(&format!(", adjusted {}", fmt::over_under(x.adjusted_secs)));
        }
        if x.rebalanced {
            note.push_str(", rebalanced");
        }
        out.push(Line::from(vec![
            Span::raw("   "),
            Span::styled(fit(&note, lw - 2), Style::new().fg(theme.muted)),
            Span::raw(" "),
            Span::styled(fit(&bar(x.actual_secs, max, cells, '█'), cells), actual_style),
            Span::raw(" "),
            Span::styled(fit(&value, value_w), value_style),
        ]));
    }
    out.push(Line::from(""));
}

fn airtime(out: &mut Vec<Line<'static>>, s: &Summary, width: usize, theme: &Theme) {
    out.push(heading(" Airtime", theme));
    let lw = label_width(width).min(20);
    let value_w = 24;
    let cells = width.saturating_sub(lw + value_w + 3);
    let most = s.airtime.iter().map(|a| a.secs).max().unwrap_or(0);
    for a in &s.airtime {
        let value = format!(
            "{} · {} turn{} · {:.0}%",
            fmt::clock(a.secs),
            a.turns,
            if a.turns == 1 { "" } else { "s" },
            a.share * 100.0
        );
        let (bar_text, bar_style) = if a.spoke {
            (bar(a.secs, most, cells, '█'), Style::new().fg(theme.airtime))
        } else {
            ("○ never spoke".to_owned(), Style::new().fg(theme.unheard))
        };
        out.push(Line::from(vec![
            Span::raw(" "),
            Span::styled(fit(&a.member, lw), Style::new().fg(theme.text)),
            Span::raw(" "),
            Span::styled(fit(&bar_text, cells), bar_style),
            Span::raw(" "),
            Span::styled(fit_right(&value, value_w), Style::new().fg(theme.muted)),
        ]));
    }
    if s.airtime.is_empty() {
        out.push(Line::from(Span::styled(
            " Nobody was present.",
            Style::new().fg(theme.muted),
        )));
    }
    if !s.never_spoke.is_empty() {
        let text = format!("Never spoke: {}", s.never_spoke.join(", "));
        for (i, l) in wrap(&text, width.saturating_sub(4)).into_iter().enumerate() {
            out.push(Line::from(vec![
                Span::styled(if i == 0 { " ○ " } else { "   " }, Style::new().fg(theme.unheard)),
                Span::styled(l, Style::new().fg(theme.unheard).add_modifier(Modifier::BOLD)),
            ]));
        }
    }
    out.push(Line::from(""));
}

fn turns(out: &mut Vec<Line<'static>>, s: &Summary, width: usize, theme: &Theme) {
    let Some(t) = timeline(s) else {
        out.push(heading(" Turns", theme));
        out.push(Line::from(Span::styled(
            " No turns were taken.",
            Style::new().fg(theme.muted),
        )));
        out.push(Line::from(""));
        return;
    };
    out.push(heading(" Turns over time: █ speaking, ○ passed", theme));
    let lw = label_width(width).min(20);
    let cells = width.saturating_sub(lw + 3).max(10);
    let per_cell = (t.length as f64 / cells as f64).max(1.0);
    // Time labels every 15, 30 or 60 minutes, whichever leaves room for them.
    let step = [900u64, 1800, 3600, 7200]
        .into_iter()
        .find(|step| *step as f64 / per_cell >= 7.0)
        .unwrap_or(7200);
    let mut axis: Vec<char> = vec![' '; cells];
    let mut tick = 0;
    while tick <= t.length {
        let at = (tick as f64 / per_cell) as usize;
        let time_of_day = (t.start + tick) % (24 * 3600);
        let text = format!("{:02}:{:02}", time_of_day / 3600, time_of_day / 60 % 60);
        if at + text.len() <= cells {
            for (k, ch) in text.chars().enumerate() {
                axis[at + k] = ch;
            }
        }
        tick += step;
    }
    out.push(Line::from(vec![
        Span::raw(" ".repeat(lw + 2)),
        Span::styled(axis.into_iter().collect::<String>(), Style::new().fg(theme.muted)),
    ]));
    for (member, spans) in &t.rows {
        let mut row: Vec<char> = vec!['·'; cells];
        for span in spans {
            let from = ((span.from as f64 / per_cell) as usize).min(cells - 1);
            if span.passed {
                if row[from] == '·' {
                    row[from] = '○';
                }
                continue;
            }
            let to = ((span.to as f64 / per_cell).ceil() as usize).clamp(from + 1, cells);
            for cell in row.iter_mut().take(to).skip(from) {
                *cell = '█';
            }
        }
        let mut spans_out = vec![
            Span::raw(" "),
            Span::styled(fit(member, lw), Style::new().fg(theme.text)),
            Span::raw(" "),
        ];
        // Runs of one kind of cell share a style: speech in the airtime colour.
        let mut run = String::new();
        let mut run_kind = ' ';
        for ch in row {
            if ch != run_kind && !run.is_empty() {
                spans_out.push(cell_span(std::mem::take(&mut run), run_kind, theme));
            }
            run_kind = ch;
            run.push(ch);
        }
        if !run.is_empty() {
            spans_out.push(cell_span(run, run_kind, theme));
        }
        out.push(Line::from(spans_out));
    }
    out.push(Line::from(Span::styled(
        format!(
            " {} turns, {} passed",
            s.turns.iter().filter(|t| !t.passed).count(),
            s.turns.iter().filter(|t| t.passed).count()
        ),
        Style::new().fg(theme.muted),
    )));
    out.push(Line::from(""));
}

fn cell_span(text: String, kind: char, theme: &Theme) -> Span<'static> {
    let style = match kind {
        '█' => Style::new().fg(theme.airtime),
        '○' => Style::new().fg(theme.skipped),
        _ => Style::new().fg(theme.border),
    };
    Span::styled(text, style)
}

fn tag_style(tag: Option<&str>, theme: &Theme) -> Style {
    match tag {
        Some("risk") => Style::new().fg(theme.risk).add_modifier(Modifier::BOLD),
        Some("follow-up") => Style::new().fg(theme.follow_up).add_modifier(Modifier::BOLD),
        Some(_) => Style::new().fg(theme.tag).add_modifier(Modifier::BOLD),
        None => Style::new().fg(theme.muted).add_modifier(Modifier::BOLD),
    }
}

/// One note: `HH:MM about: text`, wrapped under itself.
fn note_lines(at: &str, about: &str, text: &str, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let at: String = at.chars().take(5).collect();
    let head = format!("{about}: ");
    let indent = 9;
    let body = wrap(&format!("{head}{text}"), width.saturating_sub(indent).max(10));
    body.into_iter()
        .enumerate()
        .map(|(i, l)| {
            let lead = if i == 0 {
                Span::styled(format!("   {at:<5} "), Style::new().fg(theme.muted))
            } else {
                Span::raw(" ".repeat(indent))
            };
            Line::from(vec![lead, Span::styled(l, Style::new().fg(theme.text))])
        })
        .collect()
}

fn facilitator_notes(s: &Summary, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    if s.notes.is_empty() {
        out.push(Line::from(Span::styled(
            " No notes were taken.",
            Style::new().fg(theme.muted),
        )));
    }
    for (tag, notes) in by_tag(&s.notes) {
        let title = match &tag {
            Some(t) => format!(" #{t} ({})", notes.len()),
            None => format!(" untagged ({})", notes.len()),
        };
        out.push(Line::from(Span::styled(title, tag_style(tag.as_deref(), theme))));
        for n in notes {
            out.extend(note_lines(&n.at, &n.about, &n.text, width, theme));
        }
    }
    out
}

fn observation_lines(observations: &[Observations], width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for obs in observations {
        out.push(Line::from(Span::styled(
            format!(" {} (trainee), {} notes", obs.trainee, obs.notes.len()),
            Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
        )));
        for n in &obs.notes {
            let tags: String = n.tags.iter().map(|t| format!(" #{t}")).collect();
            out.extend(note_lines(
                &n.at,
                &n.about,
                &format!("{}{tags}", n.text),
                width,
                theme,
            ));
        }
    }
    out
}

fn notes(
    out: &mut Vec<Line<'static>>,
    s: &Summary,
    observations: &[Observations],
    width: usize,
    theme: &Theme,
) {
    if observations.is_empty() {
        out.push(heading(" Notes by tag", theme));
        out.extend(facilitator_notes(s, width, theme));
        return;
    }
    if width >= BESIDE_FROM {
        let half = (width - 3) / 2;
        out.push(beside(
            heading(" Notes by tag", theme),
            half,
            heading(" Trainee observations", theme),
            Span::styled(" │ ", Style::new().fg(theme.border)),
        ));
        let left = facilitator_notes(s, half, theme);
        let right = observation_lines(observations, half, theme);
        let rows = left.len().max(right.len());
        let mut left = left.into_iter();
        let mut right = right.into_iter();
        for _ in 0..rows {
            out.push(beside(
                left.next().unwrap_or_default(),
                half,
                right.next().unwrap_or_default(),
                Span::styled(" │ ", Style::new().fg(theme.border)),
            ));
        }
    } else {
        out.push(heading(" Notes by tag", theme));
        out.extend(facilitator_notes(s, width, theme));
        out.push(Line::from(""));
        out.push(heading(" Trainee observations", theme));
        out.extend(observation_lines(observations, width, theme));
    }
}
