//! The journal's text format: encoding one record a line, and reading a file back with the
//! damage a crash or a hand edit can leave (a cut-off last line, garbage lines). A sealed
//! journal (version 2) has the same shape with each record encrypted (see `sealed`).

use std::io;
use std::path::Path;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use super::sealed::{Line, Opener, SessionKey};
use super::{JournalError, JournalHeader, Recovered, SEALED_JOURNAL_VERSION};
use crate::session::{Event, Millis};
use crate::vault::Vault;

/// The header line, newline included: `JournalHeader(version:1,session:"…",created:…)`.
pub(super) fn header_line(header: &JournalHeader) -> io::Result<String> {
    ron_line(header)
}

/// The header of a sealed journal: the plain header's fields and the session key, wrapped
/// to the recipients with age (base64 of an age file).
#[derive(Serialize, Deserialize)]
#[serde(rename = "JournalHeader")]
struct SealedHeader {
    version: u32,
    session: String,
    created: Millis,
    key: String,
}

/// The header line of a sealed journal, its session key wrapped by `vault`.
pub(super) fn sealed_header_line(
    session: &str,
    created: Millis,
    key: &SessionKey,
    vault: &Vault,
) -> io::Result<String> {
    let wrapped = vault.seal(key.as_bytes()).map_err(io::Error::other)?;
    ron_line(&SealedHeader {
        version: SEALED_JOURNAL_VERSION,
        session: session.to_owned(),
        created,
        key: base64::engine::general_purpose::STANDARD.encode(wrapped),
    })
}

fn ron_line<T: Serialize>(value: &T) -> io::Result<String> {
    let config = ron::ser::PrettyConfig::new()
        .new_line("")
        .indentor("")
        .separator("")
        .struct_names(true)
        .compact_structs(true);
    let text = ron::ser::to_string_pretty(value, config).map_err(encode_error)?;
    one_line(text)
}

/// One event as a record line, newline included.
pub(super) fn event_line(event: &Event) -> io::Result<String> {
    one_line(ron::to_string(event).map_err(encode_error)?)
}

fn one_line(mut text: String) -> io::Result<String> {
    // RON escapes control characters inside strings; this guards the one-record-a-line rule
    // should that ever change, since a raw newline would split a record in two.
    if text.contains(['\n', '\r']) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "a journal record would span several lines; it was not written",
        ));
    }
    text.push('\n');
    Ok(text)
}

fn encode_error(error: ron::Error) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("could not encode a journal record: {error}"),
    )
}

/// What a journal file holds, and how many bytes of it are whole lines.
pub(super) struct Parsed {
    pub recovered: Recovered,
    /// The length up to and including the last newline: where new records may start.
    pub complete_len: u64,
    /// A sealed journal's session key, to go on writing it.
    pub key: Option<SessionKey>,
}

/// Only the version, read before the rest so a newer header of another shape is still
/// recognised as newer rather than as garbage.
#[derive(Deserialize)]
#[serde(rename = "JournalHeader")]
struct VersionProbe {
    version: u32,
}

/// Whether a journal's bytes are a sealed journal's (read from its header's version only,
/// so no key is needed).
pub(super) fn is_sealed(bytes: &[u8]) -> bool {
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    std::str::from_utf8(first)
        .ok()
        .and_then(|text| ron::from_str::<VersionProbe>(text.trim_end_matches('\r')).ok())
        .is_some_and(|probe| probe.version == SEALED_JOURNAL_VERSION)
}

