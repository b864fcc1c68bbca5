//! The wrap-up editor: the session turned into what a clinician files, a page at a time —
//! the group part, each risk flag (the action taken, who was told), each follow-up (owner,
//! due date), then one page per member present with the fields of the chosen template.
//! The captured facts are shown, not typed. Every change is kept as a draft; `Ctrl-s` saves
//! the wrap-up beside the summary, `Esc` leaves it to finish later.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui_textarea::{CursorMove, TextArea};

use super::{Mode, Step, key_hint};
use crate::app::effect::Effect;
use crate::keymap::{Action, Keymap};
use crate::notes::redact::{A_MEMBER, ANOTHER_MEMBER, Names};
use crate::notes::{MemberNote, Template, WrapUp};
use crate::theme::Theme;
use crate::ui::format::{clock, fit};
use crate::ui::popup::{Hint, key_lines};

/// One page of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Page {
    Group,
    Risk(usize),
    FollowUp(usize),
    Member(usize),
}

/// One field a facilitator types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Topic,
    Interventions,
    Themes,
    GroupHomework,
    RiskAction(usize),
    RiskTold(usize),
    Owner(usize),
    Due(usize),
    Subjective(usize),
    Goal(usize),
    Assessment(usize),
    Plan(usize),
    Homework(usize),
}

pub struct WrapUpEditor {
    wrapup: WrapUp,
    /// The summary it wraps up: the wrap-up is written beside it.
    summary: PathBuf,
    page: usize,
    field: usize,
    editor: TextArea<'static>,
    /// Each member's plan of the last session of the series, by name.
    previous_plans: BTreeMap<String, String>,
    /// Something changed since the last draft was kept.
    changed: bool,
    /// Submitting was asked while something is still to do: asked again, it goes as it is.
    submit_asked: bool,
}

impl WrapUpEditor {
    pub fn new(wrapup: WrapUp, summary: PathBuf, previous_plans: BTreeMap<String, String>) -> WrapUpEditor {
        let mut editor = WrapUpEditor {
            wrapup,
            summary,
            page: 0,
            field: 0,
            editor: TextArea::default(),
            previous_plans,
            changed: false,
            submit_asked: false,
        };
        editor.load_field();
        editor
    }

    /// The wrap-up as it stands, the field being typed included.
    pub fn wrapup(&self) -> WrapUp {
        let mut wrapup = self.wrapup.clone();
        if let Some(field) = self.current_field() {
            *field_text(&mut wrapup, field) = self.editor.lines().join("\n");
        }
        wrapup
    }

    /// Whether something changed since this was last asked (a draft is then due).
    pub fn take_changed(&mut self) -> bool {
        std::mem::take(&mut self.changed)
    }

    /// Whether something changed that no draft holds yet.
    pub fn has_changed(&self) -> bool {
        self.changed
    }

    fn pages(&self) -> Vec<Page> {
        let mut pages = vec![Page::Group];
        pages.extend((0..self.wrapup.risks.len()).map(Page::Risk));
        pages.extend((0..self.wrapup.follow_ups.len()).map(Page::FollowUp));
        pages.extend(self.wrapup.present().map(|(i, _)| Page::Member(i)));
        pages
    }

    fn fields(&self, page: Page) -> Vec<Field> {
        match page {
            Page::Group => vec![
                Field::Topic,
                Field::Interventions,
                Field::Themes,
                Field::GroupHomework,
            ],
            Page::Risk(i) => vec![Field::RiskAction(i), Field::RiskTold(i)],
            Page::FollowUp(i) => vec![Field::Owner(i), Field::Due(i)],
            Page::Member(m) => match self.wrapup.template {
                Template::Soap => vec![
                    Field::Subjective(m),
                    Field::Assessment(m),
                    Field::Plan(m),
                    Field::Homework(m),
                ],
                Template::Dap | Template::Birp => {
                    vec![Field::Assessment(m), Field::Plan(m), Field::Homework(m)]
                }
                Template::Girp => vec![
                    Field::Goal(m),
                    Field::Assessment(m),
                    Field::Plan(m),
                    Field::Homework(m),
                ],
            },
        }
    }

    fn current_page(&self) -> Page {
        let pages = self.pages();
        pages[self.page.min(pages.len() - 1)]
    }

