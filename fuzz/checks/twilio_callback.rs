//! Invariants of Twilio status-callback parsing and webhook signatures on any form body.
//! Shared by the `twilio_callback` fuzz target and by
//! `crates/smskit-provider/tests/fuzz_regressions.rs`.
//!
//! Input layout: the bytes up to the first NUL are the auth token (lossy UTF-8), the rest is
//! the form body; without a NUL the whole input is the body and the token is empty.

#![allow(
    dead_code,
    unreachable_pub,
    reason = "each includer uses part of the checks"
)]

use smskit_provider::twilio::{
    MAX_CALLBACK_BYTES, SignatureValidator, TwilioStatus, parse_status_callback,
    parse_status_callback_body,
};
use smskit_provider::{ErrorClass, ErrorKind, TraceStatus, parse_form};

/// Checks one input; panics when an invariant fails.
pub fn check(data: &[u8]) {
    let (token, body) = match data.iter().position(|b| *b == 0) {
        Some(nul) => (
            String::from_utf8_lossy(&data[..nul]).into_owned(),
            &data[nul + 1..],
        ),
        None => (String::new(), data),
    };

    // Parsing never panics, and is deterministic.
    let received_at = Default::default();
    let parsed = parse_status_callback_body(body, received_at);
    assert_eq!(parsed, parse_status_callback_body(body, received_at));
    let params = parse_form(body);
    match &parsed {
        Ok(report) => {
            assert!(body.len() <= MAX_CALLBACK_BYTES);
            // The id and status come from the body, trimmed and non-empty.
            assert!(!report.message_id.is_empty());
            assert_eq!(report.message_id.trim(), report.message_id);
            assert!(params.iter().any(|(name, value)| {
                (name == "MessageSid" || name == "SmsSid") && value.trim() == report.message_id
            }));
            // The provider status is a Twilio status whose mapping is the report's status.
            let status: TwilioStatus = report.provider_status.parse().expect("a Twilio status");
            assert_eq!(status.trace_status(), Some(report.status));
            assert_eq!(status.as_str(), report.provider_status);
            // A failure type exactly when the message failed.
            assert_eq!(
                report.failure.is_some(),
                report.status == TraceStatus::Error
            );
            assert!(!matches!(
                report.status,
                TraceStatus::Open | TraceStatus::Reply | TraceStatus::Bounce
            ));
            if let Some(to) = &report.to {
                assert!(to.as_str().starts_with('+'));
            }
            assert_eq!(report.at, received_at);
            // The parameter-level parser agrees with the body-level one.
            assert_eq!(
                parse_status_callback(&params, received_at).as_ref(),
                Ok(report)
            );
        }
        Err(error) => {
            // Bad callbacks are permanent webhook errors, never a reason to retry.
            assert_eq!(error.kind(), ErrorKind::InvalidWebhook);
            assert_eq!(error.class(), ErrorClass::Permanent);
            assert!(
                error.message().chars().count() < 400,
                "error messages stay short"
            );
        }
    }

    // Signatures: an empty token is refused (anyone could sign with it); what we compute
    // validates, with and without the default port, in any parameter order; another token or
    // another URL does not.
    let Ok(validator) = SignatureValidator::new(&token) else {
        assert!(token.is_empty(), "only an empty token is refused");
        return;
    };
    let url = "https://example.com/sms/status?trace=1";
    let signature = validator.sign(url, &params);
    assert!(validator.is_valid(url, &params, &signature));
    assert!(validator.is_valid(
        "https://example.com:443/sms/status?trace=1",
        &params,
        &signature
    ));
    let mut reversed = params.clone();
    reversed.reverse();
    assert!(validator.is_valid(url, &reversed, &signature));
    let other = SignatureValidator::new(&format!("{token}x")).expect("a non-empty token");
    assert!(!other.is_valid(url, &params, &signature));
    assert!(!validator.is_valid(
        "https://example.com/sms/status?trace=2",
        &params,
        &signature
    ));
    // Arbitrary text as a signature or a URL never panics.
    let text = String::from_utf8_lossy(body);
    let _ = validator.is_valid(&text, &params, &text);
}
