//! Jumping to a segment by its number.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::{Ctx, Mode, Step};
use crate::app::effect::Effect;
use crate::keymap::Action;
use crate::session::Command;
use crate::theme::Theme;
use crate::ui::format::{label, member_for_label};
use crate::ui::popup::{Hint, key_lines, popup};

const WIDTH: u16 = 56;

pub fn on_key(action: Option<Action>, key: &KeyEvent, ctx: &Ctx) -> Step {
    if action == Some(Action::PickCancel) {
        return Step::back(Vec::new());
    }
    match key.code {
        KeyCode::Char(c) => match member_for_label(c) {
            Some(index) if index < ctx.state.segments.len() => {
                Step::back(vec![Effect::Command(Command::JumpTo(index))])
            }
            _ => Step::stay(Mode::PickSegment),
        },
        _ => Step::stay(Mode::PickSegment),
    }
}

pub fn draw(frame: &mut Frame, ctx: &Ctx, hints: &[Hint], theme: &Theme) {
    let mut lines = vec![
        Line::from("Jump to which segment? Press its number"),
        Line::from(""),
    ];
    for (i, segment) in ctx.state.plan.agenda.iter().enumerate() {
        lines.push(Line::from(vec![
            Span::styled(
                format!(" {} ", label(i)),
                Style::default().fg(theme.key).add_modifier(Modifier::BOLD),
            ),
            Span::raw(segment.title.clone()),
        ]));
    }
    lines.push(Line::from(""));
    lines.extend(key_lines(theme, hints, WIDTH - 2));
    popup(frame, frame.area(), "Jump", lines, WIDTH, theme);
}
