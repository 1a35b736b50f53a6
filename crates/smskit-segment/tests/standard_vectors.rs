//! Conformance with the standard mode: `testdata/standard.jsonl` holds texts around every
//! boundary (each extension character at each position, emoji at the UCS-2 boundaries, CRLF,
//! the empty text, characters that force UCS-2, random mixes) with the parts computed by an
//! independent spec-correct implementation (split-sms 0.1.7; see tools/gen_standard_vectors.js).

use serde_json::Value;
use smskit_segment::{Encoding, count, split};

#[test]
fn split_and_count_match_the_reference_vectors() {
    let vectors = include_str!("../testdata/standard.jsonl");
    let mut checked = 0;
    for (line, json) in vectors.lines().enumerate() {
        let case: Value = serde_json::from_str(json).expect("valid vector line");
        let name = case["name"].as_str().unwrap();
        let text = case["text"].as_str().unwrap();
        let encoding = match case["encoding"].as_str().unwrap() {
            "GSM-7" => Encoding::Gsm7,
            _ => Encoding::Ucs2,
        };
        let parts: Vec<usize> = case["parts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|units| units.as_u64().unwrap() as usize)
            .collect();
        let remaining = case["remaining"].as_u64().unwrap() as usize;
        let context = format!("line {} ({name})", line + 1);

        let split = split(text);
        assert_eq!(split.encoding, encoding, "{context}");
        let units: Vec<usize> = split.parts.iter().map(|part| part.units).collect();
        assert_eq!(units, parts, "{context}");
        assert_eq!(split.remaining, remaining, "{context}");
        assert_eq!(split.units, parts.iter().sum::<usize>(), "{context}");
        assert_eq!(split.part_texts().collect::<String>(), text, "{context}");

        let count = count(text);
        assert_eq!(count, split.count(), "{context}");
        checked += 1;
    }
    assert!(checked >= 1000, "only {checked} vectors");
}
