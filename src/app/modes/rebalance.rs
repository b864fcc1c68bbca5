//! The rest of the agenda rebalanced to end on time, old and new side by side: accept it
//! (one journal event) or leave it.

use ratatui::Frame;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::main_screen::message;
use super::{Ctx, Mode, Step};
use crate::app::effect::Effect;
use crate::keymap::Action;
use crate::session::rebalance::Proposal;
use crate::session::{Command, Millis, State};
use crate::theme::Theme;
use crate::ui::format::clock;
use crate::ui::popup::{Hint, key_lines, popup};

const WIDTH: u16 = 64;

#[derive(Debug)]
pub struct RebalanceOffer {
    proposal: Proposal,
}

impl RebalanceOffer {
    /// The offer for the session as it stands, or a message when there is nothing to offer.
    pub fn propose(state: &State, now: Millis) -> Mode {
        match state.propose_rebalance(now) {
            Some(proposal) if proposal.changes().is_empty() && proposal.ends_early_secs > 0 => message(
                "Rebalance",
                &format!(
                    "Every segment is already at its longest: the session ends {} early.",
                    clock(proposal.ends_early_secs as i64 * 1000)
                ),
            ),
            Some(proposal) if proposal.changes().is_empty() && proposal.overrun_secs == 0 => {
                message("Rebalance", "The rest of the agenda already ends on time.")
            }
            Some(proposal) => Mode::Rebalance(RebalanceOffer { proposal }),
            None => message("Rebalance", "Nothing is left to rebalance: no upcoming segments."),
        }
    }

    pub fn on_key(self, action: Option<Action>) -> Step {
        match action {
            Some(Action::RebalanceAccept) => Step::back(vec![Effect::Command(Command::AcceptRebalance(
                self.proposal.changes(),
            ))]),
            Some(Action::RebalanceDismiss) => Step::back(Vec::new()),
            _ => Step::stay(Mode::Rebalance(self)),
        }
    }

    pub fn draw(&self, frame: &mut Frame, ctx: &Ctx, hints: &[Hint], theme: &Theme) {
        let agenda = &ctx.state.plan.agenda;
        let mut lines = vec![
            Line::from("The rest of the agenda, rebalanced to end on time:"),
            Line::from(""),
        ];
        for (index, old, new) in &self.proposal.rows {
            let segment = agenda.get(*index);
            let title = segment.map_or("?", |s| s.title.as_str());
            let fixed = segment.is_some_and(|s| s.fixed);
            let note = match (*index == ctx.state.current, fixed) {
                (true, true) => "  now, fixed",
                (true, false) => "  now",
                (false, true) => "  fixed",
                (false, false) => "",
            };
            let style = if old == new {
                Style::default().fg(theme.muted)
            } else {
                Style::default().add_modifier(Modifier::BOLD)
            };
            lines.push(Line::from(vec![
                Span::raw(format!(" {title:<30.30} ")),
                Span::styled(
                    format!(
                        "{:>6} → {:>6}",
                        clock(*old as i64 * 1000),
                        clock(*new as i64 * 1000)
                    ),
                    style,
                ),
                Span::styled(note, Style::default().fg(theme.muted)),
            ]));
        }
        lines.push(Line::from(""));
        if self.proposal.ends_early_secs > 0 {
            lines.push(Line::from(Span::styled(
                format!(
                    "Ends {} early: every segment is at its longest.",
                    clock(self.proposal.ends_early_secs as i64 * 1000)
                ),
                Style::default().fg(theme.warning).add_modifier(Modifier::BOLD),
            )));
        }
        if self.proposal.overrun_secs > 0 {
            lines.push(Line::from(Span::styled(
                format!(
                    "Even at every minimum the session overruns by {}.",
                    clock(self.proposal.overrun_secs as i64 * 1000)
                ),
                Style::default().fg(theme.overtime).add_modifier(Modifier::BOLD),
            )));
        }
        lines.extend(key_lines(theme, hints, WIDTH - 2));
        popup(frame, frame.area(), "Rebalance", lines, WIDTH, theme);
    }
}

pub fn hints(ctx: &Ctx) -> Vec<Hint> {
    ctx.hints(&[
        (Action::RebalanceAccept, "accept"),
        (Action::RebalanceDismiss, "dismiss"),
    ])
}
