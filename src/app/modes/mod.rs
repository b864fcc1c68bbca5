//! The console's modes: the main screen and each popup over it. Every popup is one variant
//! carrying its own state and one file with its keys, its hints and its drawing; its hints
//! are built from the same bindings its keys are read with, so a hint cannot lie.
//!
//! To add a popup: write `modes/<name>.rs` with a struct, its `on_key`, `hints` and `draw`;
//! add a variant here and one arm to each `match` below; give its keys a `Context` and
//! actions in `keymap.rs`.

mod attendance;
mod carried;
mod closing;
mod ground_rules;
mod help;
mod leave;
mod main_screen;
mod message;
mod never_started;
mod note;
mod notes_list;
mod pick_member;
mod pick_segment;
mod quit;
mod rebalance;
mod resume;
mod save_as;
mod wrapup;

use chrono::FixedOffset;
use crossterm::event::KeyEvent;
use ratatui::Frame;

pub use attendance::AttendanceList;
pub use carried::CarriedList;
pub use closing::ClosingAttendance;
pub use leave::ConfirmDiscard;
pub use message::Message;
pub use note::NoteEditor;
pub use notes_list::NotesList;
pub use pick_member::{PickFor, PickMember};
pub use rebalance::RebalanceOffer;
pub use resume::ResumeOffer;
pub use save_as::SaveAs;
pub use wrapup::WrapUpEditor;

use super::effect::Effect;
use super::role::Role;
use crate::keymap::{Action, Context, Keymap};
use crate::session::{MemberIx, Millis, State};
use crate::theme::Theme;
use crate::ui::popup::Hint;

/// What a component reads while it handles a key or draws.
pub struct Ctx<'a> {
    pub state: &'a State,
    pub keys: &'a Keymap,
    pub role: Role,
    pub now: Millis,
    pub offset: FixedOffset,
    /// A member chosen with the mouse: notes and "give the floor" go to them.
    pub selected: Option<MemberIx>,
    /// Whether names and notes are hidden now (the facilitator's curtain, or a trainee's own).
    pub curtain: bool,
    /// Where the main screen's panels are, while drawing (a popup may avoid some).
    pub areas: Option<crate::ui::Areas>,
}

impl Ctx<'_> {
    /// Hints for `list`, in order, leaving out actions this role may not take or that the
    /// config left without a key.
    pub fn hints(&self, list: &[(Action, &str)]) -> Vec<Hint> {
        list.iter()
            .filter_map(|(action, text)| self.hint(*action, text))
            .collect()
    }

    /// The hint for one action with all its keys (`n / Esc`), if this role may take it
    /// and it has a key.
    pub fn hint(&self, action: Action, text: &str) -> Option<Hint> {
        key_hint(self.keys, action, text).filter(|_| self.role.allows(action))
    }

    /// The hint for one action with only its first key, for the crowded hint line.
    pub fn short_hint(&self, action: Action, text: &str) -> Option<Hint> {
        let key = self.keys.first_key(action).filter(|_| self.role.allows(action))?;
        Some(Hint::new(key.to_string(), text))
    }
}

/// The hint for one action with all its keys (`n / Esc`), if the keymap gives it one.
pub fn key_hint(keys: &Keymap, action: Action, text: &str) -> Option<Hint> {
    let keys: Vec<String> = keys.keys_for(action).iter().map(ToString::to_string).collect();
    (!keys.is_empty()).then(|| Hint::new(keys.join(" / "), text))
}

/// The console's modes.
pub enum Mode {
    Main,
    Help,
    GroundRules,
    Quit,
    Note(NoteEditor),
    NotesList(NotesList),
    Carried(CarriedList),
    Attendance(AttendanceList),
    PickMember(PickMember),
    PickSegment,
    Rebalance(RebalanceOffer),
    Resume(ResumeOffer),
    SaveAs(SaveAs),
    Message(Message),
    Closing(ClosingAttendance),
    NeverStarted,
    Discard(ConfirmDiscard),
    WrapUp(Box<WrapUpEditor>),
}

/// What a key did: the mode that follows, and what the console must do.
pub struct Step {
    pub mode: Mode,
    pub effects: Vec<Effect>,
}

impl Step {
    pub fn stay(mode: Mode) -> Step {
        Step {
            mode,
            effects: Vec::new(),
        }
    }

    pub fn to(mode: Mode, effects: Vec<Effect>) -> Step {
        Step { mode, effects }
    }

    /// Back to the main screen, doing `effects`.
    pub fn back(effects: Vec<Effect>) -> Step {
        Step::to(Mode::Main, effects)
    }
}

impl Mode {
    /// Where this mode's keys are bound.
    pub fn context(&self) -> Context {
        match self {
            Mode::Main => Context::Main,
            Mode::Help | Mode::GroundRules | Mode::Message(_) => Context::Main,
            Mode::Quit => Context::Confirm,
            Mode::Note(_) => Context::Note,
            Mode::NotesList(list) => list.context(),
            Mode::Carried(_) => Context::Carried,
            Mode::Attendance(_) => Context::Attendance,
            Mode::PickMember(_) | Mode::PickSegment => Context::Pick,
            Mode::Rebalance(_) => Context::Rebalance,
            Mode::Resume(_) => Context::Resume,
            Mode::SaveAs(_) | Mode::Discard(_) => Context::Prompt,
            Mode::Closing(_) => Context::Attendance,
            Mode::NeverStarted => Context::Confirm,
            Mode::WrapUp(_) => Context::WrapUp,
        }
    }

