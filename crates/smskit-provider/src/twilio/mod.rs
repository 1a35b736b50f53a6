//! Twilio Programmable Messaging: sans-IO request building, response and status-callback
//! parsing, webhook signature validation, and the [`Twilio`] provider over a [`Transport`].
//!
//! ```
//! use smskit_phone::E164;
//! use smskit_provider::{Body, OutboundMessage, Sender};
//! use smskit_provider::twilio::{TwilioConfig, parse_send_response};
//!
//! let config = TwilioConfig::new("AC0123456789abcdef0123456789abcdef", "token").unwrap();
//! let message = OutboundMessage::new(E164::parse("+32470123456").unwrap(), "Hello")
//!     .with_from(Sender::parse("+32460200000").unwrap());
//! let request = config.build_request(&message).unwrap();
//! assert_eq!(
//!     request.uri(),
//!     "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json"
//! );
//! assert_eq!(request.body(), b"To=%2B32470123456&From=%2B32460200000&Body=Hello");
//!
//! // ... a transport sends it; the answer is parsed without I/O:
//! let response = http::Response::builder()
//!     .status(201)
//!     .body(Body::from(r#"{"sid": "SM1", "status": "queued"}"#))
//!     .unwrap();
//! assert_eq!(parse_send_response(&response).unwrap().message_id, "SM1");
//! ```

mod callback;
mod codes;
mod inbound;
mod response;
mod signature;

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};

pub use callback::{MAX_CALLBACK_BYTES, parse_status_callback, parse_status_callback_body};
pub use codes::{TwilioStatus, delivery_failure, error_code_meaning};
pub use inbound::parse_inbound_message;
pub use response::{parse_error_response, parse_send_response};
pub use signature::SignatureValidator;

use crate::error::{Error, ErrorKind, Result, config_error};
use crate::message::{
    DeliveryReport, InboundMessage, OutboundMessage, Receipt, Sender, check_callback_url, is_sid,
};
use crate::provider::Provider;
use crate::sender::SenderPool;
use crate::transport::{
    HttpRequest, Transport, basic_auth, build_request, check_api_base, form_body, header,
    parse_form,
};

/// Twilio's API base URL.
pub const DEFAULT_API_BASE: &str = "https://api.twilio.com";
/// The longest body Twilio accepts, in characters.
pub const MAX_BODY_CHARS: usize = 1600;
/// The longest `ValidityPeriod`, in seconds.
pub const MAX_VALIDITY_SECS: u64 = 36_000;

/// A Twilio account SID: `AC` followed by 32 letters or digits (34 characters).
///
/// ```
/// use smskit_provider::twilio::AccountSid;
///
/// assert!(AccountSid::parse("AC0123456789abcdef0123456789abcdef").is_ok());
/// assert!(AccountSid::parse("AC123").is_err());
/// assert!(AccountSid::parse("SK0123456789abcdef0123456789abcdef").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountSid(String);

impl AccountSid {
    /// Checks the format.
    ///
    /// # Errors
    /// A permanent [`ErrorKind::InvalidConfig`] error naming the input.
    pub fn parse(text: &str) -> Result<Self> {
        check_sid(text, "AC", "account SID")?;
        Ok(Self(text.to_owned()))
    }

