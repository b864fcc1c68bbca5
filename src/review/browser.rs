//! The browser's state and what each key does to it. No terminal here: the screens are
//! drawn from this by [`super::ui`], and [`super::app`] feeds it keys and fresh scans.
//!
//! Screens stack above the list: Enter opens a session, `g` a group's series, `F` every
//! flag; Esc or Backspace goes back one. Files are read when a screen opens (and again
//! when the folder changes), so a screen never shows what a file no longer says.

use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::filter::{self, Filter, Sort};
use super::index::{Index, Row};
use super::series::{self, FlagNote, Series};
use super::{Format, export, load_series};
use crate::observations::{self, Observations};
use crate::storage::{slug, write_atomic};
use crate::summary::{Summary, read_summary};

/// One session, opened.
#[derive(Clone, Debug)]
pub struct SessionScreen {
    pub path: PathBuf,
    /// The summary, or why it did not open.
    pub summary: Result<Summary, String>,
    pub observations: Vec<Observations>,
    /// Observation files that did not open.
    pub observation_problems: Vec<String>,
    /// First line of the document shown.
    pub scroll: usize,
}

/// A group across its sessions.
#[derive(Clone, Debug)]
pub struct SeriesScreen {
    pub series: Series,
    /// First session column shown.
    pub first_col: usize,
    pub scroll: usize,
}

/// Every flag of the folder.
#[derive(Clone, Debug)]
pub struct FlagsScreen {
    pub flags: Vec<FlagNote>,
    pub selected: usize,
    /// Flagged summaries that did not open now.
    pub unreadable: usize,
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
    /// Where to export the current session or group.
    Export,
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
    pub help: bool,
    /// A message for the bottom line until the next key.
    pub status: Option<String>,
    pub observation_dirs: Vec<PathBuf>,
    /// Where exports go unless the prompt names another folder.
    pub export_dir: PathBuf,
    /// Width and height of the terminal, as last drawn.
    pub size: (u16, u16),
    pub quit: bool,
}

