//! Behaviour of the public types that the conformance vectors do not reach: how errors list
//! characters, how languages and currencies print, set and table equality, and that a text
//! sent as given is borrowed, not copied.

use std::borrow::Cow;

use smskit_segment::{
    Currency, EncodingChoice, Error, Language, LanguageSet, Money, PriceTable, Segmenter,
};

fn not_gsm7_message(text: &str) -> String {
    let forced = Segmenter::new().with_encoding(EncodingChoice::Gsm7);
    match forced.count(text) {
        Err(error @ Error::NotGsm7 { .. }) => error.to_string(),
        other => panic!("{text:?} gave {other:?}"),
    }
}

#[test]
fn a_not_gsm7_error_names_one_character_without_a_separator() {
    assert_eq!(
        not_gsm7_message("a😀"),
        "text is not GSM-7: '😀' (U+1F600) at byte 1"
    );
}

#[test]
fn a_not_gsm7_error_lists_five_characters_then_counts_the_rest() {
    assert_eq!(
        not_gsm7_message("漢字ひらが"),
        "text is not GSM-7: '漢' (U+6F22) at byte 0, '字' (U+5B57) at byte 3, \
         'ひ' (U+3072) at byte 6, 'ら' (U+3089) at byte 9, 'が' (U+304C) at byte 12"
    );
    assert_eq!(
        not_gsm7_message("漢字ひらがな"),
        "text is not GSM-7: '漢' (U+6F22) at byte 0, '字' (U+5B57) at byte 3, \
         'ひ' (U+3072) at byte 6, 'ら' (U+3089) at byte 9, 'が' (U+304C) at byte 12 \
         and 1 more"
    );
    assert!(not_gsm7_message("漢字ひらがなカタ").ends_with(" and 3 more"));
}

#[test]
fn a_language_prints_as_its_name() {
    for language in Language::ALL {
        assert_eq!(language.to_string(), language.name());
    }
    assert_eq!(Language::Turkish.to_string(), "Turkish");
}

#[test]
fn adding_a_language_twice_keeps_it() {
    let set = LanguageSet::EMPTY
        .with(Language::Spanish)
        .with(Language::Spanish);
    assert!(set.contains(Language::Spanish));
    assert_eq!(set, LanguageSet::of([Language::Spanish]));
    assert_eq!(
        LanguageSet::of([Language::Urdu, Language::Urdu])
            .iter()
            .count(),
        1
    );
}

#[test]
fn a_currency_debugs_with_its_code() {
    let euro = Currency::new("EUR").unwrap();
    assert_eq!(format!("{euro:?}"), "Currency(EUR)");
    let price = Money::from_micros(75_200, euro);
    assert!(format!("{price:?}").contains("Currency(EUR)"));
}

#[test]
fn price_tables_are_equal_only_with_the_same_currency_and_prices() {
    let euro = Currency::new("EUR").unwrap();
    let dollar = Currency::new("USD").unwrap();
    let table = |currency: Currency, entries: &[(&str, i64)]| {
        let mut table = PriceTable::new(currency);
        for &(prefix, micros) in entries {
            table
                .insert(prefix, Money::from_micros(micros, currency))
                .unwrap();
        }
        table
    };
    let base = table(euro, &[("32", 70_000), ("33", 65_000)]);
    assert_eq!(base, table(euro, &[("33", 65_000), ("32", 70_000)]));
    assert_ne!(base, table(dollar, &[("32", 70_000), ("33", 65_000)]));
    assert_ne!(base, table(euro, &[("32", 70_000), ("33", 65_001)]));
    assert_ne!(base, table(euro, &[("32", 70_000)]));
    assert_ne!(table(euro, &[]), table(dollar, &[]));
    assert_eq!(table(euro, &[]), table(euro, &[]));
    assert!(table(euro, &[]).is_empty());
    assert!(!base.is_empty());
}

#[test]
fn a_text_sent_as_given_is_borrowed() {
    let text = String::from("Hello, this text needs no rewriting");
    let split = Segmenter::new().split(&text).unwrap();
    assert!(matches!(split.text, Cow::Borrowed(_)));
    assert_eq!(split.text, text);
}

#[test]
fn transliteration_off_replaces_nothing() {
    use smskit_segment::{Transliteration, gsm7_replacement};
    assert_eq!(gsm7_replacement('’', Transliteration::Off), None);
    assert_eq!(gsm7_replacement('ş', Transliteration::Off), None);
    assert_eq!(gsm7_replacement('’', Transliteration::Smart), Some("'"));
}

#[test]
fn a_character_of_an_enabled_single_shift_table_is_kept_as_written() {
    use smskit_segment::Transliteration;
    // Spanish has a single shift table only (no locking table): 'á' is in it.
    let spanish = Segmenter::new()
        .with_transliteration(Transliteration::FoldAccents)
        .with_languages(LanguageSet::of([Language::Spanish]));
    let split = spanish.split("Mañana á las 5").unwrap();
    assert_eq!(split.text, "Mañana á las 5");
    assert_eq!(split.shift_tables.single, Some(Language::Spanish));
    // Without the language the accent is folded.
    let folded = Segmenter::new()
        .with_transliteration(Transliteration::FoldAccents)
        .split("á")
        .unwrap();
    assert_eq!(folded.text, "a");
}

#[test]
fn encodings_name_themselves_and_their_units() {
    use smskit_segment::Encoding;
    assert_eq!(Encoding::Gsm7.to_string(), "GSM-7");
    assert_eq!(Encoding::Ucs2.to_string(), "UCS-2");
    assert_eq!(Encoding::Gsm7.unit_name(), "septets");
    assert_eq!(Encoding::Ucs2.unit_name(), "UTF-16 units");
}
