//! `holdspace wrapup [SUMMARY]`: finish (or correct) a session's wrap-up after the console
//! has closed — the newest one not finished when no summary is named.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::{CommonArgs, fail, open_vault};
use crate::app::{Earlier, WrapUpOutcome, WrapUpSetup, run_wrapup};
use crate::keymap::Keymap;
use crate::notes::{SeriesKey, WrapUp, read_draft, read_wrapup, summary_files};
use crate::storage::DataDir;
use crate::summary::{Summary, read_summary_with};
use crate::supervision::{Status, store};
use crate::terminal::{Stream, message, signal_exit_code};
use crate::vault::Vault;
use crate::{config, theme};

/// `holdspace wrapup`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  holdspace wrapup                      the newest session whose wrap-up is not finished
  holdspace wrapup ~/.local/share/holdspace/summaries/2025-03-04_1800_managing-anxiety.ron

Every change is kept as a draft as you type; Ctrl-s saves the wrap-up beside the summary,
Esc (or Ctrl-c) leaves it to finish later. A saved wrap-up can be opened again to correct it.")]
pub struct WrapupArgs {
    /// The session's summary (`….ron`, or `….ron.age` when encrypted). Default: the newest
    /// summary in the data dir whose wrap-up is not finished.
    #[arg(value_name = "SUMMARY")]
    pub summary: Option<PathBuf>,
    /// Open the wrap-up of a session a supervisor has signed off anyway: saving it makes
    /// the review say "changed after sign-off" (corrections after sign-off are addenda:
    /// `holdspace review --addendum`).
    #[arg(long)]
    pub after_sign_off: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

pub fn main(args: &WrapupArgs) -> ExitCode {
    let setup = match setup(args) {
        Ok(setup) => setup,
        Err(error) => return fail(&error),
    };
    let summary = setup.summary.clone();
    match run_wrapup(setup) {
        Ok(WrapUpOutcome::Saved { wrapup, submitted }) => {
            message(
                Stream::Out,
                &format!(
                    "{}{}",
                    wrapup.words(&summary, args.after_sign_off),
                    super::submission(submitted.as_ref(), &summary)
                ),
            );
            ExitCode::SUCCESS
        }
        Ok(WrapUpOutcome::Later(draft)) => {
            message(Stream::Out, &later(draft.as_deref()));
            ExitCode::SUCCESS
        }
        Ok(WrapUpOutcome::Signal { name, draft }) => {
            message(
                Stream::Err,
                &format!("holdspace: stopped by {name}. {}", later(draft.as_deref())),
            );
            ExitCode::from(signal_exit_code(name))
        }
        Err(error) => fail(&error),
    }
}

fn later(draft: Option<&Path>) -> String {
    match draft {
        Some(_) => {
            "The wrap-up is not finished; its draft is kept: `holdspace wrapup` goes on with it.".into()
        }
        None => "The wrap-up is not finished, and its draft could not be kept.".into(),
    }
}

fn setup(args: &WrapupArgs) -> Result<WrapUpSetup, String> {
    let config = config::resolve(args.common.config.as_deref(), true);
    let theme = theme::for_session(args.common.theme.as_deref(), &config.theme)
        .map_err(|e| format!("the theme did not load:\n{e}"))?;
    let (keys, _) = Keymap::with_overrides(&config.keys);
    let data = DataDir::resolve(args.common.data_dir.as_deref(), config.data_dir.as_deref());
    // Any passphrase is asked now, before the editor takes the terminal.
    let vault = open_vault(&config)
        .and_then(|v| v.prepare().map(|()| v).map_err(|e| e.to_string()))
        .map_err(|e| format!("encryption: {e}"))?;
    let (path, summary) = match &args.summary {
        Some(path) => {
            let summary = read_summary_with(path, &vault).map_err(|e| e.to_string())?;
            (path.clone(), summary)
        }
        None => newest_unfinished(&data, &vault)?,
    };
    // A conflict copy is one version of the summary, not the record: a wrap-up beside it
    // would belong to neither.
    if crate::storage::is_conflict_copy(&path) {
        return Err(format!(
            "{} is a conflict copy a synced folder left, not the record: open the summary itself \
             (compare the two, keep one, then write its wrap-up)",
            path.display()
        ));
    }
    if !args.after_sign_off {
        refuse_if_signed(&path, &vault)?;
    }
    let wrapup = starting_point(
        &path,
        &summary,
        &data,
        &vault,
        config.note_template.unwrap_or_default(),
    )?;
    let previous_plans = summary
        .series
        .as_ref()
        .map(|series| {
            let key = SeriesKey {
                group: &summary.group,
                series: &series.name,
                session: series.session,
            };
            Earlier::before(key, &data, &vault).plans
        })
        .unwrap_or_default();
    let facilitators: Vec<(String, bool)> = summary
        .facilitators
        .iter()
        .map(|f| (f.name.clone(), f.role == "lead"))
        .collect();
    Ok(WrapUpSetup {
        summary: path,
        wrapup,
        previous_plans,
        submitter: crate::app::submitter(&facilitators),
        keys,
        theme,
        data,
        vault,
    })
}

/// Where editing starts: the draft of unsaved changes, else the saved wrap-up (to correct
/// it), else a new one made from the summary.
fn starting_point(
    path: &Path,
    summary: &Summary,
    data: &DataDir,
    vault: &Vault,
    template: crate::notes::Template,
) -> Result<WrapUp, String> {
    let draft = read_draft(vault, data, &summary.session_id)
        .and_then(Result::ok)
        .filter(|draft| draft.session_id == summary.session_id);
    if let Some(draft) = draft {
        return Ok(draft);
    }
    match read_wrapup(vault, path) {
        None => Ok(WrapUp::from_summary(summary, template)),
        Some(Ok(saved)) if saved.session_id == summary.session_id => Ok(saved),
        Some(Ok(saved)) => Err(format!(
            "the wrap-up beside {} belongs to another session ({}, not {})",
            path.display(),
            saved.session_id,
            summary.session_id
        )),
        Some(Err(error)) => Err(error.to_string()),
    }
}

/// The newest summary in the data dir whose wrap-up is not saved as finished (or has
/// unsaved changes in a draft).
/// A signed session's wrap-up is not to be changed without being told: saving it would make
/// the sign-off say "changed after sign-off".
fn refuse_if_signed(path: &Path, vault: &Vault) -> Result<(), String> {
    let (review, _) = store::review_of(path, vault);
    match (review.status, review.signed) {
        (Status::Signed, Some(signed)) => Err(format!(
            "{} is signed off by {} ({}): a wrap-up saved now makes the review say \
             \"changed after sign-off\". Corrections after sign-off are addenda: \
             holdspace review --addendum SUMMARY --as NAME --comment TEXT. To open the \
             wrap-up anyway: holdspace wrapup --after-sign-off SUMMARY",
            path.display(),
            signed.by,
            signed.at
        )),
        _ => Ok(()),
    }
}

fn newest_unfinished(data: &DataDir, vault: &Vault) -> Result<(PathBuf, Summary), String> {
    let dir = data.summaries();
    let mut files = summary_files(&dir);
    // Summaries are named by date and time: the newest last.
    files.reverse();
    for path in files {
        // A finished wrap-up without a draft is done: passed over without reading its
        // summary (a year of sessions is mostly these).
        let done = read_wrapup(vault, &path)
            .and_then(Result::ok)
            .is_some_and(|w| w.finished && read_draft(vault, data, &w.session_id).is_none());
        if done {
            continue;
        }
        // A signed session is corrected by addenda, not by finishing its wrap-up now; a
        // conflict copy is not the record.
        if crate::storage::is_conflict_copy(&path)
            || store::review_of(&path, vault).0.status == Status::Signed
        {
            continue;
        }
        if let Ok(summary) = read_summary_with(&path, vault) {
            return Ok((path, summary));
        }
    }
    Err(format!(
        "every summary in {} has a finished wrap-up; name one to correct it: holdspace wrapup SUMMARY",
        dir.display()
    ))
}
