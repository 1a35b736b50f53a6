//! Twilio inbound messages (the "A message comes in" webhook of a number).

use chrono::{DateTime, Utc};
use smskit_phone::E164;

use crate::error::{Error, ErrorKind, Result};
use crate::message::InboundMessage;
use crate::transport::value_excerpt;

/// Parses the parameters of an inbound-message webhook whose `X-Twilio-Signature` the caller
/// verified ([`Provider::parse_inbound_message`](crate::Provider::parse_inbound_message) of
/// [`Twilio`](super::Twilio) does both).
///
/// Reads `MessageSid` (legacy alias `SmsMessageSid`), `From` (an E.164 number), `To` and
/// `Body`; the time is `received_at`, as Twilio's webhooks carry no timestamp. Twilio joins
/// the parts of a long SMS before calling, so there is no part.
///
/// ```
/// use chrono::DateTime;
/// use smskit_provider::twilio::parse_inbound_message;
///
/// let params = [("MessageSid", "SM1"), ("From", "+32470123456"), ("To", "+32460200000"),
///               ("Body", "STOP"), ("NumSegments", "1")];
/// let sms = parse_inbound_message(&params, DateTime::UNIX_EPOCH)?;
/// assert_eq!((sms.from.as_str(), sms.text.as_str()), ("+32470123456", "STOP"));
/// # Ok::<(), smskit_provider::Error>(())
/// ```
///
/// # Errors
/// An [`ErrorKind::InvalidWebhook`] error without a message id, or without a valid `From`
/// number, or without `To`.
pub fn parse_inbound_message<N: AsRef<str>, V: AsRef<str>>(
    params: &[(N, V)],
    received_at: DateTime<Utc>,
) -> Result<InboundMessage> {
    let get = |names: &[&str]| -> Option<&str> {
        names.iter().find_map(|name| {
            params
                .iter()
                .filter(|(n, _)| n.as_ref() == *name)
                .map(|(_, v)| v.as_ref())
                .find(|v| !v.trim().is_empty())
        })
    };
    let invalid = |message: String| Error::permanent(ErrorKind::InvalidWebhook, message);
    let sid = get(&["MessageSid", "SmsMessageSid", "SmsSid"])
        .map(str::trim)
        .ok_or_else(|| invalid("Twilio inbound message without MessageSid".to_owned()))?;
    let from = get(&["From"]).map(str::trim).unwrap_or("");
    let from = E164::parse(from).map_err(|error| {
        invalid(format!(
            "Twilio inbound message {} from `{}`: {error}",
            value_excerpt(sid),
            value_excerpt(from)
        ))
    })?;
    let to = get(&["To"]).map(str::trim).ok_or_else(|| {
        invalid(format!(
            "Twilio inbound message {} without To",
            value_excerpt(sid)
        ))
    })?;
    let text = get(&["Body"]).unwrap_or("");
    Ok(InboundMessage::new(
        "twilio",
        sid,
        from,
        to,
        text,
        received_at,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_refusals() {
        let at = DateTime::UNIX_EPOCH;
        let sms = parse_inbound_message(
            &[
                ("SmsMessageSid", "SM9"),
                ("From", "+447700900000"),
                ("To", "12345"),
                ("Body", "  Stop please  "),
            ],
            at,
        )
        .unwrap();
        assert_eq!(sms.message_id, "SM9");
        assert_eq!(sms.to, "12345");
        assert_eq!(sms.text, "  Stop please  ", "the text is kept as sent");
        assert_eq!(sms.at, at);
        for params in [
            vec![("From", "+447700900000"), ("To", "1"), ("Body", "x")],
            vec![("MessageSid", "SM1"), ("From", "ACME"), ("To", "1")],
            vec![("MessageSid", "SM1"), ("To", "1")],
            vec![("MessageSid", "SM1"), ("From", "+447700900000")],
        ] {
            let error = parse_inbound_message(&params, at).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidWebhook, "{params:?}");
        }
    }
}
