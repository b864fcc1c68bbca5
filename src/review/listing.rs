//! `holdspace review --list [--json]`: the list as text or JSON, without a terminal,
//! written row by row so a list of 100,000 summaries never sits whole in memory.

use std::io::{self, Write};

use serde::Serialize;

use super::fmt;
use super::index::text::ByAddress;
use super::index::{Entry, Row};

const HEADER: [&str; 10] = [
    "DATE",
    "TIME",
    "GROUP",
    "SESSION",
    "FACILITATORS",
    "PRESENT",
    "OVER/UNDER",
    "FLAGS",
    "STATUS",
    "FILE",
];

/// The status cell: `signed`, `signed, CHANGED`, `conflict copy`…
fn status_cell(row: &Row) -> (&'static str, &'static str) {
    if row.conflict_of.is_some() {
        return ("CONFLICT COPY", "");
    }
    let status = row.review.status.label();
    if row.review.unread_records > 0 {
        // Said, never guessed: a record that did not open may have changed the status.
        return (status, "? (a record did not open)");
    }
    if row.review.changed_after_sign_off {
        (status, ", CHANGED")
    } else {
        (status, "")
    }
}

/// Writes cell `column` of a row that opened.
fn cell(out: &mut String, column: usize, row: &Row, e: &Entry) {
    use std::fmt::Write as _;
    match column {
        0 => out.push_str(&e.date),
        1 => out.push_str(&e.time),
        2 => fmt::push_one_line(out, &e.group),
        3 => {
            if let Some(s) = &e.series {
                let _ = write!(out, "{} of {}", s.session, s.of);
            }
        }
        4 => {
            for (i, name) in e.facilitators.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                fmt::push_one_line(out, name);
            }
        }
        5 => {
            let _ = write!(out, "{}/{}", e.present, e.roster);
        }
        6 => fmt::push_over_under(out, e.over_under_secs),
        7 => fmt::push_flags(out, e.risk as usize, e.follow_up as usize),
        8 => {
            let (status, changed) = status_cell(row);
            out.push_str(status);
            out.push_str(changed);
        }
        _ => fmt::push_one_line(out, &row.file),
    }
}

/// Characters of a cell (most are ASCII: their length).
fn chars(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    }
}

/// The widest cell of each column. A column of shared texts (dates, groups, facilitators)
/// is measured once per distinct text.
fn widths(rows: &[&Row]) -> [usize; HEADER.len()] {
    let mut widths = HEADER.map(chars);
    let mut measured: [ByAddress<usize>; 5] = Default::default();
    let mut scratch = String::new();
    for row in rows {
        let Ok(e) = &row.entry else { continue };
        for (column, width) in widths.iter_mut().enumerate() {
            let shared = match column {
                0 => Some(e.date.address()),
                1 => Some(e.time.address()),
                2 => Some(e.group.address()),
                4 => Some(e.facilitators.address()),
                _ => None,
            };
            let mut measure = || {
                scratch.clear();
                cell(&mut scratch, column, row, e);
                chars(&scratch)
            };
            let n = match shared {
                Some(address) => *measured[column].entry(address).or_insert_with(measure),
                None => measure(),
            };
            *width = (*width).max(n);
        }
    }
    widths
}

/// The list as an aligned text table, one line per row; rows that did not open say why,
/// at the end.
pub fn table(rows: &[&Row], out: &mut impl Write) -> io::Result<()> {
    let widths = widths(rows);
    let mut text = String::new();
    let pad = |text: &mut String, from: usize, width: usize| {
        let n = text.get(from..).map_or(0, chars);
        text.extend(std::iter::repeat_n(' ', width.saturating_sub(n) + 2));
    };
    let line = |out: &mut dyn Write, text: &mut String| {
        let written = out
            .write_all(text.trim_end().as_bytes())
            .and_then(|()| out.write_all(b"\n"));
        text.clear();
        written
    };
    for (header, width) in HEADER.iter().zip(widths) {
        let from = text.len();
        text.push_str(header);
        pad(&mut text, from, width);
    }
    line(out, &mut text)?;
    for row in rows {
        if let Ok(e) = &row.entry {
            for (column, width) in widths.iter().enumerate() {
                let from = text.len();
                cell(&mut text, column, row, e);
                pad(&mut text, from, *width);
            }
            line(out, &mut text)?;
        }
    }
    for row in rows {
        if let Err(reason) = &row.entry {
            writeln!(
                out,
                "{:<w$}  {}: {}",
                "ERROR",
                fmt::one_line(&row.file),
                fmt::one_line(reason),
                w = widths[0]
            )?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonRow<'a> {
    path: std::borrow::Cow<'a, str>,
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    summary: Option<&'a Entry>,
    /// Supervision, for summaries that opened.
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signed_by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signed_at: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    changed_after_sign_off: Option<bool>,
    /// Records beside it that did not open: `status` may be older than the real one.
    #[serde(skip_serializing_if = "Option::is_none")]
    records_unread: Option<usize>,
    /// The summary this file is a Syncthing conflict copy of.
    #[serde(skip_serializing_if = "Option::is_none")]
    conflict_of: Option<&'a str>,
}

/// The list as a JSON array: every field of a row (with `session_id`, `timezone`,
/// `status`, `signed_by`, `signed_at`, `changed_after_sign_off`), or `path`, `file` and
/// `error`.
pub fn json(rows: &[&Row], out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"[")?;
    for (i, row) in rows.iter().enumerate() {
        let opened = row.entry.is_ok();
        let item = JsonRow {
            path: row.path().to_string_lossy().into_owned().into(),
            file: &row.file,
            error: row.entry.as_ref().err().map(String::as_str),
            summary: row.ok(),
            // A conflict copy has no status of its own: a script counting drafts must not
            // count it as one.
            status: opened.then(|| {
                if row.conflict_of.is_some() {
                    "conflict"
                } else if row.review.unread_records > 0 {
                    // Never an older status as if it were the current one.
                    "unknown"
                } else {
                    row.review.status.label()
                }
            }),
            signed_by: row.review.signed_by.as_deref(),
            signed_at: row.review.signed_at.as_deref(),
            changed_after_sign_off: opened.then_some(row.review.changed_after_sign_off),
            records_unread: Some(row.review.unread_records).filter(|n| *n > 0),
            conflict_of: row.conflict_of.as_deref(),
        };
        out.write_all(if i == 0 { b"\n  " } else { b",\n  " })?;
        serde_json::to_writer(&mut *out, &item).map_err(io::Error::other)?;
    }
    out.write_all(if rows.is_empty() { b"]\n" } else { b"\n]\n" })
}
