//! The live console's own state — mode, popups, the journal link, sharing, alerts — and
//! what it shows. The session itself changes only through `session::decide`; keys are in
//! `input`.

use std::net::SocketAddr;
use std::path::PathBuf;

use ratatui::layout::Rect;
use ratatui_textarea::TextArea;

use super::notify::Notifier;
use crate::config::Alert as AlertStyle;
use crate::journal::{JournalWriter, WriteReport};
use crate::keymap::{Action, Keymap};
use crate::session::rebalance::Proposal;
use crate::session::{About, Command, Event, MemberIx, Millis, Note, State, Tag, alerts_between, decide};
use crate::storage::DataDir;
use crate::ui::{Overlay, SaveMark, Seat, View};

/// Where sharing listens unless told otherwise: every interface, on one fixed port.
pub const DEFAULT_SHARE_BIND: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED), 47474);

/// How long a warning flashes the countdown.
const FLASH_MS: Millis = 1500;
/// How often a running session records that it is alive, so a crash's time is known.
const HEARTBEAT_MS: Millis = 15_000;

pub enum PickFor {
    GiveFloor,
    Hand,
    Note,
}

pub enum Mode {
    Normal,
    Help,
    ConfirmQuit,
    Note {
        editor: TextArea<'static>,
        about: About,
        tags: Vec<Tag>,
    },
    Attendance {
        selected: usize,
    },
    Pick(PickFor),
    PickSegment,
    Rebalance(Proposal),
    Resume {
        title: String,
        down_ms: i64,
    },
    SaveAs {
        editor: TextArea<'static>,
        error: Option<String>,
    },
    Message {
        title: String,
        text: String,
    },
}

/// Sharing with trainees: the server and the address to tell them.
pub struct Sharing {
    pub server: crate::share::ShareServer,
    pub address: String,
}

/// Why the loop stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exit {
    /// The summary was written to these files.
    Saved(PathBuf, PathBuf),
    /// Left without a summary; the journal keeps the session for a later resume.
    Unfinished,
    /// A trainee left; their observation notes are in this file (if they wrote any).
    Observed(Option<PathBuf>),
}

pub struct Console {
    pub session: State,
    pub session_id: String,
    pub journal: Option<JournalWriter>,
    pub sent_seq: u64,
    pub saved_seq: u64,
    pub save_error: Option<String>,
    pub mode: Mode,
    pub keys: Keymap,
    pub alert_styles: Vec<AlertStyle>,
    pub notifier: Box<dyn Notifier>,
    pub data: DataDir,
    pub flash_until: Option<Millis>,
    pub last_alert_check: Millis,
    pub last_heartbeat: Millis,
    pub banner: Option<String>,
    pub exit: Option<Exit>,
    pub bell_pending: bool,
    /// A note left with Esc comes back on the next `n`.
    pub(super) draft: Option<String>,
    pub seat: Seat,
    /// A trainee's own observation notes (the facilitator's are in the session).
    pub observations: Vec<Note>,
    pub notes_scroll: usize,
    pub selected: Option<MemberIx>,
    /// A trainee following a live session: the agenda moves with the facilitator.
    pub following: bool,
    /// Where a trainee's observation notes are saved, from their first note on.
    pub observation_log: Option<crate::observations::ObservationLog>,
    /// The trainee's name on their observation notes.
    pub trainee: String,
    /// Every event of this session, in order: what a trainee who joins receives.
    pub history: Vec<Event>,
    /// Sharing with trainees, when on.
    pub share: Option<Sharing>,
    /// Where sharing listens when it is turned on with a key.
    pub share_bind: SocketAddr,
    /// The screen's size at the last draw, for mouse hit-testing.
    pub screen: Rect,
}

impl Console {
    pub fn new(
        session: State,
        session_id: String,
        keys: Keymap,
        data: DataDir,
        notifier: Box<dyn Notifier>,
    ) -> Console {
        let now = session.last_seen;
        Console {
            session,
            session_id,
            journal: None,
            sent_seq: 0,
            saved_seq: 0,
            save_error: None,
            mode: Mode::Normal,
            keys,
            alert_styles: Vec::new(),
            notifier,
            data,
            flash_until: None,
            last_alert_check: now,
            last_heartbeat: now,
            banner: None,
            exit: None,
            bell_pending: false,
            draft: None,
            seat: Seat::Facilitator,
            observations: Vec::new(),
            notes_scroll: 0,
            selected: None,
            following: false,
            observation_log: None,
            trainee: String::new(),
            history: Vec::new(),
            share: None,
            share_bind: DEFAULT_SHARE_BIND,
            screen: Rect::default(),
        }
    }

