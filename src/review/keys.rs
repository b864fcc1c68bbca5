//! What sorting and filtering the list needs, worked out once per scan, so that a
//! keystroke over 100,000 rows compares numbers and reads small tables instead of text.
//!
//! - Each distinct text a filter looks at (title, group, kind, date, series, names) is
//!   tested once per keystroke, not once per row: rows refer to their texts by number,
//!   and a row passes when the bits of its texts cover every word of the query.
//! - File names are searched in one lowercased arena with a fast substring search.
//! - Each column's order is a key per row (a rank among the distinct values), and each
//!   sort a permutation of the rows, made the first time it is asked for and kept; a
//!   filtered list is that permutation with the rows that fail left out.

use std::collections::HashMap;

use super::filter::{Column, Filter, Sort, StatusFilter};
use super::index::text::{ByAddress, Names, Text};
use super::index::{Entry, Row};

/// A text a row does not have (no series).
const NONE: u32 = u32::MAX;

/// Bits of a text's test beside the query's words (which take the low bits).
const GROUP: u64 = 1 << 63;
const FACILITATOR: u64 = 1 << 62;
const DATE: u64 = 1 << 61;
/// Queries with more words than this are tested row by row.
const MAX_WORDS: usize = 61;

/// The keys of one scan's rows.
#[derive(Default)]
pub struct Keys {
    /// How many rows these keys are for.
    rows: usize,
    /// What the filter reads, made for the first query that needs it.
    texts: Vec<Text>,
    lists: Vec<Vec<u32>>,
    fields: Vec<Fields>,
    /// File names lowercased, each followed by a NUL, and where each starts.
    files: Option<(String, Vec<u32>)>,
    /// Each column's key per row, ascending.
    columns: HashMap<Column, Vec<u64>>,
    /// Rows that opened (not conflict copies) in each sort's order.
    orders: HashMap<Sort, Vec<u32>>,
    /// Conflict copies (row, and the row of the summary they copy, if listed).
    copies: Vec<(u32, Option<u32>)>,
    /// Rows that did not open.
    errors: Vec<u32>,
    /// Rows with conflict copies of them.
    has_copies: Vec<bool>,
    /// Buffers kept between keystrokes.
    text_bits: Vec<u64>,
    list_bits: Vec<u64>,
    file_bits: Vec<u64>,
    passed: Vec<bool>,
}

/// What the filter reads of a row that opened.
#[derive(Clone, Copy)]
struct Fields {
    title: u32,
    group: u32,
    kind: u32,
    date: u32,
    series: u32,
    facilitators: u32,
    trainees: u32,
    flagged: bool,
}

