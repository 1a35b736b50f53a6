//! The general path: encoding choice (with national shift tables), packing by characters or
//! grapheme clusters, and the full split report. The count-only fast path lives in `fast`.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;

use crate::capacity::{self, Capacity};
use crate::charset::{Language, ShiftTables, default_septets, shift_masks};
use crate::error::Error;
use crate::fast;
use crate::options::{Concatenation, EncodingChoice, Segmenter, SplitPolicy};
use crate::packer::{PackedParts, Packer, PartList, PartSink};
use crate::result::{
    Count, Encoding, NonGsmChar, Part, Segmentation, Substitution, SubstitutionTally,
};
use crate::translit::{Transliterated, rewrite, rewrite_with};

/// How a text is encoded: which alphabet, hence what each character costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scheme {
    Gsm7(ShiftTables),
    Ucs2,
}

impl Scheme {
    #[inline]
    fn cost(self, ch: char) -> usize {
        match self {
            Scheme::Gsm7(tables) => usize::from(tables.cost(ch)),
            Scheme::Ucs2 => ch.len_utf16(),
        }
    }

    fn capacity(self, segmenter: &Segmenter) -> Capacity {
        match self {
            Scheme::Gsm7(tables) => {
                capacity::gsm7(segmenter.concatenation, tables.information_elements())
            }
            Scheme::Ucs2 => capacity::ucs2(segmenter.concatenation),
        }
    }

    fn encoding(self) -> Encoding {
        match self {
            Scheme::Gsm7(_) => Encoding::Gsm7,
            Scheme::Ucs2 => Encoding::Ucs2,
        }
    }

    fn shift_tables(self) -> ShiftTables {
        match self {
            Scheme::Gsm7(tables) => tables,
            Scheme::Ucs2 => ShiftTables::DEFAULT,
        }
    }
}

/// Turns a packing into the reported count: a text that fits one message is one part.
pub(crate) fn finish_count<S>(
    packed: PackedParts<S>,
    encoding: Encoding,
    shift_tables: ShiftTables,
    capacity: Capacity,
) -> Count {
    let (parts, remaining) = if packed.total <= capacity.single {
        (1, capacity.single - packed.total)
    } else {
        (packed.parts, packed.capacity - packed.last_fill)
    };
    Count {
        encoding,
        shift_tables,
        units: packed.total,
        parts,
        remaining,
    }
}

/// Packs characters `(byte offset, char)` at the standard split points.
fn pack_chars<S: PartSink>(
    chars: impl Iterator<Item = (usize, char)>,
    scheme: Scheme,
    part_capacity: usize,
    sink: S,
) -> PackedParts<S> {
    let mut packer = Packer::new(part_capacity, sink);
    for (offset, ch) in chars {
        packer.atom(scheme.cost(ch), offset);
    }
    packer.finish()
}

/// Packs the grapheme clusters of `text`, cutting a cluster between its characters only when
/// it is larger than a whole part.
fn pack_graphemes<S: PartSink>(
    text: &str,
    scheme: Scheme,
    part_capacity: usize,
    sink: S,
) -> PackedParts<S> {
    let mut packer = Packer::new(part_capacity, sink);
    for (offset, cluster) in text.grapheme_indices(true) {
        let size: usize = cluster.chars().map(|ch| scheme.cost(ch)).sum();
        if size <= part_capacity {
            packer.atom(size, offset);
        } else {
            for (inner, ch) in cluster.char_indices() {
                packer.atom(scheme.cost(ch), offset + inner);
            }
        }
    }
    packer.finish()
}

/// Packs `text` (already rewritten) under the segmenter's split policy.
fn pack_text<S: PartSink>(
    text: &str,
    scheme: Scheme,
    segmenter: &Segmenter,
    sink: S,
) -> PackedParts<S> {
    let part_capacity = scheme.capacity(segmenter).part;
    match segmenter.split_policy {
        SplitPolicy::Standard => pack_chars(text.char_indices(), scheme, part_capacity, sink),
        SplitPolicy::Graphemes => pack_graphemes(text, scheme, part_capacity, sink),
    }
}

/// The default tables plus one per national language.
const TABLES: usize = Language::ALL.len() + 1;

/// How a shift-table combination ranks (lower is better): parts, shift tables, units, then
/// the locking and single language identifiers.
type Rank = (usize, u8, usize, u8, u8);

