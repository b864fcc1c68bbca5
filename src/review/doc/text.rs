//! Fitting text into cells: widths in terminal columns, cutting, padding, wrapping, bars.

use ratatui::text::Span;

/// Terminal columns `text` takes.
pub fn width(text: &str) -> usize {
    Span::raw(text).width()
}

/// `text` cut to `max` columns (with `…` when cut) and padded with spaces to exactly `max`.
pub fn fit(text: &str, max: usize) -> String {
    let mut out = truncate(text, max);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', max.saturating_sub(w)));
    out
}

/// A name fitted as [`fit`] does, but keeping a short last word that tells similar names
/// apart when the name is cut: a number or a note in brackets (`Tuesday evening a… (2)`).
pub fn fit_name(text: &str, max: usize) -> String {
    if width(text) > max
        && let Some((head, tail)) = text.trim_end().rsplit_once(' ')
        && width(tail) <= 6
        && (tail.starts_with('(') || tail.chars().all(|c| c.is_ascii_digit()))
        && max > width(tail) + 4
    {
        return fit(&format!("{} {tail}", truncate(head, max - width(tail) - 1)), max);
    }
    fit(text, max)
}

/// `text` right-aligned in `max` columns.
pub fn fit_right(text: &str, max: usize) -> String {
    let cut = truncate(text, max);
    format!("{}{cut}", " ".repeat(max.saturating_sub(width(&cut))))
}

/// `text` on one line, cut to at most `max` columns with `…` when cut.
pub fn truncate(text: &str, max: usize) -> String {
    let text = crate::review::fmt::one_line(text);
    if width(&text) <= max {
        return text;
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let w = width(ch.encode_utf8(&mut [0; 4]));
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(ch);
    }
    out.push('…');
    out
}

/// `text` cut from the left, for paths: `…/summaries`.
pub fn truncate_left(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_owned();
    }
    if max == 0 {
        return String::new();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<char> = Vec::new();
    let mut used = 1;
    for ch in chars.iter().rev() {
        let w = width(ch.encode_utf8(&mut [0; 4]));
        if used + w > max {
            break;
        }
        used += w;
        out.push(*ch);
    }
    out.push('…');
    out.into_iter().rev().collect()
}

/// Words of `text` in lines of at most `max` columns; line breaks in `text` are kept, and a
/// word longer than a line (a file's path) is broken across lines, never cut: its end is
/// often what tells two names apart.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    for paragraph in text.replace("\r\n", "\n").split('\n') {
        // The line being filled, and its width, kept as it grows rather than measured again.
        let mut line = String::new();
        let mut used = 0;
        for word in paragraph.split_whitespace() {
            let word = crate::review::fmt::one_line(word);
            let word_width = width(&word);
            let sep = usize::from(!line.is_empty());
            if word_width <= max {
                if used + sep + word_width > max {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                } else if sep == 1 {
                    line.push(' ');
                    used += 1;
                }
                line.push_str(&word);
                used += word_width;
                continue;
            }
            // A word longer than a line starts where the line is, and goes on below.
            if sep == 1 && used < max {
                line.push(' ');
                used += 1;
            }
            for ch in word.chars() {
                let w = width(ch.encode_utf8(&mut [0; 4]));
                if used + w > max && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push(ch);
                used += w;
            }
        }
        lines.push(line);
    }
    lines
}

/// A bar of `value` out of `max` in `cells` columns, in eighths of a cell so short values
/// still show; `fill` for whole cells.
pub fn bar(value: u64, max: u64, cells: usize, fill: char) -> String {
    if max == 0 || value == 0 || cells == 0 {
        return String::new();
    }
    let eighths = (u128::from(value.min(max)) * cells as u128 * 8 / u128::from(max)) as usize;
    let eighths = eighths.max(1);
    let mut out: String = std::iter::repeat_n(fill, eighths / 8).collect();
    if fill == '█' {
        const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
        if !eighths.is_multiple_of(8) {
            out.push(PARTS[eighths % 8]);
        }
    } else if eighths % 8 >= 4 || out.is_empty() {
        out.push(fill);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting() {
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit_right("ab", 4), "  ab");
        assert_eq!(truncate_left("/home/user/summaries", 12), "…r/summaries");
        assert_eq!(wrap("one two three four", 9), vec!["one two", "three", "four"]);
        assert_eq!(wrap("a\nb", 9), vec!["a", "b"]);
        assert_eq!(
            fit_name("Tuesday evening anxiety group (2)", 18),
            "Tuesday eveni… (2)"
        );
        assert_eq!(fit_name("Carers group 12", 10), "Carers… 12");
        assert_eq!(fit_name("Recovery Wednesday", 10), "Recovery …", "as fit cuts it");
        assert_eq!(fit_name("Short (2)", 12), "Short (2)   ");
        assert_eq!(
            wrap("copy: x.wrapup.sync-conflict-A.ron here", 12),
            vec!["copy: x.wrap", "up.sync-conf", "lict-A.ron", "here"],
            "a name longer than a line is broken, not cut"
        );
        assert_eq!(bar(1, 2, 4, '█'), "██");
        assert_eq!(bar(1, 100, 4, '█'), "▏");
        assert_eq!(bar(0, 100, 4, '█'), "");
        assert_eq!(bar(5, 10, 3, '░'), "░░");
    }
}
