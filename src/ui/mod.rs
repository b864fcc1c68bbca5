//! Drawing: a pure function of the session state, the view's extras and the theme.
//! Nothing here changes state or reads the clock; `View::now` is the time to draw at.

mod bigtext;
pub mod format;
mod panels;
pub mod popup;
mod sample;

pub use panels::SPEAKER_HEADER_LINES;
pub use sample::{sample_session, sample_steps};

use crate::keymap::Keymap;
use crate::session::{MemberIx, Millis, Note, State};
use crate::theme::Theme;
use chrono::FixedOffset;
use popup::Hint;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

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

/// Everything drawn besides the session state itself.
pub struct View<'a> {
    pub state: &'a State,
    pub now: Millis,
    pub offset: FixedOffset,
    pub keys: &'a Keymap,
    pub save: SaveMark,
    pub seat: Seat,
    /// The keys of the hint line, in order (the console's current mode decides them).
    pub hints: Vec<Hint>,
    /// A warning is being flashed.
    pub flash: bool,
    /// A line shown above the hints: a plan reload error, sharing status, a saved path.
    pub banner: Option<String>,
    /// The notes panel's notes: the facilitator's, or a trainee's own observations.
    pub notes: &'a [Note],
    /// How many of the newest notes are scrolled past.
    pub notes_scroll: usize,
    /// A member chosen with the mouse: notes and "give the floor" go to them.
    pub selected: Option<MemberIx>,
    /// Which page of the segment's prompts and materials shows, when they do not all fit.
    pub info_page: usize,
}

impl<'a> View<'a> {
    /// The facilitator's plain view of a session: saved, nothing selected, no hints.
    pub fn new(state: &'a State, now: Millis, offset: FixedOffset, keys: &'a Keymap) -> View<'a> {
        View {
            state,
            now,
            offset,
            keys,
            save: SaveMark::Saved,
            seat: Seat::Facilitator,
            hints: Vec::new(),
            flash: false,
            banner: None,
            notes: &state.notes,
            notes_scroll: 0,
            selected: None,
            info_page: 0,
        }
    }
}

/// Where each panel is on screen, shared by drawing and mouse hit-testing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub segment: Rect,
    pub speakers: Rect,
    pub agenda: Rect,
    pub notes: Rect,
    pub status: Rect,
    pub banner: Rect,
    pub hints: Rect,
}

/// What a mouse click or scroll landed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    Segment(usize),
    Member(MemberIx),
    Notes,
}

/// The console's layout for a terminal area; `None` when it is too small.
pub fn layout(area: Rect, state: &State, banner: bool) -> Option<Areas> {
    if too_small(area) {
        return None;
    }
    let [header, body, status, banner, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(10),
        Constraint::Length(1),
        Constraint::Length(u16::from(banner)),
        Constraint::Length(1),
    ])
    .areas(area);
    let [main, side] =
        Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(body);
    // The countdown grows with the screen; the speakers get the rest, and what a small
    // group leaves of it goes back to the segment's prompts and materials (four lines at most).
    let base: u16 = match main.height {
        36.. => 18,
        30.. => 14,
        _ => 10,
    };
    let speakers_wanted = (state.roster.members.len() as u16).saturating_add(2 + 2 + 1);
    let spare = main
        .height
        .saturating_sub(base)
        .saturating_sub(speakers_wanted)
        .min(4);
    let segment_height = base + spare;
    let [segment, speakers] =
        Layout::vertical([Constraint::Length(segment_height), Constraint::Min(4)]).areas(main);
    let agenda_rows = state.segments.len() as u16 + 2;
    let [agenda, notes] = Layout::vertical([
        Constraint::Length(agenda_rows.min(side.height / 2).max(4)),
        Constraint::Min(3),
    ])
    .areas(side);
    Some(Areas {
        header,
        segment,
        speakers,
        agenda,
        notes,
        status,
        banner,
        hints,
    })
}

/// What is at a cell: an agenda row, a member's row, or the notes panel.
pub fn hit(areas: &Areas, state: &State, column: u16, row: u16) -> Option<Hit> {
    let inside = |r: Rect| column > r.x && column + 1 < r.right() && row > r.y && row + 1 < r.bottom();
    if inside(areas.agenda) {
        let rows = areas.agenda.height.saturating_sub(2) as usize;
        let index = panels::first_segment_shown(state, rows) + (row - areas.agenda.y - 1) as usize;
        return (index < state.segments.len()).then_some(Hit::Segment(index));
    }
    if inside(areas.speakers) {
        let line = (row - areas.speakers.y - 1) as usize;
        let room =
            (areas.speakers.height.saturating_sub(2) as usize).saturating_sub(panels::SPEAKER_HEADER_LINES);
        let rows = panels::MemberRows::fit(state, room);
        let member = line
            .checked_sub(panels::SPEAKER_HEADER_LINES)
            .and_then(|offset| rows.shown.get(offset))?;
        return Some(Hit::Member(*member));
    }
    inside(areas.notes).then_some(Hit::Notes)
}

/// Draws the console's main screen; a popup, if any, is drawn over it by its mode.
pub fn draw(frame: &mut Frame, view: &View, theme: &Theme) {
    let area = frame.area();
    frame.render_widget(
        Block::default().style(Style::default().bg(theme.background).fg(theme.text)),
        area,
    );
    let Some(areas) = layout(area, view.state, view.banner.is_some()) else {
        draw_too_small(frame, area, view.state.curtain, theme);
        return;
    };

    panels::header(frame, areas.header, view, theme);
    panels::segment(frame, areas.segment, view, theme);
    panels::speakers(frame, areas.speakers, view, theme);
    panels::agenda(frame, areas.agenda, view, theme);
    panels::notes(frame, areas.notes, view, theme);
    panels::status(frame, areas.status, view, theme);
    if let Some(text) = view.banner.as_deref() {
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(
                format::fit(text, usize::from(areas.banner.width)),
                Style::default().fg(theme.warning).add_modifier(Modifier::BOLD),
            ))),
            areas.banner,
        );
    }
    panels::hints(frame, areas.hints, view, theme);
}

fn draw_too_small(frame: &mut Frame, area: Rect, curtain: bool, theme: &Theme) {
    // The curtain is the one key that works here: what it did must show.
    let curtain = if curtain { "◼ curtain · " } else { "" };
    let full = format!(
        "{curtain}Terminal too small: {}×{}. holdspace needs at least {MIN_WIDTH}×{MIN_HEIGHT}. \
         Enlarge the window or make the font smaller. The session goes on; nothing is lost. \
         Keys do nothing until it fits, except the curtain.",
        area.width, area.height
    );
    // A window too small for the whole sentence gets the part that matters, whole.
    let room = usize::from(area.width) * usize::from(area.height);
    let text = if full.chars().count() * 5 / 4 <= room {
        full
    } else {
        format!(
            "{curtain}Too small: {}×{}, needs {MIN_WIDTH}×{MIN_HEIGHT}",
            area.width, area.height
        )
    };
    draw_message(frame, &text, theme);
}

/// Whether the terminal is too small for the console: keys wait, since nothing they do
/// could be seen.
pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// A screen with one message and nothing else (e.g. a trainee waiting for the facilitator).
pub fn draw_message(frame: &mut Frame, text: &str, theme: &Theme) {
    let area = frame.area();
    frame.render_widget(
        Block::default().style(Style::default().bg(theme.background).fg(theme.text)),
        area,
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
