//! Parsing the response to a Twilio "create Message" request.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::codes::{TwilioStatus, delivery_failure, error_code_meaning};
use crate::error::{Error, ErrorClass, ErrorKind, Result};
use crate::json::{number_of, text_of};
use crate::message::{Receipt, price_of};
use crate::status::TraceStatus;
use crate::transport::{HttpResponse, body_excerpt, error_for_status, retry_after, status_message};

/// Parses Twilio's answer to a "create Message" request.
///
/// - HTTP 2xx with a Message JSON → a [`Receipt`] (`sid`, status, `num_segments` and `price`
///   when given — both are strings in Twilio's JSON —, `date_created` in RFC 2822). The price
///   keeps Twilio's sign (a charge is negative) and its `price_unit`; an amount without a valid
///   unit, or one that is not an exact decimal, is left out — never read in an assumed
///   currency. A Message already `failed`/`undelivered` is a permanent error with its
///   `error_code`.
/// - HTTP 2xx that is not a Message (not JSON, no `sid`) → an [`ErrorClass::Unknown`] error:
///   Twilio accepted something, so a retry could send twice.
/// - Any other status → the error of [`parse_error_response`].
///
/// ```
/// use smskit_provider::{Body, TraceStatus};
/// use smskit_provider::twilio::parse_send_response;
///
/// let body = r#"{"sid": "SM1234", "status": "queued", "num_segments": "2", "price": null}"#;
/// let response = http::Response::builder().status(201).body(Body::from(body)).unwrap();
/// let receipt = parse_send_response(&response).unwrap();
/// assert_eq!(receipt.message_id, "SM1234");
/// assert_eq!(receipt.status, TraceStatus::Outgoing);
/// assert_eq!(receipt.segments, Some(2));
/// ```
///
/// # Errors
/// A classified [`Error`] as above.
pub fn parse_send_response(response: &HttpResponse) -> Result<Receipt> {
    if !response.status().is_success() {
        return Err(parse_error_response(response));
    }
    let unknown = |why: String| {
        Error::unknown(
            ErrorKind::InvalidResponse,
            format!(
                "Twilio answered HTTP {} but {why}; the message may have been sent",
                response.status().as_u16()
            ),
        )
        .with_http_status(response.status().as_u16())
    };
    let value: Value = serde_json::from_slice(response.body()).map_err(|_| {
        unknown(format!(
            "the body is not JSON: `{}`",
            body_excerpt(response.body())
        ))
    })?;
    let Some(object) = value.as_object() else {
        return Err(unknown(format!(
            "the body is not a JSON object: `{}`",
            body_excerpt(response.body())
        )));
    };
    let sid = match object.get("sid").and_then(Value::as_str).map(str::trim) {
        Some(sid) if !sid.is_empty() => sid,
        _ => return Err(unknown("the Message has no `sid`".to_owned())),
    };
    let provider_status = object
        .get("status")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim();
    let status = provider_status.parse::<TwilioStatus>().ok();
    if matches!(
        status,
        Some(TwilioStatus::Failed | TwilioStatus::Undelivered)
    ) {
        let code = object.get("error_code").and_then(code_of);
        let message = object
            .get("error_message")
            .and_then(Value::as_str)
            .filter(|m| !m.is_empty())
            .map_or_else(|| format!("message {sid} {provider_status}"), str::to_owned);
        let mut error = Error::permanent(ErrorKind::Rejected, message)
            .with_failure(delivery_failure(code))
            .with_http_status(response.status().as_u16());
        if let Some(code) = code {
            error = error.with_code(code.to_string());
        }
        return Err(error);
    }
    let trace = status
        .and_then(TwilioStatus::trace_status)
        .unwrap_or(TraceStatus::Outgoing);
    let mut receipt = Receipt::new("twilio", sid, trace, provider_status);
    if let Some(segments) = object
        .get("num_segments")
        .and_then(number_of)
        .filter(|n| *n > 0)
    {
        receipt = receipt.with_segments(segments);
    }
    // Twilio leaves `price_unit` null until the price is known: without a unit there is no
    // price, whatever the amount says.
    let unit = object.get("price_unit").and_then(Value::as_str);
    if let Some(price) = object
        .get("price")
        .and_then(text_of)
        .and_then(|amount| price_of(&amount, unit))
    {
        receipt = receipt.with_price(price);
    }
    if let Some(created) = object
        .get("date_created")
        .and_then(Value::as_str)
        .and_then(|date| DateTime::parse_from_rfc2822(date).ok())
    {
        receipt = receipt.with_created_at(created.with_timezone(&Utc));
    }
    Ok(receipt)
}

