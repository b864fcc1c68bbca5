//! What an earlier session of the series left open — follow-ups and homework — shown at
//! the start of this one and closed here as they are dealt with. The items come from disk
//! (the last session's wrap-up); the session only records that they were shown, and when
//! each was closed (or opened again).

use serde::{Deserialize, Serialize};

use super::Millis;

/// One open item: a follow-up, or homework given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarriedItem {
    /// The same in every session the item is carried to: the id of the session that raised
    /// it, the kind, and which one (`<session id>/follow-up/2`, `<session id>/homework/group`,
    /// `<session id>/homework/<member>`).
    pub id: String,
    pub kind: CarriedKind,
    /// The session that raised it: the one it comes from, or an earlier one when that
    /// session carried it and did not close it.
    pub raised_session: u32,
    /// `YYYY-MM-DD` of that session.
    pub raised_date: String,
    /// A member's name, "group", or a segment's title.
    pub about: String,
    pub text: String,
    /// Who does it (a facilitator), for a follow-up; empty for homework.
    #[serde(default)]
    pub owner: String,
    /// `YYYY-MM-DD`, when set.
    #[serde(default)]
    pub due: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CarriedKind {
    FollowUp,
    Homework,
}

/// A carried item in this session: open, or closed at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Carried {
    pub item: CarriedItem,
    pub closed: Option<Millis>,
}

impl Carried {
    pub fn is_open(&self) -> bool {
        self.closed.is_none()
    }
}
