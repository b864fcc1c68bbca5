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
//! With encryption on, every file is opened through the run's [`Vault`]: encrypted
//! summaries (`….ron.age`) are listed beside plain ones, records and exports are written
//! encrypted (an export in plain only when asked, `--plain`), and the index keeps only the
//! list fields (no member's name, no note) of what it decrypted. A summary that does not
//! open (no identity, another key, damage) is one error row saying so.
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
mod notes_key;
pub mod output;
pub mod series;
pub mod ui;
pub mod wrapup;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use crate::notes::{wrapup_file, wrapup_path};
use crate::storage::DataDir;
use crate::summary::read_summary_with;
use crate::vault::{AskOnce, Vault};
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

/// What an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    /// A readable report of a session or a group.
    Report(Format),
    /// The summary itself (and its wrap-up), as the RON it holds: a copy for someone
    /// else, encrypted to them alone with `--recipient`.
    Summary,
}

/// How the run opens and seals files: the config's vault, and who exports are for.
#[derive(Default)]
pub struct Keys {
    /// Opens encrypted files and seals supervision records.
    pub vault: Vault,
    /// Why the config cannot seal (told once; writes are refused), if it cannot.
    pub problem: Option<String>,
    /// How the passphrase is asked: closed once the browser owns the terminal.
    pub ask: Option<Arc<AskOnce>>,
    /// Exports in plain (`--plain`), even with encryption on.
    pub plain: bool,
    /// Exports encrypted to these alone (`--recipient`: `age1…` keys or names from the
    /// config).
    pub recipients: Vec<String>,
}

impl Keys {
    /// The vault an export is sealed with.
    fn exports(&self) -> Result<Vault, String> {
        if self.plain {
            return Ok(Vault::plain());
        }
        if self.recipients.is_empty() {
            return Ok(self.vault.clone());
        }
        let to: Vec<&str> = self.recipients.iter().map(String::as_str).collect();
        self.vault
            .sealing_to(&to)
            .map_err(|e| format!("--recipient: {e}"))
    }
}

