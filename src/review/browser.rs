//! The browser's state and what each key does to it. No terminal and no files here: the
//! screens are drawn from this by [`super::ui`]; a key that needs a file read or written
//! returns an [`Effect`] that [`super::app`] carries out, handing back what it read.
//!
//! Screens stack above the list: Enter opens a session, `g` a group's series, `F` every
//! flag; Esc or Backspace goes back one. Files are read when a screen opens (and again
//! when the folder changes), so a screen never shows what a file no longer says. Scrolling
//! is bounded by each screen's layout model ([`super::doc`]), built once per width.

use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::doc::{self, Doc};
use super::filter::{Filter, Sort};
pub use super::flags::FlagsScreen;
use super::index::{Index, Row};
use super::keys::Keys;
use super::series::Series;
use super::wrapup::Found;
use crate::observations::{Attached, ObservationNote};
use crate::storage::slug;
use crate::summary::{NoteSummary, Summary};
use crate::supervision::{Refused, Request, Review, Status, Target, decide, note_key};

/// What a key asks the app layer to do: everything that reads or writes a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    Quit,
    /// Read this summary (and what belongs with it) and open it.
    OpenSession(PathBuf),
    /// Read the group's summaries and open its series, at the session `at` if given.
    OpenSeries {
        group: String,
        at: Option<PathBuf>,
    },
    /// Read every flagged summary and open the flags.
    OpenFlags,
    /// Write an export. An existing file is replaced only with `replace`.
    Export {
        target: ExportTarget,
        to: PathBuf,
        replace: bool,
    },
    /// Write the progress notes of the summary at `summary` into the folder `to`, as
    /// `holdspace notes` does; files already there are replaced only with `replace`.
    ExportNotes {
        summary: PathBuf,
        to: PathBuf,
        replace: bool,
    },
    /// Record a supervision action beside the summary at `path`, by `author`.
    Supervise {
        path: PathBuf,
        request: Request,
        author: String,
        text: String,
    },
}

/// What an export is of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportTarget {
    /// One summary file.
    Session(PathBuf),
    /// A group's series, by the group's name.
    Group(String),
}

/// A summary's supervision as opened: its records folded, and whether it changed since it
/// was signed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Supervised {
    pub review: Review,
    pub changed_after_sign_off: bool,
    /// Submitted, and the summary is not what was submitted any more.
    pub changed_since_submitted: bool,
    /// Records beside the summary that did not open: its status may be newer than shown.
    pub unread_records: usize,
    /// This file is a synced folder's conflict copy of that summary: its supervision is
    /// the original's, and what it prints must say it is not the record.
    pub conflict_of: Option<String>,
}

/// One session, opened.
#[derive(Clone, Debug)]
pub struct SessionScreen {
    pub path: PathBuf,
    /// The summary, or why it did not open.
    pub summary: Result<Summary, String>,
    /// Trainees' observations of this session.
    pub observations: Vec<Attached>,
    pub supervised: Supervised,
    /// This file is a Syncthing conflict copy of the summary with this name.
    pub conflict_of: Option<String>,
    /// Observation files and review records that did not open.
    pub problems: Vec<String>,
    /// The session's wrap-up, or why there is none to show.
    pub wrapup: Found,
    /// First line of the document shown.
    pub scroll: usize,
    /// The document as laid out for the last width.
    pub doc: Doc,
}

impl SessionScreen {
    pub fn new(path: PathBuf, summary: Result<Summary, String>) -> SessionScreen {
        SessionScreen {
            path,
            summary,
            observations: Vec::new(),
            supervised: Supervised::default(),
            conflict_of: None,
            problems: Vec::new(),
            wrapup: Found::default(),
            scroll: 0,
            doc: Doc::default(),
        }
    }