impl Browser {
    pub fn new(index: Index, filter: Filter, sort: Sort, observation_dirs: Vec<PathBuf>) -> Browser {
        let mut browser = Browser {
            index,
            filter,
            sort,
            visible: Vec::new(),
            selected: 0,
            screens: Vec::new(),
            input: None,
            help: false,
            status: None,
            observation_dirs,
            export_dir: PathBuf::from("."),
            size: (80, 24),
            quit: false,
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

    /// Re-filters and re-sorts, keeping the selected file selected if it is still shown.
    fn apply(&mut self) {
        let keep = self.selected_row().map(|r| r.path.clone());
        self.apply_keeping(keep);
    }

    fn apply_keeping(&mut self, keep: Option<PathBuf>) {
        self.visible = filter::apply(&self.index.rows, &self.filter, self.sort);
        self.selected = keep
            .and_then(|path| {
                self.visible
                    .iter()
                    .position(|&i| self.index.rows.get(i).is_some_and(|r| r.path == path))
            })
            .unwrap_or(0);
    }

    /// A fresh scan of the folder: the list follows it, and open screens read their files
    /// again.
    pub fn refresh(&mut self, index: Index) {
        let keep = self.selected_row().map(|r| r.path.clone());
        self.index = index;
        self.apply_keeping(keep);
        let screens = std::mem::take(&mut self.screens);
        self.screens = screens
            .into_iter()
            .map(|screen| match screen {
                Screen::Session(old) => {
                    let mut new = self.session_screen(&old.path);
                    new.scroll = old.scroll;
                    Screen::Session(Box::new(new))
                }
                Screen::Series(old) => {
                    let mut new = SeriesScreen {
                        series: load_series(&self.index, &old.series.group),
                        first_col: old.first_col,
                        scroll: old.scroll,
                    };
                    new.first_col = new.first_col.min(new.series.sessions.len().saturating_sub(1));
                    Screen::Series(Box::new(new))
                }
                Screen::Flags(old) => {
                    let mut new = self.flags_screen();
                    new.selected = old.selected.min(new.flags.len().saturating_sub(1));
                    Screen::Flags(new)
                }
            })
            .collect();
    }

    pub fn session_screen(&self, path: &Path) -> SessionScreen {
        let summary = read_summary(path).map_err(|e| super::index::reason(&e));
        let (observations, observation_problems) = match &summary {
            Ok(s) => observations::matching(&self.observation_dirs, &s.title, &s.date),
            Err(_) => (Vec::new(), Vec::new()),
        };
        SessionScreen {
            path: path.to_owned(),
            summary,
            observations,
            observation_problems,
            scroll: 0,
        }
    }

    fn flags_screen(&self) -> FlagsScreen {
        let paths: Vec<PathBuf> = self
            .index
            .rows
            .iter()
            .filter(|r| r.ok().is_some_and(|e| e.flagged()))
            .map(|r| r.path.clone())
            .collect();
        let loaded = super::index::load_all(paths);
        let unreadable = loaded.iter().filter(|(_, s)| s.is_err()).count();
        let ok: Vec<(&PathBuf, &Summary)> = loaded
            .iter()
            .filter_map(|(p, s)| s.as_ref().ok().map(|s| (p, s)))
            .collect();
        FlagsScreen {
            flags: series::all_flags(ok),
            selected: 0,
            unreadable,
        }
    }

    /// Opens the series of `group`, showing its newest sessions (or the one at `path`).
    fn open_series(&mut self, group: &str, path: Option<&Path>) {
        let series = load_series(&self.index, group);
        let at = path
            .and_then(|p| series.sessions.iter().position(|s| s.path == p))
            .unwrap_or(series.sessions.len().saturating_sub(1));
        let columns = super::ui::series::columns_for(self.size.0);
        let first_col = (at + 1).saturating_sub(columns);
        self.screens.push(Screen::Series(Box::new(SeriesScreen {
            series,
            first_col,
            scroll: 0,
        })));
    }

    /// Handles one key press.
    pub fn key(&mut self, key: KeyEvent) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        self.status = None;
        if self.input.is_some() {
            self.input_key(key);
            return;
        }
        if self.help {
            self.help = false;
            if !matches!(key.code, KeyCode::Char('q')) {
                return;
            }
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('c') if ctrl => self.quit = true,
            KeyCode::Char('q') => self.quit = true,
            KeyCode::Char('?') => self.help = true,
            KeyCode::Esc | KeyCode::Backspace => {
                if self.screens.pop().is_none() && !self.filter.is_empty() && key.code == KeyCode::Esc {
                    self.filter = Filter::default();
                    self.apply();
                    self.status = Some("Filter cleared".into());
                }
            }
            KeyCode::Char('F') => {
                if !matches!(self.screen(), Some(Screen::Flags(_))) {
                    let screen = self.flags_screen();
                    self.screens.push(Screen::Flags(screen));
                }
            }
            KeyCode::Char('e') => self.start_export(),
            _ => match self.screens.last() {
                None => self.list_key(key),
                Some(Screen::Session(_)) => self.session_key(key),
                Some(Screen::Series(_)) => self.series_key(key),
                Some(Screen::Flags(_)) => self.flags_key(key),
            },
        }
    }

    fn page(&self) -> usize {
        usize::from(self.size.1.saturating_sub(6)).max(1)
    }

    fn list_key(&mut self, key: KeyEvent) {
        let last = self.visible.len().saturating_sub(1);
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => self.selected = (self.selected + 1).min(last),
            KeyCode::PageUp => self.selected = self.selected.saturating_sub(self.page()),
            KeyCode::PageDown => self.selected = (self.selected + self.page()).min(last),
            KeyCode::Home => self.selected = 0,
            KeyCode::End | KeyCode::Char('G') => self.selected = last,
            KeyCode::Enter => {
                if let Some(row) = self.selected_row() {
                    let screen = self.session_screen(&row.path.clone());
                    self.screens.push(Screen::Session(Box::new(screen)));
                }
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
                Some(Row {
                    path, entry: Ok(e), ..
                }) => {
                    let (group, path) = (e.group.clone(), path.clone());
                    self.open_series(&group, Some(&path));
                }
                Some(_) => self.status = Some("This file did not open: it has no group".into()),
                None => {}
            },
            _ => {}
        }
    }

