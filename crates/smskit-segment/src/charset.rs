//! The GSM 7-bit alphabets of 3GPP TS 23.038: the default alphabet and extension table, and the
//! national language locking and single shift tables.

use core::fmt;
use core::str::FromStr;

use crate::tables::{DEFAULT_ABOVE_LATIN1, LATIN1_SEPTETS, SHIFT_MASKS};

/// Septets `ch` costs in the GSM 7-bit default alphabet: 1 (basic), 2 (extension table:
/// escape + code) or 0 when the default alphabet cannot represent it.
///
/// U+001B (the escape code itself) is not a character of the alphabet and costs 0: sending it
/// would swallow the next character.
#[inline]
pub(crate) fn default_septets(ch: char) -> u8 {
    let code = ch as u32;
    if code < 0x100 {
        LATIN1_SEPTETS[code as usize]
    } else {
        lookup_above_latin1(ch)
    }
}

#[inline(never)]
fn lookup_above_latin1(ch: char) -> u8 {
    match DEFAULT_ABOVE_LATIN1.binary_search_by_key(&ch, |&(c, _)| c) {
        Ok(index) => DEFAULT_ABOVE_LATIN1[index].1,
        Err(_) => 0,
    }
}

/// Whether `ch` is in the GSM 7-bit default alphabet or its extension table.
///
/// ```
/// use smskit_segment::is_gsm7;
/// assert!(is_gsm7('é') && is_gsm7('€') && is_gsm7('\u{c}'));
/// assert!(!is_gsm7('ç') && !is_gsm7('\u{1b}') && !is_gsm7('`'));
/// ```
#[inline]
pub fn is_gsm7(ch: char) -> bool {
    default_septets(ch) != 0
}

/// Whether `ch` is in the GSM 7-bit default (basic) alphabet: one septet, no escape. The 127
/// characters every handset shows, which makes them the safe alphabet for short links and
/// sender names. Extension characters (`^ { } \\ [ ~ ] |`, `€`, form feed) are not.
///
/// ```
/// use smskit_segment::is_gsm7_basic;
/// assert!(is_gsm7_basic('é') && is_gsm7_basic('_') && is_gsm7_basic('\n'));
/// assert!(!is_gsm7_basic('€') && !is_gsm7_basic('~') && !is_gsm7_basic('ç'));
/// ```
#[inline]
pub fn is_gsm7_basic(ch: char) -> bool {
    default_septets(ch) == 1
}

/// The (locking, single shift) table masks of `ch`: bit `i` is set when the table of the
/// language with index `i` (0 = default) contains it.
#[inline]
pub(crate) fn shift_masks(ch: char) -> (u16, u16) {
    match SHIFT_MASKS.binary_search_by_key(&ch, |&(c, _, _)| c) {
        Ok(index) => (SHIFT_MASKS[index].1, SHIFT_MASKS[index].2),
        Err(_) => (0, 0),
    }
}

/// A national language of 3GPP TS 23.038 §6.2.1.2 that has shift tables.
///
/// Shift tables let a text in these languages travel in 7-bit septets instead of UCS-2, at the
/// cost of a 3-octet information element per table in every part's header. Every language
/// except Spanish has a locking shift table (which replaces the default alphabet) and all have a
/// single shift table (which replaces the extension table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[non_exhaustive]
pub enum Language {
    /// Turkish (`tr`), identifier 1.
    Turkish,
    /// Spanish (`es`), identifier 2: single shift table only.
    Spanish,
    /// Portuguese (`pt`), identifier 3.
    Portuguese,
    /// Bengali and Assamese (`bn`), identifier 4.
    Bengali,
    /// Gujarati (`gu`), identifier 5.
    Gujarati,
    /// Hindi (`hi`), identifier 6.
    Hindi,
    /// Kannada (`kn`), identifier 7.
    Kannada,
    /// Malayalam (`ml`), identifier 8.
    Malayalam,
    /// Oriya (`or`), identifier 9.
    Oriya,
    /// Punjabi (`pa`), identifier 10.
    Punjabi,
    /// Tamil (`ta`), identifier 11.
    Tamil,
    /// Telugu (`te`), identifier 12.
    Telugu,
    /// Urdu (`ur`), identifier 13.
    Urdu,
}

impl Language {
    /// Every language, in identifier order.
    pub const ALL: [Language; 13] = [
        Language::Turkish,
        Language::Spanish,
        Language::Portuguese,
        Language::Bengali,
        Language::Gujarati,
        Language::Hindi,
        Language::Kannada,
        Language::Malayalam,
        Language::Oriya,
        Language::Punjabi,
        Language::Tamil,
        Language::Telugu,
        Language::Urdu,
    ];

