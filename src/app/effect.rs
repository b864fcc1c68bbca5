//! What handling a key asks for. A component never changes the console itself: it returns
//! its next mode and these effects, which the console carries out (and passes on to the
//! event loop what only the loop can do).

use std::path::PathBuf;

use crate::journal::Unfinished;
use crate::notes::WrapUp;
use crate::session::{About, Command, Downtime, Tag};

/// A note being written, kept when its editor closes so the next `n` brings it back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Draft {
    pub text: String,
    /// Whom or what the note is about: kept with the text, never guessed again.
    pub about: About,
    pub tags: Vec<Tag>,
    /// The note this corrects (its place in the session's notes), or `None` for a new one.
    pub amends: Option<usize>,
}

impl Draft {
    /// The command that files it: a correction of the note it amends, or a new note.
    pub fn into_command(self) -> Command {
        let Draft {
            text,
            about,
            tags,
            amends,
        } = self;
        match amends {
            Some(index) => Command::AmendNote {
                index,
                about,
                tags,
                text,
            },
            None => Command::AddNote { about, tags, text },
        }
    }
}

/// What a component asks the console to do.
#[derive(Debug)]
pub enum Effect {
    /// Through the core: decided, folded, journaled and shared. A trainee's note goes to
    /// their own observations instead.
    Command(Command),
    /// Open the note editor about this subject, or with the kept draft if there is one.
    OpenNote(About),
    /// Take back the last action, and say what was taken back.
    Undo,
    /// A message on the banner line for a moment.
    Notice(String),
    /// The next page of the segment's prompts, materials and cues.
    MoreInfo,
    /// Keep a draft for the next note editor.
    KeepDraft(Draft),
    /// Select a member (notes and "give the floor" go to them), or clear the selection.
    Select(Option<usize>),
    /// Turn sharing with trainees on or off.
    ToggleSharing,
    /// Write the summary so far into this folder (the session goes on).
    SaveSummaryTo(PathBuf),
    /// End the session: everything is journaled, those never marked are asked about,
    /// then the summary is written.
    EndSession,
    /// The end is journaled and the closing questions answered: write the summary.
    FinishSession,
    /// End a session that never started without writing a summary.
    Abandon,
    /// Leave without saving anything (typed `discard`).
    Discard,
    /// Keep the wrap-up as a draft and go on (the curtain closed it).
    WrapUpDraft(Box<WrapUp>),
    /// Open the wrap-up put aside again.
    ReopenWrapUp,
    /// Keep the wrap-up as a draft, to finish later, and leave.
    WrapUpLater(Box<WrapUp>),
    /// Save the wrap-up beside the summary at this path, and leave.
    /// Save the finished wrap-up beside this summary; `true`: and submit the session for
    /// supervision.
    WrapUpSave(Box<WrapUp>, PathBuf, bool),
    /// Leave the console: a trainee leaving, or an ended session closing.
    Leave,
    /// Leave before choosing whether to resume: the unfinished session stays as it was.
    Postpone,
    /// Pick up an unfinished session.
    Resume(Box<Unfinished>, Downtime),
    /// Start a new session, leaving the unfinished one as it is.
    StartNew,
}

/// What only the event loop can do, passed up by the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoopEffect {
    /// Stop the loop: the console is done.
    Exit(Exit),
    /// Ring the terminal bell.
    Bell,
    /// Sharing was turned on or off: watch the new status.
    SharingChanged,
}

/// Why the loop stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exit {
    /// The summary was written to these files; the wrap-up beside it too when saved.
    Saved {
        ron: PathBuf,
        markdown: PathBuf,
        wrapup: Option<super::filing::SavedWrapUp>,
        /// Submitted for supervision: `None` when not asked.
        submitted: Option<Result<(), String>>,
    },
    /// Left with the session in its journal: not ended, or ended without its summary
    /// (`holdspace run` picks it up again).
    InJournal { ended: bool },
    /// Left before choosing whether to resume: the unfinished session stays as it was.
    Postponed,
    /// A session that never started, left without a summary.
    NeverStarted,
    /// Left without saving, after typing `discard`.
    Discarded,
    /// A trainee left; their observation notes are in this file (if they wrote any).
    Observed(Option<PathBuf>),
    /// The console could not go on (an unfinished session could not be resumed).
    Failed(String),
}
