//! At the end, those never marked are asked about once: present or absent. The end is
//! already in the journal, so the question never puts the record at risk; `Enter` leaves
//! the rest "not recorded" (never present) and writes the summary.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::{Ctx, Mode, Step};
use crate::app::effect::Effect;
use crate::keymap::Action;
use crate::session::{Attendance, Command, MemberIx, State};
use crate::theme::Theme;
use crate::ui::format::{self, label, member_for_label};
use crate::ui::popup::{Hint, key_lines, popup};

const WIDTH: u16 = 70;

#[derive(Debug)]
pub struct ClosingAttendance {
    /// The members who were never marked, in roster order, fixed when the question opens.
    asked: Vec<MemberIx>,
    selected: usize,
}

impl ClosingAttendance {
    /// The question, if anyone is still only expected.
    pub fn ask(state: &State) -> Option<ClosingAttendance> {
        let asked: Vec<MemberIx> = state
            .attendance
            .iter()
            .enumerate()
            .filter(|(_, a)| a.mark == Attendance::Expected)
            .map(|(i, _)| i)
            .collect();
        (!asked.is_empty()).then_some(ClosingAttendance { asked, selected: 0 })
    }

    pub fn on_key(mut self, action: Option<Action>, key: &KeyEvent, ctx: &Ctx) -> Step {
        let last = self.asked.len().saturating_sub(1);
        let status = match action {
            Some(Action::AttendanceDone) => return Step::back(vec![Effect::FinishSession]),
            Some(Action::AttendanceUp) => {
                self.selected = self.selected.saturating_sub(1);
                return Step::stay(Mode::Closing(self));
            }
            Some(Action::AttendanceDown) => {
                self.selected = (self.selected + 1).min(last);
                return Step::stay(Mode::Closing(self));
            }
            Some(Action::MarkPresent) => Attendance::Present,
            Some(Action::MarkAbsent) => Attendance::Absent,
            // Under the curtain a label would tie a stand-in to the roster: arrows only.
            _ if ctx.curtain => return Step::stay(Mode::Closing(self)),
            _ => {
                if let KeyCode::Char(c) = key.code
                    && let Some(at) =
                        member_for_label(c).and_then(|m| self.asked.iter().position(|a| *a == m))
                {
                    self.selected = at;
                }
                return Step::stay(Mode::Closing(self));
            }
        };
        let effects = self
            .asked
            .get(self.selected)
            .map(|member| Effect::Command(Command::MarkAttendance(*member, status)))
            .into_iter()
            .collect();
        self.selected = (self.selected + 1).min(last);
        Step::to(Mode::Closing(self), effects)
    }

    pub fn hints(&self, ctx: &Ctx) -> Vec<Hint> {
        let mut hints = ctx.hints(&[
            (Action::MarkPresent, "was here"),
            (Action::MarkAbsent, "was absent"),
        ]);
        hints.extend(ctx.hints(&[(Action::AttendanceDone, "done: the rest not recorded")]));
        // Letters are labels here: the curtain is the key that works while typing.
        hints.push(Hint::new(ctx.keys.label_while_typing(Action::Curtain), "curtain"));
        hints
    }

    pub fn draw(&self, frame: &mut Frame, ctx: &Ctx, hints: &[Hint], theme: &Theme) {
        let state = ctx.state;
        let mut lines = vec![
            Line::from("The session has ended. These members were never marked:"),
            Line::from("were they here? (Each is asked once; no answer is \"not recorded\".)"),
            Line::from(""),
        ];
        for (row, member) in self.asked.iter().enumerate() {
            let answer = match state.attendance.get(*member).map(|a| a.mark) {
                Some(Attendance::Present) => "was here",
                Some(Attendance::Absent) => "absent",
                _ => "not recorded",
            };
            let style = if row == self.selected {
                Style::default().bg(theme.selection).add_modifier(Modifier::BOLD)
            } else {
                Style::default()
            };
            lines.push(Line::from(vec![
                Span::styled(
                    format!(" {} ", if state.curtain { '·' } else { label(*member) }),
                    Style::default().fg(theme.key),
                ),
                Span::styled(
                    format!("{:<24} {answer:<14}", format::name(state, *member)),
                    style,
                ),
            ]));
        }
        lines.push(Line::from(""));
        lines.extend(key_lines(theme, hints, WIDTH - 2));
        popup(frame, frame.area(), "Who was here?", lines, WIDTH, theme);
    }
}