    fn current_field(&self) -> Option<Field> {
        self.fields(self.current_page()).get(self.field).copied()
    }

    /// Puts the typed text back into the wrap-up.
    fn store_field(&mut self) {
        if let Some(field) = self.current_field() {
            let text = self.editor.lines().join("\n");
            let slot = field_text(&mut self.wrapup, field);
            if *slot != text {
                *slot = text;
                self.changed = true;
            }
        }
    }

    /// Opens the current field's text for typing.
    fn load_field(&mut self) {
        let text = self
            .current_field()
            .map(|f| field_text(&mut self.wrapup, f).clone())
            .unwrap_or_default();
        self.editor = TextArea::new(text.lines().map(String::from).collect());
        self.editor.move_cursor(CursorMove::Bottom);
        self.editor.move_cursor(CursorMove::End);
    }

    fn go(&mut self, page: usize, field: usize) {
        self.store_field();
        self.page = page;
        self.field = field;
        self.load_field();
    }

    pub fn on_key(mut self, action: Option<Action>, key: &KeyEvent) -> Step {
        let pages = self.pages().len();
        let fields = self.fields(self.current_page()).len();
        let submit_asked = std::mem::take(&mut self.submit_asked);
        match action {
            Some(Action::WrapUpLater) => {
                self.store_field();
                return Step::back(vec![Effect::WrapUpLater(Box::new(self.wrapup))]);
            }
            Some(Action::WrapUpSubmit) if !submit_asked && !self.wrapup().is_complete() => {
                // A supervisor should not get half a record by one key: the title says
                // what is still to do, and the same key again submits it as it is.
                self.store_field();
                self.submit_asked = true;
            }
            Some(action @ (Action::WrapUpSave | Action::WrapUpSubmit)) => {
                self.store_field();
                let submit = action == Action::WrapUpSubmit;
                return Step::back(vec![Effect::WrapUpSave(
                    Box::new(self.wrapup),
                    self.summary,
                    submit,
                )]);
            }
            Some(Action::WrapUpNextField) if self.field + 1 < fields => self.go(self.page, self.field + 1),
            Some(Action::WrapUpNextField | Action::WrapUpNextPage) if self.page + 1 < pages => {
                self.go(self.page + 1, 0);
            }
            Some(Action::WrapUpPreviousField) if self.field > 0 => self.go(self.page, self.field - 1),
            Some(Action::WrapUpPreviousField | Action::WrapUpPreviousPage) if self.page > 0 => {
                let fields_before = self.fields(self.pages()[self.page - 1]).len();
                let field = if action == Some(Action::WrapUpPreviousField) {
                    fields_before - 1
                } else {
                    0
                };
                self.go(self.page - 1, field);
            }
            Some(Action::WrapUpNewLine) => {
                self.editor.insert_newline();
                self.changed = true;
            }
            Some(Action::WrapUpSameAsLast) => {
                let plan = self
                    .current_member()
                    .and_then(|m| self.previous_plans.get(&m.name))
                    .cloned();
                if let (Some(Field::Plan(_)), Some(plan)) = (self.current_field(), plan) {
                    self.editor = TextArea::new(plan.lines().map(String::from).collect());
                    self.changed = true;
                }
            }
            Some(_) => {}
            None => {
                if self.editor.input(*key) {
                    self.changed = true;
                }
            }
        }
        Step::stay(Mode::WrapUp(Box::new(self)))
    }

    fn current_member(&self) -> Option<&MemberNote> {
        match self.current_page() {
            Page::Member(m) => self.wrapup.members.get(m),
            _ => None,
        }
    }

    pub fn hints(&self, keys: &Keymap) -> Vec<Hint> {
        let same_as_last = matches!(self.current_field(), Some(Field::Plan(_)))
            && self
                .current_member()
                .is_some_and(|m| self.previous_plans.contains_key(&m.name));
        [
            (Action::WrapUpNextField, "next field"),
            (Action::WrapUpNextPage, "next page"),
            (Action::WrapUpPreviousPage, "page before"),
            (Action::WrapUpSameAsLast, "plan as last session"),
            (Action::WrapUpSave, "save"),
            (Action::WrapUpSubmit, "save & submit for supervision"),
            (Action::WrapUpLater, "finish later"),
        ]
        .into_iter()
        .filter(|(action, _)| *action != Action::WrapUpSameAsLast || same_as_last)
        .filter_map(|(action, text)| key_hint(keys, action, text))
        .collect()
    }

