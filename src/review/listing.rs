//! `holdspace review --list [--json]`: the list as text or JSON, without a terminal,
//! written row by row so a list of 100,000 summaries never sits whole in memory.

use std::io::{self, Write};

use serde::Serialize;

use super::fmt;
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
fn status_cell(row: &Row) -> String {
    if row.conflict_of.is_some() {
        return "CONFLICT COPY".into();
    }
    let status = row.review.status.label();
    if row.review.changed_after_sign_off {
        format!("{status}, CHANGED")
    } else {
        status.to_owned()
    }
}

fn cells(row: &Row, e: &Entry) -> [String; 10] {
    [
        e.date.clone(),
        e.time.clone(),
        fmt::one_line(&e.group),
        e.session_label(),
        fmt::one_line(&fmt::people(&e.facilitators)),
        fmt::attendance(e),
        fmt::over_under(e.over_under_secs),
        fmt::flags(e.risk, e.follow_up),
        status_cell(row),
        fmt::one_line(&row.file),
    ]
}

/// The list as an aligned text table, one line per row; rows that did not open say why,
/// at the end.
pub fn table(rows: &[&Row], out: &mut impl Write) -> io::Result<()> {
    let mut widths = HEADER.map(|h| h.chars().count());
    for row in rows {
        if let Ok(e) = &row.entry {
            for (i, cell) in cells(row, e).iter().enumerate() {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
    }
    let mut line = |cells: &[String]| -> io::Result<()> {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let pad = widths[i].saturating_sub(cell.chars().count());
            text.push_str(cell);
            text.extend(std::iter::repeat_n(' ', pad + 2));
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(&HEADER.map(String::from))?;
    for row in rows {
        if let Ok(e) = &row.entry {
            line(&cells(row, e))?;
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
    path: String,
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
            path: row.path.to_string_lossy().into_owned(),
            file: &row.file,
            error: row.entry.as_ref().err().map(String::as_str),
            summary: row.ok(),
            status: opened.then(|| row.review.status.label()),
            signed_by: row.review.signed_by.as_deref(),
            signed_at: row.review.signed_at.as_deref(),
            changed_after_sign_off: opened.then_some(row.review.changed_after_sign_off),
            conflict_of: row.conflict_of.as_deref(),
        };
        out.write_all(if i == 0 { b"\n  " } else { b",\n  " })?;
        serde_json::to_writer(&mut *out, &item).map_err(io::Error::other)?;
    }
    out.write_all(if rows.is_empty() { b"]\n" } else { b"\n]\n" })
}
