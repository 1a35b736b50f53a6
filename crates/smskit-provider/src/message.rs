//! The shared data types: outbound message, sender, price, receipt and delivery report.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use smskit_phone::E164;

use crate::error::{Error, ErrorKind};
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
    pub fn parse(text: &str) -> Result<Self, Error> {
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

#[cfg(feature = "serde")]
impl serde::Serialize for Sender {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Sender {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
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
    pub fn check(&self) -> Result<(), Error> {
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
pub(crate) fn check_callback_url(text: &str) -> Result<(), Error> {
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

/// An exact decimal amount of money with its ISO 4217 currency: the price a provider charged.
///
/// Providers quote SMS prices below the currency's minor unit (Twilio `-0.00750` USD, Vonage
/// `0.03330000` EUR), so the amount is an integer with a decimal scale rather than minor units;
/// [`Price::to_minor_units`] converts exactly when possible. Never floating point. Trailing
/// zeros are dropped, so equal amounts compare equal.
///
/// ```
/// use smskit_provider::Price;
///
/// let price = Price::parse("-0.00750", "USD").unwrap(); // Twilio charges are negative
/// assert_eq!(price.to_string(), "0.0075 USD");
/// assert_eq!(price.units(), 75);
/// assert_eq!(price.scale(), 4);
/// assert_eq!(Price::parse("0.10", "EUR").unwrap().to_minor_units(2), Some(10));
/// assert_eq!(price.to_minor_units(2), None); // 0.75 cent
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Price {
    units: u64,
    scale: u32,
    currency: String,
}

/// The largest decimal scale kept (digits after the point).
const MAX_SCALE: u32 = 18;

impl Price {
    /// Parses a decimal string (`12`, `0.0075`, `-0.00750`, `+1.5`); the sign is dropped
    /// because a price is a cost (Twilio reports charges as negative amounts). `None` for
    /// anything else, or more than 18 decimals, or an amount that does not fit 64 bits.
    #[must_use]
    pub fn parse(text: &str, currency: &str) -> Option<Self> {
        let text = text.trim();
        let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        if whole.is_empty() && fraction.is_empty() {
            return None;
        }
        if !whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let fraction = fraction.trim_end_matches('0');
        let scale = u32::try_from(fraction.len())
            .ok()
            .filter(|s| *s <= MAX_SCALE)?;
        let mut units: u64 = 0;
        for b in whole.bytes().chain(fraction.bytes()) {
            units = units.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
        }
        Some(Self {
            units,
            scale,
            currency: currency.trim().to_ascii_uppercase(),
        })
    }

    /// The amount as an integer: the price is `units / 10^scale`.
    #[must_use]
    pub const fn units(&self) -> u64 {
        self.units
    }

    /// The number of decimals of [`Price::units`].
    #[must_use]
    pub const fn scale(&self) -> u32 {
        self.scale
    }

    /// The ISO 4217 currency code (upper case).
    #[must_use]
    pub fn currency(&self) -> &str {
        &self.currency
    }

    /// The amount in minor units of `minor_digits` decimals (2 for USD/EUR), when that is
    /// exact; `None` when the amount has finer digits or does not fit.
    #[must_use]
    pub fn to_minor_units(&self, minor_digits: u32) -> Option<u64> {
        if self.scale <= minor_digits {
            self.units
                .checked_mul(10u64.checked_pow(minor_digits - self.scale)?)
        } else {
            let divisor = 10u64.checked_pow(self.scale - minor_digits)?;
            self.units
                .is_multiple_of(divisor)
                .then_some(self.units / divisor)
        }
    }

    /// The sum of two prices in the same currency; `None` when the currencies differ or the
    /// sum does not fit.
    #[must_use]
    pub fn checked_add(&self, other: &Self) -> Option<Self> {
        if self.currency != other.currency {
            return None;
        }
        let scale = self.scale.max(other.scale);
        let a = self
            .units
            .checked_mul(10u64.checked_pow(scale - self.scale)?)?;
        let b = other
            .units
            .checked_mul(10u64.checked_pow(scale - other.scale)?)?;
        let mut units = a.checked_add(b)?;
        let mut scale = scale;
        while scale > 0 && units % 10 == 0 {
            units /= 10;
            scale -= 1;
        }
        Some(Self {
            units,
            scale,
            currency: self.currency.clone(),
        })
    }
}

impl fmt::Display for Price {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(pow) = 10u64.checked_pow(self.scale) else {
            return write!(f, "{}e-{} {}", self.units, self.scale, self.currency);
        };
        if self.scale == 0 {
            write!(f, "{} {}", self.units, self.currency)
        } else {
            let width = self.scale as usize;
            write!(
                f,
                "{}.{:0width$} {}",
                self.units / pow,
                self.units % pow,
                self.currency
            )
        }
    }
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
    pub price: Option<Price>,
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
    pub fn with_price(mut self, price: Price) -> Self {
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
    pub price: Option<Price>,
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
    fn price_parse_exact() {
        let price = Price::parse("0.03330000", "eur").unwrap();
        assert_eq!(
            (price.units(), price.scale(), price.currency()),
            (333, 4, "EUR")
        );
        assert_eq!(price.to_string(), "0.0333 EUR");
        assert_eq!(Price::parse("12", "USD").unwrap().to_string(), "12 USD");
        assert_eq!(
            Price::parse("-0.00750", "USD"),
            Price::parse("0.0075", "USD")
        );
        assert_eq!(
            Price::parse(".5", "USD").unwrap().to_minor_units(2),
            Some(50)
        );
        assert_eq!(Price::parse("0.000", "USD").unwrap().to_string(), "0 USD");
        for bad in [
            "",
            "-",
            ".",
            "1.2.3",
            "abc",
            "1e5",
            "0.0000000000000000001",
            "99999999999999999999",
        ] {
            assert_eq!(Price::parse(bad, "USD"), None, "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn price_display_round_trips(units in 0u64..u64::MAX / 10, scale in 0u32..12) {
            let text = if scale == 0 {
                units.to_string()
            } else {
                let digits = format!("{units:0>width$}", width = scale as usize + 1);
                let (whole, fraction) = digits.split_at(digits.len() - scale as usize);
                format!("{whole}.{fraction}")
            };
            let price = Price::parse(&text, "usd").unwrap();
            let shown = price.to_string();
            let amount = shown.strip_suffix(" USD").unwrap();
            proptest::prop_assert_eq!(Price::parse(amount, "USD"), Some(price.clone()));
            proptest::prop_assert!(price.scale() <= scale);
        }
    }

    #[test]
    fn price_sum() {
        let a = Price::parse("0.0333", "EUR").unwrap();
        let b = Price::parse("0.0667", "EUR").unwrap();
        assert_eq!(a.checked_add(&b).unwrap().to_string(), "0.1 EUR");
        assert_eq!(a.checked_add(&Price::parse("1", "USD").unwrap()), None);
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
