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

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Parsing is exact on every representable amount and refuses, never wraps, the rest.
    #[test]
    fn money_parse_is_exact_or_refuses(whole in 0u64..=u64::MAX, fraction in 0u32..1_000_000) {
        use smskit_segment::{Currency, Money};
        let eur = Currency::new("EUR").unwrap();
        let text = format!("{whole}.{fraction:06}");
        let exact = i128::from(whole) * 1_000_000 + i128::from(fraction);
        match Money::parse(&text, eur) {
            Ok(money) => prop_assert_eq!(i128::from(money.micros()), exact),
            Err(_) => prop_assert!(exact > i128::from(i64::MAX), "{} refused", text),
        }
    }

    /// A product or sum is the exact one, or an error: never a wrapped amount.
    #[test]
    fn money_arithmetic_is_exact_or_refuses(a in 0i64..=i64::MAX, b in 0i64..=i64::MAX, n: u32) {
        use smskit_segment::{Currency, Money};
        let usd = Currency::new("USD").unwrap();
        let (a_money, b_money) = (Money::from_micros(a, usd), Money::from_micros(b, usd));
        match a_money.checked_add(b_money) {
            Ok(sum) => prop_assert_eq!(i128::from(sum.micros()), i128::from(a) + i128::from(b)),
            Err(_) => prop_assert!(i128::from(a) + i128::from(b) > i128::from(i64::MAX)),
        }
        let count = usize::try_from(n).unwrap();
        match a_money.checked_mul(count) {
            Ok(product) => {
                prop_assert_eq!(i128::from(product.micros()), i128::from(a) * i128::from(n));
            }
            Err(_) => prop_assert!(i128::from(a) * i128::from(n) > i128::from(i64::MAX)),
        }
    }
}

proptest! {
    /// The longest matching prefix is the one a scan of every prefix finds, whatever the order
    /// the rows came in.
    #[test]
    fn longest_prefix_is_the_longest_match(
        prefixes in prop::collection::vec("[0-9]{1,4}", 1..40),
        number in "[0-9]{1,15}",
    ) {
        use smskit_segment::PriceTable;
        let mut csv = String::new();
        let mut seen = std::collections::BTreeMap::new();
        for (index, prefix) in prefixes.iter().enumerate() {
            if !seen.contains_key(prefix) {
                seen.insert(prefix.clone(), index);
                csv.push_str(&format!("{prefix},0.{index:06},EUR\n"));
            }
        }
        let table = PriceTable::from_csv(&csv).unwrap();
        let expected = seen
            .iter()
            .filter(|(prefix, _)| number.starts_with(prefix.as_str()))
            .max_by_key(|(prefix, _)| prefix.len())
            .map(|(prefix, &index)| (prefix.clone(), i64::try_from(index).unwrap()));
        let found = table
            .longest_prefix(&format!("+{number}"))
            .ok()
            .map(|(prefix, price)| (prefix.to_owned(), price.micros()));
        prop_assert_eq!(found, expected);
    }
}
