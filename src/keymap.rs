//! Key bindings: an `Action` for everything a key can do, the default keys, and
//! overrides from the config file. Kept apart from the event loop so it can be tested
//! and documented on its own.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::{Deserialize, Serialize};

/// Where a key is read. Each popup has its own keys; `Global` keys work on every screen
/// (in text entry only those with Ctrl or Alt, so typing is never taken).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Context {
    Global,
    Main,
    Note,
    Attendance,
    Confirm,
    Rebalance,
    Resume,
    Prompt,
    Pick,
    Notes,
    Carried,
    WrapUp,
}

macro_rules! actions {
    ($($context:ident { $($action:ident => $name:literal, $help:literal, [$($key:literal),*];)* })*) => {
        /// Everything a key can do in the live console, on the main screen or in a popup.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum Action { $($($action,)*)* }

        impl Action {
            pub const ALL: &'static [Action] = &[$($(Action::$action,)*)*];

            /// The name used in the config file.
            pub fn name(self) -> &'static str {
                match self { $($(Action::$action => $name,)*)* }
            }

            /// One line for the help overlay.
            pub fn help(self) -> &'static str {
                match self { $($(Action::$action => $help,)*)* }
            }

            /// Where this action's keys are read.
            pub fn context(self) -> Context {
                match self { $($(Action::$action => Context::$context,)*)* }
            }

            fn default_keys(self) -> &'static [&'static str] {
                match self { $($(Action::$action => &[$($key),*],)*)* }
            }

            pub fn from_name(name: &str) -> Option<Action> {
                match name { $($($name => Some(Action::$action),)*)* _ => None }
            }
        }
    };
}

