//! Vonage inbound messages (the SMS API's inbound webhook), read from verified parameters.

use chrono::{DateTime, NaiveDateTime, Utc};
use smskit_phone::E164;

use super::SignedParams;
use crate::error::{Error, ErrorKind, Result};
use crate::message::{InboundMessage, InboundPart};
use crate::transport::value_excerpt;

/// Parses a Vonage inbound message from its verified parameters (see
/// [`SignatureVerifier`](super::SignatureVerifier): an unsigned or forged message never gets
/// here).
///
/// Reads `messageId`, `msisdn` (the sender, digits), `to`, `text` and the time:
/// `message-timestamp` (`YYYY-MM-DD HH:MM:SS`, UTC), else the signature's `timestamp`. A part
/// of a long SMS (`concat=true`) carries its `concat-ref`, `concat-part` and `concat-total`.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use smskit_provider::vonage::{SignatureMethod, SignatureVerifier, parse_inbound_message};
///
/// // An inbound message of Vonage's PHP SDK test suite, signed with md5hash.
/// let params = [
///     ("message-timestamp", "2013-11-21 15:27:30"), ("messageId", "020000001B0FE827"),
///     ("msisdn", "14843472194"), ("text", "Test again"), ("timestamp", "1385047698"),
///     ("to", "13239877404"), ("type", "text"), ("sig", "d2e7b1dc968737c5998ad624e02f90b7"),
/// ];
/// let verifier = SignatureVerifier::new("my_secret_key_for_testing", SignatureMethod::Md5Hash)?;
/// let received_at = Utc.timestamp_opt(1385047700, 0).unwrap();
/// let sms = parse_inbound_message(&verifier.verify(&params, received_at)?, received_at)?;
/// assert_eq!((sms.from.as_str(), sms.text.as_str()), ("+14843472194", "Test again"));
/// assert_eq!(sms.at.to_rfc3339(), "2013-11-21T15:27:30+00:00");
/// # Ok::<(), smskit_provider::Error>(())
/// ```
///
/// # Errors
/// An [`ErrorKind::InvalidWebhook`] error without `messageId`, a valid `msisdn` or `to`, for
/// a binary message (`type=binary`, which has no text), or for inconsistent part numbers.
pub fn parse_inbound_message(
    params: &SignedParams,
    received_at: DateTime<Utc>,
) -> Result<InboundMessage> {
    let get = |name: &str| params.get(name).map(str::trim).filter(|v| !v.is_empty());
    let invalid = |message: String| Error::permanent(ErrorKind::InvalidWebhook, message);
    let id = get("messageId")
        .or_else(|| get("message-id"))
        .ok_or_else(|| invalid("Vonage inbound message without messageId".to_owned()))?;
    let msisdn = get("msisdn").unwrap_or("");
    let from = E164::parse(&format!("+{}", msisdn.trim_start_matches('+'))).map_err(|error| {
        invalid(format!(
            "Vonage inbound message {} from `{}`: {error}",
            value_excerpt(id),
            value_excerpt(msisdn)
        ))
    })?;
    let to = get("to").ok_or_else(|| {
        invalid(format!(
            "Vonage inbound message {} without `to`",
            value_excerpt(id)
        ))
    })?;
    if get("type").is_some_and(|kind| kind.eq_ignore_ascii_case("binary")) {
        return Err(invalid(format!(
            "Vonage inbound message {} is binary: it has no text",
            value_excerpt(id)
        )));
    }
    let text = params.get("text").unwrap_or("");
    let at = get("message-timestamp")
        .and_then(|t| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S").ok())
        .map_or_else(
            || params.signed_at().min(received_at),
            |naive| naive.and_utc(),
        );
    let mut sms = InboundMessage::new("vonage", id, from, to, text, at);
    if get("concat").is_some_and(|concat| concat.eq_ignore_ascii_case("true")) {
        let number = |name: &str| get(name).and_then(|n| n.parse::<u32>().ok());
        let (Some(reference), Some(number), Some(total)) = (
            get("concat-ref"),
            number("concat-part"),
            number("concat-total"),
        ) else {
            return Err(invalid(format!(
                "Vonage inbound message {} is a part without concat-ref, concat-part and concat-total",
                value_excerpt(id)
            )));
        };
        if number == 0 || number > total {
            return Err(invalid(format!(
                "Vonage inbound message {} is part {number} of {total}",
                value_excerpt(id)
            )));
        }
        sms.part = Some(InboundPart {
            reference: reference.to_owned(),
            number,
            total,
        });
    }
    Ok(sms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vonage::{SignatureMethod, SignatureVerifier};

    fn signed(pairs: &[(&str, &str)]) -> Result<InboundMessage> {
        let verifier = SignatureVerifier::new("secret", SignatureMethod::Sha1Hmac).unwrap();
        let mut params: Vec<(String, String)> = pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .chain([("timestamp".to_owned(), "100".to_owned())])
            .collect();
        let sig = verifier.sign(&params);
        params.push(("sig".to_owned(), sig));
        let now = DateTime::from_timestamp(100, 0).unwrap();
        parse_inbound_message(&verifier.verify(&params, now)?, now)
    }

    #[test]
    fn parts_binary_and_missing_fields() {
        let base = [
            ("messageId", "M1"),
            ("msisdn", "447700900000"),
            ("to", "447700900001"),
        ];
        let sms = signed(&[&base[..], &[("text", "Hi")]].concat()).unwrap();
        assert_eq!(sms.from.as_str(), "+447700900000");
        assert_eq!(sms.part, None);
        assert_eq!(sms.at.timestamp(), 100, "the signature's timestamp");
        let part = signed(
            &[
                &base[..],
                &[
                    ("text", "first half"),
                    ("concat", "true"),
                    ("concat-ref", "R7"),
                    ("concat-part", "1"),
                    ("concat-total", "2"),
                ],
            ]
            .concat(),
        )
        .unwrap();
        assert_eq!(
            part.part,
            Some(InboundPart {
                reference: "R7".to_owned(),
                number: 1,
                total: 2
            })
        );
        // The last part is a part like the others.
        let last = signed(
            &[
                &base[..],
                &[
                    ("text", "second half"),
                    ("concat", "true"),
                    ("concat-ref", "R7"),
                    ("concat-part", "2"),
                    ("concat-total", "2"),
                ],
            ]
            .concat(),
        )
        .unwrap();
        assert_eq!(last.part.map(|part| part.number), Some(2));
        for bad in [
            vec![("msisdn", "447700900000"), ("to", "1")],
            vec![("messageId", "M1"), ("msisdn", "nope"), ("to", "1")],
            vec![("messageId", "M1"), ("msisdn", "447700900000")],
            [&base[..], &[("type", "binary"), ("data", "00ff")]].concat(),
            [
                &base[..],
                &[
                    ("concat", "true"),
                    ("concat-part", "3"),
                    ("concat-total", "2"),
                    ("concat-ref", "R"),
                ],
            ]
            .concat(),
            [&base[..], &[("concat", "true")]].concat(),
        ] {
            let error = signed(&bad).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidWebhook, "{bad:?}");
        }
    }
}
