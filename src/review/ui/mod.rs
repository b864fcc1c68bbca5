//! Drawing the review: pure functions of the [`Browser`] and a [`Theme`], one file per
//! screen. Nothing here changes state; nothing is carried by colour alone (flags read
//! `R`/`F`, the selected row has a marker, bars of plan and actual differ in shape). The
//! scrolling documents come laid out from [`crate::review::doc`]; here their tones become
//! the theme's styles.

pub mod flags;
pub mod help;
pub mod list;
pub mod picker;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::browser::{Browser, InputKind, Screen};
use super::doc::{Doc, DocLine, Look, Piece, Tone, text};
use crate::supervision::Request;
use crate::theme::Theme;

/// Smaller than this, the review asks for a larger terminal instead of a broken layout.
pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 12;

/// Draws the whole browser.
pub fn draw(frame: &mut Frame, b: &Browser, theme: &Theme) {
    let area = frame.area();
    frame.render_widget(
        Block::new().style(Style::new().bg(theme.background).fg(theme.text)),
        area,
    );
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = vec![
            Line::from(Span::styled(
                "The terminal is too small for the review.",
                Style::new().fg(theme.warning).add_modifier(Modifier::BOLD),
            )),
            Line::from(format!(
                "It needs {MIN_WIDTH}×{MIN_HEIGHT}; it is {}×{}.",
                area.width, area.height
            )),
            Line::from("Enlarge the window, or press q to quit."),
        ];
        frame.render_widget(
            Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    let mut bottom_lines = bottom_lines(b, usize::from(area.width), theme);
    // At most half the screen; the prompt, last, always stays.
    let room = usize::from(area.height / 2);
    if bottom_lines.len() > room {
        bottom_lines.drain(..bottom_lines.len() - room);
    }
    let bottom_height = u16::try_from(bottom_lines.len()).unwrap_or(1);
    let [top, body, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(bottom_height),
    ])
    .areas(area);
    title_bar(frame, top, b, theme);
    match b.screen() {
        None => list::draw(frame, body, b, theme),
        Some(Screen::Session(s)) => {
            document(frame, body, &s.document(usize::from(body.width)), s.scroll, theme);
        }
        Some(Screen::Series(s)) => {
            let width = usize::from(body.width);
            if s.doc.width == width && !s.doc.lines.is_empty() {
                document(frame, body, &s.doc, s.scroll, theme);
            } else {
                document(frame, body, &s.document(width), s.scroll, theme);
            }
        }
        Some(Screen::Flags(f)) => flags::draw(frame, body, f, theme),
    }
    frame.render_widget(Paragraph::new(bottom_lines), bottom);
    if let Some(x) = input_cursor(b, usize::from(area.width)) {
        frame.set_cursor_position((bottom.x + x, bottom.bottom().saturating_sub(1)));
    }
    if let Some(picker) = &b.picker {
        picker::draw(frame, area, picker, theme);
    }
    if b.help {
        help::draw(frame, area, b, theme);
    }
}