    pub fn draw(&self, frame: &mut Frame, hints: &[Hint], theme: &Theme) {
        let area = frame.area();
        frame.render_widget(Clear, area);
        frame.render_widget(
            Block::default().style(Style::default().bg(theme.background).fg(theme.text)),
            area,
        );
        let footer = key_lines(theme, hints, area.width.saturating_sub(1));
        let [top, body, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(footer.len() as u16),
        ])
        .areas(area);
        let wrapup = self.wrapup();
        let missing = wrapup.missing().len();
        let status = if missing == 0 {
            "complete".to_owned()
        } else if self.submit_asked {
            let again = hints
                .iter()
                .find(|h| h.text.contains("submit"))
                .map_or_else(String::new, |h| format!("{} ", h.key));
            format!("{missing} to do: {again}again submits it incomplete, any other key goes on")
        } else {
            format!("{missing} to do")
        };
        let title = if self.submit_asked {
            format!(" Wrap-up · {status}")
        } else {
            format!(
                " Wrap-up · {} · {} · {status}",
                self.wrapup.template.name(),
                self.wrapup.group.topic
            )
        };
        frame.render_widget(
            Paragraph::new(Span::styled(
                fit(&title, usize::from(top.width)),
                Style::default().fg(theme.accent).add_modifier(Modifier::BOLD),
            )),
            top,
        );
        let [list, page] =
            Layout::horizontal([Constraint::Length(28.min(body.width / 3)), Constraint::Min(20)]).areas(body);
        self.draw_pages(frame, list, &wrapup, theme);
        self.draw_page(frame, page, theme);
        frame.render_widget(Paragraph::new(footer), foot);
    }

    fn draw_pages(&self, frame: &mut Frame, area: Rect, wrapup: &WrapUp, theme: &Theme) {
        let block = Block::default()
            .borders(Borders::RIGHT)
            .border_style(Style::default().fg(theme.border));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let missing = wrapup.missing();
        let width = usize::from(inner.width);
        let rows = usize::from(inner.height);
        let first = self.page.saturating_sub(rows.saturating_sub(1));
        let lines: Vec<Line> = self
            .pages()
            .into_iter()
            .enumerate()
            .skip(first)
            .take(rows)
            .map(|(i, page)| {
                let (label, done) = match page {
                    Page::Group => ("Group".to_owned(), true),
                    Page::Risk(r) => (
                        format!("Risk {}", wrapup.risks[r].at),
                        !missing.iter().any(|m| matches!(m, crate::notes::Missing::RiskAction { at } if *at == wrapup.risks[r].at)),
                    ),
                    Page::FollowUp(f) => (
                        format!("Follow-up {}", wrapup.follow_ups[f].at),
                        !missing.iter().any(|m| matches!(m, crate::notes::Missing::FollowUpOwner { at } | crate::notes::Missing::FollowUpDue { at } if *at == wrapup.follow_ups[f].at)),
                    ),
                    Page::Member(m) => (
                        wrapup.members[m].name.clone(),
                        !missing.iter().any(|x| matches!(x, crate::notes::Missing::MemberAssessment { member } | crate::notes::Missing::MemberPlan { member } if *member == m)),
                    ),
                };
                let mark = if done { "✓ " } else { "! " };
                let style = if i == self.page {
                    Style::default().bg(theme.selection).add_modifier(Modifier::BOLD)
                } else if done {
                    Style::default().fg(theme.done)
                } else {
                    Style::default().fg(theme.warning)
                };
                Line::from(Span::styled(fit(&format!("{mark}{label}"), width), style))
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }

    fn draw_page(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let area = Rect {
            x: area.x + 1,
            width: area.width.saturating_sub(1),
            ..area
        };
        let muted = Style::default().fg(theme.muted);
        let heading = Style::default().fg(theme.accent).add_modifier(Modifier::BOLD);
        let page = self.current_page();
        let mut facts: Vec<Line> = Vec::new();
        match page {
            Page::Group => {
                let s = &self.wrapup.group.schedule;
                facts.push(Line::from(Span::styled("The group, written once", heading)));
                facts.push(Line::from(Span::styled(
                    format!(
                        "{} {}–{} · {} against {} planned",
                        s.date,
                        s.start,
                        s.end,
                        clock(s.actual_secs as i64 * 1000),
                        clock(s.planned_secs as i64 * 1000)
                    ),
                    muted,
                )));
            }
            Page::Risk(r) => {
                let risk = &self.wrapup.risks[r];
                facts.push(Line::from(Span::styled(
                    "A risk flag: how was it closed?",
                    heading,
                )));
                facts.push(Line::from(vec![
                    Span::styled(format!("{} · {}: ", risk.at, risk.about), muted),
                    Span::styled(
                        risk.text.clone(),
                        Style::default().fg(theme.risk).add_modifier(Modifier::BOLD),
                    ),
                ]));
            }
            Page::FollowUp(f) => {
                let follow_up = &self.wrapup.follow_ups[f];
                facts.push(Line::from(Span::styled("A follow-up: who, by when?", heading)));
                facts.push(Line::from(vec![
                    Span::styled(format!("{} · {}: ", follow_up.at, follow_up.about), muted),
                    Span::raw(follow_up.text.clone()),
                ]));
            }
            Page::Member(m) => {
                let member = &self.wrapup.members[m];
                facts.push(Line::from(Span::styled(
                    format!("{} · {} note", member.name, self.wrapup.template.name()),
                    heading,
                )));
                facts.push(Line::from(Span::styled(member.facts(), muted)));
                for note in &member.notes {
                    facts.push(Line::from(Span::styled(
                        format!("  {} “{}”", note.at, note.text),
                        muted,
                    )));
                }
            }
        }
        // The facts wrap; when they are more than half the page, what does not fit is
        // said, never silently cut (the summary and the review hold them all).
        let width = usize::from(area.width.max(1));
        let rows = |line: &Line| line.width().div_ceil(width).max(1);
        let room = usize::from(area.height / 2).max(2);
        let needed: usize = facts.iter().map(rows).sum();
        if needed > room {
            let mut used = 0;
            let kept = facts
                .iter()
                .take_while(|line| {
                    used += rows(line);
                    used < room
                })
                .count();
            let left = facts.len() - kept;
            facts.truncate(kept);
            facts.push(Line::from(Span::styled(
                format!("… {left} more line(s) not shown here: the summary has them all"),
                muted,
            )));
        }
        let facts_height = u16::try_from(facts.iter().map(rows).sum::<usize>() + 1)
            .unwrap_or(u16::MAX)
            .min(area.height / 2 + 1);
        let [facts_area, form] =
            Layout::vertical([Constraint::Length(facts_height), Constraint::Min(3)]).areas(area);
        frame.render_widget(Paragraph::new(facts).wrap(Wrap { trim: false }), facts_area);
        let fields = self.fields(page);
        let constraints: Vec<Constraint> = fields
            .iter()
            .enumerate()
            .map(|(i, _)| {
                if i == self.field {
                    Constraint::Min(4)
                } else {
                    Constraint::Length(2)
                }
            })
            .collect();
        let slots = Layout::vertical(constraints).split(form);
        let mut wrapup = self.wrapup.clone();
        for (i, (field, slot)) in fields.iter().zip(slots.iter()).enumerate() {
            let label = Line::from(Span::styled(label(*field, self.wrapup.template), heading));
            let [label_area, text_area] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(*slot);
            frame.render_widget(Paragraph::new(label), label_area);
            if i == self.field {
                let checks = self.name_checks(*field, theme);
                // Word wrapping leaves some of each line empty: count it a little narrower.
                let width = usize::from(text_area.width.saturating_sub(8).max(1));
                let wrapped: usize = checks.iter().map(|l| l.width().div_ceil(width).max(1)).sum();
                let check_height = u16::try_from(wrapped)
                    .unwrap_or(u16::MAX)
                    .min(text_area.height.saturating_sub(2));
                let [editor_area, checks_area] =
                    Layout::vertical([Constraint::Min(1), Constraint::Length(check_height)]).areas(text_area);
                frame.render_widget(&self.editor, editor_area);
                frame.render_widget(Paragraph::new(checks).wrap(Wrap { trim: false }), checks_area);
            } else {
                let text = field_text(&mut wrapup, *field).clone();
                let shown = if text.trim().is_empty() {
                    Span::styled("(not written)", muted)
                } else {
                    Span::raw(fit(&text.replace('\n', " ⏎ "), usize::from(text_area.width)))
                };
                frame.render_widget(Paragraph::new(Line::from(shown)), text_area);
            }
        }
    }
}

impl WrapUpEditor {
    /// What the names check says of the field being typed, when it goes into a filed note:
    /// that other members' names will be rewritten, and every word that may be a member's
    /// name but was left as written.
    fn name_checks(&self, field: Field, theme: &Theme) -> Vec<Line<'static>> {
        let text = self.editor.lines().join("\n");
        let names = Names::of(&self.wrapup);
        let (redacted, replaced_by) = match field {
            Field::Topic | Field::Interventions | Field::Themes | Field::GroupHomework => {
                (names.for_group(&text), A_MEMBER)
            }
            Field::Subjective(m)
            | Field::Goal(m)
            | Field::Assessment(m)
            | Field::Plan(m)
            | Field::Homework(m) => (names.for_member(m, &text), ANOTHER_MEMBER),
            // Staff names and dates: never in a member's words.
            Field::RiskAction(_) | Field::RiskTold(_) | Field::Owner(_) | Field::Due(_) => return Vec::new(),
        };
        let mut lines = Vec::new();
        if redacted.text != text {
            lines.push(Line::from(Span::styled(
                format!("In the filed note, members' names here read \u{201c}{replaced_by}\u{201d}."),
                Style::default().fg(theme.muted),
            )));
        }
        // Every word on one line, however many: each must be seen, none may push another
        // out of the field's room.
        if !redacted.warnings.is_empty() {
            let words: Vec<String> = redacted
                .warnings
                .iter()
                .map(|w| format!("\u{201c}{}\u{201d} ({})", w.word, w.reason.short()))
                .collect();
            lines.push(Line::from(Span::styled(
                format!(
                    "⚠ Left as written, check they name no other member: {}",
                    words.join(", ")
                ),
                Style::default().fg(theme.warning),
            )));
        }
        lines
    }
}

