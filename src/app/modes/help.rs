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
    let allowed = |context: Context| {
        Action::ALL
            .iter()
            .copied()
            .filter(move |a| a.context() == context && ctx.role.allows(*a))
    };
    // The main screen's keys, then those of the note editor under their own heading.
    let mut entries: Vec<Option<Action>> = allowed(Context::Global)
        .chain(allowed(Context::Main))
        .map(Some)
        .collect();
    if ctx.role.allows(Action::Note) {
        entries.push(None);
        entries.extend(allowed(Context::Note).map(Some));
    }
    let key_width = entries
        .iter()
        .flatten()
        .map(|a| ctx.keys.label(*a).chars().count())
        .max()
        .unwrap_or(0);
    let text_width = entries
        .iter()
        .flatten()
        .map(|a| a.help().chars().count())
        .max()
        .unwrap_or(0);
    let column = key_width + text_width + 4;
    let entry = |entry: &Option<Action>| match entry {
        Some(action) => vec![
            Span::styled(
                format!(" {:>key_width$}  ", ctx.keys.label(*action)),
                Style::default().fg(theme.key).add_modifier(Modifier::BOLD),
            ),
            Span::raw(format!("{:<text_width$} ", action.help())),
        ],
        None => vec![Span::styled(
            format!(" {:<w$}", "In a note:", w = column - 1),
            Style::default().fg(theme.accent).add_modifier(Modifier::BOLD),
        )],
    };
    // One column when it fits, else two side by side: every key is always on screen.
    let columns = if usize::from(area.height) >= entries.len() + 3 {
        1
    } else {
        2
    };
    let per_column = entries.len().div_ceil(columns);
    let mut lines: Vec<Line> = (0..per_column)
        .map(|row| {
            Line::from(
                (0..columns)
                    .filter_map(|c| entries.get(c * per_column + row))
                    .flat_map(entry)
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    lines.push(Line::from(Span::styled(
        " #word in a note adds any tag. Any key closes.",
        Style::default().fg(theme.muted),
    )));
    popup(frame, area, "Keys", lines, (columns * column + 2) as u16, theme);
}
