//! The hint line.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::bold;
use crate::theme::Theme;
use crate::ui::View;
use crate::ui::popup::Hint;

/// The hint line: as many of the view's hints as fit whole, the highest-ranked left out
/// first (the later of equals), then from the end.
pub fn draw(frame: &mut Frame, area: Rect, view: &View, theme: &Theme) {
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
