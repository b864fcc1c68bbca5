//! Supervision of a summary: its status (draft → submitted → signed, or returned), the
//! sign-off with the summary's SHA-256, comments on the session, a note or a trainee's
//! observation, and addenda after sign-off. All of it lives in append-only **sidecar
//! records** beside the summary; the summary itself is never edited.
//!
//! # The sidecar records (version 1)
//!
//! Every action is one small file of its own in the summary's folder, named
//!
//! ```text
//! NAME.review.20250305T101500Z-dr-amal-chowdhury-3f9a2c.ron
//! ```
//!
//! beside `NAME.ron`: the summary's name, `.review.`, when (UTC), who (as a slug) and six
//! random hex digits, so two machines sharing the folder (Syncthing, a network share) never
//! write the same file, and a record is never edited once written (it is published whole,
//! owner-only, and never over an existing name). The status is the fold of every record in
//! time order ([`fold`]). A record reads:
//!
//! ```ron
//! Review(
//!     version: 1,
//!     summary: "2025-03-04_1800_managing-anxiety.ron",
//!     session_id: "2025-03-04T18-00-00-4f2a",
//!     author: "Dr. Amal Chowdhury",
//!     at: "2025-03-05T10:15:00+06:00",
//!     action: Signed(summary_sha256: "9f86…", wrapup_sha256: None),
//!     on: Session,
//!     text: "Good containment of the conflict in the check-in.",
//! )
//! ```
//!
//! - `action`: `Submitted(summary_sha256: …)`, `Signed(summary_sha256: …, wrapup_sha256: …)`,
//!   `Returned`, `Comment` or `Addendum`.
//! - `on`: `Session`, `Note("key")` (a facilitator's note) or
//!   `Observation(trainee: "…", note: "key")`; a key is [`note_key`] of the note's time,
//!   subject and text, so it survives re-exports and needs no id in the summary.
//! - Unknown fields are ignored; later versions only add fields with defaults.

pub mod store;

use serde::{Deserialize, Serialize};

use crate::summary::bytes_sha256;

/// The version [`store::append`] writes.
pub const RECORD_VERSION: u32 = 1;

/// One supervision action. See the module docs for the file format.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename = "Review")]
pub struct Record {
    pub version: u32,
    /// The summary's file name.
    pub summary: String,
    #[serde(default)]
    pub session_id: String,
    pub author: String,
    /// RFC 3339 with the author's offset.
    pub at: String,
    pub action: Action,
    #[serde(default)]
    pub on: Target,
    #[serde(default)]
    pub text: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// The facilitator hands the summary in for sign-off.
    Submitted {
        summary_sha256: String,
    },
    /// A supervisor approves it as it is: these bytes of the summary and of its wrap-up.
    Signed {
        summary_sha256: String,
        #[serde(default)]
        wrapup_sha256: Option<String>,
    },
    /// A supervisor sends it back with comments.
    Returned,
    Comment,
    /// A correction after sign-off, as in a clinical chart.
    Addendum,
}

impl Action {
    /// Where the action comes in a summary's life, for records of the same moment.
    fn rank(&self) -> u8 {
        match self {
            Action::Submitted { .. } => 0,
            Action::Returned | Action::Signed { .. } => 1,
            Action::Comment | Action::Addendum => 2,
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Action::Submitted { .. } => "submitted",
            Action::Signed { .. } => "signed",
            Action::Returned => "returned",
            Action::Comment => "comment",
            Action::Addendum => "addendum",
        }
    }
}

/// What a record is about.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Target {
    #[default]
    Session,
    /// A facilitator's note, by [`note_key`].
    Note(String),
    /// A trainee's observation, by trainee and [`note_key`].
    Observation { trainee: String, note: String },
}

/// A short, stable key of a note: its time, subject and text hashed.
pub fn note_key(at: &str, about: &str, text: &str) -> String {
    let digest = bytes_sha256(format!("{at}\u{1f}{about}\u{1f}{text}").as_bytes());
    digest.chars().take(12).collect()
}

/// Where a summary stands.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Draft,
    Submitted,
    Signed,
    Returned,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Draft, Status::Submitted, Status::Signed, Status::Returned];

    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::Signed => "signed",
            Status::Returned => "returned",
        }
    }

    pub fn parse(word: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.label() == word)
    }
}

