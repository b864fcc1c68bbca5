//! Drawing: a pure function of the session state, the view's extras and the theme.
//! Nothing here changes state or reads the clock; `View::now` is the time to draw at.

mod bigtext;
pub mod format;
mod overlays;
mod panels;

use chrono::FixedOffset;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui_textarea::TextArea;

use crate::keymap::Keymap;
use crate::session::rebalance::Proposal;
use crate::session::{About, Millis, State, Tag};
use crate::theme::Theme;

/// The smallest terminal the console lays out in.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// Whether the facilitator's journal has what is on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveMark {
    Saved,
    Saving,
    /// Writing failed: the session goes on in memory.
    Failed(String),
    /// Nothing is journaled here (a trainee following along).
    NotJournaled,
}

/// Who is looking: the facilitator drives; an observer follows and takes their own notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seat {
    Facilitator,
    Observer,
}

/// A popup over the console.
pub enum Overlay<'a> {
    None,
    Help,
    ConfirmQuit,
    Note {
        editor: &'a TextArea<'static>,
        about: About,
        tags: &'a [Tag],
    },
    Attendance {
        selected: usize,
    },
    PickMember {
        purpose: &'a str,
    },
    PickSegment,
    Rebalance(&'a Proposal),
    Resume {
        title: &'a str,
        down_ms: i64,
    },
    SaveAs {
        editor: &'a TextArea<'static>,
        error: Option<&'a str>,
    },
    Message {
        title: &'a str,
        text: &'a str,
    },
}

/// Everything drawn besides the session state itself.
pub struct View<'a> {
    pub state: &'a State,
    pub now: Millis,
    pub offset: FixedOffset,
    pub keys: &'a Keymap,
    pub save: SaveMark,
    pub seat: Seat,
    pub overlay: Overlay<'a>,
    /// A warning is being flashed.
    pub flash: bool,
    /// A line shown above the hints: a plan reload error, sharing status, a saved path.
    pub banner: Option<&'a str>,
}

/// Draws the whole console.
pub fn draw(frame: &mut Frame, view: &View, theme: &Theme) {
    let area = frame.area();
    frame.render_widget(
        Block::default().style(Style::default().bg(theme.background).fg(theme.text)),
        area,
    );
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        draw_too_small(frame, area, theme);
        return;
    }
    let [header, body, status, banner, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(10),
        Constraint::Length(1),
        Constraint::Length(u16::from(view.banner.is_some())),
        Constraint::Length(1),
    ])
    .areas(area);
    let [main, side] =
        Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(body);
    let segment_height = if main.height >= 30 { 12 } else { 10 };
    let [segment, speakers] =
        Layout::vertical([Constraint::Length(segment_height), Constraint::Min(4)]).areas(main);
    let agenda_rows = view.state.segments.len() as u16 + 2;
    let [agenda, notes] = Layout::vertical([
        Constraint::Length(agenda_rows.min(side.height / 2).max(4)),
        Constraint::Min(3),
    ])
    .areas(side);

    panels::header(frame, header, view, theme);
    panels::segment(frame, segment, view, theme);
    panels::speakers(frame, speakers, view, theme);
    panels::agenda(frame, agenda, view, theme);
    panels::notes(frame, notes, view, theme);
    panels::status(frame, status, view, theme);
    if let Some(text) = view.banner {
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(
                text,
                Style::default().fg(theme.warning).add_modifier(Modifier::BOLD),
            ))),
            banner,
        );
    }
    panels::hints(frame, hints, view, theme);
    overlays::draw(frame, area, view, theme);
}

fn draw_too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    let text = format!(
        "Terminal too small: {}×{}. holdspace needs at least {MIN_WIDTH}×{MIN_HEIGHT}. \
         Enlarge the window or make the font smaller. The session goes on; nothing is lost.",
        area.width, area.height
    );
    frame.render_widget(
        Paragraph::new(text)
            .style(Style::default().fg(theme.warning))
            .wrap(Wrap { trim: true }),
        area,
    );
}

#[cfg(test)]
mod tests;
