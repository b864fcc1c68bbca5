//! What carries forward: the open follow-ups and the homework of a session, to show at the
//! start of the next session of the same series ("From session 4: follow-up about Sadia:
//! “sleep” — due today").
//!
//! The earlier session is found in a folder of summaries: the same group (the roster's
//! name) and the same series (the plan's), the highest session number below the current
//! one, the latest date among equals. Its wrap-up gives the items; without a wrap-up (or
//! with a damaged one) the follow-ups come from the summary's notes, without owners.
//!
//! Pure over a folder and a vault: it reads, never writes, and reads no clock.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{Template, WrapUp, read_wrapup};
pub use crate::session::{CarriedItem, CarriedKind};
use crate::summary::{MAX_SUMMARY_BYTES, Summary, parse_summary_bytes};
use crate::vault::{Vault, logical_path};

/// The session being started: which group, which series, which session of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesKey<'a> {
    /// The roster's group name (`Summary::group`): two groups may run the same series.
    pub group: &'a str,
    /// The plan's series name (`SeriesInfo::name`).
    pub series: &'a str,
    /// This session's number in the series; only earlier ones are looked at.
    pub session: u32,
}

/// What the most recent earlier session of the series left open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Carried {
    pub from_session: u32,
    /// `YYYY-MM-DD` of that session.
    pub from_date: String,
    pub from_session_id: String,
    /// Its summary file.
    pub from_summary: PathBuf,
    /// Whether its wrap-up was finished. When it was not (or there is none), the items are
    /// what the summary's notes hold, and follow-ups may lack an owner.
    pub wrapup_finished: bool,
    pub items: Vec<CarriedItem>,
}

/// What was found, and the summaries that may have been the session looked for but could
/// not be read: encrypted to a key this vault does not have, too large, or damaged while
/// naming the group and the series. (A damaged file that names neither is another group's.)
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lookup {
    pub carried: Option<Carried>,
    pub unreadable: Vec<PathBuf>,
}

impl CarriedItem {
    /// One line for the console, e.g. "From session 4: follow-up about Sadia: “sleep
    /// problems” (Dr. Rahman) — due today". Safe for a terminal.
    pub fn describe(&self, today: NaiveDate) -> String {
        let what = match (self.kind, self.about.as_str()) {
            (CarriedKind::FollowUp, "group") => "follow-up for the group".to_owned(),
            (CarriedKind::FollowUp, about) => format!("follow-up about {about}"),
            (CarriedKind::Homework, "group") => "homework for the group".to_owned(),
            (CarriedKind::Homework, about) => format!("homework for {about}"),
        };
        let owner = if self.owner.trim().is_empty() {
            String::new()
        } else {
            format!(" ({})", self.owner.trim())
        };
        let due = self.due.as_deref().map_or_else(String::new, |due| {
            match NaiveDate::parse_from_str(due.trim(), "%Y-%m-%d") {
                Ok(date) => format!(" \u{2014} {}", due_in_words(date, today)),
                Err(_) => format!(" \u{2014} due {due}"),
            }
        });
        crate::text::terminal(&format!(
            "From session {}: {what}: \u{201c}{}\u{201d}{owner}{due}",
            self.raised_session, self.text
        ))
    }
}

fn due_in_words(due: NaiveDate, today: NaiveDate) -> String {
    match (due - today).num_days() {
        0 => "due today".to_owned(),
        1 => "due tomorrow".to_owned(),
        -1 => "overdue by 1 day".to_owned(),
        n if n < 0 => format!("overdue by {} days", -n),
        _ => format!("due {}", due.format("%Y-%m-%d")),
    }
}

/// The open follow-ups and homework of the most recent earlier session of `key`'s series
/// in `dir`. A folder that does not exist holds none; damaged files are passed over (see
/// [`Lookup::unreadable`]).
pub fn carried_forward(dir: &Path, vault: &Vault, key: SeriesKey<'_>) -> Lookup {
    let mut lookup = Lookup::default();
    let mut best: Option<(Summary, PathBuf)> = None;
    for path in summary_files(dir) {
        let summary = match read_if_of(&path, vault, key) {
            Ok(Some(summary)) => summary,
            Ok(None) => continue,
            Err(()) => {
                lookup.unreadable.push(path);
                continue;
            }
        };
        let Some(series) = &summary.series else {
            continue;
        };
        if summary.group != key.group || series.name != key.series || series.session >= key.session {
            continue;
        }
        let later = best.as_ref().is_none_or(|(b, _)| order(&summary) > order(b));
        if later {
            best = Some((summary, path));
        }
    }
    lookup.carried = best.map(|(summary, path)| carried_from(&summary, &path, vault));
    lookup
}