/// The last sign-off: who, when, and what they signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignOff {
    pub by: String,
    pub at: String,
    pub summary_sha256: String,
    pub wrapup_sha256: Option<String>,
}

impl SignOff {
    /// Whether files with these hashes (`None`: not there) differ from what was signed.
    pub fn changed(&self, summary_sha256: Option<&str>, wrapup_sha256: Option<&str>) -> bool {
        summary_sha256 != Some(self.summary_sha256.as_str()) || wrapup_sha256 != self.wrapup_sha256.as_deref()
    }
}

/// A summary's supervision, folded from its records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Review {
    pub status: Status,
    /// The sign-off in force (cleared by a later return or submission).
    pub signed: Option<SignOff>,
    /// Every record in time order.
    pub records: Vec<Record>,
}

impl Review {
    /// Whether the summary (or its wrap-up) differs from what was signed. `None` for a
    /// hash means the file is not there.
    pub fn changed_after_sign_off(&self, summary_sha256: Option<&str>, wrapup_sha256: Option<&str>) -> bool {
        self.signed
            .as_ref()
            .is_some_and(|s| s.changed(summary_sha256, wrapup_sha256))
    }

    /// The hash of the summary as it was submitted, while it waits for sign-off.
    pub fn submitted_sha256(&self) -> Option<&str> {
        if self.status != Status::Submitted {
            return None;
        }
        self.records.iter().rev().find_map(|r| match &r.action {
            Action::Submitted { summary_sha256 } => Some(summary_sha256.as_str()),
            _ => None,
        })
    }

    /// What a sign-off `record` signed that the record before it did not: a summary other
    /// than the one submitted, or one changed since the sign-off before. A history must say
    /// so, or signing again would hide the change.
    pub fn signed_another_version(&self, record: &Record) -> Option<&'static str> {
        let Action::Signed {
            summary_sha256,
            wrapup_sha256,
        } = &record.action
        else {
            return None;
        };
        let at = self.records.iter().position(|r| std::ptr::eq(r, record))?;
        self.records[..at]
            .iter()
            .rev()
            .find_map(|before| match &before.action {
                Action::Submitted { summary_sha256: then } => (then != summary_sha256)
                    .then_some("what was signed is not what was submitted: the summary changed in between"),
                Action::Signed {
                    summary_sha256: then,
                    wrapup_sha256: wrapup_then,
                } => (then != summary_sha256 || wrapup_then != wrapup_sha256).then_some(
                    "signed again after the summary or its wrap-up changed since the sign-off before",
                ),
                _ => None,
            })
    }

    /// Records about `target`, in time order.
    pub fn about<'a>(&'a self, target: &'a Target) -> impl Iterator<Item = &'a Record> + 'a {
        self.records.iter().filter(move |r| &r.on == target)
    }

    /// Records about the session itself: status changes, comments, addenda.
    pub fn session_records(&self) -> impl Iterator<Item = &Record> {
        self.about(&Target::Session)
    }

    /// Comments on a note or an observation that is none of `present` any more (it was
    /// corrected, or the file edited, since): they are never dropped, only no longer beside
    /// what they were about.
    pub fn comments_not_on<'a>(&'a self, present: &'a [Target]) -> impl Iterator<Item = &'a Record> + 'a {
        self.records
            .iter()
            .filter(move |r| r.on != Target::Session && !present.contains(&r.on))
    }
}

/// The supervision of a summary from its records, in any order: they are taken in time
/// order (to the millisecond; ties in the order of the lifecycle, then by author), the
/// last status change wins.
pub fn fold(mut records: Vec<Record>) -> Review {
    sort(&mut records);
    let (status, signed) = status_of(records.iter());
    Review {
        status,
        signed,
        records,
    }
}

/// Sorts records (or references to them) into the order [`fold`] takes them in.
pub fn sort<R: std::borrow::Borrow<Record>>(records: &mut [R]) {
    records.sort_by(|a, b| {
        let (a, b) = (a.borrow(), b.borrow());
        instant(&a.at)
            .cmp(&instant(&b.at))
            .then_with(|| a.action.rank().cmp(&b.action.rank()))
            .then_with(|| a.author.cmp(&b.author))
    });
}

