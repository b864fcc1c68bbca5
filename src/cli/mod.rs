//! Command-line interface: parse arguments, pick the command, report errors.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod notes;
mod review;
mod vault;
mod wrapup;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
pub use notes::NotesArgs;
pub use review::ReviewArgs;
pub use vault::{ArchiveArgs, KeysCommand, open_vault};

use crate::app::{self, Outcome, RunSetup};
use crate::check::check_file;
use crate::config;
use crate::keymap::Keymap;
use crate::plan::{self, BUILTIN_PLAN, BUILTIN_ROSTER, Loaded};
use crate::scaffold::Kind;
use crate::session::Downtime;
use crate::source::LoadError;
use crate::storage::DataDir;
use crate::terminal::{Stream, message};
use crate::theme;

#[derive(Debug, Parser)]
#[command(
    name = "holdspace",
    version,
    about = "A terminal console for facilitating group sessions live"
)]
#[command(
    long_about = "A terminal console for facilitating group sessions live: agenda and timers, \
speaking order and airtime, attendance and quick notes, and a saved summary. \
With no command it runs the built-in plan."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a session live (the built-in plan when no PLAN is given).
    Run(RunArgs),
    /// Follow a plan as a trainee: step along on your own and take private observation notes.
    Shadow(ShadowArgs),
    /// Validate plans, rosters, themes and config files (recognised by content).
    Check {
        /// Files to check.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Print where the config file is (it is written, commented, on first use).
    Config {
        /// Print the config file's path.
        #[arg(long)]
        path: bool,
    },
    /// Write a complete, valid plan for a group kind, ready to edit (or a roster with --roster).
    New(NewArgs),
    /// Print a shell completion script, e.g. `holdspace completions bash > holdspace.bash`.
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write a page per command into a folder.
    Man {
        /// Write holdspace.1 and holdspace-COMMAND.1 pages into this folder.
        #[arg(short, long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Browse saved summaries: list, filter, open a session, a group's series, every flag;
    /// or print the list (--list [--json]) or export a report (--export md|html).
    Review(Box<ReviewArgs>),
    /// Write a session's progress notes for filing: group.md and, per member, NAME.md and
    /// NAME.txt, naming no other member.
    Notes(NotesArgs),
    /// Finish (or correct) a session's wrap-up after the console has closed: the newest
    /// one not finished, or the summary named.
    Wrapup(wrapup::WrapupArgs),
    /// List the built-in and user themes, or draw a sample console in one.
    Themes {
        /// Draw a sample console in this theme (a name, or a path to a .ron theme).
        #[arg(long, value_name = "NAME")]
        preview: Option<String>,
    },
    /// Keys for encryption at rest: `keys new [-o FILE]` makes an identity.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Remove archived journals and exports older than the config's retention periods.
    Purge(ArchiveArgs),
    /// Encrypt the files already saved, in place (encryption must be on in the config).
    EncryptArchive(ArchiveArgs),
}

/// What every command that reads the config and the data dir takes.
#[derive(Debug, Clone, Args, Default)]
pub struct CommonArgs {
    /// Where journals, summaries and observations are (default: the config's, else the
    /// platform's data dir).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// A built-in theme (dark, light, high-contrast), a user theme's name, or a theme file.
    #[arg(long, value_name = "NAME|FILE")]
    pub theme: Option<String>,
    /// Use this config file instead of the one in the config dir.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// What the live console and the trainee's console both take.
#[derive(Debug, Args, Default)]
pub struct SessionArgs {
    /// The session plan (RON). Without it, the built-in plan and its fictional roster.
    pub plan: Option<PathBuf>,
    /// The roster (RON); overrides the plan's own `roster`.
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `holdspace new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The kind of group the plan is for.
    #[arg(value_enum, default_value_t = Kind::Cbt, conflicts_with = "roster")]
    pub kind: Kind,
    /// Write here instead of to standard output (refuses to overwrite without --force).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write a roster template (fictional placeholder names) instead of a plan.
    #[arg(long)]
    pub roster: bool,
    /// Overwrite FILE if it exists.
    #[arg(long, requires = "output")]
    pub force: bool,
}

#[derive(Debug, Args, Default)]
pub struct RunArgs {
    #[command(flatten)]
    pub session: SessionArgs,
    /// Resume the newest unfinished session without asking.
    #[arg(long)]
    pub resume: bool,
    /// With --resume: count the time the session was down as paused or as elapsed.
    #[arg(long, value_enum, default_value_t = DowntimeArg::Paused)]
    pub downtime: DowntimeArg,
    /// Share the session read-only with trainees, encrypted; listens on ADDR:PORT
    /// (default: the interface with the default route, port 47474; it says which). Off
    /// unless asked.
    #[arg(long, value_name = "ADDR:PORT", num_args = 0..=1, default_missing_value = "auto", value_parser = parse_share)]
    pub share: Option<ShareAt>,
}

/// Where `--share` listens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareAt {
    /// `--share` alone: the interface with the default route.
    DefaultRoute,
    At(std::net::SocketAddr),
}

fn parse_share(value: &str) -> Result<ShareAt, String> {
    if value == "auto" {
        return Ok(ShareAt::DefaultRoute);
    }
    value
        .parse()
        .map(ShareAt::At)
        .map_err(|_| format!("{value:?} is not ADDR:PORT, e.g. 192.168.1.20:47474 or 0.0.0.0:47474"))
}

impl ShareAt {
    /// The address to bind; for the default route, the interfaces are listed and the
    /// choice is said on stderr (the console then shows the address).
    fn resolve(self) -> std::net::SocketAddr {
        match self {
            ShareAt::At(address) => address,
            ShareAt::DefaultRoute => {
                let choice = crate::share::choose_share_address(crate::share::DEFAULT_PORT);
                message(Stream::Err, &format!("holdspace: {}", choice.explanation));
                choice.bind
            }
        }
    }
}

#[derive(Debug, Args, Default)]
pub struct ShadowArgs {
    #[command(flatten)]
    pub session: SessionArgs,
    /// Your name on the observation notes (default: the roster's first trainee, else "trainee").
    #[arg(long, value_name = "NAME")]
    pub trainee: Option<String>,
    /// Follow a live session shared by the facilitator (`holdspace run --share`).
    #[arg(long, value_name = "ADDR:PORT", requires = "code")]
    pub join: Option<String>,
    /// The join code the facilitator's console shows, e.g. plum-river-42.
    #[arg(long, value_name = "CODE", requires = "join")]
    pub code: Option<String>,
    /// Hand your observations in as one file for the supervisor to drop into the folder of
    /// summaries (default: your newest observations file); no console opens.
    #[arg(long, value_name = "OBSERVATIONS", num_args = 0..=1, default_missing_value = "newest", conflicts_with = "join")]
    pub hand_in: Option<PathBuf>,
    /// With --hand-in: where to write it (a file, or a folder; default: here).
    #[arg(short = 'o', long = "output", value_name = "FILE", requires = "hand_in")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum DowntimeArg {
    #[default]
    Paused,
    Elapsed,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Check { files }) => run_check(&files),
        Some(Command::Run(args)) => run_console(args),
        Some(Command::Shadow(args)) => shadow_console(args),
        Some(Command::Config { path: _ }) => match config::default_path() {
            Some(path) => print_out(&format!("{}\n", path.display())),
            None => fail("this platform has no config dir; pass --config FILE"),
        },
        Some(Command::New(args)) => new(&args),
        Some(Command::Completions { shell }) => completions(shell),
        Some(Command::Man { out }) => man(out.as_deref()),
        Some(Command::Review(args)) => review::main(*args),
        Some(Command::Notes(args)) => notes::main(&args),
        Some(Command::Wrapup(args)) => wrapup::main(&args),
        Some(Command::Themes { preview: None }) => crate::themes_cmd::list(),
        Some(Command::Themes { preview: Some(name) }) => crate::themes_cmd::preview(&name),
        Some(Command::Keys(command)) => vault::keys(command),
        Some(Command::Purge(args)) => vault::purge(&args),
        Some(Command::EncryptArchive(args)) => vault::encrypt_archive(&args),
        None => run_console(RunArgs::default()),
    }
}

/// What submitting for supervision said, as a line after the rest (empty when not asked).
pub(crate) fn submission(submitted: Option<&Result<(), String>>, summary: &Path) -> String {
    match submitted {
        None => String::new(),
        Some(Ok(())) => "\nSubmitted for supervision.".to_owned(),
        Some(Err(error)) => format!(
            "\nNOT submitted for supervision: {error}. `holdspace review --submit {}` tries again.",
            summary.display()
        ),
    }
}

fn fail(text: &str) -> ExitCode {
    message(Stream::Err, &format!("holdspace: {text}"));
    ExitCode::FAILURE
}

/// Prints to standard output; a closed pipe (`holdspace man | head`) is not an error.
fn print_out(text: &str) -> ExitCode {
    match crate::terminal::print_out(text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&format!("cannot write to standard output: {e}")),
    }
}

fn new(args: &NewArgs) -> ExitCode {
    let text = crate::scaffold::template(args.kind, args.roster);
    match &args.output {
        None => print_out(&text),
        Some(path) => match crate::scaffold::write_file(path, &text, args.force) {
            Ok(()) => {
                message(
                    Stream::Err,
                    &format!("Wrote {0}; check it with `holdspace check {0}`", path.display()),
                );
                ExitCode::SUCCESS
            }
            Err(message) => fail(&message),
        },
    }
}

/// `holdspace completions SHELL`: generated from this definition, so it never drifts
/// from `--help`.
fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "holdspace", &mut script);
    print_out(&String::from_utf8_lossy(&script))
}

/// `holdspace man [-o DIR]`: the top page on standard output, or every page into DIR.
fn man(out: Option<&Path>) -> ExitCode {
    let command = Cli::command();
    let Some(dir) = out else {
        let mut page = Vec::new();
        return match clap_mangen::Man::new(command).render(&mut page) {
            Ok(()) => print_out(&String::from_utf8_lossy(&page)),
            Err(e) => fail(&format!("cannot render the man page: {e}")),
        };
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        return fail(&format!("cannot create {}: {e}", dir.display()));
    }
    match clap_mangen::generate_to(command, dir) {
        Ok(()) => {
            message(
                Stream::Err,
                &format!(
                    "Wrote holdspace.1 and a page per command (holdspace-run.1, …) into {}",
                    dir.display()
                ),
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&format!("cannot write the man pages into {}: {e}", dir.display())),
    }
}

fn run_check(files: &[PathBuf]) -> ExitCode {
    let mut failed = false;
    for file in files {
        let diagnostics = check_file(file);
        failed |= diagnostics.iter().any(|d| d.is_error());
        if diagnostics.is_empty() {
            message(Stream::Out, &format!("{}: ok", file.display()));
        }
        for diagnostic in diagnostics {
            let stream = if diagnostic.is_error() {
                Stream::Err
            } else {
                Stream::Out
            };
            message(stream, &diagnostic.to_string());
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn load_plan(args: &SessionArgs) -> Result<Loaded, LoadError> {
    match &args.plan {
        Some(path) => plan::load_plan_with_roster(path, args.roster.as_deref()),
        None => {
            let plan = plan::parse_plan(BUILTIN_PLAN, Path::new("built-in plan"))?;
            let roster = match &args.roster {
                Some(path) => plan::load_roster(path)?.0,
                None => plan::parse_roster(BUILTIN_ROSTER, Path::new("built-in roster"))?,
            };
            Ok(Loaded {
                plan,
                roster,
                plan_path: None,
                roster_path: args.roster.clone(),
                warnings: Vec::new(),
            })
        }
    }
}

fn run_console(args: RunArgs) -> ExitCode {
    let launch = app::Launch::Facilitator {
        resume: args.resume.then_some(match args.downtime {
            DowntimeArg::Paused => Downtime::Paused,
            DowntimeArg::Elapsed => Downtime::Elapsed,
        }),
        share: args.share.map(ShareAt::resolve),
    };
    console(&args.session, launch)
}

fn shadow_console(args: ShadowArgs) -> ExitCode {
    if let Some(source) = &args.hand_in {
        let config = config::resolve(args.session.common.config.as_deref(), false);
        let data = DataDir::resolve(
            args.session.common.data_dir.as_deref(),
            config.data_dir.as_deref(),
        );
        let vault = match open_vault(&config) {
            Ok(vault) => vault,
            Err(error) => return fail(&format!("encryption: {error}")),
        };
        return match crate::observations::hand_in_newest(source, &data, args.output.as_deref(), &vault) {
            Ok(path) => {
                println!(
                    "Handed in: {} — give this file to your supervisor to drop into the folder of summaries.",
                    path.display()
                );
                ExitCode::SUCCESS
            }
            Err(message) => fail(&message),
        };
    }
    let join = match (args.join, args.code) {
        (Some(address), Some(code)) => Some(app::Join { address, code }),
        _ => None,
    };
    console(
        &args.session,
        app::Launch::Trainee {
            name: args.trainee.unwrap_or_default(),
            join,
        },
    )
}

/// Loads what a console needs, runs it, and reports how it ended.
fn console(args: &SessionArgs, mut launch: app::Launch) -> ExitCode {
    let config = config::resolve(args.common.config.as_deref(), true);
    let mut loaded = match load_plan(args) {
        Ok(loaded) => loaded,
        Err(error) => return fail(&format!("the plan did not load:\n{error}")),
    };
    if loaded.plan.warnings.is_empty() {
        loaded.plan.warnings = config.warnings.clone();
    }
    let theme = match theme::for_session(args.common.theme.as_deref(), &config.theme) {
        Ok(theme) => theme,
        Err(error) => return fail(&format!("the theme did not load:\n{error}")),
    };
    let (keys, _) = Keymap::with_overrides(&config.keys);
    if let app::Launch::Trainee { name, .. } = &mut launch
        && name.is_empty()
    {
        *name = loaded
            .roster
            .trainees
            .first()
            .cloned()
            .unwrap_or_else(|| "trainee".into());
    }
    let data = DataDir::resolve(args.common.data_dir.as_deref(), config.data_dir.as_deref());
    if let Some(warning) = crate::storage::exposure_warning(&data.root) {
        message(Stream::Err, &format!("holdspace: warning: {warning}"));
    }
    // Any passphrase is asked now, before the console takes the terminal.
    let vault = match open_vault(&config).and_then(|v| v.prepare().map(|()| v).map_err(|e| e.to_string())) {
        Ok(vault) => vault,
        Err(error) => return fail(&format!("encryption: {error}")),
    };
    let setup = RunSetup {
        plan: loaded.plan,
        plan_path: loaded.plan_path,
        roster: loaded.roster,
        theme,
        keys,
        data,
        vault,
        launch,
        warnings: loaded.warnings.iter().map(ToString::to_string).collect(),
        config,
    };
    match app::run(setup) {
        Ok(Outcome::Saved {
            ron,
            markdown,
            wrapup,
            submitted,
        }) => {
            let wrapup = match wrapup {
                Some(saved) => saved.words(&ron, false),
                None => format!(
                    "The wrap-up is not finished (its draft is kept): `holdspace wrapup {}` finishes it.",
                    ron.display()
                ),
            };
            message(
                Stream::Out,
                &format!(
                    "Session ended. Summary saved:\n  {}\n  {}\n{wrapup}{}",
                    markdown.display(),
                    ron.display(),
                    submission(submitted.as_ref(), &ron)
                ),
            );
            ExitCode::SUCCESS
        }
        Ok(Outcome::InJournal { journal, ended }) => {
            let path = journal.map(|p| format!(" ({})", p.display())).unwrap_or_default();
            let text = if ended {
                format!(
                    "The session ended but its summary was not written; everything is in its journal{path}. \
                     `holdspace run` writes the summary."
                )
            } else {
                format!(
                    "The session is not finished; everything is in its journal{path}. \
                     `holdspace run` offers to resume it."
                )
            };
            message(Stream::Out, &text);
            ExitCode::SUCCESS
        }
        Ok(Outcome::Postponed) => {
            message(
                Stream::Out,
                "The unfinished session stays in its journal; `holdspace run` offers it again.",
            );
            ExitCode::SUCCESS
        }
        Ok(Outcome::NeverStarted) => {
            message(Stream::Out, "The session never started; no summary was written.");
            ExitCode::SUCCESS
        }
        Ok(Outcome::Discarded) => {
            message(Stream::Out, "The session was discarded: nothing of it was saved.");
            ExitCode::SUCCESS
        }
        Ok(Outcome::Signal { name, journal, saved }) => {
            let path = journal.map(|p| format!(" ({})", p.display())).unwrap_or_default();
            // The terminal may be gone (SIGHUP): this write then fails quietly.
            let text = if saved {
                format!(
                    "holdspace: stopped by {name}. Everything is saved in the journal{path}; \
                     `holdspace run` offers to resume it."
                )
            } else {
                format!(
                    "holdspace: stopped by {name}. The journal{path} could not be written: the last \
                     actions of this session were not saved."
                )
            };
            message(Stream::Err, &text);
            ExitCode::from(crate::terminal::signal_exit_code(name))
        }
        Ok(Outcome::Observed { notes: Some(path) }) => {
            message(
                Stream::Out,
                &format!("Your observation notes are saved in {}", path.display()),
            );
            ExitCode::SUCCESS
        }
        Ok(Outcome::Observed { notes: None }) => {
            message(Stream::Out, "No observation notes were written.");
            ExitCode::SUCCESS
        }
        Err(error) => fail(&error),
    }
}