actions! {
    Global {
        Curtain => "curtain", "privacy curtain on / off", ["c", "Ctrl-o"];
    }
    Main {
        StartPause => "start_pause", "start / pause the clock", ["Space"];
        NextSegment => "next_segment", "next segment", ["Right"];
        PreviousSegment => "previous_segment", "previous segment", ["Left"];
        JumpToSegment => "jump_to_segment", "jump to a segment", ["j"];
        Extend => "extend", "segment +1 minute", ["+", "="];
        Shorten => "shorten", "segment −1 minute", ["-"];
        ExtendFive => "extend_five", "segment +5 minutes", ["]"];
        ShortenFive => "shorten_five", "segment −5 minutes", ["["];
        Skip => "skip", "skip this segment", ["s"];
        NextStep => "next_step", "next exercise step", ["Down"];
        PreviousStep => "previous_step", "previous exercise step", ["Up"];
        NextSpeaker => "next_speaker", "next speaker", ["Tab"];
        Pass => "pass", "the speaker passes", ["x"];
        EndTurn => "end_turn", "end the turn", ["e"];
        GiveFloor => "give_floor", "give a member the floor", ["g"];
        RaiseHand => "raise_hand", "raise / lower a hand", ["h"];
        Invite => "invite", "invite who spoke least", ["i"];
        Note => "note", "note: speaker or group", ["n"];
        NoteAboutMember => "note_about_member", "note about a member", ["N"];
        Attendance => "attendance", "attendance", ["a"];
        Undo => "undo", "undo the last action", ["u"];
        Notes => "notes", "correct or withdraw a note", ["l"];
        Carried => "carried", "open items of last session", ["f"];
        MoreInfo => "more_info", "more prompts and materials", ["m"];
        WrapUp => "wrapup", "the wrap-up (after the end)", ["W"];
        GroundRules => "ground_rules", "read the ground rules", ["G"];
        Rebalance => "rebalance", "rebalance to end on time", ["r"];
        Share => "share", "share with trainees on/off", ["T"];
        SaveAs => "save_as", "save the summary elsewhere", ["S"];
        Help => "help", "this help", ["?"];
        Quit => "quit", "end the session (asks)", ["q", "Ctrl-c"];
    }
    Note {
        NoteSave => "note_save", "save the note", ["Enter"];
        NoteNewLine => "note_new_line", "a new line", ["Alt-Enter"];
        NoteClose => "note_close", "close, keeping the draft", ["Esc"];
        NoteSubjectNext => "note_subject_next", "about: the next subject", ["Tab"];
        NoteSubjectPrevious => "note_subject_previous", "about: the one before", ["BackTab"];
        TagRisk => "tag_risk", "tag the note: risk", ["Alt-r"];
        TagFollowUp => "tag_follow_up", "tag the note: follow-up", ["Alt-f"];
        TagConflict => "tag_conflict", "tag the note: conflict", ["Alt-c"];
        TagInsight => "tag_insight", "tag the note: insight", ["Alt-i"];
    }
    Attendance {
        AttendanceUp => "attendance_up", "attendance: previous member", ["Up"];
        AttendanceDown => "attendance_down", "attendance: next member", ["Down"];
        MarkPresent => "mark_present", "attendance: present", ["P"];
        MarkLate => "mark_late", "attendance: arrived late (now)", ["L"];
        MarkLeft => "mark_left", "attendance: left early (now)", ["E"];
        MarkAbsent => "mark_absent", "attendance: absent", ["X"];
        MarkExpected => "mark_expected", "attendance: not arrived yet", ["U"];
        AttendanceDone => "attendance_done", "attendance: done", ["Esc", "Enter"];
    }
    Confirm {
        Yes => "yes", "yes", ["y"];
        No => "no", "no", ["n", "Esc"];
        ConfirmOther => "confirm_other", "the other choice (e.g. a summary anyway)", ["s"];
    }
    Rebalance {
        RebalanceAccept => "rebalance_accept", "accept the rebalanced agenda", ["Enter"];
        RebalanceDismiss => "rebalance_dismiss", "dismiss the rebalanced agenda", ["Esc", "q"];
    }
    Resume {
        ResumePaused => "resume_paused", "resume, counting the time down as paused", ["p"];
        ResumeElapsed => "resume_elapsed", "resume, counting the time down as elapsed", ["e"];
        ResumeNew => "resume_new", "start a new session (the old one stays)", ["n"];
        ResumeLeave => "resume_leave", "leave (the unfinished session stays)", ["q", "Esc", "Ctrl-c"];
    }
    Prompt {
        PromptAccept => "prompt_accept", "accept what is typed", ["Enter"];
        PromptCancel => "prompt_cancel", "cancel", ["Esc"];
    }
    Pick {
        PickCancel => "pick_cancel", "cancel the choice", ["Esc"];
    }
    WrapUp {
        WrapUpNextField => "wrapup_next_field", "wrap-up: the next field", ["Tab", "Enter"];
        WrapUpPreviousField => "wrapup_previous_field", "wrap-up: the field before", ["BackTab"];
        WrapUpNextPage => "wrapup_next_page", "wrap-up: the next page", ["PageDown", "Ctrl-n"];
        WrapUpPreviousPage => "wrapup_previous_page", "wrap-up: the page before", ["PageUp", "Ctrl-p"];
        WrapUpNewLine => "wrapup_new_line", "wrap-up: a new line in a field", ["Alt-Enter"];
        WrapUpSameAsLast => "wrapup_same_as_last", "wrap-up: the plan of last session", ["Ctrl-l"];
        WrapUpSave => "wrapup_save", "wrap-up: save it beside the summary", ["Ctrl-s"];
        WrapUpSubmit => "wrapup_submit", "wrap-up: save it and submit the session for supervision", ["Ctrl-t"];
        WrapUpLater => "wrapup_later", "wrap-up: finish it later", ["Esc"];
    }
    Notes {
        NotesUp => "notes_up", "notes: the one above", ["Up"];
        NotesDown => "notes_down", "notes: the one below", ["Down"];
        NotesCorrect => "notes_correct", "notes: correct it (text, tags, subject)", ["Enter"];
        NotesWithdraw => "notes_withdraw", "notes: withdraw it (it stays, marked)", ["W"];
        NotesClose => "notes_close", "notes: close", ["Esc"];
    }
    Carried {
        CarriedUp => "carried_up", "carried: the one above", ["Up"];
        CarriedDown => "carried_down", "carried: the one below", ["Down"];
        CarriedToggle => "carried_toggle", "carried: close it (done), or open it again", ["Enter", "Space"];
        CarriedClose => "carried_close", "carried: close the list", ["Esc"];
    }
}

