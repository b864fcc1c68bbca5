//! `holdspace review`'s arguments, turned into a [`review::Request`].

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, ValueEnum};

use super::CommonArgs;
use crate::config::{self, Config};
use crate::review::filter::{Column, Filter, Sort};
use crate::review::{self, Export, Format, Keys};
use crate::storage::DataDir;
use crate::supervision;
use crate::vault::{AskOnce, TerminalPrompt, Vault};

/// What `--export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// A Markdown report.
    Md,
    /// One self-contained, printable HTML report with the charts.
    Html,
    /// The summary itself (and its wrap-up beside it), e.g. for the supervisor with --recipient.
    Ron,
}

impl From<ExportFormat> for Export {
    fn from(format: ExportFormat) -> Export {
        match format {
            ExportFormat::Md => Export::Report(Format::Md),
            ExportFormat::Html => Export::Report(Format::Html),
            ExportFormat::Ron => Export::Summary,
        }
    }
}

/// `holdspace review`.
#[derive(Debug, Clone, Default, Args)]
#[command(after_help = "Examples:
  holdspace review                          browse the data dir's summaries
  holdspace review ~/supervision/march      browse another folder
  holdspace review --list --json DIR        the list as JSON, without a terminal
  holdspace review --list --filter 'group:tuesday from:2025-03 flags'
  holdspace review --export html 2025-03-04_1800_managing-anxiety.ron -o report.html
  holdspace review --export md \"Tuesday evening anxiety group\" -o tuesday.md
  holdspace review --submit SUMMARY.ron                      the facilitator hands it in
  holdspace review --sign SUMMARY.ron --as \"Dr. Amal Chowdhury\" --comment \"Well held\"
  holdspace review --return SUMMARY.ron --as \"Dr. Amal Chowdhury\" --comment \"Add the safety plan\"
  holdspace review --export ron SUMMARY.ron.age --recipient age1… -o for-supervisor.ron
                                            a copy only the supervisor's key opens

With encryption on (`encryption:` in the config) encrypted summaries (.ron.age) are
listed and opened with your identity (a passphrase is asked once), and every record and
export is written encrypted (FILE.age); --plain writes an export unencrypted.

Filter words: free words must all appear; group:WORD fac:WORD from:DATE to:DATE flags
status:draft|submitted|signed|returned|changed|conflict.
In the browser press ? for the keys.")]
pub struct ReviewArgs {
    /// The folder of summaries (default: the data dir's summaries). With --export: the
    /// TARGET (a summary file, or a group's name looked up in DIR), then optionally DIR.
    #[arg(value_name = "DIR|TARGET", num_args = 0..=2)]
    pub paths: Vec<PathBuf>,
    /// Print the list instead of opening the browser.
    #[arg(long)]
    pub list: bool,
    /// With --list: print JSON (implies --list).
    #[arg(long)]
    pub json: bool,
    /// Export TARGET (a summary file or a group) to FILE (-o) or standard output. With
    /// encryption on, the file is encrypted (FILE.age) unless --plain.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub export: Option<ExportFormat>,
    /// Where the export goes (default: standard output). Never into the folder of
    /// summaries, never over the summary exported.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With -o: replace FILE if it exists (or FILE.age).
    #[arg(long, requires = "output")]
    pub force: bool,
    /// With --export: write it unencrypted even with encryption on, e.g. to print it.
    /// This puts clinical text on disk in plain: delete it when done.
    #[arg(long, requires = "export", conflicts_with = "recipient")]
    pub plain: bool,
    /// With --export: encrypt it to this recipient alone (an age1… public key, or a name
    /// from the config's encryption.named, e.g. supervisor); repeat for several.
    #[arg(long, value_name = "KEY|NAME", requires = "export")]
    pub recipient: Vec<String>,
    /// Only sessions matching this filter query (see below).
    #[arg(long, value_name = "QUERY")]
    pub filter: Option<String>,
    /// Only this group (part of its name).
    #[arg(long, value_name = "NAME")]
    pub group: Option<String>,
    /// Only sessions with this facilitator (part of the name).
    #[arg(long, value_name = "NAME")]
    pub facilitator: Option<String>,
    /// Only sessions on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = date_bound)]
    pub from: Option<String>,
    /// Only sessions on or before this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = date_bound)]
    pub to: Option<String>,
    /// Only sessions with a risk or follow-up flag.
    #[arg(long)]
    pub flagged: bool,
    /// Sort by this column (date and flags: largest first).
    #[arg(long, value_enum, value_name = "COLUMN")]
    pub sort: Option<Column>,
    /// Reverse the sort.
    #[arg(long)]
    pub reverse: bool,
    /// Neither read nor write the index cache (in the platform's cache dir).
    #[arg(long)]
    pub no_cache: bool,
    /// Submit this summary for sign-off (as its lead facilitator unless --as says).
    #[arg(long, value_name = "FILE", group = "supervise")]
    pub submit: Option<PathBuf>,
    /// Sign this summary off (records its SHA-256); needs --as.
    #[arg(long, value_name = "FILE", group = "supervise", requires = "author")]
    pub sign: Option<PathBuf>,
    /// Return this summary with a comment; needs --as and --comment.
    #[arg(long = "return", value_name = "FILE", group = "supervise", requires_all = ["author", "comment"])]
    pub return_: Option<PathBuf>,
    /// Add an addendum (a correction) to a signed summary; needs --as and --comment.
    #[arg(long, value_name = "FILE", group = "supervise", requires_all = ["author", "comment"])]
    pub addendum: Option<PathBuf>,
    /// Comment on this summary's session; needs --as and --comment.
    #[arg(long, value_name = "FILE", group = "supervise", requires_all = ["author", "comment"])]
    pub comment_on: Option<PathBuf>,
    /// Who signs, returns or comments (also the name the browser records under).
    #[arg(long = "as", value_name = "NAME")]
    pub author: Option<String>,
    /// The text of a sign-off, return, addendum or comment.
    #[arg(long, value_name = "TEXT")]
    pub comment: Option<String>,
    #[command(flatten)]
    pub common: CommonArgs,
}

