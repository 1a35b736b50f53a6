//! Vonage (Nexmo) SMS API: sans-IO request building, per-part response parsing, delivery
//! receipts, and the [`Vonage`] provider over a [`Transport`].
//!
//! ```
//! use smskit_phone::E164;
//! use smskit_provider::{Body, OutboundMessage, Sender};
//! use smskit_provider::vonage::{VonageConfig, parse_send_response};
//!
//! let config = VonageConfig::new("abcd1234", "secret").unwrap();
//! let message = OutboundMessage::new(E164::parse("+447700900000").unwrap(), "Hi")
//!     .with_from(Sender::parse("ACME").unwrap());
//! let request = config.build_request(&message).unwrap();
//! assert_eq!(request.uri(), "https://rest.nexmo.com/sms/json");
//! assert_eq!(request.body(), b"api_key=abcd1234&api_secret=secret&from=ACME&to=447700900000&text=Hi");
//!
//! let body = r#"{"message-count": "1", "messages": [{"to": "447700900000",
//!     "message-id": "0A0000000123ABCD1", "status": "0", "remaining-balance": "3.14159265",
//!     "message-price": "0.03330000", "network": "12345"}]}"#;
//! let eur = smskit_provider::Currency::new("EUR").unwrap();
//! let response = http::Response::builder().status(200).body(Body::from(body)).unwrap();
//! let receipt = parse_send_response(&response, Some(eur)).unwrap();
//! assert_eq!(receipt.message_id, "0A0000000123ABCD1");
//! assert_eq!(receipt.price.unwrap().to_string(), "0.0333 EUR");
//! ```

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::Value;
use smskit_phone::E164;
use smskit_segment::{Currency, Money};

use crate::error::{Error, ErrorClass, ErrorKind, Result, config_error};
use crate::json::{number_of, text_of};
use crate::message::{
    DeliveryReport, InboundMessage, OutboundMessage, Receipt, Sender, parse_price,
};
use crate::provider::Provider;
use crate::sender::SenderPool;
use crate::status::{FailureType, TraceStatus};
use crate::transport::{
    HttpRequest, HttpResponse, Transport, body_excerpt, build_request, check_api_base,
    error_for_status, form_body, retry_after, status_message, value_excerpt,
};

mod inbound;
mod signature;

pub use inbound::parse_inbound_message;
pub use signature::{
    DEFAULT_TOLERANCE, MAX_WEBHOOK_BYTES, SignatureMethod, SignatureVerifier, SignedParams,
    webhook_params,
};

/// Vonage's API base URL.
pub const DEFAULT_API_BASE: &str = "https://rest.nexmo.com";
/// The longest `client-ref` Vonage accepts, in characters.
pub const MAX_CLIENT_REF_CHARS: usize = 100;
/// The `ttl` range Vonage accepts, in milliseconds.
pub const TTL_RANGE_MS: std::ops::RangeInclusive<u64> = 20_000..=604_800_000;

/// The configuration of a Vonage account.
#[derive(Clone, PartialEq, Eq)]
pub struct VonageConfig {
    api_key: String,
    api_secret: String,
    api_base: String,
    from: Option<Sender>,
    senders: SenderPool,
    callback: Option<String>,
    currency: Option<Currency>,
    signature: Option<SignatureVerifier>,
}

impl fmt::Debug for VonageConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VonageConfig")
            .field("api_key", &self.api_key)
            .field("api_base", &self.api_base)
            .field("from", &self.from)
            .field("senders", &self.senders)
            .field("callback", &self.callback)
            .field("currency", &self.currency)
            .field("signature", &self.signature)
            .finish_non_exhaustive()
    }
}

impl VonageConfig {
    /// An account with its API key and secret.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidConfig`] for an empty key or secret.
    pub fn new(api_key: &str, api_secret: &str) -> Result<Self> {
        if api_key.trim().is_empty() || api_secret.is_empty() {
            return Err(config_error(
                "the Vonage API key and secret must not be empty".to_owned(),
            ));
        }
        Ok(Self {
            api_key: api_key.trim().to_owned(),
            api_secret: api_secret.to_owned(),
            api_base: DEFAULT_API_BASE.to_owned(),
            from: None,
            senders: SenderPool::new(),
            callback: None,
            currency: None,
            signature: None,
        })
    }

    /// Points the provider at another server; default [`DEFAULT_API_BASE`].
    ///
    /// # Errors
    /// [`ErrorKind::InvalidConfig`] unless it is an absolute `http`/`https` URL.
    pub fn with_api_base(mut self, api_base: &str) -> Result<Self> {
        self.api_base = check_api_base(api_base)?;
        Ok(self)
    }

    /// The sender of messages without one, when the sender pool has none either.
    #[must_use]
    pub fn with_from(mut self, from: Sender) -> Self {
        self.from = Some(from);
        self
    }

    /// The sender numbers chosen by destination country for messages without a sender.
    #[must_use]
    pub fn with_senders(mut self, senders: SenderPool) -> Self {
        self.senders = senders;
        self
    }