/// The 7-bit scheme for `chars`, if one fits: the default alphabet, or with national
/// languages enabled, the locking/single shift combination that needs the fewest parts (ties:
/// fewer shift tables, then fewer units, then the lower language identifiers).
fn gsm7_scheme<I>(chars: I, segmenter: &Segmenter, text: Option<&str>) -> Option<Scheme>
where
    I: Iterator<Item = char> + Clone,
{
    if segmenter.languages.is_empty() {
        return chars
            .clone()
            .all(|ch| default_septets(ch) != 0)
            .then_some(Scheme::Gsm7(ShiftTables::DEFAULT));
    }
    // A text of one-septet default characters needs no table search: no table makes any
    // character cheaper than one septet, and every table costs header space, so the default
    // tables give the fewest parts and win the tie on tables. This keeps plain text linear
    // in its length instead of one packing per language combination.
    if chars.clone().all(|ch| default_septets(ch) == 1) {
        return Some(Scheme::Gsm7(ShiftTables::DEFAULT));
    }
    search_tables(chars, segmenter, text)
}

/// The best locking/single shift combination for `chars` among the enabled languages, by
/// trying every combination that encodes all the characters.
fn search_tables<I>(chars: I, segmenter: &Segmenter, text: Option<&str>) -> Option<Scheme>
where
    I: Iterator<Item = char> + Clone,
{
    // Tables are numbered by national language identifier (0 = default), as in the generated
    // masks. feasible[l] has bit s set while locking table l with single table s encodes every
    // character seen so far; fixed-size arrays keep counting allocation-free.
    let enabled = segmenter.languages.bits();
    let singles = enabled | 1;
    let lockings = segmenter
        .languages
        .iter()
        .filter(|language| language.has_locking_table())
        .fold(1u16, |bits, language| bits | (1 << language.identifier()));
    let mut feasible = [0u16; TABLES];
    for (identifier, allowed) in feasible.iter_mut().enumerate() {
        if lockings & (1 << identifier) != 0 {
            *allowed = singles;
        }
    }
    for ch in chars.clone() {
        let (locking_mask, single_mask) = shift_masks(ch);
        let mut any = 0u16;
        for (identifier, allowed) in feasible.iter_mut().enumerate() {
            if locking_mask & (1 << identifier) == 0 {
                *allowed &= single_mask;
            }
            any |= *allowed;
        }
        if any == 0 {
            return None;
        }
    }
    let mut best: Option<(Rank, ShiftTables)> = None;
    for (locking_id, allowed) in feasible.iter().enumerate() {
        for single_id in 0..TABLES {
            if allowed & (1 << single_id) == 0 {
                continue;
            }
            let language = |identifier: usize| {
                u8::try_from(identifier)
                    .ok()
                    .and_then(Language::from_identifier)
            };
            let (locking, single) = (language(locking_id), language(single_id));
            let tables = ShiftTables::new(locking, single);
            let scheme = Scheme::Gsm7(tables);
            let packed = match text {
                Some(text) => pack_text(text, scheme, segmenter, ()),
                None => pack_chars(
                    chars.clone().map(|ch| (0, ch)),
                    scheme,
                    scheme.capacity(segmenter).part,
                    (),
                ),
            };
            let count = finish_count(packed, Encoding::Gsm7, tables, scheme.capacity(segmenter));
            let key = (
                count.parts,
                tables.information_elements(),
                count.units,
                locking.map_or(0, Language::identifier),
                single.map_or(0, Language::identifier),
            );
            if best.as_ref().is_none_or(|(best_key, _)| key < *best_key) {
                best = Some((key, tables));
            }
        }
    }
    best.map(|(_, tables)| Scheme::Gsm7(tables))
}

/// The scheme for `chars` under the segmenter's encoding choice, or `None` when GSM-7 was
/// forced and does not fit. `text` is the rewritten text when the split policy needs it.
fn choose_scheme<I>(chars: I, segmenter: &Segmenter, text: Option<&str>) -> Option<Scheme>
where
    I: Iterator<Item = char> + Clone,
{
    match segmenter.encoding {
        EncodingChoice::Ucs2 => Some(Scheme::Ucs2),
        EncodingChoice::Gsm7 => gsm7_scheme(chars, segmenter, text),
        EncodingChoice::Auto => Some(gsm7_scheme(chars, segmenter, text).unwrap_or(Scheme::Ucs2)),
    }
}

