//! Name redaction: examples of every rule, then properties over generated rosters and texts.

use proptest::prelude::*;

use crate::notes::redact::{Names, Reason, Redacted, fold};

fn names(list: &[&str]) -> Names {
    Names::new(list.iter().copied())
}

fn warned(redacted: &Redacted) -> Vec<(&str, Reason)> {
    redacted
        .warnings
        .iter()
        .map(|w| (w.word.as_str(), w.reason))
        .collect()
}

#[test]
fn a_name_inside_a_word_is_untouched() {
    let roster = names(&["Dev", "Ana"]);
    let out = roster.for_member(1, "Dev led; development, Devon, devs and dev's idea");
    assert_eq!(
        out.text,
        "Another group member led; development, Devon, devs and another group member's idea"
    );
    assert!(out.warnings.is_empty());
    let inside = roster.for_member(1, "Banana, Anatolia, dev2, _dev_");
    assert_eq!(inside.text, "Banana, Anatolia, dev2, _another group member_");
}

#[test]
fn full_names_and_each_part_alone() {
    let roster = names(&["Farhana Akter", "Rafiq Islam"]);
    let out = roster.for_member(
        0,
        "Farhana sat with Rafiq  Islam; later rafiq and Mr. Islam talked. Islam left.",
    );
    assert_eq!(
        out.text,
        "Farhana sat with another group member; later another group member and another group \
         member talked. Another group member left."
    );
    assert!(out.warnings.is_empty());
    // Two names side by side in two sentences stay two.
    let two = roster.for_member(0, "I saw Rafiq. Islam is a faith.");
    assert_eq!(
        two.text,
        "I saw another group member. Another group member is a faith."
    );
}

#[test]
fn diacritics_case_and_compatibility_forms_are_folded() {
    let roster = names(&["Zoë", "Søren Ødegård", "Ana"]);
    let out = roster.for_member(2, "Zoë, zoe, ZOE, Zoe\u{308}, ＺＯＥ; soren odegard and SØREN");
    assert_eq!(
        out.text,
        "Another group member, another group member, another group member, another group member, \
         another group member; another group member and another group member"
    );
    assert_eq!(fold("Zoë ẞ Æ ﬁ"), "zoe ss ae fi");
}

#[test]
fn a_possessive_keeps_its_ending() {
    let roster = names(&["Rafiq", "Ana"]);
    let out = roster.for_member(1, "Rafiq's plan and Rafiq’s sister");
    assert_eq!(
        out.text,
        "Another group member's plan and another group member’s sister"
    );
}

#[test]
fn a_name_that_is_an_everyday_word_is_warned_about_not_replaced() {
    let roster = names(&["Joy", "Rafiq"]);
    let text = "Joy shared her joy.\nWILL";
    let out = roster.for_member(1, text);
    assert_eq!(out.text, text);
    assert_eq!(
        warned(&out),
        vec![("Joy", Reason::CommonWord), ("joy", Reason::CommonWord)]
    );
    assert_eq!(out.warnings[1].range, 15..18);
    assert_eq!(out.warnings[1].member, 0);
    assert_eq!(out.warnings[1].line_col(text), (1, 16));
    assert!(out.warnings[0].message().contains("\u{201c}Joy\u{201d}"));
}

#[test]
fn the_full_name_is_replaced_even_when_the_given_name_is_an_everyday_word() {
    let roster = names(&["Joy Ahmed", "Rafiq"]);
    let out = roster.for_member(1, "Joy Ahmed said so; Joy smiled; Ahmed nodded");
    assert_eq!(
        out.text,
        "Another group member said so; Joy smiled; another group member nodded"
    );
    assert_eq!(warned(&out), vec![("Joy", Reason::CommonWord)]);
}

#[test]
fn the_members_own_name_stays_in_their_own_note() {
    let roster = names(&["Farhana Akter", "Rafiq"]);
    let out = roster.for_member(0, "Farhana Akter said Farhana's week was hard; Akter agreed");
    assert_eq!(
        out.text,
        "Farhana Akter said Farhana's week was hard; Akter agreed"
    );
    assert!(out.warnings.is_empty());
}

#[test]
fn a_name_shared_with_the_member_is_warned_about() {
    let roster = names(&["Sam Lee", "Sam Khan"]);
    let out = roster.for_member(0, "Sam said Sam Khan and Sam Lee; Khan too");
    assert_eq!(
        out.text,
        "Sam said another group member and Sam Lee; another group member too"
    );
    assert_eq!(warned(&out), vec![("Sam", Reason::SharesOwnName)]);
    assert_eq!(out.warnings[0].member, 1);
}

