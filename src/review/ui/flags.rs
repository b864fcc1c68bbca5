//! Every risk and follow-up note across the folder, newest first; Enter opens its session.
//! Rows whose summary is still being read show their session and wait for the text.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{list_offset, selected, thousands};
use crate::review::browser::FlagsScreen;
use crate::review::doc::text::fit;
use crate::review::export::flag_label;
use crate::theme::Theme;

pub fn draw(frame: &mut Frame, area: Rect, screen: &FlagsScreen, theme: &Theme) {
    let width = usize::from(area.width);
    let muted = Style::new().fg(theme.muted);
    let summary = format!(
        " {} flagged notes: {} risk, {} follow-up · newest first · ⏎ opens the session",
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
    let height = usize::from(area.height).saturating_sub(2);
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
                format!("{} ", fit(&s.group, group_w)),
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
    frame.render_widget(Paragraph::new(lines), area);
}
