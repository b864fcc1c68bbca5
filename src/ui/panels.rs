//! The console's panels: header, current segment with its countdown, speakers and
//! airtime, agenda, notes, session timing and key hints.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Wrap};

use super::format::{self, clock, countdown, drift, label, wall};
use super::popup::Hint;
use super::{SaveMark, Seat, View, bigtext};
use crate::keymap::Action;
use crate::plan::Speaking;
use crate::session::{About, SegmentStatus, State};
use crate::theme::Theme;

fn panel<'a>(title: &'a str, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(Style::default().fg(theme.border))
        .title(Span::styled(
            format!(" {title} "),
            Style::default().fg(theme.accent).add_modifier(Modifier::BOLD),
        ))
}

fn bold(color: Color) -> Style {
    Style::default().fg(color).add_modifier(Modifier::BOLD)
}

pub fn header(frame: &mut Frame, area: Rect, view: &View, theme: &Theme) {
    let state = view.state;
    let mut left = vec![Span::styled(" holdspace ", bold(theme.accent)), Span::raw("│ ")];
    left.push(Span::styled(state.plan.title.clone(), bold(theme.text)));
    if let Some(series) = &state.plan.series {
        left.push(Span::styled(
            format!("  session {} of {}", series.session, series.of),
            Style::default().fg(theme.muted),
        ));
    }
    let clock_state = if state.is_ended() {
        Span::styled("■ ended", bold(theme.muted))
    } else if state.is_running() {
        Span::styled("▶ running", bold(theme.countdown))
    } else if state.started_at.is_some() {
        Span::styled("⏸ PAUSED", bold(theme.paused).add_modifier(Modifier::REVERSED))
    } else {
        Span::styled("⏸ not started", bold(theme.paused))
    };
    let save = match &view.save {
        SaveMark::Saved => Span::styled("✓ saved", Style::default().fg(theme.saved)),
        SaveMark::Saving => Span::styled("… saving", Style::default().fg(theme.muted)),
        SaveMark::Failed(_) => {
            Span::styled("✗ NOT SAVED", bold(theme.error).add_modifier(Modifier::REVERSED))
        }
        SaveMark::NotJournaled => Span::styled("observer", Style::default().fg(theme.muted)),
    };
    let curtain = if state.curtain {
        Span::styled(
            " ◼ curtain ",
            bold(theme.warning).add_modifier(Modifier::REVERSED),
        )
    } else {
        Span::raw("")
    };
    let right = vec![
        curtain,
        Span::raw(" "),
        clock_state,
        Span::raw("  "),
        Span::styled(wall(view.now, view.offset), bold(theme.text)),
        Span::raw("  "),
        save,
        Span::raw(" "),
    ];
    let right_width: usize = right.iter().map(|s| s.width()).sum();
    let left_area = Rect {
        width: area.width.saturating_sub(right_width as u16 + 1),
        ..area
    };
    frame.render_widget(Paragraph::new(Line::from(left)), left_area);
    let right_area = Rect {
        x: area.right().saturating_sub(right_width as u16),
        width: (right_width as u16).min(area.width),
        ..area
    };
    frame.render_widget(Paragraph::new(Line::from(right)), right_area);
}

/// The colour of a countdown: plenty of time, inside a warning threshold, or over.
fn countdown_color(state: &State, remaining: i64, theme: &Theme) -> Color {
    let warn_at = state
        .plan
        .agenda
        .get(state.current)
        .map(|s| {
            state
                .plan
                .warnings_for(s)
                .iter()
                .map(|d| d.as_millis())
                .max()
                .unwrap_or(0)
        })
        .unwrap_or(0);
    if remaining <= 0 {
        theme.overtime
    } else if remaining <= warn_at {
        theme.warning
    } else if state.is_running() {
        theme.countdown
    } else {
        theme.paused
    }
}

