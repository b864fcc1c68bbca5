//! The line above the hints: several independent messages, each in its own slot, so one
//! never hides another. A failed save always comes first; passing news goes away by itself.

use crate::session::Millis;

/// How long passing news (a reload, a resume, a saved file) stays on screen.
pub const NEWS_MS: Millis = 12_000;

/// Where a message comes from; the line shows them in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Slot {
    /// The journal cannot be written: stays until it can.
    Disk,
    /// Sharing with trainees: the address, the code, who is linked.
    Sharing,
    /// A trainee's link to the facilitator.
    Following,
    /// The plan file: a reload or an error in the edited file.
    Plan,
    /// Anything else worth a moment's notice: a resume, a saved file, a refused key.
    News,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Banner {
    slot: Slot,
    text: String,
    /// When it goes away by itself; `None` stays until replaced or cleared.
    until: Option<Millis>,
}

#[derive(Debug, Clone, Default)]
pub struct Banners {
    shown: Vec<Banner>,
}

impl Banners {
    /// Puts `text` in `slot` until it is replaced or cleared.
    pub fn set(&mut self, slot: Slot, text: impl Into<String>) {
        self.put(slot, text.into(), None);
    }

    /// Puts `text` in `slot` until `until`.
    pub fn set_until(&mut self, slot: Slot, text: impl Into<String>, until: Millis) {
        self.put(slot, text.into(), Some(until));
    }

    fn put(&mut self, slot: Slot, text: String, until: Option<Millis>) {
        self.shown.retain(|b| b.slot != slot);
        self.shown.push(Banner { slot, text, until });
        self.shown.sort_by_key(|b| b.slot);
    }

    /// What `slot` says, if anything (expired or not).
    pub fn get(&self, slot: Slot) -> Option<&str> {
        self.shown
            .iter()
            .find(|b| b.slot == slot)
            .map(|b| b.text.as_str())
    }

    pub fn clear(&mut self, slot: Slot) {
        self.shown.retain(|b| b.slot != slot);
    }

    /// Everything shown at `now`, in slot order, joined; `None` when there is nothing.
    pub fn line(&self, now: Millis) -> Option<String> {
        let parts: Vec<&str> = self
            .shown
            .iter()
            .filter(|b| b.until.is_none_or(|until| now < until))
            .map(|b| b.text.as_str())
            .collect();
        (!parts.is_empty()).then(|| parts.join("  │  "))
    }

    /// The next moment a message goes away by itself.
    pub fn next_expiry(&self, now: Millis) -> Option<Millis> {
        self.shown
            .iter()
            .filter_map(|b| b.until)
            .filter(|until| *until > now)
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_independent_and_news_passes() {
        let mut banners = Banners::default();
        banners.set_until(Slot::News, "Resumed", 10_000);
        banners.set(Slot::Disk, "NOT SAVED");
        banners.set(Slot::Plan, "Plan reloaded");
        assert_eq!(
            banners.line(0).as_deref(),
            Some("NOT SAVED  │  Plan reloaded  │  Resumed")
        );
        assert_eq!(banners.next_expiry(0), Some(10_000));
        assert_eq!(
            banners.line(10_000).as_deref(),
            Some("NOT SAVED  │  Plan reloaded")
        );
        banners.set(Slot::Plan, "The edited plan has an error");
        banners.clear(Slot::Disk);
        assert_eq!(
            banners.line(10_000).as_deref(),
            Some("The edited plan has an error")
        );
        banners.clear(Slot::Plan);
        assert_eq!(banners.line(10_000), None);
    }
}