/// One key with its modifiers, written like `"Space"`, `"Right"`, `"n"`, `"Ctrl-c"`, `"F5"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    code: KeyCodeName,
    ctrl: bool,
    alt: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum KeyCodeName {
    Char(char),
    F(u8),
    Named(&'static str),
}

const NAMED: &[(&str, KeyCode)] = &[
    ("Space", KeyCode::Char(' ')),
    ("Enter", KeyCode::Enter),
    ("Tab", KeyCode::Tab),
    ("BackTab", KeyCode::BackTab),
    ("Esc", KeyCode::Esc),
    ("Backspace", KeyCode::Backspace),
    ("Delete", KeyCode::Delete),
    ("Left", KeyCode::Left),
    ("Right", KeyCode::Right),
    ("Up", KeyCode::Up),
    ("Down", KeyCode::Down),
    ("Home", KeyCode::Home),
    ("End", KeyCode::End),
    ("PageUp", KeyCode::PageUp),
    ("PageDown", KeyCode::PageDown),
];

impl Key {
    /// The key of a terminal key event, or `None` for keys holdspace never binds.
    pub fn from_event(event: &KeyEvent) -> Option<Key> {
        let code = match event.code {
            KeyCode::Char(' ') => KeyCodeName::Named("Space"),
            KeyCode::Char(c) => KeyCodeName::Char(c),
            KeyCode::F(n) => KeyCodeName::F(n),
            other => KeyCodeName::Named(NAMED.iter().find(|(_, code)| *code == other)?.0),
        };
        Some(Key {
            code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
            alt: event.modifiers.contains(KeyModifiers::ALT),
        })
    }
}

impl FromStr for Key {
    type Err = String;

    fn from_str(text: &str) -> Result<Key, String> {
        let mut rest = text;
        let (mut ctrl, mut alt) = (false, false);
        loop {
            if let Some(r) = rest.strip_prefix("Ctrl-").or_else(|| rest.strip_prefix("C-")) {
                ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("Alt-").or_else(|| rest.strip_prefix("M-")) {
                alt = true;
                rest = r;
            } else {
                break;
            }
        }
        // Shift-Tab is its own key to a terminal.
        if rest.eq_ignore_ascii_case("Shift-Tab") {
            rest = "BackTab";
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCodeName::Char(if ctrl { c.to_ascii_lowercase() } else { c }),
            _ => {
                if let Some(n) = rest
                    .strip_prefix('F')
                    .and_then(|n| n.parse::<u8>().ok())
                    .filter(|n| (1..=12).contains(n))
                {
                    KeyCodeName::F(n)
                } else if let Some((name, _)) = NAMED.iter().find(|(name, _)| name.eq_ignore_ascii_case(rest))
                {
                    KeyCodeName::Named(name)
                } else {
                    return Err(format!(
                        "\"{text}\" is not a key: use one character (\"n\"), a name ({}), F1-F12, \
                         with Ctrl- or Alt- in front if needed",
                        NAMED.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
                    ));
                }
            }
        };
        Ok(Key { code, ctrl, alt })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCodeName::Char(c) => write!(f, "{c}"),
            KeyCodeName::F(n) => write!(f, "F{n}"),
            KeyCodeName::Named("Right") => f.write_str("→"),
            KeyCodeName::Named("Left") => f.write_str("←"),
            KeyCodeName::Named("Up") => f.write_str("↑"),
            KeyCodeName::Named("Down") => f.write_str("↓"),
            KeyCodeName::Named("BackTab") => f.write_str("Shift-Tab"),
            KeyCodeName::Named(name) => f.write_str(name),
        }
    }
}

/// Which key does what where: defaults, with the config's overrides laid over them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: BTreeMap<(Context, Key), Action>,
}

/// A problem in the config's `keys` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapProblem {
    /// The action name as written in the config, for locating it.
    pub action: String,
    pub message: String,
}

impl Default for Keymap {
    fn default() -> Self {
        let mut bindings = BTreeMap::new();
        for action in Action::ALL {
            for key in action.default_keys() {
                if let Ok(key) = key.parse() {
                    bindings.insert((action.context(), key), *action);
                }
            }
        }
        Keymap { bindings }
    }
}

