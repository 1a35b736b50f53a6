//! Twilio status callbacks (delivery reports).

use chrono::{DateTime, Utc};
use smskit_phone::E164;

use super::codes::{TwilioStatus, delivery_failure, parse_code};
use crate::error::{Error, ErrorKind, Result};
use crate::message::DeliveryReport;
use crate::status::TraceStatus;
use crate::transport::{parse_form, value_excerpt};

/// The largest callback body read; Twilio's are a few hundred bytes.
pub const MAX_CALLBACK_BYTES: usize = 64 * 1024;

/// Parses a status callback body (`application/x-www-form-urlencoded`), leniently.
///
/// See [`parse_status_callback`]; this decodes the form first (bad percent escapes stay
/// literal, invalid UTF-8 becomes U+FFFD) and refuses bodies over [`MAX_CALLBACK_BYTES`].
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use smskit_provider::{FailureType, TraceStatus};
/// use smskit_provider::twilio::parse_status_callback_body;
///
/// let body = b"MessageSid=SM123&MessageStatus=undelivered&ErrorCode=30003&To=%2B32470123456\
///              &From=%2B32460200000&AccountSid=AC123&ApiVersion=2010-04-01";
/// let now = Utc.with_ymd_and_hms(2025, 1, 1, 12, 0, 0).unwrap();
/// let report = parse_status_callback_body(body, now).unwrap();
/// assert_eq!(report.message_id, "SM123");
/// assert_eq!(report.status, TraceStatus::Error);
/// assert_eq!(report.failure, Some(FailureType::InvalidDestination));
/// assert_eq!(report.to.unwrap().as_str(), "+32470123456");
/// assert_eq!(report.at, now);
/// ```
///
/// # Errors
/// As [`parse_status_callback`], plus an [`ErrorKind::InvalidWebhook`] error for an oversized
/// body.
pub fn parse_status_callback_body(
    body: &[u8],
    received_at: DateTime<Utc>,
) -> Result<DeliveryReport> {
    check_body_size(body)?;
    parse_status_callback(&parse_form(body), received_at)
}

/// Refuses a callback body over [`MAX_CALLBACK_BYTES`] before anything parses it.
pub(super) fn check_body_size(body: &[u8]) -> Result<()> {
    if body.len() > MAX_CALLBACK_BYTES {
        return Err(invalid(format!(
            "status callback body of {} bytes exceeds {MAX_CALLBACK_BYTES}",
            body.len()
        )));
    }
    Ok(())
}

/// Parses the parameters of a status callback into a [`DeliveryReport`], leniently: Twilio
/// adds parameters without notice, so unknown ones are ignored; names are matched exactly,
/// values trimmed; the first non-empty value of a repeated parameter wins.
///
/// Reads `MessageSid` (legacy alias `SmsSid`), `MessageStatus` (legacy alias `SmsStatus`,
/// case-insensitive), `ErrorCode` (empty or non-numeric is kept as text, failure type
/// "not delivered"), `ErrorMessage`, `To` (kept when it is a valid E.164 number), `From`.
/// The report's time is `received_at`: Twilio's callbacks carry no timestamp.
///
/// A `failed` or `undelivered` status gets the failure type of
/// [`delivery_failure`](super::delivery_failure).
///
/// # Errors
/// An [`ErrorKind::InvalidWebhook`] (permanent) error when the message id or the status is
/// missing, the status is unknown, or it is an inbound-message status (`receiving`,
/// `received`), which is no delivery report.
pub fn parse_status_callback<N: AsRef<str>, V: AsRef<str>>(
    params: &[(N, V)],
    received_at: DateTime<Utc>,
) -> Result<DeliveryReport> {
    let get = |names: &[&str]| -> Option<&str> {
        names.iter().find_map(|name| {
            params
                .iter()
                .filter(|(n, _)| n.as_ref() == *name)
                .map(|(_, v)| v.as_ref().trim())
                .find(|v| !v.is_empty())
        })
    };
    let sid = get(&["MessageSid", "SmsSid"])
        .ok_or_else(|| invalid("status callback without MessageSid".to_owned()))?;
    let raw_status = get(&["MessageStatus", "SmsStatus"]).ok_or_else(|| {
        invalid(format!(
            "status callback for {} without MessageStatus",
            value_excerpt(sid)
        ))
    })?;
    let status: TwilioStatus = raw_status.parse().map_err(|_| {
        invalid(format!(
            "status callback for {} with unknown MessageStatus `{}`",
            value_excerpt(sid),
            value_excerpt(raw_status)
        ))
    })?;
    let trace = status.trace_status().ok_or_else(|| {
        invalid(format!(
            "status `{status}` is about an inbound message, not a delivery report ({})",
            value_excerpt(sid)
        ))
    })?;
    let mut report = DeliveryReport::new("twilio", sid, trace, status.as_str(), received_at);
    let code_text = get(&["ErrorCode"]);
    if let Some(code) = code_text {
        report.error_code = Some(code.to_owned());
    }
    if trace == TraceStatus::Error {
        report.failure = Some(delivery_failure(code_text.and_then(parse_code)));
    }
    report.error_message = get(&["ErrorMessage"]).map(str::to_owned);
    report.to = get(&["To"]).and_then(|to| E164::parse(to).ok());
    report.from = get(&["From"]).map(str::to_owned);
    Ok(report)
}

