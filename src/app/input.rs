//! Keys and the mouse: what each does in each mode of the live console. Session changes
//! go through `Console::command`; everything else here is the console's own state.

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui_textarea::TextArea;

use super::console::{Console, Exit, Mode, PickFor};
use crate::keymap::Action;
use crate::session::{About, Attendance, Command, Event, Millis, State, Tag, decide};
use crate::ui::format::member_for_label;
use crate::ui::{Hit, Seat};

impl Console {
    /// A click on an agenda row jumps there; on a member selects them (again: deselects);
    /// the wheel over the notes scrolls them.
    pub fn on_mouse(&mut self, mouse: MouseEvent, now: Millis) {
        if !matches!(self.mode, Mode::Normal) {
            return;
        }
        let banner = self.banner_text().is_some();
        let Some(areas) = crate::ui::layout(self.screen, &self.session, banner) else {
            return;
        };
        let hit = crate::ui::hit(&areas, &self.session, mouse.column, mouse.row);
        match (mouse.kind, hit) {
            (MouseEventKind::Down(MouseButton::Left), Some(Hit::Segment(index))) if self.seat_steps() => {
                self.command(Command::JumpTo(index), now);
            }
            (MouseEventKind::Down(MouseButton::Left), Some(Hit::Member(member))) => {
                self.selected = if self.selected == Some(member) {
                    None
                } else {
                    Some(member)
                };
            }
            (MouseEventKind::ScrollUp, Some(Hit::Notes)) => {
                let count = self.shown_notes().len();
                self.notes_scroll = (self.notes_scroll + 1).min(count.saturating_sub(1));
            }
            (MouseEventKind::ScrollDown, Some(Hit::Notes)) => {
                self.notes_scroll = self.notes_scroll.saturating_sub(1)
            }
            _ => {}
        }
    }

    /// Whether this seat moves through the agenda itself (a live follower does not).
    fn seat_steps(&self) -> bool {
        !self.following
    }

    pub fn on_key(&mut self, key: KeyEvent, now: Millis) {
        let mode = std::mem::replace(&mut self.mode, Mode::Normal);
        self.mode = match mode {
            Mode::Normal => match self.keys.action(&key) {
                Some(action) => self.on_action(action, now),
                None => Mode::Normal,
            },
            Mode::Help => Mode::Normal,
            Mode::Message { .. } => Mode::Normal,
            Mode::ConfirmQuit => match key.code {
                KeyCode::Char('y' | 'Y') if self.seat == Seat::Observer => {
                    let saved = self
                        .observation_log
                        .as_ref()
                        .filter(|_| !self.observations.is_empty());
                    self.exit = Some(Exit::Observed(saved.map(|log| log.path().clone())));
                    Mode::Normal
                }
                KeyCode::Char('y' | 'Y') => {
                    self.command(Command::End, now);
                    self.finish();
                    std::mem::replace(&mut self.mode, Mode::Normal)
                }
                _ => Mode::Normal,
            },
            Mode::Note { editor, about, tags } => self.on_note_key(key, editor, about, tags, now),
            Mode::Attendance { selected } => self.on_attendance_key(key, selected, now),
            Mode::Pick(purpose) => match key.code {
                KeyCode::Char(c) => {
                    match member_for_label(c).filter(|m| *m < self.session.roster.members.len()) {
                        Some(member) => match purpose {
                            PickFor::GiveFloor => {
                                self.command(Command::GiveFloor(member), now);
                                Mode::Normal
                            }
                            PickFor::Hand => {
                                self.command(Command::ToggleHand(member), now);
                                Mode::Normal
                            }
                            PickFor::Note => self.open_note(About::Member(member)),
                        },
                        None => Mode::Pick(purpose),
                    }
                }
                KeyCode::Esc => Mode::Normal,
                _ => Mode::Pick(purpose),
            },
            Mode::PickSegment => match key.code {
                KeyCode::Char(c) => match member_for_label(c) {
                    Some(index) if index < self.session.segments.len() => {
                        self.command(Command::JumpTo(index), now);
                        Mode::Normal
                    }
                    _ => Mode::PickSegment,
                },
                _ => Mode::Normal,
            },
            Mode::Rebalance(proposal) => match key.code {
                KeyCode::Enter => {
                    self.command(Command::AcceptRebalance(proposal.changes()), now);
                    Mode::Normal
                }
                KeyCode::Esc | KeyCode::Char('q') => Mode::Normal,
                _ => Mode::Rebalance(proposal),
            },
            Mode::SaveAs { mut editor, error } => match key.code {
                KeyCode::Esc => Mode::Normal,
                KeyCode::Enter => {
                    let dir = PathBuf::from(editor.lines().join("").trim());
                    self.save_summary_to(dir, editor)
                }
                _ => {
                    editor.input(key);
                    Mode::SaveAs { editor, error }
                }
            },
            // The loop answers the resume question before keys reach the console.
            resume @ Mode::Resume { .. } => resume,
        };
    }

