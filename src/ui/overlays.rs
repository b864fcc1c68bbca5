//! Popups over the console: help, confirmations, the note editor, pickers.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};

use super::format::{self, clock, label};
use super::{Overlay, View};
use crate::keymap::Action;
use crate::session::{About, Attendance};
use crate::theme::Theme;

pub fn draw(frame: &mut Frame, area: Rect, view: &View, theme: &Theme) {
    match &view.overlay {
        Overlay::None => {}
        Overlay::Help => help(frame, area, view, theme),
        Overlay::ConfirmQuit if view.seat == super::Seat::Observer => {
            let text = vec![
                Line::from("Stop following? Your observation notes are saved."),
                Line::from(""),
                key_line(theme, &[("y", "yes, leave"), ("n / Esc", "no, stay")]),
            ];
            popup(frame, area, "Leave", text, 50, theme);
        }
        Overlay::ConfirmQuit => {
            let text = vec![
                Line::from("End the session now and save its summary?"),
                Line::from(""),
                key_line(
                    theme,
                    &[("y", "yes, end and save"), ("n / Esc", "no, keep going")],
                ),
            ];
            popup(frame, area, "End the session", text, 50, theme);
        }
        Overlay::Note { editor, about, tags } => {
            let about = match about {
                About::Group => "the group".to_string(),
                About::Member(m) => format::name(view.state, *m),
                About::Segment(s) => view
                    .state
                    .plan
                    .agenda
                    .get(*s)
                    .map_or("this segment".into(), |x| x.title.clone()),
            };
            let rect = centered(area, 76, 12);
            frame.render_widget(Clear, rect);
            let block = bordered("Note", theme);
            let inner = block.inner(rect);
            frame.render_widget(block, rect);
            let [head, body, foot] =
                Layout::vertical([Constraint::Length(2), Constraint::Min(3), Constraint::Length(2)])
                    .areas(inner);
            let tag_text: Vec<Span> = if tags.is_empty() {
                vec![Span::styled("none", Style::default().fg(theme.muted))]
            } else {
                tags.iter()
                    .map(|t| {
                        Span::styled(
                            format!("#{} ", t.label()),
                            Style::default()
                                .fg(if *t == crate::session::Tag::Risk {
                                    theme.risk
                                } else {
                                    theme.tag
                                })
                                .add_modifier(Modifier::BOLD),
                        )
                    })
                    .collect()
            };
            let mut first = vec![
                Span::styled("About ", Style::default().fg(theme.muted)),
                Span::styled(about, Style::default().add_modifier(Modifier::BOLD)),
            ];
            first.push(Span::styled("  (Tab changes)", Style::default().fg(theme.muted)));
            let mut second = vec![Span::styled("Tags ", Style::default().fg(theme.muted))];
            second.extend(tag_text);
            frame.render_widget(Paragraph::new(vec![Line::from(first), Line::from(second)]), head);
            frame.render_widget(&**editor, body);
            frame.render_widget(
                Paragraph::new(vec![
                    key_line(
                        theme,
                        &[("Enter", "save"), ("Alt-Enter", "new line"), ("Esc", "cancel")],
                    ),
                    key_line(
                        theme,
                        &[
                            ("Alt-r", "risk"),
                            ("Alt-f", "follow-up"),
                            ("Alt-c", "conflict"),
                            ("Alt-i", "insight"),
                            ("#word", "a tag"),
                        ],
                    ),
                ]),
                foot,
            );
        }
        Overlay::Attendance { selected } => {
            let state = view.state;
            let mut lines = vec![
                key_line(
                    theme,
                    &[
                        ("↑↓ 1-9", "choose"),
                        ("p", "present"),
                        ("l", "late"),
                        ("e", "left early"),
                        ("x", "absent"),
                        ("Esc", "done"),
                    ],
                ),
                Line::from(""),
            ];
            // A long roster scrolls so the chosen member stays in view.
            let rows = (area.height as usize).saturating_sub(6).max(1);
            let first = selected
                .saturating_sub(rows / 2)
                .min(state.attendance.len().saturating_sub(rows));
            for (i, status) in state.attendance.iter().enumerate().skip(first).take(rows) {
                let text = match status {
                    Attendance::Present => "present".to_string(),
                    Attendance::Late { at } => format!("late ({})", format::wall(*at, view.offset)),
                    Attendance::LeftEarly { at } => {
                        format!("left early ({})", format::wall(*at, view.offset))
                    }
                    Attendance::Absent => "absent".to_string(),
                };
                let style = if i == *selected {
                    Style::default().bg(theme.selection).add_modifier(Modifier::BOLD)
                } else {
                    Style::default()
                };
                lines.push(Line::from(vec![
                    Span::styled(format!(" {} ", label(i)), Style::default().fg(theme.key)),
                    Span::styled(format!("{:<20} {text:<20}", format::name(state, i)), style),
                ]));
            }
            if state.attendance.is_empty() {
                lines.push(Line::from("No roster: nobody to mark."));
            }
            popup(frame, area, "Attendance", lines, 76, theme);
        }
        Overlay::PickMember { purpose } => {
            let state = view.state;
            let mut lines = vec![
                Line::from(format!("{purpose}: press a member's label (Esc cancels)")),
                Line::from(""),
            ];
            let here: Vec<_> = state.present_members().collect();
            for chunk in here.chunks(2) {
                let spans: Vec<Span> = chunk
                    .iter()
                    .flat_map(|m| {
                        [
                            Span::styled(
                                format!(" {} ", label(*m)),
                                Style::default().fg(theme.key).add_modifier(Modifier::BOLD),
                            ),
                            Span::raw(format!("{:<22}", format::name(state, *m))),
                        ]
                    })
                    .collect();
                lines.push(Line::from(spans));
            }
            popup(frame, area, "Choose a member", lines, 56, theme);
        }
        Overlay::PickSegment => {
            let mut lines = vec![
                Line::from("Jump to which segment? Press its number (Esc cancels)"),
                Line::from(""),
            ];
            for (i, segment) in view.state.plan.agenda.iter().enumerate() {
                lines.push(Line::from(vec![
                    Span::styled(
                        format!(" {} ", label(i)),
                        Style::default().fg(theme.key).add_modifier(Modifier::BOLD),
                    ),
                    Span::raw(segment.title.clone()),
                ]));
            }
            popup(frame, area, "Jump", lines, 56, theme);
        }
        Overlay::Rebalance(proposal) => {
            let mut lines = vec![
                Line::from("The rest of the agenda, rebalanced to end on time:"),
                Line::from(""),
            ];
            for (index, old, new) in &proposal.rows {
                let title = view
                    .state
                    .plan
                    .agenda
                    .get(*index)
                    .map_or("?", |s| s.title.as_str());
                let fixed = view.state.plan.agenda.get(*index).is_some_and(|s| s.fixed);
                let style = if old == new {
                    Style::default().fg(theme.muted)
                } else {
                    Style::default().add_modifier(Modifier::BOLD)
                };
                lines.push(Line::from(vec![
                    Span::raw(format!(" {:<30.30} ", title)),
                    Span::styled(
                        format!(
                            "{:>6} → {:>6}",
                            clock(*old as i64 * 1000),
                            clock(*new as i64 * 1000)
                        ),
                        style,
                    ),
                    Span::styled(
                        if fixed { "  fixed" } else { "" },
                        Style::default().fg(theme.muted),
                    ),
                ]));
            }
            lines.push(Line::from(""));
            if proposal.overrun_secs > 0 {
                lines.push(Line::from(Span::styled(
                    format!(
                        "Even at every minimum the session overruns by {}.",
                        clock(proposal.overrun_secs as i64 * 1000)
                    ),
                    Style::default().fg(theme.overtime).add_modifier(Modifier::BOLD),
                )));
            }
            lines.push(key_line(theme, &[("Enter", "accept"), ("Esc", "dismiss")]));
            popup(frame, area, "Rebalance", lines, 64, theme);
        }
        Overlay::Resume { title, down_ms } => {
            let lines = vec![
                Line::from(format!("An unfinished session was found: {title}")),
                Line::from(format!("It stopped {} ago.", clock(*down_ms))),
                Line::from(""),
                key_line(theme, &[("p", "resume, counting that time as paused")]),
                key_line(theme, &[("e", "resume, counting it as elapsed")]),
                key_line(
                    theme,
                    &[("n", "start a new session (the old one stays, unfinished)")],
                ),
            ];
            popup(frame, area, "Resume", lines, 64, theme);
        }
        Overlay::SaveAs { editor, error } => {
            let rect = centered(area, 70, 8);
            frame.render_widget(Clear, rect);
            let block = bordered("Save the summary to…", theme);
            let inner = block.inner(rect);
            frame.render_widget(block, rect);
            let [body, msg, foot] = Layout::vertical([
                Constraint::Length(3),
                Constraint::Length(1),
                Constraint::Length(1),
            ])
            .areas(inner);
            frame.render_widget(&**editor, body);
            if let Some(error) = error {
                frame.render_widget(
                    Paragraph::new(Span::styled(*error, Style::default().fg(theme.error))),
                    msg,
                );
            }
            frame.render_widget(
                Paragraph::new(key_line(
                    theme,
                    &[("Enter", "save to this folder"), ("Esc", "cancel")],
                )),
                foot,
            );
        }
        Overlay::Message { title, text } => {
            let lines = vec![
                Line::from(*text),
                Line::from(""),
                key_line(theme, &[("Esc", "close")]),
            ];
            popup(frame, area, title, lines, 64, theme);
        }
    }
}