/// Classifies a Twilio error response.
///
/// Reads both body shapes — legacy `{code, message, more_info, status}` and RFC 9457
/// `application/problem+json` `{type, title, status, code, detail}` — and falls back to the
/// HTTP status for a body that is not JSON. The class comes from the HTTP status alone (see
/// [`ErrorClass`]): 429 and 503 → retryable (with `Retry-After` when sent); any other 5xx →
/// unknown, as Twilio may have accepted the message before failing; anything else →
/// permanent. The kind and failure type come from the code ([`error_code_meaning`]) of a
/// permanent error, else from the HTTP status.
///
/// ```
/// use smskit_provider::{Body, ErrorClass, FailureType};
/// use smskit_provider::twilio::parse_error_response;
///
/// let body = r#"{"code": 21211, "message": "The 'To' number 123 is not a valid phone number.",
///                "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}"#;
/// let response = http::Response::builder().status(400).body(Body::from(body)).unwrap();
/// let error = parse_error_response(&response);
/// assert_eq!(error.class(), ErrorClass::Permanent);
/// assert_eq!(error.code(), Some("21211"));
/// assert_eq!(error.failure_type(), FailureType::NumberFormat);
/// ```
#[must_use]
pub fn parse_error_response(response: &HttpResponse) -> Error {
    let status = response.status().as_u16();
    let parsed = serde_json::from_slice::<Value>(response.body()).ok();
    let object = parsed.as_ref().and_then(Value::as_object);
    let code = object.and_then(|o| o.get("code")).and_then(code_of);
    let message = object
        .and_then(|o| {
            ["message", "detail", "title"].iter().find_map(|key| {
                o.get(*key)
                    .and_then(Value::as_str)
                    .filter(|m| !m.trim().is_empty())
            })
        })
        .map(|m| m.trim().chars().take(500).collect::<String>())
        .unwrap_or_else(|| status_message("Twilio", response));
    let by_status = error_for_status(status, message.clone());
    let class = by_status.class();
    let (kind, failure) = match code.and_then(error_code_meaning) {
        // A 5xx keeps its server-side kind whatever the code says.
        Some(meaning) if class == ErrorClass::Permanent => meaning,
        _ => (by_status.kind(), by_status.failure_type()),
    };
    let mut error = Error::new(class, kind, message)
        .with_failure(failure)
        .with_http_status(status);
    if let Some(code) = code {
        error = error.with_code(code.to_string());
    }
    if let Some(delay) = retry_after(response).filter(|_| class == ErrorClass::Retryable) {
        error = error.with_retry_after(delay);
    }
    error
}