fn title_bar(frame: &mut Frame, area: Rect, b: &Browser, theme: &Theme) {
    let place = match b.screen() {
        None => "Sessions".to_owned(),
        Some(Screen::Session(_)) => "Session".to_owned(),
        Some(Screen::Series(s)) => format!("Group: {}", s.series.group),
        Some(Screen::Flags(_)) => "Flags".to_owned(),
    };
    let errors = b.index.errors();
    let sessions = b.index.rows.len() - errors;
    let mut right = format!("{} sessions", thousands(sessions));
    if errors > 0 {
        right.push_str(&format!(" · {errors} unreadable"));
    }
    let dir = b.index.dir.display().to_string();
    let width = usize::from(area.width);
    // The counts come first, then where we are, then the folder, as room allows.
    let left = text::truncate(
        &format!(" holdspace review › {place}"),
        width.saturating_sub(text::width(&right) + 3),
    ) + "  ";
    let room = width.saturating_sub(text::width(&left) + text::width(&right) + 3);
    let dir = if room >= 8 {
        text::truncate_left(&dir, room)
    } else {
        String::new()
    };
    let used = text::width(&left) + text::width(&dir) + text::width(&right) + 1;
    let pad = width.saturating_sub(used);
    let line = Line::from(vec![
        Span::styled(left, Style::new().fg(theme.accent).add_modifier(Modifier::BOLD)),
        Span::styled(dir, Style::new().fg(theme.muted)),
        Span::raw(" ".repeat(pad)),
        Span::styled(
            right,
            Style::new().fg(if errors > 0 { theme.warning } else { theme.muted }),
        ),
        Span::raw(" "),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

/// `9,980`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// The most lines a message takes at the bottom: longer ones end in `…`.
const MESSAGE_LINES: usize = 4;

/// What the bottom of the screen says, on as many lines as it needs (a few at most): a
/// message, wrapped, never cut at the edge; then the prompt being typed in, scrolled so
/// the end of what is typed shows; or else the keys of the screen.
fn bottom_lines(b: &Browser, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let warning = Style::new().fg(theme.warning);
    let warning_bold = warning.add_modifier(Modifier::BOLD);
    let mut said = |text: &str, style: Style| {
        let mut wrapped = text::wrap(text, width.saturating_sub(2).max(1));
        if wrapped.len() > MESSAGE_LINES {
            wrapped.truncate(MESSAGE_LINES);
            if let Some(last) = wrapped.last_mut() {
                *last = text::fit(&format!("{last} …"), width.saturating_sub(2));
            }
        }
        lines.extend(
            wrapped
                .into_iter()
                .map(|l| Line::from(Span::styled(format!(" {l}"), style))),
        );
    };
    if let Some(status) = &b.status {
        said(status, warning);
    }
    let Some(input) = &b.input else {
        if lines.is_empty() {
            lines.push(screen_keys(b, width, theme));
        }
        return lines;
    };
    if let (
        InputKind::Text {
            request: Request::Sign,
        },
        Some(Screen::Session(screen)),
    ) = (&input.kind, b.screen())
    {
        // Read again with the screen: a change arriving while the prompt is open shows.
        for warning in screen.sign_warnings() {
            said(&warning, warning_bold);
        }
    }
    let (label, typed) = prompt(b, width).unwrap_or_default();
    let hint = input_hint(&input.kind);
    let inline = text::width(&label) + text::width(&typed) + 1 + text::width(hint) <= width;
    if !inline {
        said(hint.trim(), Style::new().fg(theme.muted));
    }
    let mut spans = vec![
        Span::styled(label, Style::new().fg(theme.key).add_modifier(Modifier::BOLD)),
        Span::styled(typed, Style::new().fg(theme.text)),
        Span::styled("▏", Style::new().fg(theme.accent)),
    ];
    if inline {
        spans.push(Span::styled(hint, Style::new().fg(theme.muted)));
    }
    lines.push(Line::from(spans));
    lines
}

/// The prompt's label, and as much of what is typed as fits after it (its end, where the
/// cursor is), for a line `width` wide.
fn prompt(b: &Browser, width: usize) -> Option<(String, String)> {
    let input = b.input.as_ref()?;
    let label = match &input.kind {
        InputKind::Filter { .. } => " Filter: ",
        InputKind::Export { .. } => " Export to (.html or .md): ",
        InputKind::Notes { .. } => " Progress notes into the folder: ",
        InputKind::Author { .. } => " Your name, for the record: ",
        InputKind::Text { request } => match request {
            Request::Submit => " Submit for sign-off; a note (optional): ",
            Request::Sign => " Sign off; a comment (optional): ",
            Request::Return => " Return it; what should change: ",
            Request::Comment(_) => " Comment: ",
            Request::Addendum => " Addendum (a correction after sign-off): ",
        },
    };
    // A long label gives way to what is typed on a narrow screen.
    let label = text::truncate(label, width / 2);
    let room = width.saturating_sub(text::width(&label) + 1);
    Some((label, text::truncate_left(&input.text, room)))
}

/// Where the cursor stands on the prompt's line, if a prompt is open.
fn input_cursor(b: &Browser, width: usize) -> Option<u16> {
    let (label, typed) = prompt(b, width)?;
    let x = (text::width(&label) + text::width(&typed)).min(width.saturating_sub(1));
    u16::try_from(x).ok()
}

/// What Enter and Esc do in the prompt.
fn input_hint(kind: &InputKind) -> &'static str {
    match kind {
        InputKind::Filter { .. } => "  ⏎ keep · Esc undo · group: fac: status: from: to: flags",
        InputKind::Export { existing: None } | InputKind::Notes { existing: None } => {
            "  ⏎ write · Esc cancel"
        }
        InputKind::Export { existing: Some(_) } => "  the file exists: ⏎ replaces it · Esc cancel",
        InputKind::Notes { existing: Some(_) } => "  files there: ⏎ replaces them · Esc cancel",
        InputKind::Author { .. } | InputKind::Text { .. } => "  ⏎ record · Esc cancel",
    }
}

/// The keys of the screen on top, as many as fit.
fn screen_keys(b: &Browser, width: usize, theme: &Theme) -> Line<'static> {
    let keys: &[(&str, &str)] = match b.screen() {
        None => &[
            ("↑↓", "move"),
            ("⏎", "open"),
            ("/", "filter"),
            ("s/S", "sort"),
            ("f", "flagged"),
            ("g", "group"),
            ("F", "flags"),
            ("e", "export"),
            ("?", "help"),
            ("q", "quit"),
        ],
        Some(Screen::Session(_)) => &[
            ("↑↓", "scroll"),
            ("S", "sign"),
            ("R", "return"),
            ("c", "comment"),
            ("U", "submit"),
            ("A", "addendum"),
            ("g", "group"),
            ("e", "export"),
            ("n", "notes"),
            ("Esc", "back"),
            ("?", "help"),
            ("q", "quit"),
        ],
        Some(Screen::Series(_)) => &[
            ("↑↓", "scroll"),
            ("←→", "sessions"),
            ("e", "export"),
            ("Esc", "back"),
            ("?", "help"),
            ("q", "quit"),
        ],
        Some(Screen::Flags(_)) => &[
            ("↑↓", "move"),
            ("⏎", "open session"),
            ("e", "export"),
            ("Esc", "back"),
            ("?", "help"),
            ("q", "quit"),
        ],
    };
    fitted_keys(keys, width, theme)
}

/// As many key hints as fit, always ending with help and quit.
fn fitted_keys(keys: &[(&str, &str)], width: usize, theme: &Theme) -> Line<'static> {
    let mut shown: Vec<(&str, &str)> = keys.to_vec();
    loop {
        let line = key_line(&shown, theme);
        if line.width() <= width || shown.len() <= 2 {
            return line;
        }
        shown.remove(shown.len() - 3);
    }
}

