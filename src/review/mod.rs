//! `holdspace review`: a browser over a folder of saved summaries, for the supervisor.
//!
//! The parts: [`index`] scans a folder (one [`index::Row`] per summary, its list fields or
//! why it did not open, and its supervision status), [`filter`] sorts and filters,
//! [`series`] follows a group across its sessions, [`flags`] is every flag, [`doc`] lays
//! out a session or a series as lines, [`export`] writes Markdown and self-contained HTML,
//! [`browser`] is the state of the screens and what each key does (returning effects),
//! [`ui`] draws it, [`load`] reads what a screen shows, and [`app`] carries out the effects
//! and owns the terminal.
//!
//! The review never edits a summary: an export writes only where it is told to (never into
//! the folder of summaries), supervision adds its own records beside a summary (see
//! [`crate::supervision`]), and the index lives in the platform's cache dir (see [`cache`]).
//!
//! # How fast
//!
//! `scripts/bench.sh review` measures it over 100,000 generated summaries (with about
//! 110,000 supervision records beside them): the list with and without the index, each
//! browser key's median and 99th percentile, and peak memory; `cargo bench --bench
//! review` runs the in-process part. Keys never wait for a rescan (it runs on its own
//! thread), and the flags screen reads only the summaries of the rows it shows.

pub mod app;
pub mod browser;
pub mod cache;
pub mod doc;
pub mod export;
pub mod filter;
pub mod flags;
pub mod fmt;
pub mod index;
pub mod keys;
pub mod listing;
pub mod load;
pub mod notes;
pub mod output;
pub mod series;
pub mod ui;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::storage::DataDir;
use crate::summary::read_summary;
use cache::DiskCache;
use filter::{Filter, Sort};
use index::{Index, Scanner};

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Markdown.
    Md,
    /// One self-contained, printable HTML file with the charts.
    Html,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
        }
    }

    /// The format a file name asks for by its extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Md),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }
}

/// What `holdspace review` was asked to do, resolved by the command line.
pub struct Request {
    /// The folder (or, with `export`, the target then the folder), as given.
    pub paths: Vec<PathBuf>,
    /// Print the list instead of opening the browser; `json` prints it as JSON.
    pub list: bool,
    pub json: bool,
    pub export: Option<Format>,
    /// Where the export goes; standard output when `None`.
    pub output: Option<PathBuf>,
    /// Replace an existing export file.
    pub force: bool,
    /// A supervision action on a summary, instead of the list or the browser.
    pub supervise: Option<(crate::supervision::Request, PathBuf)>,
    /// Who acts (`--as`).
    pub author: Option<String>,
    /// The text of the action (`--comment`).
    pub comment: Option<String>,
    pub filter: Filter,
    pub sort: Sort,
    /// Read and write the index cache.
    pub cache: bool,
    pub data: DataDir,
    /// The theme for the browser.
    pub theme: Option<String>,
    pub configured_theme: String,
}

/// Runs `holdspace review`.
pub fn main(request: Request) -> ExitCode {
    match run(request) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("holdspace: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Request) -> Result<ExitCode, String> {
    if let Some((request, file)) = &args.supervise {
        return supervise(request, file, args.author.as_deref(), args.comment.as_deref());
    }
    let data = &args.data;
    let (target, dir) = match (&args.export, args.paths.as_slice()) {
        (Some(_), [target]) => (Some(target.clone()), None),
        (Some(_), [target, dir]) => (Some(target.clone()), Some(dir.clone())),
        (Some(_), _) => {
            return Err("--export needs a TARGET: a summary file or a group's name".into());
        }
        (None, []) => (None, None),
        (None, [dir]) => (None, Some(dir.clone())),
        (None, _) => {
            return Err("review takes one folder; to export, use --export FORMAT TARGET [DIR]".into());
        }
    };
    let dir = dir.unwrap_or_else(|| data.summaries());
    let observation_dirs = observation_dirs(&dir, data);

    if let (Some(format), Some(target)) = (args.export, &target) {
        let text = export_target(format, target, &dir, &observation_dirs, args.cache)?;
        return match &args.output {
            Some(path) => {
                let sources: Vec<&Path> = vec![target.as_path()];
                output::write_export(path, text.as_bytes(), &sources, &dir, args.force)
                    .map_err(|refusal| refusal.to_string())?;
                eprintln!("Exported to {}", path.display());
                Ok(ExitCode::SUCCESS)
            }
            None => {
                let mut out = std::io::stdout().lock();
                out.write_all(text.as_bytes())
                    .and_then(|()| out.flush())
                    .map_err(|e| format!("cannot write the export: {e}"))?;
                Ok(ExitCode::SUCCESS)
            }
        };
    }

    if args.list || args.json {
        let mut scanner = scanner(&dir, args.cache)?;
        let index = scanner
            .scan()
            .map_err(|e| format!("{}: cannot list the folder: {e}", dir.display()))?;
        let order = filter::apply(&index.rows, &args.filter, args.sort);
        let rows: Vec<_> = order.iter().filter_map(|&i| index.rows.get(i)).collect();
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        let written = if args.json {
            listing::json(&rows, &mut out)
        } else {
            listing::table(&rows, &mut out)
        };
        // A closed pipe (`| head`) is not an error worth a message.
        let _ = written.and_then(|()| out.flush());
        // The process ends now: freeing 100,000 rows one by one would only cost time.
        std::mem::forget((scanner, index));
        return Ok(ExitCode::SUCCESS);
    }

    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err("the review browser needs a terminal; use --list or --list --json in scripts".into());
    }
    let theme = crate::theme::for_session(args.theme.as_deref(), &args.configured_theme)
        .map_err(|e| format!("the theme did not load:\n{e}"))?;
    let scanner = scanner(&dir, args.cache)?;
    let ended = app::run(app::Setup {
        scanner,
        theme,
        filter: args.filter,
        sort: args.sort,
        observation_dirs,
        author: args.author,
    })
    .map_err(|e| format!("the review stopped: {e}"))?;
    Ok(match ended {
        app::Ended::Quit => ExitCode::SUCCESS,
        app::Ended::Signal(name) => {
            eprintln!("holdspace: review stopped by {name}");
            ExitCode::from(crate::terminal::signal_exit_code(name))
        }
    })
}