    /// The SID.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccountSid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks a SID of that prefix. The error shows at most the first four characters of the
/// input: a secret put in the wrong variable (an auth token as the account SID) must not reach
/// a log or a terminal.
fn check_sid(text: &str, prefix: &str, what: &str) -> Result<()> {
    if is_sid(text, prefix) {
        Ok(())
    } else {
        Err(config_error(format!(
            "invalid Twilio {what} {}: expected {prefix} followed by 32 letters or digits",
            redacted(text)
        )))
    }
}

/// A credential as an error may show it: its first four characters and its length.
fn redacted(text: &str) -> String {
    let count = text.chars().count();
    if count == 0 {
        return "(empty)".to_owned();
    }
    let prefix: String = text
        .chars()
        .take(4.min(count / 2))
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    format!("`{prefix}…` ({count} characters)")
}

/// How requests authenticate.
#[derive(Clone, PartialEq, Eq)]
enum Credentials {
    AuthToken(String),
    ApiKey { sid: String, secret: String },
}

/// The configuration of a Twilio account: credentials, API base, senders, defaults.
///
/// Builds the HTTP request for a message ([`TwilioConfig::build_request`]) without any I/O.
/// The `Debug` output never shows secrets.
#[derive(Clone, PartialEq, Eq)]
pub struct TwilioConfig {
    account_sid: AccountSid,
    credentials: Credentials,
    webhook_validator: Option<SignatureValidator>,
    verify_webhooks: bool,
    api_base: String,
    messaging_service_sid: Option<String>,
    senders: SenderPool,
    status_callback: Option<String>,
    smart_encoded: Option<bool>,
}

impl fmt::Debug for TwilioConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let auth = match &self.credentials {
            Credentials::AuthToken(_) => "auth token".to_owned(),
            Credentials::ApiKey { sid, .. } => format!("API key {sid}"),
        };
        f.debug_struct("TwilioConfig")
            .field("account_sid", &self.account_sid.as_str())
            .field("auth", &auth)
            .field("verify_webhooks", &self.verify_webhooks)
            .field("api_base", &self.api_base)
            .field("messaging_service_sid", &self.messaging_service_sid)
            .field("senders", &self.senders)
            .field("status_callback", &self.status_callback)
            .field("smart_encoded", &self.smart_encoded)
            .finish_non_exhaustive()
    }
}

impl TwilioConfig {
    /// An account authenticating with its auth token (which also verifies webhooks).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidConfig`] for a malformed account SID or an empty token.
    pub fn new(account_sid: &str, auth_token: &str) -> Result<Self> {
        let account_sid = AccountSid::parse(account_sid)?;
        let validator = SignatureValidator::new(auth_token)?;
        Ok(Self::with_credentials(
            account_sid,
            Credentials::AuthToken(auth_token.to_owned()),
            Some(validator),
        ))
    }

    /// An account authenticating with an API key (`SK…` SID and secret); the account SID stays
    /// in the URL. Webhooks are signed with the account's auth token: give it with
    /// [`TwilioConfig::with_webhook_token`] to verify them.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidConfig`] for a malformed account or key SID or an empty secret.
    pub fn from_api_key(account_sid: &str, key_sid: &str, key_secret: &str) -> Result<Self> {
        let account_sid = AccountSid::parse(account_sid)?;
        check_sid(key_sid, "SK", "API key SID")?;
        if key_secret.is_empty() {
            return Err(config_error(
                "the Twilio API key secret is empty".to_owned(),
            ));
        }
        Ok(Self::with_credentials(
            account_sid,
            Credentials::ApiKey {
                sid: key_sid.to_owned(),
                secret: key_secret.to_owned(),
            },
            None,
        ))
    }

    /// The defaults every account starts from.
    fn with_credentials(
        account_sid: AccountSid,
        credentials: Credentials,
        webhook_validator: Option<SignatureValidator>,
    ) -> Self {
        Self {
            account_sid,
            credentials,
            webhook_validator,
            verify_webhooks: true,
            api_base: DEFAULT_API_BASE.to_owned(),
            messaging_service_sid: None,
            senders: SenderPool::new(),
            status_callback: None,
            smart_encoded: None,
        }
    }

    /// The auth token that verifies webhook signatures.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidConfig`] for an empty token.
    pub fn with_webhook_token(mut self, auth_token: &str) -> Result<Self> {
        self.webhook_validator = Some(SignatureValidator::new(auth_token)?);
        Ok(self)
    }

    /// Turns webhook signature verification off (for a webhook behind your own
    /// authentication). On by default.
    #[must_use]
    pub fn without_webhook_verification(mut self) -> Self {
        self.verify_webhooks = false;
        self
    }