/// ` key label  key label …`, keys in the key colour and bold.
pub fn key_line(keys: &[(&str, &str)], theme: &Theme) -> Line<'static> {
    let mut spans = vec![Span::raw(" ")];
    for (key, label) in keys {
        spans.push(Span::styled(
            (*key).to_owned(),
            Style::new().fg(theme.key).add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::styled(format!(" {label}  "), Style::new().fg(theme.muted)));
    }
    Line::from(spans)
}

/// The theme's style for a tone of the layout model.
pub fn style(look: Look, theme: &Theme) -> Style {
    let fg = match look.tone {
        Tone::Plain => None,
        Tone::Text => Some(theme.text),
        Tone::Muted => Some(theme.muted),
        Tone::Accent => Some(theme.accent),
        Tone::Error => Some(theme.error),
        Tone::Warning => Some(theme.warning),
        Tone::Over => Some(theme.overtime),
        Tone::Done => Some(theme.done),
        Tone::Skipped => Some(theme.skipped),
        Tone::Airtime => Some(theme.airtime),
        Tone::Unheard => Some(theme.unheard),
        Tone::Rule => Some(theme.border),
        Tone::Risk => Some(theme.risk),
        Tone::FollowUp => Some(theme.follow_up),
        Tone::Tag => Some(theme.tag),
    };
    let style = fg.map_or_else(Style::new, |c| Style::new().fg(c));
    if look.bold {
        style.add_modifier(Modifier::BOLD)
    } else {
        style
    }
}

