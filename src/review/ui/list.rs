//! The list of sessions: one line each, the sort column marked, unreadable files last.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{list_offset, selected, thousands};
use crate::review::browser::Browser;
use crate::review::doc::text::{fit, fit_name, fit_right};
use crate::review::filter::Column;
use crate::review::fmt;
use crate::review::index::{Entry, Row};
use crate::theme::Theme;

/// Column widths for a terminal `width` wide.
struct Widths {
    date: usize,
    group: usize,
    /// 0: no "n of m" column (under 100 columns: the group's name needs the room more).
    session: usize,
    facilitators: usize,
    present: usize,
    over: usize,
    flags: usize,
    status: usize,
    /// 0: no title column.
    title: usize,
}

const MARK: usize = 2;

impl Widths {
    fn for_width(total: usize) -> Widths {
        // From 72 columns the start's time shows: two sessions of one group on one day (a
        // false start and the real one) must not look the same. Narrower, columns give way
        // to the group's name: "n of m", then the facilitators, then the time over plan.
        let narrow = total < 100;
        let date = if total >= 72 { 16 } else { 10 };
        let session = if narrow { 0 } else { 9 };
        let (present, flags, status) = if narrow { (7, 6, 9) } else { (9, 7, 9) };
        let over = if total >= 60 { 6 } else { 0 };
        let shown = [session, over].iter().filter(|&&w| w > 0).count() + usize::from(total >= 72);
        // One gap between each two of: date, group, [session], [facilitators], present,
        // [over], flags, status, [title].
        let gaps = 4 + shown + usize::from(total >= 120);
        let fixed = MARK + date + session + present + over + flags + status + gaps;
        let rest = total.saturating_sub(fixed);
        let (group, facilitators, title) = match total {
            120.. => (rest * 3 / 10, rest * 3 / 10, rest - rest * 3 / 10 * 2),
            72.. => (rest * 3 / 5, rest - rest * 3 / 5, 0),
            _ => (rest, 0, 0),
        };
        Widths {
            date,
            group,
            session,
            facilitators,
            present,
            over,
            flags,
            status,
            title,
        }
    }
}

/// A row's supervision in a few letters, and how loud: `draft`, `submitted`, `signed`,
/// `RETURNED`, `CHANGED` (signed, then changed: in the error colour), `CONFLICT`.
fn status_cell(row: &Row, theme: &Theme) -> (&'static str, Style) {
    use crate::supervision::Status;
    if row.conflict_of.is_some() {
        return (
            "CONFLICT",
            Style::new().fg(theme.warning).add_modifier(Modifier::BOLD),
        );
    }
    if row.review.unread_records > 0 {
        return (
            "UNKNOWN",
            Style::new().fg(theme.warning).add_modifier(Modifier::BOLD),
        );
    }
    if row.review.changed_after_sign_off {
        return (
            "CHANGED",
            Style::new().fg(theme.error).add_modifier(Modifier::BOLD),
        );
    }
    match row.review.status {
        Status::Draft => ("draft", Style::new().fg(theme.muted)),
        Status::Submitted => ("submitted", Style::new().fg(theme.accent)),
        Status::Signed => ("signed", Style::new().fg(theme.done)),
        Status::Returned => (
            "RETURNED",
            Style::new().fg(theme.warning).add_modifier(Modifier::BOLD),
        ),
    }
}

