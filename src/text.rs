//! Text from users (names, notes, titles) made safe for where it goes: a Markdown report,
//! a terminal. Every report and every terminal line goes through these, so a note cannot
//! break a table, inject a link or send escape sequences to someone's terminal.

/// `text` as one inline run of Markdown that reads as written: no formatting, no link, no
/// HTML, and safe inside a table cell. Line breaks become `<br>`; control characters go.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut line_start = true;
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => {
                out.push_str("<br>");
                line_start = true;
                continue;
            }
            '\\' => out.push_str("\\\\"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' | '[' | ']' | '`' | '*' | '_' | '~' => {
                out.push('\\');
                out.push(ch);
            }
            // What would start a heading, a list, a quote or a rule at the start of a line.
            '#' | '-' | '+' | '=' if line_start => {
                out.push('\\');
                out.push(ch);
            }
            '0'..='9' if line_start => {
                out.push(ch);
                // "1." or "1)" at a line start would begin a numbered list.
                while let Some(digit) = chars.next_if(char::is_ascii_digit) {
                    out.push(digit);
                }
                if let Some(mark) = chars.next_if(|c| *c == '.' || *c == ')') {
                    out.push('\\');
                    out.push(mark);
                }
            }
            c if c.is_control() => continue,
            c => out.push(c),
        }
        line_start = ch.is_whitespace() && line_start;
    }
    out
}

/// Whether `text` already says `#tag` (in any case, and not as the start of a longer
/// word: `#risky` is not `#risk`), so a list of tags after it need not repeat it.
pub fn says_tag(text: &str, tag: &str) -> bool {
    let lower = text.to_lowercase();
    let mark = format!("#{}", tag.to_lowercase());
    lower
        .match_indices(&mark)
        .any(|(i, _)| !lower[i + mark.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '-'))
}

/// `text` for a terminal: control characters (escape sequences among them) removed, line
/// breaks and tabs turned into spaces, so it can never move the cursor or change colours.
pub fn terminal(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() || is_bidi_control(c) => None,
            c => Some(c),
        })
        .collect()
}

/// Unicode's directional overrides and isolates: they reorder what follows on screen.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_the_text_says_is_found_whole() {
        assert!(says_tag("Felt hopeless #risk", "risk"));
        assert!(says_tag("#RISK at the break", "risk"));
        assert!(!says_tag("Felt #risky", "risk"), "a longer word is another tag");
        assert!(!says_tag("no tag here", "risk"));
    }

    #[test]
    fn markdown_text_stays_text() {
        assert_eq!(markdown("a | b\nc\r\nd <i>"), "a \\| b<br>c<br>d &lt;i&gt;");
        assert_eq!(markdown("Tom & Jerry"), "Tom &amp; Jerry");
        assert_eq!(
            markdown("[x](javascript:alert(1))"),
            "\\[x\\](javascript:alert(1))"
        );
        assert_eq!(markdown("`code` *bold*"), "\\`code\\` \\*bold\\*");
        assert_eq!(
            markdown("# not a heading\n- not a list"),
            "\\# not a heading<br>\\- not a list"
        );
        assert_eq!(
            markdown("12. not a list, but 12. here is"),
            "12\\. not a list, but 12. here is"
        );
        assert_eq!(markdown("a\\|b"), "a\\\\\\|b");
        assert_eq!(markdown("bell\u{7} esc\u{1b}[31m"), "bell esc\\[31m");
        assert_eq!(markdown("well-being"), "well-being");
    }

    #[test]
    fn terminal_text_cannot_move_the_cursor() {
        assert_eq!(terminal("red\u{1b}[31m\u{1b}]0;title\u{7}x"), "red[31m]0;titlex");
        assert_eq!(terminal("two\nlines\ttab"), "two lines tab");
        assert_eq!(terminal("abc\u{202e}def"), "abcdef");
    }
}
