//! What the routes need to know: the public URL, the secrets, the admin token.

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use smskit::provider::vonage::SignatureMethod;

/// Where the routes read the time.
pub(crate) type Now = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The configuration of [`router`](crate::router).
#[derive(Clone)]
pub struct HttpConfig {
    pub(crate) public_url: String,
    pub(crate) admin_token: String,
    pub(crate) twilio_auth_token: Option<String>,
    pub(crate) vonage_signature_secret: Option<String>,
    pub(crate) vonage_signature_method: SignatureMethod,
    pub(crate) now: Now,
}

impl fmt::Debug for HttpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Secrets never reach a log.
        f.debug_struct("HttpConfig")
            .field("public_url", &self.public_url)
            .field("admin_token", &"<redacted>")
            .field(
                "twilio_auth_token",
                &self.twilio_auth_token.as_ref().map(|_| "<redacted>"),
            )
            .field(
                "vonage_signature_secret",
                &self.vonage_signature_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("vonage_signature_method", &self.vonage_signature_method)
            .finish_non_exhaustive()
    }
}

impl HttpConfig {
    /// Routes served at `public_url` (what recipients and providers reach, e.g.
    /// `https://sms.example.com`: webhook signatures are checked against it), with the
    /// dashboard behind `admin_token`.
    pub fn new(public_url: impl Into<String>, admin_token: impl Into<String>) -> Self {
        HttpConfig {
            public_url: public_url.into().trim_end_matches('/').to_owned(),
            admin_token: admin_token.into(),
            twilio_auth_token: None,
            vonage_signature_secret: None,
            vonage_signature_method: SignatureMethod::Md5Hash,
            now: Arc::new(|| DateTime::<Utc>::from(std::time::SystemTime::now())),
        }
    }

    /// Verifies Twilio's webhooks with the account's auth token.
    #[must_use]
    pub fn with_twilio_auth_token(mut self, token: impl Into<String>) -> Self {
        self.twilio_auth_token = Some(token.into());
        self
    }

    /// Verifies Vonage's signed webhooks with the account's signature secret.
    #[must_use]
    pub fn with_vonage_signature_secret(mut self, secret: impl Into<String>) -> Self {
        self.vonage_signature_secret = Some(secret.into());
        self
    }

    /// The signature method chosen in the Vonage dashboard (default: `md5hash`, Vonage's
    /// default).
    #[must_use]
    pub fn with_vonage_signature_method(mut self, method: SignatureMethod) -> Self {
        self.vonage_signature_method = method;
        self
    }

    /// Reads the time from `now` instead of the system clock: the time of clicks, opt-outs and
    /// replies, and the `now` Vonage's signature timestamps are checked against.
    #[must_use]
    pub fn with_clock(mut self, now: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        self.now = Arc::new(now);
        self
    }

    /// The path of the public URL (`""` or `/prefix`): where the router is mounted, so that
    /// the paths the engine checks are those of the links it made.
    pub(crate) fn public_path(&self) -> &str {
        // `public_url` is `scheme://authority[/path]` without a trailing slash.
        let after_scheme = self
            .public_url
            .split_once("://")
            .map_or(self.public_url.as_str(), |(_, rest)| rest);
        after_scheme.find('/').map_or("", |at| &after_scheme[at..])
    }

    /// The public URL, without a trailing slash.
    #[must_use]
    pub fn public_url(&self) -> &str {
        &self.public_url
    }
}
