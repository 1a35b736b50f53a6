//! Invariants of smskit-segment on any text with any options. Shared by the `segment` fuzz
//! target and by `crates/smskit-segment/tests/` (fuzz regressions and property tests).

#![allow(
    dead_code,
    unreachable_pub,
    reason = "each includer uses part of the checks"
)]

use smskit_segment::{
    Concatenation, Encoding, EncodingChoice, Error, Language, LanguageSet, LineEndings,
    Segmentation, Segmenter, ShiftTables, SplitPolicy, Transliteration, is_gsm7,
};
use unicode_segmentation::UnicodeSegmentation;

/// Options from two bytes: every combination is reachable.
pub fn segmenter_from(flags: u8, languages: u8) -> Segmenter {
    let encoding = match flags & 0b11 {
        0 | 3 => EncodingChoice::Auto,
        1 => EncodingChoice::Gsm7,
        _ => EncodingChoice::Ucs2,
    };
    let concatenation = if flags & 0b100 == 0 {
        Concatenation::Reference8Bit
    } else {
        Concatenation::Reference16Bit
    };
    let split_policy = if flags & 0b1000 == 0 {
        SplitPolicy::Standard
    } else {
        SplitPolicy::Graphemes
    };
    let transliteration = match (flags >> 4) & 0b11 {
        0 | 3 => Transliteration::Off,
        1 => Transliteration::Smart,
        _ => Transliteration::FoldAccents,
    };
    let line_endings = if flags & 0b100_0000 == 0 {
        LineEndings::Keep
    } else {
        LineEndings::Lf
    };
    // Two languages at most keeps the combination search fast under fuzzing.
    let mut set = LanguageSet::EMPTY;
    if flags & 0b1000_0000 != 0 {
        let all = Language::ALL;
        set = set.with(all[usize::from(languages & 0x0F) % all.len()]);
        set = set.with(all[usize::from(languages >> 4) % all.len()]);
    }
    Segmenter::new()
        .with_encoding(encoding)
        .with_concatenation(concatenation)
        .with_split_policy(split_policy)
        .with_transliteration(transliteration)
        .with_line_endings(line_endings)
        .with_languages(set)
}

/// The fuzz entry point: two option bytes, then the text (invalid UTF-8 replaced).
pub fn check(data: &[u8]) {
    let (flags, languages, text) = match data {
        [flags, languages, rest @ ..] => (*flags, *languages, rest),
        _ => (0, 0, data),
    };
    let text = String::from_utf8_lossy(text);
    check_segmentation(&text, &segmenter_from(flags, languages));
    check_segmentation(&text, &Segmenter::new());
}

/// (single-message, per-part) capacity, derived independently from TS 23.040: 140 octets of
/// user data minus the header (length octet + concatenation element of 5 or 6 octets + 3
/// octets per shift table), padded to septets in GSM-7.
fn capacities(
    encoding: Encoding,
    tables: ShiftTables,
    concatenation: Concatenation,
) -> (usize, usize) {
    let concat = match concatenation {
        Concatenation::Reference8Bit => 5,
        _ => 6,
    };
    let shift = 3 * usize::from(tables.information_elements());
    match encoding {
        Encoding::Gsm7 => {
            let septets = |octets: usize| {
                if octets == 0 {
                    0
                } else {
                    ((1 + octets) * 8).div_ceil(7)
                }
            };
            (160 - septets(shift), 160 - septets(concat + shift))
        }
        _ => (70, (140 - 1 - concat) / 2),
    }
}

fn cost(ch: char, split: &Segmentation<'_>) -> usize {
    match split.encoding {
        Encoding::Gsm7 => usize::from(
            split
                .shift_tables
                .septets(ch)
                .unwrap_or_else(|| panic!("{ch:?} is not encodable in {:?}", split.shift_tables)),
        ),
        _ => ch.len_utf16(),
    }
}