pub fn draw(frame: &mut Frame, area: Rect, b: &Browser, theme: &Theme) {
    let w = Widths::for_width(usize::from(area.width));
    let mut lines = vec![status_line(b, theme), header(&w, b, theme)];
    let height = usize::from(area.height).saturating_sub(2);
    if b.visible.is_empty() {
        let message = if b.index.rows.is_empty() {
            format!("No summaries (*.ron) in {}.", b.index.dir.display())
        } else {
            "Nothing matches the filter. Press / to change it, or Esc to clear it.".to_owned()
        };
        lines.push(Line::from(Span::styled(
            format!("  {message}"),
            Style::new().fg(theme.muted),
        )));
    }
    let offset = list_offset(b.selected, height);
    for (pos, &i) in b.visible.iter().enumerate().skip(offset).take(height) {
        let Some(row) = b.index.rows.get(i) else { continue };
        let is_selected = pos == b.selected;
        let mut line = match &row.entry {
            Ok(e) => session_line(row, e, &w, theme),
            Err(reason) => error_line(row, reason, &w, theme),
        };
        let marker = if is_selected { "▶ " } else { "  " };
        line.spans
            .insert(0, Span::styled(marker, Style::new().fg(theme.accent)));
        if is_selected {
            let pad = usize::from(area.width).saturating_sub(line.width());
            line.spans.push(Span::raw(" ".repeat(pad)));
            line = line.patch_style(selected(theme));
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn status_line(b: &Browser, theme: &Theme) -> Line<'static> {
    let total = b.index.rows.len();
    let mut spans = vec![
        Span::styled(" Sort: ", Style::new().fg(theme.muted)),
        Span::styled(
            format!("{} {}", b.sort.column.label(), b.sort.arrow()),
            Style::new().fg(theme.text),
        ),
    ];
    if b.filter.is_empty() {
        spans.push(Span::styled(
            format!(" · {} files", thousands(total)),
            Style::new().fg(theme.muted),
        ));
    } else {
        spans.push(Span::styled(" · Filter: ", Style::new().fg(theme.muted)));
        spans.push(Span::styled(
            b.filter.to_query(),
            Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::styled(
            format!(" · {} of {}", thousands(b.visible.len()), thousands(total)),
            Style::new().fg(theme.muted),
        ));
    }
    Line::from(spans)
}

fn header(w: &Widths, b: &Browser, theme: &Theme) -> Line<'static> {
    let name = |column: Column, text: &str| {
        if b.sort.column == column {
            format!("{text} {}", b.sort.arrow())
        } else {
            text.to_owned()
        }
    };
    let mut cells = vec![
        " ".repeat(MARK - 1),
        fit(&name(Column::Date, "Date"), w.date),
        fit(&name(Column::Group, "Group"), w.group),
    ];
    // Columns that give way on a narrow screen have no width there.
    let optional = [
        (Column::Session, "Session", w.session),
        (Column::Facilitators, "Facilitators", w.facilitators),
        (Column::Attendance, "Present", w.present),
        (Column::Time, "Over", w.over),
        (Column::Flags, "Flags", w.flags),
    ];
    cells.extend(optional.iter().filter(|(_, _, width)| *width > 0).map(
        |(column, text, width)| match column {
            // Over its numbers, which stand right-aligned a column short of the cell.
            Column::Time if name(*column, text).chars().count() < *width => {
                format!("{} ", fit_right(&name(*column, text), width - 1))
            }
            _ => fit(&name(*column, text), *width),
        },
    ));
    cells.push(fit("Status", w.status));
    if w.title > 0 {
        cells.push(fit("Title", w.title));
    }
    let text = cells.join(" ");
    Line::from(Span::styled(
        text.trim_end().to_owned(),
        Style::new()
            .fg(theme.accent)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
    ))
}

fn session_line(row: &Row, e: &Entry, w: &Widths, theme: &Theme) -> Line<'static> {
    let date = if w.date >= 16 && !e.time.is_empty() {
        format!("{} {}", e.date, e.time)
    } else {
        e.date.to_string()
    };
    let text = Style::new().fg(theme.text);
    let muted = Style::new().fg(theme.muted);
    let over_style = if e.over_under_secs >= 300 {
        Style::new().fg(theme.overtime)
    } else {
        text
    };
    let mut spans = vec![
        Span::styled(fit(&date, w.date), text),
        Span::raw(" "),
        Span::styled(fit_name(&e.group, w.group), text),
        Span::raw(" "),
    ];
    if w.session > 0 {
        spans.push(Span::styled(fit(&e.session_label(), w.session), muted));
        spans.push(Span::raw(" "));
    }
    if w.facilitators > 0 {
        spans.push(Span::styled(
            fit(&fmt::people(&e.facilitators), w.facilitators),
            text,
        ));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled(fit_right(&fmt::attendance(e), w.present - 1), text));
    spans.push(Span::raw("  "));
    if w.over > 0 {
        spans.push(Span::styled(
            fit_right(&fmt::over_under(e.over_under_secs), w.over - 1),
            over_style,
        ));
        spans.push(Span::raw("  "));
    }
    spans.extend(flag_spans(e.risk as usize, e.follow_up as usize, w.flags, theme));
    let (status, style) = status_cell(row, theme);
    spans.push(Span::raw(" "));
    spans.push(Span::styled(fit(status, w.status), style));
    if w.title > 0 {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(fit(&e.title, w.title), muted));
    }
    Line::from(spans)
}

/// `R2 F1` in the risk and follow-up colours, padded to `cells`.
pub fn flag_spans(risk: usize, follow_up: usize, cells: usize, theme: &Theme) -> Vec<Span<'static>> {
    crate::review::doc::flag_pieces(risk, follow_up, cells)
        .iter()
        .map(|p| super::span(p, theme))
        .collect()
}

fn error_line(row: &Row, reason: &str, w: &Widths, theme: &Theme) -> Line<'static> {
    // The cells from the group's to the last, and the gaps between them.
    let cells = [
        w.group,
        w.session,
        w.facilitators,
        w.present,
        w.over,
        w.flags,
        w.status,
        w.title,
    ];
    let shown = cells.iter().filter(|&&c| c > 0).count();
    let rest = cells.iter().sum::<usize>() + shown.saturating_sub(1);
    let style = Style::new().fg(theme.error);
    Line::from(vec![
        Span::styled(fit("ERROR", w.date), style.add_modifier(Modifier::BOLD)),
        Span::raw(" "),
        Span::styled(fit(&format!("{}: {reason}", row.file), rest), style),
    ])
}
