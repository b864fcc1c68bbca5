//! Attendance as the facilitator marks it. Nobody is guessed present: every member starts
//! expected, is marked present by being given the floor or by a mark, and keeps the times
//! they arrived and left, to the second, for the minutes they attended.

use serde::{Deserialize, Serialize};

use super::Millis;

/// A mark given to a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Attendance {
    /// Not marked yet: expected, not known to be here. Rounds include them; giving them
    /// the floor marks them present.
    Expected,
    /// Here from the start.
    Present,
    /// Arrived late, at this time.
    Late {
        at: Millis,
    },
    /// Left before the end, at this time.
    LeftEarly {
        at: Millis,
    },
    Absent,
}

impl Attendance {
    /// Known to be in the room now.
    pub fn is_here(self) -> bool {
        matches!(self, Attendance::Present | Attendance::Late { .. })
    }

    /// May be given a turn: here, or expected and not marked yet.
    pub fn may_speak(self) -> bool {
        self.is_here() || self == Attendance::Expected
    }
}

/// One member's attendance: the latest mark, and when they arrived and left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Presence {
    pub mark: Attendance,
    /// When they arrived, if after the start.
    pub arrived: Option<Millis>,
    /// When they left, if before the end.
    pub left: Option<Millis>,
}

impl Presence {
    pub const EXPECTED: Presence = Presence {
        mark: Attendance::Expected,
        arrived: None,
        left: None,
    };

    pub fn is_here(&self) -> bool {
        self.mark.is_here()
    }

    pub fn may_speak(&self) -> bool {
        self.mark.may_speak()
    }

    /// A new mark at `at`: arriving late sets the arrival, leaving the departure; marking
    /// present again after leaving means they came back.
    pub fn mark(&mut self, mark: Attendance) {
        match mark {
            Attendance::Expected | Attendance::Absent => {
                self.arrived = None;
                self.left = None;
            }
            Attendance::Present => self.left = None,
            Attendance::Late { at } => {
                self.arrived = Some(at);
                self.left = None;
            }
            Attendance::LeftEarly { at } => self.left = Some(at),
        }
        self.mark = mark;
    }

    /// Whether the member attended at least part of the session (as marked).
    pub fn attended(&self) -> bool {
        matches!(
            self.mark,
            Attendance::Present | Attendance::Late { .. } | Attendance::LeftEarly { .. }
        )
    }

    /// Time in the room between `start` and `end` (the session's), or `None` when it was
    /// never recorded (still expected) or they were absent.
    pub fn attended_ms(&self, start: Millis, end: Millis) -> Option<Millis> {
        if !self.attended() {
            return None;
        }
        let from = self.arrived.map_or(start, |arrived| arrived.max(start));
        let to = self.left.map_or(end, |left| left.min(end));
        Some((to - from).max(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrival_and_leaving_give_the_minutes_attended() {
        let mut p = Presence::EXPECTED;
        assert_eq!(p.attended_ms(0, 5_400_000), None, "never recorded");
        p.mark(Attendance::Late { at: 600_000 });
        p.mark(Attendance::LeftEarly { at: 3_000_000 });
        assert_eq!(p.attended_ms(0, 5_400_000), Some(2_400_000));
        // Marked present again: they came back and stayed to the end.
        p.mark(Attendance::Present);
        assert_eq!(p.attended_ms(0, 5_400_000), Some(4_800_000));
        p.mark(Attendance::Absent);
        assert_eq!(p.attended_ms(0, 5_400_000), None);
        assert!(!p.may_speak());
        assert!(Presence::EXPECTED.may_speak() && !Presence::EXPECTED.is_here());
    }
}
