//! The names of a folder's sidecar records, grouped by the summary they are about, kept in
//! one text: 100,000 names as strings of their own (each with its summary's name as a
//! key) were a third of a listing's memory and much of its time.

use std::ops::Range;

/// Record names by summary, sorted by the summary's (plain) name.
#[derive(Default)]
pub struct RecordNames {
    text: String,
    /// Per record, where in `text` its summary's name starts, where the record's own name
    /// starts (right after it), and where that ends.
    spans: Vec<[u32; 3]>,
    sorted: bool,
}

impl RecordNames {
    /// Adds the record called `name`, about the summary called `summary`. Past 4 GB of
    /// names (a folder of some forty million records) the rest are left out: their
    /// summaries show no supervision rather than the scan failing.
    pub fn push(&mut self, summary: &str, name: &str) {
        let at = |text: &String| u32::try_from(text.len()).ok();
        let Some(start) = at(&self.text) else { return };
        self.text.push_str(summary);
        let Some(middle) = at(&self.text) else { return };
        self.text.push_str(name);
        let Some(end) = at(&self.text) else { return };
        self.spans.push([start, middle, end]);
        self.sorted = false;
    }

    /// Part `which` of a span: 0 the summary's name, 1 the record's.
    fn part(&self, span: [u32; 3], which: usize) -> Option<&str> {
        let from = *span.get(which)? as usize;
        let to = *span.get(which + 1)? as usize;
        self.text.get(from..to)
    }

    fn summary(&self, span: [u32; 3]) -> Option<&str> {
        self.part(span, 0)
    }

    /// Done adding: groups the records by summary (call before [`RecordNames::of`]).
    pub fn sort(&mut self) {
        let mut spans = std::mem::take(&mut self.spans);
        spans.sort_unstable_by(|a, b| self.summary(*a).cmp(&self.summary(*b)));
        self.spans = spans;
        self.sorted = true;
    }

    /// The records about the summary called `summary`, as a range for [`RecordNames::names`].
    pub fn of(&self, summary: &str) -> Range<u32> {
        if !self.sorted {
            return 0..0;
        }
        let start = self.spans.partition_point(|s| self.summary(*s) < Some(summary));
        let after = self.spans.get(start..).unwrap_or_default();
        let end = start
            + after
                .iter()
                .take_while(|s| self.summary(**s) == Some(summary))
                .count();
        let index = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
        index(start)..index(end)
    }

    /// The names of the records in `range` (from [`RecordNames::of`]).
    pub fn names(&self, range: Range<u32>) -> impl Iterator<Item = &str> + Clone {
        self.spans
            .get(range.start as usize..range.end as usize)
            .unwrap_or_default()
            .iter()
            .filter_map(|span| self.part(*span, 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_found_by_their_summary() {
        let mut records = RecordNames::default();
        records.push("b.ron", "b.review.2.ron");
        records.push("a.ron", "a.review.1.ron");
        records.push("b.ron", "b.review.1.ron.age");
        assert_eq!(records.of("a.ron"), 0..0, "not sorted yet: none");
        records.sort();
        let names = |summary: &str| {
            let mut names: Vec<&str> = records.names(records.of(summary)).collect();
            names.sort_unstable();
            names
        };
        assert_eq!(names("a.ron"), ["a.review.1.ron"]);
        assert_eq!(names("b.ron"), ["b.review.1.ron.age", "b.review.2.ron"]);
        assert!(names("c.ron").is_empty());
        assert!(names("").is_empty());
        assert!(
            names("b.ro").is_empty(),
            "a prefix of a summary's name is another name"
        );
        assert_eq!(records.names(5..9).count(), 0, "a range past the end is empty");
        assert_eq!(
            records.names(Range { start: 2, end: 1 }).count(),
            0,
            "a range backwards is empty"
        );
    }
}
