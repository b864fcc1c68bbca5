//! The notes panel: newest first, tags shown, risk marked.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{bold, panel};
use crate::keymap::Action;
use crate::session::About;
use crate::theme::Theme;
use crate::ui::format::{self, wall};
use crate::ui::{Seat, View};

pub fn draw(frame: &mut Frame, area: Rect, view: &View, theme: &Theme) {
    let state = view.state;
    let title = match view.seat {
        Seat::Facilitator => format!("Notes ({})", view.notes.len()),
        Seat::Observer => format!("Observation notes ({})", view.notes.len()),
    };
    let block = panel(&title, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if state.curtain {
        frame.render_widget(
            Paragraph::new(Span::styled(
                "hidden by the privacy curtain",
                Style::default().fg(theme.muted),
            )),
            inner,
        );
        return;
    }
    let mut lines = Vec::new();
    for note in view
        .notes
        .iter()
        .rev()
        .skip(view.notes_scroll)
        .take(inner.height as usize)
    {
        let mut spans = vec![Span::styled(
            format!("{} ", wall(note.at, view.offset)),
            Style::default().fg(theme.muted),
        )];
        for tag in &note.tags {
            let style = match tag {
                crate::session::Tag::Risk => bold(theme.risk).add_modifier(Modifier::REVERSED),
                crate::session::Tag::FollowUp => bold(theme.follow_up),
                _ => Style::default().fg(theme.tag),
            };
            let text = if *tag == crate::session::Tag::Risk {
                "!RISK".to_string()
            } else {
                format!("#{}", tag.label())
            };
            spans.push(Span::styled(text, style));
            spans.push(Span::raw(" "));
        }
        let about = match note.about {
            About::Group => String::new(),
            About::Member(m) => format!("{}: ", format::name(state, m)),
            About::Segment(s) => format!(
                "[{}] ",
                state.plan.agenda.get(s).map_or("segment", |x| x.title.as_str())
            ),
        };
        spans.push(Span::styled(about, bold(theme.text)));
        let text_style = if note.is_risk() {
            bold(theme.risk)
        } else {
            Style::default().fg(theme.text)
        };
        spans.push(Span::styled(note.text.replace('\n', " ⏎ "), text_style));
        lines.push(Line::from(spans));
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("No notes yet: {} to write one", view.keys.label(Action::Note)),
            Style::default().fg(theme.muted),
        )));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