impl ReviewArgs {
    /// The filter the flags and `--filter` ask for together.
    fn filter(&self) -> Filter {
        let mut filter = self.filter.as_deref().map(Filter::parse).unwrap_or_default();
        let lower = |s: &Option<String>| s.as_ref().map(|v| v.to_lowercase());
        filter.group = lower(&self.group).or(filter.group);
        filter.facilitator = lower(&self.facilitator).or(filter.facilitator);
        filter.from = lower(&self.from).or(filter.from);
        filter.to = lower(&self.to).or(filter.to);
        filter.flagged |= self.flagged;
        filter
    }

    /// The supervision action asked for, and on which summary.
    fn supervise(&self) -> Option<(supervision::Request, PathBuf)> {
        use supervision::{Request, Target};
        [
            (Request::Submit, &self.submit),
            (Request::Sign, &self.sign),
            (Request::Return, &self.return_),
            (Request::Addendum, &self.addendum),
            (Request::Comment(Target::Session), &self.comment_on),
        ]
        .into_iter()
        .find_map(|(request, file)| file.clone().map(|f| (request, f)))
    }

    fn sort(&self) -> Sort {
        let column = self.sort.unwrap_or_default();
        Sort {
            column,
            descending: column.natural_descending() != self.reverse,
        }
    }
}

/// How `review` opens and seals files: the config's vault (a passphrase asked at most once
/// this run, and only before the browser takes the terminal), plain exports with
/// `--plain`, exports for someone alone with `--recipient`.
fn keys(config: &Config, args: &ReviewArgs) -> Keys {
    let ask = Arc::new(AskOnce::new(TerminalPrompt));
    let (vault, problem) = Vault::from_config_for_reading(config.encryption.as_ref(), ask.clone());
    Keys {
        vault,
        problem: problem.map(|e| e.to_string()),
        ask: Some(ask),
        plain: args.plain,
        recipients: args.recipient.clone(),
    }
}

/// Runs `holdspace review` with these arguments. The config is only read, never created.
pub fn main(args: ReviewArgs) -> ExitCode {
    let config = config::resolve(args.common.config.as_deref(), false);
    let data = DataDir::resolve(args.common.data_dir.as_deref(), config.data_dir.as_deref());
    let keys = keys(&config, &args);
    let filter = args.filter();
    if let Some(problem) = &filter.problem {
        return super::fail(&format!("--filter: {problem}"));
    }
    review::main(review::Request {
        filter,
        supervise: args.supervise(),
        sort: args.sort(),
        author: args.author,
        comment: args.comment,
        paths: args.paths,
        list: args.list,
        json: args.json,
        export: args.export.map(Export::from),
        output: args.output,
        force: args.force,
        cache: !args.no_cache,
        data,
        theme: args.common.theme,
        configured_theme: config.theme,
        keys,
    })
}

/// A date bound as `--from`/`--to` take it: a real year, month or day, never a silent
/// "matches everything" for a typo.
fn date_bound(text: &str) -> Result<String, String> {
    if crate::review::filter::is_date_bound(text) {
        Ok(text.to_owned())
    } else {
        Err(format!("not a date: {text:?} (YYYY, YYYY-MM or YYYY-MM-DD)"))
    }
}