    /// The delivery-receipt URL of messages that do not set their own.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidConfig`] for an unusable URL.
    pub fn with_callback(mut self, url: &str) -> Result<Self> {
        crate::message::check_callback_url(url)
            .map_err(|error| config_error(error.message().to_owned()))?;
        self.callback = Some(url.to_owned());
        Ok(self)
    }

    /// The account's currency, which Vonage prices are in (its responses and receipts do not
    /// say). Without it, receipts and reports carry no price: a currency is never assumed.
    #[must_use]
    pub fn with_currency(mut self, currency: Currency) -> Self {
        self.currency = Some(currency);
        self
    }

    /// The account's signature secret and method, which verify every delivery receipt
    /// ([`Provider::parse_delivery_report`]): without them no receipt is accepted.
    #[must_use]
    pub fn with_signature(mut self, verifier: SignatureVerifier) -> Self {
        self.signature = Some(verifier);
        self
    }

    /// The account currency, when configured.
    #[must_use]
    pub fn currency(&self) -> Option<Currency> {
        self.currency
    }

    fn sender(&self, message: &OutboundMessage) -> Result<String> {
        let sender = match &message.from {
            Some(sender) => Some(sender.clone()),
            None => self
                .senders
                .choose(&message.to)
                .map(|chosen| Sender::Number(chosen.number))
                .or_else(|| self.from.clone()),
        };
        match sender {
            Some(Sender::Number(number)) => Ok(number.digits().to_owned()),
            Some(Sender::Alphanumeric(text) | Sender::ShortCode(text)) => Ok(text),
            Some(Sender::Service(sid)) => Err(Error::permanent(
                ErrorKind::InvalidSender,
                format!("Vonage has no Messaging Services (sender `{sid}`)"),
            )),
            None => Err(Error::permanent(
                ErrorKind::InvalidSender,
                format!(
                    "no sender for the message to {}: set its `from`, a sender pool or a default",
                    message.to
                ),
            )),
        }
    }

    /// The HTTP request that sends `message`: `POST {api base}/sms/json` with a form body of
    /// `api_key`, `api_secret`, `from`, `to` (E.164 digits without `+`), `text`, and when needed
    /// `type=unicode` (a text outside the GSM 7-bit alphabet), `callback`, `client-ref`, `ttl`
    /// (the validity in milliseconds).
    ///
    /// # Errors
    /// A permanent error, before anything is sent, for an empty body, no sender, a `client-ref`
    /// over 100 characters, a validity outside 20 s..=7 days, an unusable callback URL.
    pub fn build_request(&self, message: &OutboundMessage) -> Result<HttpRequest> {
        message.check()?;
        let from = self.sender(message)?;
        if let Some(client_ref) = &message.client_ref {
            let length = client_ref.chars().count();
            if length > MAX_CLIENT_REF_CHARS {
                return Err(Error::permanent(
                    ErrorKind::InvalidRequest,
                    format!(
                        "client-ref of {length} characters exceeds Vonage's {MAX_CLIENT_REF_CHARS}"
                    ),
                ));
            }
        }
        let ttl = match message.validity {
            None => None,
            Some(validity) => {
                let ms = u64::try_from(validity.as_millis()).unwrap_or(u64::MAX);
                if !TTL_RANGE_MS.contains(&ms) {
                    return Err(Error::permanent(
                        ErrorKind::InvalidRequest,
                        format!("validity of {ms} ms is outside Vonage's 20000..=604800000 ms"),
                    ));
                }
                Some(ms.to_string())
            }
        };
        let mut fields: Vec<(&str, &str)> = vec![
            ("api_key", &self.api_key),
            ("api_secret", &self.api_secret),
            ("from", &from),
            ("to", message.to.digits()),
            ("text", &message.body),
        ];
        if !message.body.chars().all(smskit_segment::is_gsm7) {
            fields.push(("type", "unicode"));
        }
        if let Some(url) = message.status_callback.as_ref().or(self.callback.as_ref()) {
            fields.push(("callback", url));
        }
        if let Some(client_ref) = &message.client_ref {
            fields.push(("client-ref", client_ref));
        }
        if let Some(ttl) = &ttl {
            fields.push(("ttl", ttl));
        }
        build_request(
            http::Method::POST,
            &format!("{}/sms/json", self.api_base),
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Accept", "application/json"),
            ],
            form_body(fields),
        )
    }
}

