//! The session view's `n`: the progress notes of the open session written into a folder
//! the user types, as `holdspace notes` writes them. The browser asks for the folder
//! (default: `<notes_dir>/<summary stem>-notes`); the app writes ([`crate::notes::export`])
//! and, when files of an earlier export are there, hands the folder back to
//! [`Browser::notes_would_replace`], so Enter again on the same folder replaces them.

use std::path::{Path, PathBuf};

use super::browser::{Browser, Effect, Input, InputKind, Screen};

impl Browser {
    /// Asks where the open session's progress notes go.
    pub(super) fn start_notes_export(&mut self) {
        let Some(Screen::Session(screen)) = self.screen() else {
            return;
        };
        if screen.summary.is_err() || screen.conflict_of.is_some() {
            self.status = Some(
                "Open the summary itself to export its notes, not a damaged file or a conflict copy".into(),
            );
            return;
        }
        let default = self.notes_dir.join(notes_folder_name(&screen.path));
        self.input = Some(Input {
            kind: InputKind::Notes { existing: None },
            text: default.to_string_lossy().into_owned(),
        });
    }

    pub(super) fn finish_notes_export(&mut self, text: &str, existing: Option<PathBuf>) -> Option<Effect> {
        if text.is_empty() {
            self.status = Some("Notes export cancelled".into());
            return None;
        }
        let to = PathBuf::from(text);
        let summary = self.open_summary()?;
        let replace = existing.as_deref() == Some(to.as_path());
        Some(Effect::ExportNotes { summary, to, replace })
    }

    /// The app found files of an earlier export in `to`: ask again, and let Enter replace
    /// them.
    pub fn notes_would_replace(&mut self, to: PathBuf, taken: usize) {
        self.status = Some(format!(
            "{} already holds {taken} of these notes' files: ⏎ again replaces them, or change the folder",
            to.display()
        ));
        self.input = Some(Input {
            text: to.to_string_lossy().into_owned(),
            kind: InputKind::Notes { existing: Some(to) },
        });
    }

    /// The notes were not written to `to`, for `reason`: the prompt stays open with the
    /// folder typed, to correct it (or Esc).
    pub fn notes_refused(&mut self, to: &Path, reason: &str) {
        self.status = Some(format!("Notes not written: {reason}. Change the folder, or Esc"));
        self.input = Some(Input {
            text: to.to_string_lossy().into_owned(),
            kind: InputKind::Notes { existing: None },
        });
    }
}

/// `<stem>-notes` for the summary at `path` (`X.ron` or `X.ron.age` alike).
fn notes_folder_name(path: &Path) -> String {
    let stem = crate::vault::logical_path(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "session".into());
    format!("{stem}-notes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folder_is_named_after_the_summary_encrypted_or_not() {
        assert_eq!(
            notes_folder_name(Path::new("/s/2025-03-04_1800_anxiety.ron")),
            "2025-03-04_1800_anxiety-notes"
        );
        assert_eq!(
            notes_folder_name(Path::new("/s/2025-03-04_1800_anxiety.ron.age")),
            "2025-03-04_1800_anxiety-notes"
        );
    }
}
