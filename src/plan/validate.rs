//! Checks that need the whole file: things serde cannot see, such as an exercise key
//! that is not defined, or a minimum longer than its segment, or a maximum shorter.
//!
//! Every check takes time in proportion to the file, and at most [`MAX_REPORTED`] errors
//! (and warnings) are reported, so a plan with ten thousand mistakes is checked in a blink.
//!
//! [`MAX_REPORTED`]: crate::source::MAX_REPORTED

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{MAX_MEMBERS, Plan, PlanDuration, Roster, Speaking, names};
use crate::source::{Diagnostic, Diagnostics, Locator, PathStep, Severity, closest, nearest};

/// A session, and so an agenda, is at most a day long (like each of its times).
const MAX_AGENDA_SECS: u64 = 24 * 3600;

/// How many defined exercises a "use one of" fix lists at most.
const LISTED: usize = 5;

/// Errors and warnings of a parsed plan. Its roster is checked separately.
pub fn validate_plan(plan: &Plan, source: &str, file: &Path) -> Vec<Diagnostic> {
    let loc = Locator::new(source);
    let at = |path: &[PathStep]| loc.find(path);
    let mut out = Diagnostics::new(file);

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
            out.add(
                Severity::Error,
                || seg("exercise"),
                |position| {
                    undefined_exercise(
                        plan,
                        key,
                        Diagnostic::error(file, position, format!("exercise \"{key}\" is not defined")),
                    )
                },
            );
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
    let used: HashSet<&str> = plan.agenda.iter().filter_map(|s| s.exercise.as_deref()).collect();
    let mut seen = HashSet::new();
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
        if !used.contains(key.as_str()) {
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
    if total.as_secs() > MAX_AGENDA_SECS {
        out.push(
            Diagnostic::error(
                file,
                at(&[PathStep::Field("agenda")]),
                format!("the agenda adds up to {total}; a session is at most 24h"),
            )
            .with_fix("shorten or remove segments"),
        );
    } else if !plan.agenda.is_empty() && total != plan.duration {
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
    out.finish()
}

/// The fix for an exercise key that is not defined: the likely typo, else the nearest
/// few keys that are.
fn undefined_exercise(plan: &Plan, key: &str, diag: Diagnostic) -> Diagnostic {
    let keys = || plan.exercises.keys().map(String::as_str);
    match closest(key, keys()) {
        Some(name) => diag.with_fix(format!("did you mean \"{name}\"?")),
        None if plan.exercises.is_empty() => diag.with_fix("define it under `exercises: { … }`"),
        None => {
            let listed: Vec<String> = nearest(key, keys(), LISTED)
                .iter()
                .map(|k| format!("\"{k}\""))
                .collect();
            let more = plan.exercises.len().saturating_sub(listed.len());
            let tail = if more > 0 {
                format!(" (or one of {more} more)")
            } else {
                String::new()
            };
            diag.with_fix(format!("use one of: {}{tail}", listed.join(", ")))
        }
    }
}

/// Errors and warnings of a parsed roster. Names are compared as they look on screen:
/// composed (NFC), without invisible characters, ignoring case and repeated spaces.
pub fn validate_roster(roster: &Roster, source: &str, file: &Path) -> Vec<Diagnostic> {
    let loc = Locator::new(source);
    let mut out = Diagnostics::new(file);
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
        let at = || {
            loc.find(&[
                PathStep::Field("members"),
                PathStep::Index(i),
                PathStep::Field("name"),
            ])
        };
        let look = names::look(&member.name);
        if look.is_empty() {
            let message = if member.name.trim().is_empty() {
                "a member's name is empty"
            } else {
                "a member's name has only invisible characters"
            };
            out.add(Severity::Error, at, |position| {
                Diagnostic::error(file, position, message).with_fix("write a name or a pseudonym")
            });
            continue;
        }
        if let Some(first) = seen.insert(look, i) {
            let name = names::reveal(&names::normalize(&member.name));
            let plain = |n: &str| names::normalize(n).to_lowercase();
            let same = if plain(&roster.members[first].name) == plain(&member.name) {
                "appears twice (also"
            } else {
                "looks the same as another name (invisible characters aside:"
            };
            out.add(Severity::Error, at, |position| {
                Diagnostic::error(
                    file,
                    position,
                    format!("member \"{name}\" {same} member {} of the list)", first + 1),
                )
                .with_fix("tell them apart, e.g. \"Sam K.\" and \"Sam R.\"")
            });
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
    out.finish()
}
