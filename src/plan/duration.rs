//! Human durations as written in plans: `"45s"`, `"5m"`, `"1h30m"`, `"1h 15m"`.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A positive length of time, to the second, as a plan writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PlanDuration {
    secs: u64,
}

/// Why a duration string did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    #[error("empty duration: expected something like \"5m\", \"90s\" or \"1h30m\"")]
    Empty,
    #[error("duration {0:?} has a number without a unit: write \"{0}m\" for minutes or \"{0}s\" for seconds")]
    MissingUnit(String),
    #[error(
        "duration {found:?} has an unknown unit `{unit}`: use h, m or s (as in \"1h30m\", \"5m\", \"45s\")"
    )]
    UnknownUnit { found: String, unit: char },
    #[error(
        "duration {0:?} is not a duration: expected digits and units, as in \"1h30m\", \"5m\" or \"45s\""
    )]
    Malformed(String),
    #[error("duration {0:?} is zero: a segment, step or threshold needs a positive length")]
    Zero(String),
    #[error("duration {0:?} is too long: a plan's times are at most 24h")]
    TooLong(String),
}

const MAX_SECS: u64 = 24 * 3600;

impl PlanDuration {
    pub const fn from_secs(secs: u64) -> Self {
        Self { secs }
    }

    pub const fn from_mins(mins: u64) -> Self {
        Self { secs: mins * 60 }
    }

    pub const fn as_secs(self) -> u64 {
        self.secs
    }

    /// Milliseconds, signed, as the session core counts time.
    pub const fn as_millis(self) -> i64 {
        self.secs as i64 * 1000
    }
}

impl FromStr for PlanDuration {
    type Err = DurationError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let text = input.trim();
        if text.is_empty() {
            return Err(DurationError::Empty);
        }
        let mut secs: u64 = 0;
        let mut number: Option<u64> = None;
        for ch in text.chars() {
            match ch {
                '0'..='9' => {
                    let digit = u64::from(ch as u8 - b'0');
                    let next = number
                        .unwrap_or(0)
                        .checked_mul(10)
                        .and_then(|n| n.checked_add(digit))
                        .ok_or_else(|| DurationError::TooLong(input.to_owned()))?;
                    number = Some(next);
                }
                ' ' => {}
                'h' | 'm' | 's' => {
                    let value = number
                        .take()
                        .ok_or_else(|| DurationError::Malformed(input.to_owned()))?;
                    let unit = match ch {
                        'h' => 3600,
                        'm' => 60,
                        _ => 1,
                    };
                    secs = value
                        .checked_mul(unit)
                        .and_then(|v| secs.checked_add(v))
                        .ok_or_else(|| DurationError::TooLong(input.to_owned()))?;
                }
                other if other.is_alphabetic() => {
                    return Err(DurationError::UnknownUnit {
                        found: input.to_owned(),
                        unit: other,
                    });
                }
                _ => return Err(DurationError::Malformed(input.to_owned())),
            }
        }
        if let Some(n) = number {
            return Err(DurationError::MissingUnit(n.to_string()));
        }
        if secs == 0 {
            return Err(DurationError::Zero(input.to_owned()));
        }
        if secs > MAX_SECS {
            return Err(DurationError::TooLong(input.to_owned()));
        }
        Ok(Self { secs })
    }
}

impl fmt::Display for PlanDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (h, m, s) = (self.secs / 3600, self.secs / 60 % 60, self.secs % 60);
        if h > 0 {
            write!(f, "{h}h")?;
        }
        if m > 0 {
            write!(f, "{m}m")?;
        }
        if s > 0 || self.secs == 0 {
            write!(f, "{s}s")?;
        }
        Ok(())
    }
}

impl Serialize for PlanDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PlanDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DurationVisitor;

        impl Visitor<'_> for DurationVisitor {
            type Value = PlanDuration;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a duration string such as \"5m\", \"90s\" or \"1h30m\"")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<PlanDuration, E> {
                value.parse().map_err(E::custom)
            }
        }

        deserializer.deserialize_str(DurationVisitor)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn parses_every_documented_form() {
        let cases = [
            ("45s", 45),
            ("90s", 90),
            ("5m", 300),
            ("1h30m", 5400),
            ("1h 15m", 4500),
            ("2m30s", 150),
        ];
        for (text, secs) in cases {
            assert_eq!(
                text.parse::<PlanDuration>(),
                Ok(PlanDuration::from_secs(secs)),
                "{text}"
            );
        }
    }

    #[test]
    fn rejects_what_is_not_a_duration() {
        assert_eq!("".parse::<PlanDuration>(), Err(DurationError::Empty));
        assert!(matches!(
            "5".parse::<PlanDuration>(),
            Err(DurationError::MissingUnit(_))
        ));
        assert!(matches!(
            "5x".parse::<PlanDuration>(),
            Err(DurationError::UnknownUnit { unit: 'x', .. })
        ));
        assert!(matches!(
            "0m".parse::<PlanDuration>(),
            Err(DurationError::Zero(_))
        ));
        assert!(matches!(
            "m".parse::<PlanDuration>(),
            Err(DurationError::Malformed(_))
        ));
        assert!(matches!(
            "25h".parse::<PlanDuration>(),
            Err(DurationError::TooLong(_))
        ));
        assert!(matches!(
            "99999999999999999999999h".parse::<PlanDuration>(),
            Err(DurationError::TooLong(_))
        ));
    }

    proptest! {
        #[test]
        fn display_round_trips(secs in 1u64..=MAX_SECS) {
            let d = PlanDuration::from_secs(secs);
            prop_assert_eq!(d.to_string().parse::<PlanDuration>(), Ok(d));
        }

        #[test]
        fn never_panics_on_any_text(text in ".*") {
            let _ = text.parse::<PlanDuration>();
        }
    }
}
