//! What a caller can choose: encoding, concatenation header, split policy, transliteration,
//! line endings and national shift tables.

use crate::charset::LanguageSet;

/// Which encoding to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[non_exhaustive]
pub enum EncodingChoice {
    /// GSM-7 when every character fits (the default alphabet, or enabled national shift
    /// tables), UCS-2 otherwise. This is what handsets and providers do.
    #[default]
    Auto,
    /// GSM-7 or an error naming the characters that do not fit.
    Gsm7,
    /// UCS-2 (UTF-16) whatever the text.
    Ucs2,
}

/// The concatenation information element in the header of each part of a long message, which
/// decides how much text a part holds.
///
/// | header | GSM-7 part | UCS-2 part |
/// |---|---|---|
/// | [`Reference8Bit`](Self::Reference8Bit) (6 octets, the usual one) | 153 septets | 67 units |
/// | [`Reference16Bit`](Self::Reference16Bit) (7 octets; e.g. US toll-free senders) | 152 septets | 66 units |
///
/// A single message carries no concatenation header (160 septets / 70 units).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Concatenation {
    /// 8-bit reference number (IEI 0x00): 153 septets / 67 UTF-16 units per part.
    #[default]
    #[cfg_attr(feature = "serde", serde(rename = "reference_8bit"))]
    Reference8Bit,
    /// 16-bit reference number (IEI 0x08): 152 septets / 66 UTF-16 units per part.
    #[cfg_attr(feature = "serde", serde(rename = "reference_16bit"))]
    Reference16Bit,
}

impl Concatenation {
    /// The header choice whose GSM-7 part capacity is `septets` (153 or 152) or whose UCS-2
    /// part capacity is `septets` (67 or 66).
    ///
    /// ```
    /// use smskit_segment::Concatenation;
    /// assert_eq!(Concatenation::from_part_capacity(152), Some(Concatenation::Reference16Bit));
    /// assert_eq!(Concatenation::from_part_capacity(67), Some(Concatenation::Reference8Bit));
    /// assert_eq!(Concatenation::from_part_capacity(150), None);
    /// ```
    pub const fn from_part_capacity(units: usize) -> Option<Self> {
        match units {
            153 | 67 => Some(Concatenation::Reference8Bit),
            152 | 66 => Some(Concatenation::Reference16Bit),
            _ => None,
        }
    }

    /// Octets of the concatenation information element (identifier, length and data).
    pub(crate) const fn element_octets(self) -> usize {
        match self {
            Concatenation::Reference8Bit => 5,
            Concatenation::Reference16Bit => 6,
        }
    }
}

/// Where a long message may be cut between parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum SplitPolicy {
    /// The standard: between any two characters, never inside an escape sequence (GSM-7
    /// extension character) or a surrogate pair (UCS-2 character above U+FFFF).
    #[default]
    Standard,
    /// Also keep extended grapheme clusters whole (a flag, a skin-tone emoji, a ZWJ family, a
    /// letter with its combining accents, CR LF), per the current Unicode rules. It may cost a
    /// part more than [`Standard`](Self::Standard); a cluster longer than a whole part is cut
    /// between its characters.
    Graphemes,
}

/// Replacing characters by GSM-7 look-alikes before the encoding is chosen. Every replacement
/// is reported in [`Segmentation::substitutions`](crate::Segmentation::substitutions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Transliteration {
    /// Send the text as written.
    #[default]
    Off,
    /// Twilio Smart Encoding's 271 substitutions: curly quotes, dashes, ellipsis, special
    /// spaces, zero-width characters, fullwidth forms.
    Smart,
    /// [`Smart`](Self::Smart) plus accent folding (á → a, ç → c, ş → s, ł → l, Greek → GSM
    /// capitals): fewer parts at the cost of exact spelling. Characters of the GSM-7 alphabet
    /// (é, ñ, ü...) and of enabled national shift tables are kept.
    FoldAccents,
}

