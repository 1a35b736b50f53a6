//! Conformance of the options (`testdata/options.json`): concatenation reference, forced
//! encodings, grapheme policy, transliteration, line endings and national shift tables. Each
//! case says why it holds; the expectations were derived by hand from TS 23.038/23.040 and the
//! shift tables of `testdata/gsm-national-language-tables.json`.

use serde_json::Value;
use smskit_segment::{Encoding, Error, Language, Segmenter};

fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Array(pieces) => pieces
            .iter()
            .map(|piece| {
                piece[0]
                    .as_str()
                    .unwrap()
                    .repeat(piece[1].as_u64().unwrap() as usize)
            })
            .collect(),
        other => panic!("bad text {other}"),
    }
}

fn chars_of(value: &Value) -> Vec<(usize, char)> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| {
            let ch = pair[1].as_str().unwrap();
            assert_eq!(ch.chars().count(), 1);
            (
                pair[0].as_u64().unwrap() as usize,
                ch.chars().next().unwrap(),
            )
        })
        .collect()
}

fn language(value: &Value) -> Option<Language> {
    value.as_str().map(|name| name.parse().unwrap())
}

#[test]
fn every_option_case_holds() {
    let cases: Vec<Value> = serde_json::from_str(include_str!("../testdata/options.json")).unwrap();
    assert!(cases.len() >= 30);
    for case in &cases {
        let why = case["why"].as_str().unwrap();
        let text = text_of(&case["text"]);
        let segmenter: Segmenter = serde_json::from_value(case["options"].clone()).unwrap();

        if let Some(expected) = case.get("error") {
            for result in [
                segmenter.split(&text).map(|_| ()),
                segmenter.count(&text).map(|_| ()),
            ] {
                match result {
                    Err(Error::NotGsm7 { characters }) => {
                        let found: Vec<(usize, char)> =
                            characters.iter().map(|c| (c.offset, c.ch)).collect();
                        assert_eq!(found, chars_of(expected), "{why}");
                    }
                    other => panic!("{why}: expected NotGsm7, got {other:?}"),
                }
            }
            continue;
        }

        let split = segmenter.split(&text).unwrap();
        let encoding = match case["encoding"].as_str().unwrap() {
            "GSM-7" => Encoding::Gsm7,
            _ => Encoding::Ucs2,
        };
        assert_eq!(split.encoding, encoding, "{why}");
        let units: Vec<u64> = split.parts.iter().map(|part| part.units as u64).collect();
        let expected: Vec<u64> = case["parts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|units| units.as_u64().unwrap())
            .collect();
        assert_eq!(units, expected, "{why}");
        assert_eq!(
            split.remaining as u64,
            case["remaining"].as_u64().unwrap(),
            "{why}"
        );
        assert_eq!(split.part_texts().collect::<String>(), split.text, "{why}");
        if let Some(output) = case.get("output") {
            assert_eq!(split.text, output.as_str().unwrap(), "{why}");
        }
        if let Some(count) = case.get("substitutions") {
            assert_eq!(
                split.substitutions.len() as u64,
                count.as_u64().unwrap(),
                "{why}"
            );
        }
        if let Some(extra) = case.get("extra_parts_for_graphemes") {
            assert_eq!(
                split.extra_parts_for_graphemes as u64,
                extra.as_u64().unwrap(),
                "{why}"
            );
        }
        if let Some(non_gsm) = case.get("non_gsm") {
            let found: Vec<(usize, char)> =
                split.non_gsm.iter().map(|c| (c.offset, c.ch)).collect();
            assert_eq!(found, chars_of(non_gsm), "{why}");
        }
        if case.get("locking").is_some() || case.get("single").is_some() {
            assert_eq!(
                split.shift_tables.locking,
                language(&case["locking"]),
                "{why}"
            );
            assert_eq!(
                split.shift_tables.single,
                language(&case["single"]),
                "{why}"
            );
        }
        assert_eq!(
            segmenter.count(&text).unwrap(),
            split.count(),
            "count-only: {why}"
        );
    }
}
