//! The review's terminal loop and the file work the browser's keys ask for ([`effects`]):
//! blocking, no timers. Rescans of the folder run on their own thread, so keys are
//! answered while a large archive is read again. One thread reads keys, the folder
//! watcher reports changes, a signal thread reports every signal of
//! [`terminal::Signals`]; the loop waits on all three through one channel and redraws
//! after each message. The terminal is restored on every way out: return, error, panic (a
//! hook) and every terminating signal; Ctrl-Z (the key, or SIGTSTP) suspends properly and
//! redraws after `fg`.

use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};

use crossterm::event::{self, Event, KeyEvent};
use notify::{EventKind, RecursiveMode, Watcher};

pub mod effects;

use super::browser::Browser;
use super::filter::{Filter, Sort};
use super::index::Scanner;
use super::ui;
use crate::terminal::{self, SignalEvent};
use crate::theme::Theme;
use crate::vault::AskOnce;

/// What the browser starts with.
pub struct Setup {
    pub scanner: Scanner,
    pub theme: Theme,
    pub filter: Filter,
    pub sort: Sort,
    /// Where observations are, and how files are opened and sealed.
    pub files: effects::Files,
    /// Who signs and comments (`--as`); asked once when not given.
    pub author: Option<String>,
    /// How a passphrase is asked: only before the browser takes the terminal.
    pub ask: Option<Arc<AskOnce>>,
}

enum Message {
    Key(KeyEvent),
    Resize,
    /// A summary or observation file changed.
    Changed,
    /// A rescan finished.
    Scanned(io::Result<super::index::Index>),
    Signal(SignalEvent),
    InputFailed(io::Error),
}

/// How the browser ended.
pub enum Ended {
    Quit,
    /// Stopped by a signal (its name).
    Signal(&'static str),
}

/// Raw mode and the alternate screen, undone when dropped and on panic.
struct Screen {
    terminal: terminal::Term,
}

impl Screen {
    fn enter() -> io::Result<Screen> {
        terminal::install_panic_hook(None);
        Ok(Screen {
            terminal: terminal::init(false)?,
        })
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        terminal::restore();
    }
}

/// Runs the browser until `q`, or a signal.
pub fn run(setup: Setup) -> io::Result<Ended> {
    let Setup {
        mut scanner,
        theme,
        filter,
        sort,
        files,
        author,
        ask,
    } = setup;
    // A large folder read for the first time takes a second or two: said, not a blank wait.
    if io::IsTerminal::is_terminal(&io::stderr()) {
        eprintln!("holdspace: reading the summaries in {}…", scanner.dir().display());
    }
    // The first scan may ask a passphrase on the terminal; nothing asks once it is taken.
    let index = scanner.scan()?;
    if let Some(ask) = &ask {
        ask.close();
    }
    let mut browser = Browser::new(index, filter, sort);
    browser.author = author.filter(|a| !a.trim().is_empty());
    // Exports go where the README says, and where `holdspace purge` clears them.
    if let Some(data) = &files.data {
        browser.notes_dir = data.exports();
        browser.export_dir = data.exports();
    }
    let (tx, rx) = mpsc::channel();
    let mut watched = vec![scanner.dir().to_owned()];
    watched.extend(files.observation_dirs.iter().filter(|d| d.is_dir()).cloned());
    // Without a watcher the review still works; it just does not follow changes live.
    let _watcher = watch(&watched, tx.clone()).ok();
    listen_for_signals(tx.clone())?;

    // The first session opened finds its records without listing the folder then.
    files.beside.list_in_background(scanner.dir());
    let rescan = rescans(scanner, tx.clone());
    let mut screen = Screen::enter()?;
    read_keys(tx);
    let ended = event_loop(&mut screen, &mut browser, &rescan, &theme, &rx, &files);
    drop(screen);
    ended
}

/// A thread that rescans the folder when asked and reports each scan to the loop. After a
/// scan it rests a few times as long as the scan took (at most a second), so a sync that
/// brings files for minutes costs a fraction of a core, not all of one; the changes of the
/// rest are answered by one scan after it.
fn rescans(mut scanner: Scanner, tx: Sender<Message>) -> Sender<()> {
    let (ask, asked) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        while asked.recv().is_ok() {
            // Asked again meanwhile: one scan answers all.
            while asked.try_recv().is_ok() {}
            let started = std::time::Instant::now();
            if tx.send(Message::Scanned(scanner.scan())).is_err() {
                return;
            }
            std::thread::sleep((started.elapsed() * 4).min(std::time::Duration::from_secs(1)));
        }
    });
    ask
}

