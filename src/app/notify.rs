//! Desktop notifications that can never block or crash the console.
//!
//! notify-rust's D-Bus call can fail at once (no daemon: CI, SSH, a bare console) or hang
//! (a broken daemon), so each notification is sent on its own task under a timeout, and
//! after the first failure the console falls back to its visual cue for the session.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Sends a warning's text somewhere the facilitator will notice. The text never holds a
/// member's name or a note: callers pass `Alert::message()`, built from plan text only.
pub trait Notifier {
    fn notify(&mut self, text: &str);
}

/// A desktop notification through the session's D-Bus.
pub struct Desktop {
    unavailable: Arc<AtomicBool>,
}

const SEND_TIMEOUT: Duration = Duration::from_secs(3);

impl Default for Desktop {
    fn default() -> Desktop {
        Desktop {
            unavailable: Arc::new(AtomicBool::new(false)),
        }
    }
}

impl Notifier for Desktop {
    fn notify(&mut self, text: &str) {
        if self.unavailable.load(Ordering::Relaxed) {
            return;
        }
        let unavailable = Arc::clone(&self.unavailable);
        let body = text.to_owned();
        tokio::spawn(async move {
            let mut notification = notify_rust::Notification::new();
            notification.appname("holdspace").summary("holdspace").body(&body);
            let sent = tokio::time::timeout(SEND_TIMEOUT, notification.show_async()).await;
            if !matches!(sent, Ok(Ok(_))) {
                unavailable.store(true, Ordering::Relaxed);
            }
        });
    }
}

/// Appends each notification's text to a file: set `HOLDSPACE_NOTIFY_LOG` to prove, in an
/// end-to-end test, what would have been shown.
pub struct Recorder {
    path: PathBuf,
}

impl Recorder {
    pub fn from_env() -> Option<Recorder> {
        std::env::var_os("HOLDSPACE_NOTIFY_LOG").map(|path| Recorder { path: path.into() })
    }
}

impl Notifier for Recorder {
    fn notify(&mut self, text: &str) {
        let _ = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .and_then(|mut file| writeln!(file, "{text}"));
    }
}
