//! Property tests: the invariants of the spec (see `fuzz/checks/segment.rs`) on random texts
//! built to hit the hard cases (extension characters, surrogate pairs, clusters, CR LF,
//! national letters, transliterable characters) with random options.

#[path = "../../../fuzz/checks/segment.rs"]
mod checks;

use proptest::prelude::*;
use smskit_segment::{Segmenter, count, split};

/// Characters grouped so every kind of atom shows up often.
const POOL: &[&str] = &[
    "a",
    "b",
    " ",
    ".",
    "0",
    "é",
    "Ø",
    "Δ",
    "\n",
    "\r\n",
    "\r",
    "€",
    "[",
    "]",
    "^",
    "\u{c}",
    "|",
    "ç",
    "ş",
    "ğ",
    "İ",
    "ã",
    "न",
    "म",
    "्",
    "’",
    "“",
    "—",
    "…",
    "\u{a0}",
    "\t",
    "\u{200b}",
    "`",
    "\u{1b}",
    "😀",
    "👍🏽",
    "🇧🇪",
    "👨‍👩‍👧",
    "e\u{301}",
    "ж",
    "中",
    "\u{ff21}",
    "Ł",
    "α",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        // Short and boundary-length texts from the pool.
        prop::collection::vec(prop::sample::select(POOL), 0..200)
            .prop_map(|pieces| pieces.concat()),
        // Long runs of one atom kind around the part boundaries.
        (prop::sample::select(POOL), 60usize..320).prop_map(|(piece, n)| piece.repeat(n)),
        // Plain text with one special atom at a random position.
        (0usize..330, prop::sample::select(POOL), 0usize..10).prop_map(
            |(before, piece, after)| format!("{}{piece}{}", "a".repeat(before), "b".repeat(after))
        ),
        // Anything at all.
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold_with_any_options(text in text(), flags: u8, languages: u8) {
        checks::check_segmentation(&text, &checks::segmenter_from(flags, languages));
    }

    #[test]
    fn standard_count_equals_standard_split(text in text()) {
        checks::check_segmentation(&text, &Segmenter::new());
        prop_assert_eq!(count(&text), split(&text).count());
    }

    #[test]
    fn count_is_monotonic_in_appended_text(text in text(), extra in text()) {
        // Appending never reduces the units; parts only grow when encoding does not change.
        let shorter = count(&text);
        let longer = count(&format!("{text}{extra}"));
        if shorter.encoding == longer.encoding {
            prop_assert!(longer.units >= shorter.units);
            prop_assert!(longer.parts >= shorter.parts);
        }
    }
}