    /// The national language identifier of TS 23.038 §6.2.1.2 (the value carried in the
    /// shift information elements), 1 to 13.
    pub const fn identifier(self) -> u8 {
        self as u8 + 1
    }

    /// The ISO 639-1 code (`tr`, `es`, `pt`, `bn`, ...).
    pub const fn code(self) -> &'static str {
        match self {
            Language::Turkish => "tr",
            Language::Spanish => "es",
            Language::Portuguese => "pt",
            Language::Bengali => "bn",
            Language::Gujarati => "gu",
            Language::Hindi => "hi",
            Language::Kannada => "kn",
            Language::Malayalam => "ml",
            Language::Oriya => "or",
            Language::Punjabi => "pa",
            Language::Tamil => "ta",
            Language::Telugu => "te",
            Language::Urdu => "ur",
        }
    }

    /// The English name.
    pub const fn name(self) -> &'static str {
        match self {
            Language::Turkish => "Turkish",
            Language::Spanish => "Spanish",
            Language::Portuguese => "Portuguese",
            Language::Bengali => "Bengali",
            Language::Gujarati => "Gujarati",
            Language::Hindi => "Hindi",
            Language::Kannada => "Kannada",
            Language::Malayalam => "Malayalam",
            Language::Oriya => "Oriya",
            Language::Punjabi => "Punjabi",
            Language::Tamil => "Tamil",
            Language::Telugu => "Telugu",
            Language::Urdu => "Urdu",
        }
    }

    /// Whether the language has a locking shift table (all but Spanish).
    pub const fn has_locking_table(self) -> bool {
        !matches!(self, Language::Spanish)
    }

    /// The bit of this language in the generated table masks (bit 0 is the default table).
    pub(crate) const fn mask_bit(self) -> u16 {
        1 << self.identifier()
    }

    /// The language with a TS 23.038 national language identifier (1 to 13).
    ///
    /// ```
    /// use smskit_segment::Language;
    /// assert_eq!(Language::from_identifier(1), Some(Language::Turkish));
    /// assert_eq!(Language::from_identifier(0), None); // 0 is the default alphabet
    /// ```
    pub fn from_identifier(identifier: u8) -> Option<Language> {
        Language::ALL
            .get(usize::from(identifier).checked_sub(1)?)
            .copied()
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Language {
    type Err = crate::Error;

    /// Parses an ISO 639-1 code (`tr`) or an English name (`turkish`), case-insensitively.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim();
        Language::ALL
            .into_iter()
            .find(|language| {
                language.code().eq_ignore_ascii_case(wanted)
                    || language.name().eq_ignore_ascii_case(wanted)
            })
            .ok_or_else(|| crate::Error::UnknownLanguage {
                input: text.to_owned(),
            })
    }
}

/// A set of national languages whose shift tables may be used.
///
/// ```
/// use smskit_segment::{Language, LanguageSet};
/// let set: LanguageSet = "tr,es".parse()?;
/// assert!(set.contains(Language::Turkish) && !set.contains(Language::Hindi));
/// assert_eq!(set.to_string(), "tr,es");
/// # Ok::<(), smskit_segment::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct LanguageSet(u16);

impl LanguageSet {
    /// No national tables: only the default alphabet (the standard behaviour of every phone).
    pub const EMPTY: LanguageSet = LanguageSet(0);

    /// A set with every language of `languages`.
    pub fn of(languages: impl IntoIterator<Item = Language>) -> Self {
        languages.into_iter().fold(Self::EMPTY, Self::with)
    }

    /// This set plus `language`.
    #[must_use]
    pub const fn with(self, language: Language) -> Self {
        LanguageSet(self.0 | language.mask_bit())
    }

    /// Whether `language` is in the set.
    pub const fn contains(self, language: Language) -> bool {
        self.0 & language.mask_bit() != 0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The languages of the set, in identifier order.
    pub fn iter(self) -> impl Iterator<Item = Language> {
        Language::ALL
            .into_iter()
            .filter(move |language| self.contains(*language))
    }

    /// The mask bits of the set (bit 0, the default table, is never set).
    pub(crate) const fn bits(self) -> u16 {
        self.0
    }
}

impl FromIterator<Language> for LanguageSet {
    fn from_iter<T: IntoIterator<Item = Language>>(iter: T) -> Self {
        Self::of(iter)
    }
}

impl fmt::Display for LanguageSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, language) in self.iter().enumerate() {
            if index > 0 {
                f.write_str(",")?;
            }
            f.write_str(language.code())?;
        }
        Ok(())
    }
}

impl FromStr for LanguageSet {
    type Err = crate::Error;

    /// Parses a comma-separated list of ISO 639-1 codes or names; the empty string is the
    /// empty set.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(str::parse::<Language>)
            .collect()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for LanguageSet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for LanguageSet {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<Language>::deserialize(deserializer).map(LanguageSet::of)
    }
}

