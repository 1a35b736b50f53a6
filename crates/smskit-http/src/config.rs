//! What the routes need to know: the public URL, the secrets, the admin token.

use std::fmt;

/// The configuration of [`router`](crate::router).
#[derive(Clone)]
pub struct HttpConfig {
    pub(crate) public_url: String,
    #[allow(dead_code, reason = "the dashboard's authorisation reads it")]
    pub(crate) admin_token: String,
    pub(crate) twilio_auth_token: Option<String>,
    pub(crate) vonage_signature_secret: Option<String>,
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
            .finish()
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

    /// The public URL, without a trailing slash.
    #[must_use]
    pub fn public_url(&self) -> &str {
        &self.public_url
    }
}