impl Keys {
    /// The keys of `rows` (sorted by file name, as a scan gives them).
    pub fn new(rows: &[Row]) -> Keys {
        let mut keys = Keys {
            rows: rows.len(),
            has_copies: vec![false; rows.len()],
            ..Keys::default()
        };
        for (i, row) in rows.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            if row.entry.is_err() {
                keys.errors.push(i);
            } else if let Some(original) = &row.conflict_of {
                let at = rows
                    .binary_search_by(|r| r.file.as_str().cmp(original))
                    .ok()
                    .and_then(|at| u32::try_from(at).ok());
                if let Some(flag) = at.and_then(|o| keys.has_copies.get_mut(o as usize)) {
                    *flag = true;
                }
                keys.copies.push((i, at));
            }
        }
        keys
    }

    /// Numbers for the texts of every row, once.
    fn number_texts(&mut self, rows: &[Row]) {
        if self.fields.len() == rows.len() {
            return;
        }
        let mut text_ids: ByAddress<u32> = ByAddress::default();
        let mut list_ids: ByAddress<u32> = ByAddress::default();
        let (texts, lists) = (&mut self.texts, &mut self.lists);
        let mut text = |t: &Text| {
            *text_ids.entry(t.address()).or_insert_with(|| {
                texts.push(t.clone());
                u32::try_from(texts.len() - 1).unwrap_or(NONE)
            })
        };
        self.fields = rows
            .iter()
            .map(|row| {
                let Some(e) = row.ok() else {
                    return Fields::none();
                };
                let mut list = |names: &Names| {
                    if let Some(&id) = list_ids.get(&names.address()) {
                        return id;
                    }
                    lists.push(names.iter().map(&mut text).collect());
                    let id = u32::try_from(lists.len() - 1).unwrap_or(NONE);
                    list_ids.insert(names.address(), id);
                    id
                };
                let facilitators = list(&e.facilitators);
                let trainees = list(&e.trainees);
                Fields {
                    title: text(&e.title),
                    group: text(&e.group),
                    kind: text(&e.kind),
                    date: text(&e.date),
                    series: e.series.as_ref().map_or(NONE, |s| text(&s.name)),
                    facilitators,
                    trainees,
                    flagged: e.flagged(),
                }
            })
            .collect();
    }

    /// Whether these keys are for `rows`.
    pub fn fits(&self, rows: &[Row]) -> bool {
        self.rows == rows.len() && self.has_copies.len() == rows.len()
    }

    /// The rows to show, as indices into `rows`, into `shown`: see [`super::filter::apply`].
    pub fn apply(&mut self, rows: &[Row], filter: &Filter, sort: Sort, shown: &mut Vec<usize>) {
        if !self.fits(rows) {
            *self = Keys::new(rows);
        }
        self.filter(rows, filter);
        if filter.status == Some(StatusFilter::Conflict) {
            // The summaries the copies conflict with are shown too, each copy right after
            // its own, in the sort's order: the two are there to be compared.
            for &(copy, original) in &self.copies {
                if self.passed.get(copy as usize).copied().unwrap_or(false)
                    && let Some(pass) = original.and_then(|o| self.passed.get_mut(o as usize))
                {
                    *pass = true;
                }
            }
        }
        self.order(rows, sort);
        shown.clear();
        let Keys {
            orders,
            columns,
            copies,
            errors,
            passed,
            has_copies,
            ..
        } = self;
        let order = orders.get(&sort).map(Vec::as_slice).unwrap_or_default();
        let passed_copies: Vec<(u32, Option<u32>)> = copies
            .iter()
            .copied()
            .filter(|&(i, _)| passed.get(i as usize).copied().unwrap_or(false))
            .collect();
        let mut placed = vec![false; passed_copies.len()];
        for &i in order {
            if !passed.get(i as usize).copied().unwrap_or(false) {
                continue;
            }
            shown.push(i as usize);
            if !has_copies.get(i as usize).copied().unwrap_or(false) {
                continue;
            }
            // Each conflict copy right after the summary it conflicts with.
            for (k, &(copy, original)) in passed_copies.iter().enumerate() {
                if original == Some(i) {
                    shown.push(copy as usize);
                    placed[k] = true;
                }
            }
        }
        // Copies whose original is not shown (filtered out, or gone) still show, in the
        // sort's order among themselves.
        let mut unplaced: Vec<usize> = passed_copies
            .iter()
            .zip(&placed)
            .filter(|(_, placed)| !**placed)
            .map(|((copy, _), _)| *copy as usize)
            .collect();
        let key_of = |column: Column, i: usize| {
            columns
                .get(&column)
                .and_then(|keys| keys.get(i))
                .copied()
                .unwrap_or(0)
        };
        unplaced.sort_by_key(|&i| {
            let key = key_of(sort.column, i);
            (
                if sort.descending { !key } else { key },
                !key_of(Column::Date, i),
                i,
            )
        });
        shown.extend(unplaced);
        shown.extend(
            errors
                .iter()
                .filter(|&&i| passed.get(i as usize).copied().unwrap_or(false))
                .map(|&i| i as usize),
        );
    }

    /// Marks in `passed` the rows that pass `filter`.
    fn filter(&mut self, rows: &[Row], filter: &Filter) {
        self.passed.clear();
        self.passed.resize(rows.len(), false);
        if filter.is_empty() {
            self.passed.fill(true);
            return;
        }
        if filter.words.len() > MAX_WORDS {
            for (pass, row) in self.passed.iter_mut().zip(rows) {
                *pass = filter.matches(row);
            }
            return;
        }
        self.number_texts(rows);
        self.test_texts(filter);
        self.test_files(rows, filter);
        let all_words = (1u64 << filter.words.len()) - 1;
        let bits = |id: u32, table: &[u64]| table.get(id as usize).copied().unwrap_or(0);
        for (i, row) in rows.iter().enumerate() {
            if let Some(status) = filter.status
                && !status.matches(row)
            {
                continue;
            }
            let Some(f) = self.fields.get(i).filter(|_| row.entry.is_ok()) else {
                // Rows that did not open are few: tested as they are.
                self.passed[i] = filter.matches(row);
                continue;
            };
            let texts = &self.text_bits;
            let lists = &self.list_bits;
            let group = bits(f.group, texts);
            let date = bits(f.date, texts);
            let facilitators = bits(f.facilitators, lists);
            let pass = (!filter.flagged || f.flagged)
                && (filter.group.is_none() || group & GROUP != 0)
                && (filter.facilitator.is_none() || facilitators & FACILITATOR != 0)
                && (filter.from.is_none() && filter.to.is_none() || date & DATE != 0)
                && (bits(f.title, texts)
                    | group
                    | bits(f.kind, texts)
                    | date
                    | bits(f.series, texts)
                    | facilitators
                    | bits(f.trainees, lists)
                    | self.file_bits.get(i).copied().unwrap_or(0))
                    & all_words
                    == all_words;
            self.passed[i] = pass;
        }
    }

    /// Each distinct text's bits for `filter`, and each list's.
    fn test_texts(&mut self, filter: &Filter) {
        self.text_bits.clear();
        self.text_bits.extend(self.texts.iter().map(|text| {
            let mut bits = 0;
            for (k, word) in filter.words.iter().enumerate() {
                if contains(text, word) {
                    bits |= 1 << k;
                }
            }
            if filter.group.as_deref().is_some_and(|g| contains(text, g)) {
                bits |= GROUP;
            }
            if filter.facilitator.as_deref().is_some_and(|f| contains(text, f)) {
                bits |= FACILITATOR;
            }
            if filter.date_passes(text) {
                bits |= DATE;
            }
            bits
        }));
        let texts = &self.text_bits;
        self.list_bits.clear();
        self.list_bits.extend(self.lists.iter().map(|ids| {
            // Any name may match a word or the facilitator filter; dates mean nothing here.
            ids.iter()
                .fold(0, |bits, &id| bits | texts.get(id as usize).copied().unwrap_or(0))
                & !(GROUP | DATE)
        }));
    }

    /// Each row's bits for the words found in its file name.
    fn test_files(&mut self, rows: &[Row], filter: &Filter) {
        self.file_bits.clear();
        self.file_bits.resize(rows.len(), 0);
        if filter.words.is_empty() {
            return;
        }
        let (arena, starts) = self.files.get_or_insert_with(|| {
            let mut arena = String::new();
            let mut starts = Vec::with_capacity(rows.len());
            for row in rows {
                starts.push(u32::try_from(arena.len()).unwrap_or(u32::MAX));
                if row.file.is_ascii() {
                    arena.extend(row.file.chars().map(|c| c.to_ascii_lowercase()));
                } else {
                    arena.push_str(&row.file.to_lowercase());
                }
                arena.push('\0');
            }
            (arena, starts)
        });
        for (k, word) in filter.words.iter().enumerate() {
            if word.contains('\0') {
                continue;
            }
            for at in memchr::memmem::find_iter(arena.as_bytes(), word.as_bytes()) {
                let at = u32::try_from(at).unwrap_or(u32::MAX);
                let row = starts.partition_point(|&start| start <= at).saturating_sub(1);
                if let Some(bits) = self.file_bits.get_mut(row) {
                    *bits |= 1 << k;
                }
            }
        }
    }

    /// Makes the order of `sort` if it is not made yet.
    fn order(&mut self, rows: &[Row], sort: Sort) {
        if self.orders.contains_key(&sort) {
            return;
        }
        let primary = self.column(rows, sort.column).to_vec();
        let date = self.column(rows, Column::Date);
        let mut order: Vec<(u64, u64, u32)> = rows
            .iter()
            .enumerate()
            .filter(|(_, row)| row.entry.is_ok() && row.conflict_of.is_none())
            .filter_map(|(i, _)| {
                let key = *primary.get(i)?;
                // Ties: newest first, then by file name, so the order is stable.
                Some((
                    if sort.descending { !key } else { key },
                    !*date.get(i)?,
                    u32::try_from(i).ok()?,
                ))
            })
            .collect();
        order.sort_unstable();
        self.orders
            .insert(sort, order.into_iter().map(|(_, _, i)| i).collect());
    }

    /// Each row's key in `column`'s order (rows that did not open: 0).
    fn column(&mut self, rows: &[Row], column: Column) -> &[u64] {
        self.columns
            .entry(column)
            .or_insert_with(|| column_keys(rows, column))
    }
}