/// The status and the sign-off in force after `records`, taken in the order given.
pub fn status_of<'a>(records: impl IntoIterator<Item = &'a Record>) -> (Status, Option<SignOff>) {
    let mut status = Status::Draft;
    let mut signed = None;
    for r in records {
        match &r.action {
            Action::Submitted { .. } => {
                status = Status::Submitted;
                signed = None;
            }
            Action::Signed {
                summary_sha256,
                wrapup_sha256,
            } => {
                status = Status::Signed;
                signed = Some(SignOff {
                    by: r.author.clone(),
                    at: r.at.clone(),
                    summary_sha256: summary_sha256.clone(),
                    wrapup_sha256: wrapup_sha256.clone(),
                });
            }
            Action::Returned => {
                status = Status::Returned;
                signed = None;
            }
            Action::Comment | Action::Addendum => {}
        }
    }
    (status, signed)
}

/// Milliseconds since the epoch of an RFC 3339 time, for ordering records written with
/// different offsets; unreadable times sort first.
fn instant(at: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(at).map_or(i64::MIN, |t| t.timestamp_millis())
}

/// Why an action is refused now.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Refused {
    #[error(
        "it is already signed by {by} ({at}) and has not changed since; add a comment or an addendum instead"
    )]
    AlreadySigned { by: String, at: String },
    #[error(
        "it is signed by {by}; corrections after sign-off are addenda (A in the review, --addendum on the command line)"
    )]
    SignedAlready { by: String },
    #[error("returning it needs a comment that says what to change")]
    NeedsComment,
    #[error("an addendum corrects a signed summary, and this one is {0}: comment on it instead")]
    NotSigned(&'static str),
    #[error("say who you are with --as NAME")]
    NoAuthor,
    #[error("it is a draft: the facilitator submits it before it is signed or returned")]
    NotSubmitted,
    #[error("it was returned: it is signed once the facilitator has submitted it again")]
    NotResubmitted,
    #[error("it is already submitted and has not changed since")]
    AlreadySubmitted,
    #[error(
        "{author} names {facilitator}, who facilitated this session: someone else signs or returns it, under their own full name"
    )]
    OwnSession { author: String, facilitator: String },
    #[error("it is already returned and waits for the facilitator to submit it again; comment instead")]
    AlreadyReturned,
    #[error(
        "{0} is not the full name of one of this session's facilitators: one of them submits it, named as the summary names them"
    )]
    NotFacilitator(String),
    #[error("this is a conflict copy made by a synced folder: open the summary itself")]
    ConflictCopy,
}

/// Whether two written names are one person's, as far as a sign-off must tell: case,
/// spacing, punctuation, order ("Okafor, Amara"), a title ("Dr.", "Ms"), letters after
/// the name ("PhD", "MSW") and a note in brackets ("(co-lead)") make no difference, and a
/// name of two words or more written with a middle name or initial is the same name
/// ("Nadia R. Rahman" is "Dr. Nadia Rahman"). A single word ("Sam") is someone only when
/// it is all the other name is, so "Sam Jones" is not "Sam".
pub fn same_person(a: &str, b: &str) -> bool {
    let (a, b) = (name_words(a), name_words(b));
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    if short.is_empty() {
        return false;
    }
    if short.len() == 1 {
        return short == long;
    }
    short.iter().all(|w| long.contains(w))
}

/// Whether `author` may be the person written `facilitator`: the same name however written
/// ([`same_person`]), or a part of it — a first name or a surname alone, initials
/// ("S. Akter", "Akter, S."), the words run together in any order ("AkterSamir") — with accents
/// or without. A sign-off must not be by the session's own facilitator under a shortened
/// name; someone else writes their full name, which shares at most part of it ("Priya
/// Shah" is not "Priya Natarajan").
pub fn may_be(author: &str, facilitator: &str) -> bool {
    if same_person(author, facilitator) {
        return true;
    }
    let (a, f) = (name_words(author), name_words(facilitator));
    if a.is_empty() || f.is_empty() {
        return false;
    }
    if made_of(&a.concat(), &f) {
        return true;
    }
    let initial = |short: &str, long: &str| short.chars().count() == 1 && long.starts_with(short);
    a.iter()
        .all(|w| f.iter().any(|g| w == g || initial(w, g) || initial(g, w)))
}

