//! `holdspace wrapup`: the wrap-up of a session already saved, written after the room has
//! emptied — the same editor as at the end of the session, on its own. Its draft is kept
//! as it is typed (once a second at most, and on leaving), so leaving, a signal or a
//! crash loses nothing; `Ctrl-s` saves it beside the summary.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crossterm::event::{Event as TermEvent, EventStream, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use futures_util::StreamExt;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use super::effect::Effect;
use super::filing::file_wrapup;
use super::modes::{Mode, Step, WrapUpEditor};
use crate::keymap::{Action, Context, Keymap};
use crate::notes::{WrapUp, write_draft};
use crate::storage::DataDir;
use crate::terminal::{self, SignalEvent, Signals};
use crate::theme::Theme;
use crate::vault::Vault;

/// How often the draft is written while typing, at most.
const DRAFT_EVERY: Duration = Duration::from_secs(1);

/// Everything the standalone editor needs, resolved by the CLI.
pub struct WrapUpSetup {
    /// The summary the wrap-up belongs to (written beside it).
    pub summary: PathBuf,
    /// Where to start: the saved wrap-up, its draft, or one made from the summary.
    pub wrapup: WrapUp,
    /// Each member's plan in the last session of the series, by name.
    pub previous_plans: BTreeMap<String, String>,
    /// Who submits the session for supervision, when asked: the lead facilitator.
    pub submitter: String,
    pub keys: Keymap,
    pub theme: Theme,
    pub data: DataDir,
    pub vault: Vault,
}

/// How the editor was left.
pub enum WrapUpOutcome {
    /// Saved beside the summary (and submitted for supervision, when asked).
    Saved {
        wrapup: super::SavedWrapUp,
        submitted: Option<Result<(), String>>,
    },
    /// Left to finish later: the draft is kept (`None` if it could not be written).
    Later(Option<PathBuf>),
    /// Stopped by a signal, the draft kept as for [`WrapUpOutcome::Later`].
    Signal {
        name: &'static str,
        draft: Option<PathBuf>,
    },
}

/// Runs the wrap-up editor until it is saved or left.
pub fn run_wrapup(setup: WrapUpSetup) -> Result<WrapUpOutcome, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the event loop: {e}"))?;
    terminal::install_panic_hook(Some(setup.data.crash_log()));
    let mut term = terminal::init(false).map_err(|e| format!("cannot set up the terminal: {e}"))?;
    let result = runtime.block_on(edit(&mut term, setup));
    terminal::restore();
    result
}

/// What the editor needs besides itself, and the draft's clock.
struct Editing {
    setup: WrapUpSetup,
    last_draft: Instant,
    /// Why the last save (or draft) failed, shown until the next key.
    problem: Option<String>,
    /// The privacy curtain is drawn: nothing of the wrap-up shows, and keys wait.
    curtain: bool,
}

async fn edit(term: &mut terminal::Term, setup: WrapUpSetup) -> Result<WrapUpOutcome, String> {
    let mut editor = Box::new(WrapUpEditor::new(
        setup.wrapup.clone(),
        setup.summary.clone(),
        setup.previous_plans.clone(),
    ));
    let mut editing = Editing {
        setup,
        last_draft: Instant::now(),
        problem: None,
        curtain: false,
    };
    let mut keys = EventStream::new();
    let mut signals = Signals::install().map_err(|e| format!("cannot watch for signals: {e}"))?;
    loop {
        term.draw(|frame| editing.draw(frame, &editor))
            .map_err(|e| format!("cannot draw: {e}"))?;
        tokio::select! {
            event = keys.next() => match event {
                Some(Ok(TermEvent::Key(key))) if terminal::is_suspend_key(&key) => {
                    terminal::suspend(term).map_err(|e| format!("cannot suspend: {e}"))?;
                }
                Some(Ok(TermEvent::Key(key))) if key.kind != KeyEventKind::Release => {
                    editor = match editing.on_key(editor, key) {
                        Ok(editor) => editor,
                        Err(outcome) => return Ok(outcome),
                    };
                }
                Some(Ok(_)) => {}
                Some(Err(error)) => return Err(format!("cannot read the terminal: {error}")),
                None => {
                    let draft = editing.write_draft(&editor.wrapup());
                    return Ok(WrapUpOutcome::Signal { name: "SIGHUP", draft });
                }
            },
            // The last burst of typing is kept a second later, keys or not.
            () = tokio::time::sleep_until((editing.last_draft + DRAFT_EVERY).into()), if editor.has_changed() => {
                if editor.take_changed() {
                    editing.write_draft(&editor.wrapup());
                }
            }
            signal = signals.next() => match signal {
                SignalEvent::Terminate(name) => {
                    let draft = editing.write_draft(&editor.wrapup());
                    return Ok(WrapUpOutcome::Signal { name, draft });
                }
                SignalEvent::Suspend => terminal::suspend(term).map_err(|e| format!("cannot suspend: {e}"))?,
            },
        }
    }
}

