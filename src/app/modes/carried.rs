//! What the last session of the series left open — follow-ups and homework — to go through
//! at the start and close as each is dealt with. Closing (and opening again) is journaled;
//! nothing is ever removed.

use chrono::DateTime;
use ratatui::Frame;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::{Ctx, Mode, Step};
use crate::app::effect::Effect;
use crate::keymap::Action;
use crate::session::Command;
use crate::theme::Theme;
use crate::ui::format;
use crate::ui::popup::{Hint, key_lines, popup};

const WIDTH: u16 = 84;

#[derive(Debug, Default)]
pub struct CarriedList {
    selected: usize,
}

impl CarriedList {
    pub fn on_key(mut self, action: Option<Action>, ctx: &Ctx) -> Step {
        let items = &ctx.state.carried;
        match action {
            Some(Action::CarriedClose) => return Step::back(Vec::new()),
            Some(Action::CarriedUp) => self.selected = self.selected.saturating_sub(1),
            Some(Action::CarriedDown) => {
                self.selected = (self.selected + 1).min(items.len().saturating_sub(1));
            }
            Some(Action::CarriedToggle) => {
                if let Some(carried) = items.get(self.selected) {
                    let id = carried.item.id.clone();
                    let command = if carried.is_open() {
                        Command::CloseCarried(id)
                    } else {
                        Command::ReopenCarried(id)
                    };
                    return Step::to(Mode::Carried(self), vec![Effect::Command(command)]);
                }
            }
            _ => {}
        }
        Step::stay(Mode::Carried(self))
    }

    pub fn hints(&self, ctx: &Ctx) -> Vec<Hint> {
        let toggle = match ctx.state.carried.get(self.selected) {
            Some(c) if !c.is_open() => "open it again",
            _ => "done: close it",
        };
        ctx.hints(&[
            (Action::CarriedUp, "up"),
            (Action::CarriedDown, "down"),
            (Action::CarriedToggle, toggle),
            (Action::CarriedClose, "close the list"),
        ])
    }

    pub fn draw(&self, frame: &mut Frame, ctx: &Ctx, hints: &[Hint], theme: &Theme) {
        let area = frame.area();
        let state = ctx.state;
        let today = DateTime::from_timestamp_millis(ctx.now)
            .map(|t| t.with_timezone(&ctx.offset).date_naive())
            .unwrap_or_default();
        let open = state.carried.iter().filter(|c| c.is_open()).count();
        let mut lines = vec![Line::from(Span::styled(
            format!(
                "{open} of {} still open from session {}",
                state.carried.len(),
                state
                    .carried_from
                    .map_or_else(|| "?".to_owned(), |s| s.to_string())
            ),
            Style::default().fg(theme.muted),
        ))];
        // An item may wrap onto a second line.
        let rows = (usize::from(area.height).saturating_sub(9) / 2).max(1);
        let first = self.selected.saturating_sub(rows.saturating_sub(1));
        for (position, carried) in state.carried.iter().enumerate().skip(first).take(rows) {
            let (mark, mut style) = match carried.closed {
                Some(at) => (
                    format!("✓ {} ", format::wall(at, ctx.offset)),
                    Style::default().fg(theme.muted),
                ),
                None => ("○ ".to_owned(), Style::default()),
            };
            if position == self.selected {
                style = style.bg(theme.selection).add_modifier(Modifier::BOLD);
            }
            // Wrapped, not cut: the text and the due date are the point.
            lines.push(Line::from(Span::styled(
                format!(" {mark}{}", carried.item.describe(today)),
                style,
            )));
        }
        lines.push(Line::from(""));
        lines.extend(key_lines(theme, hints, WIDTH - 2));
        popup(frame, area, "Carried forward", lines, WIDTH, theme);
    }
}
