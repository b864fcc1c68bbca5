//! Checks that need the whole file: things serde cannot see, such as an exercise key
//! that is not defined, or a minimum longer than its segment, or a maximum shorter.

use std::collections::HashMap;
use std::path::Path;

use super::{MAX_MEMBERS, Plan, PlanDuration, Roster, Speaking};
use crate::source::{Diagnostic, Locator, PathStep, closest};

/// Errors and warnings of a parsed plan. Its roster is checked separately.
pub fn validate_plan(plan: &Plan, source: &str, file: &Path) -> Vec<Diagnostic> {
    let loc = Locator::new(source);
    let at = |path: &[PathStep]| loc.find(path);
    let mut out = Vec::new();

    if plan.agenda.is_empty() {
        out.push(
            Diagnostic::error(file, at(&[PathStep::Field("agenda")]), "the agenda is empty")
                .with_fix("add at least one Segment(title: …, kind: …, duration: …)"),
        );
    }
    for (i, segment) in plan.agenda.iter().enumerate() {
        let seg = |field: &'static str| {
            at(&[
                PathStep::Field("agenda"),
                PathStep::Index(i),
                PathStep::Field(field),
            ])
        };
        if let Some(min) = segment.min
            && min > segment.duration
        {
            out.push(
                Diagnostic::error(
                    file,
                    seg("min"),
                    format!(
                        "`min` {min} is longer than the segment's duration {}",
                        segment.duration
                    ),
                )
                .with_fix(format!("make `min` at most {}", segment.duration)),
            );
        }
        if let Some(max) = segment.max {
            let longest_bound = segment
                .min
                .map_or(segment.duration, |min| min.max(segment.duration));
            if max < longest_bound {
                let what = if max < segment.duration {
                    format!("the segment's duration {}", segment.duration)
                } else {
                    format!("its `min` {longest_bound}")
                };
                out.push(
                    Diagnostic::error(file, seg("max"), format!("`max` {max} is shorter than {what}"))
                        .with_fix(format!("make `max` at least {longest_bound}")),
                );
            }
        }
        if let Some(key) = &segment.exercise
            && !plan.exercises.contains_key(key)
        {
            let diag = Diagnostic::error(
                file,
                seg("exercise"),
                format!("exercise \"{key}\" is not defined"),
            );
            out.push(match closest(key, plan.exercises.keys().map(String::as_str)) {
                Some(name) => diag.with_fix(format!("did you mean \"{name}\"?")),
                None if plan.exercises.is_empty() => diag.with_fix("define it under `exercises: { … }`"),
                None => diag.with_fix(format!(
                    "use one of: {}",
                    plan.exercises
                        .keys()
                        .map(|k| format!("\"{k}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            });
        }
        if segment.fixed {
            for (field, present) in [("min", segment.min.is_some()), ("max", segment.max.is_some())] {
                if present {
                    out.push(
                        Diagnostic::warning(
                            file,
                            seg(field),
                            format!("a fixed segment is never rebalanced, so its `{field}` has no effect"),
                        )
                        .with_fix(format!("remove `{field}` or `fixed`")),
                    );
                }
            }
        }
        for threshold in plan.warnings_for(segment) {
            if threshold >= segment.duration {
                out.push(
                    Diagnostic::warning(
                        file,
                        seg("duration"),
                        format!(
                            "warning threshold {threshold} is not shorter than the segment ({})",
                            segment.duration
                        ),
                    )
                    .with_fix("use a shorter threshold"),
                );
            }
        }
        if let Speaking::Round { per_speaker, .. }
        | Speaking::OpenFloor {
            per_speaker: Some(per_speaker),
        } = segment.speaking
            && per_speaker > segment.duration
        {
            out.push(
                Diagnostic::warning(
                    file,
                    seg("speaking"),
                    format!(
                        "one speaker's time ({per_speaker}) is longer than the segment ({})",
                        segment.duration
                    ),
                )
                .with_fix("shorten `per_speaker` or lengthen the segment"),
            );
        }
        if let Some(exercise) = plan.exercise_of(segment) {
            let steps: u64 = exercise
                .steps
                .iter()
                .filter_map(|s| s.duration)
                .map(PlanDuration::as_secs)
                .sum();
            if steps > segment.duration.as_secs() {
                out.push(
                    Diagnostic::warning(
                        file,
                        seg("duration"),
                        format!(
                            "the exercise's steps take {}, longer than the segment ({})",
                            PlanDuration::from_secs(steps),
                            segment.duration
                        ),
                    )
                    .with_fix("lengthen the segment or shorten the steps"),
                );
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    for (key, position) in loc.keys_at(&[PathStep::Field("exercises")]) {
        if !seen.insert(key.clone()) {
            out.push(
                Diagnostic::error(
                    file,
                    position,
                    format!("exercise \"{key}\" is defined twice; the second would replace the first"),
                )
                .with_fix("rename one of them, or remove the copy"),
            );
        }
    }
    for (key, exercise) in &plan.exercises {
        if exercise.steps.is_empty() {
            out.push(
                Diagnostic::error(
                    file,
                    at(&[PathStep::Field("exercises"), PathStep::Key(key)]),
                    format!("exercise \"{key}\" has no steps"),
                )
                .with_fix("add at least one Step(text: …)"),
            );
        }
        if !plan
            .agenda
            .iter()
            .any(|s| s.exercise.as_deref() == Some(key.as_str()))
        {
            out.push(
                Diagnostic::warning(
                    file,
                    at(&[PathStep::Field("exercises"), PathStep::Key(key)]),
                    format!("exercise \"{key}\" is defined but no segment uses it"),
                )
                .with_fix("reference it with `exercise: \"…\"` in a segment, or remove it"),
            );
        }
    }
    if let Some(series) = &plan.series
        && (series.session == 0 || series.session > series.of)
    {
        out.push(
            Diagnostic::error(
                file,
                at(&[PathStep::Field("series")]),
                format!("session {} of {} is not possible", series.session, series.of),
            )
            .with_fix("`session` counts from 1 and is at most `of`"),
        );
    }
    let total = plan.agenda_total();
    if !plan.agenda.is_empty() && total != plan.duration {
        out.push(
            Diagnostic::warning(
                file,
                at(&[PathStep::Field("duration")]),
                format!(
                    "the agenda adds up to {total}, but the plan's duration is {}",
                    plan.duration
                ),
            )
            .with_fix(format!("set `duration: \"{total}\"` or adjust the segments")),
        );
    }
    out
}

/// Errors and warnings of a parsed roster.
pub fn validate_roster(roster: &Roster, source: &str, file: &Path) -> Vec<Diagnostic> {
    let loc = Locator::new(source);
    let mut out = Vec::new();
    if roster.members.len() > MAX_MEMBERS {
        out.push(
            Diagnostic::error(
                file,
                loc.find(&[PathStep::Field("members")]),
                format!(
                    "{} members; a group holds at most {MAX_MEMBERS}",
                    roster.members.len()
                ),
            )
            .with_fix("split the group, or keep one roster per group"),
        );
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, member) in roster.members.iter().enumerate() {
        let at = loc.find(&[
            PathStep::Field("members"),
            PathStep::Index(i),
            PathStep::Field("name"),
        ]);
        let name = member.name.trim();
        if name.is_empty() {
            out.push(
                Diagnostic::error(file, at, "a member's name is empty")
                    .with_fix("write a name or a pseudonym"),
            );
            continue;
        }
        if let Some(first) = seen.insert(name.to_lowercase(), i) {
            out.push(
                Diagnostic::error(
                    file,
                    at,
                    format!(
                        "member \"{name}\" appears twice (also member {} of the list)",
                        first + 1
                    ),
                )
                .with_fix("tell them apart, e.g. \"Sam K.\" and \"Sam R.\""),
            );
        }
    }
    if roster.members.is_empty() {
        out.push(
            Diagnostic::warning(
                file,
                loc.find(&[PathStep::Field("members")]),
                "the roster has no members",
            )
            .with_fix("add Member(name: …) entries"),
        );
    }
    out
}
