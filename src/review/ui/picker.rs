//! Choosing what a comment is about: the session, a note, or a trainee's observation.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use super::{list_offset, selected};
use crate::review::browser::Picker;
use crate::review::doc::text::fit;
use crate::theme::Theme;

pub fn draw(frame: &mut Frame, area: Rect, picker: &Picker, theme: &Theme) {
    let width = 90.min(area.width.saturating_sub(2));
    let rows = picker.items.len().min(usize::from(area.height.saturating_sub(6)));
    let height = (rows as u16 + 3).min(area.height.saturating_sub(2));
    let rect = Rect::new(
        area.x + (area.width.saturating_sub(width)) / 2,
        area.y + (area.height.saturating_sub(height)) / 2,
        width,
        height,
    );
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(Style::new().fg(theme.accent))
        .title(Span::styled(
            " Comment on… ",
            Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
        ))
        .title_bottom(Span::styled(
            " ↑↓ choose · ⏎ write the comment · Esc cancel ",
            Style::new().fg(theme.muted),
        ))
        .style(Style::new().bg(theme.background).fg(theme.text));
    let inner = usize::from(width.saturating_sub(4));
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