pub fn segment(frame: &mut Frame, area: Rect, view: &View, theme: &Theme) {
    let state = view.state;
    let Some(segment) = state.plan.agenda.get(state.current) else {
        return;
    };
    let progress = &state.segments[state.current.min(state.segments.len().saturating_sub(1))];
    let title = format!("{} of {}", state.current + 1, state.plan.agenda.len());
    let block = panel(&title, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let remaining = state.segment_remaining(view.now);
    let color = countdown_color(state, remaining, theme);
    let text = countdown(remaining);
    let mut lines = vec![Line::from(vec![
        Span::styled(segment.title.clone(), bold(theme.text)),
        Span::styled(
            format!("  {}", kind_label(&segment.kind)),
            Style::default().fg(theme.muted),
        ),
    ])];
    let mut planned = format!("planned {}", clock(progress.planned_ms));
    if progress.adjusted_secs != 0 {
        let sign = if progress.adjusted_secs > 0 { '+' } else { '-' };
        let change = crate::plan::PlanDuration::from_secs(progress.adjusted_secs.unsigned_abs());
        planned.push_str(&format!(" ({sign}{change})"));
    }
    planned.push_str(&format!(
        " · elapsed {}",
        clock(state.segment_elapsed(state.current, view.now))
    ));
    if segment.fixed {
        planned.push_str(" · fixed");
    }
    // Overtime and pause are said in words too: colour alone carries no information.
    let status = if remaining <= 0 {
        "OVERTIME "
    } else if !state.is_running() && !state.is_ended() {
        "PAUSED "
    } else {
        ""
    };
    lines.push(Line::from(vec![
        Span::styled(status, bold(color).add_modifier(Modifier::REVERSED)),
        Span::styled(planned, Style::default().fg(theme.muted)),
    ]));

    let mut count_style = bold(color);
    if view.flash {
        count_style = count_style.add_modifier(Modifier::REVERSED);
    }
    let big_fits = inner.height >= 8 && (bigtext::width(&text) as u16) < inner.width;
    if big_fits {
        for row in bigtext::render(&text) {
            lines.push(Line::from(Span::styled(row, count_style)).alignment(Alignment::Center));
        }
    } else {
        lines.push(Line::from(Span::styled(text, count_style)).alignment(Alignment::Center));
    }

    if let Some(exercise) = state.plan.exercise_of(segment) {
        if let Some(step) = exercise.steps.get(state.step) {
            let in_step = state.segment_elapsed(state.current, view.now) - state.step_entered_ms;
            let timer = match step.duration {
                Some(d) => format!(" {}", countdown(d.as_millis() - in_step)),
                None => String::new(),
            };
            lines.push(Line::from(vec![
                Span::styled(
                    format!("Step {}/{}{timer} ", state.step + 1, exercise.steps.len()),
                    bold(theme.accent),
                ),
                Span::styled(step.text.clone(), Style::default().fg(theme.text)),
            ]));
        }
    } else if let Some(prompt) = segment.prompts.first() {
        lines.push(Line::from(vec![
            Span::styled("Prompt ", bold(theme.accent)),
            Span::raw(prompt.clone()),
        ]));
    }
    if let Some(material) = segment.materials.first() {
        lines.push(Line::from(vec![
            Span::styled("Materials ", bold(theme.accent)),
            Span::raw(material.clone()),
        ]));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn kind_label(kind: &crate::plan::SegmentKind) -> String {
    match kind {
        crate::plan::SegmentKind::Custom(name) => name.clone(),
        other => format!("{other:?}"),
    }
}

pub fn speakers(frame: &mut Frame, area: Rect, view: &View, theme: &Theme) {
    let state = view.state;
    let now = view.now;
    let speaking = state.speaking_here();
    let present = state.present_members().count().max(1);
    let equal = 100.0 / present as f64;
    let title = match speaking {
        Speaking::None => format!("Speakers · equal share {equal:.0}%"),
        Speaking::Round { per_speaker, order } => {
            format!("Round · {order:?} · {per_speaker} each · equal {equal:.0}%")
        }
        Speaking::OpenFloor { per_speaker: Some(p) } => format!("Open floor · {p} each · equal {equal:.0}%"),
        Speaking::OpenFloor { per_speaker: None } => format!("Open floor · equal share {equal:.0}%"),
    };
    let block = panel(&title, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let mut lines = Vec::new();
    match state.current_turn() {
        Some(turn) => {
            let length = turn.length(now);
            let mut spans = vec![
                Span::styled("Speaking ", Style::default().fg(theme.muted)),
                Span::styled(format::name(state, turn.member), bold(theme.speaker)),
                Span::raw("  "),
            ];
            match state.speaker_target(now) {
                Some(target) if length > target => {
                    spans.push(Span::styled(
                        format!(
                            "{} / {} (+{})",
                            clock(length),
                            clock(target),
                            clock(length - target)
                        ),
                        bold(theme.overtime),
                    ));
                }
                Some(target) => spans.push(Span::styled(
                    format!("{} / {}", clock(length), clock(target)),
                    bold(theme.text),
                )),
                None => spans.push(Span::styled(clock(length), bold(theme.text))),
            }
            lines.push(Line::from(spans));
        }
        None => lines.push(Line::from(Span::styled(
            "Nobody has the floor",
            Style::default().fg(theme.muted),
        ))),
    }
    let mut next = vec![Span::styled("Next ", Style::default().fg(theme.muted))];
    match state.next_speaker() {
        Some(member) => {
            next.push(Span::styled(format::name(state, member), bold(theme.text)));
            if let Some(target) = state.next_target(now) {
                next.push(Span::styled(
                    format!("  target {}", clock(target)),
                    Style::default().fg(theme.muted),
                ));
            }
        }
        None if matches!(speaking, Speaking::Round { .. }) && state.round_here().is_some() => {
            next.push(Span::styled("round complete", Style::default().fg(theme.done)));
        }
        None => next.push(Span::styled("—", Style::default().fg(theme.muted))),
    }
    if let Some(member) = state.suggest_invite(now)
        && !matches!(speaking, Speaking::Round { .. })
        && view.seat == Seat::Facilitator
    {
        next.push(Span::styled(
            format!("   invite ({}): ", view.keys.label(Action::Invite)),
            Style::default().fg(theme.muted),
        ));
        next.push(Span::styled(format::name(state, member), bold(theme.unheard)));
    }
    lines.push(Line::from(next));

    let total: i64 = (0..state.roster.members.len())
        .map(|m| state.airtime(m, now))
        .sum();
    let most = (0..state.roster.members.len())
        .map(|m| state.airtime(m, now))
        .max()
        .unwrap_or(0)
        .max(1);
    let name_width = 14usize;
    let bar_width = (inner.width as usize)
        .saturating_sub(name_width + 22)
        .clamp(4, 30);
    let room = (inner.height as usize).saturating_sub(lines.len());
    let members = state.roster.members.len();
    let first = first_member_shown(state, room);
    for member in (0..members).skip(first).take(room) {
        let airtime = state.airtime(member, now);
        let here = state.attendance.get(member).copied().is_some_and(|a| a.is_here());
        let speaking_now = state.current_turn().map(|t| t.member) == Some(member);
        let in_queue = state.queue.iter().position(|m| *m == member);
        let (marker, style) = if speaking_now {
            ("▶", bold(theme.speaker))
        } else if !here {
            ("✗", Style::default().fg(theme.skipped))
        } else if let Some(pos) = in_queue {
            (
                ["✋1", "✋2", "✋3", "✋4", "✋5"]
                    .get(pos)
                    .copied()
                    .unwrap_or("✋"),
                bold(theme.accent),
            )
        } else if state.has_spoken(member) {
            ("✓", Style::default().fg(theme.spoken))
        } else if state.turns.iter().any(|t| t.member == member) {
            ("↷", Style::default().fg(theme.skipped))
        } else {
            ("·", bold(theme.unheard))
        };
        let style = if view.selected == Some(member) {
            style.bg(theme.selection)
        } else {
            style
        };
        let name: String = format::name(state, member).chars().take(name_width).collect();
        let filled = (airtime * bar_width as i64 / most) as usize;
        let share = if total > 0 {
            airtime as f64 * 100.0 / total as f64
        } else {
            0.0
        };
        let status = match state.attendance.get(member) {
            Some(crate::session::Attendance::Absent) => "absent".to_string(),
            Some(crate::session::Attendance::LeftEarly { .. }) => "left".to_string(),
            Some(crate::session::Attendance::Late { .. }) if airtime == 0 => "late".to_string(),
            _ if airtime == 0 && here && !state.has_spoken(member) => "not yet".to_string(),
            _ => format!("{} {share:>3.0}%", clock(airtime)),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", label(member)), Style::default().fg(theme.key)),
            // Pad by display width: a raised hand is two cells wide.
            Span::styled(
                format!(
                    "{marker}{} ",
                    " ".repeat(3usize.saturating_sub(Span::raw(marker).width()))
                ),
                style,
            ),
            Span::styled(format!("{name:<name_width$} "), style),
            Span::styled("█".repeat(filled), Style::default().fg(theme.airtime)),
            Span::styled(
                "░".repeat(bar_width - filled.min(bar_width)),
                Style::default().fg(theme.border),
            ),
            Span::styled(format!(" {status}"), Style::default().fg(theme.muted)),
        ]));
    }
    if members == 0 {
        lines.push(Line::from(Span::styled(
            "No roster: pass --roster FILE to track members",
            Style::default().fg(theme.muted),
        )));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Lines above the member list in the speakers panel: the speaker, the next.
pub const SPEAKER_HEADER_LINES: usize = 2;

/// The first member listed when the list is longer than the panel: the speaker and the
/// next stay in view.
pub fn first_member_shown(state: &State, room: usize) -> usize {
    let must_show = [state.current_turn().map(|t| t.member), state.next_speaker()];
    let last_needed = must_show.iter().flatten().max().copied().unwrap_or(0);
    let speaker = state.current_turn().map_or(usize::MAX, |t| t.member);
    (last_needed + 1).saturating_sub(room).min(speaker)
}

/// The first agenda row shown: the current segment stays near the middle.
pub fn first_segment_shown(state: &State, rows: usize) -> usize {
    state
        .current
        .saturating_sub(rows.saturating_sub(1) / 2)
        .min(state.segments.len().saturating_sub(rows))
}

pub fn agenda(frame: &mut Frame, area: Rect, view: &View, theme: &Theme) {
    let state = view.state;
    let block = panel("Agenda", theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = inner.height as usize;
    let first = first_segment_shown(state, rows);
    let lines: Vec<Line> = state
        .plan
        .agenda
        .iter()
        .zip(&state.segments)
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(i, (segment, progress))| {
            let elapsed = state.segment_elapsed(i, view.now);
            let (marker, style) = match progress.status {
                SegmentStatus::Done => ("✓", Style::default().fg(theme.done)),
                SegmentStatus::Current => ("▶", bold(theme.current)),
                SegmentStatus::Skipped => (
                    "✗",
                    Style::default()
                        .fg(theme.skipped)
                        .add_modifier(Modifier::CROSSED_OUT),
                ),
                SegmentStatus::Upcoming => ("·", Style::default().fg(theme.upcoming)),
            };
            let times = match progress.status {
                SegmentStatus::Upcoming if elapsed == 0 => format!("{:>5}", clock(progress.planned_ms)),
                _ => format!("{}/{}", clock(elapsed), clock(progress.planned_ms)),
            };
            let over = elapsed > progress.planned_ms && progress.status != SegmentStatus::Upcoming;
            let width = (inner.width as usize).saturating_sub(times.chars().count() + 6);
            let title: String = segment.title.chars().take(width).collect();
            Line::from(vec![
                Span::styled(format!("{marker} {:>2} ", i + 1), style),
                Span::styled(format!("{title:<width$}"), style),
                Span::styled(
                    format!(" {times}"),
                    if over {
                        bold(theme.overtime)
                    } else {
                        Style::default().fg(theme.muted)
                    },
                ),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

pub fn notes(frame: &mut Frame, area: Rect, view: &View, theme: &Theme) {
    let state = view.state;
    let title = match view.seat {
        Seat::Facilitator => format!("Notes ({})", view.notes.len()),
        Seat::Observer => format!("Observation notes ({})", view.notes.len()),
    };
    let block = panel(&title, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if state.curtain {
        frame.render_widget(
            Paragraph::new(Span::styled(
                "hidden by the privacy curtain",
                Style::default().fg(theme.muted),
            )),
            inner,
        );
        return;
    }
    let mut lines = Vec::new();
    for note in view
        .notes
        .iter()
        .rev()
        .skip(view.notes_scroll)
        .take(inner.height as usize)
    {
        let mut spans = vec![Span::styled(
            format!("{} ", wall(note.at, view.offset)),
            Style::default().fg(theme.muted),
        )];
        for tag in &note.tags {
            let style = match tag {
                crate::session::Tag::Risk => bold(theme.risk).add_modifier(Modifier::REVERSED),
                crate::session::Tag::FollowUp => bold(theme.follow_up),
                _ => Style::default().fg(theme.tag),
            };
            let text = if *tag == crate::session::Tag::Risk {
                "!RISK".to_string()
            } else {
                format!("#{}", tag.label())
            };
            spans.push(Span::styled(text, style));
            spans.push(Span::raw(" "));
        }
        let about = match note.about {
            About::Group => String::new(),
            About::Member(m) => format!("{}: ", format::name(state, m)),
            About::Segment(s) => format!(
                "[{}] ",
                state.plan.agenda.get(s).map_or("segment", |x| x.title.as_str())
            ),
        };
        spans.push(Span::styled(about, bold(theme.text)));
        let text_style = if note.is_risk() {
            bold(theme.risk)
        } else {
            Style::default().fg(theme.text)
        };
        spans.push(Span::styled(note.text.replace('\n', " ⏎ "), text_style));
        lines.push(Line::from(spans));
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("No notes yet: {} to write one", view.keys.label(Action::Note)),
            Style::default().fg(theme.muted),
        )));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

pub fn status(frame: &mut Frame, area: Rect, view: &View, theme: &Theme) {
    let state = view.state;
    let now = view.now;
    let behind = state.behind_by(now);
    let drift_style = if behind > 60_000 {
        bold(theme.overtime)
    } else if behind < -60_000 {
        bold(theme.countdown)
    } else {
        Style::default().fg(theme.muted)
    };
    let line = Line::from(vec![
        Span::styled(" session ", Style::default().fg(theme.muted)),
        Span::styled(clock(state.session_elapsed(now)), bold(theme.text)),
        Span::styled(" elapsed · ", Style::default().fg(theme.muted)),
        Span::styled(clock(state.session_remaining(now)), bold(theme.text)),
        Span::styled(" left · ends ~", Style::default().fg(theme.muted)),
        Span::styled(wall(state.projected_end(now), view.offset), bold(theme.text)),
        Span::styled(
            format!(" (plan {}) · ", wall(state.planned_end(now), view.offset)),
            Style::default().fg(theme.muted),
        ),
        Span::styled(drift(behind), drift_style),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

/// The hint line: as many of the view's hints as fit whole, the highest-ranked left out
/// first (the later of equals), then from the end.
pub fn hints(frame: &mut Frame, area: Rect, view: &View, theme: &Theme) {
    let mut shown: Vec<&Hint> = view.hints.iter().collect();
    let width = |shown: &[&Hint]| 1 + shown.iter().map(|h| h.width()).sum::<usize>();
    while width(&shown) > usize::from(area.width) {
        let drop = shown
            .iter()
            .enumerate()
            .filter(|(_, h)| h.rank > 0)
            .max_by_key(|(_, h)| h.rank)
            .map_or(shown.len() - 1, |(i, _)| i);
        shown.remove(drop);
    }
    let mut spans = vec![Span::raw(" ")];
    for hint in shown {
        spans.push(Span::styled(hint.key.clone(), bold(theme.key)));
        spans.push(Span::styled(
            format!(" {}  ", hint.text),
            Style::default().fg(theme.muted),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