    /// A trainee's note: built by the core like any note (tags, time), but kept in their
    /// own observations and file, never in the session.
    fn observe(&mut self, command: Command, now: Millis) {
        for event in decide(&self.session, command, now) {
            if let Event::NoteAdded { note, .. } = event {
                let log = self.observation_log.get_or_insert_with(|| {
                    crate::observations::ObservationLog::new(
                        &self.data,
                        &self.session,
                        &self.trainee,
                        now,
                        super::clock::local_offset(),
                    )
                });
                self.save_error = log.add(&note, &self.session).err();
                self.observations.push(note);
            }
        }
    }

    /// What a trainee may do: step along on their own (unless following a live session),
    /// take notes, draw the curtain, read the help, leave. Never turns or attendance.
    fn allowed(&self, action: Action) -> bool {
        match self.seat {
            Seat::Facilitator => true,
            Seat::Observer => match action {
                Action::Note | Action::NoteAboutMember | Action::Curtain | Action::Help | Action::Quit => {
                    true
                }
                Action::StartPause
                | Action::NextSegment
                | Action::PreviousSegment
                | Action::JumpToSegment
                | Action::Extend
                | Action::Shorten
                | Action::ExtendFive
                | Action::ShortenFive
                | Action::Skip
                | Action::NextStep
                | Action::PreviousStep => !self.following,
                _ => false,
            },
        }
    }

    fn on_action(&mut self, action: Action, now: Millis) -> Mode {
        if !self.allowed(action) {
            return Mode::Normal;
        }
        let session_command = |command| Some(command);
        let command = match action {
            Action::StartPause => session_command(Command::StartPause),
            Action::NextSegment => session_command(Command::NextSegment),
            Action::PreviousSegment => session_command(Command::PreviousSegment),
            Action::Extend => session_command(Command::Adjust(60)),
            Action::Shorten => session_command(Command::Adjust(-60)),
            Action::ExtendFive => session_command(Command::Adjust(300)),
            Action::ShortenFive => session_command(Command::Adjust(-300)),
            Action::Skip => session_command(Command::Skip),
            Action::NextStep => session_command(Command::NextStep),
            Action::PreviousStep => session_command(Command::PreviousStep),
            Action::NextSpeaker => session_command(Command::NextSpeaker),
            Action::Pass => session_command(Command::Pass),
            Action::EndTurn => session_command(Command::EndTurn),
            Action::Invite => self.session.suggest_invite(now).map(Command::GiveFloor),
            Action::Curtain => session_command(Command::ToggleCurtain),
            Action::Share => {
                self.toggle_share();
                None
            }
            Action::JumpToSegment => return Mode::PickSegment,
            Action::GiveFloor => match self.selected {
                Some(member) => Some(Command::GiveFloor(member)),
                None => return Mode::Pick(PickFor::GiveFloor),
            },
            Action::RaiseHand => return Mode::Pick(PickFor::Hand),
            Action::NoteAboutMember => return Mode::Pick(PickFor::Note),
            Action::Note => {
                let about = match (self.selected, self.session.current_turn()) {
                    (Some(member), _) => About::Member(member),
                    (None, Some(turn)) => About::Member(turn.member),
                    (None, None) => About::Group,
                };
                return self.open_note(about);
            }
            Action::Attendance => return Mode::Attendance { selected: 0 },
            Action::Rebalance => {
                return match self.session.propose_rebalance(now) {
                    Some(proposal) if proposal.changes().is_empty() && proposal.overrun_secs == 0 => {
                        Mode::Message {
                            title: "Rebalance".into(),
                            text: "The rest of the agenda already ends on time.".into(),
                        }
                    }
                    Some(proposal) => Mode::Rebalance(proposal),
                    None => Mode::Message {
                        title: "Rebalance".into(),
                        text: "Nothing is left to rebalance: no upcoming segments.".into(),
                    },
                };
            }
            Action::SaveAs => return save_as_prompt(None),
            Action::Help => return Mode::Help,
            Action::Quit if self.session.is_ended() => {
                self.exit = Some(Exit::Unfinished);
                return Mode::Normal;
            }
            Action::Quit => return Mode::ConfirmQuit,
        };
        if let Some(command) = command {
            self.command(command, now);
        }
        Mode::Normal
    }

