//! The report's "Wrap-up" section, in Markdown and in HTML, from the same [`Outline`] the
//! session view draws. Not redacted: the report is the supervisor's full record.

use std::fmt::Write as _;

use super::html::{escape, text};
use crate::review::wrapup::{Found, Level, Line, NOT_WRITTEN, Outline};
use crate::text::markdown as md;

// `write!` to a String cannot fail; the results are ignored on purpose.
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{ let _ = write!($out, $($arg)*); }};
}

pub fn markdown(found: &Found) -> String {
    let outline = Outline::of(found);
    let mut out = String::from("## Wrap-up\n\n");
    for (said, level) in &outline.status {
        match level {
            Level::Quiet => w!(out, "{}\n\n", md(said)),
            _ => w!(out, "**{}**\n\n", md(said)),
        }
    }
    for section in &outline.sections {
        w!(out, "### {}\n\n", md(&section.heading));
        for line in &section.lines {
            match line {
                Line::Field { label, value } => w!(out, "- **{}:** {}\n", md(label), md(value)),
                Line::NotWritten { label } => w!(out, "- **{}:** {NOT_WRITTEN}\n", md(label)),
                Line::Flag { head, closed, open } if *open => {
                    w!(out, "- {}<br>**{}**\n", md(head), md(closed))
                }
                Line::Flag { head, closed, .. } => w!(out, "- {}<br>{}\n", md(head), md(closed)),
                Line::Plain(said) => w!(out, "- {}\n", md(said)),
            }
        }
        out.push('\n');
    }
    out
}

pub fn html(found: &Found) -> String {
    let outline = Outline::of(found);
    let mut out = String::from("<section><h2>Wrap-up</h2>");
    for (said, level) in &outline.status {
        let class = match level {
            Level::Done => "status",
            Level::Quiet => "meta",
            Level::Warning => "callout",
            Level::Alarm => "callout changed",
        };
        w!(out, "<p class=\"{class}\"><strong>{}</strong></p>", text(said));
    }
    for section in &outline.sections {
        w!(out, "<h3>{}</h3>", escape(&section.heading));
        // Fields go in a list of terms, flags in a list of items; a run of each is one list.
        let mut list: Option<&str> = None;
        for line in &section.lines {
            let wanted = match line {
                Line::Field { .. } | Line::NotWritten { .. } => "dl",
                Line::Flag { .. } | Line::Plain(_) => "ul",
            };
            if list != Some(wanted) {
                if let Some(open) = list {
                    w!(out, "</{open}>");
                }
                out.push_str(if wanted == "dl" {
                    "<dl class=\"facts\">"
                } else {
                    "<ul class=\"notes\">"
                });
                list = Some(wanted);
            }
            match line {
                Line::Field { label, value } => w!(out, "<dt>{}</dt><dd>{}</dd>", escape(label), text(value)),
                Line::NotWritten { label } => {
                    w!(out, "<dt>{}</dt><dd><em>{NOT_WRITTEN}</em></dd>", escape(label))
                }
                Line::Flag {
                    head,
                    closed,
                    open: true,
                } => w!(
                    out,
                    "<li>{}<br><strong class=\"open\">{}</strong></li>",
                    text(head),
                    text(closed)
                ),
                Line::Flag { head, closed, .. } => w!(out, "<li>{}<br>{}</li>", text(head), text(closed)),
                Line::Plain(said) => w!(out, "<li>{}</li>", text(said)),
            }
        }
        if let Some(open) = list {
            w!(out, "</{open}>");
        }
    }
    out.push_str("</section>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::{Template, WrapUp};
    use crate::summary::parse_summary;

    fn hostile() -> Found {
        let summary = parse_summary(include_str!("../../../tests/fixtures/summary-v1.ron")).expect("fixture");
        let mut w = WrapUp::from_summary(&summary, Template::Dap);
        w.group.themes = "<script>alert(1)</script> | [x](javascript:y)\n# not a heading".into();
        w.members[0].name = "<b>Farhana</b>".into();
        Found::Draft(Box::new(w))
    }

    #[test]
    fn typed_text_stays_text_in_markdown() {
        let out = markdown(&hostile());
        assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt; \\| \\[x\\](javascript:y)<br>\\# not"));
        assert!(out.contains("### &lt;b&gt;Farhana&lt;/b&gt;"), "{out}");
    }

    #[test]
    fn typed_text_stays_text_in_html() {
        let out = html(&hostile());
        assert!(!out.contains("<script>") && !out.contains("<b>Farhana"), "{out}");
        assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(out.contains("<br># not a heading"), "line breaks kept: {out}");
    }
}
