//! Choosing a member by their label, for the floor, a raised hand or a note.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::{Ctx, Mode, Step};
use crate::app::effect::Effect;
use crate::keymap::Action;
use crate::session::{About, Command, MemberIx, State};
use crate::theme::Theme;
use crate::ui::format::{self, label, member_for_label};
use crate::ui::popup::{Hint, key_lines, popup};

const WIDTH: u16 = 56;

/// What the chosen member is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickFor {
    GiveFloor,
    Hand,
    Note,
}

#[derive(Debug)]
pub struct PickMember {
    purpose: PickFor,
    /// A member whose label was pressed but who cannot be chosen (absent, or gone).
    refused: Option<MemberIx>,
}

impl PickMember {
    pub fn new(purpose: PickFor) -> PickMember {
        PickMember {
            purpose,
            refused: None,
        }
    }

    /// Whom the list offers: anyone for a note (an absent member can be written about),
    /// else those who may speak.
    fn offered(&self, state: &State, member: MemberIx) -> bool {
        self.purpose == PickFor::Note || state.attendance.get(member).is_some_and(|a| a.may_speak())
    }

    pub fn on_key(self, action: Option<Action>, key: &KeyEvent, ctx: &Ctx) -> Step {
        if action == Some(Action::PickCancel) {
            return Step::back(Vec::new());
        }
        let chosen = match key.code {
            KeyCode::Char(c) => member_for_label(c).filter(|m| *m < ctx.state.roster.members.len()),
            _ => None,
        };
        let Some(member) = chosen else {
            return Step::stay(Mode::PickMember(self));
        };
        if !self.offered(ctx.state, member) {
            return Step::stay(Mode::PickMember(PickMember {
                refused: Some(member),
                ..self
            }));
        }
        Step::back(vec![match self.purpose {
            PickFor::GiveFloor => Effect::Command(Command::GiveFloor(member)),
            PickFor::Hand => Effect::Command(Command::ToggleHand(member)),
            PickFor::Note => Effect::OpenNote(About::Member(member)),
        }])
    }

    pub fn draw(&self, frame: &mut Frame, ctx: &Ctx, hints: &[Hint], theme: &Theme) {
        let purpose = match self.purpose {
            PickFor::GiveFloor => "Give the floor",
            PickFor::Hand => "Raise or lower a hand",
            PickFor::Note => "Note about",
        };
        let state = ctx.state;
        let mut lines = vec![
            Line::from(format!("{purpose}: press a member's label")),
            Line::from(""),
        ];
        let here: Vec<_> = (0..state.roster.members.len())
            .filter(|m| self.offered(state, *m))
            .collect();
        for chunk in here.chunks(2) {
            let spans: Vec<Span> = chunk
                .iter()
                .flat_map(|m| {
                    [
                        Span::styled(
                            format!(" {} ", label(*m)),
                            Style::default().fg(theme.key).add_modifier(Modifier::BOLD),
                        ),
                        Span::raw(format!("{:<22}", format::name(state, *m))),
                    ]
                })
                .collect();
            lines.push(Line::from(spans));
        }
        lines.push(Line::from(""));
        if let Some(member) = self.refused {
            lines.push(Line::from(Span::styled(
                format!(
                    "{} is marked absent or has left: mark them here first (attendance).",
                    format::name(state, member)
                ),
                Style::default().fg(theme.warning).add_modifier(Modifier::BOLD),
            )));
        }
        lines.extend(key_lines(theme, hints, WIDTH - 2));
        popup(frame, frame.area(), "Choose a member", lines, WIDTH, theme);
    }
}
