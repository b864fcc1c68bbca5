//! The top line: the plan, the series, the clock's state, the time and the save mark.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::bold;
use crate::theme::Theme;
use crate::ui::format::{fit, wall};
use crate::ui::{SaveMark, View};

pub fn draw(frame: &mut Frame, area: Rect, view: &View, theme: &Theme) {
    let state = view.state;
    let series = state
        .plan
        .series
        .as_ref()
        .map(|series| format!("  session {} of {}", series.session, series.of))
        .unwrap_or_default();
    let clock_state = if state.is_ended() {
        Span::styled("■ ended", bold(theme.muted))
    } else if state.is_running() {
        Span::styled("▶ running", bold(theme.countdown))
    } else if state.agenda_done() {
        Span::styled("✓ agenda done", bold(theme.done))
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
    // The title gives way (cut with …) before "session n of m" does.
    const BRAND: &str = " holdspace │ ";
    let room = usize::from(area.width)
        .saturating_sub(right_width + 1 + BRAND.chars().count() + series.chars().count());
    let left = vec![
        Span::styled(" holdspace ", bold(theme.accent)),
        Span::raw("│ "),
        Span::styled(fit(&state.plan.title, room), bold(theme.text)),
        Span::styled(series, Style::default().fg(theme.muted)),
    ];
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
