//! The rendered notes: a snapshot of every template, and what they must never say.

use super::wrapup;
use crate::notes::redact::{Reason, fold};
use crate::notes::render::{group_note, member_note, render_all};
use crate::notes::{Template, WrapUp};

/// Whether `text` has `word` (folded) as a whole word.
fn has_word(text: &str, word: &str) -> bool {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == fold(word))
}

fn member_words(wrapup: &WrapUp, except: Option<usize>) -> Vec<String> {
    wrapup
        .members
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != except)
        .flat_map(|(_, m)| m.name.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .collect()
}

#[test]
fn every_template_as_markdown_and_as_plain_text() {
    let w = wrapup();
    for template in Template::ALL {
        let note = member_note(&w, 0, template).expect("Farhana has a note");
        let name = template.name().to_lowercase();
        insta::assert_snapshot!(format!("{name}_markdown"), note.markdown);
        insta::assert_snapshot!(format!("{name}_text"), note.text);
    }
}

#[test]
fn the_group_part() {
    insta::assert_snapshot!("group_markdown", group_note(&wrapup()).markdown);
}

#[test]
fn a_member_note_names_no_other_member_except_an_everyday_word_it_warns_about() {
    let w = wrapup();
    let notes = render_all(&w, Template::Soap);
    for doc in &notes.members {
        for word in member_words(&w, Some(doc.member)) {
            let named = has_word(&doc.note.markdown, &word) || has_word(&doc.note.text, &word);
            let warned = doc
                .note
                .warnings
                .iter()
                .any(|f| fold(&f.warning.word) == fold(&word));
            assert!(!named || warned, "{}'s note names {word}", doc.name);
        }
    }
    let farhana = &notes.members[0].note;
    assert!(
        farhana
            .text
            .contains("Said another group member's story helped her; Joy smiled")
    );
    assert_eq!(farhana.warnings.len(), 1);
    let warning = &farhana.warnings[0];
    assert_eq!(warning.field, "note at 18:40:10");
    assert_eq!((warning.line, warning.column), (1, 32));
    assert_eq!(warning.warning.reason, Reason::CommonWord);
    assert!(
        warning
            .to_string()
            .starts_with("note at 18:40:10, line 1, column 32: \u{201c}Joy\u{201d}")
    );
    // Rafiq's own note keeps his name where the action names him, not Farhana's.
    let rafiq = &notes.members[1].note;
    assert!(rafiq.text.contains("Safety plan reviewed with Rafiq"));
    assert!(rafiq.text.contains("self-harm urges with another group member"));
}

#[test]
fn the_group_part_names_no_member_at_all() {
    let w = wrapup();
    let group = group_note(&w);
    for word in member_words(&w, None) {
        assert!(!has_word(&group.markdown, &word), "group.md names {word}");
    }
    assert!(group.markdown.contains("about a group member"));
    assert!(
        group
            .markdown
            .contains("Sleep and worry; a group member and a group member compared notes")
    );
    assert!(group.warnings.is_empty());
}

#[test]
fn unfinished_parts_are_said_plainly() {
    let mut w = wrapup();
    let group = group_note(&w);
    assert!(group.markdown.contains(
        "**INCOMPLETE: this wrap-up is not finished: 1 risk flag(s) without an action and who was told; \
         1 follow-up(s) without an owner; 2 member note(s) without an assessment; 2 member note(s) without a plan.**"
    ));
    assert!(group.markdown.contains("INCOMPLETE: no action recorded."));
    assert!(group.markdown.contains("INCOMPLETE: no owner; no due date."));
    let rafiq = member_note(&w, 1, Template::Dap).expect("a note");
    assert!(rafiq.text.contains("Assessment: (not written)"));
    assert!(
        rafiq.text.starts_with(
            "Progress note (DAP): Rafiq\nINCOMPLETE: assessment not written; plan not written.\n"
        )
    );

    // Finished, complete: nothing is flagged.
    w.risks[1].action = "Crisis line number given".into();
    w.risks[1].told = "Lead facilitator".into();
    w.follow_ups[1].owner = "Dr. Nadia Rahman".into();
    for i in [1, 2] {
        w.members[i].fields.assessment = "Quiet.".into();
        w.members[i].fields.plan = "Invite to speak first.".into();
    }
    assert!(
        group_note(&w)
            .markdown
            .contains("DRAFT: the facilitator has not marked")
    );
    w.finished = true;
    let done = render_all(&w, Template::Birp);
    assert!(!done.group.markdown.contains("INCOMPLETE") && !done.group.markdown.contains("DRAFT"));
    assert!(
        done.members
            .iter()
            .all(|m| !m.note.markdown.contains("INCOMPLETE"))
    );
}

#[test]
fn a_member_who_did_not_attend_gets_one_line() {
    let w = wrapup();
    let absent = member_note(&w, 3, Template::Dap).expect("a note");
    assert_eq!(
        absent.text,
        "Tanvir: 2025-03-04, group session \u{201c}Managing Anxiety, session 3\u{201d}: did not attend (marked absent).\n"
    );
    let unknown = member_note(&w, 4, Template::Soap).expect("a note");
    assert_eq!(unknown.markdown.lines().count(), 1);
    assert!(unknown.markdown.contains("not recorded as attending"));
    assert!(member_note(&w, 5, Template::Dap).is_none());
}

#[test]
fn plain_text_has_no_markdown_and_markdown_escapes_what_was_typed() {
    let mut w = wrapup();
    w.members[0].fields.assessment = "*Calmer* | <b>not bold</b> [link](x)\n# not a heading\u{1b}[31m".into();
    let note = member_note(&w, 0, Template::Dap).expect("a note");
    assert!(
        note.markdown.contains(
            "\\*Calmer\\* \\| &lt;b&gt;not bold&lt;/b&gt; \\[link\\](x)<br>\\# not a heading\\[31m"
        )
    );
    assert!(
        note.text
            .contains("Assessment:\n*Calmer* | <b>not bold</b> [link](x)\n# not a heading[31m\n")
    );
    for syntax in ["**", "<br>", "\\", "## ", "- **", "&lt;", "\u{1b}"] {
        assert!(!note.text.contains(syntax), "plain text holds {syntax:?}");
    }
}

#[test]
fn typed_fields_a_template_has_no_section_for_are_kept() {
    let mut w = wrapup();
    w.members[0].fields.subjective = "Feels calmer".into();
    w.members[0].fields.goal = "Sleep 7 hours".into();
    let dap = member_note(&w, 0, Template::Dap).expect("a note");
    assert!(dap.text.contains("Member's report: Feels calmer"));
    assert!(dap.text.contains("Goal: Sleep 7 hours"));
    let girp = member_note(&w, 0, Template::Girp).expect("a note");
    assert!(girp.text.contains("Goal: Sleep 7 hours\n"));
    assert_eq!(girp.text.matches("Sleep 7 hours").count(), 1);
}

#[test]
fn a_member_named_like_an_everyday_word_is_still_not_named_in_the_group_part() {
    let mut w = wrapup();
    w.risks[0].about = "Joy".into();
    let group = group_note(&w);
    assert!(!has_word(&group.markdown, "Joy"));
}

#[test]
fn a_custom_tag_naming_another_member_is_redacted_too() {
    let mut w = wrapup();
    w.members[0].notes[0].tags.push("rafiq".into());
    let note = member_note(&w, 0, Template::Dap).expect("a note");
    assert!(
        note.text
            .contains("18:11:00 (follow-up, another group member): \u{201c}Mentioned sleep problems")
    );
    assert!(!has_word(&note.markdown, "Rafiq"));
}
