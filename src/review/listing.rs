//! `holdspace review --list [--json]`: the list as text or JSON, without a terminal.

use std::fmt::Write as _;

use serde::Serialize;

use super::fmt;
use super::index::{Entry, Row};

/// The list as an aligned text table, one line per row; rows that did not open say why.
pub fn table(rows: &[&Row]) -> String {
    const HEADER: [&str; 9] = [
        "DATE",
        "TIME",
        "GROUP",
        "SESSION",
        "FACILITATORS",
        "PRESENT",
        "OVER/UNDER",
        "FLAGS",
        "FILE",
    ];
    let cells: Vec<[String; 9]> = rows
        .iter()
        .filter_map(|row| {
            let e = row.ok()?;
            Some([
                e.date.clone(),
                e.time.clone(),
                fmt::one_line(&e.group),
                e.session_label(),
                fmt::one_line(&fmt::people(&e.facilitators)),
                fmt::attendance(e),
                fmt::over_under(e.over_under_secs),
                fmt::flags(e.risk, e.follow_up),
                row.file.clone(),
            ])
        })
        .collect();
    let mut widths = HEADER.map(|h| h.chars().count());
    for line in &cells {
        for (i, cell) in line.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut push = |line: &[String]| {
        let mut text = String::new();
        for (i, cell) in line.iter().enumerate() {
            let pad = widths[i].saturating_sub(cell.chars().count());
            let _ = write!(text, "{cell}{}  ", " ".repeat(pad));
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    push(&HEADER.map(String::from));
    for line in &cells {
        push(line);
    }
    for row in rows {
        if let Err(reason) = &row.entry {
            let _ = writeln!(
                out,
                "{:<w$}  {}: {}",
                "ERROR",
                row.file,
                fmt::one_line(reason),
                w = widths[0]
            );
        }
    }
    out
}

#[derive(Serialize)]
struct JsonRow<'a> {
    path: String,
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    summary: Option<&'a Entry>,
}

/// The list as a JSON array: every field of a row, or `path`, `file` and `error`.
pub fn json(rows: &[&Row]) -> String {
    let items: Vec<JsonRow> = rows
        .iter()
        .map(|row| JsonRow {
            path: row.path.to_string_lossy().into_owned(),
            file: &row.file,
            error: row.entry.as_ref().err().map(String::as_str),
            summary: row.entry.as_ref().ok(),
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into());
    text.push('\n');
    text
}
