//! The note editor: type a note, choose what it is about and its tags; `Enter` files it,
//! `Esc` closes it and keeps the draft — text, subject and tags — for the next `n`.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui_textarea::{CursorMove, TextArea};

use super::{Ctx, Mode, Step};
use crate::app::effect::{Draft, Effect};
use crate::keymap::Action;
use crate::session::{About, State, Tag, parse_tags};
use crate::theme::Theme;
use crate::ui::format;
use crate::ui::popup::{Hint, bordered, centered, key_lines};

const WIDTH: u16 = 76;

pub struct NoteEditor {
    editor: TextArea<'static>,
    about: About,
    tags: Vec<Tag>,
    /// The note being corrected, or `None` for a new one.
    amends: Option<usize>,
}

impl NoteEditor {
    /// A new note about `about`.
    pub fn new(about: About) -> NoteEditor {
        NoteEditor::from_draft(Draft {
            text: String::new(),
            about,
            tags: Vec::new(),
            amends: None,
        })
    }

    /// Correcting the note at `index` of the session's notes.
    pub fn correcting(state: &State, index: usize) -> Option<NoteEditor> {
        let note = state.notes.get(index).filter(|n| n.withdrawn.is_none())?;
        Some(NoteEditor::from_draft(Draft {
            text: note.text.clone(),
            about: note.about,
            tags: note.tags.clone(),
            amends: Some(index),
        }))
    }

    /// The editor as it was left: the text, its subject and its tags.
    pub fn from_draft(draft: Draft) -> NoteEditor {
        let mut editor = TextArea::new(draft.text.lines().map(String::from).collect());
        editor.move_cursor(CursorMove::Bottom);
        editor.move_cursor(CursorMove::End);
        editor.set_placeholder_text("Type the note. #risk, #follow-up or any #tag works too.");
        NoteEditor {
            editor,
            about: draft.about,
            tags: draft.tags,
            amends: draft.amends,
        }
    }

    fn text(&self) -> String {
        self.editor.lines().join("\n")
    }

    /// What is typed so far, as a draft (`None` while empty).
    pub fn draft(&self) -> Option<Draft> {
        let text = self.text();
        (!text.trim().is_empty()).then(|| Draft {
            text,
            about: self.about,
            tags: self.tags.clone(),
            amends: self.amends,
        })
    }

    /// What is worth keeping when the editor closes: a draft with some text.
    pub fn into_draft(self) -> Option<Draft> {
        self.draft()
    }

    pub fn on_key(mut self, action: Option<Action>, key: &KeyEvent, ctx: &Ctx) -> Step {
        match action {
            Some(Action::NoteClose) => {
                return Step::back(self.into_draft().map(Effect::KeepDraft).into_iter().collect());
            }
            Some(Action::NoteSave) => {
                let command = Draft {
                    text: self.text(),
                    about: self.about,
                    tags: self.tags,
                    amends: self.amends,
                }
                .into_command();
                return Step::back(vec![Effect::Command(command)]);
            }
            Some(Action::NoteNewLine) => self.editor.insert_newline(),
            Some(Action::NoteSubjectNext) => self.about = step_about(ctx.state, self.about, true),
            Some(Action::NoteSubjectPrevious) => self.about = step_about(ctx.state, self.about, false),
            Some(Action::TagRisk) => toggle(&mut self.tags, Tag::Risk),
            Some(Action::TagFollowUp) => toggle(&mut self.tags, Tag::FollowUp),
            Some(Action::TagConflict) => toggle(&mut self.tags, Tag::Conflict),
            Some(Action::TagInsight) => toggle(&mut self.tags, Tag::Insight),
            _ => {
                self.editor.input(*key);
            }
        }
        Step::stay(Mode::Note(self))
    }

    pub fn hints(&self, ctx: &Ctx) -> Vec<Hint> {
        ctx.hints(&[
            (Action::NoteSave, "save"),
            (Action::NoteNewLine, "line"),
            (Action::NoteSubjectNext, "about"),
            (Action::NoteSubjectPrevious, "back"),
            (Action::NoteClose, "keep draft"),
            (Action::TagRisk, "risk"),
            (Action::TagFollowUp, "follow-up"),
            (Action::TagConflict, "conflict"),
            (Action::TagInsight, "insight"),
        ])
    }