/// Which tables encode a 7-bit text: the locking shift table replacing the default alphabet
/// and the single shift table replacing the extension table (`None` = the default one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ShiftTables {
    /// The locking shift table, or `None` for the default alphabet.
    pub locking: Option<Language>,
    /// The single shift table, or `None` for the default extension table.
    pub single: Option<Language>,
}

impl ShiftTables {
    /// The default alphabet and extension table (no shift information element).
    pub const DEFAULT: ShiftTables = ShiftTables {
        locking: None,
        single: None,
    };

    /// The given tables.
    pub const fn new(locking: Option<Language>, single: Option<Language>) -> Self {
        ShiftTables { locking, single }
    }

    /// How many shift information elements the header carries (0, 1 or 2).
    pub const fn information_elements(self) -> u8 {
        self.locking.is_some() as u8 + self.single.is_some() as u8
    }

    /// Whether these are the default tables.
    pub const fn is_default(self) -> bool {
        self.locking.is_none() && self.single.is_none()
    }

    pub(crate) const fn locking_bit(self) -> u16 {
        match self.locking {
            Some(language) => language.mask_bit(),
            None => 1,
        }
    }

    pub(crate) const fn single_bit(self) -> u16 {
        match self.single {
            Some(language) => language.mask_bit(),
            None => 1,
        }
    }

    /// Septets `ch` costs with these tables: 1 when the locking table (or default alphabet)
    /// has it, 2 when only the single shift (or extension) table has it, `None` when neither.
    ///
    /// ```
    /// use smskit_segment::{Language, ShiftTables};
    /// assert_eq!(ShiftTables::DEFAULT.septets('€'), Some(2));
    /// let turkish = ShiftTables::new(Some(Language::Turkish), None);
    /// assert_eq!(turkish.septets('€'), Some(1));
    /// assert_eq!(turkish.septets('ş'), Some(1));
    /// assert_eq!(turkish.septets('è'), None);
    /// ```
    pub fn septets(self, ch: char) -> Option<u8> {
        match self.cost(ch) {
            0 => None,
            septets => Some(septets),
        }
    }

    /// Septets `ch` costs with these tables, 0 when it cannot be encoded.
    #[inline]
    pub(crate) fn cost(self, ch: char) -> u8 {
        if self.is_default() {
            return default_septets(ch);
        }
        let (locking, single) = shift_masks(ch);
        if locking & self.locking_bit() != 0 {
            1
        } else if single & self.single_bit() != 0 {
            2
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_alphabet_has_127_basic_and_10_extension_characters() {
        let basic = (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| default_septets(c) == 1)
            .count();
        let extension = (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| default_septets(c) == 2)
            .count();
        assert_eq!((basic, extension), (127, 10));
    }

    #[test]
    fn escape_and_lookalikes_are_not_gsm() {
        for ch in [
            '\u{1b}', 'ç', '`', '\t', '\u{a0}', 'α', '\u{2019}', '\u{301}',
        ] {
            assert!(!is_gsm7(ch), "{ch:?}");
        }
        assert_eq!(default_septets('\u{c}'), 2);
        assert_eq!(default_septets('Ç'), 1);
    }

    #[test]
    fn languages_round_trip_through_codes_and_identifiers() {
        for language in Language::ALL {
            assert_eq!(language.code().parse::<Language>().unwrap(), language);
            assert_eq!(
                Language::from_identifier(language.identifier()),
                Some(language)
            );
        }
        assert_eq!(Language::from_identifier(0), None);
        assert_eq!(Language::from_identifier(14), None);
        assert!("xx".parse::<Language>().is_err());
        assert_eq!("TURKISH".parse::<Language>().unwrap(), Language::Turkish);
    }

    #[test]
    fn shift_tables_cost_characters_by_table() {
        let turkish = ShiftTables::new(Some(Language::Turkish), Some(Language::Turkish));
        assert_eq!(turkish.cost('ş'), 1);
        assert_eq!(turkish.cost('€'), 1);
        assert_eq!(turkish.cost('è'), 0);
        let spanish_single = ShiftTables::new(None, Some(Language::Spanish));
        assert_eq!(spanish_single.cost('ç'), 2);
        assert_eq!(spanish_single.cost('è'), 1);
        assert_eq!(spanish_single.cost('ş'), 0);
        assert_eq!(ShiftTables::DEFAULT.cost('€'), 2);
    }

    #[test]
    fn language_set_parses_and_prints() {
        let set: LanguageSet = " pt , hi ".parse().unwrap();
        assert_eq!(set.to_string(), "pt,hi");
        assert!("".parse::<LanguageSet>().unwrap().is_empty());
        assert!("pt,zz".parse::<LanguageSet>().is_err());
    }
}
