//! After the session, the record a clinician files: the wrap-up (its format and where it
//! is kept), the progress note of each member, rewritten so that it names no other member,
//! and what carries forward to the next session of the series.

mod carry;
mod common_names;
pub mod export;
mod file;
pub mod redact;
pub mod render;
mod wrapup;

#[cfg(test)]
mod tests;

pub use carry::{Carried, CarriedItem, CarriedKind, Lookup, SeriesKey, carried_forward, summary_files};
pub use file::{
    WrapUpError, draft_path, read_draft, read_wrapup, read_wrapup_of, remove_draft, to_ron, wrapup_file,
    wrapup_path, write_draft, write_wrapup,
};
pub use wrapup::{
    FollowUp, GroupPart, MemberFields, MemberNote, Missing, QuotedNote, RiskFlag, Schedule, Template,
    WRAPUP_VERSION, WrapUp,
};