    /// What a comment can be about here: the session, each facilitator's note, each
    /// trainee's observation; with a label for the chooser.
    pub fn comment_targets(&self) -> Vec<(String, Target)> {
        // Tags as the session view shows them: `[risk, sleep] `.
        let tagged = |tags: &[String]| {
            if tags.is_empty() {
                String::new()
            } else {
                format!("[{}] ", tags.join(", "))
            }
        };
        let mut out = vec![("The session as a whole".to_owned(), Target::Session)];
        if let Ok(s) = &self.summary {
            // In the order they were written, as the session view lists them.
            let mut notes: Vec<&NoteSummary> = s.notes.iter().collect();
            notes.sort_by(|a, b| a.at.cmp(&b.at));
            for n in notes {
                let withdrawn = if n.withdrawn.is_some() { "(withdrawn) " } else { "" };
                let label = format!(
                    "{} {withdrawn}{}{}: {}",
                    n.at.get(..5).unwrap_or(&n.at),
                    tagged(&n.tags),
                    n.about,
                    n.text
                );
                out.push((label, Target::Note(note_key(&n.at, &n.about, &n.text))));
            }
        }
        // A conflict copy is not the trainee's record: comments go on the file itself.
        for a in self.observations.iter().filter(|a| !a.is_conflict_copy()) {
            let mut notes: Vec<&ObservationNote> = a.observations.notes.iter().collect();
            notes.sort_by(|x, y| x.at.cmp(&y.at));
            for n in notes {
                let label = format!(
                    "{} (trainee) {} {}{}: {}",
                    a.observations.trainee,
                    n.at.get(..5).unwrap_or(&n.at),
                    tagged(&n.tags),
                    n.about,
                    n.text
                );
                out.push((
                    label,
                    Target::Observation {
                        trainee: a.observations.trainee.clone(),
                        note: note_key(&n.at, &n.about, &n.text),
                    },
                ));
            }
        }
        out
    }

    /// Why `request` by `author` (not known yet: `None`) would be refused now, as far as
    /// this screen knows; what the prompt is to say (a comment) is not asked for here.
    pub fn refusal(&self, request: &Request, author: Option<&str>) -> Option<Refused> {
        let summary = self.summary.as_ref().ok()?;
        let facilitators: Vec<String> = summary.facilitators.iter().map(|f| f.name.clone()).collect();
        let supervised = &self.supervised;
        let changed = if supervised.review.status == Status::Submitted {
            supervised.changed_since_submitted
        } else {
            supervised.changed_after_sign_off
        };
        // A name no one has, while the real one is still to be asked.
        let name = author.unwrap_or("\u{1}");
        match decide(&supervised.review, request, name, "…", changed, &facilitators) {
            Err(Refused::OwnSession { .. } | Refused::NotFacilitator(_)) if author.is_none() => None,
            Err(refused) => Some(refused),
            Ok(()) => None,
        }
    }

    /// What a supervisor about to sign this session should know first: that it is not
    /// what was submitted or signed before, or that its wrap-up is not finished (a wrap-up
    /// saved after sign-off shows as a change after it).
    pub fn sign_warnings(&self) -> Vec<String> {
        let mut said = Vec::new();
        let supervised = &self.supervised;
        if supervised.unread_records > 0 {
            said.push(
                "⚠ A record beside it did not open (named at the top): its status may be newer than the one shown."
                    .to_owned(),
            );
        }
        if supervised.changed_after_sign_off {
            said.push(
                "⚠ It changed after its sign-off: signing again signs what it holds now, and its history keeps the change."
                    .to_owned(),
            );
        }
        if supervised.changed_since_submitted {
            said.push(
                "⚠ It changed since it was submitted: you would sign what it holds now, not what the facilitator submitted."
                    .to_owned(),
            );
        }
        let wrapup = match &self.wrapup {
            Found::NotWritten => Some("its wrap-up is not written yet".to_owned()),
            Found::Draft(_) => Some("its wrap-up is only a draft, never saved".to_owned()),
            Found::Saved { draft: true, .. } => {
                Some("its wrap-up has changes not saved yet, in a draft on this machine".to_owned())
            }
            Found::Saved { wrapup, .. } if !wrapup.missing().is_empty() => Some(format!(
                "its wrap-up is not finished ({} field(s) missing)",
                wrapup.missing().len()
            )),
            Found::Saved { .. } => None,
            Found::Failed(_) => Some("its wrap-up did not open".to_owned()),
        };
        if let Some(wrapup) = wrapup {
            said.push(format!(
                "⚠ Note: {wrapup}; a wrap-up saved after sign-off shows as a change after it."
            ));
        }
        said
    }

