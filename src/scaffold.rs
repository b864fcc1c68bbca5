//! `holdspace new [KIND] [-o FILE] [--roster] [--force]`: a complete, valid plan for a
//! group kind (or a roster), ready to edit.
//!
//! The templates are the shipped example plans, compiled in, with a header that explains
//! every field and their `roster:` line commented out: a scaffolded plan must pass
//! `holdspace check` standing alone, and a roster it names but that does not exist fails.

use std::path::Path;

use clap::ValueEnum;

use crate::storage;

/// The group kinds `holdspace new` has a template for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Kind {
    /// A support group (bereavement, session 2).
    Support,
    /// A CBT group (social anxiety, session 2).
    #[default]
    Cbt,
    /// A skills training group (DBT distress tolerance, session 4).
    SkillsTraining,
    /// A process group (here-and-now work, session 6).
    Process,
    /// A psychoeducation group (understanding depression, session 1).
    Psychoeducation,
    /// An interpersonal group (relationships, session 5).
    Interpersonal,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Support,
        Kind::Cbt,
        Kind::SkillsTraining,
        Kind::Process,
        Kind::Psychoeducation,
        Kind::Interpersonal,
    ];

    /// The shipped example plan this kind's template is made from.
    fn example(self) -> &'static str {
        match self {
            Kind::Support => include_str!("../session-plans/support-bereavement-session-2.ron"),
            Kind::Cbt => include_str!("../session-plans/cbt-social-anxiety-session-2.ron"),
            Kind::SkillsTraining => {
                include_str!("../session-plans/skills-dbt-distress-tolerance-session-4.ron")
            }
            Kind::Process => include_str!("../session-plans/process-group-session-6.ron"),
            Kind::Psychoeducation => {
                include_str!("../session-plans/psychoeducation-depression-session-1.ron")
            }
            Kind::Interpersonal => include_str!("../session-plans/interpersonal-relationships-session-5.ron"),
        }
    }
}

/// What every scaffolded plan starts with: each field, briefly.
const PLAN_HEADER: &str = "\
// A holdspace session plan, written by `holdspace new` from a shipped example: edit it
// freely, check it with `holdspace check FILE`, run it with `holdspace run FILE`.
// A plan holds no client data, so it can be shared; names live in a separate roster.
//
// Fields (those marked optional may be left out):
//   title         the session's name, shown in the header and the summary
//   kind          Support | Cbt | SkillsTraining | Process | Psychoeducation | Interpersonal
//                 | Custom(\"...\")
//   series        optional: (name: \"...\", session: N, of: M), N counting from 1
//   duration      total planned time. Every duration is a string: \"45s\", \"90s\", \"5m\", \"1h30m\"
//   roster        optional: the roster file, relative to this plan (see the commented line below);
//                 `holdspace run PLAN --roster FILE` overrides it
//   warnings      optional: warnings this long before a segment ends, e.g. [\"2m\", \"30s\"]
//   ground_rules  optional: the group's agreements
//   agenda        the segments, in order, each a Segment(...) with:
//     title       its name
//     kind        Opening | GroundRules | CheckIn | Psychoeducation | Exercise | Discussion
//                 | Break | CheckOut | Closing | Custom(\"...\")
//     duration    its planned time
//     min         optional: the shortest it may become when a late session is rebalanced
//     max         optional: the longest it may become when an early session is rebalanced
//                 (without it, one and a half times its duration)
//     fixed       optional: `fixed: true` keeps it exactly as planned when rebalancing
//     warnings    optional: its own warning thresholds instead of the plan's
//     prompts     optional: what the facilitator wants to say or ask, shown during it
//     materials   optional: handouts, videos, props
//     speaking    optional: how the floor is shared. None (the default);
//                 Round(per_speaker: \"2m\", order: Roster | Rotate | Shuffle): everyone in turn;
//                 OpenFloor(per_speaker: \"3m\"): a hand-raise queue, per_speaker optional
//     exercise    optional: the key of an exercise under `exercises`, stepped through live
//   exercises     optional: scripts by key, e.g.
//                 \"box-breathing\": Exercise(title: \"...\", description: \"...\",
//                     steps: [Step(text: \"...\", duration: \"1m\"), Step(text: \"...\")]),
//                 a step's duration being optional
//
";

