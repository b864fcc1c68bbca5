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
    /// When they left, if before the end (and they have not come back since).
    pub left: Option<Millis>,
    /// The last time they stepped out and came back: from, to.
    pub stepped_out: Option<(Millis, Millis)>,
    /// All the time they were out before coming back: no part of the time they attended.
    pub away_ms: Millis,
}

impl Presence {
    pub const EXPECTED: Presence = Presence {
        mark: Attendance::Expected,
        arrived: None,
        left: None,
        stepped_out: None,
        away_ms: 0,
    };

    pub fn is_here(&self) -> bool {
        self.mark.is_here()
    }

    pub fn may_speak(&self) -> bool {
        self.mark.may_speak()
    }

    /// A new mark given at `now`: arriving late sets the arrival, leaving the departure;
    /// marked here again after leaving, they came back, and the time out is kept apart.
    pub fn mark(&mut self, mark: Attendance, now: Millis) {
        match mark {
            Attendance::Expected | Attendance::Absent => {
                *self = Presence {
                    mark,
                    ..Presence::EXPECTED
                }
            }
            Attendance::Present | Attendance::Late { .. } if self.left.is_some() => {
                let left = self.left.take().unwrap_or(now);
                let back = match mark {
                    Attendance::Late { at } => at,
                    _ => now,
                }
                .max(left);
                self.stepped_out = Some((left, back));
                self.away_ms += back - left;
            }
            Attendance::Present => {}
            Attendance::Late { at } => self.arrived = Some(at),
            Attendance::LeftEarly { at } => self.left = Some(at),
        }
        self.mark = match mark {
            // Back after stepping out: here again, and still the one who arrived late.
            Attendance::Present if self.arrived.is_some() => Attendance::Late {
                at: self.arrived.unwrap_or(now),
            },
            _ => mark,
        };
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
        self.attended_ms_except(start, end, &[])
    }

    /// [`Presence::attended_ms`] less the spans `not_counted` (time the console was down
    /// and the facilitator counted as paused: it is no part of the session's duration, so
    /// no part of anyone's time in it either).
    pub fn attended_ms_except(
        &self,
        start: Millis,
        end: Millis,
        not_counted: &[(Millis, Millis)],
    ) -> Option<Millis> {
        if !self.attended() {
            return None;
        }
        let from = self.arrived.map_or(start, |arrived| arrived.max(start));
        let to = self.left.map_or(end, |left| left.min(end));
        let gaps: Millis = not_counted
            .iter()
            .map(|(gap_from, gap_to)| ((*gap_to).min(to) - (*gap_from).max(from)).max(0))
            .sum();
        Some((to - from - gaps - self.away_ms).max(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrival_and_leaving_give_the_minutes_attended() {
        let mut p = Presence::EXPECTED;
        assert_eq!(p.attended_ms(0, 5_400_000), None, "never recorded");
        p.mark(Attendance::Late { at: 600_000 }, 600_000);
        p.mark(Attendance::LeftEarly { at: 3_000_000 }, 3_000_000);
        assert_eq!(p.attended_ms(0, 5_400_000), Some(2_400_000));
        // Marked present again: they came back at 3,600,000 and stayed to the end; the
        // time out is kept, and they are still the one who arrived late.
        p.mark(Attendance::Present, 3_600_000);
        assert_eq!(p.attended_ms(0, 5_400_000), Some(4_200_000));
        assert_eq!(p.stepped_out, Some((3_000_000, 3_600_000)));
        assert_eq!(p.mark, Attendance::Late { at: 600_000 });
        assert_eq!(p.arrived, Some(600_000));
        // Seven seconds down, counted as paused, are no one's time in the session.
        assert_eq!(
            p.attended_ms_except(0, 5_400_000, &[(1_000_000, 1_007_000), (6_000_000, 6_100_000)]),
            Some(4_193_000)
        );
        p.mark(Attendance::Absent, 5_000_000);
        assert_eq!(p.attended_ms(0, 5_400_000), None);
        assert!(!p.may_speak());
        assert!(Presence::EXPECTED.may_speak() && !Presence::EXPECTED.is_here());
    }
}