impl Editing {
    /// Hands a key to the editor: the editor to go on with, or how it was left.
    fn on_key(
        &mut self,
        editor: Box<WrapUpEditor>,
        key: KeyEvent,
    ) -> Result<Box<WrapUpEditor>, WrapUpOutcome> {
        self.problem = None;
        // Ctrl-c leaves as Esc does: nothing typed is ever lost to it.
        let interrupt = key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c');
        let action = if interrupt {
            Some(Action::WrapUpLater)
        } else {
            self.setup.keys.action(Context::WrapUp, &key, true)
        };
        // Someone came to the door: one key hides every name and note, as in the console.
        if action == Some(Action::Curtain) {
            self.curtain = !self.curtain;
            return Ok(editor);
        }
        if self.curtain && !interrupt {
            return Ok(editor);
        }
        let Step { mode, effects } = editor.on_key(action, &key);
        for effect in effects {
            match effect {
                Effect::WrapUpLater(wrapup) => return Err(WrapUpOutcome::Later(self.write_draft(&wrapup))),
                Effect::WrapUpSave(wrapup, summary, submit) => {
                    let submitter = submit.then_some(self.setup.submitter.as_str());
                    let setup = &self.setup;
                    return match file_wrapup(&setup.vault, &setup.data, &summary, *wrapup, submitter) {
                        Ok(filed) => Err(WrapUpOutcome::Saved {
                            wrapup: filed.wrapup,
                            submitted: filed.submitted,
                        }),
                        Err((problem, wrapup)) => {
                            self.problem = Some(problem);
                            let plans = self.setup.previous_plans.clone();
                            Ok(Box::new(WrapUpEditor::new(*wrapup, summary, plans)))
                        }
                    };
                }
                _ => {}
            }
        }
        let Mode::WrapUp(mut editor) = mode else {
            // The editor only ever leaves through the effects above.
            return Err(WrapUpOutcome::Later(None));
        };
        if self.last_draft.elapsed() >= DRAFT_EVERY && editor.take_changed() {
            self.write_draft(&editor.wrapup());
        }
        Ok(editor)
    }

    /// Keeps `wrapup` as the draft; its path, or `None` (and the reason shown) if the disk
    /// refused.
    fn write_draft(&mut self, wrapup: &WrapUp) -> Option<PathBuf> {
        self.last_draft = Instant::now();
        match write_draft(&self.setup.vault, &self.setup.data, &wrapup.clone().tidied()) {
            Ok(path) => Some(path),
            Err(error) => {
                self.problem = Some(format!("The draft could not be kept: {error}"));
                None
            }
        }
    }

    fn draw(&self, frame: &mut ratatui::Frame, editor: &WrapUpEditor) {
        let theme = &self.setup.theme;
        if self.curtain {
            let lift = self.setup.keys.label_while_typing(Action::Curtain);
            let text = format!("◼ curtain · The wrap-up is hidden; nothing is lost. {lift} shows it again.");
            crate::ui::draw_message(frame, &text, theme);
            return;
        }
        editor.draw(frame, &editor.hints(&self.setup.keys), theme);
        if let Some(problem) = &self.problem {
            let area = frame.area();
            let line = ratatui::layout::Rect {
                y: area.bottom().saturating_sub(1),
                height: area.height.min(1),
                ..area
            };
            frame.render_widget(
                Paragraph::new(Span::styled(
                    crate::ui::format::fit(problem, usize::from(line.width)),
                    Style::default().fg(theme.overtime),
                )),
                line,
            );
        }
    }
}
