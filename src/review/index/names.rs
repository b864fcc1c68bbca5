//! What a file in a folder of summaries is, by its name alone: a folder may be synced
//! between machines (Syncthing, a network share), so it also holds files half-written
//! under temporary names, conflict copies, and the sidecars holdspace writes beside a
//! summary.

use crate::supervision::store;

/// The kinds of file the review tells apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A summary (or something claiming to be one: it is parsed to find out).
    Summary,
    /// A Syncthing conflict copy of the summary named `original`.
    Conflict { original: String },
    /// A supervision record about the summary named `summary`.
    Record { summary: String },
    /// The wrap-up of the summary named `summary`.
    Wrapup { summary: String },
    /// A trainee's observations handed in as one file.
    Handin,
    /// Not for the review: partial, temporary, hidden, or not RON.
    Ignored,
}

pub use crate::storage::SYNC_CONFLICT as CONFLICT;

/// What the file called `name` is. An encrypted file (`NAME.ron.age`) is what its name
/// without `.age` is; the summaries its sidecars name are plain names (`NAME.ron`).
pub fn classify(name: &str) -> Kind {
    // Hidden and temporary: `.syncthing.NAME.tmp`, holdspace's own `.NAME.PID.tmp`,
    // editors' `~NAME` and `NAME~`, downloads' `NAME.part`.
    if name.starts_with('.') || name.starts_with('~') || name.ends_with('~') {
        return Kind::Ignored;
    }
    if let Some(plain) = name.strip_suffix(".age") {
        return match plain.split_once(CONFLICT) {
            // Syncthing keeps the last extension: `NAME.ron.sync-conflict-…-DEVICE.age`.
            Some((original, _)) => match classify(&format!("{original}.age")) {
                Kind::Summary => Kind::Conflict {
                    original: format!("{original}.age"),
                },
                // Shown beside the original, as a conflict copy (by its name).
                Kind::Handin => Kind::Handin,
                _ => Kind::Ignored,
            },
            None => classify(plain),
        };
    }
    let Some(stem) = name.strip_suffix(".ron") else {
        return Kind::Ignored;
    };
    if let Some((original, _)) = stem.split_once(CONFLICT) {
        // A conflict copy of a sidecar is a second record, as good as the first: records
        // never change once written, so a conflict on one means two equal copies.
        return match classify(&format!("{original}.ron")) {
            Kind::Summary => Kind::Conflict {
                original: format!("{original}.ron"),
            },
            // A trainee's hand-in changed on two machines: both versions are shown, the
            // copy marked as such (by its name).
            Kind::Handin => Kind::Handin,
            _ => Kind::Ignored,
        };
    }
    if let Some(summary) = store::summary_of(name) {
        return Kind::Record { summary };
    }
    if let Some(summary) = stem.strip_suffix(".wrapup") {
        return Kind::Wrapup {
            summary: format!("{summary}.ron"),
        };
    }
    if stem.ends_with(".observations") {
        return Kind::Handin;
    }
    Kind::Summary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_a_synced_folder() {
        assert_eq!(classify("2025-03-04_1800_anxiety.ron"), Kind::Summary);
        assert_eq!(
            classify("2025-03-04_1800_anxiety.sync-conflict-20250305-101500-ABCDEFG.ron"),
            Kind::Conflict {
                original: "2025-03-04_1800_anxiety.ron".into()
            }
        );
        assert_eq!(
            classify("a.review.20250305T101500Z-amal-3f9a2c.ron"),
            Kind::Record {
                summary: "a.ron".into()
            }
        );
        assert_eq!(
            classify("a.wrapup.ron"),
            Kind::Wrapup {
                summary: "a.ron".into()
            }
        );
        assert_eq!(classify("mitu.observations.ron"), Kind::Handin);
        assert_eq!(
            classify("mitu.observations.sync-conflict-20250305-101500-ABCDEFG.ron"),
            Kind::Handin,
            "a hand-in's conflict copy is shown too"
        );
        assert_eq!(
            classify("mitu.observations.ron.sync-conflict-20250305-101500-ABCDEFG.age"),
            Kind::Handin
        );
        // Encrypted files are what their plain names are; sidecars name the plain summary.
        assert_eq!(classify("a.ron.age"), Kind::Summary);
        assert_eq!(
            classify("a.wrapup.ron.age"),
            Kind::Wrapup {
                summary: "a.ron".into()
            }
        );
        assert_eq!(
            classify("a.review.20250305T101500Z-amal-3f9a2c.ron.age"),
            Kind::Record {
                summary: "a.ron".into()
            }
        );
        assert_eq!(classify("mitu.observations.ron.age"), Kind::Handin);
        assert_eq!(
            classify("a.ron.sync-conflict-20250305-101500-ABCDEFG.age"),
            Kind::Conflict {
                original: "a.ron.age".into()
            }
        );
        for ignored in [
            ".syncthing.a.ron.tmp",
            ".a.ron.1234.tmp",
            "~a.ron",
            "a.ron~",
            "a.ron.part",
            "a.md",
            ".hidden.ron",
            "a.review.x.sync-conflict-20250305-101500-ABCDEFG.ron",
            "a.md.age",
            "a.age",
            ".a.ron.age.1234.tmp",
            "a.wrapup.ron.sync-conflict-20250305-101500-ABCDEFG.age",
        ] {
            assert_eq!(classify(ignored), Kind::Ignored, "{ignored}");
        }
    }
}