/// What a Vonage per-part `status` means: its class, kind and failure type.
///
/// `0` is success (not an error). 1 (throttled) and 10 (too many connections) are retryable:
/// Vonage refused the part before processing it. 5 (internal error) is unknown: the platform
/// failed while processing, perhaps after the part left. Every other status is permanent — 2,
/// 3, 4, 6, 7, 8, 9, 15 as the spec says, 9 being no credit and 7 a barred (opted-out) number.
///
/// ```
/// use smskit_provider::{ErrorClass, ErrorKind, FailureType};
/// use smskit_provider::vonage::status_meaning;
///
/// assert_eq!(status_meaning(1).0, ErrorClass::Retryable);
/// assert_eq!(status_meaning(9), (ErrorClass::Permanent, ErrorKind::NoCredit, FailureType::Credit));
/// ```
#[must_use]
pub const fn status_meaning(status: u32) -> (ErrorClass, ErrorKind, FailureType) {
    use ErrorClass::{Permanent, Retryable, Unknown};
    let (class, kind) = match status {
        1 => (Retryable, ErrorKind::RateLimited),
        5 => (Unknown, ErrorKind::ServerError),
        10 => (Retryable, ErrorKind::RateLimited),
        2 | 3 | 12 | 22 | 23 => (Permanent, ErrorKind::InvalidRequest),
        4 | 14 | 32 => (Permanent, ErrorKind::Unauthorized),
        6 => (Permanent, ErrorKind::InvalidDestination),
        7 => (Permanent, ErrorKind::OptedOut),
        8 | 11 | 29 => (Permanent, ErrorKind::AccountRestricted),
        9 => (Permanent, ErrorKind::NoCredit),
        15 => (Permanent, ErrorKind::InvalidSender),
        33 => (Permanent, ErrorKind::InvalidDestination),
        _ => (Permanent, ErrorKind::Other),
    };
    (class, kind, kind.default_failure())
}

/// Parses Vonage's answer to a send request.
///
/// Vonage answers HTTP 200 with one `messages[]` entry per part (every number a string). All
/// parts accepted (`status` "0") → a [`Receipt`] with the first part's id as message id, every
/// part's id, the part count and the summed `message-price` (in `currency`, which Vonage does
/// not state). No part accepted → the error of the first failed part ([`status_meaning`],
/// with its `error-text`): unknown if any part is, else retryable only if every part is, else
/// permanent. Some parts accepted → an
/// [`ErrorKind::PartiallySent`] [`ErrorClass::Unknown`] error: a retry would send the
/// accepted parts twice. Any other HTTP status is classified by status; an unreadable 200 is
/// unknown.
///
/// # Errors
/// A classified [`Error`] as above.
pub fn parse_send_response(response: &HttpResponse, currency: Option<Currency>) -> Result<Receipt> {
    if !response.status().is_success() {
        let message = status_message("Vonage", response);
        let mut error = error_for_status(response.status().as_u16(), message);
        if let Some(delay) = retry_after(response).filter(|_| error.is_retryable()) {
            error = error.with_retry_after(delay);
        }
        return Err(error);
    }
    let unknown = |why: &str| {
        Error::unknown(
            ErrorKind::InvalidResponse,
            format!(
                "Vonage answered HTTP {} but {why}; the message may have been sent",
                response.status().as_u16()
            ),
        )
        .with_http_status(response.status().as_u16())
    };
    let value: Value = serde_json::from_slice(response.body()).map_err(|_| {
        unknown(&format!(
            "the body is not JSON: `{}`",
            body_excerpt(response.body())
        ))
    })?;
    let parts = value
        .get("messages")
        .and_then(Value::as_array)
        .filter(|parts| !parts.is_empty())
        .ok_or_else(|| unknown("the body has no `messages`"))?;

    let mut accepted: Vec<(String, Option<Money>)> = Vec::new();
    let mut failed: Vec<(u32, String)> = Vec::new();
    for part in parts {
        let status = part.get("status").and_then(number_of);
        match status {
            Some(0) => {
                let id = part
                    .get("message-id")
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|id| !id.is_empty())
                    .ok_or_else(|| unknown("an accepted part has no `message-id`"))?;
                let price = part
                    .get("message-price")
                    .and_then(text_of)
                    .zip(currency)
                    .and_then(|(price, currency)| parse_price(&price, currency).ok());
                accepted.push((id.to_owned(), price));
            }
            Some(status) => {
                let text = part.get("error-text").and_then(Value::as_str).map_or_else(
                    || format!("Vonage status {status}"),
                    |t| t.trim().chars().take(500).collect(),
                );
                failed.push((status, text));
            }
            None => return Err(unknown("a part has no numeric `status`")),
        }
    }

    if let Some((status, text)) = failed.first() {
        let (_, kind, failure) = status_meaning(*status);
        let classes = || failed.iter().map(|(s, _)| status_meaning(*s).0);
        // One part that may have left makes the message unknown; one refusal makes it
        // permanent; only a message refused whole before processing may be sent again.
        let class = if classes().any(|c| c == ErrorClass::Unknown) {
            ErrorClass::Unknown
        } else if classes().all(|c| c == ErrorClass::Retryable) {
            ErrorClass::Retryable
        } else {
            ErrorClass::Permanent
        };
        if !accepted.is_empty() {
            let ids: Vec<&str> = accepted.iter().map(|(id, _)| id.as_str()).collect();
            return Err(Error::unknown(
                ErrorKind::PartiallySent,
                format!(
                    "Vonage accepted {} of {} parts ({}) and refused the others: {text}",
                    accepted.len(),
                    parts.len(),
                    ids.join(", ")
                ),
            )
            .with_code(status.to_string())
            .with_failure(failure)
            .with_http_status(response.status().as_u16()));
        }
        return Err(Error::new(class, kind, text.clone())
            .with_code(status.to_string())
            .with_failure(failure)
            .with_http_status(response.status().as_u16()));
    }

    let ids: Vec<String> = accepted.iter().map(|(id, _)| id.clone()).collect();
    let Some(first) = ids.first().cloned() else {
        return Err(unknown("no part was accepted or refused"));
    };
    let segments = value
        .get("message-count")
        .and_then(number_of)
        .unwrap_or(u32::try_from(ids.len()).unwrap_or(u32::MAX));
    let mut receipt = Receipt::new("vonage", first, TraceStatus::Pending, "0")
        .with_part_ids(ids)
        .with_segments(segments);
    // The message's price is the sum of every part's, or none when a part has none.
    let total = accepted
        .iter()
        .map(|(_, price)| *price)
        .reduce(|sum, price| sum?.checked_add(price?).ok())
        .flatten();
    if let Some(total) = total {
        receipt = receipt.with_price(total);
    }
    Ok(receipt)
}