/// Whether line endings are sent as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum LineEndings {
    /// Count exactly what is given: CR LF costs two units.
    #[default]
    Keep,
    /// Turn CR LF and lone CR into LF (reported as substitutions).
    Lf,
}

/// A configured segmenter: counts and splits texts with the chosen options.
///
/// The default is what the standard and every handset do: automatic GSM-7 / UCS-2 choice,
/// 8-bit concatenation reference (153 / 67 per part), standard split points, no
/// transliteration, no national shift tables.
///
/// ```
/// use smskit_segment::{Concatenation, Encoding, Segmenter, Transliteration};
///
/// let segmenter = Segmenter::new()
///     .with_transliteration(Transliteration::Smart)
///     .with_concatenation(Concatenation::Reference16Bit);
/// let count = segmenter.count("Don’t miss it — 20% off")?;
/// assert_eq!(count.encoding, Encoding::Gsm7); // ’ and — were replaced
/// assert_eq!(count.parts, 1);
/// # Ok::<(), smskit_segment::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct Segmenter {
    pub(crate) encoding: EncodingChoice,
    pub(crate) concatenation: Concatenation,
    pub(crate) split_policy: SplitPolicy,
    pub(crate) transliteration: Transliteration,
    pub(crate) line_endings: LineEndings,
    pub(crate) languages: LanguageSet,
}

impl Segmenter {
    /// The standard segmenter (see the type docs).
    pub const fn new() -> Self {
        Segmenter {
            encoding: EncodingChoice::Auto,
            concatenation: Concatenation::Reference8Bit,
            split_policy: SplitPolicy::Standard,
            transliteration: Transliteration::Off,
            line_endings: LineEndings::Keep,
            languages: LanguageSet::EMPTY,
        }
    }

    /// Chooses or forces the encoding.
    #[must_use]
    pub const fn with_encoding(mut self, encoding: EncodingChoice) -> Self {
        self.encoding = encoding;
        self
    }

    /// Chooses the concatenation header, hence the part capacity.
    #[must_use]
    pub const fn with_concatenation(mut self, concatenation: Concatenation) -> Self {
        self.concatenation = concatenation;
        self
    }

    /// Chooses where parts may be cut.
    #[must_use]
    pub const fn with_split_policy(mut self, split_policy: SplitPolicy) -> Self {
        self.split_policy = split_policy;
        self
    }

    /// Chooses the transliteration level.
    #[must_use]
    pub const fn with_transliteration(mut self, transliteration: Transliteration) -> Self {
        self.transliteration = transliteration;
        self
    }

    /// Chooses how line endings are treated.
    #[must_use]
    pub const fn with_line_endings(mut self, line_endings: LineEndings) -> Self {
        self.line_endings = line_endings;
        self
    }

    /// Allows the national language shift tables of `languages`.
    #[must_use]
    pub const fn with_languages(mut self, languages: LanguageSet) -> Self {
        self.languages = languages;
        self
    }

    /// The encoding choice.
    pub const fn encoding(&self) -> EncodingChoice {
        self.encoding
    }

    /// The concatenation header.
    pub const fn concatenation(&self) -> Concatenation {
        self.concatenation
    }

    /// The split policy.
    pub const fn split_policy(&self) -> SplitPolicy {
        self.split_policy
    }

    /// The transliteration level.
    pub const fn transliteration(&self) -> Transliteration {
        self.transliteration
    }

    /// The line-ending treatment.
    pub const fn line_endings(&self) -> LineEndings {
        self.line_endings
    }

    /// The allowed national languages.
    pub const fn languages(&self) -> LanguageSet {
        self.languages
    }

    /// Whether the text is used as given (no transliteration, no line-ending rewrite).
    pub(crate) const fn rewrites_text(&self) -> bool {
        !matches!(self.transliteration, Transliteration::Off)
            || matches!(self.line_endings, LineEndings::Lf)
    }
}