impl Fields {
    fn none() -> Fields {
        Fields {
            title: NONE,
            group: NONE,
            kind: NONE,
            date: NONE,
            series: NONE,
            facilitators: NONE,
            trainees: NONE,
            flagged: false,
        }
    }
}

/// Case-insensitive: `needle` is already lowercase.
pub fn contains(haystack: &str, needle: &str) -> bool {
    if haystack.is_ascii() && needle.is_ascii() {
        let (h, n) = (haystack.as_bytes(), needle.as_bytes());
        return n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    haystack.to_lowercase().contains(needle)
}

/// Keys of `column` for each row: equal values equal keys, and keys ordered as the
/// column sorts ascending. Worked out over the distinct values, which are few.
fn column_keys(rows: &[Row], column: Column) -> Vec<u64> {
    match column {
        Column::Date => {
            let dates = text_ranks(rows, |e| Some(&e.date), str::to_owned);
            let times = text_ranks(rows, |e| Some(&e.time), str::to_owned);
            let seconds = rows.iter().map(|r| r.ok().map_or(0, |e| u64::from(e.second)));
            dates
                .iter()
                .zip(times)
                .zip(seconds)
                .map(|((date, time), second)| date << 32 | time << 8 | second)
                .collect()
        }
        Column::Group => text_ranks(rows, |e| Some(&e.group), str::to_lowercase),
        Column::Facilitators => text_ranks(rows, |e| e.facilitators.first(), str::to_lowercase),
        Column::Session => ranks(rows, |e| e.series.as_ref().map(|s| (s.session, s.of))),
        Column::Attendance => ranks(rows, |e| Share {
            present: e.present as u64,
            roster: e.roster as u64,
        }),
        // Order kept with the sign bit flipped.
        Column::Time => ranks(rows, |e| (e.over_under_secs as u64) ^ (1 << 63)),
        Column::Flags => ranks(rows, |e| (e.risk, e.follow_up)),
    }
}

/// Each row's rank by `key` among the rows that opened (1 and up; values equal in order
/// share a rank); rows that did not open get 0.
fn ranks<K: Ord>(rows: &[Row], key: impl Fn(&Entry) -> K) -> Vec<u64> {
    let keys: Vec<Option<K>> = rows.iter().map(|r| r.ok().map(&key)).collect();
    let mut distinct: Vec<&K> = keys.iter().flatten().collect();
    distinct.sort_unstable();
    distinct.dedup_by(|a, b| Ord::cmp(*a, *b) == std::cmp::Ordering::Equal);
    keys.iter()
        .map(|k| {
            k.as_ref()
                .map_or(0, |k| 1 + distinct.partition_point(|d| *d < k) as u64)
        })
        .collect()
}

/// [`ranks`] of a shared text compared as `compared` makes it (lowercased, say), worked
/// out once per distinct text.
fn text_ranks(
    rows: &[Row],
    text: impl Fn(&Entry) -> Option<&Text>,
    compared: impl Fn(&str) -> String,
) -> Vec<u64> {
    let mut distinct: ByAddress<String> = ByAddress::default();
    for e in rows.iter().filter_map(Row::ok) {
        if let Some(t) = text(e) {
            distinct.entry(t.address()).or_insert_with(|| compared(t));
        }
    }
    // No text (no facilitator) sorts as an empty one.
    let empty = String::new();
    let mut sorted: Vec<&String> = distinct.values().chain([&empty]).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let rank_of = |k: &String| 1 + sorted.partition_point(|d| *d < k) as u64;
    let rank: ByAddress<u64> = distinct
        .iter()
        .map(|(&address, k)| (address, rank_of(k)))
        .collect();
    let none = rank_of(&empty);
    rows.iter()
        .map(|r| {
            r.ok().map_or(0, |e| {
                text(e).map_or(none, |t| rank.get(&t.address()).copied().unwrap_or(none))
            })
        })
        .collect()
}

/// Attendance as a share of the roster, then by how many: ordered as fractions.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Share {
    present: u64,
    roster: u64,
}

impl Ord for Share {
    fn cmp(&self, other: &Share) -> std::cmp::Ordering {
        let lhs = self.present * other.roster.max(1);
        let rhs = other.present * self.roster.max(1);
        lhs.cmp(&rhs).then(self.present.cmp(&other.present))
    }
}

impl PartialOrd for Share {
    fn partial_cmp(&self, other: &Share) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