/// The trace status and failure type of a delivery receipt's `status` and `err-code`.
///
/// `delivered` → `sent`; `accepted`, `buffered` → `pending`; `unknown` → `pending` (no
/// conclusion); `expired` → `error`/`sms_expired`; `rejected` → `error`/`sms_rejected`;
/// `failed` → `error` with the failure type of the `err-code`. Whatever the status, `err-code`
/// 9 (illegal number: the recipient asked not to receive messages) is an opt-out.
///
/// ```
/// use smskit_provider::{FailureType, TraceStatus};
/// use smskit_provider::vonage::receipt_status;
///
/// assert_eq!(receipt_status("delivered", Some(0)), Some((TraceStatus::Sent, None)));
/// assert_eq!(
///     receipt_status("failed", Some(9)),
///     Some((TraceStatus::Error, Some(FailureType::OptOut)))
/// );
/// assert_eq!(receipt_status("exploded", None), None);
/// ```
#[must_use]
pub fn receipt_status(
    status: &str,
    err_code: Option<u32>,
) -> Option<(TraceStatus, Option<FailureType>)> {
    let status = status.trim();
    let is = |name: &str| status.eq_ignore_ascii_case(name);
    let trace = if is("delivered") {
        TraceStatus::Sent
    } else if is("accepted") || is("buffered") || is("unknown") {
        TraceStatus::Pending
    } else if is("expired") || is("failed") || is("rejected") {
        TraceStatus::Error
    } else {
        return None;
    };
    if err_code == Some(9) {
        return Some((TraceStatus::Error, Some(FailureType::OptOut)));
    }
    if trace != TraceStatus::Error {
        return Some((trace, None));
    }
    let failure = if is("expired") {
        FailureType::Expired
    } else if is("rejected") {
        err_code
            .and_then(receipt_error_failure)
            .unwrap_or(FailureType::Rejected)
    } else {
        err_code
            .and_then(receipt_error_failure)
            .unwrap_or(FailureType::NotDelivered)
    };
    Some((TraceStatus::Error, Some(failure)))
}

/// The failure type of a delivery receipt `err-code`.
fn receipt_error_failure(code: u32) -> Option<FailureType> {
    Some(match code {
        3 | 11 | 12 | 33 => FailureType::InvalidDestination,
        4 | 13 | 14 | 15 => FailureType::NotAllowed,
        6 | 10 | 50..=54 => FailureType::Rejected,
        9 => FailureType::OptOut,
        1 | 2 | 5 | 7 | 8 | 99 => FailureType::NotDelivered,
        _ => return None,
    })
}

