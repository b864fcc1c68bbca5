//! The session's notes in a list, to correct one (its text, tags or whom it is about) or
//! withdraw it. Both are journaled with their time; nothing is ever erased.

use ratatui::Frame;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::{Ctx, Mode, NoteEditor, Step};
use crate::app::effect::Effect;
use crate::keymap::{Action, Context};
use crate::session::{About, Command, State};
use crate::theme::Theme;
use crate::ui::format;
use crate::ui::popup::{Hint, key_lines, popup};

const WIDTH: u16 = 76;

#[derive(Debug)]
pub struct NotesList {
    /// Position in the list, newest first.
    selected: usize,
    /// Asking whether to withdraw the selected note.
    confirming: bool,
}

impl NotesList {
    pub fn new(_state: &State) -> NotesList {
        NotesList {
            selected: 0,
            confirming: false,
        }
    }

    /// The keys read now: the list's, or yes/no while asking.
    pub fn context(&self) -> Context {
        if self.confirming {
            Context::Confirm
        } else {
            Context::Notes
        }
    }

    /// The selected note's place in the session's notes (the list shows newest first).
    fn index(&self, state: &State) -> Option<usize> {
        state.notes.len().checked_sub(self.selected + 1)
    }

    pub fn on_key(mut self, action: Option<Action>, ctx: &Ctx) -> Step {
        let count = ctx.state.notes.len();
        if self.confirming {
            self.confirming = false;
            return match (action, self.index(ctx.state)) {
                (Some(Action::Yes), Some(index)) => Step::to(
                    Mode::NotesList(self),
                    vec![Effect::Command(Command::WithdrawNote(index))],
                ),
                _ => Step::stay(Mode::NotesList(self)),
            };
        }
        match action {
            Some(Action::NotesClose) => return Step::back(Vec::new()),
            Some(Action::NotesUp) => self.selected = self.selected.saturating_sub(1),
            Some(Action::NotesDown) => self.selected = (self.selected + 1).min(count.saturating_sub(1)),
            Some(Action::NotesCorrect) => {
                if let Some(editor) = self
                    .index(ctx.state)
                    .and_then(|i| NoteEditor::correcting(ctx.state, i))
                {
                    return Step::stay(Mode::Note(editor));
                }
            }
            Some(Action::NotesWithdraw) => {
                let open = self
                    .index(ctx.state)
                    .and_then(|i| ctx.state.notes.get(i))
                    .is_some_and(|n| n.withdrawn.is_none());
                self.confirming = open;
            }
            _ => {}
        }
        Step::stay(Mode::NotesList(self))
    }

    pub fn hints(&self, ctx: &Ctx) -> Vec<Hint> {
        if self.confirming {
            ctx.hints(&[(Action::Yes, "yes, withdraw it"), (Action::No, "no")])
        } else {
            ctx.hints(&[
                (Action::NotesUp, "up"),
                (Action::NotesDown, "down"),
                (Action::NotesCorrect, "correct"),
                (Action::NotesWithdraw, "withdraw"),
                (Action::NotesClose, "close"),
            ])
        }
    }

    pub fn draw(&self, frame: &mut Frame, ctx: &Ctx, hints: &[Hint], theme: &Theme) {
        let area = frame.area();
        let state = ctx.state;
        let mut lines = Vec::new();
        if state.notes.is_empty() {
            lines.push(Line::from("No notes yet."));
        }
        let rows = usize::from(area.height).saturating_sub(8).max(1);
        let first = self.selected.saturating_sub(rows.saturating_sub(1));
        for (position, note) in state.notes.iter().rev().enumerate().skip(first).take(rows) {
            let about = match note.about {
                About::Group => "group".to_owned(),
                About::Member(m) => format::name(state, m),
                About::Segment(s) => state
                    .plan
                    .agenda
                    .get(s)
                    .map_or_else(|| "segment".into(), |x| x.title.clone()),
            };
            // Marks come before the text: a long note is cut at its end, never its mark.
            let mut mark = String::new();
            if let Some(at) = note.withdrawn {
                mark.push_str(&format!("WITHDRAWN {} · ", format::wall(at, ctx.offset)));
            } else if let Some(at) = note.amended {
                mark.push_str(&format!("amended {} · ", format::wall(at, ctx.offset)));
            }
            if note.is_risk() {
                mark.push_str("!RISK ");
            }
            let text: String = note.text.replace('\n', " ⏎ ");
            let style = if position == self.selected {
                Style::default().bg(theme.selection).add_modifier(Modifier::BOLD)
            } else if note.withdrawn.is_some() {
                Style::default()
                    .fg(theme.muted)
                    .add_modifier(Modifier::CROSSED_OUT)
            } else {
                Style::default()
            };
            let line = format!("{} {mark}{about}: {text}", format::wall(note.at, ctx.offset));
            let line: String = format::fit(&line, usize::from(WIDTH) - 4);
            lines.push(Line::from(Span::styled(format!(" {line}"), style)));
        }
        lines.push(Line::from(""));
        if self.confirming {
            lines.push(Line::from(Span::styled(
                "Withdraw this note? It stays in the record, marked withdrawn.",
                Style::default().fg(theme.warning).add_modifier(Modifier::BOLD),
            )));
        }
        lines.extend(key_lines(theme, hints, WIDTH - 2));
        popup(frame, area, "Notes", lines, WIDTH, theme);
    }
}
