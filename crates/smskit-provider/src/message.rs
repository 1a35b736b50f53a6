//! The shared data types: outbound message, sender, price, receipt and delivery report.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use smskit_phone::E164;
use smskit_segment::{Currency, Money};

use crate::error::{Error, ErrorKind, Result};
use crate::status::{FailureType, TraceStatus};

/// Who a message is sent from.
///
/// Parsed from the usual notations by [`Sender::parse`] (also [`FromStr`]); serialized as that
/// same string.
///
/// ```
/// use smskit_provider::Sender;
///
/// assert!(matches!(Sender::parse("+32470123456"), Ok(Sender::Number(_))));
/// assert!(matches!(Sender::parse("ACME"), Ok(Sender::Alphanumeric(_))));
/// assert!(matches!(Sender::parse("12345"), Ok(Sender::ShortCode(_))));
/// assert!(matches!(
///     Sender::parse("MG0123456789abcdef0123456789abcdef"),
///     Ok(Sender::Service(_))
/// ));
/// assert!(Sender::parse("not a valid sender!").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(into = "String", try_from = "String"))]
#[non_exhaustive]
pub enum Sender {
    /// A phone number (long code or toll-free).
    Number(E164),
    /// An alphanumeric sender id: 1 to 11 ASCII letters, digits and spaces, at least one letter.
    Alphanumeric(String),
    /// A short code: 3 to 8 digits.
    ShortCode(String),
    /// A provider-side sender pool: a Twilio Messaging Service SID (`MG` + 32 characters); the
    /// provider chooses the number.
    Service(String),
}

impl Sender {
    /// Parses `+E.164` (or 9 to 15 digits without `+`, the Vonage notation), a short code,
    /// a Messaging Service SID or an alphanumeric sender id, in that order.
    ///
    /// # Errors
    /// A permanent [`ErrorKind::InvalidSender`] error naming the input.
    pub fn parse(text: &str) -> Result<Self> {
        let invalid = |why: &str| {
            Error::permanent(
                ErrorKind::InvalidSender,
                format!("invalid sender `{text}`: {why}"),
            )
        };
        if text.starts_with('+') {
            return E164::parse(text)
                .map(Self::Number)
                .map_err(|error| invalid(&error.to_string()));
        }
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            return match text.len() {
                3..=8 => Ok(Self::ShortCode(text.to_owned())),
                9..=15 => E164::parse(&format!("+{text}"))
                    .map(Self::Number)
                    .map_err(|error| invalid(&error.to_string())),
                _ => Err(invalid(
                    "a numeric sender has 3 to 8 (short code) or 9 to 15 digits",
                )),
            };
        }
        if is_sid(text, "MG") {
            return Ok(Self::Service(text.to_owned()));
        }
        let valid_alpha = (1..=11).contains(&text.len())
            && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' ')
            && text.bytes().any(|b| b.is_ascii_alphabetic());
        if valid_alpha {
            Ok(Self::Alphanumeric(text.to_owned()))
        } else {
            Err(invalid(
                "an alphanumeric sender id has 1 to 11 ASCII letters, digits or spaces, at least one letter",
            ))
        }
    }

    /// The sender as the providers write it (`+32470123456`, `ACME`, `12345`, `MG…`); also the
    /// key of its rate limit in the dispatcher.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::Number(number) => number.as_str(),
            Self::Alphanumeric(text) | Self::ShortCode(text) | Self::Service(text) => text,
        }
    }
}

/// Whether `text` is a Twilio SID of that two-letter prefix: the prefix followed by 32
/// letters or digits.
pub(crate) fn is_sid(text: &str, prefix: &str) -> bool {
    text.len() == 34
        && text.starts_with(prefix)
        && text.bytes().skip(2).all(|b| b.is_ascii_alphanumeric())
}

impl fmt::Display for Sender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Sender {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl From<E164> for Sender {
    fn from(number: E164) -> Self {
        Self::Number(number)
    }
}

impl From<Sender> for String {
    fn from(sender: Sender) -> Self {
        match sender {
            Sender::Number(number) => number.as_str().to_owned(),
            Sender::Alphanumeric(text) | Sender::ShortCode(text) | Sender::Service(text) => text,
        }
    }
}

impl TryFrom<String> for Sender {
    type Error = Error;