    fn session_key(&mut self, key: KeyEvent) {
        let page = self.page();
        let size = self.size;
        let Some(Screen::Session(screen)) = self.screens.last_mut() else {
            return;
        };
        let max = super::ui::session::max_scroll(screen, size);
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => screen.scroll = screen.scroll.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => screen.scroll = (screen.scroll + 1).min(max),
            KeyCode::PageUp => screen.scroll = screen.scroll.saturating_sub(page),
            KeyCode::PageDown | KeyCode::Char(' ') => screen.scroll = (screen.scroll + page).min(max),
            KeyCode::Home => screen.scroll = 0,
            KeyCode::End | KeyCode::Char('G') => screen.scroll = max,
            KeyCode::Char('g') => {
                if let Ok(s) = &screen.summary {
                    let (group, path) = (s.group.clone(), screen.path.clone());
                    self.open_series(&group, Some(&path));
                }
            }
            _ => {}
        }
    }

    fn series_key(&mut self, key: KeyEvent) {
        let page = self.page();
        let size = self.size;
        let Some(Screen::Series(screen)) = self.screens.last_mut() else {
            return;
        };
        let columns = super::ui::series::columns_for(size.0);
        let last_first = screen.series.sessions.len().saturating_sub(columns);
        let max = super::ui::series::max_scroll(screen, size);
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => screen.scroll = screen.scroll.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => screen.scroll = (screen.scroll + 1).min(max),
            KeyCode::PageUp => screen.scroll = screen.scroll.saturating_sub(page),
            KeyCode::PageDown | KeyCode::Char(' ') => screen.scroll = (screen.scroll + page).min(max),
            KeyCode::Left | KeyCode::Char('h') => screen.first_col = screen.first_col.saturating_sub(1),
            KeyCode::Right | KeyCode::Char('l') => screen.first_col = (screen.first_col + 1).min(last_first),
            KeyCode::Home => screen.first_col = 0,
            KeyCode::End => screen.first_col = last_first,
            _ => {}
        }
    }

    fn flags_key(&mut self, key: KeyEvent) {
        let page = self.page();
        let Some(Screen::Flags(screen)) = self.screens.last_mut() else {
            return;
        };
        let last = screen.flags.len().saturating_sub(1);
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => screen.selected = screen.selected.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => screen.selected = (screen.selected + 1).min(last),
            KeyCode::PageUp => screen.selected = screen.selected.saturating_sub(page),
            KeyCode::PageDown => screen.selected = (screen.selected + page).min(last),
            KeyCode::Home => screen.selected = 0,
            KeyCode::End | KeyCode::Char('G') => screen.selected = last,
            KeyCode::Enter => {
                if let Some(flag) = screen.flags.get(screen.selected) {
                    let path = flag.path.clone();
                    let opened = self.session_screen(&path);
                    self.screens.push(Screen::Session(Box::new(opened)));
                }
            }
            _ => {}
        }
    }

    fn input_key(&mut self, key: KeyEvent) {
        let Some(input) = self.input.as_mut() else { return };
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
                return;
            }
            KeyCode::Enter => {
                if let Some(input) = self.input.take() {
                    match input.kind {
                        InputKind::Filter { .. } => {
                            let shown = self.visible.len();
                            self.status = Some(format!("{shown} shown"));
                        }
                        InputKind::Export => self.finish_export(input.text.trim()),
                    }
                }
                return;
            }
            KeyCode::Char('u') if ctrl => input.text.clear(),
            KeyCode::Char('c') if ctrl => {
                self.input = None;
                return;
            }
            KeyCode::Backspace => {
                input.text.pop();
            }
            KeyCode::Char(c) if !ctrl => input.text.push(c),
            _ => return,
        }
        if let Some(Input {
            kind: InputKind::Filter { .. },
            text,
        }) = &self.input
        {
            self.filter = Filter::parse(text);
            self.apply();
        }
    }

    /// What `e` exports here: a session (its path) or a group (its name).
    fn export_target(&self) -> Option<ExportTarget> {
        match self.screen() {
            None => self
                .selected_row()
                .filter(|r| r.entry.is_ok())
                .map(|r| ExportTarget::Session(r.path.clone())),
            Some(Screen::Session(s)) => s.summary.is_ok().then(|| ExportTarget::Session(s.path.clone())),
            Some(Screen::Series(s)) => Some(ExportTarget::Group(s.series.group.clone())),
            Some(Screen::Flags(f)) => f
                .flags
                .get(f.selected)
                .map(|flag| ExportTarget::Session(flag.path.clone())),
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
            kind: InputKind::Export,
            text: default.to_string_lossy().into_owned(),
        });
    }

    fn finish_export(&mut self, text: &str) {
        if text.is_empty() {
            self.status = Some("Export cancelled".into());
            return;
        }
        let path = PathBuf::from(text);
        let Some(format) = Format::from_path(&path) else {
            self.status = Some("Export: name the file .html or .md".into());
            return;
        };
        let Some(target) = self.export_target() else {
            return;
        };
        let rendered = match target {
            ExportTarget::Session(source) => match read_summary(&source) {
                Ok(summary) => {
                    let (obs, _) =
                        observations::matching(&self.observation_dirs, &summary.title, &summary.date);
                    export::session(format, &summary, &obs)
                }
                Err(e) => {
                    self.status = Some(format!("Export failed: {}", super::index::reason(&e)));
                    return;
                }
            },
            ExportTarget::Group(group) => export::group(format, &load_series(&self.index, &group)),
        };
        self.status = Some(match write_atomic(&path, rendered.as_bytes()) {
            Ok(()) => format!("Exported to {}", path.display()),
            Err(e) => format!("Export failed: {}: {e}", path.display()),
        });
    }
}

enum ExportTarget {
    Session(PathBuf),
    Group(String),
}
