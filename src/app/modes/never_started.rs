//! Ending a session that never started (the clock never ran, nothing was recorded): no
//! summary is written unless the facilitator asks for one.

use ratatui::Frame;
use ratatui::text::Line;

use super::{Ctx, Mode, Step};
use crate::app::effect::Effect;
use crate::keymap::Action;
use crate::theme::Theme;
use crate::ui::popup::{Hint, key_lines, popup};

const WIDTH: u16 = 64;

pub fn on_key(action: Option<Action>) -> Step {
    match action {
        Some(Action::Yes) => Step::back(vec![Effect::Abandon]),
        Some(Action::ConfirmOther) => Step::back(vec![Effect::EndSession]),
        Some(Action::No) => Step::back(Vec::new()),
        _ => Step::stay(Mode::NeverStarted),
    }
}

pub fn hints(ctx: &Ctx) -> Vec<Hint> {
    ctx.hints(&[
        (Action::Yes, "leave, no summary"),
        (Action::ConfirmOther, "write a summary anyway"),
        (Action::No, "stay"),
    ])
}

pub fn draw(frame: &mut Frame, hints: &[Hint], theme: &Theme) {
    let mut lines = vec![
        Line::from("The session never started: the clock never ran and nothing was"),
        Line::from("recorded. Leave without writing a summary?"),
        Line::from(""),
    ];
    lines.extend(key_lines(theme, hints, WIDTH - 2));
    popup(frame, frame.area(), "End the session", lines, WIDTH, theme);
}
