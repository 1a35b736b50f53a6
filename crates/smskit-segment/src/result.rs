//! What a count or a split reports.

use core::fmt;
use core::hash::Hash;
use core::ops::Range;
use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use crate::charset::ShiftTables;

/// The encoding of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Encoding {
    /// GSM 7-bit (the default alphabet, or national shift tables): units are septets.
    #[cfg_attr(feature = "serde", serde(rename = "GSM-7"))]
    Gsm7,
    /// UCS-2 (sent as UTF-16): units are UTF-16 code units.
    #[cfg_attr(feature = "serde", serde(rename = "UCS-2"))]
    Ucs2,
}

impl Encoding {
    /// `"GSM-7"` or `"UCS-2"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Encoding::Gsm7 => "GSM-7",
            Encoding::Ucs2 => "UCS-2",
        }
    }

    /// What a unit is called in this encoding: `"septets"` or `"UTF-16 units"`.
    pub const fn unit_name(self) -> &'static str {
        match self {
            Encoding::Gsm7 => "septets",
            Encoding::Ucs2 => "UTF-16 units",
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Encoding, parts and units of a text, as returned by the count-only functions.
///
/// ```
/// let count = smskit_segment::count("Hello ]");
/// assert_eq!((count.units, count.parts, count.remaining), (8, 1, 152));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Count {
    /// The encoding.
    pub encoding: Encoding,
    /// The national shift tables used (the default tables unless some were enabled and chosen).
    pub shift_tables: ShiftTables,
    /// Total units: septets (an extension character counts 2) or UTF-16 code units.
    pub units: usize,
    /// Number of SMS parts (at least 1; the empty text is one part).
    pub parts: usize,
    /// Units still free in the last part.
    pub remaining: usize,
}

/// One SMS part of a split text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Part {
    /// Byte range of the part in [`Segmentation::text`].
    pub range: Range<usize>,
    /// Units in the part.
    pub units: usize,
}

/// A character that is not in the GSM-7 alphabet (it made the text UCS-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct NonGsmChar {
    /// Byte offset of the character in the input text.
    pub offset: usize,
    /// The character.
    #[cfg_attr(feature = "serde", serde(rename = "char"))]
    pub ch: char,
}

impl fmt::Display for NonGsmChar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} (U+{:04X}) at byte {}",
            self.ch, self.ch as u32, self.offset
        )
    }
}

/// A character replaced by transliteration or line-ending normalisation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Substitution {
    /// Byte offset of the replaced character in the input text.
    pub input_offset: usize,
    /// Byte offset of the replacement in [`Segmentation::text`].
    pub output_offset: usize,
    /// The replaced character.
    pub from: char,
    /// What replaced it (possibly empty: the character was removed).
    pub to: Cow<'static, str>,
}

/// A character counted over a text: where it first occurs and how often, so that a report
/// can list each character once however often it occurs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CharTally {
    /// The character.
    #[cfg_attr(feature = "serde", serde(rename = "char"))]
    pub ch: char,
    /// Byte offset of its first occurrence in the input text.
    pub first_offset: usize,
    /// How many times it occurs (at least 1).
    pub occurrences: usize,
}

/// One kind of substitution counted over a text: the same character replaced the same way.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SubstitutionTally {
    /// The replaced character.
    pub from: char,
    /// What replaced it (possibly empty).
    pub to: Cow<'static, str>,
    /// Byte offset of its first occurrence in the input text.
    pub first_offset: usize,
    /// How many times it was replaced this way (at least 1).
    pub occurrences: usize,
}

/// Groups `(key, offset)` items by key in order of first occurrence, counting each key, in
/// time linear in the items (a report over tens of thousands of distinct characters must not
/// compare each with all the others).
fn tally<K: Eq + Hash + Copy>(items: impl Iterator<Item = (K, usize)>) -> Vec<(K, usize, usize)> {
    let mut index_of: HashMap<K, usize> = HashMap::new();
    let mut groups: Vec<(K, usize, usize)> = Vec::new();
    for (key, offset) in items {
        match index_of.entry(key) {
            Entry::Occupied(index) => groups[*index.get()].2 += 1,
            Entry::Vacant(slot) => {
                slot.insert(groups.len());
                groups.push((key, offset, 1));
            }
        }
    }
    groups
}

