//! `holdspace review`'s arguments, turned into a [`review::Request`].

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::CommonArgs;
use crate::config;
use crate::review::filter::{Column, Filter, Sort};
use crate::review::{self, Format};
use crate::storage::DataDir;
use crate::supervision;

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

Filter words: free words must all appear; group:WORD fac:WORD from:DATE to:DATE flags
status:draft|submitted|signed|returned|changed.
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
    /// Export TARGET (a summary file or a group) to FILE (-o) or standard output.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub export: Option<Format>,
    /// Where the export goes (default: standard output). Never into the folder of
    /// summaries, never over the summary exported.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With -o: replace FILE if it exists.
    #[arg(long, requires = "output")]
    pub force: bool,
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
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only sessions on or before this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
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

/// Runs `holdspace review` with these arguments. The config is only read, never created.
pub fn main(args: ReviewArgs) -> ExitCode {
    let config = config::resolve(args.common.config.as_deref(), false);
    let data = DataDir::resolve(args.common.data_dir.as_deref(), config.data_dir.as_deref());
    review::main(review::Request {
        filter: args.filter(),
        supervise: args.supervise(),
        sort: args.sort(),
        author: args.author,
        comment: args.comment,
        paths: args.paths,
        list: args.list,
        json: args.json,
        export: args.export,
        output: args.output,
        force: args.force,
        cache: !args.no_cache,
        data,
        theme: args.common.theme,
        configured_theme: config.theme,
    })
}
