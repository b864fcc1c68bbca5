//! Attendance: choose a member (arrows, or their label as on the main screen: 1–9 then
//! a–z), mark them; the choice then moves to the next member, so a roll call is one key
//! per member. Marks are capital letters, so no label is ever taken for a mark.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::{Ctx, Mode, Step};
use crate::app::effect::Effect;
use crate::keymap::Action;
use crate::session::{Attendance, Command, Presence};
use crate::theme::Theme;
use crate::ui::format::{self, label, member_for_label};
use crate::ui::popup::{Hint, key_lines, popup};

const WIDTH: u16 = 76;

#[derive(Debug, Default)]
pub struct AttendanceList {
    selected: usize,
}

impl AttendanceList {
    pub fn on_key(self, action: Option<Action>, key: &KeyEvent, ctx: &Ctx) -> Step {
        let count = ctx.state.roster.members.len();
        let last = count.saturating_sub(1);
        let at = |selected| Step::stay(Mode::Attendance(AttendanceList { selected }));
        let status = match action {
            Some(Action::AttendanceDone) => return Step::back(Vec::new()),
            Some(Action::AttendanceUp) => return at(self.selected.saturating_sub(1)),
            Some(Action::AttendanceDown) => return at((self.selected + 1).min(last)),
            Some(Action::MarkPresent) => Attendance::Present,
            Some(Action::MarkLate) => Attendance::Late { at: ctx.now },
            Some(Action::MarkLeft) => Attendance::LeftEarly { at: ctx.now },
            Some(Action::MarkAbsent) => Attendance::Absent,
            Some(Action::MarkExpected) => Attendance::Expected,
            _ => {
                let chosen = match key.code {
                    KeyCode::Char(c) => member_for_label(c).filter(|m| *m < count),
                    _ => None,
                };
                return match chosen {
                    Some(member) => at(member),
                    None => Step::stay(Mode::Attendance(self)),
                };
            }
        };
        let effects = if self.selected < count {
            vec![Effect::Command(Command::MarkAttendance(self.selected, status))]
        } else {
            Vec::new()
        };
        Step::to(
            Mode::Attendance(AttendanceList {
                selected: (self.selected + 1).min(last),
            }),
            effects,
        )
    }

    pub fn draw(&self, frame: &mut Frame, ctx: &Ctx, hints: &[Hint], theme: &Theme) {
        let area = frame.area();
        let state = ctx.state;
        let mut lines = key_lines(theme, hints, WIDTH - 2);
        lines.push(Line::from(""));
        // A long roster scrolls so the chosen member stays in view.
        let rows = usize::from(area.height).saturating_sub(lines.len() + 4).max(1);
        let first = self
            .selected
            .saturating_sub(rows / 2)
            .min(state.attendance.len().saturating_sub(rows));
        for (i, presence) in state.attendance.iter().enumerate().skip(first).take(rows) {
            let style = if i == self.selected {
                Style::default().bg(theme.selection).add_modifier(Modifier::BOLD)
            } else {
                Style::default()
            };
            lines.push(Line::from(vec![
                Span::styled(format!(" {} ", label(i)), Style::default().fg(theme.key)),
                Span::styled(
                    format!("{:<20} {:<32}", format::name(state, i), status(presence, ctx)),
                    style,
                ),
            ]));
        }
        if state.attendance.is_empty() {
            lines.push(Line::from("No roster: nobody to mark."));
        }
        popup(frame, area, "Attendance", lines, WIDTH, theme);
    }
}

/// A member's attendance in words, with the times to the second.
pub fn status(presence: &Presence, ctx: &Ctx) -> String {
    let time = |at| format::wall_seconds(at, ctx.offset);
    let arrived = presence.arrived.map(|at| format!("arrived {}", time(at)));
    match presence.mark {
        Attendance::Expected => "not arrived yet".into(),
        Attendance::Present => "present".into(),
        Attendance::Late { at } => format!("late, arrived {}", time(at)),
        Attendance::LeftEarly { at } => match arrived {
            Some(arrived) => format!("{arrived}, left {}", time(at)),
            None => format!("left early, {}", time(at)),
        },
        Attendance::Absent => "absent".into(),
    }
}

pub fn hints(ctx: &Ctx) -> Vec<Hint> {
    let keys = |action| ctx.keys.label(action);
    let choose = format!(
        "{}{} or a label",
        keys(Action::AttendanceUp),
        keys(Action::AttendanceDown)
    );
    let mut hints = vec![Hint::new(choose, "choose")];
    hints.extend(ctx.hints(&[
        (Action::MarkPresent, "present"),
        (Action::MarkLate, "late"),
        (Action::MarkLeft, "left early"),
        (Action::MarkAbsent, "absent"),
        (Action::MarkExpected, "not arrived"),
        (Action::AttendanceDone, "done"),
    ]));
    hints.push(Hint::new(ctx.keys.label_while_typing(Action::Curtain), "curtain"));
    hints
}