/// The error for a text that does not fit GSM-7 although it was forced: the characters no
/// enabled table has (or, when each has some table but no combination covers them all, the
/// characters outside the default alphabet).
fn not_gsm7(input: &str, segmenter: &Segmenter) -> Error {
    let enabled = segmenter.languages.bits() | 1;
    let stream = || Transliterated::new(input, segmenter);
    let mut characters: Vec<NonGsmChar> = stream()
        .filter(|mapped| {
            let (locking, single) = shift_masks(mapped.ch);
            (locking | single) & enabled == 0
        })
        .map(|mapped| NonGsmChar {
            offset: mapped.input_offset,
            ch: mapped.ch,
        })
        .collect();
    if characters.is_empty() {
        characters = non_gsm_chars(input, segmenter);
    }
    Error::NotGsm7 { characters }
}

/// Characters of the sent text outside the GSM-7 default alphabet, at their input offsets.
fn non_gsm_chars(input: &str, segmenter: &Segmenter) -> Vec<NonGsmChar> {
    let non_gsm = |&(_, ch): &(usize, char)| default_septets(ch) == 0;
    let found = |(offset, ch)| NonGsmChar { offset, ch };
    if !segmenter.rewrites_text() {
        return input.char_indices().filter(non_gsm).map(found).collect();
    }
    Transliterated::new(input, segmenter)
        .map(|mapped| (mapped.input_offset, mapped.ch))
        .filter(non_gsm)
        .map(found)
        .collect()
}

/// What the block-wise fast path found for a text.
enum FastPath {
    /// The options need the general path (grapheme clusters or national tables).
    NotApplicable,
    /// GSM-7 was forced and the text does not fit it.
    NotGsm7,
    /// The scheme and the count, from one pass.
    Counted(Scheme, Count),
}

/// The scheme and count under automatic choice: GSM-7 when it fits, else UCS-2.
fn auto_fast(text: &str, concatenation: Concatenation) -> (Scheme, Count) {
    match fast::count_gsm7(text, concatenation) {
        Some(count) => (Scheme::Gsm7(ShiftTables::DEFAULT), count),
        None => (Scheme::Ucs2, fast::count_ucs2(text, concatenation)),
    }
}

/// Chooses the scheme and counts `text` (already rewritten) in one block-wise pass, when the
/// options allow it: standard split points and no national tables.
fn fast_path(text: &str, segmenter: &Segmenter) -> FastPath {
    if segmenter.split_policy != SplitPolicy::Standard || !segmenter.languages.is_empty() {
        return FastPath::NotApplicable;
    }
    let concatenation = segmenter.concatenation;
    let found = match segmenter.encoding {
        EncodingChoice::Auto => Some(auto_fast(text, concatenation)),
        EncodingChoice::Gsm7 => fast::count_gsm7(text, concatenation)
            .map(|count| (Scheme::Gsm7(ShiftTables::DEFAULT), count)),
        EncodingChoice::Ucs2 => Some((Scheme::Ucs2, fast::count_ucs2(text, concatenation))),
    };
    found.map_or(FastPath::NotGsm7, |(scheme, count)| {
        FastPath::Counted(scheme, count)
    })
}

/// Counts `input` with the segmenter's options.
pub(crate) fn count(input: &str, segmenter: &Segmenter) -> Result<Count, Error> {
    if !segmenter.rewrites_text() {
        match fast_path(input, segmenter) {
            FastPath::Counted(_, count) => return Ok(count),
            FastPath::NotGsm7 => return Err(not_gsm7(input, segmenter)),
            FastPath::NotApplicable => {}
        }
    }
    if segmenter.split_policy == SplitPolicy::Standard {
        // Stream the rewritten characters: nothing is allocated.
        let chars = Transliterated::new(input, segmenter).map(|mapped| mapped.ch);
        let scheme = choose_scheme(chars.clone(), segmenter, None)
            .ok_or_else(|| not_gsm7(input, segmenter))?;
        let capacity = scheme.capacity(segmenter);
        let packed = pack_chars(chars.map(|ch| (0, ch)), scheme, capacity.part, ());
        return Ok(finish_count(
            packed,
            scheme.encoding(),
            scheme.shift_tables(),
            capacity,
        ));
    }
    // Grapheme clusters are only defined on the text itself: build it when it is rewritten.
    let text: Cow<'_, str> = if segmenter.rewrites_text() {
        rewrite(input, segmenter).0
    } else {
        Cow::Borrowed(input)
    };
    let scheme = choose_scheme(text.chars(), segmenter, Some(&text))
        .ok_or_else(|| not_gsm7(input, segmenter))?;
    let packed = pack_text(&text, scheme, segmenter, ());
    Ok(finish_count(
        packed,
        scheme.encoding(),
        scheme.shift_tables(),
        scheme.capacity(segmenter),
    ))
}

