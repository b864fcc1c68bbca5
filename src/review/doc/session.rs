//! One session: a header, then planned vs actual per segment, airtime per member and who
//! never spoke, the turns on a time line, the notes by tag (risk first) with any trainee's
//! observations beside them, and the wrap-up. The whole is one document that scrolls.

use super::text::{bar, fit, fit_right, width as text_width, wrap};
use super::{DocLine, Look, Piece, Tone, beside, bold, heading, push_parts, push_wrapped, tone};
use crate::observations::{Attached, How, ObservationNote};
use crate::review::browser::{SessionScreen, Supervised};
use crate::review::fmt;
use crate::review::notes::{by_tag, segment_at, timeline};
use crate::summary::{NoteSummary, Outcome, Presence, SegmentSummary, Summary};
use crate::supervision::{Action, Record, Status, Target, note_key};

/// Observations go beside the notes from this width; below it, after them.
pub const BESIDE_FROM: usize = 100;

/// The document of one session, `width` columns wide.
pub fn lines(screen: &SessionScreen, width: usize) -> Vec<DocLine> {
    let s = match &screen.summary {
        Ok(s) => s,
        Err(reason) => {
            let mut out = vec![
                DocLine::from(Piece::styled(" This file did not open.", bold(Tone::Error))),
                DocLine::blank(),
            ];
            for l in wrap(
                &format!("{}: {reason}", screen.path.display()),
                width.saturating_sub(2),
            ) {
                out.push(DocLine::one(format!(" {l}"), Tone::Plain));
            }
            out.push(DocLine::blank());
            out.push(DocLine::from(Piece::styled(
                " Every other summary still opens: press Esc to go back.",
                tone(Tone::Muted),
            )));
            return out;
        }
    };
    let mut out = Vec::new();
    header(&mut out, s, width);
    status(&mut out, screen, width);
    // What is wrong around the session comes before what it holds.
    if !screen.problems.is_empty() {
        for problem in &screen.problems {
            push_wrapped(&mut out, &format!("⚠ {problem}"), width, bold(Tone::Warning));
        }
        out.push(DocLine::blank());
    }
    segments(&mut out, s, width);
    airtime(&mut out, s, width);
    turns(&mut out, s, width);
    notes(&mut out, s, screen, width);
    if !screen.observations.is_empty() {
        by_segment(&mut out, s, &screen.observations, &screen.supervised, width);
    }
    stranded_comments(&mut out, s, screen, width);
    super::wrapup::lines(&mut out, &screen.wrapup, width);
    supervision(&mut out, &screen.supervised, width);
    out
}

/// Where the summary stands: draft, submitted, signed or returned; and, in the error
/// colour and in words, whether it changed after sign-off or is a conflict copy.
fn status(out: &mut Vec<DocLine>, screen: &SessionScreen, width: usize) {
    if let Some(original) = &screen.conflict_of {
        push_wrapped(
            out,
            &format!(
                "⚠ CONFLICT COPY of {original}: two machines changed that summary while apart. \
                 Compare the two and keep the right one. The status, sign-off and comments are \
                 the original's; nothing is signed, returned or commented on here."
            ),
            width,
            bold(Tone::Warning),
        );
        out.push(DocLine::blank());
        return;
    }
    let review = &screen.supervised.review;
    let last = |action: fn(&Action) -> bool| review.session_records().filter(|r| action(&r.action)).last();
    let (text, look) = match review.status {
        _ if screen.supervised.unread_records > 0 => (
            format!(
                "Status: {}",
                crate::review::export::status_words(&screen.supervised)
            ),
            bold(Tone::Warning),
        ),
        Status::Draft => (
            "Status: draft (not submitted for sign-off yet)".to_owned(),
            tone(Tone::Muted),
        ),
        Status::Submitted => (
            last(|a| matches!(a, Action::Submitted { .. })).map_or("Status: submitted".into(), |r| {
                format!("Status: submitted by {} on {}", r.author, when(&r.at))
            }),
            bold(Tone::Accent),
        ),
        Status::Signed => (
            review.signed.as_ref().map_or("Status: signed".into(), |s| {
                format!("Status: signed by {} on {}", s.by, when(&s.at))
            }),
            bold(Tone::Done),
        ),
        Status::Returned => (
            last(|a| matches!(a, Action::Returned)).map_or("Status: returned".into(), |r| {
                format!("Status: returned by {} on {}: {}", r.author, when(&r.at), r.text)
            }),
            bold(Tone::Warning),
        ),
    };
    push_wrapped(out, &text, width, look);
    if screen.supervised.changed_after_sign_off {
        let by = review
            .signed
            .as_ref()
            .map(|s| s.by.as_str())
            .unwrap_or("the supervisor");
        push_wrapped(
            out,
            &format!("⚠ CHANGED AFTER SIGN-OFF: this summary or its wrap-up is not what {by} signed"),
            width,
            bold(Tone::Error),
        );
    }
    out.push(DocLine::blank());
}