    /// The document for `width` columns: the one laid out already, or a new one.
    pub fn document(&self, width: usize) -> std::borrow::Cow<'_, Doc> {
        if self.doc.width == width && !self.doc.lines.is_empty() {
            std::borrow::Cow::Borrowed(&self.doc)
        } else {
            std::borrow::Cow::Owned(Doc {
                width,
                lines: doc::session::lines(self, width),
            })
        }
    }
}

/// A group across its sessions.
#[derive(Clone, Debug)]
pub struct SeriesScreen {
    pub series: Series,
    /// First session column shown.
    pub first_col: usize,
    pub scroll: usize,
    /// The document as laid out for the last width and first column.
    pub doc: Doc,
}

impl SeriesScreen {
    pub fn new(series: Series) -> SeriesScreen {
        SeriesScreen {
            series,
            first_col: 0,
            scroll: 0,
            doc: Doc::default(),
        }
    }

    pub fn document(&self, width: usize) -> Doc {
        Doc {
            width,
            lines: doc::series::lines(self, width),
        }
    }
}

#[derive(Clone, Debug)]
pub enum Screen {
    Session(Box<SessionScreen>),
    Series(Box<SeriesScreen>),
    Flags(FlagsScreen),
}

/// A line being typed at the bottom of the screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub kind: InputKind,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// The filter query; Esc goes back to the one before.
    Filter { before: Filter },
    /// Where to export the current session or group. `existing` is a file already there
    /// that Enter, unchanged, replaces.
    Export { existing: Option<PathBuf> },
    /// The supervisor's name, asked once before the first sign-off or comment.
    Author { then: Request },
    /// The text of a sign-off, return, comment or addendum on the open session.
    Text { request: Request },
    /// The folder the open session's progress notes go into. `existing` is a folder with
    /// files of an earlier export that Enter, unchanged, replaces.
    Notes { existing: Option<PathBuf> },
}

/// A list to choose from at the bottom of the screen: what a comment is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picker {
    pub items: Vec<(String, Target)>,
    pub selected: usize,
}

/// The whole browser.
pub struct Browser {
    pub index: Index,
    pub filter: Filter,
    pub sort: Sort,
    /// Indices into `index.rows`, in the order shown.
    pub visible: Vec<usize>,
    /// Position in `visible`.
    pub selected: usize,
    /// Screens opened over the list, the top one shown.
    pub screens: Vec<Screen>,
    pub input: Option<Input>,
    /// Choosing what a comment is about.
    pub picker: Option<Picker>,
    /// Who signs and comments (`--as`, or asked once).
    pub author: Option<String>,
    pub help: bool,
    /// A message for the bottom line until the next key.
    pub status: Option<String>,
    /// Where exports go unless the prompt names another folder.
    pub export_dir: PathBuf,
    /// Where progress notes go unless the prompt names another folder.
    pub notes_dir: PathBuf,
    /// Width and height of the terminal, as last drawn.
    pub size: (u16, u16),
    /// What sorting and filtering this scan's rows needs, worked out once.
    keys: Keys,
}

impl Browser {
    pub fn new(index: Index, filter: Filter, sort: Sort) -> Browser {
        let mut browser = Browser {
            index,
            filter,
            sort,
            visible: Vec::new(),
            selected: 0,
            screens: Vec::new(),
            input: None,
            picker: None,
            author: None,
            help: false,
            status: None,
            export_dir: PathBuf::from("."),
            notes_dir: PathBuf::from("."),
            size: (80, 24),
            keys: Keys::default(),
        };
        browser.apply();
        browser
    }

