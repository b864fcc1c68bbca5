//! Carrying out what the browser's keys ask for: every file the browser reads or writes is
//! read or written here.

use std::path::{Path, PathBuf};

use super::super::browser::{Browser, Effect, ExportTarget, FlagsScreen, Screen, SessionScreen};
use super::super::index::{Beside, Index};
use super::super::output::{self, Refusal};
use super::super::{Format, export, load};
use crate::notes::export::{ExportError, Exported};
use crate::storage::DataDir;
use crate::supervision::{Request, store};
use crate::vault::Vault;

/// What the app layer knows that the browser's state does not: where files are, and how
/// they are opened and sealed.
#[derive(Clone, Debug, Default)]
pub struct Files {
    pub observation_dirs: Vec<PathBuf>,
    /// Opens encrypted files, and seals supervision records.
    pub vault: Vault,
    /// Seals exports: the vault itself, or plain when the user asked for a plain copy.
    pub exports: Vault,
    /// This machine's data dir: where a wrap-up's unsaved draft is, and where progress
    /// notes go by default.
    pub data: Option<DataDir>,
    /// The names of the files beside the folder's summaries, as last listed.
    pub beside: Beside,
}

/// Whether the browser goes on after an effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

/// Carries out `effect`, handing what it read back to the browser.
pub fn perform(browser: &mut Browser, effect: Effect, files: &Files) -> Flow {
    match effect {
        Effect::Quit => return Flow::Quit,
        Effect::OpenSession(path) => {
            let screen = read_session(&path, &browser.index, files);
            browser.push_session(screen);
        }
        Effect::OpenSeries { group, at } => {
            let series = load::series(&browser.index, &group, &files.vault);
            browser.push_series(series, at.as_deref());
        }
        Effect::OpenFlags => browser.push_flags(FlagsScreen::from_index(&browser.index)),
        Effect::Export { target, to, replace } => export_to(browser, target, to, replace, files),
        Effect::ExportNotes { summary, to, replace } => export_notes(browser, &summary, to, replace, files),
        Effect::Supervise {
            path,
            request,
            author,
            text,
        } => {
            let now = chrono::Local::now().fixed_offset();
            browser.status = Some(
                match store::act(&path, &request, &author, &text, now, &files.vault) {
                    Ok(_) => format!("Recorded: {}", done(&request)),
                    // The session is the one open: its path would only push the reason off
                    // the screen.
                    Err(store::ActError::Refused { refused, .. }) => format!("Not recorded: {refused}"),
                    Err(error) => error.to_string(),
                },
            );
            // The record is a new file in the folder: this screen and its row follow it now
            // (the folder's watcher rescans the rest in the background); the list keeps its
            // place.
            reread_screens(browser, files);
            if let Some(Screen::Session(screen)) = browser.screens.last() {
                let supervised = screen.supervised.clone();
                browser.update_review(&path, &supervised);
            }
        }
    }
    Flow::Continue
}

/// Past tense of a request, for the status line.
fn done(request: &Request) -> &'static str {
    match request {
        Request::Submit => "submitted for sign-off",
        Request::Sign => "signed off",
        Request::Return => "returned with your comment",
        Request::Comment(_) => "your comment",
        Request::Addendum => "your addendum",
    }
}

/// A key, then its effect: what the event loop and the in-process tests both do.
pub fn key(browser: &mut Browser, key: crossterm::event::KeyEvent, files: &Files) -> Flow {
    let flow = match browser.key(key) {
        Some(effect) => perform(browser, effect, files),
        None => Flow::Continue,
    };
    fill(browser, files);
    flow
}

/// Reads what the screen on top is about to show and has not read yet: the flags screen's
/// notes of the page around the selection.
pub fn fill(browser: &mut Browser, files: &Files) {
    // The list's rows: the terminal less the title, bottom line and two header lines.
    let around = usize::from(browser.size.1.saturating_sub(4));
    if let Some(Screen::Flags(flags)) = browser.screens.last_mut() {
        load::fill_flags(flags, around, &files.vault);
    }
}

/// A session read now, with what `files` says belongs to it: trainees' observations, and a
/// draft of its wrap-up left on this machine.
fn read_session(path: &Path, index: &Index, files: &Files) -> SessionScreen {
    load::session(
        path,
        &files.observation_dirs,
        index,
        &files.beside,
        &files.vault,
        files.data.as_ref(),
    )
}

