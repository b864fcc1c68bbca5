//! Shared text for the list: a folder of 100,000 summaries names a few hundred groups,
//! titles, facilitators and dates, so each distinct text is kept once ([`Interner`]) and
//! every row holds a counted reference to it ([`Text`], [`Names`]). A row then costs a few
//! pointers instead of a dozen allocations, and a filter can test each distinct text once.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Deref;
use std::sync::Arc;

use serde::{Serialize, Serializer};

/// An immutable, cheaply cloned string. Compares, hashes, prints and serialises as its
/// text.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(Arc<str>);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `self` and `other` are the same interned text (not merely equal).
    pub fn same(&self, other: &Text) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// An address that identifies this interned text while it lives.
    pub fn address(&self) -> usize {
        Arc::as_ptr(&self.0).cast::<u8>() as usize
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text(Arc::from(text))
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text(Arc::from(text))
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// A shared list of names (facilitators, trainees); most sessions of a group share one.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Names(Arc<[Text]>);

impl Names {
    /// An address that identifies this shared list while it lives.
    pub fn address(&self) -> usize {
        Arc::as_ptr(&self.0).cast::<u8>() as usize
    }
}

impl Deref for Names {
    type Target = [Text];
    fn deref(&self) -> &[Text] {
        &self.0
    }
}

impl Borrow<[Text]> for Names {
    fn borrow(&self) -> &[Text] {
        &self.0
    }
}

impl From<Vec<Text>> for Names {
    fn from(names: Vec<Text>) -> Names {
        Names(Arc::from(names))
    }
}

impl<S: AsRef<str>> PartialEq<[S]> for Names {
    fn eq(&self, other: &[S]) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a.as_str() == b.as_ref())
    }
}

impl<S: AsRef<str>> PartialEq<Vec<S>> for Names {
    fn eq(&self, other: &Vec<S>) -> bool {
        *self == **other
    }
}

impl fmt::Debug for Names {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Names {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// A fast hash for the few tables of texts a scan keeps (a multiply per eight bytes, as
/// rustc's own FxHash): the keys are a folder's texts, not an attacker's choice, and these
/// lookups run for every text of every row.
#[derive(Default)]
pub struct FastHasher(u64);

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut rest = bytes;
        while let Some((word, tail)) = rest.split_first_chunk::<8>() {
            self.add(u64::from_le_bytes(*word));
            rest = tail;
        }
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(last) ^ rest.len() as u64);
    }
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

type Fast = BuildHasherDefault<FastHasher>;

/// A map keyed by the address of a shared text or list ([`Text::address`]).
pub type ByAddress<V> = HashMap<usize, V, Fast>;

/// Hands out one [`Text`] per distinct text, and one [`Names`] per distinct list.
#[derive(Default)]
pub struct Interner {
    texts: HashSet<Text, Fast>,
    lists: HashSet<Names, Fast>,
}

impl Interner {
    pub fn text(&mut self, text: &str) -> Text {
        if let Some(known) = self.texts.get(text) {
            return known.clone();
        }
        let new = Text::from(text);
        self.texts.insert(new.clone());
        new
    }

    pub fn names(&mut self, names: Vec<Text>) -> Names {
        if let Some(known) = self.lists.get(names.as_slice()) {
            return known.clone();
        }
        let new = Names::from(names);
        self.lists.insert(new.clone());
        new
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_are_kept_once_and_behave_as_strings() {
        let mut interner = Interner::default();
        let a = interner.text("Tuesday group");
        let b = interner.text("Tuesday group");
        assert!(a.same(&b));
        assert!(!a.same(&Text::from("Tuesday group")), "equal, not interned");
        assert_eq!(a, "Tuesday group");
        assert_eq!(a.to_string(), "Tuesday group");
        assert_eq!(format!("{a:?}"), "\"Tuesday group\"");
        assert_eq!(
            serde_json::to_string(&a).ok().as_deref(),
            Some("\"Tuesday group\"")
        );
        let samir = interner.text("Samir");
        let list = interner.names(vec![a.clone(), samir.clone()]);
        let again = interner.names(vec![b, samir]);
        assert_eq!(list, again);
        assert_eq!(list, vec!["Tuesday group", "Samir"]);
        assert_eq!(
            serde_json::to_string(&again).ok().as_deref(),
            Some("[\"Tuesday group\",\"Samir\"]")
        );
    }
}