/// Reads a journal's bytes; a sealed one is opened with `vault`'s identity.
pub(super) fn parse(path: &Path, bytes: &[u8], vault: &Vault) -> Result<Parsed, JournalError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(JournalError::Empty {
            path: path.to_owned(),
        });
    }
    let complete_len = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let (complete, tail) = bytes.split_at(complete_len);
    let mut lines = complete.split(|&b| b == b'\n');
    let header_bytes = match lines.next() {
        Some(line) if complete_len > 0 => line,
        _ => {
            return Err(not_a_journal(
                path,
                "it was cut off (a crash while the session was being created)",
            ));
        }
    };
    let (header, mut opener) = parse_header(path, header_bytes, vault)?;

    let mut events = Vec::new();
    let mut event_lines = Vec::new();
    let mut first_event_line = None;
    // (line number, message), in file order.
    let mut problems: Vec<(usize, String)> = Vec::new();
    for (index, line) in lines.enumerate() {
        let number = index + 2;
        // Blank lines hold nothing; the split also leaves one empty piece after the last newline.
        let Ok(text) = std::str::from_utf8(line) else {
            problems.push((
                number,
                format!("line {number}: unreadable record skipped: it is not valid UTF-8 text"),
            ));
            continue;
        };
        let text = text.trim_end_matches('\r');
        if text.trim().is_empty() {
            continue;
        }
        let text = match &mut opener {
            None => std::borrow::Cow::Borrowed(text),
            Some(opener) => match opener.open(text) {
                Ok(Line::Run) => continue,
                Ok(Line::Record { text, gap }) => {
                    if gap > 0 {
                        problems.push((
                            number,
                            format!("line {number}: {gap} record(s) before this one are missing"),
                        ));
                    }
                    std::borrow::Cow::Owned(text)
                }
                Err(why) => {
                    problems.push((number, format!("line {number}: unreadable record skipped: {why}")));
                    continue;
                }
            },
        };
        match ron::from_str::<Event>(&text) {
            Ok(event) => {
                first_event_line.get_or_insert(number);
                events.push(event);
                event_lines.push(number);
            }
            Err(error) => problems.push((
                number,
                format!(
                    "line {number}, column {}: unreadable record skipped: {}",
                    error.span.start.col, error.code
                ),
            )),
        }
    }
    if !tail.iter().all(u8::is_ascii_whitespace) {
        let number = complete.iter().filter(|&&b| b == b'\n').count() + 1;
        problems.push((
            number,
            format!("line {number}: the last record was cut off (a crash while writing); it was ignored"),
        ));
    }

    check_start(path, &events, &problems, first_event_line)?;
    super::times::correct(&mut events, &event_lines, header.created, &mut problems);
    problems.sort_by_key(|(line, _)| *line);
    let problems = problems.into_iter().map(|(_, message)| message).collect();
    Ok(Parsed {
        recovered: Recovered {
            header,
            events,
            problems,
        },
        complete_len: complete_len as u64,
        key: opener.map(Opener::into_key),
    })
}

fn parse_header(
    path: &Path,
    line: &[u8],
    vault: &Vault,
) -> Result<(JournalHeader, Option<Opener>), JournalError> {
    let text = std::str::from_utf8(line)
        .map_err(|_| not_a_journal(path, "it is not text"))?
        .trim_end_matches('\r');
    let probe: VersionProbe =
        ron::from_str(text).map_err(|error| not_a_journal(path, &error.code.to_string()))?;
    match probe.version {
        // Version 1 is the first; when a version 2 comes, version 1 headers and events are
        // read here and upgraded.
        1 => ron::from_str(text)
            .map(|header| (header, None))
            .map_err(|error| not_a_journal(path, &error.code.to_string())),
        SEALED_JOURNAL_VERSION => {
            let sealed: SealedHeader =
                ron::from_str(text).map_err(|error| not_a_journal(path, &error.code.to_string()))?;
            let wrapped = base64::engine::general_purpose::STANDARD
                .decode(&sealed.key)
                .map_err(|_| not_a_journal(path, "its session key is damaged"))?;
            let key = vault
                .open(&wrapped)
                .map_err(|source| JournalError::Sealed {
                    path: path.to_owned(),
                    source,
                })
                .and_then(|key| {
                    SessionKey::from_bytes(&key)
                        .ok_or_else(|| not_a_journal(path, "its session key is damaged"))
                })?;
            let opener = Opener::new(key, &sealed.session);
            let header = JournalHeader {
                version: sealed.version,
                session: sealed.session,
                created: sealed.created,
            };
            Ok((header, Some(opener)))
        }
        newer if newer > SEALED_JOURNAL_VERSION => Err(JournalError::NewerVersion {
            path: path.to_owned(),
            version: newer,
        }),
        unknown => Err(JournalError::UnknownVersion {
            path: path.to_owned(),
            version: unknown,
        }),
    }
}

fn check_start(
    path: &Path,
    events: &[Event],
    problems: &[(usize, String)],
    first_event_line: Option<usize>,
) -> Result<(), JournalError> {
    if let Some(Event::Started { .. }) = events.first() {
        return Ok(());
    }
    // A problem before the first readable event: the start itself was garbled or cut off.
    if let Some((line, problem)) = problems.first()
        && first_event_line.is_none_or(|first| *line < first)
    {
        return Err(JournalError::NoReadableStart {
            path: path.to_owned(),
            problem: problem.clone(),
        });
    }
    match first_event_line {
        Some(line) => Err(JournalError::NoStart {
            path: path.to_owned(),
            line,
        }),
        None => Err(JournalError::NoEvents {
            path: path.to_owned(),
        }),
    }
}

fn not_a_journal(path: &Path, reason: &str) -> JournalError {
    JournalError::NotAJournal {
        path: path.to_owned(),
        reason: reason.to_owned(),
    }
}