/// The summary at `path` if it may be of `key`'s series. A file whose text does not hold
/// the group's and the series' names is passed over unparsed (most of a large folder is
/// other groups); names RON might write escaped are always looked at in full.
fn read_if_of(path: &Path, vault: &Vault, key: SeriesKey<'_>) -> Result<Option<Summary>, ()> {
    let too_large = std::fs::metadata(path).map_or(true, |m| m.len() > MAX_SUMMARY_BYTES);
    if too_large {
        return Err(());
    }
    let bytes = vault.read(path).map_err(|_| ())?;
    // RON escapes quotes, apostrophes, backslashes and anything not printable ASCII.
    let written_as_is = |name: &str| {
        name.chars()
            .all(|c| (c.is_ascii_graphic() || c == ' ') && !matches!(c, '"' | '\'' | '\\'))
    };
    let text = String::from_utf8_lossy(&bytes);
    let elsewhere = [key.group, key.series]
        .iter()
        .any(|name| written_as_is(name) && !text.contains(&format!("\"{name}\"")));
    if elsewhere {
        return Ok(None);
    }
    parse_summary_bytes(&bytes, path).map(Some).map_err(|_| ())
}

/// Which of two sessions of a series is the more recent: the session number, then the date
/// and the start.
fn order(summary: &Summary) -> (u32, &str, &str) {
    (
        summary.series.as_ref().map_or(0, |s| s.session),
        summary.date.as_str(),
        summary.started.as_deref().unwrap_or(""),
    )
}

/// The summaries in `dir` (not below it), plain or sealed, in name order: not wrap-ups,
/// supervision records or handed-in observations, not files being written (hidden, `~`
/// temporary ones).
pub fn summary_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|path| {
            let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
            let plain = logical_path(path);
            let plain_name = plain.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
            !name.starts_with(['.', '~'])
                && plain_name.ends_with(".ron")
                && !plain_name.ends_with(".wrapup.ron")
                && !plain_name.ends_with(".observations.ron")
                && !plain_name.contains(".review.")
        })
        .collect();
    files.sort();
    files
}

/// The open items of one session, from its wrap-up (else its summary).
fn carried_from(summary: &Summary, path: &Path, vault: &Vault) -> Carried {
    let finished = read_wrapup(vault, path)
        .and_then(Result::ok)
        .filter(|w| w.session_id == summary.session_id);
    let wrapup_finished = finished.as_ref().is_some_and(|w| w.finished);
    let wrapup = finished.unwrap_or_else(|| WrapUp::from_summary(summary, Template::default()));
    let session = summary.series.as_ref().map_or(0, |s| s.session);
    let item = |id: String, kind, about: &str, text: &str| CarriedItem {
        id: format!("{}/{id}", summary.session_id),
        kind,
        raised_session: session,
        raised_date: summary.date.clone(),
        about: about.to_owned(),
        text: text.trim().to_owned(),
        owner: String::new(),
        due: None,
    };
    let mut items: Vec<CarriedItem> = wrapup
        .follow_ups
        .iter()
        .enumerate()
        .map(|(n, f)| CarriedItem {
            owner: f.owner.clone(),
            due: f.due.clone(),
            ..item(format!("follow-up/{n}"), CarriedKind::FollowUp, &f.about, &f.text)
        })
        .collect();
    if !wrapup.group.homework.trim().is_empty() {
        items.push(item(
            "homework/group".into(),
            CarriedKind::Homework,
            "group",
            &wrapup.group.homework,
        ));
    }
    for member in wrapup
        .members
        .iter()
        .filter(|m| !m.fields.homework.trim().is_empty())
    {
        items.push(item(
            format!("homework/{}", member.name),
            CarriedKind::Homework,
            &member.name,
            &member.fields.homework,
        ));
    }
    // What that session was itself carrying and did not close goes on, as it was raised.
    for open in summary.carried.iter().filter(|c| c.closed.is_none()) {
        if !items.iter().any(|i| i.id == open.id) {
            items.push(CarriedItem {
                id: open.id.clone(),
                kind: open.kind,
                raised_session: open.raised_session,
                raised_date: open.raised_date.clone(),
                about: open.about.clone(),
                text: open.text.clone(),
                owner: open.owner.clone(),
                due: open.due.clone(),
            });
        }
    }
    Carried {
        from_session: session,
        from_date: summary.date.clone(),
        from_session_id: summary.session_id.clone(),
        from_summary: path.to_owned(),
        wrapup_finished,
        items,
    }
}
