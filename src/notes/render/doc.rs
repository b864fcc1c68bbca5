//! The document model of a note: a title, what is unfinished, sections of lines; written out
//! as Markdown or as plain text from the same model, so both always say the same.

use super::{FieldWarning, Rendered};

pub(super) struct Doc {
    pub(super) title: String,
    /// Said first, on their own line: what is unfinished.
    pub(super) alerts: Vec<String>,
    pub(super) sections: Vec<Section>,
}

pub(super) struct Section {
    pub(super) heading: &'static str,
    pub(super) lines: Vec<Line>,
}

pub(super) enum Line {
    /// A labelled value: "Attendance: present".
    Field(&'static str, String),
    /// A paragraph of free text.
    Text(String),
    /// One of a list (flags).
    Item(String),
    /// One of a list under the field before it (the notes about a member).
    SubItem(String),
    /// A field the facilitator has not written yet.
    NotWritten,
}

pub(super) const NOT_WRITTEN: &str = "(not written)";

impl Doc {
    pub(super) fn markdown(&self) -> String {
        let md = crate::text::markdown;
        let mut out = format!("# {}\n\n", md(&self.title));
        for alert in &self.alerts {
            out.push_str(&format!("**{}**\n\n", md(alert)));
        }
        for section in &self.sections {
            out.push_str(&format!("## {}\n\n", section.heading));
            let mut in_list = false;
            for line in &section.lines {
                let (item, text) = match line {
                    Line::Field(label, value) if value.is_empty() => (true, format!("- **{label}:**")),
                    Line::Field(label, value) => (true, format!("- **{label}:** {}", md(value))),
                    Line::Item(value) => (true, format!("- {}", md(value))),
                    Line::SubItem(value) => (true, format!("  - {}", md(value))),
                    Line::Text(value) => (false, md(value)),
                    Line::NotWritten => (false, NOT_WRITTEN.to_owned()),
                };
                if in_list && !item {
                    out.push('\n');
                }
                out.push_str(&text);
                out.push_str(if item { "\n" } else { "\n\n" });
                in_list = item;
            }
            if in_list {
                out.push('\n');
            }
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    }

    /// Plain text: no Markdown, no control characters, line breaks kept.
    pub(super) fn text(&self) -> String {
        let mut out = format!("{}\n", plain(&self.title));
        for alert in &self.alerts {
            out.push_str(&format!("{}\n", plain(alert)));
        }
        for section in &self.sections {
            out.push('\n');
            match section.lines.as_slice() {
                // A field with one short answer reads on one line: "Assessment: (not written)".
                [Line::NotWritten] => out.push_str(&format!("{}: {NOT_WRITTEN}\n", section.heading)),
                [Line::Text(value)] if !value.contains('\n') => {
                    out.push_str(&format!("{}: {}\n", section.heading, plain(value)));
                }
                lines => {
                    out.push_str(&format!("{}:\n", section.heading));
                    for line in lines {
                        let text = match line {
                            Line::Field(label, value) if value.is_empty() => format!("{label}:"),
                            Line::Field(label, value) => format!("{label}: {}", plain(value)),
                            Line::Item(value) | Line::SubItem(value) => format!("  {}", plain(value)),
                            Line::Text(value) => plain(value),
                            Line::NotWritten => NOT_WRITTEN.to_owned(),
                        };
                        out.push_str(&text);
                        out.push('\n');
                    }
                }
            }
        }
        out
    }
}

/// Text for a plain file: each line made safe for a terminal (a `.txt` is `cat` as often
/// as pasted), the line breaks themselves kept.
pub(super) fn plain(text: &str) -> String {
    text.lines()
        .map(crate::text::terminal)
        .collect::<Vec<_>>()
        .join("\n")
}

pub(super) fn rendered(doc: &Doc, warnings: Vec<FieldWarning>) -> Rendered {
    Rendered {
        markdown: doc.markdown(),
        text: doc.text(),
        warnings,
    }
}