/// `--submit`, `--sign`, `--return`, `--addendum`, `--comment-on`: one record beside the
/// summary. A submission without `--as` is made in the lead facilitator's name.
fn supervise(
    request: &crate::supervision::Request,
    file: &Path,
    author: Option<&str>,
    comment: Option<&str>,
) -> Result<ExitCode, String> {
    use crate::supervision::{Request, store};
    let author = match (author, request) {
        (Some(name), _) => name.to_owned(),
        (None, Request::Submit) => read_summary(file)
            .map_err(|e| e.to_string())?
            .facilitators
            .first()
            .map(|f| f.name.clone())
            .unwrap_or_default(),
        (None, _) => String::new(),
    };
    let now = chrono::Local::now().fixed_offset();
    let written =
        store::act(file, request, &author, comment.unwrap_or_default(), now).map_err(|e| e.to_string())?;
    let (review, _) = store::review_of(file);
    eprintln!(
        "{}: recorded by {author} in {}; the summary is now {}",
        file.display(),
        written
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        review.status.label()
    );
    Ok(ExitCode::SUCCESS)
}

/// Where trainees' observations may be: the data dir's, and a sibling `observations/` of
/// the folder reviewed (the layout of a data dir copied elsewhere).
pub fn observation_dirs(dir: &Path, data: &DataDir) -> Vec<PathBuf> {
    let mut dirs = vec![data.observations()];
    if let Some(parent) = dir.parent() {
        let sibling = parent.join("observations");
        if !dirs.contains(&sibling) {
            dirs.push(sibling);
        }
    }
    dirs
}

fn scanner(dir: &Path, cache: bool) -> Result<Scanner, String> {
    if !dir.is_dir() {
        return Err(format!("{}: no such folder of summaries", dir.display()));
    }
    let disk = if cache { DiskCache::for_folder(dir) } else { None };
    Ok(Scanner::new(dir, disk))
}

/// Scans `dir` once.
pub fn scan(dir: &Path, cache: bool) -> Result<Index, String> {
    scanner(dir, cache)?
        .scan()
        .map_err(|e| format!("{}: cannot list the folder: {e}", dir.display()))
}

/// The export of a summary file, or of a group found in `dir` by its name.
pub fn export_target(
    format: Format,
    target: &Path,
    dir: &Path,
    observation_dirs: &[PathBuf],
    cache: bool,
) -> Result<String, String> {
    if target.is_file() {
        // The observations beside the summary's own folder count too (hand-ins in it, and
        // an `observations/` next to it), so no --data-dir is needed to find them.
        let folder = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut dirs = observation_dirs.to_vec();
        if let Some(sibling) = folder.parent().map(|p| p.join("observations"))
            && !dirs.contains(&sibling)
        {
            dirs.push(sibling);
        }
        let index = Index {
            dir: folder.to_owned(),
            handins: load::handins_in(folder),
            ..Index::default()
        };
        let opened = load::session(target, &dirs, &index);
        let summary = opened.summary.as_ref().map_err(|_| {
            read_summary(target).map_or_else(|e| e.to_string(), |_| "the summary changed while read".into())
        })?;
        return Ok(export::session(
            format,
            summary,
            &opened.observations,
            &opened.supervised,
        ));
    }
    let name = target.to_string_lossy();
    if target.extension().is_some_and(|e| e == "ron") || name.contains(std::path::MAIN_SEPARATOR) {
        return Err(format!("{name}: no such summary file"));
    }
    let index = scan(dir, cache)?;
    let group = find_group(&index, &name)?;
    let series = load::series(&index, &group);
    Ok(export::group(format, &series))
}

/// The group named `name`: exactly (ignoring case), else the only one containing it.
pub fn find_group(index: &Index, name: &str) -> Result<String, String> {
    let mut groups: Vec<&str> = index
        .rows
        .iter()
        .filter_map(|r| r.ok())
        .map(|e| e.group.as_str())
        .collect();
    groups.sort_unstable();
    groups.dedup();
    let lower = name.to_lowercase();
    if let Some(exact) = groups.iter().find(|g| g.to_lowercase() == lower) {
        return Ok((*exact).to_owned());
    }
    let partial: Vec<&&str> = groups
        .iter()
        .filter(|g| g.to_lowercase().contains(&lower))
        .collect();
    match partial.as_slice() {
        [one] => Ok((**one).to_owned()),
        [] => Err(format!(
            "\"{name}\" is neither a summary file nor a group in {}",
            index.dir.display()
        )),
        many => Err(format!(
            "\"{name}\" matches several groups: {}",
            many.iter()
                .map(|g| format!("\"{g}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}
