//! Saving the summary so far to a folder of the facilitator's choice (a USB stick when the
//! data dir's disk fails). A failed save comes back here with the reason and the folder.

use std::path::PathBuf;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Clear, Paragraph};
use ratatui_textarea::TextArea;

use super::{Ctx, Mode, Step};
use crate::app::effect::Effect;
use crate::keymap::Action;
use crate::theme::Theme;
use crate::ui::popup::{Hint, bordered, centered, key_lines};

const WIDTH: u16 = 70;

pub struct SaveAs {
    editor: TextArea<'static>,
    error: Option<String>,
}

impl SaveAs {
    pub fn new(error: Option<String>) -> SaveAs {
        let mut editor = TextArea::default();
        editor.set_placeholder_text("a folder, e.g. /media/usb/holdspace");
        SaveAs { editor, error }
    }

    /// The prompt again after a failed save into `dir`, saying why.
    pub fn failed(dir: &std::path::Path, error: String) -> SaveAs {
        let mut prompt = SaveAs::new(Some(error));
        prompt.editor.insert_str(dir.to_string_lossy());
        prompt
    }

    pub fn on_key(mut self, action: Option<Action>, key: &KeyEvent) -> Step {
        match action {
            Some(Action::PromptCancel) => Step::back(Vec::new()),
            Some(Action::PromptAccept) => {
                let dir = PathBuf::from(self.editor.lines().join("").trim());
                Step::back(vec![Effect::SaveSummaryTo(dir)])
            }
            _ => {
                self.editor.input(*key);
                Step::stay(Mode::SaveAs(self))
            }
        }
    }

    pub fn draw(&self, frame: &mut Frame, hints: &[Hint], theme: &Theme) {
        let footer = key_lines(theme, hints, WIDTH - 2);
        let rect = centered(frame.area(), WIDTH, 6 + footer.len() as u16);
        frame.render_widget(Clear, rect);
        let block = bordered("Save the summary to…", theme);
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let [body, message, foot] = Layout::vertical([
            Constraint::Length(3),
            Constraint::Length(1),
            Constraint::Length(footer.len() as u16),
        ])
        .areas(inner);
        frame.render_widget(&self.editor, body);
        if let Some(error) = &self.error {
            frame.render_widget(
                Paragraph::new(Span::styled(error.as_str(), Style::default().fg(theme.error))),
                message,
            );
        }
        frame.render_widget(Paragraph::new(footer), foot);
    }
}

pub fn hints(ctx: &Ctx) -> Vec<Hint> {
    ctx.hints(&[
        (Action::PromptAccept, "save to this folder"),
        (Action::PromptCancel, "cancel"),
    ])
}