impl Keymap {
    /// The defaults with `overrides` (action name → keys) applied. An overridden action
    /// loses its default keys. Unknown actions, bad keys and one key doing two things in
    /// one place (or shadowing a key that works everywhere) are reported; the rest still
    /// applies.
    pub fn with_overrides(overrides: &BTreeMap<String, Vec<String>>) -> (Keymap, Vec<KeymapProblem>) {
        let mut keymap = Keymap::default();
        let mut problems = Vec::new();
        let mut claimed: BTreeMap<(Context, Key), Action> = BTreeMap::new();
        for (name, keys) in overrides {
            let Some(action) = Action::from_name(name) else {
                let names: Vec<_> = Action::ALL.iter().map(|a| a.name()).collect();
                let hint = crate::source::closest(name, names.iter().copied()).map_or_else(
                    || format!("actions: {}", names.join(", ")),
                    |c| format!("did you mean `{c}`?"),
                );
                problems.push(KeymapProblem {
                    action: name.clone(),
                    message: format!("unknown action `{name}`; {hint}"),
                });
                continue;
            };
            keymap.bindings.retain(|_, bound| *bound != action);
            for text in keys {
                match text.parse::<Key>() {
                    Ok(key) => {
                        if let Some(other) = claimed
                            .insert((action.context(), key), action)
                            .filter(|other| *other != action)
                        {
                            problems.push(KeymapProblem {
                                action: name.clone(),
                                message: format!(
                                    "key {key} is bound to both `{}` and `{name}`",
                                    other.name()
                                ),
                            });
                        }
                    }
                    Err(message) => problems.push(KeymapProblem {
                        action: name.clone(),
                        message,
                    }),
                }
            }
        }
        for ((context, key), action) in &claimed {
            if let Some(previous) = keymap.bindings.insert((*context, *key), *action)
                && previous != *action
                && !overrides.contains_key(previous.name())
            {
                problems.push(KeymapProblem {
                    action: action.name().into(),
                    message: format!(
                        "key {key} is already the default for `{}`; rebind that action too, or pick another key",
                        previous.name()
                    ),
                });
            }
        }
        // A key that works everywhere must not also mean something in one place.
        for ((context, key), action) in &keymap.bindings {
            let Some(global) = keymap.bindings.get(&(Context::Global, *key)) else {
                continue;
            };
            let overridden = [action, global]
                .into_iter()
                .find(|a| overrides.contains_key(a.name()));
            if let (false, Some(overridden)) = (*context == Context::Global, overridden) {
                problems.push(KeymapProblem {
                    action: overridden.name().into(),
                    message: format!(
                        "key {key} is bound to both `{}` (everywhere) and `{}`; pick another key",
                        global.name(),
                        action.name()
                    ),
                });
            }
        }
        (keymap, problems)
    }

    /// The action a key press means in `context`: the context's own keys first, then those
    /// that work everywhere. While `typing`, a plain character is text, never a global key.
    pub fn action(&self, context: Context, event: &KeyEvent, typing: bool) -> Option<Action> {
        // Shift is not part of a key: it is already in the character (`N`, `+`, `?`).
        let key = Key::from_event(event)?;
        if let Some(action) = self.bindings.get(&(context, key)) {
            return Some(*action);
        }
        if typing && !key.ctrl && !key.alt && matches!(key.code, KeyCodeName::Char(_)) {
            return None;
        }
        self.bindings.get(&(Context::Global, key)).copied()
    }

    /// The keys bound to an action, for help and hints.
    /// Plain keys come before those with Ctrl or Alt: the first is the one hints show.
    pub fn keys_for(&self, action: Action) -> Vec<Key> {
        let mut keys: Vec<Key> = self
            .bindings
            .iter()
            .filter(|(_, a)| **a == action)
            .map(|((_, k), _)| *k)
            .collect();
        keys.sort_by_key(|k| (k.ctrl || k.alt, *k));
        keys
    }