    pub fn screen(&self) -> Option<&Screen> {
        self.screens.last()
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.visible
            .get(self.selected)
            .and_then(|&i| self.index.rows.get(i))
    }

    /// The terminal's size changed (or is known for the first time): documents are laid
    /// out again for the new width.
    pub fn resize(&mut self, size: (u16, u16)) {
        self.size = size;
        let width = usize::from(size.0);
        for screen in &mut self.screens {
            lay_out(screen, width);
        }
    }

    /// Re-filters and re-sorts, keeping the selected file selected if it is still shown.
    fn apply(&mut self) {
        let keep = self.visible.get(self.selected).copied();
        self.apply_keeping(keep, 0);
    }

    /// Re-filters and re-sorts, selecting the row at `keep` (an index into the rows) if
    /// shown, else the row at position `otherwise` (or the last).
    fn apply_keeping(&mut self, keep: Option<usize>, otherwise: usize) {
        self.keys
            .apply(&self.index.rows, &self.filter, self.sort, &mut self.visible);
        self.selected = keep
            .and_then(|keep| self.visible.iter().position(|&i| i == keep))
            .unwrap_or_else(|| otherwise.min(self.visible.len().saturating_sub(1)));
    }

    /// A fresh scan of the folder: the list follows it. The app then reads the open
    /// screens' files again and hands them to [`Browser::replace_screen`].
    pub fn refresh(&mut self, index: Index) {
        let keep = self.selected_row().map(|r| r.file.clone());
        self.index = index;
        self.keys = Keys::default();
        // Found by name, whatever order the scan gave the rows (once per scan).
        let keep = keep.and_then(|file| self.index.rows.iter().position(|r| r.file == file));
        // A row that left the list (signed, so no longer "submitted"; or gone from the
        // folder) leaves the selection where it was, on the row that took its place.
        self.apply_keeping(keep, self.selected);
    }

    /// The row of the summary at `path` shows this supervision (just recorded here).
    pub fn update_review(&mut self, path: &Path, supervised: &Supervised) {
        let Some(row) = self.index.rows.iter_mut().find(|r| r.is_at(path)) else {
            return;
        };
        let review = &supervised.review;
        row.review.status = review.status;
        row.review.signed_by = review.signed.as_ref().map(|s| s.by.as_str().into());
        row.review.signed_at = review.signed.as_ref().map(|s| s.at.as_str().into());
        row.review.changed_after_sign_off = supervised.changed_after_sign_off;
        row.review.records = review.records.len();
    }

    /// Puts `new` in place of the screen at `at` (read again from its files), keeping
    /// where the old one was scrolled to.
    pub fn replace_screen(&mut self, at: usize, mut new: Screen) {
        let Some(old) = self.screens.get_mut(at) else {
            return;
        };
        match (&*old, &mut new) {
            (Screen::Session(o), Screen::Session(n)) => n.scroll = o.scroll,
            (Screen::Series(o), Screen::Series(n)) => {
                n.scroll = o.scroll;
                n.first_col = o.first_col.min(n.series.sessions.len().saturating_sub(1));
            }
            (Screen::Flags(o), Screen::Flags(n)) => {
                n.selected = o.selected.min(n.len().saturating_sub(1));
            }
            _ => {}
        }
        lay_out(&mut new, usize::from(self.size.0));
        clamp_scroll(&mut new, self.size);
        *old = new;
    }

    /// Opens a session read by the app.
    pub fn push_session(&mut self, screen: SessionScreen) {
        self.push(Screen::Session(Box::new(screen)));
    }