/// A text split into SMS parts.
///
/// ```
/// let text = "]".repeat(153);
/// let split = smskit_segment::split(&text);
/// // An escape sequence never straddles two parts, so a part closes at 152 septets.
/// let units: Vec<usize> = split.parts.iter().map(|part| part.units).collect();
/// assert_eq!(units, [152, 152, 2]);
/// assert_eq!(split.part_texts().collect::<String>(), split.text);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Segmentation<'a> {
    /// The text as it will be sent: the input, or the input after transliteration /
    /// line-ending normalisation (see [`substitutions`](Self::substitutions)).
    pub text: Cow<'a, str>,
    /// The encoding.
    pub encoding: Encoding,
    /// The national shift tables used.
    pub shift_tables: ShiftTables,
    /// Total units.
    pub units: usize,
    /// The parts, in order; their ranges tile [`text`](Self::text).
    pub parts: Vec<Part>,
    /// Units still free in the last part.
    pub remaining: usize,
    /// When the encoding is UCS-2, every character outside the GSM-7 alphabet, in order.
    pub non_gsm: Vec<NonGsmChar>,
    /// Every substitution made, in order.
    pub substitutions: Vec<Substitution>,
    /// Parts added by [`SplitPolicy::Graphemes`](crate::SplitPolicy::Graphemes) over the
    /// standard split (0 with the standard policy).
    pub extra_parts_for_graphemes: usize,
}

impl Segmentation<'_> {
    /// The encoding, parts and units without the details.
    pub fn count(&self) -> Count {
        Count {
            encoding: self.encoding,
            shift_tables: self.shift_tables,
            units: self.units,
            parts: self.parts.len(),
            remaining: self.remaining,
        }
    }

    /// The text of each part, in order.
    pub fn part_texts(&self) -> impl Iterator<Item = &str> {
        self.parts
            .iter()
            .map(|part| self.text.get(part.range.clone()).unwrap_or_default())
    }

    /// The distinct characters of [`non_gsm`](Self::non_gsm) in order of first occurrence,
    /// each with its count.
    ///
    /// ```
    /// let split = smskit_segment::split("ça ç’");
    /// let tally = split.non_gsm_tally();
    /// assert_eq!(tally.len(), 2);
    /// assert_eq!((tally[0].ch, tally[0].first_offset, tally[0].occurrences), ('ç', 0, 2));
    /// assert_eq!((tally[1].ch, tally[1].first_offset, tally[1].occurrences), ('’', 6, 1));
    /// ```
    pub fn non_gsm_tally(&self) -> Vec<CharTally> {
        tally(self.non_gsm.iter().map(|found| (found.ch, found.offset)))
            .into_iter()
            .map(|(ch, first_offset, occurrences)| CharTally {
                ch,
                first_offset,
                occurrences,
            })
            .collect()
    }

    /// The distinct [`substitutions`](Self::substitutions) (same character, same
    /// replacement) in order of first occurrence, each with its count.
    pub fn substitution_tally(&self) -> Vec<SubstitutionTally> {
        let items = self
            .substitutions
            .iter()
            .enumerate()
            .map(|(index, substitution)| ((substitution.from, substitution.to.as_ref()), index));
        tally(items)
            .into_iter()
            .filter_map(|((from, _), first, occurrences)| {
                let substitution = self.substitutions.get(first)?;
                Some(SubstitutionTally {
                    from,
                    to: substitution.to.clone(),
                    first_offset: substitution.input_offset,
                    occurrences,
                })
            })
            .collect()
    }

    /// A segmentation that owns its text.
    pub fn into_owned(self) -> Segmentation<'static> {
        Segmentation {
            text: Cow::Owned(self.text.into_owned()),
            encoding: self.encoding,
            shift_tables: self.shift_tables,
            units: self.units,
            parts: self.parts,
            remaining: self.remaining,
            non_gsm: self.non_gsm,
            substitutions: self.substitutions,
            extra_parts_for_graphemes: self.extra_parts_for_graphemes,
        }
    }
}