    /// Whether keys are typed text here: a plain letter is never a global key then.
    pub fn typing(&self) -> bool {
        matches!(
            self,
            Mode::Note(_) | Mode::SaveAs(_) | Mode::Discard(_) | Mode::WrapUp(_)
        )
    }

    /// Handles a key: `action` is what the keymap makes of it in [`Mode::context`].
    pub fn on_key(self, action: Option<Action>, key: &KeyEvent, ctx: &Ctx) -> Step {
        match self {
            Mode::Main => main_screen::on_key(action, ctx),
            // Any key closes these.
            Mode::Help | Mode::GroundRules | Mode::Message(_) => Step::back(Vec::new()),
            Mode::Quit => quit::on_key(action, ctx),
            Mode::Note(editor) => editor.on_key(action, key, ctx),
            Mode::NotesList(list) => list.on_key(action, ctx),
            Mode::Carried(list) => list.on_key(action, ctx),
            Mode::Attendance(list) => list.on_key(action, key, ctx),
            Mode::PickMember(pick) => pick.on_key(action, key, ctx),
            Mode::PickSegment => pick_segment::on_key(action, key, ctx),
            Mode::Rebalance(offer) => offer.on_key(action),
            Mode::Resume(offer) => offer.on_key(action),
            Mode::SaveAs(prompt) => prompt.on_key(action, key),
            Mode::Closing(question) => question.on_key(action, key, ctx),
            Mode::NeverStarted => never_started::on_key(action),
            Mode::Discard(prompt) => prompt.on_key(action, key),
            Mode::WrapUp(editor) => editor.on_key(action, key),
        }
    }

    /// The keys this mode answers to now, for the hint line and its own footer.
    pub fn hints(&self, ctx: &Ctx) -> Vec<Hint> {
        match self {
            Mode::Main => main_screen::hints(ctx),
            Mode::Help => vec![Hint::new("any key", "closes the help")],
            Mode::GroundRules => vec![Hint::new("any key", "closes")],
            Mode::Message(_) => vec![Hint::new("any key", "closes")],
            Mode::Quit => quit::hints(ctx),
            Mode::Note(editor) => editor.hints(ctx),
            Mode::NotesList(list) => list.hints(ctx),
            Mode::Carried(list) => list.hints(ctx),
            Mode::Attendance(_) => attendance::hints(ctx),
            Mode::PickMember(_) | Mode::PickSegment => ctx.hints(&[(Action::PickCancel, "cancel")]),
            Mode::Rebalance(_) => rebalance::hints(ctx),
            Mode::Resume(offer) => offer.hints(ctx),
            Mode::SaveAs(_) => save_as::hints(ctx),
            Mode::Closing(question) => question.hints(ctx),
            Mode::NeverStarted => never_started::hints(ctx),
            Mode::Discard(prompt) => prompt.hints(ctx),
            Mode::WrapUp(editor) => editor.hints(ctx.keys),
        }
    }

    /// Draws the popup over the main screen (the main screen itself draws nothing here).
    pub fn draw(&self, frame: &mut Frame, ctx: &Ctx, theme: &Theme) {
        let hints = self.hints(ctx);
        match self {
            Mode::Main => {}
            Mode::Help => help::draw(frame, ctx, theme),
            Mode::GroundRules => ground_rules::draw(frame, ctx, &hints, theme),
            Mode::Message(message) => message.draw(frame, &hints, theme),
            Mode::Quit => quit::draw(frame, ctx, &hints, theme),
            Mode::Note(editor) => editor.draw(frame, ctx, &hints, theme),
            Mode::NotesList(list) => list.draw(frame, ctx, &hints, theme),
            Mode::Carried(list) => list.draw(frame, ctx, &hints, theme),
            Mode::Attendance(list) => list.draw(frame, ctx, &hints, theme),
            Mode::PickMember(pick) => pick.draw(frame, ctx, &hints, theme),
            Mode::PickSegment => pick_segment::draw(frame, ctx, &hints, theme),
            Mode::Rebalance(offer) => offer.draw(frame, ctx, &hints, theme),
            Mode::Resume(offer) => offer.draw(frame, &hints, theme),
            Mode::SaveAs(prompt) => prompt.draw(frame, &hints, theme),
            Mode::Closing(question) => question.draw(frame, ctx, &hints, theme),
            Mode::NeverStarted => never_started::draw(frame, &hints, theme),
            Mode::Discard(prompt) => prompt.draw(frame, &hints, theme),
            Mode::WrapUp(editor) => editor.draw(frame, &hints, theme),
        }
    }

    /// Whether this popup shows a name, a note or a draft: the curtain closes it. (The
    /// closing question stays, with stand-ins, and the wrap-up stays, veiled: they are
    /// the session's ending.)
    pub fn shows_private(&self) -> bool {
        matches!(
            self,
            Mode::Note(_) | Mode::NotesList(_) | Mode::Carried(_) | Mode::Attendance(_) | Mode::PickMember(_)
        )
    }

    /// Whether a plain key picks a member or a segment by its label here (`c` is the 12th
    /// member, not the curtain: the curtain is `Ctrl-o` in these popups).
    pub fn picks_by_label(&self) -> bool {
        matches!(
            self,
            Mode::Attendance(_) | Mode::PickMember(_) | Mode::PickSegment | Mode::Closing(_)
        )
    }

    /// What a popup leaves behind when the curtain closes it: a note's draft is kept.
    pub fn close_for_curtain(self) -> Vec<Effect> {
        match self {
            Mode::Note(editor) => editor.into_draft().map(Effect::KeepDraft).into_iter().collect(),
            Mode::WrapUp(editor) => vec![Effect::WrapUpDraft(Box::new(editor.wrapup()))],
            _ => Vec::new(),
        }
    }
}
