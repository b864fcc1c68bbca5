//! The session view's "Wrap-up" section: the [`Outline`] as lines, an open risk flag or a
//! missing field in the error tone and bold, so it reads without colour too.

use super::text::wrap;
use super::{DocLine, Look, Piece, Tone, bold, heading, tone};
use crate::review::wrapup::{Found, Level, Line, Outline};

/// Text columns of a line under a sub-heading, and of its continuation lines.
const INDENT: usize = 3;
const HANGING: usize = 5;

pub fn lines(out: &mut Vec<DocLine>, found: &Found, width: usize) {
    let outline = Outline::of(found);
    out.push(heading(" Wrap-up"));
    for (text, level) in &outline.status {
        let look = match level {
            Level::Done => bold(Tone::Done),
            Level::Quiet => tone(Tone::Muted),
            Level::Warning => bold(Tone::Warning),
            Level::Alarm => bold(Tone::Error),
        };
        indented(out, None, text, 1, 1, look, width);
    }
    for section in &outline.sections {
        out.push(DocLine::from(Piece::bold(
            format!(" {}", crate::text::terminal(&section.heading)),
            Tone::Text,
        )));
        for line in &section.lines {
            match line {
                Line::Field { label, value } => {
                    indented(out, Some(label), value, INDENT, HANGING, tone(Tone::Text), width)
                }
                Line::NotWritten { label } => indented(
                    out,
                    Some(label),
                    crate::review::wrapup::NOT_WRITTEN,
                    INDENT,
                    HANGING,
                    tone(Tone::Warning),
                    width,
                ),
                Line::Flag { head, closed, open } => {
                    indented(out, None, head, INDENT, HANGING, tone(Tone::Text), width);
                    let look = if *open {
                        bold(Tone::Error)
                    } else {
                        tone(Tone::Done)
                    };
                    indented(out, None, closed, HANGING, HANGING, look, width);
                }
                Line::Plain(text) => indented(out, None, text, INDENT, INDENT, tone(Tone::Muted), width),
            }
        }
    }
    out.push(DocLine::blank());
}

/// `label: text` wrapped to `width`, the first line `first` columns in, the others
/// `rest`; the label muted, the text in `look`. Line breaks in the text are kept.
fn indented(
    out: &mut Vec<DocLine>,
    label: Option<&str>,
    text: &str,
    first: usize,
    rest: usize,
    look: Look,
    width: usize,
) {
    let safe: Vec<String> = text.lines().map(crate::text::terminal).collect();
    let label = label.map(|l| format!("{}: ", crate::text::terminal(l)));
    let whole = format!("{}{}", label.as_deref().unwrap_or_default(), safe.join("\n"));
    let room = width.saturating_sub(rest + 1).max(10);
    for (i, l) in wrap(&whole, room).into_iter().enumerate() {
        let mut pieces = vec![Piece::plain(" ".repeat(if i == 0 { first } else { rest }))];
        match label.as_deref().filter(|_| i == 0) {
            Some(label) if l.starts_with(label.trim_end()) => {
                let (head, tail) = l.split_at(label.trim_end().len());
                pieces.push(Piece::new(head, Tone::Muted));
                pieces.push(Piece::styled(tail, look));
            }
            _ => pieces.push(Piece::styled(l, look)),
        }
        out.push(DocLine::new(pieces));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::{Template, WrapUp};
    use crate::summary::parse_summary;

    #[test]
    fn typed_text_cannot_reach_the_terminal_as_control_codes_and_fits_any_width() {
        let summary = parse_summary(include_str!("../../../tests/fixtures/summary-v1.ron")).expect("fixture");
        let mut w = WrapUp::from_summary(&summary, Template::Dap);
        w.group.themes = "calm\u{1b}[2J\u{202e}reversed\nsecond line".into();
        w.members[0].fields.plan = "x".repeat(500);
        for width in [20, 80, 200] {
            let mut out = Vec::new();
            lines(&mut out, &Found::Draft(Box::new(w.clone())), width);
            let all: String = out.iter().map(|l| l.text()).collect::<Vec<_>>().join("\n");
            assert!(!all.contains('\u{1b}') && !all.contains('\u{202e}'), "{all}");
            assert!(all.contains("second line"), "the line break is kept");
            assert!(out.iter().all(|l| l.width() <= width.max(16)), "width {width}");
        }
    }
}
