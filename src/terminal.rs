//! Terminal set-up and restore: raw mode, the alternate screen and mouse reporting are
//! undone on every exit — normal, error, panic and every terminating signal — and a panic
//! is logged to the data dir. Ctrl-Z (or SIGTSTP) suspends properly: restore, stop, and on
//! `fg` enter again and redraw. Messages to stdout and stderr never panic when nobody
//! reads them any more (a closed terminal, `| head`).

use std::future::poll_fn;
use std::io::{self, BufWriter, Stdout, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::Poll;

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::signal::unix::{Signal, SignalKind, signal};

pub type Term = Terminal<CrosstermBackend<Screen>>;

/// The console's terminal is set up (raw mode, alternate screen): restore has work to do.
static ENTERED: AtomicBool = AtomicBool::new(false);
/// Mouse reporting was asked for, so `resume` turns it on again.
static MOUSE: AtomicBool = AtomicBool::new(false);

/// Enters raw mode and the alternate screen, with mouse reporting on when asked.
pub fn init(mouse: bool) -> io::Result<Term> {
    MOUSE.store(mouse, Ordering::SeqCst);
    enter()?;
    Terminal::new(CrosstermBackend::new(Screen(BufWriter::with_capacity(
        FRAME_BYTES,
        io::stdout(),
    ))))
    .inspect_err(|_| restore())
}

fn enter() -> io::Result<()> {
    // Not a terminal (or no raw mode): nothing was changed, so nothing to undo.
    enable_raw_mode()?;
    ENTERED.store(true, Ordering::SeqCst);
    let mut stdout = io::stdout();
    let entered = execute!(stdout, EnterAlternateScreen, cursor::Hide).and_then(|()| {
        if MOUSE.load(Ordering::SeqCst) {
            execute!(stdout, EnableMouseCapture)
        } else {
            Ok(())
        }
    });
    if entered.is_err() {
        restore();
    }
    entered
}

/// Standard output for drawing. Once the terminal is restored nothing more is drawn, and
/// a failed write is dropped: ratatui's `Terminal` shows the cursor when it is dropped and
/// panics (`eprintln!`) if that fails, which a closed terminal (SIGHUP) would make it do.
///
/// A frame is gathered whole and written at the draw's flush in one go: standard output
/// alone would hand the terminal a full screen a kilobyte at a time, and the first frame
/// would take a dozen writes to appear.
pub struct Screen(BufWriter<Stdout>);

/// Room for a whole frame of a large terminal, colours and all.
const FRAME_BYTES: usize = 1 << 17;

impl Write for Screen {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        match self.0.write(bytes) {
            Err(_) if !ENTERED.load(Ordering::SeqCst) => Ok(bytes.len()),
            other => other,
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.0.flush() {
            Err(_) if !ENTERED.load(Ordering::SeqCst) => Ok(()),
            other => other,
        }
    }
}

/// Leaves raw mode, mouse reporting and the alternate screen. Safe from any path (a
/// signal, a panic, an error, twice in a row) and a no-op when the terminal was not set
/// up, so a command that never drew writes no escape sequence.
pub fn restore() {
    if !ENTERED.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
}

/// Ctrl-Z: gives the terminal back to the shell as it found it and stops the process;
/// after `fg` (SIGCONT) takes it again and clears the screen so the next draw is whole.
/// Call it for the Ctrl-Z key (raw mode turns it into a key) and for
/// [`SignalEvent::Suspend`]; then redraw.
pub fn suspend(term: &mut Term) -> io::Result<()> {
    restore();
    signal_hook::low_level::raise(signal_hook::consts::SIGSTOP)?;
    // Here again after SIGCONT.
    resume(term)
}

/// Ctrl-Z, which raw mode delivers as a key instead of stopping the process.
pub fn is_suspend_key(key: &crossterm::event::KeyEvent) -> bool {
    use crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};
    key.kind != KeyEventKind::Release
        && key.modifiers.contains(KeyModifiers::CONTROL)
        && matches!(key.code, KeyCode::Char('z' | 'Z'))
}

/// Takes the terminal again after a stop: raw mode, alternate screen, mouse reporting as
/// before, and a cleared buffer so everything is drawn anew.
pub fn resume(term: &mut Term) -> io::Result<()> {
    enter()?;
    // Cleared without asking the terminal where its cursor is (as `Terminal::clear`
    // does): that answer comes back as input, which a thread already blocked reading keys
    // (the review's) would hold up until the question times out.
    let size = term.size()?;
    term.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
}

/// The signals that end a console, with their names: each restores the terminal and
/// leaves the session resumable.
pub const TERMINATING: [(i32, &str); 6] = [
    (signal_hook::consts::SIGHUP, "SIGHUP"),
    (signal_hook::consts::SIGINT, "SIGINT"),
    (signal_hook::consts::SIGQUIT, "SIGQUIT"),
    (signal_hook::consts::SIGTERM, "SIGTERM"),
    (signal_hook::consts::SIGUSR1, "SIGUSR1"),
    (signal_hook::consts::SIGUSR2, "SIGUSR2"),
];

/// What a signal asks of an event loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignalEvent {
    /// Restore the terminal, save, and exit with [`signal_exit_code`] of this name.
    Terminate(&'static str),
    /// SIGTSTP: call [`suspend`], then redraw.
    Suspend,
}

