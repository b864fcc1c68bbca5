//! Leaving a facilitator's console when nothing of the session is safely on disk: only a
//! typed `discard` leaves without saving; anything else keeps the session open, so the
//! summary can still be saved elsewhere.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui_textarea::TextArea;

use super::{Ctx, Mode, Step};
use crate::app::effect::Effect;
use crate::keymap::Action;
use crate::theme::Theme;
use crate::ui::popup::{Hint, bordered, centered, key_lines};

const WIDTH: u16 = 70;
/// What must be typed to leave without saving.
const DISCARD: &str = "discard";

pub struct ConfirmDiscard {
    editor: TextArea<'static>,
}

impl ConfirmDiscard {
    pub fn new() -> ConfirmDiscard {
        let mut editor = TextArea::default();
        editor.set_placeholder_text("type discard to leave without saving");
        ConfirmDiscard { editor }
    }

    pub fn on_key(mut self, action: Option<Action>, key: &KeyEvent) -> Step {
        match action {
            Some(Action::PromptCancel) => Step::back(Vec::new()),
            Some(Action::PromptAccept) if self.editor.lines().join("").trim() == DISCARD => {
                Step::back(vec![Effect::Discard])
            }
            Some(Action::PromptAccept) => Step::stay(Mode::Discard(self)),
            _ => {
                self.editor.input(*key);
                Step::stay(Mode::Discard(self))
            }
        }
    }

    pub fn hints(&self, ctx: &Ctx) -> Vec<Hint> {
        ctx.hints(&[
            (Action::PromptAccept, "leave, once discard is typed"),
            (Action::PromptCancel, "stay (then S saves elsewhere)"),
        ])
    }

    pub fn draw(&self, frame: &mut Frame, hints: &[Hint], theme: &Theme) {
        let footer = key_lines(theme, hints, WIDTH - 2);
        let rect = centered(frame.area(), WIDTH, 9 + footer.len() as u16);
        frame.render_widget(Clear, rect);
        let block = bordered("Nothing is saved", theme);
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let [text, field, foot] = Layout::vertical([
            Constraint::Length(4),
            Constraint::Length(3),
            Constraint::Length(footer.len() as u16),
        ])
        .areas(inner);
        let warning = Style::default().fg(theme.error).add_modifier(Modifier::BOLD);
        frame.render_widget(
            Paragraph::new(vec![
                Line::from(Span::styled(
                    "The summary could not be written and the journal is not on disk:",
                    warning,
                )),
                Line::from("leaving now loses this session. Save it elsewhere (Esc, then S),"),
                Line::from(format!(
                    "or type {DISCARD} and press Enter to leave without saving."
                )),
            ])
            .wrap(Wrap { trim: false }),
            text,
        );
        frame.render_widget(&self.editor, field);
        frame.render_widget(Paragraph::new(footer), foot);
    }
}
