//! The main screen's keys: every action of the keymap's main context, as this role may take
//! it, and the hint line of the most used ones.

use super::{
    AttendanceList, Ctx, Message, Mode, NotesList, PickFor, PickMember, RebalanceOffer, SaveAs, Step,
};
use crate::app::effect::Effect;
use crate::keymap::Action;
use crate::session::{About, Command};
use crate::ui::popup::Hint;

pub fn on_key(action: Option<Action>, ctx: &Ctx) -> Step {
    let Some(action) = action.filter(|a| ctx.role.allows(*a)) else {
        return Step::stay(Mode::Main);
    };
    let command = |command| Step::back(vec![Effect::Command(command)]);
    let private = matches!(
        action,
        Action::Note
            | Action::NoteAboutMember
            | Action::RaiseHand
            | Action::Attendance
            | Action::Notes
            | Action::Carried
            | Action::WrapUp
    ) || (action == Action::GiveFloor && ctx.selected.is_none());
    if private && ctx.curtain {
        // Nothing drawn under the curtain shows a name, a note or a draft.
        if ctx.role.is_trainee() && ctx.state.curtain {
            return Step::back(vec![Effect::Notice(
                "The facilitator has drawn the curtain: names and notes come back when they lift it."
                    .to_owned(),
            )]);
        }
        let lift = ctx
            .keys
            .first_key(Action::Curtain)
            .map(|k| k.to_string())
            .unwrap_or_default();
        return Step::back(vec![Effect::Notice(format!(
            "The curtain is drawn: lift it ({lift}) to see names and notes."
        ))]);
    }
    match action {
        Action::StartPause => command(Command::StartPause),
        Action::NextSegment => command(Command::NextSegment),
        Action::PreviousSegment => command(Command::PreviousSegment),
        Action::Extend => command(Command::Adjust(60)),
        Action::Shorten => command(Command::Adjust(-60)),
        Action::ExtendFive => command(Command::Adjust(300)),
        Action::ShortenFive => command(Command::Adjust(-300)),
        Action::Skip => command(Command::Skip),
        Action::NextStep => command(Command::NextStep),
        Action::PreviousStep => command(Command::PreviousStep),
        Action::NextSpeaker => command(Command::NextSpeaker),
        Action::Pass => command(Command::Pass),
        Action::EndTurn => command(Command::EndTurn),
        Action::Invite => match ctx.state.suggest_invite(ctx.now) {
            Some(member) => command(Command::GiveFloor(member)),
            None => Step::stay(Mode::Main),
        },
        Action::Curtain => command(Command::ToggleCurtain),
        Action::Share => Step::back(vec![Effect::ToggleSharing]),
        Action::JumpToSegment => Step::stay(Mode::PickSegment),
        Action::GiveFloor => match ctx.selected {
            Some(member) => command(Command::GiveFloor(member)),
            None => Step::stay(Mode::PickMember(PickMember::new(PickFor::GiveFloor))),
        },
        Action::RaiseHand => Step::stay(Mode::PickMember(PickMember::new(PickFor::Hand))),
        Action::NoteAboutMember => Step::stay(Mode::PickMember(PickMember::new(PickFor::Note))),
        Action::Note => {
            let about = match (ctx.selected, ctx.state.current_turn()) {
                (Some(member), _) => About::Member(member),
                (None, Some(turn)) => About::Member(turn.member),
                (None, None) => About::Group,
            };
            Step::back(vec![Effect::OpenNote(about)])
        }
        Action::Attendance => Step::stay(Mode::Attendance(AttendanceList::default())),
        Action::Undo => Step::back(vec![Effect::Undo]),
        Action::MoreInfo => Step::back(vec![Effect::MoreInfo]),
        Action::GroundRules => Step::stay(Mode::GroundRules),
        Action::WrapUp => Step::back(vec![Effect::ReopenWrapUp]),
        Action::Notes => Step::stay(Mode::NotesList(NotesList::new(ctx.state))),
        Action::Carried if ctx.state.carried.is_empty() => Step::back(vec![Effect::Notice(
            "Nothing was carried from an earlier session of this series.".into(),
        )]),
        Action::Carried => Step::stay(Mode::Carried(super::CarriedList::default())),
        Action::Rebalance => Step::stay(RebalanceOffer::propose(ctx.state, ctx.now)),
        Action::SaveAs => Step::stay(Mode::SaveAs(SaveAs::new(None))),
        Action::Help => Step::stay(Mode::Help),
        Action::Quit if ctx.state.is_ended() => Step::back(vec![Effect::Leave]),
        Action::Quit if ctx.role == crate::app::Role::Facilitator && ctx.state.nothing_recorded() => {
            Step::stay(Mode::NeverStarted)
        }
        Action::Quit => Step::stay(Mode::Quit),
        // Popup keys never reach the main screen.
        _ => Step::stay(Mode::Main),
    }
}

/// The hint line: the most used keys, in this order. When the line is too narrow, those
/// ranked highest in [`DROPPED_FIRST`] go first.
pub fn hints(ctx: &Ctx) -> Vec<Hint> {
    // What Space does now, in a word.
    let clock = if ctx.state.is_running() { "pause" } else { "start" };
    let list: &[(Action, &str)] = if ctx.role.is_trainee() {
        &[
            (Action::Note, "observe"),
            (Action::Curtain, "curtain"),
            (Action::Help, "help"),
            (Action::Quit, "leave"),
        ]
    } else {
        &[
            (Action::StartPause, clock),
            (Action::NextSegment, "next"),
            (Action::Extend, "+1m"),
            (Action::NextSpeaker, "speaker"),
            (Action::Pass, "pass"),
            (Action::Note, "note"),
            (Action::Attendance, "attend"),
            (Action::Curtain, "curtain"),
            (Action::Help, "help"),
            (Action::Quit, "end"),
        ]
    };
    list.iter()
        .filter_map(|(action, text)| {
            let mut hint = ctx.short_hint(*action, text)?;
            hint.rank = DROPPED_FIRST
                .iter()
                .position(|a| a == action)
                .map_or(0, |i| (DROPPED_FIRST.len() - i) as u8);
            Some(hint)
        })
        .collect()
}

/// The hints a narrow line leaves out, first to last: at 80 columns the arrows and `q` go,
/// and `+`, `x`, `a`, the curtain and `?` stay.
const DROPPED_FIRST: [Action; 4] = [
    Action::NextSegment,
    Action::Quit,
    Action::Note,
    Action::NextSpeaker,
];

/// What a message popup says when the main screen has nothing to offer.
pub fn message(title: &str, text: &str) -> Mode {
    Mode::Message(Message::new(title, text))
}