    /// The keys of an action that still work while typing (with Ctrl or Alt), as one label.
    pub fn label_while_typing(&self, action: Action) -> String {
        self.keys_for(action)
            .iter()
            .filter(|k| k.ctrl || k.alt || !matches!(k.code, KeyCodeName::Char(_)))
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The first key of an action, as hints show it; `None` when the config unbound it.
    pub fn first_key(&self, action: Action) -> Option<Key> {
        self.keys_for(action).first().copied()
    }

    /// The keys bound to an action as one label, e.g. `"+ ="`.
    pub fn label(&self, action: Action) -> String {
        self.keys_for(action)
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn the_documented_defaults() {
        let keys = Keymap::default();
        let cases = [
            (KeyCode::Char(' '), Action::StartPause),
            (KeyCode::Right, Action::NextSegment),
            (KeyCode::Left, Action::PreviousSegment),
            (KeyCode::Char('+'), Action::Extend),
            (KeyCode::Char('-'), Action::Shorten),
            (KeyCode::Tab, Action::NextSpeaker),
            (KeyCode::Char('x'), Action::Pass),
            (KeyCode::Char('n'), Action::Note),
            (KeyCode::Char('a'), Action::Attendance),
            (KeyCode::Char('c'), Action::Curtain),
            (KeyCode::Char('?'), Action::Help),
            (KeyCode::Char('q'), Action::Quit),
        ];
        for (code, action) in cases {
            assert_eq!(
                keys.action(Context::Main, &press(code, KeyModifiers::NONE), false),
                Some(action),
                "{code:?}"
            );
        }
        assert_eq!(
            keys.action(
                Context::Main,
                &press(KeyCode::Char('c'), KeyModifiers::CONTROL),
                false
            ),
            Some(Action::Quit)
        );
        assert_eq!(
            keys.action(
                Context::Main,
                &press(KeyCode::Char('N'), KeyModifiers::SHIFT),
                false
            ),
            Some(Action::NoteAboutMember)
        );
    }

    #[test]
    fn every_action_has_a_default_key_and_no_key_means_two_things_in_one_place() {
        let keys = Keymap::default();
        let mut seen = std::collections::HashSet::new();
        let global: Vec<Key> = Action::ALL
            .iter()
            .filter(|a| a.context() == Context::Global)
            .flat_map(|a| keys.keys_for(*a))
            .collect();
        for action in Action::ALL {
            for text in action.default_keys() {
                let key: Key = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
                assert!(
                    seen.insert((action.context(), key)),
                    "{key} bound twice in {:?}",
                    action.context()
                );
                if action.context() != Context::Global {
                    assert!(!global.contains(&key), "{key} of {action:?} shadows a global key");
                }
            }
            assert!(!keys.keys_for(*action).is_empty(), "{action:?}");
        }
    }

    #[test]
    fn global_keys_work_in_popups_but_never_take_typed_text() {
        let keys = Keymap::default();
        let c = press(KeyCode::Char('c'), KeyModifiers::NONE);
        let ctrl_o = press(KeyCode::Char('o'), KeyModifiers::CONTROL);
        assert_eq!(keys.action(Context::Attendance, &c, false), Some(Action::Curtain));
        assert_eq!(
            keys.action(Context::Note, &c, true),
            None,
            "c is a letter in a note"
        );
        assert_eq!(keys.action(Context::Note, &ctrl_o, true), Some(Action::Curtain));
        // A popup's own key comes before a global one.
        let esc = press(KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(keys.action(Context::Note, &esc, true), Some(Action::NoteClose));
        assert_eq!(keys.action(Context::Confirm, &esc, false), Some(Action::No));
    }

    #[test]
    fn overrides_rebind_and_report_conflicts() {
        let overrides = BTreeMap::from([
            ("note".to_string(), vec!["F2".to_string()]),
            ("pass".to_string(), vec!["p".to_string()]),
            ("curtain".to_string(), vec!["Tab".to_string()]),
            ("nxt".to_string(), vec!["z".to_string()]),
            ("skip".to_string(), vec!["Hyper-q".to_string()]),
        ]);
        let (keys, problems) = Keymap::with_overrides(&overrides);
        assert_eq!(
            keys.action(Context::Main, &press(KeyCode::F(2), KeyModifiers::NONE), false),
            Some(Action::Note)
        );
        assert_eq!(
            keys.action(
                Context::Main,
                &press(KeyCode::Char('n'), KeyModifiers::NONE),
                false
            ),
            None
        );
        assert_eq!(
            keys.action(
                Context::Main,
                &press(KeyCode::Char('p'), KeyModifiers::NONE),
                false
            ),
            Some(Action::Pass)
        );
        let text: Vec<_> = problems.iter().map(|p| p.message.as_str()).collect();
        assert!(
            text.iter()
                .any(|m| m.contains("Tab") && m.contains("next_speaker")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|m| m.contains("unknown action `nxt`")),
            "{text:?}"
        );
        assert!(text.iter().any(|m| m.contains("not a key")), "{text:?}");
    }
}
