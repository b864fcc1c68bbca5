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
use ratatui::text::Span;
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
