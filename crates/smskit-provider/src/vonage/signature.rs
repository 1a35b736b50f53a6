//! Vonage signed webhooks (SMS API): the `sig` parameter of delivery receipts and inbound
//! messages, checked with the account's signature secret before anything is parsed.
//!
//! Vonage's documented scheme, as its SDKs implement it (`Signature` in vonage-php-sdk-core,
//! `check_signature` in vonage-python-sdk): every parameter but `sig`, sorted by name, each
//! written `&name=value` with `&` and `=` in the value replaced by `_`; then either the MD5 of
//! that string followed by the secret (`md5hash`, lower-case hex), or its HMAC keyed with the
//! secret (`md5`, `sha1`, `sha256`, `sha512`, upper-case hex). The hex case is not significant.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use serde_json::Value;
use sha1::Sha1;
use sha2::{Sha256, Sha512};
use subtle::ConstantTimeEq;

use crate::error::{Error, ErrorKind, Result, config_error};
use crate::json::text_of;
use crate::transport::{HttpRequest, body_excerpt, parse_form, value_excerpt};

/// How far a webhook's `timestamp` may be from the caller's clock by default: five minutes.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);
/// The largest webhook body read.
pub const MAX_WEBHOOK_BYTES: usize = 64 * 1024;

/// The signature method chosen in the Vonage dashboard (its settings page names them
/// "MD5 hash", "MD5 HMAC", "SHA1 HMAC", "SHA-256 HMAC", "SHA-512 HMAC").
///
/// Parsed from the names the Vonage SDKs use: `md5hash`, `md5`, `sha1`, `sha256`, `sha512`.
///
/// ```
/// use smskit_provider::vonage::SignatureMethod;
///
/// assert_eq!("sha256".parse(), Ok(SignatureMethod::Sha256Hmac));
/// assert_eq!(SignatureMethod::Md5Hash.as_str(), "md5hash");
/// assert!("sha384".parse::<SignatureMethod>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(into = "&str", try_from = "String"))]
#[non_exhaustive]
pub enum SignatureMethod {
    /// MD5 of the parameters followed by the secret (Vonage's default).
    Md5Hash,
    /// HMAC-MD5 keyed with the secret.
    Md5Hmac,
    /// HMAC-SHA1 keyed with the secret.
    Sha1Hmac,
    /// HMAC-SHA256 keyed with the secret.
    Sha256Hmac,
    /// HMAC-SHA512 keyed with the secret.
    Sha512Hmac,
}

impl SignatureMethod {
    /// Every method, in the dashboard's order.
    pub const ALL: [Self; 5] = [
        Self::Md5Hash,
        Self::Md5Hmac,
        Self::Sha1Hmac,
        Self::Sha256Hmac,
        Self::Sha512Hmac,
    ];

    /// The SDK name: `md5hash`, `md5`, `sha1`, `sha256` or `sha512`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Md5Hash => "md5hash",
            Self::Md5Hmac => "md5",
            Self::Sha1Hmac => "sha1",
            Self::Sha256Hmac => "sha256",
            Self::Sha512Hmac => "sha512",
        }
    }
}

impl fmt::Display for SignatureMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SignatureMethod {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|method| method.as_str().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| {
                config_error(format!(
                    "unknown Vonage signature method `{}`: expected md5hash, md5, sha1, sha256 or sha512",
                    value_excerpt(text)
                ))
            })
    }
}

impl From<SignatureMethod> for &'static str {
    fn from(method: SignatureMethod) -> Self {
        method.as_str()
    }
}

impl TryFrom<String> for SignatureMethod {
    type Error = Error;

    fn try_from(text: String) -> Result<Self> {
        text.parse()
    }
}