    /// What the screen shows now.
    pub fn view(&self, now: Millis, offset: chrono::FixedOffset) -> View<'_> {
        let save = match (&self.save_error, self.seat) {
            (Some(error), _) => SaveMark::Failed(error.clone()),
            (None, Seat::Observer) => SaveMark::NotJournaled,
            (None, Seat::Facilitator) if self.saved_seq >= self.sent_seq => SaveMark::Saved,
            (None, Seat::Facilitator) => SaveMark::Saving,
        };
        let overlay = match &self.mode {
            Mode::Normal => Overlay::None,
            Mode::Help => Overlay::Help,
            Mode::ConfirmQuit => Overlay::ConfirmQuit,
            Mode::Note { editor, about, tags } => Overlay::Note {
                editor,
                about: *about,
                tags,
            },
            Mode::Attendance { selected } => Overlay::Attendance { selected: *selected },
            Mode::Pick(PickFor::GiveFloor) => Overlay::PickMember {
                purpose: "Give the floor",
            },
            Mode::Pick(PickFor::Hand) => Overlay::PickMember {
                purpose: "Raise or lower a hand",
            },
            Mode::Pick(PickFor::Note) => Overlay::PickMember {
                purpose: "Note about",
            },
            Mode::PickSegment => Overlay::PickSegment,
            Mode::Rebalance(proposal) => Overlay::Rebalance(proposal),
            Mode::Resume { title, down_ms } => Overlay::Resume {
                title,
                down_ms: *down_ms,
            },
            Mode::SaveAs { editor, error } => Overlay::SaveAs {
                editor,
                error: error.as_deref(),
            },
            Mode::Message { title, text } => Overlay::Message { title, text },
        };
        View {
            state: &self.session,
            now,
            offset,
            keys: &self.keys,
            save,
            seat: self.seat,
            overlay,
            flash: self.flash_until.is_some_and(|until| now < until),
            banner: self.banner_text(),
            notes: self.shown_notes(),
            notes_scroll: self.notes_scroll,
            selected: self.selected,
        }
    }

    /// Runs a command through the core, folds and journals what it produced.
    pub fn command(&mut self, command: Command, now: Millis) {
        let events = decide(&self.session, command, now);
        self.record(events, now);
    }

    pub fn record(&mut self, events: Vec<Event>, now: Millis) {
        if events.is_empty() {
            return;
        }
        for event in &events {
            self.session.apply(event);
        }
        if let Some(sharing) = &self.share {
            sharing.server.publish(&events);
        }
        self.history.extend(events.iter().cloned());
        if let Some(journal) = &self.journal {
            self.sent_seq = journal.send(events);
        }
        self.last_alert_check = now;
    }

    pub fn on_report(&mut self, report: WriteReport) {
        match report {
            WriteReport::Saved { through_seq } => {
                self.saved_seq = self.saved_seq.max(through_seq);
                if self.saved_seq >= self.sent_seq {
                    self.save_error = None;
                }
            }
            WriteReport::Failed { error, .. } => {
                // What to do comes first: the cause may be long and the line is short.
                self.save_error = Some(format!(
                    "NOT SAVED TO DISK: the session goes on in memory; {} saves the summary elsewhere. {error}",
                    self.keys.label(Action::SaveAs)
                ));
            }
        }
    }

    /// Time passes: give due warnings and keep the heartbeat.
    pub fn tick(&mut self, now: Millis) {
        for alert in alerts_between(&self.session, self.last_alert_check, now) {
            for style in &self.alert_styles {
                match style {
                    AlertStyle::Desktop => self.notifier.notify(&alert.message()),
                    AlertStyle::Bell => self.bell_pending = true,
                    AlertStyle::Flash => self.flash_until = Some(now + FLASH_MS),
                }
            }
        }
        self.last_alert_check = now;
        if self.session.is_running() && now - self.last_heartbeat >= HEARTBEAT_MS {
            self.last_heartbeat = now;
            self.record(vec![Event::Heartbeat { at: now }], now);
        }
    }

    /// The next moment something on screen changes by itself, if any: the next whole second
    /// of a running clock or turn, the end of a flash, the next minute of the wall clock.
    pub fn next_change(&self, now: Millis) -> Option<Millis> {
        let next_second = |since: Millis| since + ((now - since).div_euclid(1000) + 1) * 1000;
        let mut candidates = Vec::new();
        if let Some(since) = self.session.running_since {
            candidates.push(next_second(since));
        }
        if let Some(turn) = self.session.current_turn() {
            candidates.push(next_second(turn.start));
        }
        if let Some(until) = self.flash_until.filter(|until| *until > now) {
            candidates.push(until);
        }
        if !self.session.is_ended() {
            // The wall clock and the projected end move once a minute even when paused.
            candidates.push(next_second(0).div_euclid(60_000) * 60_000 + 60_000);
        }
        candidates.into_iter().filter(|t| *t > now).min()
    }

    /// A trainee following a live session: the facilitator's state as it arrives (names
    /// blanked while their curtain is drawn; never their notes).
    pub fn follow(&mut self, followed: &crate::share::FollowState) {
        if let Some(state) = &followed.state {
            self.session = state.clone();
        }
        self.banner = match (&followed.error, followed.connected) {
            (Some(error), _) => Some(format!("Not following: {error}")),
            (None, true) => None,
            (None, false) => Some("Connecting…".into()),
        };
    }

    /// The line above the hints: a failed save first, then sharing, then any message.
    pub(super) fn banner_text(&self) -> Option<String> {
        let share = self.share.as_ref().map(|sharing| {
            let status = sharing.server.status();
            let mut line = format!(
                "Sharing on {} · code {} · {}",
                sharing.address,
                status.code,
                status.summary()
            );
            if let Some(from) = status.last_refused {
                line.push_str(&format!(" (last from {})", from.ip()));
            }
            line
        });
        let parts: Vec<&str> = [
            self.save_error.as_deref(),
            share.as_deref(),
            self.banner.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!parts.is_empty()).then(|| parts.join("  │  "))
    }

    /// Turns sharing with trainees on (a fresh join code, the whole history sent to each
    /// trainee who joins) or off.
    pub fn toggle_share(&mut self) {
        match self.share.take() {
            Some(sharing) => sharing.server.stop(),
            None => {
                if let Err(error) = self.start_share(self.share_bind) {
                    self.banner = Some(error);
                }
            }
        }
    }

    pub fn start_share(&mut self, bind: SocketAddr) -> Result<(), String> {
        let code = crate::share::new_join_code().map_err(|e| format!("cannot make a join code: {e}"))?;
        let (server, bound) = crate::share::ShareServer::start(bind, &code)
            .map_err(|e| format!("cannot share on {bind}: {e}"))?;
        server.publish(&self.history);
        self.share = Some(Sharing {
            server,
            address: reachable_address(bound),
        });
        Ok(())
    }

    /// The notes panel's notes: the facilitator's, or the trainee's observations.
    pub(super) fn shown_notes(&self) -> &[Note] {
        match self.seat {
            Seat::Facilitator => &self.session.notes,
            Seat::Observer => &self.observations,
        }
    }

    /// After the end: flush the journal, write the summary, archive the journal.
    pub fn finish(&mut self) {
        let flushed = match self.journal.take() {
            Some(journal) => {
                let path = journal.path().to_owned();
                journal.shutdown().map(|()| Some(path)).map_err(|e| e.to_string())
            }
            None => Ok(None),
        };
        let journal_path = match flushed {
            Ok(path) => path,
            Err(error) => {
                self.save_error = Some(format!("NOT SAVED TO DISK: {error}"));
                None
            }
        };
        let summaries = self.data.summaries();
        self.mode = self.write_summary(summaries, journal_path, None);
    }

    pub(super) fn save_summary_to(&mut self, dir: PathBuf, editor: TextArea<'static>) -> Mode {
        let journal = self.journal_path_if_saved();
        self.write_summary(dir, journal, Some(editor))
    }

    fn journal_path_if_saved(&self) -> Option<PathBuf> {
        let path = self
            .data
            .journals()
            .join(crate::journal::file_name(&self.session_id));
        path.exists().then_some(path)
    }

    fn write_summary(
        &mut self,
        dir: PathBuf,
        journal: Option<PathBuf>,
        editor: Option<TextArea<'static>>,
    ) -> Mode {
        let summary = crate::summary::derive(&self.session, &self.session_id, super::clock::local_offset());
        match crate::summary::write_summary(&dir, &summary) {
            Ok((ron, md)) => {
                if self.session.is_ended() {
                    if let Some(path) = journal {
                        let _ = crate::journal::archive(&path, &self.data.archive());
                    }
                    self.exit = Some(Exit::Saved(ron, md));
                    Mode::Normal
                } else {
                    Mode::Message {
                        title: "Saved".into(),
                        text: format!("Summary so far saved to {}", md.display()),
                    }
                }
            }
            Err(error) => {
                let error = format!("could not save the summary in {}: {error}", dir.display());
                match editor {
                    Some(editor) => Mode::SaveAs {
                        editor,
                        error: Some(error),
                    },
                    None => super::input::save_as_prompt(Some(error)),
                }
            }
        }
    }
}

/// An address trainees can type: the bound one, or for "every interface" this machine's
/// address on its default route (found without sending anything), else the bound one.
fn reachable_address(bound: SocketAddr) -> String {
    if !bound.ip().is_unspecified() {
        return bound.to_string();
    }
    let local = std::net::UdpSocket::bind("0.0.0.0:0")
        .and_then(|socket| socket.connect("192.0.2.1:9").map(|()| socket))
        .and_then(|socket| socket.local_addr());
    match local {
        Ok(addr) if !addr.ip().is_unspecified() => format!("{}:{}", addr.ip(), bound.port()),
        _ => bound.to_string(),
    }
}
