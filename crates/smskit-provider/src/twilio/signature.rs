//! `X-Twilio-Signature` validation.

use std::fmt;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use crate::error::{Error, ErrorKind, Result, config_error};
use crate::transport::{HttpRequest, header, parse_form, value_excerpt};

type HmacSha1 = Hmac<Sha1>;

/// Checks `X-Twilio-Signature` with the account's auth token.
///
/// Twilio's signature of a webhook is the base64 HMAC-SHA1, keyed with the auth token, of the
/// full URL (query included) followed by every POST parameter sorted by name, as name
/// immediately followed by value (a parameter with several values contributes each value,
/// sorted). The `Debug` output never shows the token.
///
/// ```
/// use smskit_provider::twilio::SignatureValidator;
///
/// // Twilio's documented example.
/// let params = [
///     ("CallSid", "CA1234567890ABCDE"),
///     ("Caller", "+12349013030"),
///     ("Digits", "1234"),
///     ("From", "+12349013030"),
///     ("To", "+18005551212"),
/// ];
/// let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
/// let validator = SignatureValidator::new("12345")?;
/// assert_eq!(validator.sign(url, &params), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
/// assert!(validator.is_valid(url, &params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
/// let with_port = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
/// assert!(validator.is_valid(with_port, &params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
/// assert!(!SignatureValidator::new("54321")?.is_valid(url, &params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
/// // An empty token would let anyone sign: refused.
/// assert!(SignatureValidator::new("").is_err());
/// # Ok::<(), smskit_provider::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct SignatureValidator {
    auth_token: String,
}

impl fmt::Debug for SignatureValidator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignatureValidator").finish_non_exhaustive()
    }
}

impl SignatureValidator {
    /// A validator of the account's auth token.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidConfig`](crate::ErrorKind::InvalidConfig) for an empty token.
    pub fn new(auth_token: &str) -> Result<Self> {
        if auth_token.is_empty() {
            return Err(config_error("the Twilio auth token is empty".to_owned()));
        }
        Ok(Self {
            auth_token: auth_token.to_owned(),
        })
    }

    /// The signature Twilio computes for a webhook to `url` with POST `params` (empty for
    /// `GET`; the query is part of the URL).
    #[must_use]
    pub fn sign<N: AsRef<str>, V: AsRef<str>>(&self, url: &str, params: &[(N, V)]) -> String {
        base64::engine::general_purpose::STANDARD
            .encode(self.mac(url, params).finalize().into_bytes())
    }

    /// Whether `signature` (the `X-Twilio-Signature` header) is Twilio's signature of the
    /// request to `url` with POST `params`.
    ///
    /// The URL is accepted as given and with the default port added or removed
    /// (`https://host/…` and `https://host:443/…`), because proxies differ in what they pass
    /// on. The comparison is constant-time (`hmac`'s `verify_slice`).
    #[must_use]
    pub fn is_valid<N: AsRef<str>, V: AsRef<str>>(
        &self,
        url: &str,
        params: &[(N, V)],
        signature: &str,
    ) -> bool {
        let Ok(expected) = base64::engine::general_purpose::STANDARD.decode(signature.trim())
        else {
            return false;
        };
        let verify = |candidate: &str| self.mac(candidate, params).verify_slice(&expected).is_ok();
        // Evaluate every variant so the time taken does not depend on which one matched.
        let as_given = verify(url);
        let variant = port_variant(url).is_some_and(|other| verify(&other));
        as_given | variant
    }

    /// Checks a webhook as the web server received it — its absolute URI, `X-Twilio-Signature`
    /// and, for a `POST`, its form body — and returns its parameters (the form of a `POST`, the
    /// query of a `GET`): what [`parse_status_callback`](super::parse_status_callback) and
    /// [`parse_inbound_message`](super::parse_inbound_message) read.
    ///
    /// # Errors
    /// A permanent [`ErrorKind::InvalidWebhook`](crate::ErrorKind::InvalidWebhook) error for a
    /// body over [`MAX_CALLBACK_BYTES`](super::MAX_CALLBACK_BYTES) or a missing or wrong
    /// signature.
    pub fn verify_request(&self, request: &HttpRequest) -> Result<Vec<(String, String)>> {
        super::callback::check_body_size(request.body())?;
        let post = request.method() == http::Method::POST;
        let post_params = if post {
            parse_form(request.body())
        } else {
            Vec::new()
        };
        let url = request.uri().to_string();
        let signature = header(request.headers(), "X-Twilio-Signature").unwrap_or("");
        if !self.is_valid(&url, &post_params, signature) {
            return Err(Error::permanent(
                ErrorKind::InvalidWebhook,
                format!("invalid X-Twilio-Signature for {}", value_excerpt(&url)),
            ));
        }
        Ok(if post {
            post_params
        } else {
            parse_form(request.uri().query().unwrap_or("").as_bytes())
        })
    }

