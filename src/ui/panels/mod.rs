//! The console's panels, one file each: header, current segment with its countdown,
//! speakers and airtime, agenda, notes, session timing and key hints.

mod agenda;
mod header;
mod hints;
mod notes;
mod segment;
mod speakers;
mod status;

pub use agenda::{draw as agenda, first_segment_shown};
pub use header::draw as header;
pub use hints::draw as hints;
pub use notes::draw as notes;
pub use segment::draw as segment;
pub use speakers::{MemberRows, SPEAKER_HEADER_LINES, draw as speakers};
pub use status::draw as status;

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders};

use crate::theme::Theme;

pub(super) fn panel<'a>(title: &'a str, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(Style::default().fg(theme.border))
        .title(Span::styled(
            format!(" {title} "),
            Style::default().fg(theme.accent).add_modifier(Modifier::BOLD),
        ))
}

pub(super) fn bold(color: Color) -> Style {
    Style::default().fg(color).add_modifier(Modifier::BOLD)
}

/// Word wrap of styled words, `\n` forcing a break; at most `max_lines` lines, the last
/// ending in `…` when the text goes on.
pub(super) fn wrap_words<'a>(words: Vec<(String, Style)>, width: usize, max_lines: usize) -> Vec<Line<'a>> {
    let width = width.max(1);
    let mut lines: Vec<Vec<Span>> = vec![Vec::new()];
    let mut used = 0;
    let mut cut = false;
    for (word, style) in words {
        let length = Span::raw(word.as_str()).width();
        let fresh_line = word == "\n" || (used > 0 && used + 1 + length > width);
        if fresh_line {
            if lines.len() == max_lines {
                cut = true;
                break;
            }
            lines.push(Vec::new());
            used = 0;
            if word == "\n" {
                continue;
            }
        }
        if let Some(line) = lines.last_mut() {
            if used > 0 {
                line.push(Span::raw(" "));
                used += 1;
            }
            // A word longer than the line is cut to it.
            let shown: String = word.chars().take(width.saturating_sub(used)).collect();
            used += Span::raw(shown.as_str()).width();
            line.push(Span::styled(shown, style));
        }
    }
    if cut && let Some(last) = lines.last_mut() {
        last.push(Span::raw(" …"));
    }
    lines.into_iter().map(Line::from).collect()
}
