//! People's names as a roster writes them: one Unicode form (NFC), and what a name looks
//! like on screen, so "Ann" and "Ann" with a zero-width space are one name, not two, and a
//! name of nothing but invisible characters is no name.

use unicode_normalization::UnicodeNormalization;

/// The name in Unicode's composed form (NFC), trimmed: "Zoe\u{308}" becomes "Zoë".
pub fn normalize(name: &str) -> String {
    name.nfc().collect::<String>().trim().to_owned()
}

/// Characters that take no room on screen: controls, zero-width characters and joiners,
/// direction marks, invisible operators, variation selectors, fillers and tags.
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00ad}'
                | '\u{034f}'
                | '\u{061c}'
                | '\u{115f}'
                | '\u{1160}'
                | '\u{17b4}'
                | '\u{17b5}'
                | '\u{180b}'..='\u{180f}'
                | '\u{200b}'..='\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}'
                | '\u{3164}'
                | '\u{fe00}'..='\u{fe0f}'
                | '\u{feff}'
                | '\u{ffa0}'
                | '\u{1d173}'..='\u{1d17a}'
                | '\u{e0000}'..='\u{e0fff}'
        )
}

/// What a name looks like: composed, invisible characters removed, runs of spaces made
/// one, lower case. Two names with the same look cannot be told apart on screen.
pub fn look(name: &str) -> String {
    let visible: String = name.nfc().filter(|c| !is_invisible(*c)).collect();
    visible
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The name with its invisible characters written out (`Ann\u{200b}`), for a message
/// that must show how two names differ.
pub fn reveal(name: &str) -> String {
    name.chars()
        .map(|c| {
            if is_invisible(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_form_for_one_name() {
        assert_eq!(normalize(" Zoe\u{308} "), "Zo\u{eb}");
        assert_eq!(normalize("Ann"), "Ann");
    }

    #[test]
    fn names_that_look_alike_have_one_look() {
        assert_eq!(look("Ann"), look("Ann\u{200b}"));
        assert_eq!(look("Ann"), look("A\u{2060}nn\u{1b}"));
        assert_eq!(look("Sam  K."), look("sam k."));
        assert_eq!(look("Zo\u{eb}"), look("Zoe\u{308}"));
        assert_ne!(look("Ann"), look("Anna"));
        assert_eq!(look("\u{200b}\u{200d}\u{feff}"), "");
        assert_eq!(look("\u{3164}"), "", "a Hangul filler shows nothing");
        assert_eq!(reveal("Ann\u{200b}\u{1b}"), "Ann\\u{200b}\\u{1b}");
    }
}
