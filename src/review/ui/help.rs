//! The help overlay: every key of the review.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::review::browser::Browser;
use crate::theme::Theme;

/// Every key, by where it works.
pub const KEYS: &[(&str, &str)] = &[
    ("↑ ↓  j k", "move, or scroll"),
    ("PgUp PgDn Home End", "by page, to either end"),
    ("Enter", "open the session (from the list or a flag)"),
    ("Esc  Backspace", "back; on the list Esc clears the filter"),
    ("/", "filter: words, group: fac: from: to: status: flags"),
    ("s  S", "sort by the next column; reverse the sort"),
    ("f", "only sessions with flags, or all again"),
    ("g", "the group's series (attendance, airtime, flags)"),
    ("← →  h l", "in a series: earlier or later sessions"),
    ("F", "every risk and follow-up flag, newest first"),
    ("e", "export this session or group (.html or .md)"),
    ("n", "in a session: its progress notes into a folder"),
    ("U  S  R", "in a session: submit, sign off, return it"),
    ("c", "in a session: comment on it, a note or observation"),
    ("A", "in a session: an addendum, after sign-off"),
    ("?", "this help"),
    ("q", "quit"),
];

/// The overlay's width: it fits an 80-column terminal.
const WIDTH: u16 = 74;
/// The width of the keys' column.
const KEY_WIDTH: usize = 21;

pub fn draw(frame: &mut Frame, area: Rect, _b: &Browser, theme: &Theme) {
    let (block, rect) = super::popup(frame, area, (WIDTH, KEYS.len() as u16 + 4), "Review keys", theme);
    let mut lines: Vec<Line> = KEYS
        .iter()
        .map(|(key, what)| {
            Line::from(vec![
                Span::styled(
                    format!(" {key:<width$}", width = KEY_WIDTH - 1),
                    Style::new().fg(theme.key).add_modifier(Modifier::BOLD),
                ),
                Span::raw((*what).to_owned()),
            ])
        })
        .collect();
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        " Any key closes this help.",
        Style::new().fg(theme.muted),
    )));
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_fits_inside_the_overlay() {
        let inside = usize::from(WIDTH) - 2;
        for (key, what) in KEYS {
            assert!(key.chars().count() < KEY_WIDTH, "{key}");
            assert!(
                KEY_WIDTH + what.chars().count() <= inside,
                "cut at 80 columns: {what}"
            );
        }
    }
}
