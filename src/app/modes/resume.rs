//! An unfinished session was found at start: resume it (counting the time it was down as
//! paused or as elapsed), start a new one beside it, or leave.

use ratatui::Frame;
use ratatui::text::Line;

use super::{Ctx, Mode, Step};
use crate::app::effect::Effect;
use crate::journal::Unfinished;
use crate::keymap::Action;
use crate::session::{Downtime, Millis};
use crate::theme::Theme;
use crate::ui::format::clock;
use crate::ui::popup::{Hint, key_lines, popup};

const WIDTH: u16 = 64;

#[derive(Debug)]
pub struct ResumeOffer {
    found: Box<Unfinished>,
    /// How long ago its last event was recorded.
    down_ms: Millis,
}

impl ResumeOffer {
    pub fn new(found: Unfinished, now: Millis) -> ResumeOffer {
        let alive = crate::app::record::last_alive(&found.path).filter(|at| *at <= now);
        ResumeOffer {
            // A clock set back since the crash would make it negative.
            down_ms: (now - found.last_event_at.max(alive.unwrap_or(i64::MIN))).max(0),
            found: Box::new(found),
        }
    }

    pub fn on_key(self, action: Option<Action>) -> Step {
        match action {
            Some(Action::ResumePaused) => Step::back(vec![Effect::Resume(self.found, Downtime::Paused)]),
            Some(Action::ResumeElapsed) if self.found.ended => Step::stay(Mode::Resume(self)),
            Some(Action::ResumeElapsed) => Step::back(vec![Effect::Resume(self.found, Downtime::Elapsed)]),
            Some(Action::ResumeNew) => Step::back(vec![Effect::StartNew]),
            // Leaving changes nothing: the unfinished session stays for later.
            Some(Action::ResumeLeave) => Step::back(vec![Effect::Postpone]),
            _ => Step::stay(Mode::Resume(self)),
        }
    }

    pub fn draw(&self, frame: &mut Frame, hints: &[Hint], theme: &Theme) {
        let mut lines = if self.found.ended {
            vec![
                Line::from(format!(
                    "A session ended without its summary: {}",
                    self.found.plan_title
                )),
                Line::from("Everything up to its end is in the journal."),
                Line::from(""),
            ]
        } else {
            vec![
                Line::from(format!(
                    "An unfinished session was found: {}",
                    self.found.plan_title
                )),
                Line::from(format!("It stopped {} ago.", clock(self.down_ms))),
                Line::from(""),
            ]
        };
        // One key a line: each choice must be read, not skimmed.
        for hint in hints {
            lines.extend(key_lines(theme, std::slice::from_ref(hint), WIDTH - 2));
        }
        popup(frame, frame.area(), "Resume", lines, WIDTH, theme);
    }
}

impl ResumeOffer {
    pub fn hints(&self, ctx: &Ctx) -> Vec<Hint> {
        if self.found.ended {
            // Its end is recorded: how the time was down no longer matters.
            return ctx.hints(&[
                (Action::ResumePaused, "write its summary now (then the wrap-up)"),
                (
                    Action::ResumeNew,
                    "start a new session (the ended one waits for its summary)",
                ),
                (Action::ResumeLeave, "leave for now"),
            ]);
        }
        ctx.hints(&[
            (Action::ResumePaused, "resume, counting that time as paused"),
            (Action::ResumeElapsed, "resume, counting it as elapsed"),
            (
                Action::ResumeNew,
                "start a new session (the old one stays, unfinished)",
            ),
            (Action::ResumeLeave, "leave for now"),
        ])
    }
}
