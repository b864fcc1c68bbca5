//! Filing a finished wrap-up: saved beside its summary (its draft then goes), and, when
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
    pub wrapup: PathBuf,
    /// `None`: not asked; `Some(Err)`: the wrap-up is saved but the submission was refused.
    pub submitted: Option<Result<(), String>>,
}

/// Saves `wrapup` as finished beside `summary`; submits the session for supervision as
/// `submit_as` when given. On failure the reason, and the wrap-up kept as a draft.
pub fn file_wrapup(
    vault: &Vault,
    data: &DataDir,
    summary: &Path,
    wrapup: WrapUp,
    submit_as: Option<&str>,
) -> Result<Filed, (String, Box<WrapUp>)> {
    let wrapup = WrapUp {
        finished: true,
        ..wrapup.tidied()
    };
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
                wrapup: path,
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

/// Who submits: the roster's lead facilitator, else its first, else "facilitator".
pub fn submitter(facilitators: &[(String, bool)]) -> String {
    facilitators
        .iter()
        .find(|(_, lead)| *lead)
        .or(facilitators.first())
        .map_or_else(|| "facilitator".to_owned(), |(name, _)| name.clone())
}