    /// Points the provider at another server (a test double, a proxy); default
    /// [`DEFAULT_API_BASE`].
    ///
    /// # Errors
    /// [`ErrorKind::InvalidConfig`] unless it is an absolute `http`/`https` URL.
    pub fn with_api_base(mut self, api_base: &str) -> Result<Self> {
        self.api_base = check_api_base(api_base)?;
        Ok(self)
    }

    /// The Messaging Service (`MG…`) used when a message has no sender and the sender pool is
    /// empty.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidConfig`] for a malformed SID.
    pub fn with_messaging_service(mut self, sid: &str) -> Result<Self> {
        check_sid(sid, "MG", "Messaging Service SID")?;
        self.messaging_service_sid = Some(sid.to_owned());
        Ok(self)
    }

    /// The sender numbers chosen by destination country for messages without a sender.
    #[must_use]
    pub fn with_senders(mut self, senders: SenderPool) -> Self {
        self.senders = senders;
        self
    }

    /// The status callback URL for messages that do not set their own.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidConfig`] for a URL Twilio would refuse.
    pub fn with_status_callback(mut self, url: &str) -> Result<Self> {
        check_callback_url(url).map_err(|error| config_error(error.message().to_owned()))?;
        self.status_callback = Some(url.to_owned());
        Ok(self)
    }

    /// Sets `SmartEncoded` (Twilio replaces look-alike Unicode characters by GSM ones).
    #[must_use]
    pub fn with_smart_encoded(mut self, smart_encoded: bool) -> Self {
        self.smart_encoded = Some(smart_encoded);
        self
    }

    /// The account SID.
    #[must_use]
    pub fn account_sid(&self) -> &AccountSid {
        &self.account_sid
    }

    /// The API base URL.
    #[must_use]
    pub fn api_base(&self) -> &str {
        &self.api_base
    }

    /// The sender pool.
    #[must_use]
    pub fn senders(&self) -> &SenderPool {
        &self.senders
    }

    /// The URL messages are created at.
    #[must_use]
    pub fn messages_url(&self) -> String {
        format!(
            "{}/2010-04-01/Accounts/{}/Messages.json",
            self.api_base, self.account_sid
        )
    }

    /// The sender of `message`: its own; else the pool's choice for the destination; else the
    /// Messaging Service.
    fn sender_field(&self, message: &OutboundMessage) -> Result<(&'static str, String)> {
        match &message.from {
            Some(Sender::Service(sid)) => Ok(("MessagingServiceSid", sid.clone())),
            Some(sender) => Ok(("From", sender.as_str().to_owned())),
            None => {
                if let Some(chosen) = self.senders.choose(&message.to) {
                    Ok(("From", chosen.number.as_str().to_owned()))
                } else if let Some(sid) = &self.messaging_service_sid {
                    Ok(("MessagingServiceSid", sid.clone()))
                } else {
                    Err(Error::permanent(
                        ErrorKind::InvalidSender,
                        format!(
                            "no sender for the message to {}: set its `from`, a sender pool or a Messaging Service",
                            message.to
                        ),
                    ))
                }
            }
        }
    }