/// `2025-03-05 10:15` of an RFC 3339 time, as written (the author's local time).
pub fn when(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| at.to_owned())
}

fn label(text: &str) -> Piece {
    Piece::plain(text.to_owned())
}

fn header(out: &mut Vec<DocLine>, s: &Summary, width: usize) {
    let muted = tone(Tone::Muted);
    for (i, l) in wrap(&s.title, width.saturating_sub(2)).into_iter().enumerate() {
        out.push(DocLine::from(Piece::styled(
            format!(" {l}"),
            Look {
                tone: Tone::Text,
                bold: i == 0,
            },
        )));
    }
    let mut about = vec![s.group.clone(), s.kind.clone()];
    let start = crate::review::index::start_time(s);
    let end = s
        .ended
        .as_deref()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.format("%H:%M").to_string());
    about.push(match (start.is_empty(), end) {
        (false, Some(end)) => format!("{} {start}–{end}", s.date),
        (false, None) => format!("{} {start}", s.date),
        _ => s.date.clone(),
    });
    if let Some(x) = &s.series {
        about.push(format!("session {} of {}", x.session, x.of));
    }
    push_parts(out, &about, width, muted);
    let facilitators: Vec<String> = s
        .facilitators
        .iter()
        .map(|f| format!("{} ({})", f.name, f.role))
        .collect();
    let people = format!("Facilitators: {}", facilitators.join(", "));
    push_wrapped(out, &people, width, tone(Tone::Text));
    if !s.trainees.is_empty() {
        push_wrapped(out, &format!("Trainees: {}", s.trainees.join(", ")), width, muted);
    }

    let over_style = if s.over_under_secs > 0 {
        bold(Tone::Over)
    } else {
        tone(Tone::Text)
    };
    let mut time = vec![
        Piece::styled(" Time ", muted),
        label(&format!(
            "{} of {} planned ",
            fmt::duration(s.actual_secs),
            fmt::duration(s.planned_secs)
        )),
        Piece::styled(fmt::over_under(s.over_under_secs), over_style),
    ];
    if s.paused_secs > 0 {
        time.push(Piece::styled(
            format!(" · paused {}", fmt::duration(s.paused_secs)),
            muted,
        ));
    }
    let mut counts = vec![
        Piece::styled(" Present ", muted),
        label(&format!("{}/{}", s.present_count(), s.attendance.len())),
        Piece::styled("  Flags ", muted),
    ];
    if s.flags.risk + s.flags.follow_up == 0 {
        counts.push(Piece::styled("none", muted));
    } else {
        counts.extend(super::flag_pieces(s.flags.risk, s.flags.follow_up, 0));
    }
    // The flags must never be cut off the edge: on a narrow screen they get a line of
    // their own.
    let time = DocLine::new(time);
    let counts = DocLine::new(counts);
    if text_width(&time.text()) + 1 + text_width(&counts.text()) <= width {
        out.push(DocLine::new(
            time.pieces
                .into_iter()
                .chain(std::iter::once(Piece::plain(" ")))
                .chain(counts.pieces)
                .collect(),
        ));
    } else {
        out.push(time);
        out.push(counts);
    }
    let away: Vec<String> = s
        .attendance
        .iter()
        .filter(|a| a.status != Presence::Present)
        .map(|a| match &a.at {
            Some(at) => format!("{} {} {at}", a.name, a.status.label()),
            None => format!("{} {}", a.name, a.status.label()),
        })
        .collect();
    if !away.is_empty() {
        push_wrapped(out, &format!("Attendance: {}", away.join(" · ")), width, muted);
    }
}

