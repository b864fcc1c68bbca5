//! What a scan remembers of each file of the folder, and when that memory may be trusted.
//! Nothing here holds a member's name or a note's text: summaries keep their list fields,
//! records only the status they fold to. What came out of an encrypted file is marked
//! `sealed`: it stays in memory, and the index on disk keeps only the file's name and stamp.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::Entry;
use super::text::Text;
use crate::supervision::{Record, SignOff, Status};

/// A file modified less than this long before it was read is read again next time: a
/// file changed twice within the file system's timestamp granularity could otherwise keep
/// its old times.
pub const RACY_SECS: i64 = 2;

/// What identifies a file's content (or a folder's list of names) without reading it.
/// Times are nanoseconds since the epoch (an `i64` holds them until 2262). The change time
/// moves on every write and rename and cannot be set back, so an edit that keeps the
/// length and restores the modification time still shows.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stamp {
    pub len: u64,
    pub mtime_ns: i64,
    pub ctime_ns: i64,
    pub ino: u64,
}

impl Stamp {
    pub fn of(meta: &fs::Metadata) -> Stamp {
        let ns = |secs: i64, nanos: i64| secs.saturating_mul(1_000_000_000).saturating_add(nanos);
        Stamp {
            len: meta.len(),
            mtime_ns: ns(meta.mtime(), meta.mtime_nsec()),
            ctime_ns: ns(meta.ctime(), meta.ctime_nsec()),
            ino: meta.ino(),
        }
    }

    /// What was read at `read_ns` of something stamped `self` still holds for something
    /// stamped `now`: unchanged, and not modified so close to the read that a second
    /// change could hide behind the same timestamps.
    pub fn still(&self, now: &Stamp, read_ns: i64) -> bool {
        self == now && self.mtime_ns < settled(read_ns)
    }
}

/// Times before this were settled when `read_ns` came.
fn settled(read_ns: i64) -> i64 {
    read_ns.saturating_sub(RACY_SECS * 1_000_000_000)
}

pub fn now_ns() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// A SHA-256, kept as bytes and compared as the lowercase hex records hold.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sha256(pub [u8; 32]);

impl Sha256 {
    pub fn of(bytes: &[u8]) -> Sha256 {
        use sha2::Digest;
        Sha256(sha2::Sha256::digest(bytes).into())
    }

    /// Whether `hex` (as a record holds it) names this hash.
    pub fn is(&self, hex: &str) -> bool {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        hex.len() == 64
            && self
                .0
                .iter()
                .zip(hex.as_bytes().chunks_exact(2))
                .all(|(b, h)| h == [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 15)]])
    }

    /// From the lowercase hex [`crate::summary::file_sha256`] gives.
    pub fn from_hex(hex: &str) -> Option<Sha256> {
        let mut out = [0u8; 32];
        if hex.len() != 64 {
            return None;
        }
        for (byte, pair) in out.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
            let digit = |c: u8| match c {
                b'0'..=b'9' => Some(c - b'0'),
                b'a'..=b'f' => Some(c - b'a' + 10),
                _ => None,
            };
            *byte = digit(pair[0])? << 4 | digit(pair[1])?;
        }
        Some(Sha256(out))
    }
}

/// What a file of the folder was found to be when it was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum What {
    /// A summary (or conflict copy): its list fields or why it did not open, and the hash
    /// of its bytes once a sign-off needed it.
    Summary {
        entry: Result<Arc<Entry>, Text>,
        sha256: Option<Sha256>,
    },
    /// A trainee's observations handed in (`true`), or a file named like one that is not.
    Handin(bool),
    /// A wrap-up: only its hash matters here, once a sign-off needs it.
    Wrapup { sha256: Option<Sha256> },
}

/// One file of the folder as last read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Known {
    pub name: Text,
    pub stamp: Stamp,
    /// Nanoseconds since the epoch when the file was read; 0 when it could not be looked at.
    pub read_ns: i64,
    pub what: What,
    /// For a summary (not a conflict copy): the status its records fold to, as of the
    /// listing. Empty for other files.
    pub fold: Fold,
    /// What was read came out of an encrypted file: never written to disk in clear.
    pub sealed: bool,
}

impl Known {
    /// A name not read yet.
    pub fn unknown(name: Text) -> Known {
        Known {
            name,
            stamp: Stamp::default(),
            read_ns: 0,
            what: What::Summary {
                entry: Err(Text::default()),
                sha256: None,
            },
            fold: Fold::default(),
            sealed: false,
        }
    }

    /// Still describes a file stamped `stamp`.
    pub fn fresh_for(&self, stamp: &Stamp) -> bool {
        self.read_ns != 0 && self.stamp.still(stamp, self.read_ns)
    }
}

/// What a scan leaves for the next one (in memory, or in the index on disk).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Memory {
    /// The folder's own stamp, taken before it was listed.
    pub dir: Stamp,
    /// When the folder was listed; 0 when it never was.
    pub listed_ns: i64,
    /// Every file of the folder the review cares about, but records, sorted by name.
    pub files: Vec<Known>,
}

impl Memory {
    /// The folder still has the names it had when listed (a name added, removed or renamed
    /// moves its change time), so it need not be listed again.
    /// A folder's times may be set back (a sync that keeps them): its change time must
    /// have settled too.
    pub fn listing_holds(&self, dir: &Stamp) -> bool {
        listing_holds(&self.dir, self.listed_ns, dir)
    }
}