    fn try_from(text: String) -> Result<Self> {
        Self::parse(&text)
    }
}

/// One SMS to send: the provider-independent form every [`Provider`](crate::Provider) accepts.
///
/// ```
/// use std::time::Duration;
/// use smskit_phone::E164;
/// use smskit_provider::{OutboundMessage, Sender};
///
/// let to = E164::parse("+32470123456").unwrap();
/// let message = OutboundMessage::new(to, "Spring sale: -20% today")
///     .with_from(Sender::parse("ACME").unwrap())
///     .with_client_ref("trace-42")
///     .with_status_callback("https://example.com/sms/status")
///     .with_validity(Duration::from_secs(3600));
/// assert_eq!(message.to.as_str(), "+32470123456");
/// assert_eq!(message.client_ref.as_deref(), Some("trace-42"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct OutboundMessage {
    /// The destination.
    pub to: E164,
    /// The sender; `None` lets the provider choose (its sender pool by destination country,
    /// else its configured default or Messaging Service).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub from: Option<Sender>,
    /// The text, as rendered for this recipient.
    pub body: String,
    /// The caller's reference (trace id / idempotency key), echoed in delivery reports by the
    /// providers that support it (Vonage `client-ref`; the stub and file providers keep it).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub client_ref: Option<String>,
    /// Where the provider posts delivery reports for this message.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub status_callback: Option<String>,
    /// How long the provider may keep trying to deliver; rounded up to whole seconds
    /// (serialized as seconds).
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "validity_secs"
        )
    )]
    pub validity: Option<Duration>,
}

impl OutboundMessage {
    /// A message to `to` with `body`, everything else unset.
    #[must_use]
    pub fn new(to: E164, body: impl Into<String>) -> Self {
        Self {
            to,
            from: None,
            body: body.into(),
            client_ref: None,
            status_callback: None,
            validity: None,
        }
    }

    /// Sets the sender.
    #[must_use]
    pub fn with_from(mut self, from: Sender) -> Self {
        self.from = Some(from);
        self
    }

    /// Sets the caller's reference.
    #[must_use]
    pub fn with_client_ref(mut self, client_ref: impl Into<String>) -> Self {
        self.client_ref = Some(client_ref.into());
        self
    }

    /// Sets the status callback URL.
    #[must_use]
    pub fn with_status_callback(mut self, url: impl Into<String>) -> Self {
        self.status_callback = Some(url.into());
        self
    }

    /// Sets the validity period.
    #[must_use]
    pub fn with_validity(mut self, validity: Duration) -> Self {
        self.validity = Some(validity);
        self
    }

    /// The checks every provider needs: a non-empty body and, when set, a usable status
    /// callback URL (`http`/`https`, a host without underscores). Provider limits (body length,
    /// validity range) are checked by each provider.
    ///
    /// # Errors
    /// A permanent [`ErrorKind::InvalidRequest`] error.
    pub fn check(&self) -> Result<()> {
        if self.body.is_empty() {
            return Err(Error::permanent(
                ErrorKind::InvalidRequest,
                format!("empty message body for {}", self.to),
            ));
        }
        if let Some(url) = &self.status_callback {
            check_callback_url(url)?;
        }
        Ok(())
    }

    /// The validity in whole seconds, rounded up.
    pub(crate) fn validity_secs(&self) -> Option<u64> {
        self.validity.map(ceil_secs)
    }
}

pub(crate) fn ceil_secs(duration: Duration) -> u64 {
    duration.as_secs() + u64::from(duration.subsec_nanos() > 0)
}

