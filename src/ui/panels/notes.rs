//! The notes panel: risk notes pinned at the top until the session ends, then the others
//! newest first; each note wrapped over as many lines as it needs (a few at most, then
//! `…`), line breaks kept; tags shown, risk marked in words.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{bold, panel, wrap_words};
use crate::keymap::Action;
use crate::session::{About, Note, Tag};
use crate::theme::Theme;
use crate::ui::format::{self, wall};
use crate::ui::{Seat, View};

/// Lines one note may take before it is cut with `…`.
const MAX_NOTE_LINES: usize = 3;

pub fn draw(frame: &mut Frame, area: Rect, view: &View, theme: &Theme) {
    let state = view.state;
    // Withdrawn notes are in the record, not on the panel: the count is of those shown.
    let shown = view.notes.iter().filter(|n| n.withdrawn.is_none()).count();
    let title = match view.seat {
        Seat::Facilitator => format!("Notes ({shown})"),
        Seat::Observer => format!("Observation notes ({shown})"),
    };
    let block = panel(&title, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if state.curtain {
        frame.render_widget(
            Paragraph::new(Span::styled(
                "hidden by the privacy curtain",
                Style::default().fg(theme.muted),
            ))
            .wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let width = usize::from(inner.width);
    let pinned = |note: &Note| note.is_risk() && !state.is_ended();
    let live: Vec<&Note> = view.notes.iter().filter(|n| n.withdrawn.is_none()).collect();
    let ordered = live
        .iter()
        .rev()
        .filter(|n| pinned(n))
        .chain(live.iter().rev().filter(|n| !pinned(n)).skip(view.notes_scroll));
    let mut lines = Vec::new();
    for note in ordered {
        if lines.len() >= usize::from(inner.height) {
            break;
        }
        lines.extend(note_lines(view, note, width, theme));
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("No notes yet: {} to write one", view.keys.label(Action::Note)),
            Style::default().fg(theme.muted),
        )));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// One note as lines `width` wide: its time, tags, subject and text, word-wrapped.
fn note_lines<'a>(view: &View, note: &Note, width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let state = view.state;
    let mut words: Vec<(String, Style)> =
        vec![(wall(note.at, view.offset), Style::default().fg(theme.muted))];
    for tag in &note.tags {
        words.push(match tag {
            Tag::Risk => (
                "!RISK".to_owned(),
                bold(theme.risk).add_modifier(Modifier::REVERSED),
            ),
            Tag::FollowUp => (format!("#{}", tag.label()), bold(theme.follow_up)),
            _ => (format!("#{}", tag.label()), Style::default().fg(theme.tag)),
        });
    }
    let about = match note.about {
        About::Group => None,
        About::Member(m) => Some(format!("{}:", format::name(state, m))),
        About::Segment(s) => Some(format!(
            "[{}]",
            state.plan.agenda.get(s).map_or("segment", |x| x.title.as_str())
        )),
    };
    words.extend(about.map(|a| (a, bold(theme.text))));
    let text_style = if note.is_risk() {
        bold(theme.risk)
    } else {
        Style::default().fg(theme.text)
    };
    for (i, line) in note.text.lines().enumerate() {
        if i > 0 {
            words.push(("\n".to_owned(), text_style));
        }
        words.extend(line.split_whitespace().map(|w| (w.to_owned(), text_style)));
    }
    wrap_words(words, width, MAX_NOTE_LINES)
}
