//! Choosing what a comment is about: the session, a note, or a trainee's observation.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{list_offset, selected};
use crate::review::browser::Picker;
use crate::review::doc::text::fit;
use crate::theme::Theme;

pub fn draw(frame: &mut Frame, area: Rect, picker: &Picker, theme: &Theme) {
    let rows = picker.items.len().min(usize::from(area.height.saturating_sub(6)));
    let (block, rect) = super::popup(frame, area, (90, rows as u16 + 3), "Comment on…", theme);
    let block = block.title_bottom(Span::styled(
        " ↑↓ choose · ⏎ write the comment · Esc cancel ",
        Style::new().fg(theme.muted),
    ));
    let inner = usize::from(rect.width.saturating_sub(4));
    let offset = list_offset(picker.selected, rows);
    let lines: Vec<Line> = picker
        .items
        .iter()
        .enumerate()
        .skip(offset)
        .take(rows)
        .map(|(i, (label, _))| {
            let mark = if i == picker.selected { "▶ " } else { "  " };
            let line = Line::from(format!("{mark}{}", fit(&crate::text::terminal(label), inner)));
            if i == picker.selected {
                line.patch_style(selected(theme))
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}
