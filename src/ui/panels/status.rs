//! The status line: session elapsed and left, projected and planned end, ahead or behind.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::bold;
use crate::theme::Theme;
use crate::ui::View;
use crate::ui::format::{clock, drift, wall};

pub fn draw(frame: &mut Frame, area: Rect, view: &View, theme: &Theme) {
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