/// Width of the label column of the charts.
fn label_width(width: usize) -> usize {
    (width / 3).clamp(12, 30)
}

fn segments(out: &mut Vec<DocLine>, s: &Summary, width: usize) {
    out.push(heading(" Segments: planned ░ and actual █"));
    let value_w = 16;
    let max = s
        .segments
        .iter()
        .map(|x| x.final_planned_secs.max(x.actual_secs))
        .max()
        .unwrap_or(0);
    let notes: Vec<String> = s.segments.iter().map(segment_note).collect();
    // As wide as the longest title or note needs, up to half the line: the bars shrink
    // before a name is cut.
    let needed = s
        .segments
        .iter()
        .zip(&notes)
        .map(|(x, note)| text_width(&x.title).max(text_width(note) + 2))
        .max()
        .unwrap_or(0);
    let lw = needed.clamp(label_width(width), (width / 2).max(label_width(width)));
    let cells = width.saturating_sub(lw + value_w + 3);
    for (x, note) in s.segments.iter().zip(notes) {
        let over = x.actual_secs > x.final_planned_secs && x.status == Outcome::Done;
        let actual_style = if over { tone(Tone::Over) } else { tone(Tone::Done) };
        let plan = bar(x.final_planned_secs, max, cells, '░');
        out.push(DocLine::new(vec![
            Piece::plain(" "),
            Piece::styled(fit(&x.title, lw), tone(Tone::Text)),
            Piece::plain(" "),
            Piece::styled(fit(&plan, cells), tone(Tone::Muted)),
            Piece::plain(" "),
            Piece::styled(
                fit(&format!("{} plan", fmt::clock(x.final_planned_secs)), value_w),
                tone(Tone::Muted),
            ),
        ]));
        let (value, value_style) = match x.status {
            Outcome::Done => (
                format!(
                    "{} {}",
                    fmt::clock(x.actual_secs),
                    fmt::over_under(x.actual_secs as i64 - x.final_planned_secs as i64)
                ),
                actual_style,
            ),
            other => (other.label().to_owned(), tone(Tone::Skipped)),
        };
        out.push(DocLine::new(vec![
            Piece::plain("   "),
            Piece::styled(fit(&note, lw - 2), tone(Tone::Muted)),
            Piece::plain(" "),
            Piece::styled(fit(&bar(x.actual_secs, max, cells, '█'), cells), actual_style),
            Piece::plain(" "),
            Piece::styled(fit(&value, value_w), value_style),
        ]));
    }
    out.push(DocLine::blank());
}

/// What a segment was, and how its plan changed: `Discussion, adjusted +1m`.
fn segment_note(x: &SegmentSummary) -> String {
    let mut note = x.kind.clone();
    if x.adjusted_secs != 0 {
        note.push_str(&format!(", adjusted {}", fmt::over_under(x.adjusted_secs)));
    }
    if x.rebalanced {
        note.push_str(", rebalanced");
    }
    note
}

