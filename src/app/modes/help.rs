//! The help: every key of the main screen this role may use, and the note editor's keys,
//! all read from the keymap. Any key closes it.

use ratatui::Frame;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::Ctx;
use crate::keymap::{Action, Context};
use crate::theme::Theme;
use crate::ui::popup::popup;

pub fn draw(frame: &mut Frame, ctx: &Ctx, theme: &Theme) {
    let area = frame.area();
    let actions: Vec<Action> = Action::ALL
        .iter()
        .copied()
        .filter(|a| matches!(a.context(), Context::Global | Context::Main) && ctx.role.allows(*a))
        .collect();
    let key_width = actions
        .iter()
        .map(|a| ctx.keys.label(*a).chars().count())
        .max()
        .unwrap_or(0);
    let text_width = actions
        .iter()
        .map(|a| ctx.role.help(*a).chars().count())
        .max()
        .unwrap_or(0);
    let column = key_width + text_width + 4;
    let entry = |action: &Action| {
        vec![
            Span::styled(
                format!(" {:>key_width$}  ", ctx.keys.label(*action)),
                Style::default().fg(theme.key).add_modifier(Modifier::BOLD),
            ),
            Span::raw(format!("{:<text_width$} ", ctx.role.help(*action))),
        ]
    };
    let footer = note_keys(ctx);
    // One column when it fits, else two side by side: every key is always on screen.
    let columns = if usize::from(area.height) >= actions.len() + footer.len() + 3 {
        1
    } else {
        2
    };
    let per_column = actions.len().div_ceil(columns);
    let mut lines: Vec<Line> = (0..per_column)
        .map(|row| {
            Line::from(
                (0..columns)
                    .filter_map(|c| actions.get(c * per_column + row))
                    .flat_map(entry)
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    lines.extend(
        footer
            .into_iter()
            .map(|text| Line::from(Span::styled(text, Style::default().fg(theme.muted)))),
    );
    popup(
        frame,
        area,
        "Keys",
        lines,
        (columns * column + 2).max(60) as u16,
        theme,
    );
}

/// The note editor's keys, in two lines, from the keymap.
fn note_keys(ctx: &Ctx) -> Vec<String> {
    if !ctx.role.allows(Action::Note) {
        return vec![" Any key closes.".into()];
    }
    let key = |action| ctx.keys.label(action);
    vec![
        format!(
            " In a note: {} save · {} new line · {} / {} about whom · {} keep the draft",
            key(Action::NoteSave),
            key(Action::NoteNewLine),
            key(Action::NoteSubjectNext),
            key(Action::NoteSubjectPrevious),
            key(Action::NoteClose)
        ),
        format!(
            " Tags: {} risk · {} follow-up · {} conflict · {} insight · #word any. Any key closes.",
            key(Action::TagRisk),
            key(Action::TagFollowUp),
            key(Action::TagConflict),
            key(Action::TagInsight)
        ),
    ]
}
