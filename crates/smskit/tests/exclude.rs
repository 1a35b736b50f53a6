//! The exclusion pass keeps the mailing spec's promises on any audience.

use std::collections::{HashMap, HashSet};

use proptest::prelude::*;
use smskit::exclude::{Decision, Exclusions};
use smskit::phone::{E164, Region};
use smskit::provider::FailureType;

/// Raw numbers: the same few numbers written several ways, national ones, and unreadable text.
const RAW: [&str; 10] = [
    "+32470000001",
    "+32 470 00 00 01",
    "0470000001",
    "+32470000002",
    "0470 00 00 03",
    "+33612345678",
    "",
    "12",
    "call me",
    "+999123456",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn no_excluded_number_is_sent_to_and_each_number_once(
        audience in prop::collection::vec(0..RAW.len(), 0..40),
        blacklisted in prop::collection::hash_set(0..4usize, 0..3),
        opted_out in prop::collection::hash_set(0..40i64, 0..10),
    ) {
        let be = Region::parse("BE").ok();
        let readable: Vec<E164> = ["+32470000001", "+32470000002", "+32470000003", "+33612345678"]
            .iter()
            .map(|text| E164::parse(text).unwrap())
            .collect();
        let blacklist: HashSet<E164> = blacklisted.iter().map(|&i| readable[i]).collect();
        let mut pass = Exclusions::new(&blacklist, &opted_out).with_default_region(be);
        let mut sent: HashMap<E164, i64> = HashMap::new();
        for (record, &raw) in audience.iter().enumerate() {
            let record = record as i64;
            let decision = pass.decide(record, RAW[raw], None);
            let parsed = smskit::phone::parse(RAW[raw], be).ok();
            prop_assert_eq!(decision.number(), parsed);
            match decision {
                Decision::Send { number } => {
                    prop_assert!(!blacklist.contains(&number));
                    prop_assert!(!opted_out.contains(&record));
                    prop_assert!(sent.insert(number, record).is_none(), "sent twice");
                }
                Decision::Cancel { failure_type, number, raw: kept } => match failure_type {
                    FailureType::Blacklist => prop_assert!(blacklist.contains(&number.unwrap())),
                    FailureType::OptOut => {
                        prop_assert!(opted_out.contains(&record));
                        prop_assert!(!blacklist.contains(&number.unwrap()));
                    }
                    FailureType::Duplicate => prop_assert!(sent.contains_key(&number.unwrap())),
                    FailureType::NumberMissing => prop_assert!(RAW[raw].trim().is_empty()),
                    FailureType::NumberFormat => {
                        prop_assert!(number.is_none());
                        prop_assert_eq!(kept.as_deref(), Some(RAW[raw]));
                    }
                    other => prop_assert!(false, "unexpected {:?}", other),
                },
            }
        }
        // The first eligible record of each number got it.
        for (number, record) in &sent {
            let first = audience.iter().enumerate().position(|(index, &raw)| {
                smskit::phone::parse(RAW[raw], be).ok() == Some(*number)
                    && !opted_out.contains(&(index as i64))
            });
            prop_assert_eq!(first.map(|index| index as i64), Some(*record));
        }
    }
}