/// A folder stamped `then` and listed at `listed_ns` (0: never) still has the names it had
/// then, now that it is stamped `now`: see [`Memory::listing_holds`].
pub fn listing_holds(then: &Stamp, listed_ns: i64, now: &Stamp) -> bool {
    listed_ns != 0 && then.still(now, listed_ns) && then.ctime_ns < settled(listed_ns)
}

/// A summary's supervision folded from its records, and which records those were.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fold {
    /// How many records, and a fingerprint of their file names ([`fingerprint`]).
    pub records: u32,
    pub fingerprint: u64,
    pub status: Status,
    pub signed: Option<Box<Signed>>,
    /// Not to be kept on disk: folded from encrypted records (`….ron.age`), never written
    /// in clear; or from records some of which did not open, read again until they do.
    pub sealed: bool,
    /// Records that did not open: the status shown may be older than the real one.
    pub unread: u32,
}

/// The sign-off in force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signed {
    pub by: Text,
    pub at: Text,
    pub summary_sha256: Text,
    pub wrapup_sha256: Option<Text>,
}

impl Fold {
    /// The status of a summary's records: `names` are all its record files, `records`
    /// those that opened (a damaged one changes nothing and is not counted). Records
    /// holdspace encrypts are named `….ron.age`.
    pub fn of(names: &[&str], records: &mut [Record]) -> Fold {
        crate::supervision::sort(records);
        let (status, signed) = crate::supervision::status_of(records.iter());
        Fold {
            records: u32::try_from(records.len()).unwrap_or(u32::MAX),
            fingerprint: fingerprint(names.iter().copied()),
            status,
            signed: signed.map(|s: SignOff| {
                Box::new(Signed {
                    by: Text::from(s.by),
                    at: Text::from(s.at),
                    summary_sha256: Text::from(s.summary_sha256),
                    wrapup_sha256: s.wrapup_sha256.map(Text::from),
                })
            }),
            sealed: names.iter().any(|name| name.ends_with(".age")) || records.len() < names.len(),
            unread: u32::try_from(names.len().saturating_sub(records.len())).unwrap_or(u32::MAX),
        }
    }

    /// Whether files with these hashes (`None`: not there) differ from what was signed.
    pub fn changed(&self, summary: Option<&Sha256>, wrapup: Option<&Sha256>) -> bool {
        let Some(signed) = &self.signed else {
            return false;
        };
        let same = |hash: Option<&Sha256>, signed: Option<&str>| match (hash, signed) {
            (Some(hash), Some(signed)) => hash.is(signed),
            (None, None) => true,
            _ => false,
        };
        !same(summary, Some(&signed.summary_sha256)) || !same(wrapup, signed.wrapup_sha256.as_deref())
    }
}

/// A fingerprint of a set of file names, the same in any order: a 64-bit hash of each
/// (FNV-1a, then mixed), summed.
pub fn fingerprint<'a>(names: impl IntoIterator<Item = &'a str>) -> u64 {
    names.into_iter().fold(0u64, |sum, name| {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in name.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        // splitmix64's finaliser, so sums of similar names do not collide.
        h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        sum.wrapping_add(h ^ (h >> 31))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_compare_as_the_hex_records_hold() {
        let hash = Sha256::of(b"abc");
        let hex = crate::summary::bytes_sha256(b"abc");
        assert!(hash.is(&hex));
        assert!(!hash.is(&hex.to_uppercase()));
        assert!(!hash.is(&hex[1..]));
        assert_eq!(Sha256::from_hex(&hex), Some(hash));
        assert_eq!(Sha256::from_hex("xyz"), None);
    }

    #[test]
    fn a_fingerprint_ignores_order_and_sees_any_change() {
        let a = fingerprint(["a.review.1.ron", "a.review.2.ron"]);
        assert_eq!(a, fingerprint(["a.review.2.ron", "a.review.1.ron"]));
        assert_ne!(a, fingerprint(["a.review.1.ron"]));
        assert_ne!(a, fingerprint(["a.review.1.ron", "a.review.3.ron"]));
        assert_eq!(fingerprint([]), 0);
    }

    #[test]
    fn a_stamp_holds_only_once_settled() {
        let stamp = Stamp {
            len: 10,
            mtime_ns: 1_000_000_000,
            ctime_ns: 1_000_000_000,
            ino: 7,
        };
        assert!(stamp.still(&stamp, 4_000_000_000));
        assert!(
            !stamp.still(&stamp, 2_500_000_000),
            "read too soon after the change"
        );
        assert!(!stamp.still(&Stamp { len: 11, ..stamp }, 4_000_000_000));
        assert!(!stamp.still(
            &Stamp {
                ctime_ns: 1_000_000_001,
                ..stamp
            },
            4_000_000_000
        ));
        let listed = |dir: Stamp| Memory {
            dir,
            listed_ns: 4_000_000_000,
            files: Vec::new(),
        };
        assert!(listed(stamp).listing_holds(&stamp));
        let touched = Stamp {
            ctime_ns: 3_000_000_000,
            ..stamp
        };
        assert!(
            !listed(touched).listing_holds(&touched),
            "its times were set back just now"
        );
        assert!(
            !Memory::default().listing_holds(&Stamp::default()),
            "never listed"
        );
    }
}