/// Checks Vonage's webhook signatures with the account's signature secret.
///
/// [`SignatureVerifier::verify`] is the only way to obtain [`SignedParams`], and the receipt
/// parser ([`parse_delivery_receipt`](super::parse_delivery_receipt)) takes nothing else: an
/// unsigned, forged, altered or stale webhook is rejected before it is read. The `Debug`
/// output never shows the secret.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use smskit_provider::vonage::{SignatureMethod, SignatureVerifier};
///
/// // An inbound message of Vonage's PHP SDK test suite.
/// let params = [
///     ("message-timestamp", "2013-11-21 15:27:30"), ("messageId", "020000001B0FE827"),
///     ("msisdn", "14843472194"), ("text", "Test again"), ("timestamp", "1385047698"),
///     ("to", "13239877404"), ("type", "text"), ("sig", "d2e7b1dc968737c5998ad624e02f90b7"),
/// ];
/// let verifier = SignatureVerifier::new("my_secret_key_for_testing", SignatureMethod::Md5Hash)?;
/// let now = Utc.timestamp_opt(1385047698 + 60, 0).unwrap();
/// let signed = verifier.verify(&params, now)?;
/// assert_eq!(signed.get("text"), Some("Test again"));
///
/// let mut forged = params;
/// forged[3].1 = "Send me your password";
/// assert!(verifier.verify(&forged, now).is_err());
/// assert!(SignatureVerifier::new("", SignatureMethod::Md5Hash).is_err());
/// # Ok::<(), smskit_provider::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct SignatureVerifier {
    secret: String,
    method: SignatureMethod,
    tolerance: Duration,
}

impl fmt::Debug for SignatureVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignatureVerifier")
            .field("method", &self.method)
            .field("tolerance", &self.tolerance)
            .finish_non_exhaustive()
    }
}

impl SignatureVerifier {
    /// A verifier of the account's signature secret with the dashboard's method, accepting a
    /// `timestamp` within [`DEFAULT_TOLERANCE`] of the caller's clock.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidConfig`] for an empty secret: it would make every signature
    /// computable by anyone.
    pub fn new(secret: &str, method: SignatureMethod) -> Result<Self> {
        if secret.is_empty() {
            return Err(config_error(
                "the Vonage signature secret is empty".to_owned(),
            ));
        }
        Ok(Self {
            secret: secret.to_owned(),
            method,
            tolerance: DEFAULT_TOLERANCE,
        })
    }

    /// How far the webhook's `timestamp` may be from `now`, before or after.
    #[must_use]
    pub fn with_tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// The signature method.
    #[must_use]
    pub fn method(&self) -> SignatureMethod {
        self.method
    }

    /// The timestamp tolerance.
    #[must_use]
    pub fn tolerance(&self) -> Duration {
        self.tolerance
    }

    /// The signature Vonage computes over `params` (any `sig` among them is left out), in the
    /// SDKs' case: lower-case hex for `md5hash`, upper-case for the HMACs.
    ///
    /// ```
    /// use smskit_provider::vonage::{SignatureMethod, SignatureVerifier};
    ///
    /// // Vonage's PHP SDK test vector for a signed outbound request.
    /// let params = [
    ///     ("api_key", "not_a_key"), ("from", "12192259404"), ("text", "Test&test=something"),
    ///     ("timestamp", "1490638615"), ("to", "14843472194"),
    /// ];
    /// let verifier = SignatureVerifier::new("my_secret_key_for_testing", SignatureMethod::Md5Hash)?;
    /// assert_eq!(verifier.sign(&params), "17f5e3b22f778ec73464c01d180e9d0f");
    /// # Ok::<(), smskit_provider::Error>(())
    /// ```
    #[must_use]
    pub fn sign<N: AsRef<str>, V: AsRef<str>>(&self, params: &[(N, V)]) -> String {
        let base = signing_string(params);
        let secret = self.secret.as_bytes();
        match self.method {
            SignatureMethod::Md5Hash => {
                let mut md5 = Md5::new();
                md5.update(base.as_bytes());
                md5.update(secret);
                hex(&md5.finalize(), false)
            }
            SignatureMethod::Md5Hmac => hmac_hex::<Hmac<Md5>>(secret, &base),
            SignatureMethod::Sha1Hmac => hmac_hex::<Hmac<Sha1>>(secret, &base),
            SignatureMethod::Sha256Hmac => hmac_hex::<Hmac<Sha256>>(secret, &base),
            SignatureMethod::Sha512Hmac => hmac_hex::<Hmac<Sha512>>(secret, &base),
        }
    }