    /// The HTTP request that creates `message`: `POST {api base}/2010-04-01/Accounts/{sid}/Messages.json`,
    /// HTTP Basic auth, a form-encoded body with `To`, `From` or `MessagingServiceSid`, `Body`,
    /// and when set `StatusCallback`, `ValidityPeriod`, `SmartEncoded`.
    ///
    /// Twilio has no field for the message's `client_ref`: it is not sent. To find the trace
    /// of a status callback, put the reference in the status callback URL
    /// (`…/status?trace=42`), which Twilio calls back as given.
    ///
    /// # Errors
    /// A permanent error, before anything is sent, for what Twilio would refuse: an empty body
    /// or one over 1,600 characters, a validity outside 1..=36,000 s, a status callback URL
    /// with an underscore in its host, no sender.
    pub fn build_request(&self, message: &OutboundMessage) -> Result<HttpRequest> {
        message.check()?;
        let length = message.body.chars().count();
        if length > MAX_BODY_CHARS {
            return Err(Error::permanent(
                ErrorKind::InvalidRequest,
                format!("message body of {length} characters exceeds Twilio's {MAX_BODY_CHARS}"),
            ));
        }
        let (sender_name, sender) = self.sender_field(message)?;
        let callback = message
            .status_callback
            .as_ref()
            .or(self.status_callback.as_ref());
        let validity = match message.validity_secs() {
            Some(secs @ 1..=MAX_VALIDITY_SECS) => Some(secs.to_string()),
            Some(secs) => {
                return Err(Error::permanent(
                    ErrorKind::InvalidRequest,
                    format!("validity of {secs} s is outside Twilio's 1..={MAX_VALIDITY_SECS} s"),
                ));
            }
            None => None,
        };
        let mut fields: Vec<(&str, &str)> = vec![
            ("To", message.to.as_str()),
            (sender_name, &sender),
            ("Body", &message.body),
        ];
        if let Some(url) = callback {
            fields.push(("StatusCallback", url));
        }
        if let Some(validity) = &validity {
            fields.push(("ValidityPeriod", validity));
        }
        if let Some(smart) = self.smart_encoded {
            fields.push(("SmartEncoded", if smart { "true" } else { "false" }));
        }
        let authorization = match &self.credentials {
            Credentials::AuthToken(token) => basic_auth(self.account_sid.as_str(), token),
            Credentials::ApiKey { sid, secret } => basic_auth(sid, secret),
        };
        build_request(
            http::Method::POST,
            &self.messages_url(),
            &[
                ("Authorization", &authorization),
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Accept", "application/json"),
            ],
            form_body(fields),
        )
    }
}

/// The Twilio provider: [`TwilioConfig`] over a [`Transport`].
///
/// ```
/// use std::sync::Arc;
/// use smskit_provider::{Body, HttpRequest, HttpResponse, Result, Transport};
/// use smskit_provider::twilio::{Twilio, TwilioConfig};
///
/// /// A transport that answers every request with a canned Message.
/// #[derive(Debug)]
/// struct Canned;
/// impl Transport for Canned {
///     fn execute(&self, _: &HttpRequest) -> Result<HttpResponse> {
///         let body = Body::from(r#"{"sid": "SM42", "status": "queued"}"#);
///         Ok(http::Response::builder().status(201).body(body).unwrap())
///     }
/// }
///
/// use smskit_phone::E164;
/// use smskit_provider::{OutboundMessage, Provider, Sender};
/// let config = TwilioConfig::new("AC0123456789abcdef0123456789abcdef", "token").unwrap();
/// let twilio = Twilio::new(config, Arc::new(Canned));
/// let message = OutboundMessage::new(E164::parse("+32470123456").unwrap(), "Hi")
///     .with_from(Sender::parse("+32460200000").unwrap());
/// assert_eq!(twilio.send(&message).unwrap().message_id, "SM42");
/// ```
#[derive(Debug, Clone)]
pub struct Twilio {
    config: TwilioConfig,
    transport: Arc<dyn Transport>,
}

impl Twilio {
    /// A provider sending through `transport`.
    #[must_use]
    pub fn new(config: TwilioConfig, transport: Arc<dyn Transport>) -> Self {
        Self { config, transport }
    }

    /// The configuration.
    #[must_use]
    pub fn config(&self) -> &TwilioConfig {
        &self.config
    }
}

impl Provider for Twilio {
    fn name(&self) -> &str {
        "twilio"
    }

    fn submit(&self, message: &OutboundMessage) -> Result<Receipt> {
        let request = self.config.build_request(message)?;
        let response = self.transport.execute(&request)?;
        parse_send_response(&response)
    }

    /// Verifies `X-Twilio-Signature` (unless turned off) against the request's URL and POST
    /// parameters, then parses the status callback (POST form body, or the query of a `GET`).
    fn parse_delivery_report(
        &self,
        request: &HttpRequest,
        received_at: DateTime<Utc>,
    ) -> Result<DeliveryReport> {
        parse_status_callback(&self.verified_params(request)?, received_at)
    }

