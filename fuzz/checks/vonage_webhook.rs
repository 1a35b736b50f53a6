//! Invariants of Vonage signed webhooks on any request: reading, verifying and parsing never
//! panic, nothing unsigned is parsed, and signatures round-trip. Shared by the
//! `vonage_webhook` fuzz target and by `crates/smskit-provider/tests/fuzz_regressions.rs`.
//!
//! Input layout: the bytes up to the first NUL are the signature secret (lossy UTF-8), the
//! next byte picks the signature method, the rest is the webhook body (a form or a JSON
//! object); without a NUL the whole input is the body and the secret is empty.

#![allow(
    dead_code,
    unreachable_pub,
    reason = "each includer uses part of the checks"
)]

use smskit_provider::vonage::{
    SignatureMethod, SignatureVerifier, parse_delivery_receipt, parse_inbound_message,
    webhook_params,
};
use smskit_provider::{Body, ErrorClass, ErrorKind, http};

/// Checks one input; panics when an invariant fails.
pub fn check(data: &[u8]) {
    let (secret, method, body) = match data.iter().position(|b| *b == 0) {
        Some(nul) => {
            let rest = &data[nul + 1..];
            let (choice, body) = rest.split_first().map_or((0, rest), |(c, b)| (*c, b));
            (
                String::from_utf8_lossy(&data[..nul]).into_owned(),
                SignatureMethod::ALL[usize::from(choice) % SignatureMethod::ALL.len()],
                body,
            )
        }
        None => (String::new(), SignatureMethod::Md5Hash, data),
    };
    let Ok(verifier) = SignatureVerifier::new(&secret, method) else {
        assert!(secret.is_empty(), "only an empty secret is refused");
        return;
    };
    let Ok(request) = http::Request::post("https://example.com/vonage").body(Body::from(body))
    else {
        return;
    };
    let params = match webhook_params(&request) {
        Ok(params) => params,
        Err(error) => {
            assert_eq!(error.kind(), ErrorKind::InvalidWebhook);
            return;
        }
    };
    let now = chrono::DateTime::from_timestamp(1_700_000_000, 0).expect("a valid time");

    // Whatever arrives, only a verified webhook is parsed, and errors are permanent.
    match verifier.verify(&params, now) {
        Ok(signed) => {
            assert!(signed.get("sig").is_none());
            assert!(params.iter().any(|(name, _)| name == "sig"));
            for outcome in [
                parse_delivery_receipt(&signed, None, now).err(),
                parse_inbound_message(&signed, now).err(),
            ]
            .into_iter()
            .flatten()
            {
                assert_eq!(outcome.kind(), ErrorKind::InvalidWebhook);
            }
        }
        Err(error) => {
            assert_eq!(error.kind(), ErrorKind::InvalidWebhook);
            assert_eq!(error.class(), ErrorClass::Permanent);
            assert!(
                error.message().chars().count() < 400,
                "error messages stay short"
            );
        }
    }

    // Round trip: the parameters, with a fresh timestamp and their signature, verify; a
    // changed value or another secret does not.
    let mut unsigned: Vec<(String, String)> = params
        .into_iter()
        .filter(|(name, _)| name != "sig" && name != "timestamp")
        .collect();
    let mut names: Vec<&str> = unsigned.iter().map(|(name, _)| name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    if names.len() != unsigned.len() {
        return; // a repeated parameter can never verify
    }
    unsigned.push(("timestamp".to_owned(), now.timestamp().to_string()));
    let mut signed = unsigned.clone();
    signed.push(("sig".to_owned(), verifier.sign(&unsigned)));
    assert!(verifier.verify(&signed, now).is_ok());
    let other = SignatureVerifier::new(&format!("{secret}x"), method).expect("a non-empty secret");
    assert!(other.verify(&signed, now).is_err());
    if let Some((_, value)) = signed
        .iter_mut()
        .find(|(name, _)| name != "sig" && name != "timestamp")
    {
        value.push('x');
        assert!(verifier.verify(&signed, now).is_err());
    }
}