    /// The tags the note will carry: those chosen by key and the `#tags` typed so far.
    fn shown_tags(&self) -> Vec<Tag> {
        let mut tags = self.tags.clone();
        for tag in parse_tags(&self.text()) {
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        tags
    }

    pub fn draw(&self, frame: &mut Frame, ctx: &Ctx, hints: &[Hint], theme: &Theme) {
        let area = frame.area();
        let width = WIDTH.min(area.width);
        let footer = key_lines(theme, hints, width - 2);
        let rect = placed(ctx, area, width, 8 + footer.len() as u16);
        frame.render_widget(Clear, rect);
        let title = match self.amends.and_then(|i| ctx.state.notes.get(i)) {
            Some(note) => format!("Correcting the note of {}", format::wall(note.at, ctx.offset)),
            None => "Note".to_owned(),
        };
        let block = bordered(&title, theme);
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let [head, body, foot] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Min(2),
            Constraint::Length(footer.len() as u16),
        ])
        .areas(inner);
        let muted = Style::default().fg(theme.muted);
        let about = match self.about {
            About::Group => "the group".to_string(),
            About::Member(m) => format::name(ctx.state, m),
            About::Segment(s) => ctx
                .state
                .plan
                .agenda
                .get(s)
                .map_or("this segment".into(), |x| x.title.clone()),
        };
        let subject = Line::from(vec![
            Span::styled("About ", muted),
            Span::styled(about, Style::default().add_modifier(Modifier::BOLD)),
        ]);
        let tags = self.shown_tags();
        let mut tag_line = vec![Span::styled("Tags ", muted)];
        if tags.is_empty() {
            tag_line.push(Span::styled("none", muted));
        }
        for tag in &tags {
            let color = if *tag == Tag::Risk { theme.risk } else { theme.tag };
            tag_line.push(Span::styled(
                format!("#{} ", tag.label()),
                Style::default().fg(color).add_modifier(Modifier::BOLD),
            ));
        }
        frame.render_widget(Paragraph::new(vec![subject, Line::from(tag_line)]), head);
        frame.render_widget(&self.editor, body);
        frame.render_widget(Paragraph::new(footer), foot);
    }
}

/// Where the editor goes: below the speaker and the next in line, down to the hint line,
/// so the countdown and who is speaking stay in sight; in the middle when the screen is
/// laid out otherwise.
fn placed(ctx: &Ctx, area: Rect, width: u16, wanted: u16) -> Rect {
    let Some(areas) = ctx.areas else {
        return centered(area, width, wanted + 2);
    };
    let top = areas.speakers.y + 1 + crate::ui::SPEAKER_HEADER_LINES as u16;
    let bottom = areas.hints.y;
    let height = bottom.saturating_sub(top).min(wanted + 4);
    let x = area.x + area.width.saturating_sub(width) / 2;
    Rect::new(x, bottom.saturating_sub(height), width, height)
}

fn toggle(tags: &mut Vec<Tag>, tag: Tag) {
    match tags.iter().position(|t| *t == tag) {
        Some(at) => {
            tags.remove(at);
        }
        None => tags.push(tag),
    }
}

/// The subjects in the order Tab steps through them: the group, the current segment, each
/// member who may be here.
fn subjects(state: &State) -> Vec<About> {
    let mut all = vec![About::Group, About::Segment(state.current)];
    all.extend(state.present_members().map(About::Member));
    all
}

/// The subject after `about` (Tab), or before it (Shift-Tab), going round. A subject not in
/// the list (an absent member chosen by label) steps from the start.
fn step_about(state: &State, about: About, forward: bool) -> About {
    let all = subjects(state);
    let len = all.len();
    match all.iter().position(|a| *a == about) {
        Some(at) if forward => all[(at + 1) % len],
        Some(at) => all[(at + len - 1) % len],
        None => all[usize::from(forward) % len],
    }
}
