//! What the last session of the series left for this one: the follow-ups and homework
//! still open, and each member's plan (for "same as last session" in the wrap-up). Looked
//! up once, when the console starts; a plan without a series has no earlier session.

use std::collections::BTreeMap;

use crate::notes::{Carried, SeriesKey, carried_forward, read_wrapup};
use crate::plan::{Plan, Roster};
use crate::storage::DataDir;
use crate::vault::Vault;

#[derive(Debug, Default)]
pub struct Earlier {
    /// The open items of the last session of the series, if there was one.
    pub carried: Option<Carried>,
    /// Summaries that may have been that session but could not be read.
    pub unreadable: usize,
    /// Each member's plan in that session's wrap-up, by name.
    pub plans: BTreeMap<String, String>,
}

impl Earlier {
    pub fn look_up(plan: &Plan, roster: &Roster, data: &DataDir, vault: &Vault) -> Earlier {
        match &plan.series {
            Some(series) => Earlier::before(
                SeriesKey {
                    group: &roster.group,
                    series: &series.name,
                    session: series.session,
                },
                data,
                vault,
            ),
            None => Earlier::default(),
        }
    }

    /// What the session before `key`'s left, in the data dir's summaries.
    pub fn before(key: SeriesKey<'_>, data: &DataDir, vault: &Vault) -> Earlier {
        let lookup = carried_forward(&data.summaries(), vault, key);
        let plans = lookup
            .carried
            .as_ref()
            .and_then(|c| read_wrapup(vault, &c.from_summary))
            .and_then(Result::ok)
            .map(|wrapup| {
                wrapup
                    .members
                    .into_iter()
                    .filter(|m| !m.fields.plan.trim().is_empty())
                    .map(|m| (m.name, m.fields.plan))
                    .collect()
            })
            .unwrap_or_default();
        Earlier {
            carried: lookup.carried,
            unreadable: lookup.unreadable.len(),
            plans,
        }
    }
}
