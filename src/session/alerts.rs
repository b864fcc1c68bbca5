//! Which warnings fall due between two moments: thresholds before a segment's end,
//! the segment's time-up, and a speaker's time-up.

use super::{Millis, State};

/// A warning to give the facilitator. It carries no name and no note: its text is safe
/// for a desktop notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Alert {
    SegmentWarning {
        segment: String,
        remaining_secs: u64,
    },
    SegmentTimeUp {
        segment: String,
    },
    /// An exercise step's time is up.
    StepTimeUp {
        step: usize,
        of: usize,
    },
    SpeakerTimeUp,
}

impl Alert {
    pub fn message(&self) -> String {
        match self {
            Alert::SegmentWarning {
                segment,
                remaining_secs,
            } => {
                format!(
                    "{segment}: {} left",
                    crate::plan::PlanDuration::from_secs(*remaining_secs)
                )
            }
            Alert::SegmentTimeUp { segment } => format!("{segment}: time is up"),
            Alert::StepTimeUp { step, of } => format!("Step {step} of {of}: time is up"),
            Alert::SpeakerTimeUp => "The speaker's time is up".into(),
        }
    }
}

/// Alerts whose moment lies in `(from, to]`, for the state as it is.
pub fn alerts_between(state: &State, from: Millis, to: Millis) -> Vec<Alert> {
    if !state.is_running() || to <= from {
        return Vec::new();
    }
    let mut alerts = Vec::new();
    let Some(segment) = state.plan.agenda.get(state.current) else {
        return alerts;
    };
    let (before, after) = (state.segment_remaining(from), state.segment_remaining(to));
    let crossed = |threshold: i64| before > threshold && after <= threshold;
    for threshold in state.plan.warnings_for(segment) {
        if crossed(threshold.as_millis()) {
            alerts.push(Alert::SegmentWarning {
                segment: segment.title.clone(),
                remaining_secs: threshold.as_secs(),
            });
        }
    }
    if crossed(0) {
        alerts.push(Alert::SegmentTimeUp {
            segment: segment.title.clone(),
        });
    }
    if let (Some(before), Some(after)) = (state.step_remaining(from), state.step_remaining(to))
        && before > 0
        && after <= 0
    {
        let of = state.plan.exercise_of(segment).map_or(0, |e| e.steps.len());
        alerts.push(Alert::StepTimeUp {
            step: state.step + 1,
            of,
        });
    }
    if let (Some(turn), Some(target)) = (state.current_turn(), state.speaker_target(from)) {
        let (before, after) = (turn.length(from), turn.length(to));
        if before < target && after >= target {
            alerts.push(Alert::SpeakerTimeUp);
        }
    }
    alerts
}
