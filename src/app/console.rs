//! The live console: the session, who is at the keyboard, the mode on screen, and the
//! services behind them (journal, sharing, alerts). Keys go to the current mode, which
//! returns its next mode and effects; the console carries the effects out, and hands the
//! event loop only what the loop must do (exit, ring the bell, watch sharing).

use std::cell::Cell;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use chrono::FixedOffset;
use crossterm::event::{KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::Rect;
use tokio::sync::mpsc::UnboundedSender;

use super::alerts::Alerts;
use super::banner::{Banners, NEWS_MS, Slot};
use super::earlier::Earlier;
use super::effect::{Draft, Effect, Exit, LoopEffect};
use super::modes::{
    CarriedList, ClosingAttendance, ConfirmDiscard, Ctx, Message, Mode, NoteEditor, SaveAs, Step,
    WrapUpEditor,
};
use super::record::Record;
use super::role::Role;
use super::sharing::Sharing;
use crate::journal::{Unfinished, WriteReport};
use crate::keymap::{Action, Keymap};
use crate::notes::WrapUp;
use crate::observations::ObservationLog;
use crate::plan::{NoteTemplate, Plan, Roster};
use crate::session::{Command, Downtime, Event, MemberIx, Millis, Note, ShareLink, State, decide};
use crate::storage::DataDir;
use crate::theme::Theme;
use crate::ui::{Hit, SaveMark, Seat as SeatView, View};
use crate::vault::Vault;

/// What a new session starts from.
#[derive(Clone)]
pub struct Fresh {
    pub plan: Plan,
    pub roster: Roster,
    pub seed: u64,
}

/// What every console is built from.
pub struct Parts {
    pub fresh: Fresh,
    pub keys: Keymap,
    pub data: DataDir,
    /// Encryption at rest, plain unless the config turns it on.
    pub vault: Vault,
    pub alerts: Alerts,
    /// The local offset wall-clock times are shown in.
    pub offset: FixedOffset,
    /// The progress-note format of the wrap-up.
    pub note_template: NoteTemplate,
    /// What the last session of the series left for this one.
    pub earlier: Earlier,
}

/// Who is at the keyboard, with what only they have.
enum Seat {
    Facilitator(Facilitating),
    Trainee(Observing),
}

struct Facilitating {
    record: Record,
    share: Option<Sharing>,
    /// Where sharing listens when it is turned on with a key: where it last listened, else
    /// the default route's interface.
    share_bind: Option<SocketAddr>,
    /// The address and code sharing had when it was last turned off: turned on again, it
    /// uses them, so trainees still trying to follow reconnect by themselves.
    last_link: Option<ShareLink>,
}

struct Observing {
    /// Their name on their observation notes.
    name: String,
    /// Their own notes (the facilitator's never reach them).
    notes: Vec<Note>,
    /// Where the notes are saved, from the first one on.
    log: Option<ObservationLog>,
    /// Following a live session: the agenda moves with the facilitator.
    following: bool,
    /// Their own curtain: drawn and lifted by them alone, never by a facilitator update.
    curtain: bool,
    /// The facilitator's session id, once a live session has said it.
    session_id: Option<String>,
    /// Something has arrived from the facilitator: their session is what is on screen.
    received: bool,
}

pub struct Console {
    session: State,
    session_id: String,
    seat: Seat,
    mode: Mode,
    keys: Keymap,
    data: DataDir,
    alerts: Alerts,
    banners: Banners,
    /// A note left with Esc (or hidden by the curtain) comes back on the next `n`.
    draft: Option<Draft>,
    selected: Option<MemberIx>,
    /// How many of the newest notes are scrolled past.
    notes_scroll: usize,
    /// The page of the segment's prompts and materials shown, and the segment it is of.
    info_page: (usize, usize),
    /// The summary written at the end (RON, Markdown): leaving after it is always safe.
    saved: Option<(PathBuf, PathBuf)>,
    /// A wrap-up put aside under the curtain, to reopen.
    wrapup: Option<Box<WrapUp>>,
    /// The progress-note format of the wrap-up.
    note_template: NoteTemplate,
    /// When the wrap-up's draft was last kept.
    last_draft: Millis,
    /// What the last session of the series left: shown when this one starts.
    earlier: Earlier,
    fresh: Fresh,
    offset: FixedOffset,
    vault: Vault,
    /// The terminal was too small for the console when last drawn.
    screen_too_small: Cell<bool>,
    /// The curtain as drawn or lifted after the session's end (the record's last word on
    /// it stands); `None` until then.
    curtain_after_end: Option<bool>,
    /// The note draft as last kept on disk, and when.
    note_draft_kept: (Option<Draft>, Millis),
}

impl Console {
    /// The facilitator's console, before its session starts or resumes.
    pub fn facilitator(parts: Parts, reports: UnboundedSender<WriteReport>, now: Millis) -> Console {
        let seat = Seat::Facilitator(Facilitating {
            record: Record::new(reports, parts.vault.clone(), now),
            share: None,
            share_bind: None,
            last_link: None,
        });
        Console::with_seat(parts, seat, now)
    }

    /// A trainee's console: stepping along alone, or following a live session.
    pub fn trainee(parts: Parts, name: String, following: bool, now: Millis) -> Console {
        let seat = Seat::Trainee(Observing {
            name,
            notes: Vec::new(),
            log: None,
            following,
            curtain: false,
            session_id: None,
            received: false,
        });
        Console::with_seat(parts, seat, now)
    }

    fn with_seat(parts: Parts, seat: Seat, now: Millis) -> Console {
        let Parts {
            fresh,
            keys,
            data,
            vault,
            alerts,
            offset,
            note_template,
            earlier,
        } = parts;
        Console {
            session: State::new(fresh.plan.clone(), fresh.roster.clone(), fresh.seed, now),
            session_id: crate::journal::new_session_id(now, fresh.seed),
            seat,
            mode: Mode::Main,
            keys,
            data,
            alerts,
            banners: Banners::default(),
            draft: None,
            selected: None,
            notes_scroll: 0,
            info_page: (0, 0),
            saved: None,
            wrapup: None,
            note_template,
            last_draft: now,
            earlier,
            fresh,
            offset,
            vault,
            screen_too_small: Cell::new(false),
            curtain_after_end: None,
            note_draft_kept: (None, now),
        }
    }

    pub fn role(&self) -> Role {
        match &self.seat {
            Seat::Facilitator(_) => Role::Facilitator,
            Seat::Trainee(Observing { following: true, .. }) => Role::Following,
            Seat::Trainee(_) => Role::Offline,
        }
    }

    pub fn session(&self) -> &State {
        &self.session
    }

    pub fn session_id(&self) -> &str {
        &self.session_id
    }

    /// Every event of this session so far (a trainee's console records none).
    pub fn history(&self) -> &[Event] {
        match &self.seat {
            Seat::Facilitator(f) => f.record.history(),
            Seat::Trainee(_) => &[],
        }
    }

    /// A message on the banner line for a while (a resume, a reload, a warning).
    pub fn announce(&mut self, slot: Slot, text: impl Into<String>, now: Millis) {
        self.banners.set_until(slot, text, now + NEWS_MS);
    }

    /// A message on the banner line until it is replaced.
    pub fn show(&mut self, slot: Slot, text: impl Into<String>) {
        self.banners.set(slot, text);
    }

    pub fn clear(&mut self, slot: Slot) {
        self.banners.clear(slot);
    }

    // ---- starting ----

    /// Offers to resume `unfinished`, or starts a new session when there is none.
    pub fn begin(&mut self, unfinished: Option<Unfinished>, now: Millis) {
        match unfinished {
            Some(found) => self.mode = Mode::Resume(super::modes::ResumeOffer::new(found, now)),
            None => self.start_new(now),
        }
    }

    /// A new session: a fresh state and journal, its start the first event.
    pub fn start_new(&mut self, now: Millis) {
        let Fresh { plan, roster, seed } = self.fresh.clone();
        self.session = State::new(plan.clone(), roster.clone(), seed, now);
        self.alerts.restart_from(now);
        if let Seat::Facilitator(f) = &mut self.seat {
            f.record.create(&self.data.journals(), &self.session_id, now);
        }
        self.record(
            vec![Event::Started {
                at: now,
                plan,
                roster,
                seed,
            }],
            now,
        );
        self.journal_sharing(now);
        self.show_carried(now);
    }

    /// What the last session of the series left, found after the console started: shown
    /// now if this session has begun without it (a new one, or one resumed from before).
    pub fn found_earlier(&mut self, earlier: Earlier, now: Millis) {
        self.earlier = earlier;
        let begun = matches!(&self.seat, Seat::Facilitator(f) if !f.record.history().is_empty());
        if begun && self.session.carried_from.is_none() && !self.session.is_ended() {
            self.show_carried(now);
        }
    }

    /// What the last session of the series left open, recorded and shown: as a list when
    /// nothing else is open, else as a line saying where to find it.
    fn show_carried(&mut self, now: Millis) {
        if let Some(carried) = self.earlier.carried.take().filter(|c| !c.items.is_empty()) {
            let (count, from) = (carried.items.len(), carried.from_session);
            self.record(
                vec![Event::CarriedShown {
                    at: now,
                    from_session: carried.from_session,
                    items: carried.items,
                }],
                now,
            );
            if matches!(self.mode, Mode::Main) && !self.curtain_drawn() {
                self.mode = Mode::Carried(CarriedList::default());
            } else {
                let key = self.keys.label(Action::Carried);
                self.announce(
                    Slot::News,
                    format!("{count} item(s) still open from session {from}: {key} shows them"),
                    now,
                );
            }
        }
        if self.earlier.unreadable > 0 {
            self.announce(
                Slot::News,
                format!(
                    "{} earlier summaries of this series could not be read (another key, or damaged): \
                     what they left open is not shown",
                    self.earlier.unreadable
                ),
                now,
            );
        }
    }

    /// Picks up an unfinished session: its journal folded back into the state, and the
    /// time it was down recorded as the facilitator chose. A session that had already
    /// ended only needs its summary.
    pub fn resume(
        &mut self,
        found: &Unfinished,
        downtime: Downtime,
        now: Millis,
    ) -> Result<Vec<LoopEffect>, String> {
        let Seat::Facilitator(f) = &mut self.seat else {
            return Err("only the facilitator resumes a session".into());
        };
        let reopened = f.record.reopen(found, now)?;
        self.session = reopened.state;
        self.session_id = reopened.session_id;
        // Sharing may have started before the facilitator chose to resume: trainees get the
        // recovered history first, then everything after it.
        if let Some(sharing) = &f.share {
            sharing.set_session(&self.session_id);
            sharing.publish(f.record.history());
        }
        self.alerts.restart_from(now);
        if !self.session.is_ended() {
            // The clock mark is newer than the last event when the crash came mid-heartbeat;
            // it can never be later than now.
            let alive = super::record::last_alive(&found.path).filter(|at| *at <= now);
            let down_since = self.session.last_seen.max(alive.unwrap_or(i64::MIN));
            self.record(
                vec![Event::Resumed {
                    at: now,
                    down_since,
                    counted: downtime,
                }],
                now,
            );
            let counted = match downtime {
                Downtime::Paused => "as paused",
                Downtime::Elapsed => "as elapsed",
            };
            self.announce(
                Slot::News,
                format!(
                    "Resumed: the session was down for {}, counted {counted}.",
                    crate::ui::format::clock(now - down_since)
                ),
                now,
            );
        }
        if !reopened.problems.is_empty() {
            self.show(
                Slot::News,
                format!(
                    "Resumed; the journal had damage: {}",
                    reopened.problems.join("; ")
                ),
            );
        }
        if self.session.is_ended() {
            return Ok(self.finish(now));
        }
        // The note being written when it went down comes back as the draft.
        if let Some(draft) = super::note_draft::read(&self.vault, &self.data, &self.session_id) {
            let key = self.keys.label(Action::Note);
            self.announce(
                Slot::News,
                format!("The note you were writing is kept as a draft: {key} brings it back."),
                now,
            );
            self.note_draft_kept = (Some(draft.clone()), now);
            self.draft = Some(draft);
        }
        self.share_as_before(now);
        self.journal_sharing(now);
        Ok(vec![LoopEffect::SharingChanged])
    }

    // ---- keys and the mouse ----

    /// A key press: the curtain key works everywhere; every other key goes to the mode,
    /// unless nothing it did could be seen (the terminal is too small, the wrap-up is
    /// veiled by the curtain, a trainee is still waiting for the facilitator's session).
    pub fn on_key(&mut self, key: KeyEvent, now: Millis) -> Vec<LoopEffect> {
        let typing = self.mode.typing() || self.mode.picks_by_label();
        let action = self.keys.action(self.mode.context(), &key, typing);
        if action == Some(Action::Curtain) && !matches!(self.mode, Mode::Resume(_)) {
            return self.toggle_curtain(now);
        }
        if self.screen_too_small.get() || self.wrapup_veiled() {
            return Vec::new();
        }
        if self.waiting_for_facilitator() {
            return match action {
                Some(Action::Quit) => self.leave().map(LoopEffect::Exit).into_iter().collect(),
                _ => Vec::new(),
            };
        }
        let mode = std::mem::replace(&mut self.mode, Mode::Main);
        let Step { mode, effects } = mode.on_key(action, &key, &self.ctx(now));
        self.mode = mode;
        let out = self.apply(effects, now);
        self.keep_typing_safe(now);
        out
    }

    /// The wrap-up is open while the curtain is drawn: it is hidden and waits.
    fn wrapup_veiled(&self) -> bool {
        matches!(self.mode, Mode::WrapUp(_)) && self.curtain_drawn()
    }

    /// A trainee following a session none of which has arrived yet: the plan loaded here
    /// is not the facilitator's, so it is not shown.
    fn waiting_for_facilitator(&self) -> bool {
        matches!(&self.seat, Seat::Trainee(o) if o.following && !o.received)
    }

    /// Files the note kept as a draft (a correction, if it was one) as it stands, before
    /// the session stops or ends: `l` corrects it afterwards; nothing typed is lost.
    fn file_pending_note(&mut self, now: Millis) {
        if let Some(draft) = self.draft.take()
            && !self.session.is_ended()
        {
            let command = draft.into_command();
            self.command(command, now);
        }
        if self.note_draft_kept.0.take().is_some() {
            super::note_draft::remove(&self.data, &self.session_id);
        }
    }

    /// The note being written (in the editor, or kept with Esc): the facilitator's only.
    fn note_draft(&self) -> Option<Draft> {
        match (&self.seat, &self.mode) {
            (Seat::Trainee(_), _) => None,
            (_, Mode::Note(editor)) => editor.draft(),
            _ => self.draft.clone(),
        }
    }

    /// Keeps the note draft on disk once a second at most (at once when it is gone).
    fn keep_note_draft_safe(&mut self, now: Millis) {
        let draft = self.note_draft();
        let (kept, at) = &self.note_draft_kept;
        if draft == *kept || (draft.is_some() && now - at < 1000) {
            return;
        }
        match &draft {
            Some(draft) => {
                if let Err(error) = super::note_draft::write(&self.vault, &self.data, &self.session_id, draft)
                {
                    self.announce(
                        Slot::News,
                        format!("The note's draft could not be kept: {error}"),
                        now,
                    );
                }
            }
            None => super::note_draft::remove(&self.data, &self.session_id),
        }
        self.note_draft_kept = (draft, now);
    }

    /// While a wrap-up is typed, a draft is kept once a second at most.
    fn keep_typing_safe(&mut self, now: Millis) {
        self.keep_note_draft_safe(now);
        if now - self.last_draft < 1000 {
            return;
        }
        if let Mode::WrapUp(editor) = &mut self.mode
            && editor.take_changed()
        {
            let wrapup = editor.wrapup();
            self.keep_wrapup_draft(&wrapup, now);
        }
    }

    /// Draws or lifts the curtain. Drawing it closes any popup that shows a name or a note
    /// (a draft is kept), so nothing private stays on screen.
    fn toggle_curtain(&mut self, now: Millis) -> Vec<LoopEffect> {
        let drawing = !self.curtain_drawn();
        let mut effects = Vec::new();
        match &mut self.seat {
            // A trainee's curtain is their own: the facilitator's state never moves it.
            Seat::Trainee(observing) => observing.curtain = !observing.curtain,
            // The record takes nothing after the end, but the room still sees the screen
            // during the closing question and the wrap-up: the curtain is the screen's.
            // Trainees still see it: the curtain goes to them as it always does.
            Seat::Facilitator(f) if self.session.is_ended() => {
                self.curtain_after_end = Some(drawing);
                if let Some(sharing) = &f.share {
                    sharing.publish(&[Event::CurtainSet { at: now, on: drawing }]);
                }
            }
            Seat::Facilitator(_) => effects.push(Effect::Command(Command::ToggleCurtain)),
        }
        // A notice about the curtain ("lift it to see…") is stale once it moves.
        self.clear(Slot::News);
        let mut out = self.apply(effects, now);
        if drawing {
            out.extend(self.close_private_popup(now));
        }
        out
    }

    /// Closes a popup that shows a name, a note or a draft (a note being typed is kept as
    /// a draft): the curtain has just been drawn.
    fn close_private_popup(&mut self, now: Millis) -> Vec<LoopEffect> {
        if !self.mode.shows_private() {
            return Vec::new();
        }
        let popup = std::mem::replace(&mut self.mode, Mode::Main);
        self.apply(popup.close_for_curtain(), now)
    }

    /// A click on an agenda row jumps there; on a member selects them (again: deselects);
    /// the wheel over the notes scrolls them. Only on the main screen.
    pub fn on_mouse(&mut self, mouse: MouseEvent, screen: Rect, now: Millis) -> Vec<LoopEffect> {
        if !matches!(self.mode, Mode::Main) {
            return Vec::new();
        }
        let banner = self.banner_line(now).is_some();
        let Some(areas) = crate::ui::layout(screen, &self.session, banner) else {
            return Vec::new();
        };
        let effect = match (
            mouse.kind,
            crate::ui::hit(&areas, &self.session, mouse.column, mouse.row),
        ) {
            (MouseEventKind::Down(MouseButton::Left), Some(Hit::Segment(index)))
                if self.role().allows(Action::JumpToSegment) =>
            {
                Effect::Command(Command::JumpTo(index))
            }
            (MouseEventKind::Down(MouseButton::Left), Some(Hit::Member(member))) => {
                Effect::Select((self.selected != Some(member)).then_some(member))
            }
            (MouseEventKind::ScrollUp, Some(Hit::Notes)) => {
                let count = self.shown_notes().len();
                self.notes_scroll = (self.notes_scroll + 1).min(count.saturating_sub(1));
                return Vec::new();
            }
            (MouseEventKind::ScrollDown, Some(Hit::Notes)) => {
                self.notes_scroll = self.notes_scroll.saturating_sub(1);
                return Vec::new();
            }
            _ => return Vec::new(),
        };
        self.apply(vec![effect], now)
    }

    fn ctx(&self, now: Millis) -> Ctx<'_> {
        Ctx {
            state: &self.session,
            keys: &self.keys,
            role: self.role(),
            now,
            offset: self.offset,
            selected: self.selected,
            curtain: self.curtain_drawn(),
            areas: None,
        }
    }

    /// Whether names and notes are hidden: the facilitator's curtain, or a trainee's own.
    fn curtain_drawn(&self) -> bool {
        if let Some(drawn) = self.curtain_after_end {
            return drawn;
        }
        self.session.curtain || matches!(&self.seat, Seat::Trainee(o) if o.curtain)
    }

    // ---- carrying out effects ----

    fn apply(&mut self, effects: Vec<Effect>, now: Millis) -> Vec<LoopEffect> {
        let mut out = Vec::new();
        for effect in effects {
            out.extend(self.apply_one(effect, now));
        }
        out
    }

    fn apply_one(&mut self, effect: Effect, now: Millis) -> Vec<LoopEffect> {
        match effect {
            Effect::Command(command) => self.command(command, now),
            Effect::OpenNote(about) => {
                self.mode = Mode::Note(match self.draft.take() {
                    // A kept draft comes back as it was, about whom it was about.
                    Some(draft) => NoteEditor::from_draft(draft),
                    None => NoteEditor::new(about),
                });
            }
            Effect::KeepDraft(draft) => self.draft = Some(draft),
            Effect::Undo => self.undo(now),
            Effect::Notice(text) => self.announce(Slot::News, text, now),
            Effect::MoreInfo => {
                let page = if self.info_page.0 == self.session.current {
                    self.info_page.1 + 1
                } else {
                    1
                };
                self.info_page = (self.session.current, page);
            }
            Effect::Select(member) => self.selected = member,
            Effect::ToggleSharing => return self.toggle_sharing(now),
            Effect::SaveSummaryTo(dir) => {
                let journal = self.journal_on_disk();
                return self.write_summary(&dir, journal);
            }
            Effect::EndSession => {
                // A note kept with Esc goes into the record before the end closes it.
                self.file_pending_note(now);
                self.command(Command::End, now);
                // The end is journaled first: the question below never puts it at risk.
                match ClosingAttendance::ask(&self.session) {
                    Some(question) => self.mode = Mode::Closing(question),
                    None => return self.finish(now),
                }
            }
            Effect::FinishSession => return self.finish(now),
            Effect::Abandon => {
                self.command(Command::End, now);
                if let Seat::Facilitator(f) = &mut self.seat
                    && let Ok(Some(path)) = f.record.close()
                {
                    f.record.archive(&path, &self.data.archive());
                }
                return vec![LoopEffect::Exit(Exit::NeverStarted)];
            }
            Effect::Discard => return vec![LoopEffect::Exit(Exit::Discarded)],
            Effect::WrapUpDraft(wrapup) => {
                self.keep_wrapup_draft(&wrapup, now);
                self.wrapup = Some(wrapup);
            }
            Effect::ReopenWrapUp => match (self.wrapup.take(), &self.saved) {
                (Some(wrapup), Some((ron, _))) => {
                    self.mode = Mode::WrapUp(Box::new(WrapUpEditor::new(
                        *wrapup,
                        ron.clone(),
                        self.earlier.plans.clone(),
                    )));
                }
                (wrapup, _) => {
                    self.wrapup = wrapup;
                    self.announce(Slot::News, "The wrap-up comes once the session has ended.", now);
                }
            },
            Effect::WrapUpLater(wrapup) => {
                self.keep_wrapup_draft(&wrapup, now);
                return self.leave().map(LoopEffect::Exit).into_iter().collect();
            }
            Effect::WrapUpSave(wrapup, summary, submit) => {
                return self.save_wrapup(*wrapup, summary, submit, now);
            }
            Effect::Postpone => return vec![LoopEffect::Exit(Exit::Postponed)],
            Effect::Leave => match self.leave() {
                Some(exit) => return vec![LoopEffect::Exit(exit)],
                None => self.mode = Mode::Discard(ConfirmDiscard::new()),
            },
            Effect::Resume(found, downtime) => {
                return self
                    .resume(&found, downtime, now)
                    .unwrap_or_else(|error| vec![LoopEffect::Exit(Exit::Failed(error))]);
            }
            Effect::StartNew => self.start_new(now),
        }
        Vec::new()
    }

    /// Runs a command through the core; a trainee's note goes to their observations.
    pub fn command(&mut self, command: Command, now: Millis) {
        if let Seat::Trainee(observing) = &mut self.seat {
            // A trainee's notes are their own: kept even after the facilitator has ended
            // the session, never part of its record.
            if let Command::AddNote { about, tags, text } = command {
                if let Some(note) = Note::typed(now, about, tags, &text)
                    && let Some(error) =
                        observing.add(note, &self.session, &self.data, now, self.offset, &self.vault)
                {
                    self.banners.set(Slot::News, error);
                }
                return;
            }
        }
        let marking = matches!(command, Command::MarkAttendance(..));
        let shortening = matches!(command, Command::Adjust(delta) if delta < 0);
        let events = decide(&self.session, command, now);
        if shortening && events.is_empty() {
            self.announce(
                Slot::News,
                "Not shortened: the segment is as short as it can be (its minimum, or the time it has run).",
                now,
            );
        }
        // Someone never marked who speaks is marked present by the core: said aloud, so
        // the facilitator can correct it (a late arrival, say).
        let arrived: Vec<MemberIx> = events
            .iter()
            .filter_map(|e| match e {
                Event::AttendanceMarked { member, .. } if !marking => Some(*member),
                _ => None,
            })
            .collect();
        self.record(events, now);
        for member in arrived {
            let name = crate::ui::format::name(&self.session, member);
            let fix = self.keys.label(Action::Attendance);
            self.announce(
                Slot::News,
                format!("{name} marked present (they took part); {fix} corrects it."),
                now,
            );
        }
    }

    /// Takes back the last action and says what was taken back.
    fn undo(&mut self, now: Millis) {
        let Some(action) = self.session.undo.as_ref().map(|point| point.action) else {
            self.announce(
                Slot::News,
                "Nothing to undo: the last action cannot be taken back.",
                now,
            );
            return;
        };
        let state = &self.session;
        let what = action.describe(
            |m| crate::ui::format::name(state, m),
            |s| {
                state
                    .plan
                    .agenda
                    .get(s)
                    .map_or_else(|| format!("segment {}", s + 1), |x| x.title.clone())
            },
        );
        self.command(Command::Undo, now);
        self.announce(Slot::News, format!("Undone: {what}."), now);
    }

    /// Folds events into the state; the facilitator's are journaled and shared too.
    pub fn record(&mut self, events: Vec<Event>, now: Millis) {
        if events.is_empty() {
            return;
        }
        for event in &events {
            self.session.apply(event);
        }
        if let Seat::Facilitator(f) = &mut self.seat {
            if let Some(sharing) = &f.share {
                sharing.publish(&events);
            }
            f.record.append(&events);
        }
        self.alerts.restart_from(now);
    }

    /// Turns sharing with trainees on (the code it had when turned off, else a fresh join
    /// code; the whole history goes to each trainee who joins) or off.
    fn toggle_sharing(&mut self, now: Millis) -> Vec<LoopEffect> {
        let Seat::Facilitator(f) = &mut self.seat else {
            return Vec::new();
        };
        match f.share.take() {
            Some(stopped) => f.last_link = Some(stopped.link().clone()),
            None => {
                let bind = f
                    .share_bind
                    .unwrap_or_else(|| crate::share::choose_share_address(crate::share::DEFAULT_PORT).bind);
                let started = match f.last_link.take().filter(|link| link.bind == bind) {
                    Some(link) => Sharing::resume(&link, &self.session_id, f.record.history()),
                    None => Sharing::start(bind, &self.session_id, f.record.history()),
                };
                match started {
                    Ok(sharing) => {
                        f.share_bind = Some(bind);
                        f.share = Some(sharing);
                    }
                    Err(error) => self.announce(Slot::News, error, now),
                }
            }
        }
        self.journal_sharing(now);
        vec![LoopEffect::SharingChanged]
    }

    /// Starts sharing at `bind` (`run --share`); sharing turned on later by key uses it too.
    pub fn start_sharing(&mut self, bind: SocketAddr, now: Millis) -> Result<(), String> {
        let Seat::Facilitator(f) = &mut self.seat else {
            return Err("only the facilitator shares a session".into());
        };
        f.share_bind = Some(bind);
        // A resumed session that was shared keeps its join code, so trainees who were
        // following reconnect by themselves.
        let sharing = match &self.session.sharing {
            Some(_) if f.share.as_ref().is_some_and(|s| s.link().bind == bind) => return Ok(()),
            Some(link) => {
                f.share = None;
                let link = ShareLink {
                    code: link.code.clone(),
                    bind,
                };
                Sharing::resume(&link, &self.session_id, f.record.history())?
            }
            None => Sharing::start(bind, &self.session_id, f.record.history())?,
        };
        f.share = Some(sharing);
        self.journal_sharing(now);
        Ok(())
    }

    /// Shares again as the journal of a resumed session says it did, with the same code,
    /// so trainees reconnect by themselves.
    fn share_as_before(&mut self, now: Millis) {
        let Seat::Facilitator(f) = &mut self.seat else {
            return;
        };
        let Some(link) = self.session.sharing.clone() else {
            return;
        };
        if f.share.as_ref().is_some_and(|s| *s.link() == link) {
            return;
        }
        f.share = None;
        match Sharing::resume(&link, &self.session_id, f.record.history()) {
            Ok(sharing) => {
                f.share_bind = Some(link.bind);
                f.share = Some(sharing);
            }
            Err(error) => self.announce(Slot::News, format!("Sharing did not resume: {error}"), now),
        }
    }

    /// Records sharing's address and code (or that it is off) when they changed, so a
    /// resume shares again the same way. Only once the session has started.
    fn journal_sharing(&mut self, now: Millis) {
        let Seat::Facilitator(f) = &self.seat else { return };
        if f.record.history().is_empty() {
            return;
        }
        let link = f.share.as_ref().map(|s| s.link().clone());
        if link != self.session.sharing {
            self.record(vec![Event::Shared { at: now, link }], now);
        }
    }

    /// Sharing's status changed (a trainee joined or left, a wrong code was refused): a
    /// join code retired after too many wrong ones is journaled, so a resume shares with
    /// the code trainees were last given.
    pub fn sharing_changed(&mut self, now: Millis) {
        let Seat::Facilitator(Facilitating {
            share: Some(sharing), ..
        }) = &mut self.seat
        else {
            return;
        };
        if sharing.follow_code().is_some() {
            self.journal_sharing(now);
        }
    }

    /// What wakes the loop when sharing's status changes, while sharing is on.
    pub fn sharing_status(&self) -> Option<tokio::sync::watch::Receiver<crate::share::ShareStatus>> {
        match &self.seat {
            Seat::Facilitator(Facilitating { share: Some(s), .. }) => Some(s.watch()),
            _ => None,
        }
    }

    fn journal_on_disk(&self) -> Option<PathBuf> {
        match &self.seat {
            Seat::Facilitator(f) => f.record.on_disk(),
            Seat::Trainee(_) => None,
        }
    }

    /// After the end: flush the journal, write the summary, archive the journal.
    fn finish(&mut self, now: Millis) -> Vec<LoopEffect> {
        let journal = match &mut self.seat {
            Seat::Facilitator(f) => f.record.close(),
            Seat::Trainee(_) => Ok(None),
        };
        let journal = match journal {
            Ok(path) => path,
            Err(error) => {
                self.announce(Slot::News, format!("NOT SAVED TO DISK: {error}"), now);
                None
            }
        };
        let summaries = self.data.summaries();
        let out = self.write_summary(&summaries, journal);
        if let Mode::SaveAs(_) = self.mode {
            // The data dir refused the summary: ask for another folder, with nothing typed.
            let error = format!("could not save the summary in {}", summaries.display());
            self.mode = Mode::SaveAs(SaveAs::new(Some(error)));
        }
        out
    }

    /// Writes the summary into `dir`. At the end it archives the journal and exits; during
    /// the session it says where it went. A failure asks for another folder.
    fn write_summary(&mut self, dir: &Path, journal: Option<PathBuf>) -> Vec<LoopEffect> {
        let summary = crate::summary::derive(&self.session, &self.session_id, self.offset);
        match crate::summary::write_summary_with(dir, &summary, &self.vault) {
            Ok((ron, markdown)) if self.session.is_ended() => {
                if let (Some(path), Seat::Facilitator(f)) = (journal, &mut self.seat) {
                    f.record.archive(&path, &self.data.archive());
                }
                // The summary is safe; now what the clinician files (its draft, if a crash
                // came while it was being written).
                let wrapup = crate::notes::read_draft(&self.vault, &self.data, &self.session_id)
                    .and_then(Result::ok)
                    .filter(|draft| draft.session_id == summary.session_id)
                    .unwrap_or_else(|| WrapUp::from_summary(&summary, self.note_template));
                self.mode = Mode::WrapUp(Box::new(WrapUpEditor::new(
                    wrapup,
                    ron.clone(),
                    self.earlier.plans.clone(),
                )));
                self.saved = Some((ron, markdown));
                Vec::new()
            }
            Ok((_, markdown)) => {
                self.mode = Mode::Message(Message::new(
                    "Saved",
                    &format!("Summary so far saved to {}", markdown.display()),
                ));
                Vec::new()
            }
            Err(error) => {
                let error = format!("could not save the summary in {}: {error}", dir.display());
                self.mode = Mode::SaveAs(SaveAs::failed(dir, error));
                Vec::new()
            }
        }
    }

    /// Keeps the wrap-up being written as a draft (a crash then loses nothing of it).
    fn keep_wrapup_draft(&mut self, wrapup: &WrapUp, now: Millis) {
        self.last_draft = now;
        if let Err(error) = crate::notes::write_draft(&self.vault, &self.data, &wrapup.clone().tidied()) {
            self.announce(
                Slot::News,
                format!("The wrap-up's draft could not be kept: {error}"),
                now,
            );
        }
    }

    /// Saves the finished wrap-up beside its summary (and submits the session for
    /// supervision when asked) and leaves; a failure says why and goes back to the editor
    /// with nothing lost.
    fn save_wrapup(
        &mut self,
        wrapup: WrapUp,
        summary: PathBuf,
        submit: bool,
        now: Millis,
    ) -> Vec<LoopEffect> {
        let submitter = submit.then(|| {
            let facilitators: Vec<(String, bool)> = self
                .session
                .roster
                .facilitators
                .iter()
                .map(|p| (p.name.clone(), p.role == crate::plan::Role::Lead))
                .collect();
            super::filing::submitter(&facilitators)
        });
        match super::filing::file_wrapup(&self.vault, &self.data, &summary, wrapup, submitter.as_deref()) {
            Ok(filed) => match &self.saved {
                Some((ron, markdown)) => vec![LoopEffect::Exit(Exit::Saved {
                    ron: ron.clone(),
                    markdown: markdown.clone(),
                    wrapup: Some(filed.wrapup),
                    submitted: filed.submitted,
                })],
                None => Vec::new(),
            },
            Err((error, wrapup)) => {
                self.announce(Slot::News, error, now);
                self.mode = Mode::WrapUp(Box::new(WrapUpEditor::new(
                    *wrapup,
                    summary,
                    self.earlier.plans.clone(),
                )));
                Vec::new()
            }
        }
    }

    /// Leaving: a trainee's notes are already saved; a facilitator's session stays in its
    /// journal for `holdspace run` to pick up. `None` when the journal is not whole: only
    /// an explicit discard may leave then.
    fn leave(&self) -> Option<Exit> {
        if let Some((ron, markdown)) = &self.saved {
            return Some(Exit::Saved {
                ron: ron.clone(),
                markdown: markdown.clone(),
                wrapup: None,
                submitted: None,
            });
        }
        match &self.seat {
            Seat::Trainee(observing) => Some(Exit::Observed(
                observing
                    .log
                    .as_ref()
                    .filter(|_| !observing.notes.is_empty())
                    .map(|log| log.path().clone()),
            )),
            Seat::Facilitator(f) => f.record.is_whole().then_some(Exit::InJournal {
                ended: self.session.is_ended(),
            }),
        }
    }

    /// A signal: everything is already in the journal but a note being typed (or kept as
    /// a draft), which is filed now as it stands (`l` corrects it after the resume); flush
    /// the journal and leave the session resumable. The journal's path if there is one on
    /// disk, and whether it holds all.
    pub fn stop(&mut self, now: Millis) -> (Option<PathBuf>, bool) {
        if let Mode::Note(editor) = std::mem::replace(&mut self.mode, Mode::Main) {
            self.draft = editor.into_draft().or(self.draft.take());
        }
        self.file_pending_note(now);
        match &mut self.seat {
            Seat::Facilitator(f) => {
                let _ = f.record.close();
                (f.record.on_disk(), f.record.is_whole())
            }
            Seat::Trainee(_) => (None, true),
        }
    }

    /// Where the journal is, if the session has one on disk.
    pub fn journal(&self) -> Option<PathBuf> {
        self.journal_on_disk()
    }

    // ---- time, the disk, the link ----

    /// Time passes: give due warnings and keep the heartbeat.
    pub fn tick(&mut self, now: Millis) -> Vec<LoopEffect> {
        let bell = self.alerts.check(&self.session, now);
        let heartbeat = match &mut self.seat {
            Seat::Facilitator(f) => {
                if self.session.is_running() {
                    f.record.mark_alive(now);
                }
                f.record.heartbeat(&self.session, now)
            }
            Seat::Trainee(_) => None,
        };
        if let Some(event) = heartbeat {
            self.record(vec![event], now);
        }
        // The last burst of typing in the wrap-up is kept a second later, keys or not.
        self.keep_typing_safe(now);
        if bell { vec![LoopEffect::Bell] } else { Vec::new() }
    }

    /// What the journal writer reports.
    pub fn on_report(&mut self, report: WriteReport) {
        if let Seat::Facilitator(f) = &mut self.seat {
            f.record.on_report(report);
        }
    }

    /// The next moment something on screen changes by itself, if any: the next whole second
    /// of a running clock or turn, the end of a flash or a message, the next minute of the
    /// wall clock.
    pub fn next_change(&self, now: Millis) -> Option<Millis> {
        let next_second = |since: Millis| since + ((now - since).div_euclid(1000) + 1) * 1000;
        let mut candidates = Vec::new();
        if let Some(since) = self.session.running_since {
            candidates.push(next_second(since));
        }
        if let Some(turn) = self.session.current_turn() {
            candidates.push(next_second(turn.start));
        }
        candidates.extend(self.alerts.next_change(now));
        candidates.extend(self.banners.next_expiry(now));
        if matches!(&self.mode, Mode::WrapUp(editor) if editor.has_changed()) {
            candidates.push(self.last_draft + 1000);
        }
        if self.note_draft() != self.note_draft_kept.0 {
            candidates.push(self.note_draft_kept.1 + 1000);
        }
        if !self.session.is_ended() {
            // The wall clock and the projected end move once a minute even when paused.
            candidates.push(next_second(0).div_euclid(60_000) * 60_000 + 60_000);
        }
        candidates.into_iter().filter(|t| *t > now).min()
    }

    /// A trainee following a live session: the facilitator's state as it arrives (names
    /// blanked while their curtain is drawn; never their notes).
    pub fn follow(&mut self, followed: &crate::share::FollowState, now: Millis) -> Vec<LoopEffect> {
        let Seat::Trainee(observing) = &mut self.seat else {
            return Vec::new();
        };
        observing.session_id.clone_from(&followed.session);
        // Refused (or given up) before anything arrived: there is nothing to follow, and
        // the plan on screen would be this machine's, not the facilitator's.
        if followed.finished && !observing.received && followed.state.is_none() {
            let why = followed
                .error
                .as_ref()
                .map_or_else(|| "the facilitator hung up".to_owned(), ToString::to_string);
            return vec![LoopEffect::Exit(Exit::Failed(format!(
                "cannot follow the session: {why}"
            )))];
        }
        let mut out = Vec::new();
        if let Some(state) = &followed.state {
            observing.received = true;
            let curtain_drawn_now = state.curtain && !self.session.curtain;
            self.session = state.clone();
            if curtain_drawn_now {
                out.extend(self.close_private_popup(now));
            }
        }
        self.continue_observations(now);
        // Once the facilitator has ended the session, a link that drops is no news: the
        // clock has stopped and nothing more will come.
        match (&followed.error, followed.connected) {
            _ if followed.ended => {
                let leave = self.keys.label(Action::Quit);
                self.show(
                    Slot::Following,
                    format!("The session has ended: you can still write notes; {leave} leaves."),
                );
            }
            (Some(error), _) if followed.finished => {
                self.show(Slot::Following, format!("Not following any more: {error}"));
            }
            (Some(error), _) => self.show(
                Slot::Following,
                format!("Not following: {error}; trying again (the clock runs on its own until then)"),
            ),
            (None, true) => self.clear(Slot::Following),
            (None, false) => self.show(Slot::Following, "Connecting…"),
        }
        out
    }

    /// A trainee back in a session they took notes in (restarted, or rejoined): those
    /// notes are shown again and new ones go on in the same file. Waits while the
    /// facilitator's curtain is drawn, when the notes' names could not be matched. Looked
    /// for once: the log is kept (empty or not) and new notes go on in it.
    fn continue_observations(&mut self, now: Millis) {
        let Seat::Trainee(observing) = &mut self.seat else {
            return;
        };
        let Some(session_id) = observing.session_id.clone() else {
            return;
        };
        if observing.log.is_some() || self.session.curtain {
            return;
        }
        let log = ObservationLog::for_session(
            &self.data,
            &self.session,
            &observing.name,
            now,
            self.offset,
            Some(&session_id),
            &self.vault,
        );
        let today = chrono::DateTime::from_timestamp_millis(now)
            .map(|t| t.with_timezone(&self.offset).date_naive())
            .unwrap_or_default();
        observing.notes = log
            .notes()
            .iter()
            .map(|n| n.as_note(&self.session, today, self.offset))
            .collect();
        observing.log = Some(log);
    }

    /// The plan file was edited: a plan that loaded replaces this one (what has happened
    /// is kept); one that did not is shown and the last good plan stays.
    pub fn reload(&mut self, result: Result<Plan, String>, path: &Path, now: Millis) {
        match result {
            Ok(plan) if plan != self.session.plan => {
                self.command(Command::ReloadPlan(Box::new(plan)), now);
                self.show(
                    Slot::Plan,
                    format!(
                        "Plan reloaded from {} at {}",
                        path.display(),
                        crate::ui::format::wall(now, self.offset)
                    ),
                );
            }
            Ok(_) => {}
            Err(error) => {
                // The file's name, not its whole path: the line number must fit the line.
                let name = path
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                let error = error.replace(&path.display().to_string(), &name);
                self.show(
                    Slot::Plan,
                    format!("The edited plan has an error; the last good plan stays. {error}"),
                );
            }
        }
    }

    // ---- drawing ----

    /// The line above the hints: a failed save first, then sharing, then the rest.
    fn banner_line(&self, now: Millis) -> Option<String> {
        let (disk, sharing) = match &self.seat {
            Seat::Facilitator(f) => (
                f.record.failure().filter(|_| self.saved.is_none()).map(|error| {
                    // What to do comes first: the cause may be long and the line is short.
                    format!(
                        "NOT SAVED TO DISK: the session goes on in memory; {} saves the summary elsewhere. {error}",
                        self.keys.label(Action::SaveAs)
                    )
                }),
                f.share.as_ref().map(|s| s.status_line(std::time::Instant::now())),
            ),
            Seat::Trainee(observing) => (
                None,
                (self.session.curtain && !observing.curtain)
                    .then(|| "The facilitator has drawn the curtain: names are hidden.".to_owned()),
            ),
        };
        let parts: Vec<String> = [disk, sharing, self.banners.line(now)]
            .into_iter()
            .flatten()
            .collect();
        (!parts.is_empty()).then(|| parts.join("  │  "))
    }

    /// The notes panel's notes: the facilitator's, or the trainee's observations.
    fn shown_notes(&self) -> &[Note] {
        match &self.seat {
            Seat::Facilitator(_) => &self.session.notes,
            Seat::Trainee(observing) => &observing.notes,
        }
    }

    /// Whether the journal has what is on screen.
    pub(super) fn save_mark(&self) -> SaveMark {
        match &self.seat {
            // The summary is written: whatever the journal went through, the record is safe.
            Seat::Facilitator(_) if self.saved.is_some() => SaveMark::Saved,
            Seat::Facilitator(f) => f.record.mark(),
            Seat::Trainee(_) => SaveMark::NotJournaled,
        }
    }

    /// Draws the main screen and the mode's popup over it.
    pub fn draw(&self, frame: &mut Frame, now: Millis, theme: &Theme) {
        self.screen_too_small.set(crate::ui::too_small(frame.area()));
        if self.waiting_for_facilitator() {
            let text = self
                .banners
                .get(Slot::Following)
                .unwrap_or("Connecting to the facilitator…");
            let leave = self.keys.label(Action::Quit);
            let text = format!("{text}\n\nTheir session appears here once it arrives. {leave} leaves.");
            crate::ui::draw_message(frame, &text, theme);
            return;
        }
        // The screen's curtain may differ from the record's: a trainee's own, one moved
        // after the end, and the question whether to resume (the room may see the screen
        // of a restarted laptop) all veil or unveil what the state says.
        let veiled;
        let veil = self.curtain_drawn() || matches!(self.mode, Mode::Resume(_));
        let session = if veil != self.session.curtain {
            let mut copy = self.session.clone();
            copy.curtain = veil;
            veiled = copy;
            &veiled
        } else {
            &self.session
        };
        let banner = self.banner_line(now);
        let ctx = Ctx {
            state: session,
            areas: crate::ui::layout(frame.area(), session, banner.is_some()),
            ..self.ctx(now)
        };
        let view = View {
            save: self.save_mark(),
            seat: match self.seat {
                Seat::Facilitator(_) => SeatView::Facilitator,
                Seat::Trainee(_) => SeatView::Observer,
            },
            hints: if self.wrapup_veiled() {
                let lift = self.keys.label_while_typing(Action::Curtain);
                vec![crate::ui::popup::Hint::new(lift, "shows the wrap-up again")]
            } else {
                self.mode.hints(&ctx)
            },
            flash: self.alerts.flashing(now),
            banner,
            notes: self.shown_notes(),
            notes_scroll: self.notes_scroll,
            selected: self.selected,
            // A new segment starts on its first page.
            info_page: if self.info_page.0 == session.current {
                self.info_page.1
            } else {
                0
            },
            ..View::new(session, now, self.offset, &self.keys)
        };
        crate::ui::draw(frame, &view, theme);
        if crate::ui::layout(frame.area(), session, false).is_none() {
            return;
        }
        if self.wrapup_veiled() {
            let lift = self.keys.label_while_typing(Action::Curtain);
            let veil = Message::new(
                "Wrap-up",
                &format!(
                    "The curtain is drawn: the wrap-up is hidden, nothing is lost. {lift} shows it again."
                ),
            );
            veil.draw(frame, &[], theme);
        } else {
            self.mode.draw(frame, &ctx, theme);
        }
    }
}

impl Observing {
    /// Keeps a trainee's note and saves it to their file (through the vault; filed under
    /// the live session's id when following one); the error, if saving failed.
    fn add(
        &mut self,
        note: Note,
        session: &State,
        data: &DataDir,
        now: Millis,
        offset: FixedOffset,
        vault: &Vault,
    ) -> Option<String> {
        let log = self.log.get_or_insert_with(|| {
            ObservationLog::for_session(
                data,
                session,
                &self.name,
                now,
                offset,
                self.session_id.as_deref(),
                vault,
            )
        });
        let error = log.add(&note, session).err();
        self.notes.push(note);
        error
    }
}

#[cfg(test)]
impl Console {
    pub(super) fn mode(&self) -> &Mode {
        &self.mode
    }

    pub(super) fn draft(&self) -> Option<&Draft> {
        self.draft.as_ref()
    }
}
