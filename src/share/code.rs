//! The join code: two easy words and a number (`plum-river-42`), read aloud in the room.
//!
//! About 22.5 bits (256 × 256 × 90 codes). That is enough because the code is never
//! exposed to an offline guess: SPAKE2 gives an attacker one guess per connection, and
//! the server throttles an address after each wrong one.

use std::io;

use super::words::{FIRST, SECOND};

/// A fresh join code from the operating system's random source.
pub fn new_join_code() -> io::Result<String> {
    let mut entropy = [0u8; 8];
    getrandom::fill(&mut entropy).map_err(|error| io::Error::other(format!("no random source: {error}")))?;
    Ok(join_code_from_entropy(entropy))
}

/// The join code chosen by eight random bytes (deterministic, for tests and seeds).
pub fn join_code_from_entropy(entropy: [u8; 8]) -> String {
    let first = FIRST[usize::from(entropy[0])];
    let second = SECOND[usize::from(entropy[1])];
    // Bias of u32 % 90 is below 2^-25: invisible next to the code's size.
    let number = 10 + u32::from_be_bytes([entropy[2], entropy[3], entropy[4], entropy[5]]) % 90;
    format!("{first}-{second}-{number}")
}

/// The canonical form of a code as typed: lower case, words joined by single hyphens,
/// so `Plum River 42`, ` plum_river-42 ` and `PLUM--RIVER--42` are the same code.
pub fn normalize_join_code(code: &str) -> String {
    code.split(|c: char| c.is_whitespace() || c == '-' || c == '_' || c == '.')
        .filter(|part| !part.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn word_lists_are_long_short_distinct_and_sayable() {
        for list in [&FIRST, &SECOND] {
            let unique: HashSet<&str> = list.iter().copied().collect();
            assert_eq!(unique.len(), 256, "no duplicates");
            for word in list.iter() {
                assert!((2..=7).contains(&word.len()), "{word} is short");
                assert!(
                    word.chars().all(|c| c.is_ascii_lowercase()),
                    "{word} is plain letters"
                );
            }
        }
        let first: HashSet<&str> = FIRST.iter().copied().collect();
        assert!(SECOND.iter().all(|w| !first.contains(w)), "no word in both lists");
    }

    #[test]
    fn codes_look_like_plum_river_42() {
        let code = join_code_from_entropy([0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(code, format!("{}-{}-10", FIRST[0], SECOND[0]));
        for seed in 0..=255u8 {
            let code = join_code_from_entropy([seed, seed.wrapping_mul(7), seed, 1, 2, seed, 0, 0]);
            let parts: Vec<&str> = code.split('-').collect();
            assert_eq!(parts.len(), 3, "{code}");
            let number: u32 = parts[2].parse().expect("a number");
            assert!((10..=99).contains(&number), "{code}");
            assert_eq!(
                normalize_join_code(&code),
                code,
                "a fresh code is already canonical"
            );
        }
    }

    #[test]
    fn fresh_codes_differ() {
        let codes: HashSet<String> = (0..20).map(|_| new_join_code().expect("entropy")).collect();
        assert!(codes.len() > 15, "{codes:?}");
    }

    #[test]
    fn typing_variations_are_the_same_code() {
        for typed in [
            "Plum River 42",
            " plum_river-42 ",
            "PLUM--RIVER--42",
            "plum.river.42",
        ] {
            assert_eq!(normalize_join_code(typed), "plum-river-42", "{typed:?}");
        }
        assert_eq!(normalize_join_code("   "), "");
    }
}
