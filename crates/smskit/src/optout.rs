//! Opt-out links nobody can forge: `<base>/sms/<mailing>/<trace>/<token>`, where the token is
//! an HMAC-SHA-256 of the mailing and trace ids under the application's secret.
//!
//! Odoo's link carries a 3-character code derived from the trace, which anyone can guess and
//! use to unsubscribe other people. Here, without the secret, a valid token for a given
//! trace cannot be made; with it, the engine checks a request without storing anything.
//!
//! ```
//! use smskit::model::{MailingId, TraceId};
//! use smskit::optout::OptOutLinks;
//!
//! let links = OptOutLinks::new("https://sms.example.com", b"a secret of at least 16 bytes")?;
//! let url = links.url(MailingId(3), TraceId(41));
//! assert!(url.starts_with("https://sms.example.com/sms/3/41/"));
//!
//! // The HTTP route hands its request path to `parse_path`.
//! let path = &url["https://sms.example.com".len()..];
//! let request = links.parse_path(path)?;
//! assert_eq!((request.mailing, request.trace), (MailingId(3), TraceId(41)));
//! assert!(links.parse_path("/sms/3/42/AAAAAAAAAAAAAAAA").is_err());
//! # Ok::<(), smskit::Error>(())
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::Error;
use crate::model::{MailingId, TraceId};

type HmacSha256 = Hmac<Sha256>;

/// Shortest secret accepted: 128 bits.
pub const MIN_SECRET_LEN: usize = 16;

/// Bytes of the MAC kept in a token: 96 bits, 16 URL-safe base64 characters, which keeps the
/// opt-out line short (it costs SMS parts) while a forgery stays a 2^-96 guess.
const TOKEN_BYTES: usize = 12;

/// The line appended to a message: `STOP SMS: ` and the link.
pub const LINE_PREFIX: &str = "STOP SMS: ";

/// Builds and checks opt-out links for one site and secret.
#[derive(Clone)]
pub struct OptOutLinks {
    base: String,
    /// The path part of `base` (`""` or `/prefix`), which request paths start with.
    base_path: String,
    key: HmacSha256,
}

impl std::fmt::Debug for OptOutLinks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key stays out of logs.
        f.debug_struct("OptOutLinks")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

/// A checked opt-out request: the mailing and trace its valid token names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct OptOutRequest {
    /// The mailing the message belonged to.
    pub mailing: MailingId,
    /// The recipient's trace.
    pub trace: TraceId,
}

impl OptOutLinks {
    /// Links under `base` (an `http` or `https` URL without query or fragment; a trailing `/`
    /// is ignored), signed with `secret` (at least [`MIN_SECRET_LEN`] bytes).
    ///
    /// # Errors
    /// [`Error::InvalidSetting`] for a short secret or an unusable base.
    pub fn new(base: &str, secret: &[u8]) -> Result<Self, Error> {
        if secret.len() < MIN_SECRET_LEN {
            return Err(Error::InvalidSetting(format!(
                "the opt-out secret has {} bytes; at least {MIN_SECRET_LEN} are needed",
                secret.len()
            )));
        }
        let parsed = url::Url::parse(base).map_err(|error| {
            Error::InvalidSetting(format!("opt-out base {base:?} is not a URL: {error}"))
        })?;
        let usable = matches!(parsed.scheme(), "http" | "https")
            && parsed.host_str().is_some()
            && parsed.query().is_none()
            && parsed.fragment().is_none()
            && parsed.username().is_empty()
            && parsed.password().is_none();
        if !usable {
            return Err(Error::InvalidSetting(format!(
                "opt-out base {base:?} must be an http(s) URL with a host and no query, fragment or credentials"
            )));
        }
        let base = parsed.as_str().trim_end_matches('/').to_owned();
        let base_path = parsed.path().trim_end_matches('/').to_owned();
        let key = HmacSha256::new_from_slice(secret)
            .map_err(|error| Error::InvalidSetting(format!("opt-out secret: {error}")))?;
        Ok(OptOutLinks {
            base,
            base_path,
            key,
        })
    }

    /// The base the links start with.
    #[must_use]
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The token of `trace` in `mailing`: 16 URL-safe base64 characters.
    #[must_use]
    pub fn token(&self, mailing: MailingId, trace: TraceId) -> String {
        let mac = self.mac(mailing, trace).finalize().into_bytes();
        URL_SAFE_NO_PAD.encode(&mac[..TOKEN_BYTES])
    }

    /// The opt-out link of `trace` in `mailing`.
    #[must_use]
    pub fn url(&self, mailing: MailingId, trace: TraceId) -> String {
        format!(
            "{}/sms/{}/{}/{}",
            self.base,
            mailing.0,
            trace.0,
            self.token(mailing, trace)
        )
    }

    /// The line appended to the message of `trace`: `STOP SMS: <link>`.
    #[must_use]
    pub fn line(&self, mailing: MailingId, trace: TraceId) -> String {
        let mut line = String::new();
        self.write_line(mailing, trace, &mut line);
        line
    }

    /// [`OptOutLinks::line`] appended to `out`: composing a million messages allocates no line.
    pub(crate) fn write_line(&self, mailing: MailingId, trace: TraceId, out: &mut String) {
        use std::fmt::Write as _;
        out.push_str(LINE_PREFIX);
        out.push_str(&self.base);
        // Writing to a String cannot fail.
        let _ = write!(out, "/sms/{}/{}/", mailing.0, trace.0);
        let mac = self.mac(mailing, trace).finalize().into_bytes();
        URL_SAFE_NO_PAD.encode_string(&mac[..TOKEN_BYTES], out);
    }

