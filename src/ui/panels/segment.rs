//! The current segment: its title and a word for its state (ENDING, OVERTIME, PAUSED), the
//! big countdown scaled to the panel, and what the facilitator needs in it: the exercise
//! step, every prompt and material, their private cues, the ground rules. What does not
//! fit is paged with a key, the page shown as "1/3".

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{bold, panel, wrap_words};
use crate::keymap::Action;
use crate::plan::{Segment, SegmentKind};
use crate::session::State;
use crate::theme::Theme;
use crate::ui::format::{clock, countdown, fit};
use crate::ui::{Seat, View, bigtext};

/// How time stands, in a word as well as a colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    Plenty,
    /// Inside the segment's warning threshold.
    Ending,
    Over,
    Paused,
}

/// A step is ending in its last half minute.
const STEP_ENDING_MS: i64 = 30_000;

impl Standing {
    /// For a step's clock: the step's own standing, or the segment's when that is worse.
    fn of_step(state: &State, step_left: i64, segment_left: i64) -> Standing {
        let segment = Standing::of(state, segment_left);
        let step = match Standing::of(state, step_left) {
            Standing::Ending if step_left > STEP_ENDING_MS => Standing::Plenty,
            standing => standing,
        };
        if segment.rank() > step.rank() {
            segment
        } else {
            step
        }
    }

    fn rank(self) -> u8 {
        match self {
            Standing::Plenty => 0,
            Standing::Paused => 1,
            Standing::Ending => 2,
            Standing::Over => 3,
        }
    }

    fn of(state: &State, remaining: i64) -> Standing {
        let warn_at = state
            .plan
            .agenda
            .get(state.current)
            .and_then(|s| state.plan.warnings_for(s).iter().map(|d| d.as_millis()).max())
            .unwrap_or(0);
        if remaining <= 0 {
            Standing::Over
        } else if !state.is_running() && state.started_at.is_some() && !state.is_ended() {
            Standing::Paused
        } else if remaining <= warn_at {
            Standing::Ending
        } else {
            Standing::Plenty
        }
    }

    fn color(self, theme: &Theme) -> Color {
        match self {
            Standing::Plenty => theme.countdown,
            Standing::Ending => theme.warning,
            Standing::Over => theme.overtime,
            Standing::Paused => theme.paused,
        }
    }

    fn word(self, step: bool) -> &'static str {
        match (self, step) {
            (Standing::Plenty, _) => "",
            (Standing::Ending, false) => " ENDING ",
            (Standing::Ending, true) => " STEP ENDING ",
            (Standing::Over, false) => " OVERTIME ",
            (Standing::Over, true) => " STEP OVER ",
            (Standing::Paused, _) => " PAUSED ",
        }
    }
}

pub fn draw(frame: &mut Frame, area: Rect, view: &View, theme: &Theme) {
    let state = view.state;
    let Some(segment) = state.plan.agenda.get(state.current) else {
        return;
    };
    let segment_left = state.segment_remaining(view.now);
    // In a timed exercise step, the big clock is the step's; the segment's is in the title.
    let step_left = state.step_remaining(view.now);
    let title = panel_title(
        state,
        view.now,
        step_left.is_some(),
        usize::from(area.width).saturating_sub(4),
    );
    let block = panel(&title, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let (left, standing) = match step_left {
        Some(step) => (step, Standing::of_step(state, step, segment_left)),
        None => (segment_left, Standing::of(state, segment_left)),
    };
    let width = usize::from(inner.width);
    let mut lines = vec![title_line(segment, standing, step_left.is_some(), width, theme)];
    let items = info_items(view);
    let item_lines: usize = items.iter().map(|i| i.lines(width, theme).len()).sum();
    let text = countdown(left);
    let mut count_style = bold(standing.color(theme));
    if view.flash {
        count_style = count_style.add_modifier(Modifier::REVERSED);
    }
    let rows = usize::from(inner.height);
    // The largest countdown that leaves room for two lines of the segment's content.
    let scale = (1..=3)
        .rev()
        .find(|s| rows >= 1 + bigtext::HEIGHT * s + item_lines.min(2) && bigtext::width(&text) * s < width)
        .filter(|_| rows >= 8);
    match scale {
        Some(scale) => {
            for row in bigtext::render_scaled(&text, scale) {
                lines.push(Line::from(Span::styled(row, count_style)).alignment(Alignment::Center));
            }
        }
        None => lines.push(Line::from(Span::styled(text, count_style)).alignment(Alignment::Center)),
    }
    let room = rows.saturating_sub(lines.len());
    lines.extend(paged(&items, room, width, view, theme));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// The border's title: where in the agenda, then as much as fits of the segment's time
/// left (when the big clock shows a step), planned and elapsed time, and "fixed".
fn panel_title(state: &State, now: i64, step_clock: bool, width: usize) -> String {
    let progress = &state.segments[state.current.min(state.segments.len().saturating_sub(1))];
    let mut parts = vec![format!("{} of {}", state.current + 1, state.plan.agenda.len())];
    if step_clock {
        parts.push(format!("segment {}", countdown(state.segment_remaining(now))));
    }
    let mut planned = format!("planned {}", clock(progress.planned_ms));
    if progress.adjusted_secs != 0 {
        let sign = if progress.adjusted_secs > 0 { '+' } else { '-' };
        let change = crate::plan::PlanDuration::from_secs(progress.adjusted_secs.unsigned_abs());
        planned.push_str(&format!(" ({sign}{change})"));
    }
    parts.push(planned);
    parts.push(format!(
        "elapsed {}",
        clock(state.segment_elapsed(state.current, now))
    ));
    if state.plan.agenda.get(state.current).is_some_and(|s| s.fixed) {
        parts.push("fixed".into());
    }
    let mut title = String::new();
    for part in parts {
        let joined = if title.is_empty() {
            part
        } else {
            format!("{title} · {part}")
        };
        if joined.chars().count() > width && !title.is_empty() {
            break;
        }
        title = joined;
    }
    title
}

/// The segment's title (cut with `…`) and kind, and the word for how time stands.
fn title_line<'a>(
    segment: &Segment,
    standing: Standing,
    step: bool,
    width: usize,
    theme: &Theme,
) -> Line<'a> {
    let word = standing.word(step);
    let kind = format!("  {}", kind_label(&segment.kind));
    let room = width.saturating_sub(word.chars().count() + kind.chars().count());
    let title = fit(&segment.title, room);
    let pad = width.saturating_sub(title.chars().count() + kind.chars().count() + word.chars().count());
    Line::from(vec![
        Span::styled(title, bold(theme.text)),
        Span::styled(kind, Style::default().fg(theme.muted)),
        Span::raw(" ".repeat(pad)),
        Span::styled(word, bold(standing.color(theme)).add_modifier(Modifier::REVERSED)),
    ])
}