/// A new scan: the list follows it and every open screen reads its files again.
pub fn refresh(browser: &mut Browser, index: Index, files: &Files) {
    browser.refresh(index);
    reread_screens(browser, files);
}

/// Every open screen reads its files again.
fn reread_screens(browser: &mut Browser, files: &Files) {
    for at in 0..browser.screens.len() {
        let fresh = match &browser.screens[at] {
            Screen::Session(old) => Screen::Session(Box::new(read_session(&old.path, &browser.index, files))),
            Screen::Series(old) => Screen::Series(Box::new(super::super::browser::SeriesScreen::new(
                load::series(&browser.index, &old.series.group, &files.vault),
            ))),
            Screen::Flags(_) => Screen::Flags(FlagsScreen::from_index(&browser.index)),
        };
        browser.replace_screen(at, fresh);
    }
    fill(browser, files);
}

fn export_to(browser: &mut Browser, target: ExportTarget, to: PathBuf, replace: bool, files: &Files) {
    let Some(format) = Format::from_path(&to) else {
        browser.export_refused(&to, "name the file .html or .md");
        return;
    };
    let (rendered, source) = match target {
        ExportTarget::Session(source) => {
            let opened = read_session(&source, &browser.index, files);
            match &opened.summary {
                Ok(summary) => (
                    export::session(
                        format,
                        summary,
                        &opened.observations,
                        &opened.supervised,
                        &opened.wrapup,
                        &opened.problems,
                    ),
                    Some(source),
                ),
                Err(reason) => {
                    browser.status = Some(format!("Export failed: {reason}"));
                    return;
                }
            }
        }
        ExportTarget::Group(group) => (
            export::group(format, &load::series(&browser.index, &group, &files.vault)),
            None,
        ),
    };
    let sources: Vec<&Path> = source.iter().map(PathBuf::as_path).collect();
    // The data dir's exports folder is made the first time it is used, and kept
    // owner-only: the reports in it are clinical records.
    if let Some(data) = &files.data
        && to.parent() == Some(data.exports().as_path())
        && let Err(error) = crate::storage::ensure_private_dir(&data.exports()).and_then(|()| {
            std::fs::set_permissions(
                data.exports(),
                std::os::unix::fs::PermissionsExt::from_mode(crate::storage::DIR_MODE),
            )
        })
    {
        browser.export_refused(&to, &error.to_string());
        return;
    }
    let written = output::write_export(
        &to,
        rendered.as_bytes(),
        &sources,
        &browser.index.dir,
        replace,
        &files.exports,
    );
    match written {
        Ok(path) => browser.status = Some(format!("Exported to {}", path.display())),
        // Asked again under the name typed, which Enter then replaces.
        Err(Refusal::Exists(_)) => browser.export_would_replace(to),
        Err(refusal) => browser.export_refused(&to, &refusal.to_string()),
    }
}

/// The progress notes, written through the config's vault exactly as `holdspace notes`
/// writes them; files of an earlier export there are replaced only once confirmed.
fn export_notes(browser: &mut Browser, summary: &Path, to: PathBuf, replace: bool, files: &Files) {
    match crate::notes::export::export(&files.vault, summary, None, &to, replace) {
        Ok(exported) => browser.status = Some(notes_written(&exported)),
        Err(ExportError::Exists(taken)) => browser.notes_would_replace(to, taken.len()),
        Err(error) => browser.notes_refused(&to, &error.to_string()),
    }
}

/// What the notes export wrote, for the status line, with what to check.
fn notes_written(exported: &Exported) -> String {
    let mut said = vec![format!(
        "Wrote {} files to {}{}",
        exported.written.len(),
        exported.dir.display(),
        if exported.sealed { " (encrypted, .age)" } else { "" }
    )];
    if let Some(notice) = exported.basis.notice() {
        said.push(notice.trim_end_matches('.').to_owned());
    }
    match exported.warnings().len() {
        0 => {}
        n => said.push(format!(
            "{n} word(s) may name a member: `holdspace notes` lists them to check before filing"
        )),
    }
    format!("{}.", said.join("; "))
}
