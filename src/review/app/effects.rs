//! Carrying out what the browser's keys ask for: every file the browser reads or writes is
//! read or written here.

use std::path::PathBuf;

use super::super::browser::{Browser, Effect, ExportTarget, Screen};
use super::super::index::Index;
use super::super::output::{self, Refusal};
use super::super::{Format, export, load};
use crate::observations;
use crate::summary::read_summary;

/// What the app layer knows that the browser's state does not: where files are.
#[derive(Clone, Debug, Default)]
pub struct Files {
    pub observation_dirs: Vec<PathBuf>,
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
        Effect::OpenSession(path) => browser.push_session(load::session(&path, &files.observation_dirs)),
        Effect::OpenSeries { group, at } => {
            let series = load::series(&browser.index, &group);
            browser.push_series(series, at.as_deref());
        }
        Effect::OpenFlags => {
            let flags = load::flags(&browser.index);
            browser.push_flags(flags);
        }
        Effect::Export { target, to, replace } => export_to(browser, target, to, replace, files),
    }
    Flow::Continue
}

/// A key, then its effect: what the event loop and the in-process tests both do.
pub fn key(browser: &mut Browser, key: crossterm::event::KeyEvent, files: &Files) -> Flow {
    match browser.key(key) {
        Some(effect) => perform(browser, effect, files),
        None => Flow::Continue,
    }
}

/// A new scan: the list follows it and every open screen reads its files again.
pub fn refresh(browser: &mut Browser, index: Index, files: &Files) {
    browser.refresh(index);
    for at in 0..browser.screens.len() {
        let fresh = match &browser.screens[at] {
            Screen::Session(old) => {
                Screen::Session(Box::new(load::session(&old.path, &files.observation_dirs)))
            }
            Screen::Series(old) => Screen::Series(Box::new(super::super::browser::SeriesScreen::new(
                load::series(&browser.index, &old.series.group),
            ))),
            Screen::Flags(_) => Screen::Flags(load::flags(&browser.index)),
        };
        browser.replace_screen(at, fresh);
    }
}

fn export_to(browser: &mut Browser, target: ExportTarget, to: PathBuf, replace: bool, files: &Files) {
    let Some(format) = Format::from_path(&to) else {
        browser.status = Some("Export: name the file .html or .md".into());
        return;
    };
    let (rendered, source) = match target {
        ExportTarget::Session(source) => match read_summary(&source) {
            Ok(summary) => {
                let (obs, _) = observations::matching(&files.observation_dirs, &summary.title, &summary.date);
                (export::session(format, &summary, &obs), Some(source))
            }
            Err(e) => {
                browser.status = Some(format!("Export failed: {}", super::super::index::reason(&e)));
                return;
            }
        },
        ExportTarget::Group(group) => (export::group(format, &load::series(&browser.index, &group)), None),
    };
    let sources: Vec<&std::path::Path> = source.iter().map(PathBuf::as_path).collect();
    browser.status = Some(
        match output::write_export(&to, rendered.as_bytes(), &sources, &browser.index.dir, replace) {
            Ok(()) => format!("Exported to {}", to.display()),
            Err(Refusal::Exists(to)) => {
                browser.export_would_replace(to);
                return;
            }
            Err(refusal) => format!("Export refused: {refusal}"),
        },
    );
}
