//! Filing a wrap-up: saved beside its summary (its draft then goes), and, when
//! the facilitator asks, the session submitted for supervision in the same step. Shared by
//! the console's end and `holdspace wrapup`.

use std::path::{Path, PathBuf};

use crate::notes::{WrapUp, remove_draft, write_draft, write_wrapup};
use crate::storage::DataDir;
use crate::supervision::Request;
use crate::supervision::store::act;
use crate::vault::Vault;

/// A wrap-up saved, and what submitting said when it was asked for.
pub struct Filed {
    pub wrapup: SavedWrapUp,
    /// `None`: not asked; `Some(Err)`: the wrap-up is saved but the submission was refused.
    pub submitted: Option<Result<(), String>>,
}

/// Saves `wrapup` beside `summary`, marked finished only when nothing is still to do (so
/// `holdspace wrapup` and `holdspace notes` both go on calling a half-done one unfinished);
/// submits the session for supervision as `submit_as` when given. On failure the reason,
/// and the wrap-up kept as a draft.
pub fn file_wrapup(
    vault: &Vault,
    data: &DataDir,
    summary: &Path,
    wrapup: WrapUp,
    submit_as: Option<&str>,
) -> Result<Filed, (String, Box<WrapUp>)> {
    let wrapup = wrapup.tidied();
    let wrapup = WrapUp {
        finished: wrapup.is_complete(),
        ..wrapup
    };
    let to_do = wrapup.missing().len();
    match write_wrapup(vault, summary, &wrapup) {
        Ok(path) => {
            remove_draft(data, &wrapup.session_id);
            let submitted = submit_as.map(|author| {
                let now = chrono::Local::now().fixed_offset();
                act(summary, &Request::Submit, author, "", now, vault)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            });
            Ok(Filed {
                wrapup: SavedWrapUp { path, to_do },
                submitted,
            })
        }
        Err(error) => {
            let kept = match write_draft(vault, data, &wrapup) {
                Ok(_) => "Its draft is kept.",
                Err(_) => "Its draft could not be kept either.",
            };
            Err((
                format!("The wrap-up was not saved: {error}. {kept}"),
                Box::new(wrapup),
            ))
        }
    }
}

/// Where a wrap-up was saved, and how much of it is still to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedWrapUp {
    pub path: PathBuf,
    /// What still stops it from being finished (0: finished).
    pub to_do: usize,
}

impl SavedWrapUp {
    /// What the exit message says of it: where it is, and when half done, how to finish it
    /// (`after_sign_off`: with the flag a signed session's wrap-up needs).
    pub fn words(&self, summary: &Path, after_sign_off: bool) -> String {
        if self.to_do == 0 {
            return format!("Wrap-up saved:\n  {}", self.path.display());
        }
        let flag = if after_sign_off { "--after-sign-off " } else { "" };
        format!(
            "Wrap-up saved, not finished ({} still to do):\n  {}\n`holdspace wrapup {flag}{}` finishes it.",
            self.to_do,
            self.path.display(),
            summary.display()
        )
    }
}

/// Who submits: the roster's lead facilitator, else its first, else "facilitator".
pub fn submitter(facilitators: &[(String, bool)]) -> String {
    facilitators
        .iter()
        .find(|(_, lead)| *lead)
        .or(facilitators.first())
        .map_or_else(|| "facilitator".to_owned(), |(name, _)| name.clone())
}
