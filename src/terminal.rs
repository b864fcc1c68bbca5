//! Terminal set-up and restore: raw mode and the alternate screen are undone on every
//! exit — normal, error, panic and signal — and a panic is logged to the data dir.

use std::io::{self, Stdout, Write};
use std::path::PathBuf;

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Enters raw mode and the alternate screen, with mouse reporting on when asked.
pub fn init(mouse: bool) -> io::Result<Term> {
    enable_raw_mode()?;
    let mut stdout = io::stdout();
    let entered = execute!(stdout, EnterAlternateScreen, cursor::Hide).and_then(|()| {
        if mouse {
            execute!(stdout, EnableMouseCapture)
        } else {
            Ok(())
        }
    });
    if let Err(error) = entered {
        restore();
        return Err(error);
    }
    Terminal::new(CrosstermBackend::new(stdout)).inspect_err(|_| restore())
}

/// Leaves raw mode and the alternate screen. Safe to call more than once.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
}

/// The exit status of a program stopped by the signal `name`: 128 plus its number, as
/// shells report it.
pub fn signal_exit_code(name: &str) -> u8 {
    match name {
        "SIGHUP" => 129,
        "SIGINT" => 130,
        "SIGQUIT" => 131,
        "SIGUSR1" => 138,
        _ => 143,
    }
}

/// Writes `bytes` to standard output and flushes. A reader that went away (`| head`, a
/// closed terminal) is not an error: there is nobody left to tell.
pub fn print_out(bytes: &[u8]) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
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
            Ok(()) => eprintln!(
                "holdspace: this crash was logged to {}. Everything up to it is in the journal: \
                 run `holdspace run` again to resume.",
                crash_log.display()
            ),
            Err(error) => eprintln!(
                "holdspace: could not write the crash log {}: {error}",
                crash_log.display()
            ),
        }
    }));
}