/// Whether `word` is all of `parts` run together, in any order ("rahmannadia").
fn made_of(word: &str, parts: &[String]) -> bool {
    if parts.is_empty() {
        return word.is_empty();
    }
    parts.iter().enumerate().any(|(i, part)| {
        word.strip_prefix(part.as_str()).is_some_and(|rest| {
            let others: Vec<String> = parts
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, p)| p.clone())
                .collect();
            made_of(rest, &others)
        })
    })
}

/// Titles before a name and letters after it: not part of who someone is.
const NOT_A_NAME: &[&str] = &[
    "dr",
    "prof",
    "professor",
    "mr",
    "mrs",
    "ms",
    "mx",
    "miss",
    "rev",
    "sr",
    "jr",
    "ii",
    "iii",
    "phd",
    "psyd",
    "md",
    "do",
    "dsw",
    "edd",
    "dclinpsy",
    "msw",
    "lcsw",
    "lisw",
    "lmsw",
    "lpc",
    "lpcc",
    "lmhc",
    "lcpc",
    "lmft",
    "mft",
    "ma",
    "msc",
    "mphil",
    "med",
    "ba",
    "bsc",
    "bsw",
    "rn",
    "np",
    "aprn",
    "pmhnp",
    "cpsychol",
    "bcba",
    "cadc",
    "ladc",
];

/// A lowercase letter without its accent (`é` → `e`), for the letters of names written
/// with or without them; others as they are.
fn unaccented(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ğ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => 'i',
        'ł' | 'ľ' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' => 'r',
        'ś' | 'š' | 'ş' => 's',
        'ť' | 'ţ' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    }
}

/// The words of a written name, lowercased, without what [`NOT_A_NAME`] lists or what
/// stands in brackets.
fn name_words(name: &str) -> Vec<String> {
    let mut plain = String::with_capacity(name.len());
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_alphanumeric() || c == '\'' => plain.extend(c.to_lowercase().map(unaccented)),
            _ => plain.push(' '),
        }
    }
    plain
        .split_whitespace()
        .filter(|w| !NOT_A_NAME.contains(w))
        .map(str::to_owned)
        .collect()
}

/// What a user asks for, before it becomes a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    Submit,
    Sign,
    Return,
    Comment(Target),
    Addendum,
}

