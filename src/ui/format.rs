//! How times and names appear on screen.

use chrono::{DateTime, FixedOffset};

use crate::session::{MemberIx, Millis, State};

/// `m:ss` (or `h:mm:ss`), with a sign when negative: `-2:05` is overtime.
pub fn clock(ms: i64) -> String {
    let sign = if ms < 0 { "-" } else { "" };
    let secs = ms.unsigned_abs() / 1000;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{sign}{h}:{m:02}:{s:02}")
    } else {
        format!("{sign}{m}:{s:02}")
    }
}

/// For a countdown: remaining time rounded up, so "0:00" means time is up, and overtime
/// with a `+` sign: `+2:05`.
pub fn countdown(remaining_ms: i64) -> String {
    if remaining_ms > 0 {
        clock((remaining_ms + 999) / 1000 * 1000)
    } else {
        format!("+{}", clock(-remaining_ms))
    }
}

/// Whole minutes with a sign, for "ahead / behind": `+5m`, `-3m`, `on time`.
pub fn drift(ms: i64) -> String {
    let minutes = (ms as f64 / 60_000.0).round() as i64;
    match minutes {
        0 => "on time".into(),
        m if m > 0 => format!("{} behind", hours_minutes(m)),
        m => format!("{} ahead", hours_minutes(-m)),
    }
}

/// Whole minutes as `45m`, or with hours as `1h43m`.
pub fn hours_minutes(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m:02}m"),
    }
}

/// Wall-clock `HH:MM` in the given offset.
pub fn wall(at: Millis, offset: FixedOffset) -> String {
    DateTime::from_timestamp_millis(at).map_or_else(
        || "--:--".into(),
        |t| t.with_timezone(&offset).format("%H:%M").to_string(),
    )
}

/// Wall-clock `HH:MM:SS` in the given offset: attendance is recorded to the second.
pub fn wall_seconds(at: Millis, offset: FixedOffset) -> String {
    DateTime::from_timestamp_millis(at).map_or_else(
        || "--:--:--".into(),
        |t| t.with_timezone(&offset).format("%H:%M:%S").to_string(),
    )
}

/// `text` cut to `width` characters, with `…` when cut, never in silence.
pub fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Labels used to pick a member with one key: 1-9, then a-z.
pub const LABELS: &str = "123456789abcdefghijklmnopqrstuvwxyz";

pub fn label(member: MemberIx) -> char {
    LABELS.chars().nth(member).unwrap_or('·')
}

pub fn member_for_label(ch: char) -> Option<MemberIx> {
    LABELS.find(ch.to_ascii_lowercase())
}

/// A member's name, or a neutral stand-in while the privacy curtain is drawn.
pub fn name(state: &State, member: MemberIx) -> String {
    if state.curtain {
        return format!("Member {}", state.stand_in(member));
    }
    state
        .roster
        .members
        .get(member)
        .map_or_else(|| format!("Member {}", label(member)), |m| m.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_and_countdowns() {
        assert_eq!(clock(0), "0:00");
        assert_eq!(clock(65_000), "1:05");
        assert_eq!(clock(3_725_000), "1:02:05");
        assert_eq!(countdown(64_001), "1:05");
        assert_eq!(countdown(0), "+0:00");
        assert_eq!(countdown(-125_000), "+2:05");
        assert_eq!(drift(5 * 60_000), "5m behind");
        assert_eq!(drift(-3 * 60_000), "3m ahead");
        assert_eq!(drift(20_000), "on time");
        assert_eq!(drift(103 * 60_000), "1h43m behind");
        assert_eq!(drift(-120 * 60_000), "2h ahead");
    }

    #[test]
    fn labels_round_trip() {
        for member in 0..35 {
            assert_eq!(member_for_label(label(member)), Some(member));
        }
    }
}
