//! The agenda: every segment with its mark and actual / planned time.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{bold, panel};
use crate::session::{SegmentStatus, State};
use crate::theme::Theme;
use crate::ui::View;
use crate::ui::format::{clock, fit};

/// The first agenda row shown: the current segment stays near the middle.
pub fn first_segment_shown(state: &State, rows: usize) -> usize {
    state
        .current
        .saturating_sub(rows.saturating_sub(1) / 2)
        .min(state.segments.len().saturating_sub(rows))
}

pub fn draw(frame: &mut Frame, area: Rect, view: &View, theme: &Theme) {
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
            let title = fit(&segment.title, width);
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