    fn open_note(&mut self, about: About) -> Mode {
        let mut editor = TextArea::new(
            self.draft
                .take()
                .map(|d| d.lines().map(String::from).collect())
                .unwrap_or_default(),
        );
        editor.move_cursor(ratatui_textarea::CursorMove::End);
        editor.set_placeholder_text("Type the note. #risk, #follow-up or any #tag works too.");
        Mode::Note {
            editor,
            about,
            tags: Vec::new(),
        }
    }

    fn on_note_key(
        &mut self,
        key: KeyEvent,
        mut editor: TextArea<'static>,
        mut about: About,
        mut tags: Vec<Tag>,
        now: Millis,
    ) -> Mode {
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let toggle = |tags: &mut Vec<Tag>, tag: Tag| {
            if let Some(pos) = tags.iter().position(|t| *t == tag) {
                tags.remove(pos);
            } else {
                tags.push(tag);
            }
        };
        match key.code {
            KeyCode::Esc => {
                let text = editor.lines().join("\n");
                self.draft = Some(text).filter(|t| !t.trim().is_empty());
                return Mode::Normal;
            }
            KeyCode::Enter if alt => editor.insert_newline(),
            KeyCode::Enter => {
                let text = editor.lines().join("\n");
                let command = Command::AddNote { about, tags, text };
                match self.seat {
                    Seat::Facilitator => self.command(command, now),
                    Seat::Observer => self.observe(command, now),
                }
                return Mode::Normal;
            }
            KeyCode::Tab => about = next_about(&self.session, about),
            KeyCode::Char('r') if alt => toggle(&mut tags, Tag::Risk),
            KeyCode::Char('f') if alt => toggle(&mut tags, Tag::FollowUp),
            KeyCode::Char('c') if alt => toggle(&mut tags, Tag::Conflict),
            KeyCode::Char('i') if alt => toggle(&mut tags, Tag::Insight),
            _ => {
                editor.input(key);
            }
        }
        Mode::Note { editor, about, tags }
    }

    fn on_attendance_key(&mut self, key: KeyEvent, selected: usize, now: Millis) -> Mode {
        let count = self.session.roster.members.len();
        let status = match key.code {
            KeyCode::Esc | KeyCode::Enter => return Mode::Normal,
            KeyCode::Up => {
                return Mode::Attendance {
                    selected: selected.saturating_sub(1),
                };
            }
            KeyCode::Down => {
                return Mode::Attendance {
                    selected: (selected + 1).min(count.saturating_sub(1)),
                };
            }
            KeyCode::Char(c @ '1'..='9') => {
                let member = member_for_label(c).unwrap_or(0);
                return Mode::Attendance {
                    selected: member.min(count.saturating_sub(1)),
                };
            }
            KeyCode::Char('p') => Attendance::Present,
            KeyCode::Char('l') => Attendance::Late { at: now },
            KeyCode::Char('e') => Attendance::LeftEarly { at: now },
            KeyCode::Char('x') => Attendance::Absent,
            _ => return Mode::Attendance { selected },
        };
        if selected < count {
            self.command(Command::MarkAttendance(selected, status), now);
        }
        Mode::Attendance {
            selected: (selected + 1).min(count.saturating_sub(1)),
        }
    }
}

pub(super) fn save_as_prompt(error: Option<String>) -> Mode {
    let mut editor = TextArea::default();
    editor.set_placeholder_text("a folder, e.g. /media/usb/holdspace");
    Mode::SaveAs { editor, error }
}

/// Tab in the note editor: the group → the current segment → each member present → the group.
fn next_about(state: &State, about: About) -> About {
    let present: Vec<_> = state.present_members().collect();
    match about {
        About::Group => About::Segment(state.current),
        About::Segment(_) => present.first().map_or(About::Group, |m| About::Member(*m)),
        About::Member(m) => present
            .iter()
            .find(|p| **p > m)
            .map_or(About::Group, |p| About::Member(*p)),
    }
}