/// An error code given as a JSON number or a numeric string.
fn code_of(value: &Value) -> Option<u32> {
    match value {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(s) => super::codes::parse_code(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FailureType;
    use crate::transport::testing::{With as _, response};

    proptest::proptest! {
        /// The class depends only on the HTTP status, as documented: 429 and 503 retryable,
        /// other 5xx unknown, the rest permanent.
        #[test]
        fn error_classes(status in 300u16..600, code in proptest::option::of(20000u32..40000), problem in proptest::bool::ANY) {
            let body = match (code, problem) {
                (Some(code), false) => format!(r#"{{"code": {code}, "message": "m", "more_info": "x", "status": {status}}}"#),
                (Some(code), true) => format!(r#"{{"type": "t", "title": "m", "status": {status}, "code": {code}, "detail": "d"}}"#),
                (None, _) => "not json".to_owned(),
            };
            let error = parse_error_response(&response(status, body));
            let expected = if status == 429 || status == 503 {
                ErrorClass::Retryable
            } else if (500..600).contains(&status) {
                ErrorClass::Unknown
            } else {
                ErrorClass::Permanent
            };
            proptest::prop_assert_eq!(error.class(), expected);
            proptest::prop_assert_eq!(error.http_status(), Some(status));
            proptest::prop_assert_eq!(error.code().map(str::to_owned), code.map(|c| c.to_string()));
        }
    }

    #[test]
    fn problem_json_shape() {
        let body = r#"{"type": "https://www.twilio.com/docs/errors/20003", "title": "Authenticate",
            "status": 401, "code": 20003, "detail": "Your AccountSid or AuthToken was incorrect."}"#;
        let answer = response(401, body).with_header("Content-Type", "application/problem+json");
        let error = parse_error_response(&answer);
        assert_eq!(error.class(), ErrorClass::Permanent);
        assert_eq!(error.kind(), ErrorKind::Unauthorized);
        assert_eq!(error.code(), Some("20003"));
        assert_eq!(
            error.message(),
            "Your AccountSid or AuthToken was incorrect."
        );
        assert_eq!(error.failure_type(), FailureType::Acc);
    }

    #[test]
    fn non_json_falls_back_to_status() {
        let error = parse_error_response(&response(502, "<html>Bad gateway</html>"));
        assert_eq!(
            error.class(),
            ErrorClass::Unknown,
            "the gateway may have passed it on"
        );
        assert_eq!(error.kind(), ErrorKind::ServerError);
        assert_eq!(error.code(), None);
        assert!(
            error.message().contains("Bad gateway"),
            "{}",
            error.message()
        );
        let error = parse_error_response(&response(504, ""));
        assert_eq!(error.class(), ErrorClass::Unknown);
        assert_eq!(error.message(), "Twilio answered HTTP 504");
    }

    #[test]
    fn rate_limits_are_retryable_with_retry_after() {
        let answer = response(429, r#"{"code": 20429, "message": "Too Many Requests"}"#)
            .with_header("Retry-After", "12");
        let error = parse_error_response(&answer);
        assert_eq!(error.class(), ErrorClass::Retryable);
        assert_eq!(error.kind(), ErrorKind::RateLimited);
        assert_eq!(
            error.retry_after(),
            Some(std::time::Duration::from_secs(12))
        );
        // The class follows the HTTP status alone: a 503 is retryable with its Retry-After,
        // code 20429 under a 400 is a permanent rate-limit refusal.
        let answer = response(503, r#"{"code": 20503, "message": "Unavailable"}"#)
            .with_header("Retry-After", "5");
        let error = parse_error_response(&answer);
        assert_eq!(error.class(), ErrorClass::Retryable);
        assert_eq!(error.retry_after(), Some(std::time::Duration::from_secs(5)));
        assert_eq!(
            parse_error_response(&response(503, "")).class(),
            ErrorClass::Retryable
        );
        let error = parse_error_response(&response(400, r#"{"code": "20429"}"#));
        assert_eq!(error.class(), ErrorClass::Permanent);
        assert_eq!(error.kind(), ErrorKind::RateLimited);
        // HTTP 429 with an unrelated code.
        let error = parse_error_response(&response(429, r#"{"code": 14107}"#));
        assert_eq!(error.kind(), ErrorKind::RateLimited);
    }

    #[test]
    fn server_error_keeps_server_kind() {
        let error = parse_error_response(&response(500, r#"{"code": 21211, "message": "x"}"#));
        assert_eq!(
            error.class(),
            ErrorClass::Unknown,
            "Twilio may have accepted it"
        );
        assert_eq!(error.kind(), ErrorKind::ServerError);
        for status in [500, 502, 504] {
            let error = parse_error_response(&response(status, "{}"));
            assert_eq!(error.class(), ErrorClass::Unknown, "HTTP {status}");
        }
    }

    #[test]
    fn price_without_unit_is_no_price() {
        let receipt = parse_send_response(&response(
            201,
            r#"{"sid": "SM1", "status": "queued", "price": "-0.0075"}"#,
        ))
        .unwrap();
        assert_eq!(receipt.price, None, "no price_unit: no assumed USD");
        let receipt = parse_send_response(&response(
            201,
            r#"{"sid": "SM1", "status": "queued", "price": "-0.0075", "price_unit": null}"#,
        ))
        .unwrap();
        assert_eq!(receipt.price, None);
        let receipt = parse_send_response(&response(
            201,
            r#"{"sid": "SM1", "status": "sent", "price": "-0.0745", "price_unit": "eur"}"#,
        ))
        .unwrap();
        let price = receipt.price.unwrap();
        assert_eq!(price.micros(), -74_500, "the sign is kept");
        assert_eq!(price.currency().as_str(), "EUR");
    }

    #[test]
    fn success_edge_cases() {
        let unknown = |body: &str| parse_send_response(&response(201, body)).unwrap_err();
        assert_eq!(unknown("not json").class(), ErrorClass::Unknown);
        assert_eq!(unknown("[1]").class(), ErrorClass::Unknown);
        assert_eq!(unknown(r#"{"sid": ""}"#).class(), ErrorClass::Unknown);
        let failed = unknown(
            r#"{"sid": "SM1", "status": "failed", "error_code": 30007, "error_message": "filtered"}"#,
        );
        assert_eq!(failed.class(), ErrorClass::Permanent);
        assert_eq!(failed.failure_type(), FailureType::Rejected);
        assert_eq!(failed.code(), Some("30007"));

        let receipt = parse_send_response(&response(
            201,
            r#"{"sid": "SM1", "status": "accepted", "num_segments": "0", "price": "-0.00750",
                "price_unit": "USD", "date_created": "Thu, 30 Jul 2015 20:12:31 +0000"}"#,
        ))
        .unwrap();
        assert_eq!(receipt.segments, None, "0 segments means not known yet");
        assert_eq!(receipt.price.unwrap().to_string(), "-0.0075 USD");
        assert_eq!(
            receipt.created_at.unwrap().to_rfc3339(),
            "2015-07-30T20:12:31+00:00"
        );
    }
}
