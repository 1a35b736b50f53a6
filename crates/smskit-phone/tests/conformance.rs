//! Runs the conformance vectors of `testdata/parse_vectors.jsonl`: raw numbers with a default
//! country and what the reference product (Odoo's `phone_parse`, python-phonenumbers 9.0.33,
//! the metadata release of the `phonenumber` crate) makes of them. See
//! `testdata/generate_vectors.py`.

use smskit_phone::{Error, ImpossibleReason, Region, parse};

#[derive(Debug)]
struct Vector {
    input: String,
    region: Option<String>,
    e164: Option<String>,
    error: Option<String>,
    reason: Option<String>,
}

fn vectors() -> Vec<Vector> {
    // `SMSKIT_PHONE_VECTORS` points the harness at a larger generated corpus.
    let text = match std::env::var("SMSKIT_PHONE_VECTORS") {
        Ok(path) => std::fs::read_to_string(path).unwrap(),
        Err(_) => include_str!("../testdata/parse_vectors.jsonl").to_owned(),
    };
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            let field = |name: &str| value.get(name).and_then(|v| v.as_str()).map(str::to_owned);
            Vector {
                input: field("input").unwrap(),
                region: field("region"),
                e164: field("e164"),
                error: field("error"),
                reason: field("reason"),
            }
        })
        .collect()
}

fn outcome(result: &Result<smskit_phone::E164, Error>) -> (String, Option<String>) {
    match result {
        Ok(number) => ("ok".into(), Some(number.to_string())),
        Err(Error::Missing) => ("missing".into(), None),
        Err(Error::Unparsable { .. }) => ("unparsable".into(), None),
        Err(Error::Impossible { reason, .. }) => (
            "impossible".into(),
            Some(
                match reason {
                    ImpossibleReason::InvalidCountryCode => "invalid_country_code",
                    ImpossibleReason::TooShort => "too_short",
                    ImpossibleReason::TooLong => "too_long",
                    ImpossibleReason::InvalidLength => "invalid_length",
                    _ => "other",
                }
                .into(),
            ),
        ),
        Err(Error::Invalid { .. }) => ("invalid".into(), None),
        Err(Error::MissingRegion { .. }) => ("missing_region".into(), None),
        Err(other) => (format!("{other:?}"), None),
    }
}

/// Where smskit-phone deliberately differs from the reference: python-phonenumbers calls a
/// text of 1 digit, or `+` / `00` and 2 digits, "not a number"; smskit-phone says why such a
/// number cannot be one (too few digits, or no country to read it in).
fn deliberate(vector: &Vector, got: &(String, Option<String>)) -> bool {
    let digits = vector.input.chars().filter(char::is_ascii_digit).count();
    vector.error.as_deref() == Some("unparsable")
        && (digits < 2 || (digits <= 4 && got.1.as_deref() == Some("too_short")))
        && got.0 != "ok"
}

#[cfg(feature = "phonenumber")]
#[test]
fn parse_matches_the_reference_product() {
    let vectors = vectors();
    assert!(vectors.len() > 10_000);
    let mut failures = Vec::new();
    for vector in &vectors {
        let region = vector
            .region
            .as_deref()
            .map(|code| Region::parse(code).unwrap());
        let got = outcome(&parse(&vector.input, region));
        let want = match (&vector.e164, &vector.error) {
            (Some(e164), _) => ("ok".to_owned(), Some(e164.clone())),
            (None, Some(error)) => (error.clone(), vector.reason.clone()),
            (None, None) => panic!("bad vector {vector:?}"),
        };
        if got != want && !deliberate(vector, &got) {
            failures.push(format!(
                "{:?} {:?}: want {want:?}, got {got:?}",
                vector.input, vector.region
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors differ:\n{}",
        failures.len(),
        vectors.len(),
        failures
            .iter()
            .take(60)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Without the patterns (no `phonenumber` feature) numbers are only checked for being
/// possible, and national prefixes are literal: the valid numbers of the reference come out
/// the same but for a few national conventions that need the patterns (a calling code typed
/// without `+` where both readings have possible lengths, Argentina's `15`, Belarus's `8 0`),
/// and international numbers the reference finds impossible are rejected too.
#[cfg(not(feature = "phonenumber"))]
#[test]
fn numbers_without_the_patterns() {
    let vectors = vectors();
    let mut differ = Vec::new();
    let mut valid = 0;
    for vector in &vectors {
        let region = vector
            .region
            .as_deref()
            .map(|code| Region::parse(code).unwrap());
        let got = outcome(&parse(&vector.input, region));
        match &vector.e164 {
            Some(e164) => {
                valid += 1;
                if got != ("ok".to_owned(), Some(e164.clone())) {
                    differ.push(format!(
                        "{:?} {:?}: want {e164}, got {got:?}",
                        vector.input, vector.region
                    ));
                }
            }
            None if vector.input.starts_with('+')
                && vector.error.as_deref() == Some("impossible")
                && !deliberate(vector, &got) =>
            {
                assert_ne!(got.0, "ok", "{vector:?} ({:?})", vector.reason);
            }
            None => {}
        }
    }
    assert!(
        differ.len() * 50 < valid,
        "{} of {valid} differ:\n{}",
        differ.len(),
        differ.join("\n")
    );
}

/// Without the patterns, every number the reference accepts given as `+` E.164 is accepted.
#[test]
fn valid_international_numbers_parse_in_every_configuration() {
    for vector in vectors() {
        if let Some(e164) = &vector.e164
            && vector.input == *e164
        {
            assert_eq!(
                parse(&vector.input, None).map(|n| n.to_string()).as_ref(),
                Ok(e164)
            );
        }
    }
}

/// Every E.164 form of the corpus parses back to itself, with or without a default country.
#[test]
fn e164_forms_are_fixed_points() {
    let mut failures = Vec::new();
    for vector in vectors() {
        let Some(e164) = &vector.e164 else { continue };
        for region in [
            None,
            vector
                .region
                .as_deref()
                .map(|code| Region::parse(code).unwrap()),
        ] {
            let got = parse(e164, region).map(|number| number.to_string());
            if got.as_ref() != Ok(e164) {
                failures.push(format!("{e164} with {region:?}: {got:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