/// Splits `input` with the segmenter's options.
pub(crate) fn split<'a>(input: &'a str, segmenter: &Segmenter) -> Result<Segmentation<'a>, Error> {
    let (text, substitutions) = if segmenter.rewrites_text() {
        rewrite(input, segmenter)
    } else {
        (Cow::Borrowed(input), Vec::new())
    };
    split_rewritten(input, text, substitutions, segmenter)
}

/// Splits `input` like [`split`], counting the substitutions per character instead of listing
/// them: memory grows with the distinct replaced characters, not with the replacements.
pub(crate) fn split_tallied<'a>(
    input: &'a str,
    segmenter: &Segmenter,
) -> Result<(Segmentation<'a>, Vec<SubstitutionTally>), Error> {
    let mut tally: Vec<SubstitutionTally> = Vec::new();
    let mut index: std::collections::HashMap<(char, &'static str), usize> =
        std::collections::HashMap::new();
    let text = if segmenter.rewrites_text() {
        rewrite_with(input, segmenter, &mut |substitution| {
            let to: &'static str = match substitution.to {
                Cow::Borrowed(to) => to,
                // Rules only hand out static replacements; an owned one is never seen.
                Cow::Owned(_) => "",
            };
            match index.entry((substitution.from, to)) {
                std::collections::hash_map::Entry::Occupied(slot) => {
                    if let Some(entry) = tally.get_mut(*slot.get()) {
                        entry.occurrences += 1;
                    }
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(tally.len());
                    tally.push(SubstitutionTally {
                        from: substitution.from,
                        to: substitution.to,
                        first_offset: substitution.input_offset,
                        occurrences: 1,
                    });
                }
            }
        })
    } else {
        Cow::Borrowed(input)
    };
    let split = split_rewritten(input, text, Vec::new(), segmenter)?;
    Ok((split, tally))
}

/// Splits the rewritten `text` of `input`.
fn split_rewritten<'a>(
    input: &'a str,
    text: Cow<'a, str>,
    substitutions: Vec<Substitution>,
    segmenter: &Segmenter,
) -> Result<Segmentation<'a>, Error> {
    let (scheme, count) = match fast_path(&text, segmenter) {
        FastPath::Counted(scheme, count) => (scheme, Some(count)),
        FastPath::NotGsm7 => return Err(not_gsm7(input, segmenter)),
        FastPath::NotApplicable => {
            let grapheme_text =
                (segmenter.split_policy == SplitPolicy::Graphemes).then_some(&*text);
            let scheme = choose_scheme(text.chars(), segmenter, grapheme_text)
                .ok_or_else(|| not_gsm7(input, segmenter))?;
            (scheme, None)
        }
    };
    Ok(split_with(
        input,
        text,
        substitutions,
        scheme,
        count,
        segmenter,
    ))
}

/// Counts `input` with the standard options (which cannot fail), without allocating.
pub(crate) fn count_standard(input: &str) -> Count {
    auto_fast(input, Concatenation::default()).1
}

/// Splits `input` with the standard options (which cannot fail).
pub(crate) fn split_standard(input: &str) -> Segmentation<'_> {
    let segmenter = Segmenter::new();
    let (scheme, count) = auto_fast(input, segmenter.concatenation);
    split_with(
        input,
        Cow::Borrowed(input),
        Vec::new(),
        scheme,
        Some(count),
        &segmenter,
    )
}

/// The whole text as one part.
fn whole(text: &str, units: usize) -> Vec<Part> {
    vec![Part {
        range: 0..text.len(),
        units,
    }]
}

/// Units, parts and units left of `text` packed into parts with their boundaries.
fn split_parts(
    text: &str,
    scheme: Scheme,
    segmenter: &Segmenter,
    capacity: Capacity,
) -> (usize, Vec<Part>, usize) {
    let packed = pack_text(text, scheme, segmenter, PartList::default());
    let units = packed.total;
    if units <= capacity.single {
        return (units, whole(text, units), capacity.single - units);
    }
    let remaining = packed.capacity - packed.last_fill;
    let parts = packed
        .sink
        .finish(text.len(), packed.last_fill)
        .into_iter()
        .map(|(range, units)| Part { range, units })
        .collect();
    (units, parts, remaining)
}