/// Whether `request` by `author` with `text` may be recorded now, given the summary's
/// review and whether it `changed` since sign-off.
pub fn decide(
    review: &Review,
    request: &Request,
    author: &str,
    text: &str,
    changed: bool,
    facilitators: &[String],
) -> Result<(), Refused> {
    let author = author.trim();
    if author.is_empty() {
        return Err(Refused::NoAuthor);
    }
    let signed_by = review.signed.as_ref().map(|s| (s.by.clone(), s.at.clone()));
    let facilitated = facilitators.iter().any(|f| same_person(f, author));
    let maybe_facilitator = facilitators.iter().find(|f| may_be(author, f));
    match (request, review.status) {
        (Request::Sign | Request::Return, _) if maybe_facilitator.is_some() => Err(Refused::OwnSession {
            author: author.to_owned(),
            facilitator: maybe_facilitator.cloned().unwrap_or_default(),
        }),
        (Request::Submit, _) if !facilitated && !facilitators.is_empty() => {
            Err(Refused::NotFacilitator(author.to_owned()))
        }
        (Request::Sign | Request::Return, Status::Draft) => Err(Refused::NotSubmitted),
        (Request::Sign, Status::Returned) => Err(Refused::NotResubmitted),
        (Request::Return, Status::Returned) => Err(Refused::AlreadyReturned),
        (Request::Submit, Status::Submitted) if !changed => Err(Refused::AlreadySubmitted),
        (Request::Sign, Status::Signed) if !changed => {
            let (by, at) = signed_by.unwrap_or_default();
            Err(Refused::AlreadySigned { by, at })
        }
        (Request::Submit | Request::Return, Status::Signed) => Err(Refused::SignedAlready {
            by: signed_by.map(|(by, _)| by).unwrap_or_default(),
        }),
        (Request::Return, _) if text.trim().is_empty() => Err(Refused::NeedsComment),
        (Request::Comment(_), _) if text.trim().is_empty() => Err(Refused::NeedsComment),
        (Request::Addendum, status) if status != Status::Signed => Err(Refused::NotSigned(status.label())),
        (Request::Addendum, _) if text.trim().is_empty() => Err(Refused::NeedsComment),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(at: &str, author: &str, action: Action) -> Record {
        Record {
            version: 1,
            summary: "s.ron".into(),
            session_id: "id".into(),
            author: author.into(),
            at: at.into(),
            action,
            on: Target::Session,
            text: String::new(),
        }
    }

    fn signed(hash: &str) -> Action {
        Action::Signed {
            summary_sha256: hash.into(),
            wrapup_sha256: None,
        }
    }

    #[test]
    fn a_name_is_one_persons_however_it_is_written() {
        for (a, b) in [
            ("Priya Natarajan", "Priya Natarajan MSW"),
            ("Amara Okafor", "Okafor, Amara"),
            ("Jonas Lindqvist", "Jonas Lindqvist (co-lead)"),
            ("Samir Akter", "Samir Akter, PhD"),
            ("Dr. Nadia Rahman", "nadia  rahman"),
            ("Dr. Nadia Rahman", "DR NADIA RAHMAN."),
            ("Dr. Nadia Rahman", "Nadia R. Rahman"),
            ("Sam", "sam"),
        ] {
            assert!(same_person(a, b), "{a} / {b}");
            assert!(same_person(b, a), "{b} / {a}");
        }
        // A part of a facilitator's name may be them: their own session is not signed so.
        for author in [
            "Samir",
            "Akter",
            "S. Akter",
            "Akter, S.",
            "Samir-Akter",
            "SamirAkter",
            "AkterSamir",
            "Sámir Akter",
            "S A",
        ] {
            assert!(may_be(author, "Samir Akter"), "{author}");
        }
        for author in ["Samir Khan", "Priya Akter", "Amal Chowdhury", "", "Dr."] {
            assert!(!may_be(author, "Samir Akter"), "{author}");
        }
        assert!(
            may_be("Samir Akter", "S. Akter"),
            "a facilitator written with an initial"
        );
        for (a, b) in [
            ("Sam", "Sam Jones"),
            ("Priya Natarajan", "Priya Shah"),
            ("Nadia Rahman", "Amal Chowdhury"),
            ("Dr.", "Dr."),
            ("", ""),
            ("(co-lead)", "Jonas"),
        ] {
            assert!(!same_person(a, b), "{a} / {b}");
        }
    }

    #[test]
    fn statuses_follow_the_records_in_time_order_whatever_the_offsets() {
        assert_eq!(fold(Vec::new()).status, Status::Draft);
        let submitted = record(
            "2025-03-04T20:00:00+06:00",
            "Nadia",
            Action::Submitted {
                summary_sha256: "a".into(),
            },
        );
        // 15:00 UTC, after the submission at 14:00 UTC, though its local time reads earlier.
        let returned = record("2025-03-04T16:00:00+01:00", "Amal", Action::Returned);
        let review = fold(vec![returned.clone(), submitted.clone()]);
        assert_eq!(review.status, Status::Returned);
        let again = record(
            "2025-03-05T09:00:00+06:00",
            "Nadia",
            Action::Submitted {
                summary_sha256: "b".into(),
            },
        );
        let sign = record("2025-03-05T10:00:00+06:00", "Amal", signed("b"));
        let review = fold(vec![sign, again, returned, submitted]);
        assert_eq!(review.status, Status::Signed);
        let off = review.signed.clone().expect("signed");
        assert_eq!(off.by, "Amal");
        assert!(!review.changed_after_sign_off(Some("b"), None));
        assert!(
            review.changed_after_sign_off(Some("c"), None),
            "the summary changed"
        );
        assert!(
            review.changed_after_sign_off(Some("b"), Some("w")),
            "a wrap-up appeared"
        );
        assert!(review.changed_after_sign_off(None, None), "the summary vanished");
    }

    #[test]
    fn what_may_be_recorded_when() {
        let draft = Review::default();
        assert_eq!(
            decide(&draft, &Request::Submit, "Dr. Nadia Rahman", "", false, &[]),
            Ok(())
        );
        assert_eq!(
            decide(&draft, &Request::Sign, "", "", false, &[]),
            Err(Refused::NoAuthor)
        );
        assert_eq!(
            decide(&draft, &Request::Return, "Amal", "why", false, &[]),
            Err(Refused::NotSubmitted),
            "a draft is neither signed nor returned"
        );
        assert_eq!(
            decide(&draft, &Request::Sign, "Amal", "", false, &[]),
            Err(Refused::NotSubmitted)
        );
        let submitted = fold(vec![record(
            "2025-03-05T09:00:00Z",
            "Nadia",
            Action::Submitted {
                summary_sha256: "b".into(),
            },
        )]);
        assert_eq!(
            decide(&submitted, &Request::Return, "Amal", " ", false, &[]),
            Err(Refused::NeedsComment)
        );
        assert!(
            matches!(
                decide(
                    &submitted,
                    &Request::Return,
                    "Nadia",
                    "why",
                    false,
                    &["Dr. Nadia Rahman".into()]
                ),
                Err(Refused::OwnSession { .. })
            ),
            "who facilitated it does not return it either"
        );
        let returned = fold(vec![
            record(
                "2025-03-05T09:00:00Z",
                "Nadia",
                Action::Submitted {
                    summary_sha256: "b".into(),
                },
            ),
            record("2025-03-05T10:00:00Z", "Amal", Action::Returned),
        ]);
        assert_eq!(
            decide(&returned, &Request::Return, "Amal", "again", false, &[]),
            Err(Refused::AlreadyReturned),
            "returned once, until it is submitted again"
        );
        assert_eq!(
            decide(&submitted, &Request::Submit, "Dr. Nadia Rahman", "", false, &[]),
            Err(Refused::AlreadySubmitted)
        );
        assert_eq!(
            decide(
                &submitted,
                &Request::Sign,
                " nadia ",
                "",
                false,
                &["Nadia".into()]
            ),
            Err(Refused::OwnSession {
                author: "nadia".into(),
                facilitator: "Nadia".into()
            }),
            "who facilitated it does not sign it"
        );
        assert_eq!(
            decide(&submitted, &Request::Sign, "Amal", "", false, &["Nadia".into()]),
            Ok(())
        );
        // A title, spacing or full stops do not make another person.
        let team = ["Dr. Nadia Rahman".to_owned(), "Samir Akter".to_owned()];
        for alias in ["Nadia Rahman", "nadia  rahman", "Dr Nadia Rahman.", "SAMIR AKTER"] {
            assert!(
                matches!(
                    decide(&submitted, &Request::Sign, alias, "", false, &team),
                    Err(Refused::OwnSession { .. })
                ),
                "{alias}"
            );
        }
        assert_eq!(
            decide(&draft, &Request::Submit, "Dr. Amal", "", false, &team),
            Err(Refused::NotFacilitator("Dr. Amal".into())),
            "a supervisor does not hand in a facilitator's draft"
        );
        assert_eq!(
            decide(&draft, &Request::Submit, "Nadia Rahman", "", false, &team),
            Ok(())
        );
        let returned = fold(vec![record("2025-03-05T11:00:00Z", "Amal", Action::Returned)]);
        assert_eq!(
            decide(&returned, &Request::Sign, "Amal", "", false, &[]),
            Err(Refused::NotResubmitted)
        );
        assert_eq!(
            decide(&draft, &Request::Addendum, "Nadia", "x", false, &[]),
            Err(Refused::NotSigned("draft"))
        );
        let signed = fold(vec![record("2025-03-05T10:00:00Z", "Amal", signed("b"))]);
        assert!(matches!(
            decide(&signed, &Request::Sign, "Amal", "", false, &[]),
            Err(Refused::AlreadySigned { .. })
        ));
        assert_eq!(
            decide(&signed, &Request::Sign, "Amal", "", true, &[]),
            Ok(()),
            "a changed summary is signed again"
        );
        assert!(decide(&signed, &Request::Return, "Amal", "why", false, &[]).is_err());
        assert_eq!(
            decide(&signed, &Request::Addendum, "Nadia", "Correction", false, &[]),
            Ok(())
        );
        assert_eq!(
            decide(
                &signed,
                &Request::Comment(Target::Session),
                "Amal",
                "Well held",
                false,
                &[]
            ),
            Ok(())
        );
    }

    #[test]
    fn note_keys_are_stable_and_distinct() {
        assert_eq!(
            note_key("18:12", "Rafiq", "Quiet"),
            note_key("18:12", "Rafiq", "Quiet")
        );
        assert_ne!(
            note_key("18:12", "Rafiq", "Quiet"),
            note_key("18:13", "Rafiq", "Quiet")
        );
        assert_eq!(note_key("a", "b", "c").len(), 12);
    }
}