/// Replaces the plan's `roster:` line with an explanation and a commented-out example.
const ROSTER_COMMENT: &str = "    // roster: \"rosters/my-group.ron\",
    // ^ A roster (member names: client data) lives in its own owner-only file. Write one with
    //   `holdspace new --roster -o rosters/my-group.ron`, then uncomment the line above.
";

/// The roster template: fictional placeholders only, never real people.
const ROSTER_TEMPLATE: &str = "\
// A holdspace roster: who is in the room. This is CLIENT DATA: keep it private (holdspace
// writes it readable by you only), keep it apart from plans, never put it in a shared folder.
// Use first names or pseudonyms. Every name below is a fictional placeholder: replace them.
// Name it in a plan with `roster: \"path/relative/to/the/plan.ron\"`, or pass it with
// `holdspace run PLAN --roster FILE`. Check it with `holdspace check FILE`.
//
// Fields (all optional):
//   group         the group's name
//   facilitators  Person(name: \"...\", role: Lead | CoFacilitator | Observer)
//   trainees      names of trainees shadowing the session
//   members       Member(name: \"...\", pronouns: \"...\"), pronouns optional; at most 30 members,
//                 each name different (tell two Sams apart: \"Sam K.\", \"Sam R.\")
#![enable(implicit_some)]
Roster(
    group: \"My group\",
    facilitators: [
        Person(name: \"Lead Facilitator\", role: Lead),
        Person(name: \"Co-facilitator\", role: CoFacilitator),
    ],
    trainees: [\"Trainee\"],
    members: [
        Member(name: \"Member A\", pronouns: \"she/her\"),
        Member(name: \"Member B\", pronouns: \"he/him\"),
        Member(name: \"Member C\", pronouns: \"they/them\"),
        Member(name: \"Member D\"),
        Member(name: \"Member E\"),
        Member(name: \"Member F\"),
    ],
)
";

/// The plan template for `kind`: header, then the example with its roster line commented out.
pub fn plan_template(kind: Kind) -> String {
    let mut out = String::from(PLAN_HEADER);
    for line in kind.example().lines() {
        if line.trim_start().starts_with("roster:") {
            out.push_str(ROSTER_COMMENT);
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The roster template.
pub fn roster_template() -> &'static str {
    ROSTER_TEMPLATE
}

/// What `holdspace new` writes: the roster template, or a complete plan for `kind`.
pub fn template(kind: Kind, roster: bool) -> String {
    if roster {
        roster_template().to_owned()
    } else {
        plan_template(kind)
    }
}

/// Writes atomically and owner-only; refuses to replace an existing file unless `force`.
pub fn write_file(path: &Path, text: &str, force: bool) -> Result<(), String> {
    if path.is_dir() {
        return Err(format!(
            "{} is a directory; name a file, e.g. {}",
            path.display(),
            path.join("plan.ron").display()
        ));
    }
    if !force && (path.exists() || path.is_symlink()) {
        return Err(format!(
            "{} already exists; not overwriting it (pass --force to replace it)",
            path.display()
        ));
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && !parent.is_dir()
    {
        return Err(format!(
            "cannot write {}: the folder {} does not exist",
            path.display(),
            parent.display()
        ));
    }
    storage::write_atomic(path, text.as_bytes()).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{parse_plan, parse_roster, validate_plan, validate_roster};

    #[test]
    fn every_template_is_a_valid_plan_of_its_kind_without_a_roster() {
        for kind in Kind::ALL {
            let text = plan_template(kind);
            let file = Path::new("new.ron");
            let plan = parse_plan(&text, file).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
            assert!(plan.roster.is_none(), "{kind:?} still names a roster");
            let name = kind
                .to_possible_value()
                .map(|v| v.get_name().replace('-', ""))
                .unwrap_or_default();
            assert_eq!(format!("{:?}", plan.kind).to_lowercase(), name, "{kind:?}");
            let warnings = validate_plan(&plan, &text, file);
            assert!(warnings.is_empty(), "{kind:?}: {warnings:?}");
            assert!(text.contains("holdspace new --roster"), "{kind:?}");
        }
    }

    #[test]
    fn the_roster_template_is_valid_and_warns_of_nothing() {
        let file = Path::new("roster.ron");
        let roster = parse_roster(ROSTER_TEMPLATE, file).unwrap_or_else(|e| panic!("{e}"));
        assert!(!roster.members.is_empty());
        assert!(validate_roster(&roster, ROSTER_TEMPLATE, file).is_empty());
    }
}