/// Splits the rewritten `text` of `input` in the chosen scheme (`count` when the fast path
/// already counted it).
fn split_with<'a>(
    input: &str,
    text: Cow<'a, str>,
    substitutions: Vec<Substitution>,
    scheme: Scheme,
    count: Option<Count>,
    segmenter: &Segmenter,
) -> Segmentation<'a> {
    let capacity = scheme.capacity(segmenter);
    let (units, parts, remaining) = match count {
        // Most messages fit one part: no need to look for part boundaries.
        Some(count) if count.parts == 1 => {
            (count.units, whole(&text, count.units), count.remaining)
        }
        _ => split_parts(&text, scheme, segmenter, capacity),
    };
    let extra_parts_for_graphemes = match segmenter.split_policy {
        SplitPolicy::Standard => 0,
        SplitPolicy::Graphemes => {
            let standard = segmenter.with_split_policy(SplitPolicy::Standard);
            let packed = pack_text(&text, scheme, &standard, ());
            let standard_count =
                finish_count(packed, scheme.encoding(), scheme.shift_tables(), capacity);
            parts.len().saturating_sub(standard_count.parts)
        }
    };
    let non_gsm = match scheme {
        Scheme::Ucs2 => non_gsm_chars(input, segmenter),
        Scheme::Gsm7(_) => Vec::new(),
    };
    Segmentation {
        text,
        encoding: scheme.encoding(),
        shift_tables: scheme.shift_tables(),
        units,
        parts,
        remaining,
        non_gsm,
        substitutions,
        extra_parts_for_graphemes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tallied_split_agrees_with_the_listed_one() {
        use crate::options::{LineEndings, Transliteration};
        let segmenter = Segmenter::new()
            .with_transliteration(Transliteration::FoldAccents)
            .with_line_endings(LineEndings::Lf);
        for text in [
            "",
            "plain",
            "\u{2019}a\u{2019}\u{201c}\u{2019}ç\r\n\u{2026}",
            "Żółć \u{2014} 漢字 \u{2019}\u{2019}",
        ] {
            let listed = split(text, &segmenter).unwrap();
            let (tallied, tally) = split_tallied(text, &segmenter).unwrap();
            assert!(tallied.substitutions.is_empty());
            assert_eq!(tally, listed.substitution_tally(), "{text:?}");
            assert_eq!(
                (
                    tallied.text.as_ref(),
                    tallied.units,
                    &tallied.parts,
                    tallied.encoding
                ),
                (
                    listed.text.as_ref(),
                    listed.units,
                    &listed.parts,
                    listed.encoding
                )
            );
        }
    }
    use crate::charset::LanguageSet;

    #[test]
    fn every_language_can_be_chosen_among_all() {
        let all = Segmenter::new()
            .with_encoding(EncodingChoice::Gsm7)
            .with_languages(LanguageSet::of(Language::ALL));
        for language in Language::ALL {
            // A character that only this language's tables hold (not the default
            // alphabet either), so no other choice encodes it.
            let Some(&(ch, _, _)) = crate::tables::SHIFT_MASKS
                .iter()
                .find(|&&(_, locking, single)| locking | single == language.mask_bit())
            else {
                continue;
            };
            let tables = split(&ch.to_string(), &all).unwrap().shift_tables;
            assert!(
                tables.locking == Some(language) || tables.single == Some(language),
                "{ch:?} of {language} chose {tables:?}"
            );
        }
        // The last language's tables are searched too.
        assert!(
            crate::tables::SHIFT_MASKS
                .iter()
                .any(|&(_, locking, single)| locking | single == Language::Urdu.mask_bit())
        );
    }

    #[test]
    fn plain_text_skips_the_search_with_the_same_choice() {
        let all = Segmenter::new().with_languages(LanguageSet::of(Language::ALL));
        let graphemes = all.with_split_policy(SplitPolicy::Graphemes);
        let mut texts: Vec<String> = [0, 1, 70, 155, 159, 160, 161, 305, 306, 307, 460]
            .iter()
            .map(|&length| "a".repeat(length))
            .collect();
        texts.push("Hello @ £5 ÆØÅ äöüñ à é ù ì ò Ç Δ_ΦΓΛΩΠΨΣΘΞ\n¡¿§".repeat(12));
        for text in &texts {
            assert!(text.chars().all(crate::is_gsm7_basic));
            for segmenter in [&all, &graphemes] {
                let grapheme_text =
                    (segmenter.split_policy == SplitPolicy::Graphemes).then_some(text.as_str());
                // The exhaustive search agrees with the shortcut.
                assert_eq!(
                    search_tables(text.chars(), segmenter, grapheme_text),
                    Some(Scheme::Gsm7(ShiftTables::DEFAULT)),
                    "{} characters",
                    text.chars().count()
                );
                assert_eq!(
                    gsm7_scheme(text.chars(), segmenter, grapheme_text),
                    Some(Scheme::Gsm7(ShiftTables::DEFAULT))
                );
            }
        }
    }
}
