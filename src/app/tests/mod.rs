//! The console in-process: built over a temporary data dir, fed keys as a person types
//! them, drawn on ratatui's `TestBackend`. Tests assert on the screen and on the events
//! the session records — no terminal, no tmux, no clock.

mod carried;
mod modes;
mod overlaps;
mod room;
mod screens;

use std::path::Path;

use chrono::FixedOffset;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

use super::notify::Notifier;
use super::{Alerts, Console, Fresh, LoopEffect, Parts};
use crate::journal::WriteReport;
use crate::keymap::Keymap;
use crate::plan::{BUILTIN_PLAN, BUILTIN_ROSTER, parse_plan, parse_roster};
use crate::session::{Event, Millis};
use crate::storage::DataDir;
use crate::theme::Theme;
use crate::ui::SaveMark;

/// 2025-11-25 09:00 UTC.
pub const T0: Millis = 1_764_061_200_000;
pub const MIN: Millis = 60_000;

/// Desktop notifications that go nowhere (the tests read the screen).
struct Silent;

impl Notifier for Silent {
    fn notify(&mut self, _text: &str) {}
}

pub struct Harness {
    pub console: Console,
    pub now: Millis,
    reports: UnboundedReceiver<WriteReport>,
    /// Keeps the data dir alive for the test.
    pub dir: tempfile::TempDir,
    /// What the last key asked of the loop.
    pub effects: Vec<LoopEffect>,
}

fn parts(data: &Path) -> Parts {
    let plan = parse_plan(BUILTIN_PLAN, Path::new("plan.ron")).expect("the built-in plan");
    let roster = parse_roster(BUILTIN_ROSTER, Path::new("roster.ron")).expect("the built-in roster");
    Parts {
        fresh: Fresh {
            plan,
            roster,
            seed: 1,
        },
        keys: Keymap::default(),
        data: DataDir {
            root: data.to_owned(),
        },
        vault: crate::vault::Vault::plain(),
        alerts: Alerts::new(Vec::new(), Box::new(Silent), T0),
        offset: FixedOffset::east_opt(0).expect("UTC"),
        note_template: crate::plan::NoteTemplate::default(),
        earlier: super::earlier::Earlier::default(),
    }
}

impl Harness {
    /// The facilitator's console on the built-in plan and roster, its session started at T0.
    pub fn facilitator() -> Harness {
        let mut harness = Harness::facilitator_over(tempfile::tempdir().expect("a temp dir"));
        harness.console.begin(None, T0);
        harness.settle();
        harness
    }

    /// The facilitator's console, its session started at T0 with what an earlier session of
    /// the series left.
    pub fn facilitator_after(earlier: super::earlier::Earlier) -> Harness {
        let dir = tempfile::tempdir().expect("a temp dir");
        let (tx, reports) = unbounded_channel();
        let mut harness = Harness {
            console: Console::facilitator(
                Parts {
                    earlier,
                    ..parts(dir.path())
                },
                tx,
                T0,
            ),
            now: T0,
            reports,
            dir,
            effects: Vec::new(),
        };
        harness.console.begin(None, T0);
        harness.settle();
        harness
    }

    /// The facilitator's console over an existing data dir, before anything starts.
    pub fn facilitator_over(dir: tempfile::TempDir) -> Harness {
        let (tx, reports) = unbounded_channel();
        Harness {
            console: Console::facilitator(parts(dir.path()), tx, T0),
            now: T0,
            reports,
            dir,
            effects: Vec::new(),
        }
    }

    /// A trainee's console on the same plan: offline, or following (with nothing received).
    /// A trainee; following, the facilitator's session (not started) has arrived.
    pub fn trainee(following: bool) -> Harness {
        let mut h = Harness::trainee_connecting(following);
        if following {
            let state = h.console.session().clone();
            let followed = crate::share::FollowState {
                connected: true,
                state: Some(state),
                links: 1,
                updates: 1,
                session: Some("facilitators-session".into()),
                ..Default::default()
            };
            h.console.follow(&followed, h.now);
        }
        h
    }

    /// A trainee before anything has come from the facilitator.
    pub fn trainee_connecting(following: bool) -> Harness {
        let dir = tempfile::tempdir().expect("a temp dir");
        let (_, reports) = unbounded_channel();
        let console = Console::trainee(parts(dir.path()), "Mitu Hossain".into(), following, T0);
        Harness {
            console,
            now: T0,
            reports,
            dir,
            effects: Vec::new(),
        }
    }