#[test]
fn hyphenated_and_apostrophe_names() {
    let roster = names(&["Mary-Jane O'Neil", "Ana"]);
    let out = roster.for_member(1, "Mary-Jane, Mary Jane, O’Neil, Mary-Jane O'Neil and Mary");
    assert_eq!(
        out.text,
        "Another group member, another group member, another group member, another group member \
         and another group member"
    );
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    // Half of a hyphenated surname names its member too.
    let roster = names(&["Tunde Adebayo-Williams", "Ana"]);
    let out = roster.for_member(1, "Adebayo said Williams was right");
    assert_eq!(
        out.text,
        "Another group member said another group member was right"
    );
}

#[test]
fn particles_and_initials_are_not_names_on_their_own() {
    let roster = names(&["Ana de la Cruz", "J. Smith", "Kamal"]);
    let out = roster.for_member(2, "de la mode; J was there; Cruz and Smith; Ana de la Cruz");
    assert_eq!(
        out.text,
        "de la mode; J was there; another group member and another group member; another group member"
    );
    assert!(out.warnings.is_empty());
}

#[test]
fn the_group_part_names_nobody() {
    let roster = names(&["Farhana", "Joy", "Rafiq"]);
    let out = roster.for_group("Farhana and Rafiq's talk. Joy laughed");
    assert_eq!(out.text, "A group member and a group member's talk. Joy laughed");
    assert_eq!(warned(&out), vec![("Joy", Reason::CommonWord)]);
}

#[test]
fn invisible_characters_do_not_split_a_name() {
    let roster = names(&["Rafiq", "Ana"]);
    let out = roster.for_member(1, "Ra\u{200b}fiq and Raf\u{ad}iq");
    assert_eq!(out.text, "Another group member and another group member");
}

#[test]
fn nothing_to_do_and_strange_input() {
    let empty = Names::new(Vec::<String>::new());
    assert_eq!(empty.for_member(0, "Rafiq").text, "Rafiq");
    let roster = names(&["", "   ", "Rafiq", "\u{301}"]);
    assert_eq!(roster.for_member(7, "Rafiq").text, "Another group member");
    assert_eq!(roster.for_member(2, "").text, "");
    // Control characters the escapers remove later cannot hide a name from redaction.
    let binary = "\u{0}\u{1b}[31m Ra\u{7}fi\u{1b}q\u{7f} R\u{202e}afiq";
    assert_eq!(
        roster.for_member(0, binary).text,
        "\u{0}\u{1b}[31m another group member another group member"
    );
    let huge = "Rafiq ".repeat(20_000);
    assert!(!roster.for_member(0, &huge).text.contains("Rafiq"));
}

#[test]
fn a_member_named_like_the_replacement_is_only_warned_about() {
    let roster = names(&["Group Member", "Rafiq", "Ana"]);
    let first = roster.for_member(2, "Rafiq and Group Member");
    assert_eq!(first.text, "Another group member and Group Member");
    let again = roster.for_member(2, &first.text);
    assert_eq!(again.text, first.text);
}

// Properties over generated rosters and texts.

const POOL: &[&str] = &[
    "Rafiq",
    "Farhana Akter",
    "Zoë",
    "Dev",
    "Joy",
    "Mary-Jane O'Neil",
    "Sam Lee",
    "Sam Khan",
    "Will Turner",
    "Łukasz Nowak",
    "Søren",
    "Ngozi Okafor",
];

const FILLER: &[&str] = &[
    "development",
    "Devon",
    "joyful",
    "samba",
    "will",
    "the",
    "and",
    "said",
    "zoetrope",
    "Rafiqul",
    "sammy",
    "turners",
    "—",
    "co-dev",
    "okay",
    "grace",
];

/// The words of a name as the oracle sees them: folded, split at anything not a letter or
/// digit, three letters or more (shorter ones are not matched alone by design).
fn oracle_words(name: &str) -> Vec<String> {
    fold(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_owned)
        .collect()
}

fn count_word(text: &str, word: &str) -> usize {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| *w == word)
        .count()
}

/// A way to write a name: whole, one part or one word of it, in some case, with or without diacritics,
/// maybe possessive.
fn spelling(name: &'static str) -> impl Strategy<Value = String> {
    let parts: Vec<String> = std::iter::once(name.to_owned())
        .chain(name.split_whitespace().map(str::to_owned))
        .chain(name.split([' ', '-', '\'']).map(str::to_owned))
        .collect();
    (prop::sample::select(parts), 0..4u8, any::<bool>()).prop_map(|(part, case, possessive)| {
        let written = match case {
            0 => part,
            1 => part.to_lowercase(),
            2 => part.to_uppercase(),
            _ => fold(&part),
        };
        if possessive {
            format!("{written}'s")
        } else {
            written
        }
    })
}