/// What a field is called in a template.
fn label(field: Field, template: Template) -> &'static str {
    match field {
        Field::Topic => "Topic",
        Field::Interventions => "Interventions used",
        Field::Themes => "Themes of the session",
        Field::GroupHomework => "Homework for the group",
        Field::RiskAction(_) => "Action taken",
        Field::RiskTold(_) => "Who was told",
        Field::Owner(_) => "Owner (a facilitator)",
        Field::Due(_) => "Due (YYYY-MM-DD, e.g. 2026-12-08; optional)",
        Field::Subjective(_) => "Subjective (in the member's words)",
        Field::Goal(_) => "Goal",
        Field::Assessment(_) => match template {
            Template::Soap | Template::Dap => "Assessment",
            Template::Birp | Template::Girp => "Response",
        },
        Field::Plan(_) => "Plan",
        Field::Homework(_) => "Homework",
    }
}

/// The text a field holds in the wrap-up.
fn field_text(wrapup: &mut WrapUp, field: Field) -> &mut String {
    match field {
        Field::Topic => &mut wrapup.group.topic,
        Field::Interventions => &mut wrapup.group.interventions,
        Field::Themes => &mut wrapup.group.themes,
        Field::GroupHomework => &mut wrapup.group.homework,
        Field::RiskAction(i) => &mut wrapup.risks[i].action,
        Field::RiskTold(i) => &mut wrapup.risks[i].told,
        Field::Owner(i) => &mut wrapup.follow_ups[i].owner,
        Field::Due(i) => wrapup.follow_ups[i].due.get_or_insert_with(String::new),
        Field::Subjective(m) => &mut wrapup.members[m].fields.subjective,
        Field::Goal(m) => &mut wrapup.members[m].fields.goal,
        Field::Assessment(m) => &mut wrapup.members[m].fields.assessment,
        Field::Plan(m) => &mut wrapup.members[m].fields.plan,
        Field::Homework(m) => &mut wrapup.members[m].fields.homework,
    }
}