    pub fn data(&self) -> DataDir {
        DataDir {
            root: self.dir.path().to_owned(),
        }
    }

    /// Waits until the journal has everything sent so far on disk.
    pub fn settle(&mut self) {
        while self.console.save_mark() == SaveMark::Saving {
            match self.reports.blocking_recv() {
                Some(report) => self.console.on_report(report),
                None => return,
            }
        }
    }

    /// Time passes, with the console's ticks on the way.
    pub fn wait(&mut self, ms: Millis) {
        self.now += ms;
        self.effects = self.console.tick(self.now);
    }

    /// Presses keys written as in the config (`"n"`, `"Esc"`, `"Alt-r"`, `"Ctrl-o"`),
    /// separated by spaces.
    pub fn keys(&mut self, keys: &str) {
        for key in keys.split(' ') {
            self.effects = self.console.on_key(key_event(key), self.now);
        }
        self.settle();
    }

    /// Types text, one character at a time.
    pub fn type_text(&mut self, text: &str) {
        for ch in text.chars() {
            self.effects = self
                .console
                .on_key(KeyEvent::new(KeyCode::Char(ch), KeyModifiers::NONE), self.now);
        }
    }

    /// The screen as a person sees it, `width` × `height`.
    pub fn render(&self, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
        terminal
            .draw(|frame| self.console.draw(frame, self.now, &Theme::dark()))
            .expect("draw");
        format!("{}", terminal.backend())
    }

    /// The unfinished session a crash now would leave, as the next start finds it.
    pub fn unfinished(&self) -> crate::journal::Unfinished {
        let journal = self.console.journal().expect("a journal on disk");
        crate::journal::find_unfinished(journal.parent().expect("the journal folder"))
            .into_iter()
            .next()
            .expect("the unfinished session")
    }

    /// The texts of the session's notes, in order.
    pub fn note_texts(&self) -> Vec<&str> {
        self.console
            .session()
            .notes
            .iter()
            .map(|n| n.text.as_str())
            .collect()
    }

    /// Every event the session recorded.
    pub fn events(&self) -> &[Event] {
        self.console.history()
    }

    /// The events of one kind, by a predicate.
    pub fn count(&self, matches: impl Fn(&Event) -> bool) -> usize {
        self.events().iter().filter(|e| matches(e)).count()
    }
}

/// A key event from its name as the config writes it.
pub fn key_event(text: &str) -> KeyEvent {
    let mut modifiers = KeyModifiers::NONE;
    let mut rest = text;
    loop {
        if let Some(r) = rest.strip_prefix("Ctrl-") {
            modifiers |= KeyModifiers::CONTROL;
            rest = r;
        } else if let Some(r) = rest.strip_prefix("Alt-") {
            modifiers |= KeyModifiers::ALT;
            rest = r;
        } else {
            break;
        }
    }
    let code = match rest {
        "Esc" => KeyCode::Esc,
        "Enter" => KeyCode::Enter,
        "Tab" => KeyCode::Tab,
        "BackTab" => KeyCode::BackTab,
        "Space" => KeyCode::Char(' '),
        "Up" => KeyCode::Up,
        "Down" => KeyCode::Down,
        "Left" => KeyCode::Left,
        "Right" => KeyCode::Right,
        "Backspace" => KeyCode::Backspace,
        single => KeyCode::Char(single.chars().next().expect("a key")),
    };
    if let KeyCode::Char(c) = code
        && c.is_ascii_uppercase()
    {
        modifiers |= KeyModifiers::SHIFT;
    }
    KeyEvent::new(code, modifiers)
}

/// A facilitator's console on the format's example plan (cues, several prompts, an
/// exercise with timed steps) with a roster of `members` fictional members.
pub fn example_session(members: usize) -> Harness {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats");
    let loaded = crate::plan::load_plan_with_roster(&fixtures.join("plan.example.ron"), None)
        .expect("the example plan");
    let mut roster = loaded.roster;
    roster.members = (1..=members)
        .map(|i| crate::plan::Member {
            name: format!("Person {i:02}"),
            pronouns: None,
        })
        .collect();
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut parts = parts(dir.path());
    parts.fresh = Fresh {
        plan: loaded.plan,
        roster,
        seed: 1,
    };
    let (tx, reports) = unbounded_channel();
    let mut console = Console::facilitator(parts, tx, T0);
    console.begin(None, T0);
    let mut harness = Harness {
        console,
        now: T0,
        reports,
        dir,
        effects: Vec::new(),
    };
    harness.settle();
    harness
}
