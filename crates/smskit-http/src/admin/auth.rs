//! Who may see the dashboard: whoever presents the admin token, as `Authorization: Bearer
//! TOKEN` (scripts) or as the password of HTTP Basic with any user name (a browser's login
//! prompt). Anything else gets `401` and a Basic challenge.

use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use smskit::Store;
use subtle::ConstantTimeEq;

use super::html;
use crate::state::AppState;

/// Proof that the request carried the admin token: every dashboard handler takes one, so a
/// route cannot be served without the check.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Admin;

impl<S: Store + Send + 'static> FromRequestParts<AppState<S>> for Admin {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState<S>,
    ) -> Result<Self, Self::Rejection> {
        if authorized(
            parts.headers.get(AUTHORIZATION),
            state.config.admin_token.as_bytes(),
        ) {
            Ok(Admin)
        } else {
            Err(unauthorized())
        }
    }
}

/// Whether `header` presents `token`, as a Bearer token or as a Basic password. An empty token
/// authorises nobody (a dashboard configured without a token stays closed).
///
/// The comparison takes the same time wherever the first differing byte is, so the token
/// cannot be guessed byte by byte from response times (only its length may show).
pub(crate) fn authorized(header: Option<&HeaderValue>, token: &[u8]) -> bool {
    if token.is_empty() {
        return false;
    }
    let Some(value) = header.map(HeaderValue::as_bytes) else {
        return false;
    };
    let (scheme, credentials) = match value.iter().position(|&byte| byte == b' ') {
        Some(space) => (&value[..space], value[space + 1..].trim_ascii()),
        None => return false,
    };
    // Auth schemes are case-insensitive (RFC 9110, 11.1).
    let presented = if scheme.eq_ignore_ascii_case(b"Bearer") {
        credentials.to_vec()
    } else if scheme.eq_ignore_ascii_case(b"Basic") {
        let Ok(decoded) = STANDARD.decode(credentials) else {
            return false;
        };
        // `user:password`; the user name cannot hold a colon (RFC 7617), the password can.
        match decoded.iter().position(|&byte| byte == b':') {
            Some(colon) => decoded[colon + 1..].to_vec(),
            None => return false,
        }
    } else {
        return false;
    };
    bool::from(presented.as_slice().ct_eq(token))
}

/// `401` with a Basic challenge, so a browser asks for the token.
fn unauthorized() -> Response {
    let body = html::page(
        "Authorisation needed",
        &[],
        "<p>The dashboard needs the admin token: as <code>Authorization: Bearer TOKEN</code>, \
         or as the password of the browser's login prompt (any user name).</p>",
    );
    (
        StatusCode::UNAUTHORIZED,
        [
            (
                WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"smskit\""),
            ),
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(header: &str, token: &str) -> bool {
        authorized(
            Some(&HeaderValue::from_str(header).unwrap()),
            token.as_bytes(),
        )
    }

    fn basic(user_password: &str) -> String {
        format!("Basic {}", STANDARD.encode(user_password))
    }

    #[test]
    fn bearer_needs_the_exact_token() {
        assert!(check("Bearer s3cret", "s3cret"));
        assert!(check("bearer s3cret", "s3cret"));
        assert!(check("Bearer   s3cret  ", "s3cret"));
        assert!(!check("Bearer s3cre", "s3cret"));
        assert!(!check("Bearer s3cret!", "s3cret"));
        assert!(!check("Bearer S3CRET", "s3cret"));
        assert!(!check("Bearer", "s3cret"));
        assert!(!check("Bearer ", "s3cret"));
        assert!(!check("Token s3cret", "s3cret"));
        assert!(!check("s3cret", "s3cret"));
    }

    #[test]
    fn basic_takes_the_token_as_password_with_any_user() {
        assert!(check(&basic("admin:s3cret"), "s3cret"));
        assert!(check(&basic(":s3cret"), "s3cret"));
        assert!(check(&basic("anyone:s3cret"), "s3cret"));
        assert!(check(&basic("u:pa:ss"), "pa:ss"));
        assert!(!check(&basic("s3cret:x"), "s3cret"));
        assert!(!check(&basic("s3cret"), "s3cret"));
        assert!(!check(&basic("admin:wrong"), "s3cret"));
        assert!(!check("Basic !!!not base64", "s3cret"));
    }

    #[test]
    fn no_header_or_no_token_authorises_nobody() {
        assert!(!authorized(None, b"s3cret"));
        assert!(!check("Bearer ", ""));
        assert!(!check(&basic("admin:"), ""));
    }
}