fn airtime(out: &mut Vec<DocLine>, s: &Summary, width: usize) {
    out.push(heading(" Airtime"));
    let lw = label_width(width).min(20);
    let value_w = 24;
    let cells = width.saturating_sub(lw + value_w + 3);
    let most = s.airtime.iter().map(|a| a.secs).max().unwrap_or(0);
    for a in &s.airtime {
        let value = format!(
            "{} · {} turn{} · {:.0}%",
            fmt::clock(a.secs),
            a.turns,
            if a.turns == 1 { "" } else { "s" },
            a.share * 100.0
        );
        let (bar_text, bar_style) = if a.spoke {
            (bar(a.secs, most, cells, '█'), tone(Tone::Airtime))
        } else {
            ("○ never spoke".to_owned(), tone(Tone::Unheard))
        };
        out.push(DocLine::new(vec![
            Piece::plain(" "),
            Piece::styled(fit(&a.member, lw), tone(Tone::Text)),
            Piece::plain(" "),
            Piece::styled(fit(&bar_text, cells), bar_style),
            Piece::plain(" "),
            Piece::styled(fit_right(&value, value_w), tone(Tone::Muted)),
        ]));
    }
    if s.airtime.is_empty() {
        out.push(DocLine::from(Piece::styled(
            " Nobody was present.",
            tone(Tone::Muted),
        )));
    }
    if !s.never_spoke.is_empty() {
        let text = format!("Never spoke: {}", s.never_spoke.join(", "));
        for (i, l) in wrap(&text, width.saturating_sub(4)).into_iter().enumerate() {
            out.push(DocLine::new(vec![
                Piece::styled(if i == 0 { " ○ " } else { "   " }, tone(Tone::Unheard)),
                Piece::styled(l, bold(Tone::Unheard)),
            ]));
        }
    }
    out.push(DocLine::blank());
}

fn turns(out: &mut Vec<DocLine>, s: &Summary, width: usize) {
    let Some(t) = timeline(s) else {
        out.push(heading(" Turns"));
        out.push(DocLine::from(Piece::styled(
            " No turns were taken.",
            tone(Tone::Muted),
        )));
        out.push(DocLine::blank());
        return;
    };
    out.push(heading(" Turns over time: █ speaking, ○ passed"));
    let lw = label_width(width).min(20);
    let cells = width.saturating_sub(lw + 3).max(10);
    let per_cell = (t.length as f64 / cells as f64).max(1.0);
    // Time labels every 15, 30 or 60 minutes, whichever leaves room for them.
    let step = [900u64, 1800, 3600, 7200]
        .into_iter()
        .find(|step| *step as f64 / per_cell >= 7.0)
        .unwrap_or(7200);
    let mut axis: Vec<char> = vec![' '; cells];
    let mut tick = 0;
    while tick <= t.length {
        let at = (tick as f64 / per_cell) as usize;
        let time_of_day = (t.start + tick) % (24 * 3600);
        let text = format!("{:02}:{:02}", time_of_day / 3600, time_of_day / 60 % 60);
        if at + text.len() <= cells {
            for (k, ch) in text.chars().enumerate() {
                axis[at + k] = ch;
            }
        }
        tick += step;
    }
    out.push(DocLine::new(vec![
        Piece::plain(" ".repeat(lw + 2)),
        Piece::styled(axis.into_iter().collect::<String>(), tone(Tone::Muted)),
    ]));
    for (member, spans) in &t.rows {
        let mut row: Vec<char> = vec!['·'; cells];
        for span in spans {
            let from = ((span.from as f64 / per_cell) as usize).min(cells - 1);
            if span.passed {
                if row[from] == '·' {
                    row[from] = '○';
                }
                continue;
            }
            let to = ((span.to as f64 / per_cell).ceil() as usize).clamp(from + 1, cells);
            for cell in row.iter_mut().take(to).skip(from) {
                *cell = '█';
            }
        }
        let mut spans_out = vec![
            Piece::plain(" "),
            Piece::styled(fit(member, lw), tone(Tone::Text)),
            Piece::plain(" "),
        ];
        // Runs of one kind of cell share a style: speech in the airtime colour.
        let mut run = String::new();
        let mut run_kind = ' ';
        for ch in row {
            if ch != run_kind && !run.is_empty() {
                spans_out.push(cell_span(std::mem::take(&mut run), run_kind));
            }
            run_kind = ch;
            run.push(ch);
        }
        if !run.is_empty() {
            spans_out.push(cell_span(run, run_kind));
        }
        out.push(DocLine::new(spans_out));
    }
    out.push(DocLine::from(Piece::styled(
        format!(
            " {} turns, {} passed",
            s.turns.iter().filter(|t| !t.passed).count(),
            s.turns.iter().filter(|t| t.passed).count()
        ),
        tone(Tone::Muted),
    )));
    out.push(DocLine::blank());
}

