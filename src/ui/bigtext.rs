//! Large digits for the countdown, readable from a metre away: 5 rows high at scale 1,
//! drawn with block characters, for `0-9`, `:`, `+` and `-`, and scaled whole for a larger
//! panel.

const ROWS: usize = 5;

/// Rows of the digits at scale 1.
pub const HEIGHT: usize = ROWS;

fn glyph(ch: char) -> [&'static str; ROWS] {
    match ch {
        '0' => ["███", "█ █", "█ █", "█ █", "███"],
        '1' => [" ██", "  █", "  █", "  █", "  █"],
        '2' => ["███", "  █", "███", "█  ", "███"],
        '3' => ["███", "  █", "███", "  █", "███"],
        '4' => ["█ █", "█ █", "███", "  █", "  █"],
        '5' => ["███", "█  ", "███", "  █", "███"],
        '6' => ["███", "█  ", "███", "█ █", "███"],
        '7' => ["███", "  █", "  █", "  █", "  █"],
        '8' => ["███", "█ █", "███", "█ █", "███"],
        '9' => ["███", "█ █", "███", "  █", "███"],
        ':' => [" ", "█", " ", "█", " "],
        '+' => ["   ", " █ ", "███", " █ ", "   "],
        '-' => ["   ", "   ", "███", "   ", "   "],
        _ => ["", "", "", "", ""],
    }
}

/// The text as big rows, one space between glyphs.
pub fn render(text: &str) -> [String; ROWS] {
    let mut rows: [String; ROWS] = Default::default();
    for (i, ch) in text.chars().enumerate() {
        for (row, part) in rows.iter_mut().zip(glyph(ch)) {
            if i > 0 {
                row.push(' ');
            }
            row.push_str(part);
        }
    }
    rows
}

/// The text as big rows, each cell of the glyphs `scale` times as wide and as high.
pub fn render_scaled(text: &str, scale: usize) -> Vec<String> {
    let scale = scale.max(1);
    render(text)
        .iter()
        .flat_map(|row| {
            let wide: String = row.chars().flat_map(|c| std::iter::repeat_n(c, scale)).collect();
            std::iter::repeat_n(wide, scale)
        })
        .collect()
}

/// Width in cells of the rendered text.
pub fn width(text: &str) -> usize {
    render(text)[0].chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_rows_line_up() {
        let rows = render("+12:05");
        let widths: Vec<_> = rows.iter().map(|r| r.chars().count()).collect();
        assert!(widths.iter().all(|w| *w == widths[0]), "{widths:?}");
        assert_eq!(width("12:05"), 3 + 1 + 3 + 1 + 1 + 1 + 3 + 1 + 3);
        let big = render_scaled("12:05", 2);
        assert_eq!(big.len(), 10);
        assert!(big.iter().all(|r| r.chars().count() == 2 * width("12:05")));
    }
}