    /// Opens a series read by the app, showing its newest sessions (or the one at `at`).
    pub fn push_series(&mut self, series: Series, at: Option<&Path>) {
        let at = at
            .and_then(|p| series.sessions.iter().position(|s| s.path == p))
            .unwrap_or(series.sessions.len().saturating_sub(1));
        let columns = doc::series::columns_for(self.size.0);
        let mut screen = SeriesScreen::new(series);
        screen.first_col = (at + 1).saturating_sub(columns);
        self.push(Screen::Series(Box::new(screen)));
    }

    /// Opens the flags read by the app.
    pub fn push_flags(&mut self, screen: FlagsScreen) {
        self.push(Screen::Flags(screen));
    }

    fn push(&mut self, mut screen: Screen) {
        lay_out(&mut screen, usize::from(self.size.0));
        self.screens.push(screen);
    }

    /// Handles one key press; what it needs from files comes back as an effect.
    pub fn key(&mut self, key: KeyEvent) -> Option<Effect> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        self.status = None;
        if self.input.is_some() {
            return self.input_key(key);
        }
        if self.picker.is_some() {
            self.picker_key(key);
            return None;
        }
        if self.help {
            self.help = false;
            if !matches!(key.code, KeyCode::Char('q')) {
                return None;
            }
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('c') if ctrl => Some(Effect::Quit),
            KeyCode::Char('q') => Some(Effect::Quit),
            KeyCode::Char('?') => {
                self.help = true;
                None
            }
            KeyCode::Esc | KeyCode::Backspace => {
                if self.screens.pop().is_none() && !self.filter.is_empty() && key.code == KeyCode::Esc {
                    self.filter = Filter::default();
                    self.apply();
                    self.status = Some("Filter cleared".into());
                }
                None
            }
            KeyCode::Char('F') => {
                (!matches!(self.screen(), Some(Screen::Flags(_)))).then_some(Effect::OpenFlags)
            }
            KeyCode::Char('e') => {
                self.start_export();
                None
            }
            _ => match self.screens.last() {
                None => self.list_key(key),
                Some(Screen::Session(_)) => self.session_key(key),
                Some(Screen::Series(_)) => {
                    self.series_key(key);
                    None
                }
                Some(Screen::Flags(_)) => self.flags_key(key),
            },
        }
    }

    fn page(&self) -> usize {
        usize::from(self.size.1.saturating_sub(6)).max(1)
    }

    /// Lines of a scrolling document's body: the terminal less the title and bottom lines.
    fn body_height(&self) -> usize {
        usize::from(self.size.1.saturating_sub(2))
    }

    fn list_key(&mut self, key: KeyEvent) -> Option<Effect> {
        let last = self.visible.len().saturating_sub(1);
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => self.selected = (self.selected + 1).min(last),
            KeyCode::PageUp => self.selected = self.selected.saturating_sub(self.page()),
            KeyCode::PageDown => self.selected = (self.selected + self.page()).min(last),
            KeyCode::Home => self.selected = 0,
            KeyCode::End | KeyCode::Char('G') => self.selected = last,
            KeyCode::Enter => {
                return self.selected_row().map(|row| Effect::OpenSession(row.path()));
            }
            KeyCode::Char('/') => {
                self.input = Some(Input {
                    kind: InputKind::Filter {
                        before: self.filter.clone(),
                    },
                    text: self.filter.to_query(),
                });
            }
            KeyCode::Char('s') => {
                let column = self.sort.column.next();
                self.sort = Sort {
                    column,
                    descending: column.natural_descending(),
                };
                self.apply();
            }
            KeyCode::Char('S') => {
                self.sort.descending = !self.sort.descending;
                self.apply();
            }
            KeyCode::Char('f') => {
                self.filter.flagged = !self.filter.flagged;
                self.apply();
            }
            KeyCode::Char('g') => match self.selected_row() {
                Some(row @ Row { entry: Ok(e), .. }) => {
                    return Some(Effect::OpenSeries {
                        group: e.group.to_string(),
                        at: Some(row.path()),
                    });
                }
                Some(_) => self.status = Some("This file did not open: it has no group".into()),
                None => {}
            },
            _ => {}
        }
        None
    }

    fn session_key(&mut self, key: KeyEvent) -> Option<Effect> {
        let page = self.page();
        let height = self.body_height();
        let Some(Screen::Session(screen)) = self.screens.last_mut() else {
            return None;
        };
        let max = screen.doc.max_scroll(height);
        // Nothing is recorded on a file that did not open, nor on a conflict copy.
        let act = match key.code {
            KeyCode::Char('U') => Some("submit it"),
            KeyCode::Char('S') => Some("sign it"),
            KeyCode::Char('R') => Some("return it"),
            KeyCode::Char('A') => Some("add an addendum"),
            KeyCode::Char('c') => Some("comment on it"),
            _ => None,
        };
        if let Some(act) = act
            && (screen.summary.is_err() || screen.conflict_of.is_some())
        {
            self.status = Some(format!(
                "Open the summary itself to {act}, not a damaged file or a conflict copy"
            ));
            return None;
        }
        let request = match key.code {
            KeyCode::Char('g') => {
                return screen.summary.as_ref().ok().map(|s| Effect::OpenSeries {
                    group: s.group.clone(),
                    at: Some(screen.path.clone()),
                });
            }
            KeyCode::Char('n') => {
                self.start_notes_export();
                return None;
            }
            KeyCode::Char('U') => Request::Submit,
            KeyCode::Char('S') => Request::Sign,
            KeyCode::Char('R') => Request::Return,
            KeyCode::Char('A') => Request::Addendum,
            KeyCode::Char('c') => {
                self.picker = Some(Picker {
                    items: screen.comment_targets(),
                    selected: 0,
                });
                return None;
            }
            code => {
                screen.scroll = scrolled(screen.scroll, code, page, max);
                return None;
            }
        };
        self.ask(request)
    }

    /// Starts a supervision action: asks for the author's name first if not known yet,
    /// then for the text (a submission and a sign-off may go without).
    fn ask(&mut self, request: Request) -> Option<Effect> {
        // Refused before anything is typed, rather than after.
        let author = self.author.as_deref().filter(|a| !a.trim().is_empty());
        if let Some(Screen::Session(screen)) = self.screen()
            && let Some(refused) = screen.refusal(&request, author)
        {
            self.status = Some(format!("Not recorded: {refused}"));
            return None;
        }
        if self.author.as_deref().is_none_or(|a| a.trim().is_empty()) {
            self.input = Some(Input {
                kind: InputKind::Author { then: request },
                text: String::new(),
            });
            return None;
        }
        self.input = Some(Input {
            kind: InputKind::Text { request },
            text: String::new(),
        });
        None
    }

    fn picker_key(&mut self, key: KeyEvent) {
        let Some(picker) = self.picker.as_mut() else {
            return;
        };
        let last = picker.items.len().saturating_sub(1);
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => picker.selected = picker.selected.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => picker.selected = (picker.selected + 1).min(last),
            KeyCode::Home => picker.selected = 0,
            KeyCode::End => picker.selected = last,
            KeyCode::Enter => {
                let target = picker.items.get(picker.selected).map(|(_, t)| t.clone());
                self.picker = None;
                if let Some(target) = target {
                    self.ask(Request::Comment(target));
                }
            }
            KeyCode::Esc | KeyCode::Char('q') => self.picker = None,
            _ => {}
        }
    }

    /// The path of the summary open on top, if any.
    pub(super) fn open_summary(&self) -> Option<PathBuf> {
        match self.screen() {
            Some(Screen::Session(s)) => Some(s.path.clone()),
            _ => None,
        }
    }

    fn series_key(&mut self, key: KeyEvent) {
        let page = self.page();
        let height = self.body_height();
        let width = usize::from(self.size.0);
        let columns = doc::series::columns_for(self.size.0);
        let Some(Screen::Series(screen)) = self.screens.last_mut() else {
            return;
        };
        let last_first = screen.series.sessions.len().saturating_sub(columns);
        let first_col = screen.first_col;
        match key.code {
            KeyCode::Left | KeyCode::Char('h') => screen.first_col = screen.first_col.saturating_sub(1),
            KeyCode::Right | KeyCode::Char('l') => screen.first_col = (screen.first_col + 1).min(last_first),
            // Either end of both ways: the first (or last) sessions, and the top (or bottom).
            KeyCode::Home => {
                screen.first_col = 0;
                screen.scroll = 0;
            }
            KeyCode::End => {
                screen.first_col = last_first;
                screen.scroll = screen.doc.max_scroll(height);
            }
            code => {
                let max = screen.doc.max_scroll(height);
                screen.scroll = scrolled(screen.scroll, code, page, max);
            }
        }
        if screen.first_col != first_col {
            screen.doc = screen.document(width);
        }
    }

    fn flags_key(&mut self, key: KeyEvent) -> Option<Effect> {
        let page = self.page();
        let Some(Screen::Flags(screen)) = self.screens.last_mut() else {
            return None;
        };
        let last = screen.len().saturating_sub(1);
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => screen.selected = screen.selected.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => screen.selected = (screen.selected + 1).min(last),
            KeyCode::PageUp => screen.selected = screen.selected.saturating_sub(page),
            KeyCode::PageDown => screen.selected = (screen.selected + page).min(last),
            KeyCode::Home => screen.selected = 0,
            KeyCode::End | KeyCode::Char('G') => screen.selected = last,
            KeyCode::Enter => {
                return screen
                    .path(screen.selected)
                    .map(|path| Effect::OpenSession(path.to_owned()));
            }
            _ => {}
        }
        None
    }

    fn input_key(&mut self, key: KeyEvent) -> Option<Effect> {
        let input = self.input.as_mut()?;
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => {
                if let Some(Input {
                    kind: InputKind::Filter { before },
                    ..
                }) = self.input.take()
                {
                    self.filter = before;
                    self.apply();
                }
                return None;
            }
            KeyCode::Enter => {
                let input = self.input.take()?;
                return match input.kind {
                    InputKind::Filter { .. } => {
                        let shown = self.visible.len();
                        self.status = Some(match &self.filter.problem {
                            Some(problem) => format!("{shown} shown; {problem}: left out of the filter"),
                            None => format!("{shown} shown"),
                        });
                        None
                    }
                    InputKind::Export { existing } => self.finish_export(input.text.trim(), existing),
                    InputKind::Notes { existing } => self.finish_notes_export(input.text.trim(), existing),
                    InputKind::Author { then } => {
                        let name = input.text.trim();
                        if name.is_empty() {
                            self.status = Some("A sign-off or comment needs your name".into());
                            return None;
                        }
                        self.author = Some(name.to_owned());
                        self.ask(then)
                    }
                    InputKind::Text { request } => {
                        let path = self.open_summary()?;
                        Some(Effect::Supervise {
                            path,
                            request,
                            author: self.author.clone().unwrap_or_default(),
                            text: input.text.trim().to_owned(),
                        })
                    }
                };
            }
            KeyCode::Char('u') if ctrl => input.text.clear(),
            KeyCode::Char('c') if ctrl => {
                self.input = None;
                return None;
            }
            KeyCode::Backspace => {
                input.text.pop();
            }
            KeyCode::Char(c) if !ctrl => input.text.push(c),
            _ => return None,
        }
        match &mut self.input {
            Some(Input {
                kind: InputKind::Filter { .. },
                text,
            }) => {
                self.filter = Filter::parse(text);
                self.status = self
                    .filter
                    .problem
                    .as_ref()
                    .map(|p| format!("{p}: left out of the filter"));
                self.apply();
            }
            // Editing the name forgets that the old one was there.
            Some(Input {
                kind: InputKind::Export { existing } | InputKind::Notes { existing },
                ..
            }) => *existing = None,
            Some(_) | None => {}
        }
        None
    }

    /// What `e` exports here: a session (its path) or a group (its name).
    fn export_target(&self) -> Option<ExportTarget> {
        match self.screen() {
            None => self
                .selected_row()
                .filter(|r| r.entry.is_ok())
                .map(|r| ExportTarget::Session(r.path())),
            Some(Screen::Session(s)) => s.summary.is_ok().then(|| ExportTarget::Session(s.path.clone())),
            Some(Screen::Series(s)) => Some(ExportTarget::Group(s.series.group.clone())),
            Some(Screen::Flags(f)) => f.path(f.selected).map(|p| ExportTarget::Session(p.to_owned())),
        }
    }

    fn start_export(&mut self) {
        let Some(target) = self.export_target() else {
            self.status = Some("Nothing to export here".into());
            return;
        };
        let name = match &target {
            ExportTarget::Session(path) => path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "session".into()),
            ExportTarget::Group(group) => slug(group),
        };
        let default = self.export_dir.join(format!("{name}.html"));
        self.input = Some(Input {
            kind: InputKind::Export { existing: None },
            text: default.to_string_lossy().into_owned(),
        });
    }

    fn finish_export(&mut self, text: &str, existing: Option<PathBuf>) -> Option<Effect> {
        if text.is_empty() {
            self.status = Some("Export cancelled".into());
            return None;
        }
        let to = PathBuf::from(text);
        if super::Format::from_path(&to).is_none() {
            self.export_refused(&to, "name the file .html or .md");
            return None;
        }
        let target = self.export_target()?;
        let replace = existing.as_deref() == Some(to.as_path());
        Some(Effect::Export { target, to, replace })
    }

    /// The app found `to` already there: ask again, and let Enter replace it.
    pub fn export_would_replace(&mut self, to: PathBuf) {
        self.status = Some(format!(
            "{} exists: ⏎ again replaces it, or change the name",
            to.display()
        ));
        self.input = Some(Input {
            text: to.to_string_lossy().into_owned(),
            kind: InputKind::Export { existing: Some(to) },
        });
    }

    /// The export to `to` was refused for `reason`: the prompt stays open with the name
    /// typed, to correct it (or Esc).
    pub fn export_refused(&mut self, to: &Path, reason: &str) {
        self.status = Some(format!("Export refused: {reason}. Change the name, or Esc"));
        self.input = Some(Input {
            text: to.to_string_lossy().into_owned(),
            kind: InputKind::Export { existing: None },
        });
    }
}

