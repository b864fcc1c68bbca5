//! A short message in a popup; any key closes it.

use ratatui::Frame;
use ratatui::text::Line;

use crate::theme::Theme;
use crate::ui::popup::{Hint, key_lines, popup};

const WIDTH: u16 = 64;

#[derive(Debug)]
pub struct Message {
    title: String,
    text: String,
}

impl Message {
    pub fn new(title: &str, text: &str) -> Message {
        Message {
            title: title.to_owned(),
            text: text.to_owned(),
        }
    }

    pub fn draw(&self, frame: &mut Frame, hints: &[Hint], theme: &Theme) {
        let mut lines = vec![Line::from(self.text.as_str()), Line::from("")];
        lines.extend(key_lines(theme, hints, WIDTH - 2));
        popup(frame, frame.area(), &self.title, lines, WIDTH, theme);
    }
}