    /// Checks a webhook's parameters: exactly one non-empty `sig`, equal (in constant time,
    /// any hex case) to [`SignatureVerifier::sign`] of the others; no repeated parameter
    /// name; a `timestamp` (Unix seconds) within the tolerance of `now`.
    ///
    /// # Errors
    /// A permanent [`ErrorKind::InvalidWebhook`] error saying which check failed.
    pub fn verify<N: AsRef<str>, V: AsRef<str>>(
        &self,
        params: &[(N, V)],
        now: DateTime<Utc>,
    ) -> Result<SignedParams> {
        let mut names: Vec<&str> = params.iter().map(|(name, _)| name.as_ref()).collect();
        names.sort_unstable();
        if let Some(pair) = names.windows(2).find(|pair| pair[0] == pair[1]) {
            return Err(invalid(format!(
                "Vonage webhook repeats the parameter `{}`: a signature cannot cover it",
                value_excerpt(pair[0])
            )));
        }
        let signature = params
            .iter()
            .find(|(name, _)| name.as_ref() == "sig")
            .map(|(_, value)| value.as_ref().trim())
            .filter(|sig| !sig.is_empty())
            .ok_or_else(|| {
                invalid("unsigned Vonage webhook (no `sig` parameter): rejected".to_owned())
            })?;
        let expected = self.sign(params).to_ascii_lowercase();
        let given = signature.to_ascii_lowercase();
        if !bool::from(expected.as_bytes().ct_eq(given.as_bytes())) {
            return Err(invalid(format!(
                "Vonage webhook signature does not match (method {}): forged, altered, or signed with another secret",
                self.method
            )));
        }
        let stamp = params
            .iter()
            .find(|(name, _)| name.as_ref() == "timestamp")
            .map(|(_, value)| value.as_ref().trim())
            .ok_or_else(|| invalid("signed Vonage webhook without `timestamp`".to_owned()))?;
        let signed_at = stamp
            .parse::<i64>()
            .ok()
            .and_then(|seconds| DateTime::from_timestamp(seconds, 0))
            .ok_or_else(|| {
                invalid(format!(
                    "Vonage webhook `timestamp` `{}` is not Unix seconds",
                    value_excerpt(stamp)
                ))
            })?;
        let skew = (now - signed_at).abs().to_std().unwrap_or(Duration::MAX);
        if skew > self.tolerance {
            return Err(invalid(format!(
                "Vonage webhook signed at {} is {} s away from now ({}), beyond the tolerance of {} s: stale or replayed",
                signed_at.to_rfc3339(),
                skew.as_secs(),
                now.to_rfc3339(),
                self.tolerance.as_secs()
            )));
        }
        Ok(SignedParams {
            params: params
                .iter()
                .filter(|(name, _)| name.as_ref() != "sig")
                .map(|(name, value)| (name.as_ref().to_owned(), value.as_ref().to_owned()))
                .collect(),
            signed_at,
        })
    }

    /// Reads a webhook as the web server received it — the query of a `GET`, else a form or
    /// JSON body — and [`verify`](Self::verify)s it.
    ///
    /// # Errors
    /// A permanent [`ErrorKind::InvalidWebhook`] error for an oversized or unreadable body or
    /// a failed check.
    pub fn verify_request(
        &self,
        request: &HttpRequest,
        now: DateTime<Utc>,
    ) -> Result<SignedParams> {
        self.verify(&webhook_params(request)?, now)
    }
}

/// The parameters of a webhook whose signature and timestamp were verified: what the Vonage
/// receipt parser reads. Obtained only from [`SignatureVerifier::verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedParams {
    params: Vec<(String, String)>,
    signed_at: DateTime<Utc>,
}

impl SignedParams {
    /// The value of the parameter `name` (there is at most one).
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(candidate, _)| candidate == name)
            .map(|(_, value)| value.as_str())
    }

    /// Every parameter but `sig`, in the order received.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.params
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }

    /// When Vonage signed the webhook (its `timestamp`).
    #[must_use]
    pub fn signed_at(&self) -> DateTime<Utc> {
        self.signed_at
    }
}

/// `&name=value` for every parameter but `sig`, sorted by name, `&` and `=` in values as `_`.
fn signing_string<N: AsRef<str>, V: AsRef<str>>(params: &[(N, V)]) -> String {
    let mut sorted: Vec<(&str, &str)> = params
        .iter()
        .map(|(name, value)| (name.as_ref(), value.as_ref()))
        .filter(|(name, _)| *name != "sig")
        .collect();
    sorted.sort_unstable();
    let mut base = String::new();
    for (name, value) in sorted {
        base.push('&');
        base.push_str(name);
        base.push('=');
        base.push_str(&value.replace(['&', '='], "_"));
    }
    base
}