/// What `holdspace review` was asked to do, resolved by the command line.
pub struct Request {
    /// The folder (or, with `export`, the target then the folder), as given.
    pub paths: Vec<PathBuf>,
    /// Print the list instead of opening the browser; `json` prints it as JSON.
    pub list: bool,
    pub json: bool,
    pub export: Option<Export>,
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
    /// Encryption at rest.
    pub keys: Keys,
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
    if let Some(problem) = &args.keys.problem {
        eprintln!(
            "holdspace: encryption: {problem}\n  Encrypted files that open are shown; nothing is written."
        );
    }
    let vault = &args.keys.vault;
    if let Some((request, file)) = &args.supervise {
        return supervise(
            request,
            file,
            args.author.as_deref(),
            args.comment.as_deref(),
            vault,
        );
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

    if let (Some(export), Some(target)) = (args.export, &target) {
        let sealing = args.keys.exports()?;
        let files = match export {
            Export::Report(format) => {
                // A report named for another format would open as that one, and wrongly
                // (after the rules that hold whatever the name: never over the summary,
                // never into its folder).
                if let Some(to) = &args.output {
                    output::check(to, &[target.as_path()], &dir).map_err(|r| r.to_string())?;
                }
                if let Some(to) = &args.output
                    && Format::from_path(&crate::vault::logical_path(to)) != Some(format)
                {
                    let ext = format.extension();
                    return Err(format!("{}: name the .{ext} export .{ext}", to.display()));
                }
                let text = export_target(format, target, &dir, &observation_dirs, args.cache, vault, data)?;
                vec![(args.output.clone(), text.into_bytes(), target.clone())]
            }
            Export::Summary => summary_copy(target, args.output.as_deref(), vault)?,
        };
        for (to, bytes, source) in files {
            match to {
                Some(path) => {
                    let sources = [target.as_path(), source.as_path()];
                    let written = output::write_export(&path, &bytes, &sources, &dir, args.force, &sealing)
                        .map_err(|refusal| refusal.to_string())?;
                    eprintln!("Exported to {}", written.display());
                }
                None => to_stdout(&bytes, &sealing)?,
            }
        }
        return Ok(ExitCode::SUCCESS);
    }

    if args.list || args.json {
        let mut scanner = scanner(&dir, args.cache, vault)?;
        let index = scan_with(&mut scanner)?;
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
    let scanner = scanner(&dir, args.cache, vault)?;
    let ended = app::run(app::Setup {
        scanner,
        theme,
        filter: args.filter,
        sort: args.sort,
        files: app::effects::Files {
            observation_dirs,
            vault: vault.clone(),
            exports: args.keys.exports()?,
            data: Some(data.clone()),
            beside: index::Beside::default(),
        },
        author: args.author,
        ask: args.keys.ask.clone(),
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

/// An export's bytes to standard output: sealed ones only into a pipe or a file, never
/// onto a terminal, where they would be noise.
fn to_stdout(bytes: &[u8], sealing: &Vault) -> Result<(), String> {
    let bytes = if sealing.is_encrypting() {
        if std::io::stdout().is_terminal() {
            return Err(
                "the export is encrypted (encryption is on): write it to a file with -o FILE \
                 (saved as FILE.age), or ask for a plain copy with --plain"
                    .into(),
            );
        }
        sealing.seal(bytes).map_err(|e| e.to_string())?
    } else {
        bytes.to_vec()
    };
    let mut out = std::io::stdout().lock();
    out.write_all(&bytes)
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write the export: {e}"))
}

/// One file an export writes: where (standard output when `None`), what, and the file
/// it was made from.
type ExportFile = (Option<PathBuf>, Vec<u8>, PathBuf);

/// `--export ron`: the summary's own RON (decrypted, byte for byte) and, when it has one
/// and there is a file to write, its wrap-up beside it (`OUT.wrapup.ron`); each with the
/// file it came from.
fn summary_copy(target: &Path, output: Option<&Path>, vault: &Vault) -> Result<Vec<ExportFile>, String> {
    if !target.is_file() {
        return Err(format!(
            "{}: no such summary file (--export ron copies one summary)",
            target.display()
        ));
    }
    // Parsed first, so only a summary is ever copied.
    read_summary_with(target, vault).map_err(|e| e.to_string())?;
    let summary = vault.read(target).map_err(|e| e.to_string())?;
    let mut files = vec![(output.map(Path::to_owned), summary, target.to_owned())];
    match (wrapup_file(target), output) {
        (Some(wrapup), Some(out)) => {
            let bytes = vault.read(&wrapup).map_err(|e| e.to_string())?;
            files.push((Some(wrapup_path(out)), bytes, wrapup));
        }
        (Some(_), None) => eprintln!(
            "holdspace: the wrap-up is not on standard output; with -o FILE it is written beside FILE"
        ),
        (None, _) => {}
    }
    Ok(files)
}

/// `--submit`, `--sign`, `--return`, `--addendum`, `--comment-on`: one record beside the
/// summary. A submission without `--as` is made in the lead facilitator's name.
fn supervise(
    request: &crate::supervision::Request,
    file: &Path,
    author: Option<&str>,
    comment: Option<&str>,
    vault: &Vault,
) -> Result<ExitCode, String> {
    use crate::supervision::{Request, store};
    let author = match (author, request) {
        (Some(name), _) => name.to_owned(),
        (None, Request::Submit) => read_summary_with(file, vault)
            .map_err(|e| e.to_string())?
            .facilitators
            .first()
            .map(|f| f.name.clone())
            .unwrap_or_default(),
        (None, _) => String::new(),
    };
    let now = chrono::Local::now().fixed_offset();
    let written = store::act(file, request, &author, comment.unwrap_or_default(), now, vault)
        .map_err(|e| e.to_string())?;
    let (review, _) = store::review_of(file, vault);
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

fn scanner(dir: &Path, cache: bool, vault: &Vault) -> Result<Scanner, String> {
    if !dir.is_dir() {
        return Err(format!("{}: no such folder of summaries", dir.display()));
    }
    let disk = if cache { DiskCache::for_folder(dir) } else { None };
    Ok(Scanner::new(dir, disk).with_vault(vault.clone()))
}

/// Scans `dir` once, opening encrypted files with `vault`; says on standard error how
/// many encrypted summaries did not open (their rows say why).
pub fn scan(dir: &Path, cache: bool, vault: &Vault) -> Result<Index, String> {
    scan_with(&mut scanner(dir, cache, vault)?)
}

/// One scan by `scanner`, with what [`scan`] says of it.
fn scan_with(scanner: &mut Scanner) -> Result<Index, String> {
    let index = scanner
        .scan()
        .map_err(|e| format!("{}: cannot list the folder: {e}", scanner.dir().display()))?;
    let locked = index
        .rows
        .iter()
        .filter(|r| r.entry.as_ref().is_err_and(|why| why.starts_with("encrypted:")))
        .count();
    if locked > 0 {
        eprintln!("holdspace: {locked} encrypted summaries did not open; each one's row says why.");
    }
    Ok(index)
}

/// The export of a summary file (with its wrap-up, or the draft of it in `data`), or of a
/// group found in `dir` by its name; encrypted files are opened with `vault`.
pub fn export_target(
    format: Format,
    target: &Path,
    dir: &Path,
    observation_dirs: &[PathBuf],
    cache: bool,
    vault: &Vault,
    data: &DataDir,
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
        let open =
            |index: &Index| load::session(target, &dirs, index, &index::Beside::default(), vault, Some(data));
        let mut opened = open(&Index {
            dir: folder.to_owned(),
            handins: load::handins_in(folder),
            ..Index::default()
        });
        // Offline observations go with the closest session of their plan and day: that
        // needs the folder's other sessions, read only then.
        if opened
            .observations
            .iter()
            .any(|a| a.how == crate::observations::How::TimeOverlap)
            && let Ok(index) =
                scanner(folder, cache, vault).and_then(|mut s| s.scan().map_err(|e| e.to_string()))
        {
            opened = open(&index);
        }
        let summary = opened.summary.as_ref().map_err(|_| {
            read_summary_with(target, vault)
                .map_or_else(|e| e.to_string(), |_| "the summary changed while read".into())
        })?;
        return Ok(export::session(
            format,
            summary,
            &opened.observations,
            &opened.supervised,
            &opened.wrapup,
            &opened.problems,
        ));
    }
    let name = target.to_string_lossy();
    if target.extension().is_some_and(|e| e == "ron" || e == "age")
        || name.contains(std::path::MAIN_SEPARATOR)
    {
        return Err(format!("{name}: no such summary file"));
    }
    let index = scan(dir, cache, vault)?;
    let group = find_group(&index, &name)?;
    let series = load::series(&index, &group, vault);
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
