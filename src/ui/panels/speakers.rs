//! Who speaks: the speaker and their time, who is next, then every member in speaking
//! order with a mark, airtime as a bar and a share. In a round the list is the round's
//! order and the marks are this round's; a long list scrolls to keep the speaker and the
//! next in view and says how many more there are.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{bold, panel};
use crate::keymap::Action;
use crate::plan::Speaking;
use crate::session::{Attendance, MemberIx, Millis, State};
use crate::theme::Theme;
use crate::ui::format::{self, clock, label};
use crate::ui::{Seat, View};

/// Lines above the member list: the speaker, the next.
pub const SPEAKER_HEADER_LINES: usize = 2;

/// Width of a name in the list.
const NAME_WIDTH: usize = 14;

pub fn draw(frame: &mut Frame, area: Rect, view: &View, theme: &Theme) {
    let state = view.state;
    let title = title(state);
    let block = panel(&title, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let mut lines = vec![
        speaker_line(state, view.now, usize::from(inner.width), theme),
        next_line(view, theme),
    ];
    let room = usize::from(inner.height).saturating_sub(lines.len());
    let rows = MemberRows::fit(state, room);
    let most = (0..state.roster.members.len())
        .map(|m| state.airtime(m, view.now))
        .max()
        .unwrap_or(0)
        .max(1);
    let bar_width = usize::from(inner.width)
        .saturating_sub(NAME_WIDTH + 22)
        .clamp(4, 30);
    for member in &rows.shown {
        lines.push(member_line(view, *member, most, bar_width, theme));
    }
    let more = match (rows.above, rows.below) {
        (0, 0) => None,
        (above, 0) => Some(format!("  +{above} more above")),
        (0, below) => Some(format!("  +{below} more below")),
        (above, below) => Some(format!("  +{above} more above, +{below} below")),
    };
    if let Some(more) = more {
        lines.push(Line::from(Span::styled(more, Style::default().fg(theme.muted))));
    }
    if state.roster.members.is_empty() {
        lines.push(Line::from(Span::styled(
            "No roster: pass --roster FILE to track members",
            Style::default().fg(theme.muted),
        )));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn title(state: &State) -> String {
    let present = state.present_members().count().max(1);
    let equal = 100.0 / present as f64;
    match state.speaking_here() {
        Speaking::None => format!("Speakers · equal share {equal:.0}%"),
        Speaking::Round { per_speaker, order } => {
            format!("Round · {order:?} · {per_speaker} each · equal {equal:.0}%")
        }
        Speaking::OpenFloor { per_speaker: Some(p) } => format!("Open floor · {p} each · equal {equal:.0}%"),
        Speaking::OpenFloor { per_speaker: None } => format!("Open floor · equal share {equal:.0}%"),
    }
}

fn speaker_line<'a>(state: &State, now: Millis, width: usize, theme: &Theme) -> Line<'a> {
    let Some(turn) = state.current_turn() else {
        return Line::from(Span::styled(
            "Nobody has the floor",
            Style::default().fg(theme.muted),
        ));
    };
    let length = turn.length(now);
    let time = match state.speaker_target(now) {
        Some(target) if length > target => Span::styled(
            format!(
                "{} / {} (+{} over)",
                clock(length),
                clock(target),
                clock(length - target)
            ),
            bold(theme.overtime),
        ),
        Some(target) => Span::styled(format!("{} / {}", clock(length), clock(target)), bold(theme.text)),
        None => Span::styled(clock(length), bold(theme.text)),
    };
    // A long name is cut (with "…"), never the speaker's timer after it.
    let room = width.saturating_sub("Speaking ".len() + 2 + time.content.chars().count());
    Line::from(vec![
        Span::styled("Speaking ", Style::default().fg(theme.muted)),
        Span::styled(
            format::fit(&format::name(state, turn.member), room.max(4)),
            bold(theme.speaker),
        ),
        Span::raw("  "),
        time,
    ])
}

fn next_line<'a>(view: &View, theme: &Theme) -> Line<'a> {
    let (state, now) = (view.state, view.now);
    let muted = Style::default().fg(theme.muted);
    let mut spans = vec![Span::styled("Next ", muted)];
    let is_round = matches!(state.speaking_here(), Speaking::Round { .. });
    match state.next_speaker() {
        Some(member) => {
            spans.push(Span::styled(format::name(state, member), bold(theme.text)));
            if let Some(target) = state.next_target(now) {
                spans.push(Span::styled(format!("  target {}", clock(target)), muted));
            }
        }
        None if is_round && state.round_here().is_some() => {
            spans.push(Span::styled("round complete", Style::default().fg(theme.done)));
        }
        None => spans.push(Span::styled("—", muted)),
    }
    if let Some(member) = state.suggest_invite(now)
        && !is_round
        && view.seat == Seat::Facilitator
    {
        spans.push(Span::styled(
            format!("   invite ({}): ", view.keys.label(Action::Invite)),
            muted,
        ));
        spans.push(Span::styled(format::name(state, member), bold(theme.unheard)));
    }
    Line::from(spans)
}

/// A member's mark: what they are doing now, or have done in this round (outside a round,
/// in the session).
fn mark(state: &State, member: MemberIx, theme: &Theme) -> (&'static str, Style) {
    let speaking = state.current_turn().map(|t| t.member) == Some(member);
    let may_speak = state.attendance.get(member).is_some_and(|a| a.may_speak());
    let in_queue = state.queue.iter().position(|m| *m == member);
    let turns_counted = |member| {
        state.turns.iter().filter(move |t| {
            t.member == member && (state.round_here().is_none() || t.segment == state.current)
        })
    };
    let done_in_round = state
        .round_here()
        .is_none_or(|round| round.done.contains(&member));
    if speaking {
        ("▶", bold(theme.speaker))
    } else if !may_speak {
        ("✗", Style::default().fg(theme.skipped))
    } else if let Some(pos) = in_queue {
        (
            ["✋1", "✋2", "✋3", "✋4", "✋5"]
                .get(pos)
                .copied()
                .unwrap_or("✋"),
            bold(theme.accent),
        )
    } else if done_in_round && turns_counted(member).any(|t| !t.passed) {
        ("✓", Style::default().fg(theme.spoken))
    } else if done_in_round && turns_counted(member).any(|t| t.passed) {
        ("↷", Style::default().fg(theme.skipped))
    } else {
        ("·", bold(theme.unheard))
    }
}

fn member_line<'a>(view: &View, member: MemberIx, most: i64, bar_width: usize, theme: &Theme) -> Line<'a> {
    let state = view.state;
    let airtime = state.airtime(member, view.now);
    let (marker, style) = mark(state, member, theme);
    let style = if view.selected == Some(member) {
        style.bg(theme.selection)
    } else {
        style
    };
    let name = format::fit(&format::name(state, member), NAME_WIDTH);
    let filled = (airtime * bar_width as i64 / most) as usize;
    let total: i64 = (0..state.roster.members.len())
        .map(|m| state.airtime(m, view.now))
        .sum();
    let status = match state.attendance.get(member).map(|a| a.mark) {
        Some(Attendance::Absent) => "absent".to_string(),
        Some(Attendance::LeftEarly { .. }) => "left".to_string(),
        _ if airtime > 0 => format!(
            "{} {:>3.0}%",
            clock(airtime),
            airtime as f64 * 100.0 / total.max(1) as f64
        ),
        Some(Attendance::Expected) => "expected".to_string(),
        Some(Attendance::Late { .. }) => "late".to_string(),
        _ => "not yet".to_string(),
    };
    Line::from(vec![
        // Under the curtain a label would tell the roster's order: it is left out.
        Span::styled(
            if state.curtain {
                "  ".to_owned()
            } else {
                format!("{} ", label(member))
            },
            Style::default().fg(theme.key),
        ),
        // Pad by display width: a raised hand is two cells wide.
        Span::styled(
            format!(
                "{marker}{} ",
                " ".repeat(3usize.saturating_sub(Span::raw(marker).width()))
            ),
            style,
        ),
        Span::styled(format!("{name:<NAME_WIDTH$} "), style),
        Span::styled("█".repeat(filled), Style::default().fg(theme.airtime)),
        Span::styled(
            "░".repeat(bar_width - filled.min(bar_width)),
            Style::default().fg(theme.border),
        ),
        Span::styled(format!(" {status}"), Style::default().fg(theme.muted)),
    ])
}

/// The members the list shows, in speaking order, and how many do not fit before and
/// after them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRows {
    pub shown: Vec<MemberIx>,
    pub above: usize,
    pub below: usize,
}

impl MemberRows {
    /// As many members as `room` lines hold, in speaking order (a round's order in a round,
    /// else the roster's). When they do not all fit, one line says how many more there are,
    /// and the window starts just before the speaker (or the next), so both stay in view.
    pub fn fit(state: &State, room: usize) -> MemberRows {
        let mut order = state.speaking_order();
        if state.curtain {
            // The order of the list must not tell who is who either.
            order.sort_by_key(|m| state.stand_in(*m));
        }
        if order.len() <= room {
            return MemberRows {
                shown: order,
                above: 0,
                below: 0,
            };
        }
        let rows = room.saturating_sub(1);
        let focus = state
            .current_turn()
            .map(|t| t.member)
            .or_else(|| state.next_speaker());
        let at = focus
            .and_then(|m| order.iter().position(|o| *o == m))
            .unwrap_or(0);
        let start = at.saturating_sub(1).min(order.len() - rows);
        MemberRows {
            shown: order[start..start + rows].to_vec(),
            above: start,
            below: order.len() - start - rows,
        }
    }
}
