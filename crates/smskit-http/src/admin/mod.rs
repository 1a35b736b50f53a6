//! The dashboard under `/admin/`, behind the admin token: campaigns and mailings with their
//! counts and ratios, a mailing's charts and trace list, A/B versions side by side.
//!
//! Plain server-rendered HTML (no JavaScript; charts are inline SVG), readable on a phone.
//! Every handler takes [`auth::Admin`], so no page is served without the token; every store
//! read goes through the engine thread ([`EngineHandle::call`](crate::EngineHandle::call)).

mod auth;
mod data;
mod html;
mod pages;
mod svg;

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use smskit::model::{AbTestId, CampaignId, Mailing, MailingId};
use smskit::provider::{FailureType, TraceStatus};
use smskit::{Error, Store};

use self::auth::Admin;
use self::data::TraceFilter;
use self::pages::MailingCounts;
use crate::handle::EngineGone;
use crate::state::AppState;

/// The dashboard's routes, with their `/admin` prefix: merged rather than nested, since a
/// nested router's `/` answers `/admin` but not `/admin/`, the address people type.
pub(crate) fn routes<S: Store + Send + 'static>() -> Router<AppState<S>> {
    Router::new()
        .route("/admin", get(index::<S>))
        .route("/admin/", get(index::<S>))
        .route("/admin/campaigns/{id}", get(campaign::<S>))
        .route("/admin/mailings/{id}", get(mailing::<S>))
        .route("/admin/ab-tests/{id}", get(ab_test::<S>))
        // Any other page under /admin/ is not found, but only the token holder learns that.
        .route("/admin/{*rest}", get(not_found))
}

/// Why a page could not be shown.
#[derive(Debug)]
enum PageError {
    NotFound(String),
    BadRequest(String),
    Engine(Error),
    Gone,
}

impl From<Error> for PageError {
    fn from(error: Error) -> Self {
        match error {
            Error::UnknownMailing(_) | Error::UnknownCampaign(_) | Error::UnknownAbTest(_) => {
                PageError::NotFound(error.to_string())
            }
            error => PageError::Engine(error),
        }
    }
}

impl From<EngineGone> for PageError {
    fn from(_: EngineGone) -> Self {
        PageError::Gone
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, title, text) = match self {
            PageError::NotFound(text) => (StatusCode::NOT_FOUND, "Not found", text),
            PageError::BadRequest(text) => (StatusCode::BAD_REQUEST, "Bad request", text),
            PageError::Engine(error) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The store failed",
                error.to_string(),
            ),
            PageError::Gone => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Unavailable",
                EngineGone.to_string(),
            ),
        };
        let body = html::page(title, &[], &format!("<p>{}</p>", html::Esc(&text)));
        (status, page_headers(), body).into_response()
    }
}

/// The headers of every dashboard page: never cached (it is behind a token), never framed, and
/// a policy that runs no script at all, so even a value that escaped escaping stays inert.
fn page_headers() -> [(axum::http::HeaderName, HeaderValue); 6] {
    [
        (
            CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        ),
        (CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; \
                 form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            ),
        ),
        (X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
    ]
}

/// A page for a router mounted under `base` (the path of the public URL, `""` at the root).
///
/// The pages link to each other by absolute paths (`href="/admin/..."`); under a prefix those
/// gain it. Only markup written here can hold `href="/admin` or `action="/admin`: a `"` from
/// the store is always escaped to `&quot;`.
fn html_page(base: &str, body: String) -> Response {
    let body = if base.is_empty() {
        body
    } else {
        let base = html::Esc(base).to_string();
        body.replace("href=\"/admin", &format!("href=\"{base}/admin"))
            .replace("action=\"/admin", &format!("action=\"{base}/admin"))
    };
    (page_headers(), body).into_response()
}

/// The counts of `mailings`, each read in a call of its own so that other requests run
/// between them.
async fn counts_of<S: Store + Send + 'static>(
    state: &AppState<S>,
    mailings: &[Mailing],
) -> Result<MailingCounts, PageError> {
    let mut counts = HashMap::with_capacity(mailings.len());
    for mailing in mailings {
        let id = mailing.id;
        counts.insert(
            id,
            state.engine.call(move |engine| engine.counts(id)).await??,
        );
    }
    Ok(counts)
}

