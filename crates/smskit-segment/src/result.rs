//! What a count or a split reports.

use core::fmt;
use core::ops::Range;
use std::borrow::Cow;

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
