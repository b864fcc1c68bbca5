//! Asking before the session ends (the facilitator) or before following stops (a trainee).

use ratatui::Frame;
use ratatui::text::Line;

use super::{Ctx, Mode, Step};
use crate::app::effect::Effect;
use crate::keymap::Action;
use crate::theme::Theme;
use crate::ui::popup::{Hint, key_lines, popup};

const WIDTH: u16 = 50;

pub fn on_key(action: Option<Action>, ctx: &Ctx) -> Step {
    match action {
        Some(Action::Yes) if ctx.role.is_trainee() => Step::back(vec![Effect::Leave]),
        Some(Action::Yes) => Step::back(vec![Effect::EndSession]),
        Some(Action::No) => Step::back(Vec::new()),
        _ => Step::stay(Mode::Quit),
    }
}

pub fn hints(ctx: &Ctx) -> Vec<Hint> {
    if ctx.role.is_trainee() {
        ctx.hints(&[(Action::Yes, "yes, leave"), (Action::No, "no, stay")])
    } else {
        ctx.hints(&[(Action::Yes, "yes, end and save"), (Action::No, "no, keep going")])
    }
}

pub fn draw(frame: &mut Frame, ctx: &Ctx, hints: &[Hint], theme: &Theme) {
    let (title, question) = if ctx.role.is_trainee() {
        ("Leave", "Stop following? Your observation notes are saved.")
    } else {
        ("End the session", "End the session now and save its summary?")
    };
    let mut lines = vec![Line::from(question), Line::from("")];
    lines.extend(key_lines(theme, hints, WIDTH - 2));
    popup(frame, frame.area(), title, lines, WIDTH, theme);
}
