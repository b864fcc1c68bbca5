//! How the review writes times, counts and names, the same on screen, in `--list` and in
//! exports.

use super::index::Entry;

/// Whole minutes over (+) or under (−) the plan, rounded: `+12m`, `-5m`, `±0m`.
pub fn over_under(secs: i64) -> String {
    let mut out = String::new();
    push_over_under(&mut out, secs);
    out
}

/// [`over_under`] appended to `out`.
pub fn push_over_under(out: &mut String, secs: i64) {
    use std::fmt::Write as _;
    let minutes = (secs as f64 / 60.0).round() as i64;
    let _ = match minutes {
        0 => write!(out, "±0m"),
        m if m > 0 => write!(out, "+{m}m"),
        m => write!(out, "-{}m", -m),
    };
}

/// `1h 05m`, `12m`, `45s`.
pub fn duration(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}h {m:02}m")
    } else if m > 0 && s == 0 {
        format!("{m}m")
    } else if m > 0 {
        format!("{m}m {s:02}s")
    } else {
        format!("{s}s")
    }
}

/// Minutes spoken, rounded, as a grid cell: `4`; under a minute in seconds, `45s`, so a
/// short turn never reads as `0`.
pub fn minutes(secs: u64) -> String {
    if secs > 0 && secs < 60 {
        format!("{secs}s")
    } else {
        ((secs + 30) / 60).to_string()
    }
}

/// `m:ss` or `h:mm:ss`.
pub fn clock(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// `7/8`: attended of those on the roster.
pub fn attendance(e: &Entry) -> String {
    format!("{}/{}", e.present, e.roster)
}

/// `R2 F1`: risk and follow-up flags by letter, so no colour is needed; empty without.
pub fn flags(risk: usize, follow_up: usize) -> String {
    let mut out = String::new();
    push_flags(&mut out, risk, follow_up);
    out
}

/// [`flags`] appended to `out`.
pub fn push_flags(out: &mut String, risk: usize, follow_up: usize) {
    use std::fmt::Write as _;
    if risk > 0 {
        let _ = write!(out, "R{risk}");
    }
    if follow_up > 0 {
        let _ = write!(out, "{}F{follow_up}", if risk > 0 { " " } else { "" });
    }
}

/// Facilitators as one cell: `Dr. Nadia Rahman, Samir Akter`.
pub fn people<S: AsRef<str>>(names: &[S]) -> String {
    let mut out = String::new();
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(name.as_ref());
    }
    out
}

/// Seconds of a local `HH:MM[:SS]` time of day; `None` when it is not one.
pub fn time_of_day(text: &str) -> Option<u64> {
    let mut parts = text.split(':').map(|p| p.parse::<u64>().ok());
    let h = parts.next()??;
    let m = parts.next()??;
    let s = parts.next().unwrap_or(Some(0))?;
    (h < 24 && m < 60 && s < 61).then_some(h * 3600 + m * 60 + s)
}

/// Cuts `text` to at most `width` characters, with `…` when cut.
pub fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out: String = text.chars().take(width - 1).collect();
    out.push('…');
    out
}

/// Text on one line: newlines and tabs become spaces, other control characters go.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_one_line(&mut out, text);
    out
}

/// [`one_line`] appended to `out`.
pub fn push_one_line(out: &mut String, text: &str) {
    // Control characters are U+0000–U+001F and U+007F–U+009F (these two bytes long,
    // starting 0xC2): text without those bytes goes as it is.
    if !text.bytes().any(|b| b < 0x20 || b == 0x7f || b == 0xc2) {
        out.push_str(text);
        return;
    }
    out.extend(text.chars().filter_map(|c| match c {
        '\n' | '\r' | '\t' => Some(' '),
        c if c.is_control() => None,
        c => Some(c),
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(over_under(720), "+12m");
        assert_eq!(over_under(-300), "-5m");
        assert_eq!(over_under(20), "±0m");
        assert_eq!(duration(5400), "1h 30m");
        assert_eq!(duration(90), "1m 30s");
        assert_eq!(duration(45), "45s");
        assert_eq!(clock(3725), "1:02:05");
        assert_eq!(minutes(45), "45s");
        assert_eq!(minutes(0), "0");
        assert_eq!(minutes(89), "1");
        assert_eq!(flags(2, 1), "R2 F1");
        assert_eq!(flags(0, 0), "");
        assert_eq!(time_of_day("18:07:30"), Some(65250));
        assert_eq!(time_of_day("18:07"), Some(65220));
        assert_eq!(time_of_day("x"), None);
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(one_line("a\nb\u{1b}[31m"), "a b[31m");
        assert_eq!(one_line("©\u{85}x\u{9f}"), "©x");
        assert_eq!(one_line("plain é"), "plain é");
    }
}