    /// Checks the path of an opt-out request (`/sms/<mailing>/<trace>/<token>` under the
    /// base's path; a query string is ignored).
    ///
    /// # Errors
    /// [`Error::InvalidOptOutLink`] when the path is not an opt-out link or its token is
    /// wrong. The reason is not told apart, so the answer does not help a forger.
    pub fn parse_path(&self, path: &str) -> Result<OptOutRequest, Error> {
        let invalid = || Error::InvalidOptOutLink {
            path: path.chars().take(200).collect(),
        };
        let path = path.split_once('?').map_or(path, |(path, _)| path);
        let rest = path
            .strip_prefix(self.base_path.as_str())
            .and_then(|rest| rest.strip_prefix("/sms/"))
            .ok_or_else(invalid)?;
        let mut parts = rest.split('/');
        let (Some(mailing), Some(trace), Some(token), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        let mailing = MailingId(parse_id(mailing).ok_or_else(invalid)?);
        let trace = TraceId(parse_id(trace).ok_or_else(invalid)?);
        let tag = URL_SAFE_NO_PAD.decode(token).map_err(|_| invalid())?;
        if tag.len() != TOKEN_BYTES {
            return Err(invalid());
        }
        // `verify_truncated_left` compares in constant time.
        self.mac(mailing, trace)
            .verify_truncated_left(&tag)
            .map_err(|_| invalid())?;
        Ok(OptOutRequest { mailing, trace })
    }

    fn mac(&self, mailing: MailingId, trace: TraceId) -> HmacSha256 {
        let mut mac = self.key.clone();
        // Fixed-width fields and a domain label: no two (mailing, trace) pairs, nor a future
        // token kind, share an input.
        mac.update(b"smskit opt-out v1\0");
        mac.update(&mailing.0.to_be_bytes());
        mac.update(&trace.0.to_be_bytes());
        mac
    }
}

/// A positive decimal id without sign or leading zeros (one spelling per id).
fn parse_id(text: &str) -> Option<i64> {
    let canonical = !text.is_empty()
        && text.bytes().all(|byte| byte.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    if canonical { text.parse().ok() } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> OptOutLinks {
        OptOutLinks::new("https://ex.com/m/", b"0123456789abcdef").unwrap()
    }

    #[test]
    fn a_link_round_trips_under_a_base_path() {
        let links = links();
        let url = links.url(MailingId(7), TraceId(1234));
        let path = url.strip_prefix("https://ex.com").unwrap();
        assert!(path.starts_with("/m/sms/7/1234/"));
        assert_eq!(
            links.parse_path(path).unwrap(),
            OptOutRequest {
                mailing: MailingId(7),
                trace: TraceId(1234)
            }
        );
        assert!(links.parse_path(&format!("{path}?utm=x")).is_ok());
    }

    #[test]
    fn tokens_are_short_gsm_safe_and_bound_to_their_ids() {
        let links = links();
        let token = links.token(MailingId(1), TraceId(2));
        assert_eq!(token.len(), 16);
        assert!(token.chars().all(smskit_segment::is_gsm7_basic));
        assert_ne!(token, links.token(MailingId(2), TraceId(1)));
        assert_ne!(token, links.token(MailingId(1), TraceId(3)));
        let other = OptOutLinks::new("https://ex.com/m", b"0123456789abcdeF").unwrap();
        assert_ne!(token, other.token(MailingId(1), TraceId(2)));
    }

    #[test]
    fn forged_or_malformed_paths_are_refused() {
        let links = links();
        let good = links.token(MailingId(7), TraceId(8));
        let mut flipped = good.clone().into_bytes();
        flipped[0] = if flipped[0] == b'A' { b'B' } else { b'A' };
        let flipped = String::from_utf8(flipped).unwrap();
        for path in [
            format!("/m/sms/7/9/{good}"),
            format!("/m/sms/8/8/{good}"),
            format!("/m/sms/7/8/{flipped}"),
            format!("/m/sms/7/8/{}", &good[..15]),
            format!("/m/sms/7/8/{good}/"),
            format!("/m/sms/07/8/{good}"),
            format!("/m/sms/+7/8/{good}"),
            format!("/sms/7/8/{good}"),
            "/m/sms/7/8".to_owned(),
            "/m/sms/99999999999999999999/8/x".to_owned(),
            String::new(),
        ] {
            assert!(
                matches!(
                    links.parse_path(&path),
                    Err(Error::InvalidOptOutLink { .. })
                ),
                "{path}"
            );
        }
        assert!(links.parse_path(&format!("/m/sms/7/8/{good}")).is_ok());
    }

    #[test]
    fn weak_secrets_and_bad_bases_are_refused() {
        assert!(OptOutLinks::new("https://ex.com", b"").is_err());
        assert!(OptOutLinks::new("https://ex.com", b"fifteen bytes!!").is_err());
        for base in [
            "ex.com",
            "ftp://ex.com",
            "https://ex.com/?a=1",
            "https://ex.com/#x",
            "https://u:p@ex.com",
        ] {
            assert!(
                matches!(
                    OptOutLinks::new(base, b"0123456789abcdef"),
                    Err(Error::InvalidSetting(_))
                ),
                "{base}"
            );
        }
    }

    #[test]
    fn debug_never_shows_the_key() {
        let shown = format!("{:?}", links());
        assert!(shown.contains("ex.com") && !shown.contains("0123456789abcdef"));
    }
}