fn cell_span(text: String, kind: char) -> Piece {
    let style = match kind {
        '█' => tone(Tone::Airtime),
        '○' => tone(Tone::Skipped),
        _ => tone(Tone::Rule),
    };
    Piece::styled(text, style)
}

fn tag_style(tag: Option<&str>) -> Look {
    match tag {
        Some("risk") => bold(Tone::Risk),
        Some("follow-up") => bold(Tone::FollowUp),
        Some(_) => bold(Tone::Tag),
        None => bold(Tone::Muted),
    }
}

/// One note: `HH:MM about: text`, wrapped under itself.
fn note_lines(at: &str, about: &str, text: &str, width: usize) -> Vec<DocLine> {
    let at: String = at.chars().take(5).collect();
    let head = format!("{about}: ");
    let indent = 9;
    let body = wrap(&format!("{head}{text}"), width.saturating_sub(indent).max(10));
    body.into_iter()
        .enumerate()
        .map(|(i, l)| {
            let lead = if i == 0 {
                Piece::styled(format!("   {at:<5} "), tone(Tone::Muted))
            } else {
                Piece::plain(" ".repeat(indent))
            };
            DocLine::new(vec![lead, Piece::styled(l, tone(Tone::Text))])
        })
        .collect()
}

/// The supervisors' comments on `target`, each `↳ who, when: text` under what it is about.
fn comment_lines(supervised: &Supervised, target: &Target, width: usize) -> Vec<DocLine> {
    let mut out = Vec::new();
    for r in supervised.review.about(target) {
        let text = format!("↳ {}, {}: {}", r.author, when(&r.at), r.text);
        for (i, l) in wrap(&text, width.saturating_sub(11).max(10))
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 { "         " } else { "           " };
            out.push(DocLine::new(vec![
                Piece::plain(lead),
                Piece::styled(l, tone(Tone::Accent)),
            ]));
        }
    }
    out
}

fn facilitator_note(n: &NoteSummary, supervised: &Supervised, width: usize) -> Vec<DocLine> {
    let mut out = note_lines(&n.at, &n.about, &n.text, width);
    // A withdrawn or corrected note says so under it: it never passes for the final word.
    if let Some(correction) = n.correction() {
        let tone = if n.withdrawn.is_some() {
            Tone::Warning
        } else {
            Tone::Muted
        };
        for l in wrap(&format!("({correction})"), width.saturating_sub(9).max(10)) {
            out.push(DocLine::new(vec![
                Piece::plain(" ".repeat(9)),
                Piece::styled(l, self::tone(tone)),
            ]));
        }
    }
    out.extend(comment_lines(
        supervised,
        &Target::Note(note_key(&n.at, &n.about, &n.text)),
        width,
    ));
    out
}

fn observation_note(
    trainee: &str,
    n: &ObservationNote,
    supervised: &Supervised,
    width: usize,
) -> Vec<DocLine> {
    let mut out = note_lines(&n.at, &n.about, &n.text_with_tags(), width);
    out.extend(comment_lines(
        supervised,
        &Target::Observation {
            trainee: trainee.to_owned(),
            note: note_key(&n.at, &n.about, &n.text),
        },
        width,
    ));
    out
}