/// Parses a Vonage delivery receipt from its verified parameters (see [`SignatureVerifier`]:
/// an unsigned or forged receipt never gets here), leniently (unknown fields ignored).
///
/// Reads `messageId` (the part's id), `status`, `err-code`, `msisdn` (the recipient, digits),
/// `to` (the sender), `client-ref`, `price` (in `currency`, the account's: without it there is
/// no price) and the time: `message-timestamp` (`YYYY-MM-DD HH:MM:SS`, UTC), else `scts`
/// (`YYMMDDHHMM`), else `received_at`.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use smskit_provider::{Currency, TraceStatus};
/// use smskit_provider::vonage::{SignatureMethod, SignatureVerifier, parse_delivery_receipt};
///
/// let verifier = SignatureVerifier::new("my-signature-secret", SignatureMethod::Sha256Hmac)?;
/// let mut params = vec![
///     ("msisdn", "447700900000"), ("to", "ACME"), ("network-code", "23410"),
///     ("messageId", "0A0000001234567B"), ("price", "0.03330000"), ("status", "delivered"),
///     ("scts", "2001011400"), ("err-code", "0"), ("client-ref", "trace-42"),
///     ("message-timestamp", "2020-01-01 14:00:00"), ("timestamp", "1577887205"),
/// ];
/// let sig = verifier.sign(&params); // what Vonage adds to the webhook
/// params.push(("sig", &sig));
///
/// let received_at = Utc.with_ymd_and_hms(2020, 1, 1, 14, 0, 10).unwrap();
/// let signed = verifier.verify(&params, received_at)?;
/// let eur = Currency::new("EUR").unwrap();
/// let report = parse_delivery_receipt(&signed, Some(eur), received_at)?;
/// assert_eq!(report.status, TraceStatus::Sent);
/// assert_eq!(report.client_ref.as_deref(), Some("trace-42"));
/// assert_eq!(report.to.unwrap().as_str(), "+447700900000");
/// assert_eq!(report.at.to_rfc3339(), "2020-01-01T14:00:00+00:00");
/// # Ok::<(), smskit_provider::Error>(())
/// ```
///
/// # Errors
/// An [`ErrorKind::InvalidWebhook`] error for a receipt without `messageId` or `status`, or
/// with an unknown status.
pub fn parse_delivery_receipt(
    params: &SignedParams,
    currency: Option<Currency>,
    received_at: DateTime<Utc>,
) -> Result<DeliveryReport> {
    let get =
        |name: &str| -> Option<&str> { params.get(name).map(str::trim).filter(|v| !v.is_empty()) };
    let invalid = |message: String| Error::permanent(ErrorKind::InvalidWebhook, message);
    let id = get("messageId")
        .or_else(|| get("message-id"))
        .ok_or_else(|| invalid("Vonage delivery receipt without messageId".to_owned()))?;
    let raw_status = get("status").ok_or_else(|| {
        invalid(format!(
            "Vonage delivery receipt for {} without status",
            value_excerpt(id)
        ))
    })?;
    let err_text = get("err-code");
    let err_code = err_text.and_then(|code| code.parse::<u32>().ok());
    let (trace, failure) = receipt_status(raw_status, err_code).ok_or_else(|| {
        invalid(format!(
            "Vonage delivery receipt for {} with unknown status `{}`",
            value_excerpt(id),
            value_excerpt(raw_status)
        ))
    })?;
    let at = get("message-timestamp")
        .and_then(|t| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S").ok())
        .or_else(|| {
            get("scts")
                .and_then(|t| NaiveDateTime::parse_from_str(&format!("{t}00"), "%y%m%d%H%M%S").ok())
        })
        .map_or(received_at, |naive| naive.and_utc());
    let mut report = DeliveryReport::new("vonage", id, trace, raw_status.to_ascii_lowercase(), at);
    report.failure = failure;
    report.error_code = err_text.filter(|code| *code != "0").map(str::to_owned);
    report.to = get("msisdn")
        .and_then(|digits| E164::parse(&format!("+{}", digits.trim_start_matches('+'))).ok());
    report.from = get("to").map(str::to_owned);
    report.client_ref = get("client-ref").map(str::to_owned);
    report.price = get("price")
        .zip(currency)
        .and_then(|(price, currency)| parse_price(price, currency).ok());
    Ok(report)
}

/// Verifies and parses a delivery receipt as the web server received it: the query of a
/// `GET`, else a JSON or form body ([`SignatureVerifier::verify_request`], then
/// [`parse_delivery_receipt`]). `received_at` is also the `now` the signature's timestamp is
/// checked against.
///
/// # Errors
/// As [`SignatureVerifier::verify_request`] and [`parse_delivery_receipt`].
pub fn parse_delivery_receipt_request(
    request: &HttpRequest,
    verifier: &SignatureVerifier,
    currency: Option<Currency>,
    received_at: DateTime<Utc>,
) -> Result<DeliveryReport> {
    let params = verifier.verify_request(request, received_at)?;
    parse_delivery_receipt(&params, currency, received_at)
}

/// The Vonage provider: [`VonageConfig`] over a [`Transport`].
#[derive(Debug, Clone)]
pub struct Vonage {
    config: VonageConfig,
    transport: Arc<dyn Transport>,
}

impl Vonage {
    /// A provider sending through `transport`.
    #[must_use]
    pub fn new(config: VonageConfig, transport: Arc<dyn Transport>) -> Self {
        Self { config, transport }
    }

    /// The configuration.
    #[must_use]
    pub fn config(&self) -> &VonageConfig {
        &self.config
    }
}

impl Vonage {
    /// The configured verifier of webhook signatures: without it no webhook is accepted.
    fn verifier(&self) -> Result<&SignatureVerifier> {
        self.config.signature.as_ref().ok_or_else(|| {
            config_error(
                "cannot accept Vonage webhooks without the account's signature secret (VonageConfig::with_signature)"
                    .to_owned(),
            )
        })
    }
}

impl Provider for Vonage {
    fn name(&self) -> &str {
        "vonage"
    }

    fn submit(&self, message: &OutboundMessage) -> Result<Receipt> {
        let request = self.config.build_request(message)?;
        let response = self.transport.execute(&request)?;
        parse_send_response(&response, self.config.currency)
    }

    /// Verifies the receipt's `sig` with the configured [`SignatureVerifier`] (`received_at`
    /// is the `now` of its timestamp check), then parses it.
    fn parse_delivery_report(
        &self,
        request: &HttpRequest,
        received_at: DateTime<Utc>,
    ) -> Result<DeliveryReport> {
        let verifier = self.verifier()?;
        parse_delivery_receipt_request(request, verifier, self.config.currency, received_at)
    }

    /// Verifies the message's `sig` with the configured [`SignatureVerifier`], then parses it
    /// ([`parse_inbound_message`]).
    fn parse_inbound_message(
        &self,
        request: &HttpRequest,
        received_at: DateTime<Utc>,
    ) -> Result<InboundMessage> {
        let params = self.verifier()?.verify_request(request, received_at)?;
        parse_inbound_message(&params, received_at)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use http::Method;

    use super::*;
    use crate::transport::parse_form;
    use crate::transport::testing::{With as _, request, response};

    fn eur() -> Option<Currency> {
        Some(Currency::new("EUR").unwrap())
    }

    fn message(body: &str) -> OutboundMessage {
        OutboundMessage::new(E164::parse("+447700900000").unwrap(), body)
            .with_from(Sender::parse("+447700900001").unwrap())
    }

    #[test]
    fn unicode_type_and_optional_fields() {
        let config = VonageConfig::new("key", "secret").unwrap();
        let request = config
            .build_request(
                &message("Ça va 🙂")
                    .with_client_ref("trace-1")
                    .with_status_callback("https://example.com/dlr")
                    .with_validity(Duration::from_secs(3600)),
            )
            .unwrap();
        let fields = parse_form(request.body());
        let get = |name: &str| {
            fields
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("from"), Some("447700900001"));
        assert_eq!(get("to"), Some("447700900000"));
        assert_eq!(get("type"), Some("unicode"));
        assert_eq!(get("callback"), Some("https://example.com/dlr"));
        assert_eq!(get("client-ref"), Some("trace-1"));
        assert_eq!(get("ttl"), Some("3600000"));
        let plain = config.build_request(&message("Hello")).unwrap();
        assert!(!parse_form(plain.body()).iter().any(|(n, _)| n == "type"));
    }

    #[test]
    fn local_refusals() {
        let config = VonageConfig::new("key", "secret").unwrap();
        let no_sender = OutboundMessage::new(E164::parse("+447700900000").unwrap(), "x");
        assert_eq!(
            config.build_request(&no_sender).unwrap_err().kind(),
            ErrorKind::InvalidSender
        );
        let with_default = config.clone().with_from(Sender::parse("ACME").unwrap());
        assert!(with_default.build_request(&no_sender).is_ok());
        let long_ref = message("x").with_client_ref("r".repeat(101));
        assert_eq!(
            config.build_request(&long_ref).unwrap_err().kind(),
            ErrorKind::InvalidRequest
        );
        let short_ttl = message("x").with_validity(Duration::from_secs(10));
        assert_eq!(
            config.build_request(&short_ttl).unwrap_err().kind(),
            ErrorKind::InvalidRequest
        );
        let service =
            message("x").with_from(Sender::parse("MG0123456789abcdef0123456789abcdef").unwrap());
        assert_eq!(
            config.build_request(&service).unwrap_err().kind(),
            ErrorKind::InvalidSender
        );
        assert!(VonageConfig::new("", "x").is_err());
    }

    #[test]
    fn receipt_error_codes_have_their_failure_types() {
        for (codes, failure) in [
            (&[3, 11, 12, 33][..], FailureType::InvalidDestination),
            (&[4, 13, 14, 15], FailureType::NotAllowed),
            (&[6, 10, 50, 52, 54], FailureType::Rejected),
            (&[9], FailureType::OptOut),
            (&[1, 2, 5, 7, 8, 99], FailureType::NotDelivered),
        ] {
            for &code in codes {
                assert_eq!(receipt_error_failure(code), Some(failure), "{code}");
            }
        }
        for code in [0, 16, 49, 55, 100] {
            assert_eq!(receipt_error_failure(code), None, "{code}");
        }
        assert_eq!(status_meaning(33).1, ErrorKind::InvalidDestination);
    }

    #[test]
    fn status_classes_are_the_spec() {
        for status in [1, 10] {
            assert_eq!(status_meaning(status).0, ErrorClass::Retryable, "{status}");
        }
        assert_eq!(status_meaning(5).0, ErrorClass::Unknown, "may have left");
        for status in [2, 3, 4, 6, 7, 8, 9, 15] {
            assert_eq!(status_meaning(status).0, ErrorClass::Permanent, "{status}");
        }
        assert_eq!(status_meaning(9).2, FailureType::Credit);
        assert_eq!(status_meaning(7).1, ErrorKind::OptedOut);
    }

    proptest::proptest! {
        /// All parts accepted → a receipt; some → unknown; none → retryable only when every
        /// part is.
        #[test]
        fn part_outcomes(statuses in proptest::collection::vec(proptest::sample::select(vec![0u32, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 99]), 1..5)) {
            let parts: Vec<Value> = statuses
                .iter()
                .enumerate()
                .map(|(i, status)| serde_json::json!({"message-id": format!("id{i}"), "status": status.to_string(), "message-price": "0.01"}))
                .collect();
            let body = serde_json::json!({"message-count": parts.len().to_string(), "messages": parts}).to_string();
            let outcome = parse_send_response(&response(200, body), eur());
            let accepted = statuses.iter().filter(|s| **s == 0).count();
            match outcome {
                Ok(receipt) => {
                    proptest::prop_assert_eq!(accepted, statuses.len());
                    proptest::prop_assert_eq!(receipt.part_ids.len(), statuses.len());
                }
                Err(error) if accepted > 0 => {
                    proptest::prop_assert_eq!(error.class(), ErrorClass::Unknown);
                    proptest::prop_assert_eq!(error.kind(), ErrorKind::PartiallySent);
                }
                Err(error) => {
                    let expected = if statuses.contains(&5) {
                        ErrorClass::Unknown
                    } else if statuses.iter().all(|s| matches!(s, 1 | 10)) {
                        ErrorClass::Retryable
                    } else {
                        ErrorClass::Permanent
                    };
                    proptest::prop_assert_eq!(error.class(), expected);
                }
            }
        }
    }

    #[test]
    fn no_account_currency_no_price() {
        let body = r#"{"message-count": "1", "messages": [{"message-id": "A1", "status": "0",
            "message-price": "0.03330000"}]}"#;
        let receipt = parse_send_response(&response(200, body), None).unwrap();
        assert_eq!(
            receipt.price, None,
            "Vonage does not say; EUR is not assumed"
        );
        let receipt = parse_send_response(&response(200, body), eur()).unwrap();
        assert_eq!(receipt.price.unwrap().micros(), 33_300);
        let params = [
            ("messageId", "X"),
            ("status", "delivered"),
            ("price", "0.0333"),
        ];
        let report =
            parse_delivery_receipt(&signed(&params), None, DateTime::<Utc>::UNIX_EPOCH).unwrap();
        assert_eq!(report.price, None);
        assert_eq!(VonageConfig::new("k", "s").unwrap().currency(), None);
    }

    #[test]
    fn mixed_parts() {
        let body = r#"{"message-count": "2", "messages": [
            {"message-id": "A1", "status": "0", "message-price": "0.03"},
            {"status": "1", "error-text": "Throughput Rate Exceeded"}]}"#;
        let error = parse_send_response(&response(200, body), eur()).unwrap_err();
        assert_eq!(error.class(), ErrorClass::Unknown);
        assert_eq!(error.kind(), ErrorKind::PartiallySent);
        assert!(error.message().contains("A1"));

        let body = r#"{"messages": [{"status": "1", "error-text": "x"}, {"status": "9", "error-text": "y"}]}"#;
        let error = parse_send_response(&response(200, body), eur()).unwrap_err();
        assert_eq!(
            error.class(),
            ErrorClass::Permanent,
            "one permanent part makes it permanent"
        );

        let body = r#"{"messages": [{"status": "1", "error-text": "x"}, {"status": "10"}]}"#;
        let error = parse_send_response(&response(200, body), eur()).unwrap_err();
        assert_eq!(error.class(), ErrorClass::Retryable);

        let body = r#"{"messages": [{"status": "1", "error-text": "x"}, {"status": "5"}]}"#;
        let error = parse_send_response(&response(200, body), eur()).unwrap_err();
        assert_eq!(
            error.class(),
            ErrorClass::Unknown,
            "an internal error may have sent it"
        );
    }

    /// The HTTP rows of the `ErrorClass` table, for Vonage.
    #[test]
    fn http_statuses_of_vonage() {
        use ErrorClass::{Permanent, Retryable, Unknown};
        for (status, class) in [
            (429, Retryable),
            (503, Retryable),
            (500, Unknown),
            (502, Unknown),
            (504, Unknown),
            (400, Permanent),
            (401, Permanent),
            (408, Permanent),
        ] {
            let answer = response(status, "").with_header("Retry-After", "2");
            let error = parse_send_response(&answer, eur()).unwrap_err();
            assert_eq!(error.class(), class, "HTTP {status}");
            let delay = (class == Retryable).then_some(Duration::from_secs(2));
            assert_eq!(error.retry_after(), delay, "HTTP {status}");
        }
    }

    #[test]
    fn unreadable_success_is_unknown() {
        for body in [
            "",
            "nope",
            "{}",
            r#"{"messages": []}"#,
            r#"{"messages": [{"status": "0"}]}"#,
            r#"{"messages": [{}]}"#,
        ] {
            let error = parse_send_response(&response(200, body), eur()).unwrap_err();
            assert_eq!(error.class(), ErrorClass::Unknown, "{body}");
        }
    }

    /// A transport for tests that never send.
    #[derive(Debug)]
    struct NoNetwork;

    impl Transport for NoNetwork {
        fn execute(&self, _: &HttpRequest) -> Result<HttpResponse> {
            Err(Error::permanent(
                ErrorKind::Unsupported,
                "no network in tests",
            ))
        }
    }

    fn verifier() -> SignatureVerifier {
        SignatureVerifier::new("signature-secret", SignatureMethod::Sha256Hmac).unwrap()
    }

    /// `pairs` with a `timestamp` of 0 and their `sig`, as Vonage sends them.
    fn signed_pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut params: Vec<(String, String)> = pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        params.push(("timestamp".to_owned(), "0".to_owned()));
        let sig = verifier().sign(&params);
        params.push(("sig".to_owned(), sig));
        params
    }

    fn signed(pairs: &[(&str, &str)]) -> SignedParams {
        verifier()
            .verify(&signed_pairs(pairs), DateTime::<Utc>::UNIX_EPOCH)
            .unwrap()
    }

    fn form(pairs: &[(&str, &str)]) -> String {
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.extend_pairs(signed_pairs(pairs));
        form.finish()
    }

    #[test]
    fn receipt_request_forms() {
        let at = DateTime::<Utc>::UNIX_EPOCH;
        let verifier = verifier();
        let get = request(
            Method::GET,
            format!(
                "https://example.com/dlr?{}",
                form(&[
                    ("messageId", "X1"),
                    ("status", "expired"),
                    ("err-code", "1")
                ])
            ),
        );
        let report = parse_delivery_receipt_request(&get, &verifier, eur(), at).unwrap();
        assert_eq!(
            (report.status, report.failure),
            (TraceStatus::Error, Some(FailureType::Expired))
        );
        let pairs = signed_pairs(&[
            ("messageId", "X2"),
            ("status", "failed"),
            ("err-code", "9"),
            ("price", "0.05"),
        ]);
        let object: serde_json::Map<String, Value> = pairs
            .into_iter()
            .map(|(n, v)| (n, Value::String(v)))
            .collect();
        let json = request(Method::POST, "https://example.com/dlr")
            .with_body(Value::Object(object).to_string());
        let report = parse_delivery_receipt_request(&json, &verifier, eur(), at).unwrap();
        assert!(report.is_opt_out());
        assert_eq!(report.price.unwrap().to_string(), "0.05 EUR");
        let body = form(&[("messageId", "X3"), ("status", "buffered")]);
        let post = request(Method::POST, "https://example.com/dlr").with_body(body);
        assert_eq!(
            parse_delivery_receipt_request(&post, &verifier, eur(), at)
                .unwrap()
                .status,
            TraceStatus::Pending
        );
        let bad = request(Method::POST, "https://example.com/dlr").with_body("{not json");
        assert_eq!(
            parse_delivery_receipt_request(&bad, &verifier, eur(), at)
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidWebhook
        );
    }

    /// An unsigned or forged receipt is rejected, never applied; the provider refuses every
    /// receipt until the signature secret is configured.
    #[test]
    fn unsigned_and_forged_receipts_are_rejected() {
        let at = DateTime::<Utc>::UNIX_EPOCH;
        let unsigned = request(Method::POST, "https://example.com/dlr")
            .with_body("messageId=X1&status=delivered&timestamp=0");
        let forged = request(Method::POST, "https://example.com/dlr").with_body(
            form(&[("messageId", "X1"), ("status", "failed")]).replace("failed", "delivered"),
        );
        let configured = Vonage::new(
            VonageConfig::new("key", "secret")
                .unwrap()
                .with_signature(verifier()),
            Arc::new(NoNetwork),
        );
        for request in [&unsigned, &forged] {
            let error = configured.parse_delivery_report(request, at).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidWebhook, "{error}");
        }
        let genuine = request(Method::POST, "https://example.com/dlr")
            .with_body(form(&[("messageId", "X1"), ("status", "delivered")]));
        assert!(configured.parse_delivery_report(&genuine, at).is_ok());
        let unconfigured = Vonage::new(
            VonageConfig::new("key", "secret").unwrap(),
            Arc::new(NoNetwork),
        );
        let error = unconfigured
            .parse_delivery_report(&genuine, at)
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidConfig);
    }

    #[test]
    fn receipt_times() {
        let at = DateTime::<Utc>::UNIX_EPOCH;
        let params = [
            ("messageId", "X"),
            ("status", "delivered"),
            ("scts", "2001011400"),
        ];
        let report = parse_delivery_receipt(&signed(&params), eur(), at).unwrap();
        assert_eq!(report.at.to_rfc3339(), "2020-01-01T14:00:00+00:00");
        let params = [
            ("messageId", "X"),
            ("status", "delivered"),
            ("scts", "garbage"),
        ];
        let report = parse_delivery_receipt(&signed(&params), eur(), at).unwrap();
        assert_eq!(report.at, at);
    }
}