    /// Verifies `X-Twilio-Signature` (unless turned off) as for delivery reports, then parses
    /// the inbound message ([`parse_inbound_message`]).
    fn parse_inbound_message(
        &self,
        request: &HttpRequest,
        received_at: DateTime<Utc>,
    ) -> Result<InboundMessage> {
        parse_inbound_message(&self.verified_params(request)?, received_at)
    }
}

impl Twilio {
    /// The parameters of a webhook whose `X-Twilio-Signature` matches (unless verification is
    /// turned off): the POST form body, or the query of a `GET`.
    fn verified_params(&self, request: &HttpRequest) -> Result<Vec<(String, String)>> {
        callback::check_body_size(request.body())?;
        let post = request.method() == http::Method::POST;
        let post_params = if post {
            parse_form(request.body())
        } else {
            Vec::new()
        };
        let url = request.uri().to_string();
        if self.config.verify_webhooks {
            let Some(validator) = &self.config.webhook_validator else {
                return Err(config_error(
                    "cannot verify Twilio webhooks without the account's auth token (with_webhook_token)"
                        .to_owned(),
                ));
            };
            let signature = header(request.headers(), "X-Twilio-Signature").unwrap_or("");
            if !validator.is_valid(&url, &post_params, signature) {
                return Err(Error::permanent(
                    ErrorKind::InvalidWebhook,
                    format!("invalid X-Twilio-Signature for {url}"),
                ));
            }
        }
        Ok(if post {
            post_params
        } else {
            parse_form(request.uri().query().unwrap_or("").as_bytes())
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use smskit_phone::{E164, Region};

    use super::*;
    use crate::sender::SenderNumber;

    const SID: &str = "AC0123456789abcdef0123456789abcdef";

    fn message(body: &str) -> OutboundMessage {
        OutboundMessage::new(E164::parse("+32470123456").unwrap(), body)
    }

    fn body_of(request: &HttpRequest) -> Vec<(String, String)> {
        parse_form(request.body())
    }

    #[test]
    fn account_sid_format() {
        assert!(AccountSid::parse(SID).is_ok());
        for bad in [
            "",
            "AC",
            "ac0123456789abcdef0123456789abcdef",
            "AC0123456789abcdef0123456789abcde",
            "AC0123456789abcdef0123456789abcdef0",
            "AC0123456789abcdef0123456789abcde-",
        ] {
            let error = AccountSid::parse(bad).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidConfig, "{bad}");
        }
        assert!(TwilioConfig::new("ACnope", "token").is_err());
        // A token in the SID's place is never echoed.
        let token = "5e1f0c2a9b8d7e6f5a4b3c2d1e0f9a8b";
        let error = TwilioConfig::new(token, "token").unwrap_err();
        assert!(!error.message().contains(token), "{error}");
        assert!(!error.message().contains(&token[..8]), "{error}");
        assert!(error.message().contains("5e1f…"), "{error}");
        let error = TwilioConfig::from_api_key(SID, token, "secret").unwrap_err();
        assert!(!error.message().contains(&token[..8]), "{error}");
        assert!(TwilioConfig::new(SID, "").is_err());
    }

    #[test]
    fn request_shape() {
        let config = TwilioConfig::new(SID, "secret")
            .unwrap()
            .with_status_callback("https://example.com/default-cb")
            .unwrap()
            .with_smart_encoded(true);
        let request = config
            .build_request(
                &message("Hello & welcome")
                    .with_from(Sender::parse("ACME").unwrap())
                    .with_validity(Duration::from_secs(600)),
            )
            .unwrap();
        assert_eq!(request.method(), http::Method::POST);
        assert_eq!(
            header(request.headers(), "content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(
            header(request.headers(), "authorization"),
            Some(basic_auth(SID, "secret").as_str())
        );
        let expected: Vec<(String, String)> = [
            ("To", "+32470123456"),
            ("From", "ACME"),
            ("Body", "Hello & welcome"),
            ("StatusCallback", "https://example.com/default-cb"),
            ("ValidityPeriod", "600"),
            ("SmartEncoded", "true"),
        ]
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
        assert_eq!(body_of(&request), expected);
    }

    #[test]
    fn api_key_auth_keeps_account_in_path() {
        let key = "SK0123456789abcdef0123456789abcdef";
        let config = TwilioConfig::from_api_key(SID, key, "keysecret").unwrap();
        let request = config
            .build_request(&message("x").with_from(Sender::parse("ACME").unwrap()))
            .unwrap();
        assert!(request.uri().to_string().contains(SID));
        assert_eq!(
            header(request.headers(), "Authorization"),
            Some(basic_auth(key, "keysecret").as_str())
        );
        assert!(TwilioConfig::from_api_key(SID, "SKshort", "x").is_err());
        assert!(!format!("{config:?}").contains("keysecret"));
    }

    #[test]
    fn sender_choice_order() {
        let be: Region = "BE".parse().unwrap();
        let fr: Region = "FR".parse().unwrap();
        let pool = SenderPool::from_iter([
            SenderNumber::new(E164::parse("+33700000000").unwrap(), fr, 0),
            SenderNumber::new(E164::parse("+32460200000").unwrap(), be, 1),
        ]);
        let service = "MG0123456789abcdef0123456789abcdef";
        let config = TwilioConfig::new(SID, "t").unwrap().with_senders(pool);
        let fields = body_of(&config.build_request(&message("x")).unwrap());
        assert!(fields.contains(&("From".to_owned(), "+32460200000".to_owned())));

        let config = TwilioConfig::new(SID, "t")
            .unwrap()
            .with_messaging_service(service)
            .unwrap();
        let fields = body_of(&config.build_request(&message("x")).unwrap());
        assert!(fields.contains(&("MessagingServiceSid".to_owned(), service.to_owned())));
        assert!(!fields.iter().any(|(n, _)| n == "From"));

        let explicit = message("x").with_from(Sender::parse(service).unwrap());
        let config = TwilioConfig::new(SID, "t").unwrap();
        let fields = body_of(&config.build_request(&explicit).unwrap());
        assert!(fields.contains(&("MessagingServiceSid".to_owned(), service.to_owned())));

        let error = config.build_request(&message("x")).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidSender);
    }

    #[test]
    fn local_refusals() {
        let config = TwilioConfig::new(SID, "t").unwrap();
        let from = Sender::parse("ACME").unwrap();
        let long = "a".repeat(MAX_BODY_CHARS + 1);
        assert!(
            config
                .build_request(&message(&"é".repeat(MAX_BODY_CHARS)).with_from(from.clone()))
                .is_ok()
        );
        for bad in [
            message(&long).with_from(from.clone()),
            message("").with_from(from.clone()),
            message("x")
                .with_from(from.clone())
                .with_validity(Duration::ZERO),
            message("x")
                .with_from(from.clone())
                .with_validity(Duration::from_secs(36_001)),
            message("x")
                .with_from(from.clone())
                .with_status_callback("https://a_b.example.com/"),
        ] {
            let error = config.build_request(&bad).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidRequest, "{error}");
        }
        assert!(
            config
                .build_request(
                    &message("x")
                        .with_from(from)
                        .with_validity(Duration::from_millis(35_999_500))
                )
                .is_ok()
        );
    }

    #[test]
    fn api_base_validation() {
        let config = TwilioConfig::new(SID, "t").unwrap();
        let config = config.with_api_base("http://127.0.0.1:8080/").unwrap();
        assert_eq!(
            config.messages_url(),
            format!("http://127.0.0.1:8080/2010-04-01/Accounts/{SID}/Messages.json")
        );
        assert!(
            TwilioConfig::new(SID, "t")
                .unwrap()
                .with_api_base("127.0.0.1:80")
                .is_err()
        );
        assert!(
            TwilioConfig::new(SID, "t")
                .unwrap()
                .with_api_base("ftp://x")
                .is_err()
        );
    }
}
