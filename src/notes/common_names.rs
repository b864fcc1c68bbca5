//! Names that are also everyday English words. A member called Joy or Will cannot be told
//! from "joy" or "will" in a sentence, so such a name is never rewritten silently: the
//! redaction warns about it and the facilitator decides. This is the one list; keep it
//! lowercase, folded (no diacritics) and sorted (a test checks).

const COMMON_WORD_NAMES: &[&str] = &[
    "amber", "angel", "another", "april", "art", "ash", "august", "autumn", "baker", "bay", "bell", "berry",
    "bill", "bishop", "black", "blue", "bond", "brook", "brown", "buck", "bud", "carol", "chance", "chase",
    "cherry", "clay", "cliff", "cook", "crystal", "daisy", "dale", "dawn", "dean", "destiny", "don", "dot",
    "drew", "duke", "earl", "echo", "ember", "eve", "faith", "fern", "fisher", "frank", "gay", "gene",
    "ginger", "glen", "gold", "grace", "grant", "gray", "green", "grey", "group", "guy", "hall", "harmony",
    "haven", "hazel", "heath", "heather", "holly", "honey", "hope", "hunter", "iris", "ivy", "jack", "jade",
    "jay", "jewel", "journey", "joy", "june", "justice", "kay", "king", "lance", "lane", "lark", "liberty",
    "lily", "long", "love", "lucky", "major", "march", "mark", "marsh", "mason", "max", "may", "melody",
    "member", "mercy", "miles", "mint", "misty", "nick", "noble", "norm", "olive", "page", "pat", "patience",
    "peace", "pearl", "penny", "pepper", "pierce", "poppy", "precious", "price", "prince", "prudence",
    "rain", "ray", "red", "reed", "rich", "river", "rob", "robin", "rock", "rocky", "rose", "rowan", "ruby",
    "rush", "rusty", "sage", "sandy", "scout", "serenity", "shadow", "sky", "sonny", "spring", "star",
    "sterling", "stone", "storm", "sue", "summer", "sunny", "sunshine", "true", "unity", "violet", "ward",
    "west", "white", "will", "willow", "winter", "wolf", "wood", "wren", "young",
];

/// Whether `folded` (lowercase, diacritics removed) is a name that is also an everyday word.
pub(super) fn is_common_word(folded: &str) -> bool {
    COMMON_WORD_NAMES.binary_search(&folded).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_unique_and_folded() {
        assert!(
            COMMON_WORD_NAMES.windows(2).all(|w| w[0] < w[1]),
            "sorted, no repeats"
        );
        assert!(
            COMMON_WORD_NAMES
                .iter()
                .all(|w| w.chars().all(|c| c.is_ascii_lowercase()))
        );
        assert!(is_common_word("joy") && is_common_word("will") && is_common_word("young"));
        assert!(!is_common_word("rafiq") && !is_common_word("Joy"));
    }
}
