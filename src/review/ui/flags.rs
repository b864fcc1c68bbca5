//! Every risk and follow-up note across the folder, newest first; Enter opens its session.
//! Rows whose summary is still being read show their session and wait for the text. A row
//! has room for the start of its note only: the selected one is shown whole below the list.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{list_offset, selected, thousands};
use crate::review::browser::FlagsScreen;
use crate::review::doc::text::{fit, fit_name, wrap};
use crate::review::export::flag_label;
use crate::theme::Theme;

pub fn draw(frame: &mut Frame, area: Rect, screen: &FlagsScreen, theme: &Theme) {
    let width = usize::from(area.width);
    let muted = Style::new().fg(theme.muted);
    let summary = format!(
        " {} flagged notes: {} risk, {} follow-up · newest first",
        thousands(screen.len()),
        thousands(screen.risk),
        thousands(screen.follow_up)
    );
    let group_w = if width >= 100 { 24 } else { 14 };
    let head = format!(
        "  {} {} {} {} {}",
        fit("Date", 10),
        fit("Flag", 16),
        fit("Group", group_w),
        fit("Sess.", 5),
        "At    About: note"
    );
    let mut lines = vec![
        Line::from(Span::styled(summary, muted)),
        Line::from(Span::styled(
            head,
            Style::new()
                .fg(theme.accent)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        )),
    ];
    if screen.is_empty() {
        lines.push(Line::from(Span::styled(
            "  No risk or follow-up flags in this folder.",
            muted,
        )));
    }
    let preview = preview(screen, width, usize::from(area.height));
    let height = usize::from(area.height)
        .saturating_sub(2)
        .saturating_sub(preview.len());
    let offset = list_offset(screen.selected, height);
    let used = 2 + 11 + 17 + group_w + 1 + 6;
    for i in offset..(offset + height).min(screen.len()) {
        let Some(row) = screen.row(i) else { continue };
        let (label, style, text) = match row.note {
            Some(Ok(n)) => (
                flag_label(n.risk, n.follow_up),
                if n.risk {
                    Style::new().fg(theme.risk).add_modifier(Modifier::BOLD)
                } else {
                    Style::new().fg(theme.follow_up).add_modifier(Modifier::BOLD)
                },
                format!("{} {}: {}", n.at.get(..5).unwrap_or(&n.at), n.about, n.text),
            ),
            Some(Err(reason)) => ("?", Style::new().fg(theme.warning), reason.to_owned()),
            None => ("…", muted, "reading…".to_owned()),
        };
        let s = row.session;
        let mut line = Line::from(vec![
            Span::styled(
                if i == screen.selected { "▶ " } else { "  " },
                Style::new().fg(theme.accent),
            ),
            Span::styled(format!("{} ", fit(&s.date, 10)), Style::new().fg(theme.text)),
            Span::styled(format!("{} ", fit(label, 16)), style),
            Span::styled(
                format!("{} ", fit_name(&s.group, group_w)),
                Style::new().fg(theme.text),
            ),
            Span::styled(format!("{} ", fit(&s.session, 5)), muted),
            Span::styled(
                fit(&text, width.saturating_sub(used)),
                Style::new().fg(theme.text),
            ),
        ]);
        if i == screen.selected {
            line = line.patch_style(selected(theme));
        }
        lines.push(line);
    }
    // The preview sits at the bottom, under a list shorter than the screen.
    let filler = usize::from(area.height).saturating_sub(lines.len() + preview.len());
    lines.extend(std::iter::repeat_n(Line::from(""), filler));
    lines.extend(preview.into_iter().enumerate().map(|(k, text)| {
        Line::from(Span::styled(
            text,
            if k == 0 {
                muted
            } else {
                Style::new().fg(theme.text)
            },
        ))
    }));
    frame.render_widget(Paragraph::new(lines), area);
}

/// Lines that show the selected note whole (at most [`PREVIEW_LINES`] of its text, under
/// a rule), when the screen is tall enough to keep a list above them.
fn preview(screen: &FlagsScreen, width: usize, height: usize) -> Vec<String> {
    let Some(row) = screen.row(screen.selected) else {
        return Vec::new();
    };
    let Some(Ok(note)) = row.note else {
        return Vec::new();
    };
    if height < 12 || width < 20 {
        return Vec::new();
    }
    // The group whole, which the list's column may cut where two groups differ.
    let s = row.session;
    let session = if s.session.is_empty() {
        String::new()
    } else {
        format!(" {}", s.session)
    };
    let text = format!(
        "{} {} · {}{session} · {}: {}",
        s.date, note.at, s.group, note.about, note.text
    );
    let mut wrapped = wrap(&text, width - 2);
    if wrapped.len() > PREVIEW_LINES {
        wrapped.truncate(PREVIEW_LINES);
        if let Some(last) = wrapped.last_mut() {
            // The rest is in the session, which ⏎ opens.
            *last = fit(&format!("{last} …"), width - 2);
        }
    }
    let mut lines = vec![format!(" {}", "─".repeat(width - 2))];
    lines.extend(wrapped.into_iter().map(|l| format!(" {l}")));
    lines
}

/// The most lines of a note the preview shows.
const PREVIEW_LINES: usize = 3;