    fn mac<N: AsRef<str>, V: AsRef<str>>(&self, url: &str, params: &[(N, V)]) -> HmacSha1 {
        let mut sorted: Vec<(&str, &str)> = params
            .iter()
            .map(|(n, v)| (n.as_ref(), v.as_ref()))
            .collect();
        sorted.sort_unstable();
        #[allow(
            clippy::expect_used,
            reason = "HMAC takes keys of any length (it hashes long ones and pads short ones)"
        )]
        let mut mac = HmacSha1::new_from_slice(self.auth_token.as_bytes())
            .expect("HMAC accepts any key length");
        mac.update(url.as_bytes());
        for (name, value) in sorted {
            mac.update(name.as_bytes());
            mac.update(value.as_bytes());
        }
        mac
    }
}

/// The same URL with the scheme's default port added (when it has no port) or removed (when
/// it has the default port); `None` for other URLs.
pub(crate) fn port_variant(url: &str) -> Option<String> {
    let scheme_end = url.find("://")?;
    let scheme = &url[..scheme_end];
    let default_port = if scheme.eq_ignore_ascii_case("https") {
        "443"
    } else if scheme.eq_ignore_ascii_case("http") {
        "80"
    } else {
        return None;
    };
    let authority_start = scheme_end + 3;
    let rest = &url[authority_start..];
    let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_len];
    let host_start = authority.rfind('@').map_or(0, |at| at + 1);
    let host_port = &authority[host_start..];
    // Where the host ends (an IPv6 literal ends with `]`).
    let host_len = if host_port.starts_with('[') {
        host_port.find(']')? + 1
    } else {
        host_port.find(':').unwrap_or(host_port.len())
    };
    if host_len == 0 {
        return None;
    }
    let after_host = &host_port[host_len..];
    let insert_at = authority_start + host_start + host_len;
    let (head, tail) = url.split_at(insert_at);
    if after_host.is_empty() {
        Some(format!("{head}:{default_port}{tail}"))
    } else if after_host.strip_prefix(':') == Some(default_port) {
        Some(format!("{head}{}", &tail[after_host.len()..]))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const PARAMS: [(&str, &str); 5] = [
        ("CallSid", "CA1234567890ABCDE"),
        ("Caller", "+12349013030"),
        ("Digits", "1234"),
        ("From", "+12349013030"),
        ("To", "+18005551212"),
    ];
    const SIGNATURE: &str = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";

    #[test]
    fn the_port_variant_of_an_ipv6_host() {
        assert_eq!(
            port_variant("https://[::1]/sms?x=1").as_deref(),
            Some("https://[::1]:443/sms?x=1")
        );
        assert_eq!(
            port_variant("http://[2001:db8::1]:80/sms").as_deref(),
            Some("http://[2001:db8::1]/sms")
        );
        // User information (with an empty password) comes before the host.
        assert_eq!(
            port_variant("https://user:@example.com/sms").as_deref(),
            Some("https://user:@example.com:443/sms")
        );
    }

    #[test]
    fn a_validator_never_shows_its_token() {
        let shown = format!(
            "{:?}",
            SignatureValidator::new("12345-secret-token").unwrap()
        );
        assert!(shown.starts_with("SignatureValidator"), "{shown}");
        assert!(!shown.contains("secret"), "{shown}");
    }

    fn compute_signature<N: AsRef<str>, V: AsRef<str>>(
        token: &str,
        url: &str,
        params: &[(N, V)],
    ) -> String {
        SignatureValidator::new(token).unwrap().sign(url, params)
    }

    fn validate_signature<N: AsRef<str>, V: AsRef<str>>(
        token: &str,
        url: &str,
        params: &[(N, V)],
        signature: &str,
    ) -> bool {
        SignatureValidator::new(token)
            .unwrap()
            .is_valid(url, params, signature)
    }

    #[test]
    fn empty_tokens_are_refused() {
        let error = SignatureValidator::new("").unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidConfig);
        let debug = format!("{:?}", SignatureValidator::new("s3cr3t").unwrap());
        assert!(!debug.contains("s3cr3t"), "{debug}");
    }

    #[test]
    fn known_vector() {
        assert_eq!(compute_signature("12345", URL, &PARAMS), SIGNATURE);
        assert!(validate_signature("12345", URL, &PARAMS, SIGNATURE));
        // Parameter order does not matter.
        let mut reversed = PARAMS;
        reversed.reverse();
        assert!(validate_signature("12345", URL, &reversed, SIGNATURE));
    }

    #[test]
    fn known_vector_with_and_without_default_port() {
        let with_port = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
        assert!(validate_signature("12345", with_port, &PARAMS, SIGNATURE));
        // Signed with the port, received without it.
        let signed_with_port = compute_signature("12345", with_port, &PARAMS);
        assert!(validate_signature("12345", URL, &PARAMS, &signed_with_port));
        // A different port is a different URL.
        let other_port = "https://mycompany.com:8443/myapp.php?foo=1&bar=2";
        assert!(!validate_signature("12345", other_port, &PARAMS, SIGNATURE));
    }

    #[test]
    fn tampering_is_detected() {
        let mut params = PARAMS.to_vec();
        params[2].1 = "1235";
        assert!(!validate_signature("12345", URL, &params, SIGNATURE));
        assert!(!validate_signature(
            "12345",
            "https://mycompany.com/myapp.php?foo=1&bar=3",
            &PARAMS,
            SIGNATURE
        ));
        assert!(!validate_signature("12345", URL, &PARAMS, "not base64!"));
        assert!(!validate_signature("12345", URL, &PARAMS, ""));
        assert!(!validate_signature("12345", URL, &PARAMS, "AAAA"));
    }

    #[test]
    fn multi_valued_parameters_sorted_by_value() {
        let a = [("Media", "b"), ("Media", "a"), ("Body", "x")];
        let b = [("Body", "x"), ("Media", "a"), ("Media", "b")];
        assert_eq!(
            compute_signature("t", "https://h/p", &a),
            compute_signature("t", "https://h/p", &b)
        );
        // It is name then value, concatenated: "BodyxMediaaMediab".
        let manual = {
            let mut mac = HmacSha1::new_from_slice(b"t").unwrap();
            mac.update(b"https://h/pBodyxMediaaMediab");
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
        };
        assert_eq!(compute_signature("t", "https://h/p", &a), manual);
    }

    #[test]
    fn port_variants() {
        let cases = [
            ("https://h.com/p?q", Some("https://h.com:443/p?q")),
            ("https://h.com:443/p", Some("https://h.com/p")),
            ("http://h.com", Some("http://h.com:80")),
            ("http://h.com:80?x=1", Some("http://h.com?x=1")),
            ("HTTPS://h.com#f", Some("HTTPS://h.com:443#f")),
            (
                "https://user:pw@h.com/p",
                Some("https://user:pw@h.com:443/p"),
            ),
            ("https://[::1]/p", Some("https://[::1]:443/p")),
            ("https://[::1]:443/p", Some("https://[::1]/p")),
            ("https://h.com:8443/p", None),
            ("http://h.com:443/p", None),
            ("ftp://h.com/p", None),
            ("no scheme", None),
            ("https:///p", None),
            ("https://[::1/p", None),
        ];
        for (url, expected) in cases {
            assert_eq!(port_variant(url).as_deref(), expected, "{url}");
        }
    }

    proptest! {
        #[test]
        fn computed_signatures_validate(
            token in "\\PC{1,40}",
            path in "[a-z/?=&]{0,20}",
            params in proptest::collection::vec(("\\PC{0,8}", "\\PC{0,8}"), 0..6),
        ) {
            let url = format!("https://example.com/{path}");
            let signature = compute_signature(&token, &url, &params);
            prop_assert!(validate_signature(&token, &url, &params, &signature));
            let other = format!("{token}x");
            prop_assert!(!validate_signature(&other, &url, &params, &signature));
        }

        #[test]
        fn port_variant_never_panics(url in "\\PC{0,60}") {
            let _ = port_variant(&url);
        }
    }
}