/// The facilitator's notes by tag, risk first; a trainee's flagged observations join the
/// risk and follow-up groups, marked as the trainee's.
fn notes(out: &mut Vec<DocLine>, s: &Summary, screen: &SessionScreen, width: usize) {
    out.push(heading(" Notes by tag"));
    let supervised = &screen.supervised;
    if s.notes.is_empty() {
        out.push(DocLine::from(Piece::styled(
            " No notes were taken.",
            tone(Tone::Muted),
        )));
    }
    let mut groups = by_tag(&s.notes);
    for flag in ["risk", "follow-up"] {
        if trainee_flags(&screen.observations, flag).next().is_some()
            && !groups.iter().any(|(t, _)| t.as_deref() == Some(flag))
        {
            let at = usize::from(
                flag == "follow-up" && groups.first().is_some_and(|(t, _)| t.as_deref() == Some("risk")),
            );
            groups.insert(at.min(groups.len()), (Some(flag.to_owned()), Vec::new()));
        }
    }
    for (tag, notes) in groups {
        let trainees: Vec<(&str, &ObservationNote)> = match tag.as_deref() {
            Some(flag @ ("risk" | "follow-up")) => trainee_flags(&screen.observations, flag).collect(),
            _ => Vec::new(),
        };
        let count = notes.len() + trainees.len();
        let title = match &tag {
            Some(t) if trainees.is_empty() => format!(" #{t} ({count})"),
            Some(t) => format!(" #{t} ({count}, {} from trainees)", trainees.len()),
            None => format!(" untagged ({count})"),
        };
        out.push(DocLine::from(Piece::styled(title, tag_style(tag.as_deref()))));
        for n in notes {
            out.extend(facilitator_note(n, supervised, width));
        }
        for (trainee, n) in trainees {
            let about = format!("{} (trainee {trainee})", n.about);
            out.extend(note_lines(&n.at, &about, &n.text, width));
        }
    }
    out.push(DocLine::blank());
}

/// The trainees' observations tagged `flag`, with the trainee's name.
fn trainee_flags<'a>(
    observations: &'a [Attached],
    flag: &'a str,
) -> impl Iterator<Item = (&'a str, &'a ObservationNote)> {
    // A conflict copy's notes are another version of the trainee's, shown beside them and
    // not counted twice.
    observations
        .iter()
        .filter(|a| !a.is_conflict_copy())
        .flat_map(move |a| {
            a.observations
                .notes
                .iter()
                .filter(move |n| n.tags.iter().any(|t| t == flag))
                .map(|n| (a.observations.trainee.as_str(), n))
        })
}