/// Checks a status callback URL: absolute `http`/`https` with a host that has no underscore
/// (Twilio refuses those).
pub(crate) fn check_callback_url(text: &str) -> Result<()> {
    let invalid = |why: &str| {
        Error::permanent(
            ErrorKind::InvalidRequest,
            format!("invalid status callback URL `{text}`: {why}"),
        )
    };
    let url = url::Url::parse(text).map_err(|error| invalid(&error.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    match url.host_str() {
        None | Some("") => Err(invalid("a host is required")),
        Some(host) if host.contains('_') => Err(invalid("underscores are not allowed in the host")),
        Some(_) => Ok(()),
    }
}

#[cfg(feature = "serde")]
mod validity_secs {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    #[allow(clippy::ref_option, reason = "the signature serde's `with` expects")]
    pub(super) fn serialize<S: Serializer>(
        value: &Option<Duration>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(duration) => serializer.serialize_u64(super::ceil_secs(*duration)),
            None => serializer.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Duration>, D::Error> {
        Ok(Option::<u64>::deserialize(deserializer)?.map(Duration::from_secs))
    }
}

/// Parses a price as a provider writes it — a decimal amount, signed or not (Twilio reports a
/// charge as `-0.00750`), with at most 6 decimals after trailing zeros are dropped — into the
/// one money type, [`Money`]: exact micro-units of a validated currency. The sign is kept.
///
/// ```
/// use smskit_provider::{Currency, parse_price};
///
/// let usd = Currency::new("USD").unwrap();
/// let charge = parse_price("-0.00750", usd).unwrap(); // Twilio charges are negative
/// assert_eq!(charge.micros(), -7_500);
/// assert_eq!(charge.to_string(), "-0.0075 USD");
/// assert!(parse_price("0.0000001", usd).is_err()); // finer than a micro-unit: not rounded
/// ```
///
/// # Errors
/// A permanent [`ErrorKind::InvalidResponse`] error naming the amount when it is not such a
/// decimal or does not fit.
pub fn parse_price(amount: &str, currency: Currency) -> Result<Money> {
    let text = amount.trim();
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let invalid = |why: String| {
        Error::permanent(
            ErrorKind::InvalidResponse,
            format!(
                "invalid price `{}`: {why}",
                crate::transport::value_excerpt(amount)
            ),
        )
    };
    let magnitude = Money::parse(digits, currency).map_err(|error| invalid(error.to_string()))?;
    if negative {
        // The magnitude is non-negative, so its negation always fits.
        Ok(Money::from_micros(-magnitude.micros(), currency))
    } else {
        Ok(magnitude)
    }
}

/// The price of a provider's amount and currency code when both are usable: a price without
/// a valid currency is no price (never an assumed currency).
pub(crate) fn price_of(amount: &str, currency: Option<&str>) -> Option<Money> {
    let currency = Currency::new(currency?.trim()).ok()?;
    parse_price(amount, currency).ok()
}

/// What a provider answered when it accepted a message.
///
/// The facade marks the trace `pending` on any receipt; [`Receipt::status`] is the provider's
/// own initial status mapped to a trace status (Twilio `queued` → `outgoing`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Receipt {
    /// The provider's name (`twilio`, `vonage`, `file`, `stub`, or your provider's).
    pub provider: String,
    /// The provider's id of the message (Twilio `SM…`; Vonage: the first part's id).
    pub message_id: String,
    /// Every part's id when the provider reports parts separately (Vonage); else empty.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub part_ids: Vec<String>,
    /// The initial status, mapped to a trace status.
    pub status: TraceStatus,
    /// The initial status as the provider wrote it.
    pub provider_status: String,
    /// The number of segments, when the provider said (Twilio reports 0 until it chose a
    /// sender of a Messaging Service; that is `None` here).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub segments: Option<u32>,
    /// The price, when the provider said.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub price: Option<Money>,
    /// When the provider created the message, when it said.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub created_at: Option<DateTime<Utc>>,
}

impl Receipt {
    /// A receipt with the required fields; the others unset.
    #[must_use]
    pub fn new(
        provider: impl Into<String>,
        message_id: impl Into<String>,
        status: TraceStatus,
        provider_status: impl Into<String>,
    ) -> Self {
        Self {
            provider: provider.into(),
            message_id: message_id.into(),
            part_ids: Vec::new(),
            status,
            provider_status: provider_status.into(),
            segments: None,
            price: None,
            created_at: None,
        }
    }

    /// Sets the part ids.
    #[must_use]
    pub fn with_part_ids(mut self, part_ids: Vec<String>) -> Self {
        self.part_ids = part_ids;
        self
    }

    /// Sets the segment count.
    #[must_use]
    pub fn with_segments(mut self, segments: u32) -> Self {
        self.segments = Some(segments);
        self
    }

    /// Sets the price.
    #[must_use]
    pub fn with_price(mut self, price: Money) -> Self {
        self.price = Some(price);
        self
    }

    /// Sets the creation time.
    #[must_use]
    pub fn with_created_at(mut self, created_at: DateTime<Utc>) -> Self {
        self.created_at = Some(created_at);
        self
    }
}

/// An SMS someone sent to one of the account's numbers: what a provider's inbound webhook
/// says, once its signature was verified ([`Provider::parse_inbound_message`]).
///
/// [`Provider::parse_inbound_message`]: crate::Provider::parse_inbound_message
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct InboundMessage {
    /// The provider's name.
    pub provider: String,
    /// The provider's id of the message.
    pub message_id: String,
    /// Who sent it.
    pub from: E164,
    /// The number or short code it was sent to, as the provider wrote it.
    pub to: String,
    /// What it says (one part of it, when [`InboundMessage::part`] is set).
    pub text: String,
    /// Which part of a long SMS this is, when the provider delivers the parts one by one.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub part: Option<InboundPart>,
    /// When it was sent: the provider's timestamp when it gives one, else the time the caller
    /// received the webhook.
    pub at: DateTime<Utc>,
}

/// One part of a long inbound SMS (Vonage delivers them separately): join the parts of one
/// `reference` in `number` order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct InboundPart {
    /// The id shared by every part of the SMS.
    pub reference: String,
    /// This part's number, from 1.
    pub number: u32,
    /// How many parts the SMS has.
    pub total: u32,
}

impl InboundMessage {
    /// A whole (single-part) message.
    #[must_use]
    pub fn new(
        provider: impl Into<String>,
        message_id: impl Into<String>,
        from: E164,
        to: impl Into<String>,
        text: impl Into<String>,
        at: DateTime<Utc>,
    ) -> Self {
        Self {
            provider: provider.into(),
            message_id: message_id.into(),
            from,
            to: to.into(),
            text: text.into(),
            part: None,
            at,
        }
    }
}

/// A delivery report (status callback, DLR): a provider's news about a message it accepted.
///
/// Apply it to the trace with [`TraceStatus::is_superseded_by`] so that late, repeated and
/// out-of-order reports never move a trace backwards.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct DeliveryReport {
    /// The provider's name.
    pub provider: String,
    /// The provider's id of the message (or of the part, for Vonage).
    pub message_id: String,
    /// The status, mapped to a trace status.
    pub status: TraceStatus,
    /// The status as the provider wrote it.
    pub provider_status: String,
    /// Why the message failed, when [`DeliveryReport::status`] is `error`.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub failure: Option<FailureType>,
    /// The provider's error code, when it gave one.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub error_code: Option<String>,
    /// The provider's error text, when it gave one.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub error_message: Option<String>,
    /// The recipient, when the report names a valid number.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub to: Option<E164>,
    /// The sender as the report wrote it.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub from: Option<String>,
    /// The caller's reference given when sending, when the provider echoes it.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub client_ref: Option<String>,
    /// The price, when the report gives it.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub price: Option<Money>,
    /// When the status happened: the provider's timestamp when it gives one, else the time the
    /// caller received the report.
    pub at: DateTime<Utc>,
}