fn invalid(message: String) -> Error {
    Error::permanent(ErrorKind::InvalidWebhook, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FailureType;

    fn at() -> DateTime<Utc> {
        DateTime::UNIX_EPOCH
    }

    #[test]
    fn a_body_of_64_kib_is_read_and_one_byte_more_is_not() {
        assert_eq!(MAX_CALLBACK_BYTES, 65_536);
        assert!(check_body_size(&vec![b'a'; MAX_CALLBACK_BYTES]).is_ok());
        let error = check_body_size(&vec![b'a'; MAX_CALLBACK_BYTES + 1]).unwrap_err();
        assert!(error.message().contains("65537 bytes"), "{error}");
    }

    proptest::proptest! {
        /// Unknown parameters, anywhere, never change the report.
        #[test]
        fn unknown_parameters_are_ignored(
            extra in proptest::collection::vec(("X[A-Za-z]{0,10}", "\\PC{0,20}"), 0..6),
            at_front in proptest::bool::ANY,
        ) {
            let base = vec![
                ("MessageSid".to_owned(), "SM1".to_owned()),
                ("MessageStatus".to_owned(), "undelivered".to_owned()),
                ("ErrorCode".to_owned(), "30005".to_owned()),
                ("To".to_owned(), "+32470123456".to_owned()),
            ];
            let expected = parse_status_callback(&base, at()).unwrap();
            let mut params = base.clone();
            if at_front {
                let mut front = extra.clone();
                front.extend(params);
                params = front;
            } else {
                params.extend(extra);
            }
            proptest::prop_assert_eq!(parse_status_callback(&params, at()).unwrap(), expected);
        }
    }

    #[test]
    fn legacy_aliases_and_extra_parameters() {
        let report = parse_status_callback_body(
            b"SmsSid=SM9&SmsStatus=SENT&NewParam=whatever&To=not-a-number&ErrorCode=",
            at(),
        )
        .unwrap();
        assert_eq!(report.message_id, "SM9");
        assert_eq!(report.status, TraceStatus::Pending);
        assert_eq!(report.provider_status, "sent");
        assert_eq!(report.to, None);
        assert_eq!(report.error_code, None);
        assert_eq!(report.failure, None);
    }

    #[test]
    fn failed_with_opt_out_code() {
        let report = parse_status_callback_body(
            b"MessageSid=SM1&MessageStatus=failed&ErrorCode=21610",
            at(),
        )
        .unwrap();
        assert_eq!(report.status, TraceStatus::Error);
        assert!(report.is_opt_out());
    }

    #[test]
    fn undelivered_without_code_is_not_delivered() {
        let report = parse_status_callback_body(
            b"MessageSid=SM1&MessageStatus=undelivered&ErrorCode=abc",
            at(),
        )
        .unwrap();
        assert_eq!(report.failure, Some(FailureType::NotDelivered));
        assert_eq!(report.error_code.as_deref(), Some("abc"));
    }

    #[test]
    fn rejects_what_is_not_a_delivery_report() {
        for body in [
            &b""[..],
            b"MessageStatus=sent",
            b"MessageSid=SM1",
            b"MessageSid=SM1&MessageStatus=exploded",
            b"MessageSid=SM1&MessageStatus=received",
            b"MessageSid=&MessageStatus=sent",
        ] {
            let error = parse_status_callback_body(body, at()).unwrap_err();
            assert_eq!(
                error.kind(),
                ErrorKind::InvalidWebhook,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        let huge = vec![b'a'; MAX_CALLBACK_BYTES + 1];
        assert!(parse_status_callback_body(&huge, at()).is_err());
    }

    #[test]
    fn first_non_empty_value_wins() {
        let params = [
            ("MessageSid", ""),
            ("MessageSid", "SM2"),
            ("MessageSid", "SM3"),
            ("MessageStatus", "delivered"),
        ];
        let report = parse_status_callback(&params, at()).unwrap();
        assert_eq!(report.message_id, "SM2");
        assert_eq!(report.status, TraceStatus::Sent);
    }
}
