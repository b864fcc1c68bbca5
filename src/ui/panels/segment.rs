//! The current segment: its title and kind, planned and elapsed time, the big countdown,
//! the exercise step, prompts and materials.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{bold, panel};
use crate::session::State;
use crate::theme::Theme;
use crate::ui::format::{clock, countdown};
use crate::ui::{View, bigtext};

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

pub fn draw(frame: &mut Frame, area: Rect, view: &View, theme: &Theme) {
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
