//! What every popup over the console is drawn with: a framed box in the middle of the
//! screen and a line of key hints. Each popup's own drawing lives with its key handling in
//! `app::modes`; these are its building blocks.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};

use crate::theme::Theme;

/// One key and what it does, as a hint shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub key: String,
    pub text: String,
    /// When a line is too narrow, hints of the highest rank go first; 0 always stays.
    pub rank: u8,
}

impl Hint {
    pub fn new(key: impl Into<String>, text: impl Into<String>) -> Hint {
        Hint {
            key: key.into(),
            text: text.into(),
            rank: 0,
        }
    }

    /// Cells the hint takes in a line: the key, a space, the text and two spaces.
    pub fn width(&self) -> usize {
        Span::raw(&self.key).width() + Span::raw(&self.text).width() + 3
    }
}

/// Hints as one line: keys bold in the key colour, each followed by what it does.
pub fn key_line<'a>(theme: &Theme, hints: &[Hint]) -> Line<'a> {
    let mut spans = Vec::new();
    for hint in hints {
        spans.push(Span::styled(
            hint.key.clone(),
            Style::default().fg(theme.key).add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::raw(format!(" {}  ", hint.text)));
    }
    Line::from(spans)
}

/// Hints laid out in as many lines as `width` needs, none cut off.
pub fn key_lines<'a>(theme: &Theme, hints: &[Hint], width: u16) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    let mut row: Vec<Hint> = Vec::new();
    let mut used = 0;
    for hint in hints {
        if used + hint.width() > usize::from(width) && !row.is_empty() {
            lines.push(key_line(theme, &row));
            row.clear();
            used = 0;
        }
        used += hint.width();
        row.push(hint.clone());
    }
    if !row.is_empty() {
        lines.push(key_line(theme, &row));
    }
    lines
}

/// A popup's frame: double border and title in the accent colour, on the background.
pub fn bordered<'a>(title: &'a str, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(Style::default().fg(theme.accent))
        .title(Span::styled(
            format!(" {title} "),
            Style::default().fg(theme.accent).add_modifier(Modifier::BOLD),
        ))
        .style(Style::default().bg(theme.background).fg(theme.text))
}

/// A popup of `lines` in a box `width` wide, centred in `area`, the lines wrapped.
pub fn popup(frame: &mut Frame, area: Rect, title: &str, lines: Vec<Line>, width: u16, theme: &Theme) {
    let inner_width = width.min(area.width).saturating_sub(2);
    let height = Paragraph::new(lines.clone())
        .wrap(Wrap { trim: false })
        .line_count(inner_width) as u16;
    let rect = centered(area, width, height + 2);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .block(bordered(title, theme))
            .wrap(Wrap { trim: false }),
        rect,
    );
}

/// A `width` × `height` rectangle in the middle of `area` (smaller if `area` is).
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [rect] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    rect
}