/// The upper-case hex HMAC of `base` keyed with `secret`.
fn hmac_hex<M: Mac + KeyInit>(secret: &[u8], base: &str) -> String {
    #[allow(
        clippy::expect_used,
        reason = "HMAC takes keys of any length (it hashes long ones and pads short ones)"
    )]
    let mut mac = <M as Mac>::new_from_slice(secret).expect("HMAC accepts any key length");
    mac.update(base.as_bytes());
    hex(&mac.finalize().into_bytes(), true)
}

/// Hex digits of a digest, as the Vonage SDKs print them.
fn hex(bytes: &[u8], upper: bool) -> String {
    use fmt::Write as _;
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = if upper {
            write!(text, "{byte:02X}")
        } else {
            write!(text, "{byte:02x}")
        };
    }
    text
}

/// The parameters of a Vonage webhook as the web server received it: the query of a `GET`
/// (or of a request without a body), else a JSON object (numbers as their text) or a form
/// body. Unverified: give them to [`SignatureVerifier::verify`] before reading them.
///
/// # Errors
/// A permanent [`ErrorKind::InvalidWebhook`] error for a body over [`MAX_WEBHOOK_BYTES`] or a
/// JSON body that is not an object.
pub fn webhook_params(request: &HttpRequest) -> Result<Vec<(String, String)>> {
    if request.body().len() > MAX_WEBHOOK_BYTES {
        return Err(invalid(format!(
            "Vonage webhook body of {} bytes exceeds {MAX_WEBHOOK_BYTES}",
            request.body().len()
        )));
    }
    let body = request.body().trim_ascii_start();
    if request.method() == http::Method::GET || body.is_empty() {
        return Ok(parse_form(request.uri().query().unwrap_or("").as_bytes()));
    }
    if body.first() != Some(&b'{') {
        return Ok(parse_form(body));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map
            .into_iter()
            .filter_map(|(name, value)| text_of(&value).map(|text| (name, text)))
            .collect()),
        _ => Err(invalid(format!(
            "Vonage webhook body is not a JSON object: `{}`",
            body_excerpt(body)
        ))),
    }
}