/// Every invariant the spec states, for one text and one segmenter.
pub fn check_segmentation(input: &str, segmenter: &Segmenter) {
    let split = match segmenter.split(input) {
        Ok(split) => split,
        Err(Error::NotGsm7 { characters }) => {
            assert_eq!(segmenter.encoding(), EncodingChoice::Gsm7);
            assert!(!characters.is_empty());
            for character in &characters {
                assert!(input[character.offset..].starts_with(character.ch));
            }
            assert!(segmenter.count(input).is_err());
            return;
        }
        Err(other) => panic!("unexpected error {other}"),
    };
    let count = segmenter.count(input).expect("count agrees with split");
    assert_eq!(count, split.count(), "count-only equals the full split");

    let text: &str = &split.text;
    if segmenter.transliteration() == Transliteration::Off
        && segmenter.line_endings() == LineEndings::Keep
    {
        assert_eq!(text, input);
        assert!(split.substitutions.is_empty());
    }

    // The parts tile the text, on character boundaries, and concatenate back to it.
    assert!(!split.parts.is_empty());
    let mut at = 0;
    for part in &split.parts {
        assert_eq!(part.range.start, at);
        assert!(
            text.get(part.range.clone()).is_some(),
            "part cut inside a character"
        );
        at = part.range.end;
    }
    assert_eq!(at, text.len());
    assert_eq!(split.part_texts().collect::<String>(), text);

    // Units: each part's units are its characters' costs, so no escape sequence or surrogate
    // pair is split; none over capacity; single part iff the whole fits one message.
    let (single, per_part) = capacities(
        split.encoding,
        split.shift_tables,
        segmenter.concatenation(),
    );
    let part_costs: Vec<usize> = split
        .part_texts()
        .map(|part| part.chars().map(|ch| cost(ch, &split)).sum())
        .collect();
    for (part, units) in split.parts.iter().zip(&part_costs) {
        assert_eq!(part.units, *units);
    }
    assert_eq!(split.units, part_costs.iter().sum::<usize>());
    assert_eq!(split.parts.len() == 1, split.units <= single);
    let capacity = if split.parts.len() == 1 {
        single
    } else {
        per_part
    };
    for units in &part_costs {
        assert!(
            *units <= capacity,
            "part of {units} units over capacity {capacity}"
        );
    }
    assert_eq!(
        split.remaining,
        capacity - part_costs.last().copied().unwrap_or(0)
    );

    // Greedy packing: a part closes only when the next atom does not fit.
    if split.parts.len() > 1 {
        let clusters: Vec<(usize, &str)> = text.grapheme_indices(true).collect();
        for (index, window) in split.parts.windows(2).enumerate() {
            let next = &text[window[1].range.clone()];
            let boundary = window[1].range.start;
            let atom = match segmenter.split_policy() {
                SplitPolicy::Graphemes => {
                    let cluster = clusters
                        .iter()
                        .find(|(start, cluster)| {
                            *start <= boundary && boundary < start + cluster.len()
                        })
                        .map(|(start, cluster)| (*start, *cluster))
                        .expect("boundary inside the text");
                    let cluster_cost: usize = cluster.1.chars().map(|ch| cost(ch, &split)).sum();
                    if cluster.0 != boundary {
                        assert!(
                            cluster_cost > per_part,
                            "grapheme cluster cut although it fits a part"
                        );
                    }
                    if cluster.0 == boundary && cluster_cost <= per_part {
                        cluster_cost
                    } else {
                        next.chars().next().map_or(0, |ch| cost(ch, &split))
                    }
                }
                _ => next.chars().next().map_or(0, |ch| cost(ch, &split)),
            };
            assert!(
                part_costs[index] + atom > per_part,
                "part {index} closed early"
            );
        }
    }

    // Encoding choice.
    match (split.encoding, segmenter.encoding()) {
        (Encoding::Gsm7, EncodingChoice::Ucs2) => panic!("UCS-2 was forced"),
        (Encoding::Ucs2, EncodingChoice::Gsm7) => panic!("GSM-7 was forced"),
        (Encoding::Ucs2, EncodingChoice::Auto) => {
            assert!(!text.chars().all(is_gsm7), "a GSM-7 text was sent as UCS-2");
        }
        _ => {}
    }
    if split.encoding == Encoding::Gsm7 && segmenter.languages().is_empty() {
        assert!(split.shift_tables.is_default());
    }

    // Reports point at what they describe.
    if split.encoding == Encoding::Ucs2 {
        assert_eq!(
            split.non_gsm.len(),
            text.chars().filter(|ch| !is_gsm7(*ch)).count()
        );
        for character in &split.non_gsm {
            assert!(input[character.offset..].starts_with(character.ch));
            assert!(!is_gsm7(character.ch));
        }
    } else {
        assert!(split.non_gsm.is_empty());
    }
    for substitution in &split.substitutions {
        assert!(input[substitution.input_offset..].starts_with(substitution.from));
        assert!(text[substitution.output_offset..].starts_with(&*substitution.to));
    }
    // The tallies group the reports without losing or inventing an occurrence.
    let non_gsm_tally = split.non_gsm_tally();
    assert_eq!(
        non_gsm_tally
            .iter()
            .map(|entry| entry.occurrences)
            .sum::<usize>(),
        split.non_gsm.len()
    );
    for (index, entry) in non_gsm_tally.iter().enumerate() {
        let first = split
            .non_gsm
            .iter()
            .find(|character| character.ch == entry.ch)
            .expect("a tallied character occurs");
        assert_eq!(entry.first_offset, first.offset);
        assert!(
            non_gsm_tally[..index]
                .iter()
                .all(|other| other.ch != entry.ch)
        );
    }
    let substitution_tally = split.substitution_tally();
    assert_eq!(
        substitution_tally
            .iter()
            .map(|entry| entry.occurrences)
            .sum::<usize>(),
        split.substitutions.len()
    );
    for entry in &substitution_tally {
        let matching = |substitution: &&smskit_segment::Substitution| {
            substitution.from == entry.from && substitution.to == entry.to
        };
        assert_eq!(
            split.substitutions.iter().filter(matching).count(),
            entry.occurrences
        );
        let first = split.substitutions.iter().find(matching).expect("occurs");
        assert_eq!(entry.first_offset, first.input_offset);
    }
    // With national tables the two policies may pick different tables; compare without.
    if segmenter.languages().is_empty() {
        assert_eq!(
            split.extra_parts_for_graphemes,
            split
                .parts
                .len()
                .saturating_sub(count_standard(input, segmenter))
        );
    }
}

fn count_standard(input: &str, segmenter: &Segmenter) -> usize {
    segmenter
        .with_split_policy(SplitPolicy::Standard)
        .count(input)
        .map_or(0, |count| count.parts)
}