async fn index<S: Store + Send + 'static>(
    _: Admin,
    State(state): State<AppState<S>>,
) -> Result<Response, PageError> {
    let overview = state.engine.call(|engine| data::overview(engine)).await??;
    let counts = counts_of(&state, &overview.mailings).await?;
    Ok(html_page(
        state.config.public_path(),
        pages::index(&overview, &counts),
    ))
}

async fn campaign<S: Store + Send + 'static>(
    _: Admin,
    State(state): State<AppState<S>>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let view = state
        .engine
        .call(move |engine| data::campaign(engine, CampaignId(id)))
        .await??;
    let counts = counts_of(&state, &view.mailings).await?;
    Ok(html_page(
        state.config.public_path(),
        pages::campaign(&view, &counts),
    ))
}

async fn ab_test<S: Store + Send + 'static>(
    _: Admin,
    State(state): State<AppState<S>>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let view = state
        .engine
        .call(move |engine| data::ab_test(engine, AbTestId(id)))
        .await??;
    Ok(html_page(state.config.public_path(), pages::ab_test(&view)))
}

/// Reads the trace filter of a mailing's page from its query (`status`, `failure`, `q`,
/// `page`); empty values mean "any".
fn trace_filter(query: &HashMap<String, String>) -> Result<TraceFilter, PageError> {
    let field = |name: &str| {
        query
            .get(name)
            .map(|value| value.trim())
            .filter(|value| !value.is_empty())
    };
    let status = field("status")
        .map(|status| {
            status.parse::<TraceStatus>().map_err(|_| {
                PageError::BadRequest(format!("unknown trace status {:?}", trunc(status)))
            })
        })
        .transpose()?;
    let failure = field("failure")
        .map(|failure| {
            failure.parse::<FailureType>().map_err(|_| {
                PageError::BadRequest(format!("unknown failure type {:?}", trunc(failure)))
            })
        })
        .transpose()?;
    let page = field("page")
        .map(|page| {
            page.parse::<u64>()
                .ok()
                .filter(|&page| page >= 1)
                .ok_or_else(|| PageError::BadRequest(format!("bad page {:?}", trunc(page))))
        })
        .transpose()?
        .unwrap_or(1);
    Ok(TraceFilter {
        status,
        failure,
        number: field("q").and_then(data::number_search),
        page,
    })
}

/// Echoes at most 40 characters of a bad value back.
fn trunc(value: &str) -> String {
    value.chars().take(40).collect()
}

async fn mailing<S: Store + Send + 'static>(
    _: Admin,
    State(state): State<AppState<S>>,
    Path(id): Path<i64>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let filter = trace_filter(&query)?;
    let asked = filter.clone();
    let view = state
        .engine
        .call(move |engine| data::mailing(engine, MailingId(id), &asked))
        .await??;
    Ok(html_page(
        state.config.public_path(),
        pages::mailing(&view, &filter),
    ))
}

async fn not_found(_: Admin) -> PageError {
    PageError::NotFound("no such page in the dashboard".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
            .collect()
    }

    #[test]
    fn trace_filters_read_their_query() {
        let filter = trace_filter(&query(&[
            ("status", "error"),
            ("failure", "sms_server"),
            ("q", " +32 470 "),
            ("page", "2"),
        ]))
        .unwrap();
        assert_eq!(filter.status, Some(TraceStatus::Error));
        assert_eq!(filter.failure, Some(FailureType::Server));
        assert_eq!(filter.number.as_deref(), Some("+32470"));
        assert_eq!(filter.page, 2);
        let any = trace_filter(&query(&[("status", ""), ("failure", " "), ("q", "")])).unwrap();
        assert_eq!(
            any,
            TraceFilter {
                page: 1,
                ..TraceFilter::default()
            }
        );
    }

    #[test]
    fn bad_filters_are_bad_requests() {
        for pairs in [
            [("status", "teleported")],
            [("failure", "sms_lost")],
            [("page", "0")],
            [("page", "-1")],
            [("page", "99999999999999999999999")],
        ] {
            assert!(
                matches!(trace_filter(&query(&pairs)), Err(PageError::BadRequest(_))),
                "{pairs:?}"
            );
        }
    }
}
