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
    out.push_str("];\n\n/// The index in `REGION_PLANS` of each region (in `Region` order), `NONE` when the region\n/// has no numbering plan.\npub(crate) const PLAN_OF_REGION: [u16; 252] = [\n");
    for region in smskit_phone::Region::all() {
        let index = plans.iter().position(|meta| meta.id() == region.as_str());
        writeln!(
            out,
            "    {}, // {region}",
            index.map_or("NONE".to_owned(), |i| i.to_string())
        )
        .unwrap();
    }
    out.push_str("];\n\n/// The index in `CALLING_CODES` of each code from 0 to 999, `NONE` when unassigned.\npub(crate) const CALLING_CODE_INDEX: [u16; 1000] = [\n");
    for chunk in (0..1000u16).collect::<Vec<_>>().chunks(10) {
        let cells: Vec<String> = chunk
            .iter()
            .map(|code| {
                by_code
                    .keys()
                    .position(|c| c == code)
                    .map_or("NONE".to_owned(), |i| i.to_string())
            })
            .collect();
        writeln!(out, "    {},", cells.join(", ")).unwrap();
    }
    out.push_str("];\n");
    out
}

const HEADER: &str = r#"//! Numbering-plan tables generated from the libphonenumber metadata of the `phonenumber` crate
//! (`PhoneNumberMetadata.xml`) by `tests/tables.rs`: do not edit by hand. Regenerate with
//! `SMSKIT_PHONE_REGENERATE=1 cargo test -p smskit-phone --test tables`; without the variable
//! the test fails when this file is out of date.

use crate::region::Region;

/// Marks a missing index.
pub(crate) const NONE: u16 = u16::MAX;

/// One assigned country calling code.
#[derive(Debug)]
pub(crate) struct CallingCode {
    /// The code, e.g. 32.
    pub(crate) code: u16,
    /// The regions that share the code (indexes in `REGION_PLANS`), main country first; empty
    /// for non-geographic codes.
    pub(crate) regions: &'static [u16],
    /// Possible lengths of a national significant number, sorted (libphonenumber's general
    /// description of the main country).
    pub(crate) lengths: &'static [u16],
    /// Lengths of numbers that can only be dialled locally, sorted.
    pub(crate) local_lengths: &'static [u16],
}

/// The numbering-plan facts of a region needed to read a national number.
#[derive(Debug)]
pub(crate) struct RegionPlan {
    /// The region.
    pub(crate) region: Region,
    /// The calling code.
    pub(crate) code: u16,
    /// The national (trunk) prefix, e.g. `"0"`; empty when the region has none.
    pub(crate) national_prefix: &'static str,
    /// The international (IDD) prefix when it is a plain digit string (`"011"` in the US), else
    /// empty; `00` is always accepted.
    pub(crate) international_prefix: &'static str,
    /// Possible lengths of a national significant number, sorted.
    pub(crate) lengths: &'static [u16],
    /// Lengths of numbers that can only be dialled locally, sorted.
    pub(crate) local_lengths: &'static [u16],
}

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