/// The signals an event loop must handle, as one stream: `select!` on [`Signals::next`].
/// Once installed, none of them stops or kills the process behind the loop's back.
pub struct Signals {
    terminating: Vec<(Signal, &'static str)>,
    suspend: Signal,
}

impl Signals {
    /// Must be called inside a tokio runtime.
    pub fn install() -> io::Result<Signals> {
        let terminating = TERMINATING
            .iter()
            .map(|(number, name)| signal(SignalKind::from_raw(*number)).map(|s| (s, *name)))
            .collect::<io::Result<_>>()?;
        let suspend = signal(SignalKind::from_raw(signal_hook::consts::SIGTSTP))?;
        Ok(Signals { terminating, suspend })
    }

    /// The next signal received.
    pub async fn next(&mut self) -> SignalEvent {
        poll_fn(|cx| {
            for (stream, name) in &mut self.terminating {
                if stream.poll_recv(cx).is_ready() {
                    return Poll::Ready(SignalEvent::Terminate(name));
                }
            }
            if self.suspend.poll_recv(cx).is_ready() {
                return Poll::Ready(SignalEvent::Suspend);
            }
            Poll::Pending
        })
        .await
    }
}

/// The exit status of a program stopped by the signal `name`: 128 plus its number, as
/// shells report it.
pub fn signal_exit_code(name: &str) -> u8 {
    TERMINATING
        .iter()
        .find(|(_, n)| *n == name)
        .and_then(|(number, _)| u8::try_from(128 + number).ok())
        .unwrap_or(143)
}

/// Where a message for a person goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Out,
    Err,
}

/// Writes a message for a person, every line through [`crate::text::terminal`] so nothing
/// quoted from a file (a name, a path, a RON error) can drive the terminal. A stream that
/// is closed or gone is ignored: there is nobody left to tell, and it is never a panic.
pub fn message(stream: Stream, text: &str) {
    let mut clean: String = text
        .split('\n')
        .map(crate::text::terminal)
        .collect::<Vec<_>>()
        .join("\n");
    clean.push('\n');
    let _ = match stream {
        Stream::Out => write_all_flush(&mut io::stdout().lock(), clean.as_bytes()),
        Stream::Err => write_all_flush(&mut io::stderr().lock(), clean.as_bytes()),
    };
}

fn write_all_flush(to: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    to.write_all(bytes)?;
    to.flush()
}

/// Writes `bytes` to standard output and flushes. A reader that went away (`| head`, a
/// closed terminal) is not an error: there is nobody left to tell.
pub fn print_out(bytes: &[u8]) -> io::Result<()> {
    match write_all_flush(&mut io::stdout().lock(), bytes) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Rings the terminal bell.
pub fn bell() {
    let mut stdout = io::stdout();
    let _ = stdout.write_all(b"\x07");
    let _ = stdout.flush();
}

/// On panic: restore the terminal first, so the message is readable, write it to the crash
/// log, then let the default hook print it. The message never holds notes: the core keeps
/// them out of panics, and they are not formatted into any assertion.
pub fn install_panic_hook(crash_log: Option<PathBuf>) {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        let Some(crash_log) = &crash_log else {
            default(info);
            return;
        };
        let entry = format!(
            "{} holdspace {} panicked: {info}\n",
            chrono::Local::now().to_rfc3339(),
            env!("CARGO_PKG_VERSION")
        );
        let logged = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(crash_log)
            .and_then(|mut file| {
                use std::os::unix::fs::PermissionsExt;
                file.set_permissions(std::fs::Permissions::from_mode(crate::storage::FILE_MODE))?;
                file.write_all(entry.as_bytes())
            });
        default(info);
        match logged {
            Ok(()) => message(
                Stream::Err,
                &format!(
                    "holdspace: this crash was logged to {}. Everything up to it is in the journal: \
                     run `holdspace run` again to resume.",
                    crash_log.display()
                ),
            ),
            Err(error) => message(
                Stream::Err,
                &format!(
                    "holdspace: could not write the crash log {}: {error}",
                    crash_log.display()
                ),
            ),
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_128_plus_the_signal() {
        assert_eq!(signal_exit_code("SIGHUP"), 129);
        assert_eq!(signal_exit_code("SIGINT"), 130);
        assert_eq!(signal_exit_code("SIGQUIT"), 131);
        assert_eq!(signal_exit_code("SIGUSR1"), 138);
        assert_eq!(signal_exit_code("SIGUSR2"), 140);
        assert_eq!(signal_exit_code("SIGTERM"), 143);
    }

    #[test]
    fn restore_without_set_up_writes_nothing_and_never_fails() {
        restore();
        restore();
        assert!(!ENTERED.load(Ordering::SeqCst));
    }

    #[test]
    fn signals_install_inside_a_runtime() -> io::Result<()> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        runtime.block_on(async {
            let mut signals = Signals::install()?;
            signal_hook::low_level::raise(signal_hook::consts::SIGUSR2)?;
            let got = tokio::time::timeout(std::time::Duration::from_secs(5), signals.next()).await;
            assert_eq!(got.ok(), Some(SignalEvent::Terminate("SIGUSR2")));
            signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
            let got = tokio::time::timeout(std::time::Duration::from_secs(5), signals.next()).await;
            assert_eq!(got.ok(), Some(SignalEvent::Suspend), "handled, not stopped");
            Ok(())
        })
    }
}
