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
fn status_cell(row: &Row) -> (&'static str, &'static str) {
    if row.conflict_of.is_some() {
        return ("CONFLICT COPY", "");
    }
    let status = row.review.status.label();
    if row.review.changed_after_sign_off {
        (status, ", CHANGED")
    } else {
        (status, "")
    }
}

/// One row's cells, written one after another into a buffer kept between rows (a list of
/// 100,000 rows is written twice, to measure then to print, without an allocation per
/// cell).
#[derive(Default)]
struct Cells {
    text: String,
    /// Where each cell ends in `text`.
    ends: [usize; HEADER.len()],
}

impl Cells {
    fn fill(&mut self, row: &Row, e: &Entry) -> &Self {
        use std::fmt::Write as _;
        let t = &mut self.text;
        t.clear();
        let mut cell = 0;
        let mut end = |t: &String| {
            if let Some(slot) = self.ends.get_mut(cell) {
                *slot = t.len();
            }
            cell += 1;
        };
        t.push_str(&e.date);
        end(t);
        t.push_str(&e.time);
        end(t);
        fmt::push_one_line(t, &e.group);
        end(t);
        if let Some(s) = &e.series {
            let _ = write!(t, "{} of {}", s.session, s.of);
        }
        end(t);
        for (i, name) in e.facilitators.iter().enumerate() {
            if i > 0 {
                t.push_str(", ");
            }
            fmt::push_one_line(t, name);
        }
        end(t);
        let _ = write!(t, "{}/{}", e.present, e.roster);
        end(t);
        t.push_str(&fmt::over_under(e.over_under_secs));
        end(t);
        t.push_str(&fmt::flags(e.risk, e.follow_up));
        end(t);
        let (status, changed) = status_cell(row);
        t.push_str(status);
        t.push_str(changed);
        end(t);
        fmt::push_one_line(t, &row.file);
        end(t);
        self
    }

    fn get(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .map(|(from, to)| self.text.get(from..to).unwrap_or_default())
    }
}

/// The list as an aligned text table, one line per row; rows that did not open say why,
/// at the end.
pub fn table(rows: &[&Row], out: &mut impl Write) -> io::Result<()> {
    let mut widths = HEADER.map(|h| h.chars().count());
    let mut cells = Cells::default();
    for row in rows {
        if let Ok(e) = &row.entry {
            for (width, cell) in widths.iter_mut().zip(cells.fill(row, e).get()) {
                *width = (*width).max(cell.chars().count());
            }
        }
    }
    let mut text = String::new();
    let mut line = |out: &mut dyn Write, cells: &mut dyn Iterator<Item = &str>| -> io::Result<()> {
        text.clear();
        for (cell, width) in cells.zip(widths) {
            text.push_str(cell);
            let pad = width.saturating_sub(cell.chars().count());
            text.extend(std::iter::repeat_n(' ', pad + 2));
        }
        out.write_all(text.trim_end().as_bytes())?;
        out.write_all(b"\n")
    };
    line(out, &mut HEADER.iter().copied())?;
    for row in rows {
        if let Ok(e) = &row.entry {
            line(out, &mut cells.fill(row, e).get())?;
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
            path: row.path.to_string_lossy(),
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