fn event_loop(
    screen: &mut Screen,
    browser: &mut Browser,
    rescan: &Sender<()>,
    theme: &Theme,
    rx: &Receiver<Message>,
    files: &effects::Files,
) -> io::Result<Ended> {
    // A scan is running; another change during it asks for one more afterwards.
    let mut scanning = false;
    let mut again = false;
    loop {
        let size = screen.terminal.size()?;
        if browser.size != (size.width, size.height) {
            browser.resize((size.width, size.height));
        }
        screen.terminal.draw(|frame| ui::draw(frame, browser, theme))?;
        let Ok(first) = rx.recv() else {
            return Ok(Ended::Quit);
        };
        // Take everything already waiting, so a burst of file events costs one scan.
        let mut changed = false;
        for message in std::iter::once(first).chain(rx.try_iter()) {
            match message {
                // Raw mode turns Ctrl-Z into a key: stop as a shell user expects.
                Message::Key(key) if terminal::is_suspend_key(&key) => {
                    terminal::suspend(&mut screen.terminal)?
                }
                Message::Key(key) => {
                    if effects::key(browser, key, files) == effects::Flow::Quit {
                        return Ok(Ended::Quit);
                    }
                }
                Message::Resize => {}
                Message::Changed => changed = true,
                Message::Scanned(scan) => {
                    scanning = false;
                    match scan {
                        Ok(index) => effects::refresh(browser, index, files),
                        Err(error) => {
                            browser.status = Some(format!("The folder cannot be read now: {error}"))
                        }
                    }
                }
                Message::Signal(SignalEvent::Terminate(name)) => return Ok(Ended::Signal(name)),
                Message::Signal(SignalEvent::Suspend) => terminal::suspend(&mut screen.terminal)?,
                Message::InputFailed(error) => return Err(error),
            }
        }
        if changed || (again && !scanning) {
            if scanning {
                again = true;
            } else {
                scanning = rescan.send(()).is_ok();
                again = false;
            }
        }
    }
}

fn read_keys(tx: Sender<Message>) {
    std::thread::spawn(move || {
        loop {
            let message = match event::read() {
                Ok(Event::Key(key)) => Message::Key(key),
                Ok(Event::Resize(..)) => Message::Resize,
                Ok(_) => continue,
                // A stop and `fg` (Ctrl-Z) interrupt the wait for a key: wait again.
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => Message::InputFailed(error),
            };
            let failed = matches!(message, Message::InputFailed(_));
            if tx.send(message).is_err() || failed {
                return;
            }
        }
    });
}

fn watch(dirs: &[PathBuf], tx: Sender<Message>) -> notify::Result<notify::RecommendedWatcher> {
    let mut watcher = notify::recommended_watcher(move |result: notify::Result<notify::Event>| {
        let Ok(event) = result else { return };
        // Opening a file to read it is not a change (the review itself opens them).
        let relevant = match event.kind {
            EventKind::Access(notify::event::AccessKind::Close(notify::event::AccessMode::Write)) => true,
            EventKind::Access(_) => false,
            _ => true,
        };
        let ron = event.paths.is_empty()
            || event
                .paths
                .iter()
                .any(|p| p.extension().is_some_and(|e| e == "ron"));
        if relevant && ron {
            let _ = tx.send(Message::Changed);
        }
    })?;
    for dir in dirs {
        watcher.watch(dir, RecursiveMode::NonRecursive)?;
    }
    Ok(watcher)
}

/// Every signal a console handles reaches the loop: a terminating one ends the browser
/// there, so the terminal is restored (and the exit status says which signal); SIGTSTP
/// suspends it. Installed before this returns, so none of them can stop or kill the
/// process behind the loop's back. (In raw mode Ctrl-C is a key, handled by the browser.)
fn listen_for_signals(tx: Sender<Message>) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut signals = {
        let _inside = runtime.enter();
        terminal::Signals::install()?
    };
    std::thread::spawn(move || {
        runtime.block_on(async move {
            loop {
                let signal = signals.next().await;
                if tx.send(Message::Signal(signal)).is_err() {
                    return;
                }
            }
        });
    });
    Ok(())
}