/// The facilitator's notes and the trainees' observations lined up by the segment they
/// were written in: beside each other when there is room, one after the other when not.
fn by_segment(
    out: &mut Vec<DocLine>,
    s: &Summary,
    observations: &[Attached],
    supervised: &Supervised,
    width: usize,
) {
    out.push(heading(" Facilitator and trainees, segment by segment"));
    for a in observations {
        let how = match a.how {
            How::SessionId => "followed the live session",
            How::TimeOverlap => "offline notes: matched by plan, date and time",
        };
        push_wrapped(
            out,
            &format!(
                "{}: {} notes, {how}",
                a.author_label(),
                a.observations.notes.len()
            ),
            width,
            tone(Tone::Muted),
        );
    }
    let slots = s.segments.len() + 1;
    let mut left: Vec<Vec<DocLine>> = vec![Vec::new(); slots];
    let mut right: Vec<Vec<DocLine>> = vec![Vec::new(); slots];
    let beside_ok = width >= BESIDE_FROM;
    let column = if beside_ok { (width - 3) / 2 } else { width };
    let mut by_time: Vec<&NoteSummary> = s.notes.iter().collect();
    by_time.sort_by(|a, b| a.at.cmp(&b.at));
    for n in by_time {
        let slot = segment_at(s, &n.at).unwrap_or(s.segments.len());
        if let Some(lines) = left.get_mut(slot) {
            lines.extend(facilitator_note(n, supervised, column));
        }
    }
    for a in observations {
        let trainee = &a.observations.trainee;
        for n in &a.observations.notes {
            let named = n
                .segment
                .as_deref()
                .and_then(|title| s.segments.iter().position(|x| x.title == title));
            let slot = named.or_else(|| segment_at(s, &n.at)).unwrap_or(s.segments.len());
            if let Some(lines) = right.get_mut(slot) {
                if a.is_conflict_copy() {
                    lines.push(DocLine::from(Piece::styled(
                        format!("   {trainee} (conflict copy):"),
                        tone(Tone::Warning),
                    )));
                } else if observations.len() > 1 || !beside_ok {
                    lines.push(DocLine::from(Piece::styled(
                        format!("   {trainee}:"),
                        tone(Tone::Accent),
                    )));
                }
                lines.extend(observation_note(trainee, n, supervised, column));
            }
        }
    }
    for slot in 0..slots {
        let (l, r) = (std::mem::take(&mut left[slot]), std::mem::take(&mut right[slot]));
        if l.is_empty() && r.is_empty() {
            continue;
        }
        let title = s
            .segments
            .get(slot)
            .map_or("Outside any segment", |x| x.title.as_str());
        out.push(DocLine::from(Piece::bold(format!(" {title}"), Tone::Text)));
        if beside_ok {
            out.push(beside(
                DocLine::from(Piece::new("   facilitator", Tone::Muted)),
                column,
                DocLine::from(Piece::new("   trainees", Tone::Muted)),
            ));
            let rows = l.len().max(r.len());
            let (mut l, mut r) = (l.into_iter(), r.into_iter());
            for _ in 0..rows {
                out.push(beside(
                    l.next().unwrap_or_default(),
                    column,
                    r.next().unwrap_or_default(),
                ));
            }
        } else {
            out.extend(l);
            out.extend(r);
        }
    }
    out.push(DocLine::blank());
}

/// Comments whose note or observation is no longer what it was: said, never dropped.
fn stranded_comments(out: &mut Vec<DocLine>, s: &Summary, screen: &SessionScreen, width: usize) {
    let present = crate::review::export::commentable(s, &screen.observations);
    let stranded: Vec<&Record> = screen.supervised.review.comments_not_on(&present).collect();
    if stranded.is_empty() {
        return;
    }
    out.push(heading(&format!(
        " {}",
        crate::review::export::COMMENTS_ON_CHANGED
    )));
    for r in stranded {
        let text = format!("↳ {}", crate::review::export::record_words(r));
        push_wrapped(out, &text, width, bold(Tone::Warning));
    }
    out.push(DocLine::blank());
}

/// Every status change, comment on the session and addendum, oldest first.
fn supervision(out: &mut Vec<DocLine>, supervised: &Supervised, width: usize) {
    let records: Vec<&Record> = supervised.review.session_records().collect();
    if records.is_empty() {
        return;
    }
    out.push(heading(" Supervision"));
    for r in records {
        let look = match &r.action {
            Action::Submitted { .. } | Action::Comment => tone(Tone::Text),
            Action::Signed { .. } => bold(Tone::Done),
            Action::Returned => bold(Tone::Warning),
            Action::Addendum => bold(Tone::Accent),
        };
        push_wrapped(out, &crate::review::export::record_words(r), width, look);
        if let Some(note) = supervised.review.signed_another_version(r) {
            push_wrapped(out, &format!("  ⚠ {note}"), width, bold(Tone::Error));
        }
    }
    out.push(DocLine::blank());
}
