//! The generated tables agree with the committed data they were generated from
//! (`testdata/gsm-national-language-tables.json`, `testdata/twilio-smart-encoding.json`).

use serde_json::Value;

use crate::charset::{Language, ShiftTables, default_septets, is_gsm7, shift_masks};
use crate::tables::{FOLD, SHIFT_MASKS, SMART};

fn languages() -> serde_json::Map<String, Value> {
    let data: Value = serde_json::from_str(include_str!(
        "../testdata/gsm-national-language-tables.json"
    ))
    .unwrap();
    data["languages"].as_object().unwrap().clone()
}

fn table_chars(table: &Value) -> Vec<char> {
    table
        .as_object()
        .map(|map| {
            map.values()
                .map(|text| {
                    let mut chars = text.as_str().unwrap().chars();
                    let ch = chars.next().unwrap();
                    assert!(chars.next().is_none());
                    ch
                })
                .collect()
        })
        .unwrap_or_default()
}

fn tables_for(name: &str) -> (Option<Language>, u8) {
    if name == "default" {
        return (None, 0);
    }
    let language = Language::ALL
        .into_iter()
        .find(|language| language.name().eq_ignore_ascii_case(name))
        .unwrap();
    (Some(language), language.identifier())
}

#[test]
fn every_table_character_costs_what_the_standard_says() {
    let languages = languages();
    assert_eq!(languages.len(), 14);
    let mut listed = 0;
    for (name, language) in &languages {
        let (which, identifier) = tables_for(name);
        assert_eq!(language["id"].as_u64().unwrap(), u64::from(identifier));
        let locking = table_chars(&language["locking"]);
        let single = table_chars(&language["single"]);
        if let Some(language) = which {
            assert_eq!(locking.is_empty(), !language.has_locking_table());
        }
        for ch in &locking {
            let bit = 1 << identifier;
            assert!(shift_masks(*ch).0 & bit != 0, "{name} locking {ch:?}");
            let tables = ShiftTables::new(which, None);
            assert_eq!(tables.cost(*ch), 1, "{name} locking {ch:?}");
        }
        for ch in &single {
            assert!(
                shift_masks(*ch).1 & (1 << identifier) != 0,
                "{name} single {ch:?}"
            );
            let tables = ShiftTables::new(if locking.is_empty() { None } else { which }, which);
            let expected =
                if locking.contains(ch) || (locking.is_empty() && default_septets(*ch) == 1) {
                    1
                } else {
                    2
                };
            assert_eq!(tables.cost(*ch), expected, "{name} single {ch:?}");
        }
        // Some tables list a character at two codes (Kannada ಪ, the Indic `*` and `¡`).
        let distinct = |chars: &[char]| {
            chars
                .iter()
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        };
        listed += distinct(&locking) + distinct(&single);
        if name == "default" {
            assert_eq!((locking.len(), single.len()), (127, 10));
            for ch in &locking {
                assert_eq!(default_septets(*ch), 1, "{ch:?}");
            }
            for ch in &single {
                assert_eq!(default_septets(*ch), 2, "{ch:?}");
            }
        }
    }
    // Nothing in the generated masks that the data does not list.
    let mask_bits: usize = SHIFT_MASKS
        .iter()
        .map(|(_, locking, single)| (locking.count_ones() + single.count_ones()) as usize)
        .sum();
    assert_eq!(mask_bits, listed);
}

#[test]
fn smart_substitutions_are_the_271_of_the_data() {
    let data: Value =
        serde_json::from_str(include_str!("../testdata/twilio-smart-encoding.json")).unwrap();
    let map = data["map"].as_object().unwrap();
    assert_eq!(map.len(), 271);
    assert_eq!(SMART.len(), 271);
    for (key, value) in map {
        let code = u32::from_str_radix(key.trim_start_matches("U+"), 16).unwrap();
        let ch = char::from_u32(code).unwrap();
        let index = SMART.binary_search_by_key(&ch, |&(c, _)| c).unwrap();
        assert_eq!(SMART[index].1, value.as_str().unwrap(), "{key}");
        assert!(!is_gsm7(ch), "{key} is GSM-7 already");
        assert!(
            SMART[index].1.chars().all(is_gsm7),
            "{key} maps outside GSM-7"
        );
    }
}

#[test]
fn accent_folds_lead_from_non_gsm_letters_to_gsm_basic_letters() {
    assert!(FOLD.len() > 500);
    assert!(FOLD.windows(2).all(|pair| pair[0].0 < pair[1].0));
    for (from, to) in FOLD {
        assert!(!is_gsm7(from), "{from:?}");
        assert!(!to.is_empty());
        assert!(
            to.chars().all(|ch| default_septets(ch) == 1),
            "{from:?} -> {to:?}"
        );
        assert!(SMART.binary_search_by_key(&from, |&(c, _)| c).is_err());
    }
}
