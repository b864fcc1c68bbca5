//! Warnings as time passes: the plan's thresholds, time up, a speaker's time up. Each is
//! given once, the way the config asks (a desktop notification, the bell, a flash).

use super::notify::Notifier;
use crate::config::Alert as AlertStyle;
use crate::session::{Millis, State, alerts_between};

/// How long a warning flashes the countdown.
const FLASH_MS: Millis = 1500;

pub struct Alerts {
    styles: Vec<AlertStyle>,
    notifier: Box<dyn Notifier>,
    flash_until: Option<Millis>,
    /// Warnings up to this moment have been given.
    checked_to: Millis,
}

impl Alerts {
    pub fn new(styles: Vec<AlertStyle>, notifier: Box<dyn Notifier>, now: Millis) -> Alerts {
        Alerts {
            styles,
            notifier,
            flash_until: None,
            checked_to: now,
        }
    }

    /// Gives every warning due since the last check; true when the bell should ring.
    pub fn check(&mut self, state: &State, now: Millis) -> bool {
        let mut bell = false;
        for alert in alerts_between(state, self.checked_to, now) {
            for style in &self.styles {
                match style {
                    AlertStyle::Desktop => self.notifier.notify(&alert.message()),
                    AlertStyle::Bell => bell = true,
                    AlertStyle::Flash => self.flash_until = Some(now + FLASH_MS),
                }
            }
        }
        self.checked_to = now;
        bell
    }

    /// The session changed by hand (an extension, a jump): warnings count from now.
    pub fn restart_from(&mut self, now: Millis) {
        self.checked_to = now;
    }

    pub fn flashing(&self, now: Millis) -> bool {
        self.flash_until.is_some_and(|until| now < until)
    }

    /// When the flash ends, if one is under way.
    pub fn next_change(&self, now: Millis) -> Option<Millis> {
        self.flash_until.filter(|until| *until > now)
    }
}