fn invalid(message: String) -> Error {
    Error::permanent(ErrorKind::InvalidWebhook, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::testing::{With as _, request};
    use chrono::TimeZone as _;
    use http::Method;
    use proptest::prelude::*;

    const SECRET: &str = "my_secret_key_for_testing";

    /// An inbound message of vonage-php-sdk-core's `SignatureTest::signatures`.
    const INBOUND: [(&str, &str); 7] = [
        ("message-timestamp", "2013-11-21 15:27:30"),
        ("messageId", "020000001B0FE827"),
        ("msisdn", "14843472194"),
        ("text", "Test again"),
        ("timestamp", "1385047698"),
        ("to", "13239877404"),
        ("type", "text"),
    ];

    fn verifier(method: SignatureMethod) -> SignatureVerifier {
        SignatureVerifier::new(SECRET, method).unwrap()
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(seconds, 0).unwrap()
    }

    fn with_sig<'a>(params: &[(&'a str, &'a str)], sig: &'a str) -> Vec<(&'a str, &'a str)> {
        let mut params = params.to_vec();
        params.push(("sig", sig));
        params
    }

    /// Every method's vector of vonage-php-sdk-core (`SignatureTest::signatures`).
    #[test]
    fn php_sdk_inbound_vectors() {
        let vectors = [
            (SignatureMethod::Md5Hash, "d2e7b1dc968737c5998ad624e02f90b7"),
            (SignatureMethod::Md5Hmac, "DDEBD46008C2D4E93CCE578A332A52D5"),
            (
                SignatureMethod::Sha1Hmac,
                "27D0D05C2876C7CB1720DBCDBA4D492E1E55C09A",
            ),
            (
                SignatureMethod::Sha256Hmac,
                "DDB8397C2B90AAC7F3882D306475C9A5058C92322EEF43C92B298B6E0FC0D330",
            ),
            (
                SignatureMethod::Sha512Hmac,
                "E0D3C650F8C9D1A5C174D10DDDBFB003E561F59B265616208B0487C5D819481CD3C311D59CF6165ECD1139622D5BA3A256C0D763AC4A9AD9144B5A426B94FE82",
            ),
        ];
        for (method, expected) in vectors {
            let verifier = verifier(method);
            assert_eq!(verifier.sign(&INBOUND), expected, "{method}");
            let signed = verifier
                .verify(&with_sig(&INBOUND, expected), at(1_385_047_698))
                .unwrap();
            assert_eq!(signed.get("messageId"), Some("020000001B0FE827"));
            assert_eq!(signed.get("sig"), None);
            assert_eq!(signed.signed_at(), at(1_385_047_698));
            // The hex case does not matter.
            let lower = expected.to_ascii_lowercase();
            assert!(
                verifier
                    .verify(&with_sig(&INBOUND, &lower), at(1_385_047_698))
                    .is_ok()
            );
        }
    }

    /// More md5hash vectors of vonage-php-sdk-core, with `&` and `=` in a value, a nonce and a
    /// keyword, and the HMAC vectors of its `hmacSignatureProvider`.
    #[test]
    fn php_sdk_more_vectors() {
        let md5hash = verifier(SignatureMethod::Md5Hash);
        let params = [
            ("keyword", "TEST"),
            ("message-timestamp", "2017-04-04 22:57:47"),
            ("messageId", "0B00000042AC53BD"),
            ("msisdn", "14843472194"),
            ("nonce", "929d6744-bd28-42c8-b6cf-31d5b4f43732"),
            ("text", "Test with & and ="),
            ("timestamp", "1491346667"),
            ("to", "12192259404"),
            ("type", "text"),
        ];
        assert_eq!(md5hash.sign(&params), "e06d9763e3fd0b9c31beb5fc2fcb011c");
        let params = [
            ("message-timestamp", "2013-11-21 17:37:31"),
            ("messageId", "030000002A267DBB"),
            ("msisdn", "14843472194"),
            ("text", "One more time"),
            ("timestamp", "1385055451"),
            ("to", "14849970568"),
            ("type", "text"),
            ("sig", "83c052a82906ec7c116e16f6d92f7eee"),
        ];
        assert_eq!(md5hash.sign(&params), "83c052a82906ec7c116e16f6d92f7eee");

        let outbound = [
            ("api_key", "fake_api_key"),
            ("to", "14155550100"),
            ("from", "AcmeInc"),
            ("text", "Test From Nexmo"),
            ("type", "text"),
            ("timestamp", "1540924779"),
        ];
        let secret = "71efab63122f1d179f51c46bac838fb5";
        for (method, expected) in [
            (SignatureMethod::Md5Hmac, "51CDAFEBB4BBCE9525B195C1617CB8D2"),
            (
                SignatureMethod::Sha1Hmac,
                "0162AEC64BC183B2E1256545951FE5639DC98020",
            ),
            (
                SignatureMethod::Sha256Hmac,
                "9FEC5EF6D0F2B3D2BB7558B6E4042569823CAB9EA0DD30503472B7B304601975",
            ),
            (
                SignatureMethod::Sha512Hmac,
                "40BD12B9A4B6000AD1138EEFD24FFE9FBD72AEE13C3FA04B32BB69DBC256AD0A04A463B1A9AF6660D10F6E1E769EE14B9CFF6A635502E93AFCD0BFAB29F38F87",
            ),
        ] {
            let verifier = SignatureVerifier::new(secret, method).unwrap();
            assert_eq!(verifier.sign(&outbound), expected, "{method}");
        }
    }

    /// vonage-python-sdk's `test_auth.py` vectors (its `md5` is HMAC-MD5).
    #[test]
    fn python_sdk_vectors() {
        let params = [
            ("param1", "value1"),
            ("param2", "value2"),
            ("timestamp", "1234567890"),
        ];
        let sha256 =
            SignatureVerifier::new("signature_secret", SignatureMethod::Sha256Hmac).unwrap();
        assert_eq!(
            sha256.sign(&params).to_ascii_lowercase(),
            "280c4320703dbc98bfa22db676655ed2acfbfe8792b062ff7622e67f1183c287"
        );
        let md5 = SignatureVerifier::new("signature_secret", SignatureMethod::Md5Hmac).unwrap();
        assert_eq!(
            md5.sign(&params).to_ascii_lowercase(),
            "724c2bf6ca423c36e20631b11d1c5753"
        );
        let special = [
            ("param1", "value&1"),
            ("param2", "value=2"),
            ("timestamp", "1234567890"),
        ];
        assert_eq!(
            md5.sign(&special).to_ascii_lowercase(),
            "2bbf0abafb2c55e5af6231513896a2ac"
        );
        let check = [
            ("param", "value"),
            ("timestamp", "1234567890"),
            ("sig", "655a4d0b7f064dff438defc52b012cf5"),
        ];
        assert!(md5.verify(&check, at(1_234_567_890)).is_ok());
        let invalid = [
            ("param", "value"),
            ("timestamp", "1234567890"),
            ("sig", "invalid_signature"),
        ];
        assert!(md5.verify(&invalid, at(1_234_567_890)).is_err());
    }

    #[test]
    fn unsigned_forged_repeated_and_stale_webhooks_are_rejected() {
        let verifier = verifier(SignatureMethod::Md5Hash);
        let sig = "d2e7b1dc968737c5998ad624e02f90b7";
        let now = at(1_385_047_698);
        let message = |params: &[(&str, &str)], now| {
            let error = verifier.verify(params, now).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidWebhook);
            assert!(!error.is_retryable());
            error.message().to_owned()
        };
        assert!(message(&INBOUND, now).contains("unsigned"));
        assert!(message(&with_sig(&INBOUND, ""), now).contains("unsigned"));
        let mut altered = with_sig(&INBOUND, sig);
        altered[2].1 = "14843472195";
        assert!(message(&altered, now).contains("does not match"));
        let mut repeated = with_sig(&INBOUND, sig);
        repeated.push(("text", "Test again"));
        assert!(message(&repeated, now).contains("repeats"));
        let mut twice_signed = with_sig(&INBOUND, sig);
        twice_signed.push(("sig", sig));
        assert!(message(&twice_signed, now).contains("repeats"));
        // Five minutes either way are accepted by default, not a second more.
        let signed = with_sig(&INBOUND, sig);
        assert!(verifier.verify(&signed, at(1_385_047_698 + 300)).is_ok());
        assert!(verifier.verify(&signed, at(1_385_047_698 - 300)).is_ok());
        assert!(message(&signed, at(1_385_047_698 + 301)).contains("tolerance"));
        assert!(message(&signed, at(1_385_047_698 - 301)).contains("tolerance"));
        let strict = verifier.clone().with_tolerance(Duration::from_secs(10));
        assert!(strict.verify(&signed, at(1_385_047_698 + 11)).is_err());
        // A signature without a timestamp cannot be dated.
        let undated: Vec<(&str, &str)> = INBOUND
            .iter()
            .copied()
            .filter(|(name, _)| *name != "timestamp")
            .collect();
        let sig = verifier.sign(&undated);
        assert!(message(&with_sig(&undated, &sig), now).contains("timestamp"));
        let mut bad_stamp = undated.clone();
        bad_stamp.push(("timestamp", "yesterday"));
        let sig = verifier.sign(&bad_stamp);
        assert!(message(&with_sig(&bad_stamp, &sig), now).contains("Unix seconds"));
    }

    #[test]
    fn a_verifier_shows_its_method_and_tolerance_not_its_secret() {
        let verifier = verifier(SignatureMethod::Sha256Hmac);
        assert_eq!(verifier.tolerance(), DEFAULT_TOLERANCE);
        let shown = format!("{verifier:?}");
        assert!(shown.starts_with("SignatureVerifier"), "{shown}");
        assert!(
            shown.contains("Sha256Hmac") && !shown.contains(SECRET),
            "{shown}"
        );
        let strict = verifier.with_tolerance(Duration::from_secs(60));
        assert_eq!(strict.tolerance(), Duration::from_secs(60));
        assert_eq!(MAX_WEBHOOK_BYTES, 65_536);
    }

    #[test]
    fn webhook_parameters_come_from_the_query_for_a_get_or_an_empty_body() {
        let names = |request: &HttpRequest| -> Vec<String> {
            webhook_params(request)
                .unwrap()
                .into_iter()
                .map(|(name, _)| name)
                .collect()
        };
        let url = "https://example.com/dlr?from_query=1";
        assert_eq!(names(&request(Method::POST, url)), ["from_query"]);
        let get_with_body = request(Method::GET, url).with_body("from_body=1");
        assert_eq!(names(&get_with_body), ["from_query"]);
        let post_with_body = request(Method::POST, url).with_body("from_body=1");
        assert_eq!(names(&post_with_body), ["from_body"]);
        // The largest body is read.
        let largest = request(Method::POST, url).with_body(vec![b'a'; MAX_WEBHOOK_BYTES]);
        assert_eq!(names(&largest).len(), 1);
    }

    #[test]
    fn a_method_prints_as_the_dashboard_names_it() {
        for method in SignatureMethod::ALL {
            assert_eq!(method.to_string(), method.as_str());
            let name: &'static str = method.into();
            assert_eq!(name, method.as_str());
        }
    }

    #[test]
    fn verified_parameters_are_listed_without_the_signature_in_order() {
        let verifier = verifier(SignatureMethod::Md5Hash);
        let params = [
            ("msisdn", "447700900000"),
            ("timestamp", "100"),
            ("text", "Hi"),
        ];
        let sig = verifier.sign(&params);
        let signed = verifier.verify(&with_sig(&params, &sig), at(100)).unwrap();
        assert_eq!(signed.iter().collect::<Vec<_>>(), params);
    }

    #[test]
    fn empty_secrets_and_unknown_methods_are_refused() {
        for method in SignatureMethod::ALL {
            let error = SignatureVerifier::new("", method).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidConfig);
            assert_eq!(method.as_str().parse(), Ok(method));
        }
        assert_eq!("SHA512".parse(), Ok(SignatureMethod::Sha512Hmac));
        assert!("md5-hash".parse::<SignatureMethod>().is_err());
        let debug = format!("{:?}", verifier(SignatureMethod::Sha1Hmac));
        assert!(!debug.contains(SECRET), "{debug}");
    }

    #[test]
    fn request_forms() {
        let verifier = verifier(SignatureMethod::Sha256Hmac);
        let params = [
            ("messageId", "X1"),
            ("status", "delivered"),
            ("timestamp", "1700000000"),
        ];
        let sig = verifier.sign(&params);
        let now = at(1_700_000_000);
        let get = request(
            Method::GET,
            format!(
                "https://example.com/dlr?messageId=X1&status=delivered&timestamp=1700000000&sig={sig}"
            ),
        );
        assert_eq!(
            verifier.verify_request(&get, now).unwrap().get("messageId"),
            Some("X1")
        );
        let json = request(Method::POST, "https://example.com/dlr").with_body(format!(
            r#"{{"messageId": "X1", "status": "delivered", "timestamp": 1700000000, "sig": "{sig}"}}"#
        ));
        assert!(verifier.verify_request(&json, now).is_ok());
        let form = request(Method::POST, "https://example.com/dlr").with_body(format!(
            "messageId=X1&status=delivered&timestamp=1700000000&sig={sig}"
        ));
        assert!(verifier.verify_request(&form, now).is_ok());
        let huge =
            request(Method::POST, "https://example.com/dlr")
                .with_body(vec![b'a'; MAX_WEBHOOK_BYTES + 1]);
        assert!(verifier.verify_request(&huge, now).is_err());
    }

    proptest! {
        /// What is signed verifies with every method, in any order; changing any value, or
        /// the secret, breaks it.
        #[test]
        fn signatures_round_trip(
            secret in "\\PC{1,20}",
            params in proptest::collection::btree_map("[a-z-]{1,8}", "\\PC{0,12}", 0..6),
            stamp in 0i64..4_000_000_000,
            index in any::<prop::sample::Index>(),
        ) {
            let stamp_text = stamp.to_string();
            let mut params: Vec<(String, String)> = params
                .into_iter()
                .filter(|(name, _)| name != "sig" && name != "timestamp")
                .collect();
            params.push(("timestamp".to_owned(), stamp_text));
            for method in SignatureMethod::ALL {
                let verifier = SignatureVerifier::new(&secret, method).unwrap();
                let mut signed = params.clone();
                signed.push(("sig".to_owned(), verifier.sign(&params)));
                signed.reverse();
                prop_assert!(verifier.verify(&signed, at(stamp)).is_ok());
                let mut altered = signed.clone();
                let victim = index.index(altered.len());
                if altered[victim].0 != "sig" && altered[victim].0 != "timestamp" {
                    altered[victim].1.push('x');
                    prop_assert!(verifier.verify(&altered, at(stamp)).is_err());
                }
                let other = SignatureVerifier::new(&format!("{secret}x"), method).unwrap();
                prop_assert!(other.verify(&signed, at(stamp)).is_err());
            }
        }
    }
}