/// A piece of the layout model as a styled span.
pub fn span(piece: &Piece, theme: &Theme) -> Span<'static> {
    let look = Look {
        tone: piece.tone,
        bold: piece.bold,
    };
    Span::styled(piece.text.clone(), style(look, theme))
}

/// A line of the layout model as a styled line.
pub fn line(line: &DocLine, theme: &Theme) -> Line<'static> {
    Line::from(line.pieces.iter().map(|p| span(p, theme)).collect::<Vec<_>>())
}

/// A popup of `width` × `height` centred in `area`, cleared, framed and titled; returns
/// the frame to draw into (as a block) and where it is.
pub fn popup(
    frame: &mut Frame,
    area: Rect,
    size: (u16, u16),
    title: &str,
    theme: &Theme,
) -> (Block<'static>, Rect) {
    let width = size.0.min(area.width.saturating_sub(2));
    let height = size.1.min(area.height.saturating_sub(2));
    let rect = Rect::new(
        area.x + (area.width.saturating_sub(width)) / 2,
        area.y + (area.height.saturating_sub(height)) / 2,
        width,
        height,
    );
    frame.render_widget(ratatui::widgets::Clear, rect);
    let block = Block::bordered()
        .border_type(ratatui::widgets::BorderType::Rounded)
        .border_style(Style::new().fg(theme.accent))
        .title(Span::styled(
            format!(" {title} "),
            Style::new().fg(theme.accent).add_modifier(Modifier::BOLD),
        ))
        .style(Style::new().bg(theme.background).fg(theme.text));
    (block, rect)
}

/// The style of the selected row: the theme's selection, and bold so it shows without colour.
pub fn selected(theme: &Theme) -> Style {
    Style::new().bg(theme.selection).add_modifier(Modifier::BOLD)
}

/// Draws a document from `scroll` in `area`, with a position mark when it does not all fit.
/// Only the lines shown are styled.
pub fn document(frame: &mut Frame, area: Rect, doc: &Doc, scroll: usize, theme: &Theme) {
    let total = doc.lines.len();
    // When it does not all fit, the last line tells where we are.
    let height = crate::review::doc::visible_rows(total, usize::from(area.height));
    let scroll = scroll.min(total.saturating_sub(height));
    let shown: Vec<Line> = doc
        .lines
        .iter()
        .skip(scroll)
        .take(height)
        .map(|l| line(l, theme))
        .collect();
    frame.render_widget(Paragraph::new(shown), area);
    if total > height && area.width > 12 {
        let mark = format!(" {}–{} of {} ", scroll + 1, (scroll + height).min(total), total);
        let w = mark.chars().count() as u16;
        let at = Rect::new(
            area.right().saturating_sub(w),
            area.bottom().saturating_sub(1),
            w,
            1,
        );
        frame.render_widget(
            Paragraph::new(Span::styled(mark, Style::new().fg(theme.muted))),
            at,
        );
    }
}

/// The first line of `selected`'s page in a list of `height` rows.
pub fn list_offset(selected: usize, height: usize) -> usize {
    if height == 0 {
        return 0;
    }
    selected.saturating_sub(height - 1)
}
