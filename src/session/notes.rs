//! Quick notes: about the group, a member or a segment, tagged, timestamped.

use serde::{Deserialize, Serialize};

use super::{MemberIx, Millis};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub at: Millis,
    pub about: About,
    pub tags: Vec<Tag>,
    pub text: String,
    /// When it was last corrected (its text, tags or subject).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amended: Option<Millis>,
    /// When it was withdrawn: it stays in the record, marked so, and counts for nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<Millis>,
    /// What it said, and about whom, before its first correction: a record keeps what was
    /// written, as a chart keeps a struck-through line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<FirstWritten>,
}

/// A corrected note as first written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirstWritten {
    pub about: About,
    pub text: String,
}

impl Note {
    /// A new note, neither amended nor withdrawn.
    pub fn new(at: Millis, about: About, tags: Vec<Tag>, text: impl Into<String>) -> Note {
        Note {
            at,
            about,
            tags,
            text: text.into(),
            amended: None,
            withdrawn: None,
            first: None,
        }
    }

    /// A note as typed: the text trimmed, with the `#tags` written in it added to `tags`;
    /// `None` for a note with no text.
    pub fn typed(at: Millis, about: About, mut tags: Vec<Tag>, text: &str) -> Option<Note> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        for tag in parse_tags(text) {
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        Some(Note::new(at, about, tags, text))
    }

    pub fn is_risk(&self) -> bool {
        self.tags.contains(&Tag::Risk) && self.withdrawn.is_none()
    }

    /// Flags come first wherever notes are listed: risk, then follow-up, then the rest.
    pub fn priority(&self) -> u8 {
        if self.withdrawn.is_some() {
            3
        } else if self.is_risk() {
            0
        } else if self.tags.contains(&Tag::FollowUp) {
            1
        } else {
            2
        }
    }
}

/// What a note is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum About {
    Group,
    Member(MemberIx),
    Segment(usize),
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Tag {
    Risk,
    FollowUp,
    Conflict,
    Insight,
    Custom(String),
}

impl Tag {
    pub fn label(&self) -> &str {
        match self {
            Tag::Risk => "risk",
            Tag::FollowUp => "follow-up",
            Tag::Conflict => "conflict",
            Tag::Insight => "insight",
            Tag::Custom(name) => name,
        }
    }

    /// A tag from the word after `#`: the four built-ins by name, anything else custom.
    pub fn from_word(word: &str) -> Option<Tag> {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '_');
        if word.is_empty() {
            return None;
        }
        Some(match word.to_lowercase().replace(['-', '_'], "").as_str() {
            "risk" => Tag::Risk,
            "followup" | "fu" => Tag::FollowUp,
            "conflict" => Tag::Conflict,
            "insight" => Tag::Insight,
            _ => Tag::Custom(word.to_lowercase()),
        })
    }
}

/// The `#tags` written in a note's text, in order, without repeats.
pub fn parse_tags(text: &str) -> Vec<Tag> {
    let mut tags = Vec::new();
    for word in text.split_whitespace() {
        if let Some(rest) = word.strip_prefix('#')
            && let Some(tag) = Tag::from_word(rest)
            && !tags.contains(&tag)
        {
            tags.push(tag);
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashtags_become_tags() {
        assert_eq!(
            parse_tags("mentions #risk and #follow-up, also #Sleep. #risk # #"),
            vec![Tag::Risk, Tag::FollowUp, Tag::Custom("sleep".into())]
        );
        assert_eq!(parse_tags("no tags here"), vec![]);
    }
}
