//! Who runs the console and what they may do: one table, read by the key handling, the
//! help screen and the hint line, so none of them can disagree.

use crate::keymap::Action;

/// The three ways the console is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Runs the session: every action.
    Facilitator,
    /// A trainee following a live session: the agenda moves with the facilitator.
    Following,
    /// A trainee stepping along a plan on their own.
    Offline,
}

impl Role {
    pub fn is_trainee(self) -> bool {
        self != Role::Facilitator
    }

    /// Whether this role may take `action` on the main screen. A trainee takes notes,
    /// draws the curtain, reads the help and leaves; offline they also step through the
    /// agenda. Turns, attendance and the record are the facilitator's alone.
    pub fn allows(self, action: Action) -> bool {
        use Action::*;
        match (self, action) {
            (Role::Facilitator, _) => true,
            (_, Note | NoteAboutMember | Curtain | Help | Quit | MoreInfo | GroundRules) => true,
            (
                Role::Offline,
                StartPause | NextSegment | PreviousSegment | JumpToSegment | Extend | Shorten | ExtendFive
                | ShortenFive | Skip | NextStep | PreviousStep,
            ) => true,
            // Popups a trainee can open take their own keys.
            (_, action) => !matches!(action.context(), crate::keymap::Context::Main),
        }
    }

    /// What `action` does for this role, for the help: a trainee's `q` leaves, it never
    /// ends anyone's session.
    pub fn help(self, action: Action) -> &'static str {
        match (self, action) {
            (Role::Following | Role::Offline, Action::Quit) => "leave (your notes are kept)",
            _ => action.help(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trainees_never_touch_the_record() {
        for role in [Role::Following, Role::Offline] {
            for action in [
                Action::NextSpeaker,
                Action::Pass,
                Action::Attendance,
                Action::GiveFloor,
                Action::Rebalance,
                Action::Share,
                Action::SaveAs,
            ] {
                assert!(!role.allows(action), "{role:?} may {action:?}");
            }
            assert!(role.allows(Action::Note) && role.allows(Action::Curtain));
        }
        assert!(Role::Offline.allows(Action::NextSegment));
        assert!(!Role::Following.allows(Action::NextSegment));
        assert!(Action::ALL.iter().all(|a| Role::Facilitator.allows(*a)));
    }
}