fn text_for(roster: Vec<&'static str>) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(roster).prop_flat_map(spelling),
        prop::sample::select(FILLER).prop_map(str::to_owned),
    ];
    let gap = prop::sample::select(vec![" ", ", ", ". ", "\n", " - ", "'", "  "]);
    prop::collection::vec((piece, gap), 0..24)
        .prop_map(|pieces| pieces.into_iter().map(|(p, g)| p + g).collect::<String>())
}

fn roster_and_text() -> impl Strategy<Value = (Vec<&'static str>, String)> {
    prop::sample::subsequence(POOL, 2..6).prop_flat_map(|roster| (Just(roster.clone()), text_for(roster)))
}

proptest! {
    #[test]
    fn no_other_members_name_is_left_unless_warned_about((roster, text) in roster_and_text()) {
        let names = Names::new(roster.iter().copied());
        for (me, my_name) in roster.iter().enumerate() {
            let out = names.for_member(me, &text);
            let mine = oracle_words(my_name);
            for (_, other) in roster.iter().enumerate().filter(|(i, _)| *i != me) {
                for word in oracle_words(other).iter().filter(|w| !mine.contains(w)) {
                    let left = count_word(&out.text, word);
                    let warned: usize = out.warnings.iter().map(|w| count_word(&w.word, word)).sum();
                    prop_assert!(left <= warned, "{word:?} left {left}x, warned {warned}x in {:?}", out.text);
                }
            }
        }
        let group = names.for_group(&text);
        for name in &roster {
            for word in oracle_words(name) {
                let warned: usize = group.warnings.iter().map(|w| count_word(&w.word, &word)).sum();
                prop_assert!(count_word(&group.text, &word) <= warned);
            }
        }
    }

    #[test]
    fn redaction_is_idempotent((roster, text) in roster_and_text()) {
        let names = Names::new(roster.iter().copied());
        for me in 0..roster.len() {
            let once = names.for_member(me, &text);
            prop_assert_eq!(&names.for_member(me, &once.text).text, &once.text);
        }
        let once = names.for_group(&text);
        prop_assert_eq!(&names.for_group(&once.text).text, &once.text);
    }

    #[test]
    fn names_inside_words_are_never_touched(
        name in prop::sample::select(POOL),
        prefix in "[xqz]{0,3}",
        suffix in "[xqz]{0,3}",
    ) {
        prop_assume!(!(prefix.is_empty() && suffix.is_empty()));
        let names = Names::new(POOL.iter().copied());
        let text: String = name
            .split_whitespace()
            .map(|part| format!("{prefix}{part}{suffix}"))
            .collect::<Vec<_>>()
            .join(" and ");
        let out = names.for_group(&text);
        // A hyphenated part keeps a whole word inside it ("Mary-Jane" → "Jane…"): only
        // parts that are one word are inside a longer one here.
        if !name.contains(['-', '\'']) {
            prop_assert_eq!(out.text, text);
        }
    }

    #[test]
    fn everyday_word_names_are_kept_and_warned((roster, text) in with_joy()) {
        let names = Names::new(roster.iter().copied());
        let joy = roster.iter().position(|n| *n == "Joy").unwrap_or(0);
        let in_text = count_word(&text, "joy");
        for me in (0..roster.len()).filter(|me| *me != joy) {
            let out = names.for_member(me, &text);
            prop_assert_eq!(count_word(&out.text, "joy"), in_text);
            let warned = out
                .warnings
                .iter()
                .filter(|w| w.reason == Reason::CommonWord && fold(&w.word) == "joy")
                .count();
            prop_assert_eq!(warned, in_text);
        }
    }
}

/// A roster with Joy in it, and a text about its members.
fn with_joy() -> impl Strategy<Value = (Vec<&'static str>, String)> {
    let others: Vec<&'static str> = POOL.iter().copied().filter(|n| *n != "Joy").collect();
    prop::sample::subsequence(others, 1..5).prop_flat_map(|mut roster| {
        roster.push("Joy");
        (Just(roster.clone()), text_for(roster))
    })
}

#[test]
fn in_the_group_part_a_flag_about_joy_does_not_name_joy() {
    let roster = names(&["Joy", "Farhana Akter"]);
    let out = roster.for_group_about(0, "Joy felt shut out; Joy's week was hard");
    assert_eq!(
        out.text,
        "A group member felt shut out; a group member's week was hard"
    );
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    // About someone else, the everyday word is only warned about, as anywhere.
    let out = roster.for_group_about(1, "Joy felt shut out");
    assert_eq!(out.text, "Joy felt shut out");
    assert_eq!(warned(&out), vec![("Joy", Reason::CommonWord)]);
}
