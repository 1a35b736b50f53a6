//! Generates `src/data.rs` from the libphonenumber metadata shipped in the `phonenumber` crate,
//! and checks that the embedded copy is current.
//!
//! The tables let the crate work without the `phonenumber` feature (calling code -> regions,
//! possible lengths, national prefix). Regenerate after a `phonenumber` upgrade with
//! `SMSKIT_PHONE_REGENERATE=1 cargo test -p smskit-phone --test tables`.
#![cfg(feature = "phonenumber")]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use phonenumber::metadata::{DATABASE, Descriptor, Metadata};

/// The possible lengths of a region's numbers as libphonenumber's `BuildMetadataFromXml`
/// computes its general description: the union over every number type (except
/// `noInternationalDialling`), local-only lengths that are also national lengths removed.
fn lengths(meta: &Metadata) -> (BTreeSet<u16>, BTreeSet<u16>) {
    let d = meta.descriptors();
    let types: [Option<&Descriptor>; 10] = [
        d.fixed_line(),
        d.mobile(),
        d.toll_free(),
        d.premium_rate(),
        d.shared_cost(),
        d.personal_number(),
        d.voip(),
        d.pager(),
        d.uan(),
        d.voicemail(),
    ];
    let mut national = BTreeSet::new();
    let mut local = BTreeSet::new();
    for desc in types.into_iter().flatten() {
        national.extend(desc.possible_length().iter().copied());
        local.extend(desc.possible_local_length().iter().copied());
    }
    let local = local.difference(&national).copied().collect();
    (national, local)
}

fn literal_digits(pattern: &str) -> Option<&str> {
    (!pattern.is_empty() && pattern.bytes().all(|b| b.is_ascii_digit())).then_some(pattern)
}

fn list<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|item| item.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn generate() -> String {
    // `Database::iter` yields one entry per id, and every non-geographic code has the id
    // "001": walk the codes instead.
    let mut by_code: BTreeMap<u16, Vec<&Metadata>> = BTreeMap::new();
    for code in 1..1000u16 {
        if let Some(metas) = DATABASE.by_code(&code) {
            by_code.insert(code, metas);
        }
    }
    let regions_total: usize = by_code
        .values()
        .flatten()
        .filter(|meta| meta.id() != "001")
        .count();
    assert_eq!(
        regions_total,
        DATABASE.iter().filter(|meta| meta.id() != "001").count()
    );
    let mut plans: Vec<&Metadata> = DATABASE.iter().filter(|meta| meta.id() != "001").collect();
    plans.sort_by_key(|meta| meta.id().to_owned());
    let plan_index = |id: &str| plans.iter().position(|meta| meta.id() == id).unwrap();
    let region_index = |id: &str| {
        smskit_phone::Region::all()
            .position(|region| region.as_str() == id)
            .unwrap()
    };
    let mut out = String::from(HEADER);
    out.push_str("pub(crate) const CALLING_CODES: &[CallingCode] = &[\n");
    for (code, metas) in &mut by_code {
        metas.sort_by_key(|meta| (!meta.is_main_country_for_code(), meta.id().to_owned()));
        let main = metas[0];
        assert!(
            metas.len() == 1 || main.is_main_country_for_code(),
            "+{code} has no main country"
        );
        let regions: Vec<String> = metas
            .iter()
            .filter(|meta| meta.id() != "001")
            .map(|meta| format!("{} /* {} */", plan_index(meta.id()), meta.id()))
            .collect();
        let (national, local) = lengths(main);
        writeln!(
            out,
            "    CallingCode {{ code: {code}, regions: &[{}], lengths: &[{}], local_lengths: &[{}] }},",
            list(regions),
            list(national),
            list(local),
        )
        .unwrap();
    }
    out.push_str("];\n\npub(crate) const REGION_PLANS: &[RegionPlan] = &[\n");
    for meta in &plans {
        let idd = meta
            .international_prefix()
            .and_then(|regex| literal_digits(regex.as_str()))
            .unwrap_or("");
        let (national, local) = lengths(meta);
        writeln!(
            out,
            "    RegionPlan {{ region: Region::from_index({}), code: {}, national_prefix: {:?}, international_prefix: {:?}, lengths: &[{}], local_lengths: &[{}] }}, // {}",
            region_index(meta.id()),
            meta.country_code(),
            meta.national_prefix().unwrap_or(""),
            idd,
            list(national),
            list(local),
            meta.id(),
        )
        .unwrap();
    }
    out.push_str("];\n");
    out
}

const HEADER: &str = r#"//! Numbering-plan tables generated from the libphonenumber metadata of the `phonenumber` crate
//! (`PhoneNumberMetadata.xml`) by `tests/tables.rs`: do not edit by hand. Regenerate with
//! `SMSKIT_PHONE_REGENERATE=1 cargo test -p smskit-phone --test tables`; without the variable
//! the test fails when this file is out of date. The types and the indexes derived from these
//! tables live in `src/tables.rs`.

use crate::region::Region;
use crate::tables::{CallingCode, RegionPlan};

"#;

#[test]
fn embedded_tables_match_the_metadata() {
    let generated = generate();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/data.rs");
    if std::env::var_os("SMSKIT_PHONE_REGENERATE").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let embedded = std::fs::read_to_string(path).unwrap();
    assert!(
        embedded == generated,
        "src/data.rs is out of date: run SMSKIT_PHONE_REGENERATE=1 cargo test -p smskit-phone --test tables"
    );
}

#[test]
fn every_metadata_region_is_a_region() {
    for meta in DATABASE.iter().filter(|meta| meta.id() != "001") {
        assert!(
            smskit_phone::Region::parse(meta.id()).is_ok(),
            "{}",
            meta.id()
        );
    }
}