fn help(frame: &mut Frame, area: Rect, view: &View, theme: &Theme) {
    let entry = |action: &Action| {
        vec![
            Span::styled(
                format!(" {:>7}  ", view.keys.label(*action)),
                Style::default().fg(theme.key).add_modifier(Modifier::BOLD),
            ),
            Span::raw(format!("{:<28}", action.help())),
        ]
    };
    // One column when it fits, else two side by side: every key is always on screen.
    let rows = Action::ALL.len();
    let columns = if area.height as usize >= rows + 5 { 1 } else { 2 };
    let per_column = rows.div_ceil(columns);
    let mut lines: Vec<Line> = (0..per_column)
        .map(|row| {
            Line::from(
                (0..columns)
                    .filter_map(|column| Action::ALL.get(column * per_column + row))
                    .flat_map(entry)
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    lines.push(Line::from(Span::styled(
        " Notes: Enter saves, Alt-Enter new line, Alt-r/f/c/i tags. Any key closes this help.",
        Style::default().fg(theme.muted),
    )));
    popup(frame, area, "Keys", lines, (columns * 38 + 2) as u16, theme);
}

fn key_line<'a>(theme: &Theme, pairs: &[(&'a str, &'a str)]) -> Line<'a> {
    let mut spans = Vec::new();
    for (key, text) in pairs {
        spans.push(Span::styled(
            *key,
            Style::default().fg(theme.key).add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::raw(format!(" {text}  ")));
    }
    Line::from(spans)
}

fn bordered<'a>(title: &'a str, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(Style::default().fg(theme.accent))
        .title(Span::styled(
            format!(" {title} "),
            Style::default().fg(theme.accent).add_modifier(Modifier::BOLD),
        ))
        .style(Style::default().bg(theme.background).fg(theme.text))
}

fn popup(frame: &mut Frame, area: Rect, title: &str, lines: Vec<Line>, width: u16, theme: &Theme) {
    let rect = centered(area, width, lines.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .block(bordered(title, theme))
            .wrap(Wrap { trim: false }),
        rect,
    );
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [rect] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    rect
}