impl DeliveryReport {
    /// A report with the required fields; the others unset.
    #[must_use]
    pub fn new(
        provider: impl Into<String>,
        message_id: impl Into<String>,
        status: TraceStatus,
        provider_status: impl Into<String>,
        at: DateTime<Utc>,
    ) -> Self {
        Self {
            provider: provider.into(),
            message_id: message_id.into(),
            status,
            provider_status: provider_status.into(),
            failure: None,
            error_code: None,
            error_message: None,
            to: None,
            from: None,
            client_ref: None,
            price: None,
            at,
        }
    }

    /// Whether the report says the recipient opted out (record it: blacklist the number or
    /// mark the subscription).
    #[must_use]
    pub fn is_opt_out(&self) -> bool {
        self.failure == Some(FailureType::OptOut)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> E164 {
        E164::parse(text).unwrap()
    }

    #[test]
    fn sender_parse_and_display() {
        for text in [
            "+32470123456",
            "ACME",
            "My Shop 1",
            "12345",
            "MG0123456789abcdef0123456789abcdef",
        ] {
            assert_eq!(Sender::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(
            Sender::parse("32470123456").unwrap(),
            Sender::Number(number("+32470123456"))
        );
        for bad in [
            "",
            "12",
            "1234567890123456",
            "TwelveChars!",
            "Twelve chars",
            "1234 5",
            "é",
            "+0",
        ] {
            let error = Sender::parse(bad).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidSender, "{bad}");
            assert!(error.message().contains(bad), "{bad}");
        }
    }

    #[test]
    fn message_check() {
        let to = number("+32470123456");
        assert!(OutboundMessage::new(to, "hi").check().is_ok());
        assert_eq!(
            OutboundMessage::new(to, "").check().unwrap_err().kind(),
            ErrorKind::InvalidRequest
        );
        for bad in [
            "https://my_host.example.com/cb",
            "ftp://example.com/cb",
            "/relative",
            "https://",
        ] {
            let message = OutboundMessage::new(to, "hi").with_status_callback(bad);
            assert_eq!(
                message.check().unwrap_err().kind(),
                ErrorKind::InvalidRequest,
                "{bad}"
            );
        }
        let ok = OutboundMessage::new(to, "hi")
            .with_status_callback("https://example.com/sms/status?trace=my_trace");
        assert!(ok.check().is_ok(), "underscores in the query are fine");
    }

    #[test]
    fn price_keeps_its_sign_and_is_exact() {
        let usd = Currency::new("USD").unwrap();
        let eur = Currency::new("eur").unwrap();
        assert_eq!(parse_price("-0.00750", usd).unwrap().micros(), -7_500);
        assert_eq!(parse_price("+1.5", usd).unwrap().micros(), 1_500_000);
        assert_eq!(
            parse_price(" 0.03330000 ", eur).unwrap().to_string(),
            "0.0333 EUR"
        );
        assert_eq!(parse_price(".5", usd).unwrap().micros(), 500_000);
        for bad in [
            "",
            "-",
            "--1",
            "-+1",
            ".",
            "1.2.3",
            "abc",
            "1e5",
            "0.0000001",
            "99999999999999999999",
        ] {
            let error = parse_price(bad, usd).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidResponse, "{bad}");
            assert!(error.message().contains(bad), "{bad}: {error}");
        }
    }

    #[test]
    fn a_price_without_a_currency_is_no_price() {
        assert_eq!(price_of("0.0075", None), None);
        assert_eq!(price_of("0.0075", Some("")), None);
        assert_eq!(price_of("0.0075", Some("US")), None);
        assert_eq!(
            price_of("-0.0075", Some("usd")).map(|m| m.to_string()),
            Some("-0.0075 USD".to_owned())
        );
    }

    proptest::proptest! {
        #[test]
        fn price_round_trips_through_display(micros in -(i64::MAX / 2)..i64::MAX / 2) {
            let eur = Currency::new("EUR").unwrap();
            let money = Money::from_micros(micros, eur);
            let shown = money.to_string();
            let amount = shown.strip_suffix(" EUR").unwrap();
            proptest::prop_assert_eq!(parse_price(amount, eur).unwrap(), money);
        }
    }

    #[cfg(feature = "serde")]
    #[test]
    fn message_serde_round_trip() {
        let message = OutboundMessage::new(number("+32470123456"), "hi")
            .with_from(Sender::parse("ACME").unwrap())
            .with_validity(Duration::from_millis(1500));
        let json = serde_json::to_value(&message).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"to": "+32470123456", "from": "ACME", "body": "hi", "validity": 2})
        );
        let back: OutboundMessage = serde_json::from_value(json).unwrap();
        assert_eq!(back.validity, Some(Duration::from_secs(2)));
        assert!(
            serde_json::from_value::<OutboundMessage>(
                serde_json::json!({"to": "+32470123456", "from": "bad sender!", "body": "hi"})
            )
            .is_err()
        );
    }
}