/// Where a document scrolls to after `code`.
fn scrolled(scroll: usize, code: KeyCode, page: usize, max: usize) -> usize {
    match code {
        KeyCode::Up | KeyCode::Char('k') => scroll.saturating_sub(1),
        KeyCode::Down | KeyCode::Char('j') => (scroll + 1).min(max),
        KeyCode::PageUp => scroll.saturating_sub(page),
        KeyCode::PageDown | KeyCode::Char(' ') => (scroll + page).min(max),
        KeyCode::Home => 0,
        KeyCode::End | KeyCode::Char('G') => max,
        _ => scroll,
    }
}

/// Lays the screen's document out for `width`, unless it already is.
fn lay_out(screen: &mut Screen, width: usize) {
    match screen {
        Screen::Session(s) if s.doc.width != width || s.doc.lines.is_empty() => {
            s.doc = s.document(width).into_owned();
        }
        Screen::Series(s) if s.doc.width != width || s.doc.lines.is_empty() => {
            s.doc = s.document(width);
        }
        _ => {}
    }
}

/// Keeps a document's scroll within its end after it was read again.
fn clamp_scroll(screen: &mut Screen, size: (u16, u16)) {
    let height = usize::from(size.1.saturating_sub(2));
    match screen {
        Screen::Session(s) => s.scroll = s.scroll.min(s.doc.max_scroll(height)),
        Screen::Series(s) => s.scroll = s.scroll.min(s.doc.max_scroll(height)),
        Screen::Flags(_) => {}
    }
}
