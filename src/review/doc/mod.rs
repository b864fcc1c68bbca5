//! The review's scrolling documents (one session, a group's series) as a layout model:
//! lines of text pieces, each with a [`Tone`] that says what it is (a heading, a risk flag,
//! overtime…), never how it looks. The model is built once per screen and terminal width;
//! the browser's state counts its lines to bound scrolling, and [`super::ui`] turns tones
//! into the theme's styles only when it draws. So no key ever draws, and drawing never
//! decides anything.

pub mod series;
pub mod session;
pub mod text;
pub mod wrapup;

/// What a piece of text means; the theme decides its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// No colour of its own (spaces, padding).
    Plain,
    Text,
    Muted,
    Accent,
    Error,
    Warning,
    /// Over the planned time.
    Over,
    /// Done as planned.
    Done,
    Skipped,
    Airtime,
    /// Never spoke, absent.
    Unheard,
    /// Rules and empty cells.
    Rule,
    Risk,
    FollowUp,
    /// Any other tag.
    Tag,
}

/// A tone, and whether it is bold (which also shows without colour).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Look {
    pub tone: Tone,
    pub bold: bool,
}

pub const fn tone(tone: Tone) -> Look {
    Look { tone, bold: false }
}

pub const fn bold(tone: Tone) -> Look {
    Look { tone, bold: true }
}

/// A run of text in one tone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub tone: Tone,
    pub bold: bool,
}

impl Piece {
    pub fn new(text: impl Into<String>, tone: Tone) -> Piece {
        Piece {
            text: text.into(),
            tone,
            bold: false,
        }
    }

    pub fn bold(text: impl Into<String>, tone: Tone) -> Piece {
        Piece {
            text: text.into(),
            tone,
            bold: true,
        }
    }

    pub fn styled(text: impl Into<String>, look: Look) -> Piece {
        Piece {
            text: text.into(),
            tone: look.tone,
            bold: look.bold,
        }
    }

    pub fn plain(text: impl Into<String>) -> Piece {
        Piece::new(text, Tone::Plain)
    }
}

/// One line of a document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocLine {
    pub pieces: Vec<Piece>,
}

impl DocLine {
    pub fn new(pieces: Vec<Piece>) -> DocLine {
        DocLine { pieces }
    }

    pub fn one(text: impl Into<String>, tone: Tone) -> DocLine {
        DocLine::new(vec![Piece::new(text, tone)])
    }

    pub fn blank() -> DocLine {
        DocLine::default()
    }

    /// Columns the line takes.
    pub fn width(&self) -> usize {
        self.pieces.iter().map(|p| text::width(&p.text)).sum()
    }

    /// The line's text without tones, for tests and searches.
    pub fn text(&self) -> String {
        self.pieces.iter().map(|p| p.text.as_str()).collect()
    }
}

impl From<Piece> for DocLine {
    fn from(piece: Piece) -> DocLine {
        DocLine::new(vec![piece])
    }
}

/// A section heading.
pub fn heading(title: &str) -> DocLine {
    DocLine::new(vec![Piece::bold(title, Tone::Accent)])
}

/// `left` padded to `left_width` columns, a rule, then `right`: two columns on one line.
pub fn beside(left: DocLine, left_width: usize, right: DocLine) -> DocLine {
    let w = left.width();
    let mut pieces = left.pieces;
    if w < left_width {
        pieces.push(Piece::plain(" ".repeat(left_width - w)));
    }
    pieces.push(Piece::new(" │ ", Tone::Rule));
    pieces.extend(right.pieces);
    DocLine::new(pieces)
}

/// `text` wrapped to `width` (less a margin), each line one piece in `tone`.
pub fn push_wrapped(out: &mut Vec<DocLine>, text: &str, width: usize, look: Look) {
    for l in text::wrap(text, width.saturating_sub(2)) {
        out.push(DocLine::from(Piece::styled(format!(" {l}"), look)));
    }
}

/// `parts` joined by ` · `, in lines of `width`: a part goes whole onto the next line
/// rather than being split ("session 2 of" / "8"), unless it is longer than a line.
pub fn push_parts(out: &mut Vec<DocLine>, parts: &[String], width: usize, look: Look) {
    let max = width.saturating_sub(2).max(1);
    let mut line = String::new();
    for part in parts {
        let joined = if line.is_empty() {
            part.clone()
        } else {
            format!("{line} · {part}")
        };
        if text::width(&joined) <= max || line.is_empty() {
            line = joined;
        } else {
            push_wrapped(out, &std::mem::take(&mut line), width, look);
            line = part.clone();
        }
    }
    push_wrapped(out, &line, width, look);
}

/// `R2 F1` in the risk and follow-up tones, padded to `cells`: letters, so no colour is
/// needed to read them.
pub fn flag_pieces(risk: usize, follow_up: usize, cells: usize) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut used = 0;
    if risk > 0 {
        let t = format!("R{risk}");
        used += text::width(&t);
        pieces.push(Piece::bold(t, Tone::Risk));
    }
    if follow_up > 0 {
        let t = format!("{}F{follow_up}", if risk > 0 { " " } else { "" });
        used += text::width(&t);
        pieces.push(Piece::new(t, Tone::FollowUp));
    }
    pieces.push(Piece::plain(" ".repeat(cells.saturating_sub(used))));
    pieces
}

/// A document laid out for one width.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Doc {
    pub width: usize,
    pub lines: Vec<DocLine>,
}

impl Doc {
    /// How far the document scrolls in a body `height` lines high: when it does not all
    /// fit, the last line of the body tells the position, so one line fewer shows.
    pub fn max_scroll(&self, height: usize) -> usize {
        self.lines
            .len()
            .saturating_sub(visible_rows(self.lines.len(), height))
    }
}

/// Lines of a document of `total` lines that show in a body `height` lines high.
pub fn visible_rows(total: usize, height: usize) -> usize {
    if total > height {
        height.saturating_sub(1)
    } else {
        height
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_line_is_reachable() {
        let doc = Doc {
            width: 80,
            lines: vec![DocLine::blank(); 30],
        };
        // 20 lines high: 19 show beside the position mark, so scrolling stops at 11.
        assert_eq!(doc.max_scroll(20), 11);
        assert_eq!(doc.max_scroll(30), 0);
        assert_eq!(doc.max_scroll(40), 0);
    }
}
