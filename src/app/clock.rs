//! The one place the live console reads the time: wall-clock at start, then a monotonic
//! clock, so the session's time never jumps with the system clock.

use std::time::Instant;

use crate::session::Millis;

#[derive(Debug, Clone, Copy)]
pub struct Clock {
    wall_at_start: Millis,
    start: Instant,
}

impl Clock {
    pub fn start() -> Clock {
        Clock {
            wall_at_start: chrono::Utc::now().timestamp_millis(),
            start: Instant::now(),
        }
    }

    pub fn now(&self) -> Millis {
        self.wall_at_start + self.start.elapsed().as_millis() as Millis
    }

    /// The instant at which `at` (on this clock) falls, for `sleep_until`.
    pub fn instant_of(&self, at: Millis) -> Instant {
        self.start + std::time::Duration::from_millis((at - self.wall_at_start).max(0) as u64)
    }
}

/// The local UTC offset now, for showing wall-clock times.
pub fn local_offset() -> chrono::FixedOffset {
    *chrono::Local::now().offset()
}
