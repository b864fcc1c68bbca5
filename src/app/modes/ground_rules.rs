//! The plan's ground rules, large and numbered, for reading aloud. Any key closes them.

use ratatui::Frame;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::Ctx;
use crate::theme::Theme;
use crate::ui::popup::{Hint, key_lines, popup};

const WIDTH: u16 = 76;

pub fn draw(frame: &mut Frame, ctx: &Ctx, hints: &[Hint], theme: &Theme) {
    let rules = &ctx.state.plan.ground_rules;
    let mut lines = Vec::new();
    if rules.is_empty() {
        lines.push(Line::from("This plan has no ground rules."));
    }
    for (i, rule) in rules.iter().enumerate() {
        lines.push(Line::from(vec![
            Span::styled(
                format!(" {}. ", i + 1),
                Style::default().fg(theme.accent).add_modifier(Modifier::BOLD),
            ),
            Span::styled(rule.clone(), Style::default().add_modifier(Modifier::BOLD)),
        ]));
        lines.push(Line::from(""));
    }
    lines.extend(key_lines(theme, hints, WIDTH - 2));
    popup(frame, frame.area(), "Ground rules", lines, WIDTH, theme);
}