fn kind_label(kind: &SegmentKind) -> String {
    match kind {
        SegmentKind::Custom(name) => name.clone(),
        SegmentKind::GroundRules => "Ground rules".into(),
        SegmentKind::CheckIn => "Check-in".into(),
        SegmentKind::CheckOut => "Check-out".into(),
        other => format!("{other:?}"),
    }
}

/// One piece of the segment's content: a label and its text.
struct Item {
    label: String,
    text: String,
    color: fn(&Theme) -> Color,
}

impl Item {
    /// The item word-wrapped to `width`: its label in bold colour, then the text.
    fn lines<'a>(&self, width: usize, theme: &Theme) -> Vec<Line<'a>> {
        let label = bold((self.color)(theme));
        let words = self
            .label
            .split_whitespace()
            .map(|w| (w.to_owned(), label))
            .chain(
                self.text
                    .split_whitespace()
                    .map(|w| (w.to_owned(), Style::default())),
            )
            .collect();
        wrap_words(words, width, usize::MAX)
    }
}

/// Everything the segment carries for the facilitator, in reading order: the exercise
/// step, the ground rules (in a ground-rules segment), prompts, materials, and their own
/// cues (never under the curtain, never on a trainee's screen).
fn info_items(view: &View) -> Vec<Item> {
    let state = view.state;
    let Some(segment) = state.plan.agenda.get(state.current) else {
        return Vec::new();
    };
    let accent = |t: &Theme| t.accent;
    let mut items = Vec::new();
    if let Some(exercise) = state.plan.exercise_of(segment)
        && let Some(step) = exercise.steps.get(state.step)
    {
        let timer = match state.step_remaining(view.now) {
            Some(left) => format!(" {}", countdown(left)),
            None => String::new(),
        };
        items.push(Item {
            label: format!("Step {}/{}{timer}", state.step + 1, exercise.steps.len()),
            text: step.text.clone(),
            color: accent,
        });
    }
    let numbered = |label: &str, all: &[String], color: fn(&Theme) -> Color| {
        all.iter()
            .enumerate()
            .map(|(i, text)| Item {
                label: if all.len() > 1 {
                    format!("{label} {}/{}", i + 1, all.len())
                } else {
                    label.to_owned()
                },
                text: text.replace('\n', " "),
                color,
            })
            .collect::<Vec<_>>()
    };
    if segment.kind == SegmentKind::GroundRules {
        items.extend(numbered("Rule", &state.plan.ground_rules, accent));
    }
    items.extend(numbered("Prompt", &segment.prompts, accent));
    items.extend(numbered("Materials", &segment.materials, accent));
    if let Some(cues) = &segment.facilitator_notes
        && view.seat == Seat::Facilitator
        && !state.curtain
    {
        items.extend(numbered("Your notes", std::slice::from_ref(cues), |t| {
            t.follow_up
        }));
    }
    items
}

/// The items in `room` lines: all of them when they fit, else a page at a time with the
/// page and the key that turns it on a line of its own, so every word stays reachable.
fn paged<'a>(items: &[Item], room: usize, width: usize, view: &View, theme: &Theme) -> Vec<Line<'a>> {
    let all: Vec<Line> = items.iter().flat_map(|i| i.lines(width, theme)).collect();
    if all.len() <= room {
        return all;
    }
    let per_page = room.saturating_sub(1);
    if per_page == 0 {
        return Vec::new();
    }
    let pages = all.len().div_ceil(per_page);
    let page = view.info_page % pages;
    let key = view
        .keys
        .first_key(Action::MoreInfo)
        .map(|k| k.to_string())
        .unwrap_or_default();
    let marker = format!("{key} more · {}/{pages}", page + 1);
    let mut shown: Vec<Line> = all.into_iter().skip(page * per_page).take(per_page).collect();
    shown
        .push(Line::from(Span::styled(marker, Style::default().fg(theme.muted))).alignment(Alignment::Right));
    shown
}
