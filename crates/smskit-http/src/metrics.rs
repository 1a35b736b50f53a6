//! `GET /metrics`: counters in the Prometheus text exposition format (version 0.0.4).
//!
//! Every counter is an atomic in a fixed table (routes × status codes, webhooks × results),
//! so counting costs no lock and no allocation on the hot path of a redirect.

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// What a request was for: the `route` label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    Redirect,
    OptOut,
    Webhook,
    Admin,
    Healthz,
    Metrics,
    Other,
}

impl Route {
    const ALL: [Route; 7] = [
        Route::Redirect,
        Route::OptOut,
        Route::Webhook,
        Route::Admin,
        Route::Healthz,
        Route::Metrics,
        Route::Other,
    ];

    fn label(self) -> &'static str {
        match self {
            Route::Redirect => "redirect",
            Route::OptOut => "opt_out",
            Route::Webhook => "webhook",
            Route::Admin => "admin",
            Route::Healthz => "healthz",
            Route::Metrics => "metrics",
            Route::Other => "other",
        }
    }

    /// The route of a path as the router sees it.
    fn of(path: &str) -> Route {
        if path.starts_with("/r/") {
            Route::Redirect
        } else if path.starts_with("/sms/") {
            Route::OptOut
        } else if path.starts_with("/webhooks/") {
            Route::Webhook
        } else if path == "/admin" || path.starts_with("/admin/") {
            Route::Admin
        } else if path == "/healthz" {
            Route::Healthz
        } else if path == "/metrics" {
            Route::Metrics
        } else {
            Route::Other
        }
    }
}

/// The status codes counted one by one; any other is counted as `other`.
const STATUSES: [u16; 12] = [200, 204, 302, 303, 400, 401, 403, 404, 405, 413, 500, 503];

/// A webhook endpoint: the `provider` and `endpoint` labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hook {
    TwilioStatus,
    TwilioInbound,
    VonageDlr,
    VonageInbound,
}

impl Hook {
    const ALL: [Hook; 4] = [
        Hook::TwilioStatus,
        Hook::TwilioInbound,
        Hook::VonageDlr,
        Hook::VonageInbound,
    ];

    fn labels(self) -> (&'static str, &'static str) {
        match self {
            Hook::TwilioStatus => ("twilio", "status"),
            Hook::TwilioInbound => ("twilio", "inbound"),
            Hook::VonageDlr => ("vonage", "dlr"),
            Hook::VonageInbound => ("vonage", "inbound"),
        }
    }
}

/// What became of a webhook: the `result` label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Verified and applied: a status changed, a reply was recorded.
    Applied,
    /// Verified, but no news: a duplicate, a retry, an older status, an unknown message.
    Unchanged,
    /// Refused: a missing or wrong signature, a stale timestamp (answered 403).
    Forged,
    /// Verified but unreadable (answered 400).
    Invalid,
    /// No secret configured for the provider (answered 403).
    Unconfigured,
    /// The store failed (answered 500, so the provider retries).
    Failed,
}

impl Outcome {
    const ALL: [Outcome; 6] = [
        Outcome::Applied,
        Outcome::Unchanged,
        Outcome::Forged,
        Outcome::Invalid,
        Outcome::Unconfigured,
        Outcome::Failed,
    ];

    fn label(self) -> &'static str {
        match self {
            Outcome::Applied => "applied",
            Outcome::Unchanged => "unchanged",
            Outcome::Forged => "forged",
            Outcome::Invalid => "invalid",
            Outcome::Unconfigured => "unconfigured",
            Outcome::Failed => "failed",
        }
    }
}

/// Every counter of the public side.
#[derive(Debug, Default)]
pub(crate) struct Metrics {
    /// `[route][status]`, the last column for any other status.
    requests: [[AtomicU64; STATUSES.len() + 1]; Route::ALL.len()],
    /// Redirects that recorded a click.
    pub(crate) redirects: AtomicU64,
    /// Clicks that were a trace's first (the "clicked" count moves).
    pub(crate) first_clicks: AtomicU64,
    /// Redirects of link-preview bots and `HEAD` requests, not counted as clicks.
    pub(crate) bot_redirects: AtomicU64,
    /// Short-link requests for an unknown link.
    pub(crate) unknown_links: AtomicU64,
    /// Confirmed opt-outs (the POST of an opt-out page).
    pub(crate) opt_outs: AtomicU64,
    /// `[hook][outcome]`.
    webhooks: [[AtomicU64; Outcome::ALL.len()]; Hook::ALL.len()],
}

impl Metrics {
    pub(crate) fn request(&self, route: Route, status: StatusCode) {
        let column = STATUSES
            .iter()
            .position(|&code| code == status.as_u16())
            .unwrap_or(STATUSES.len());
        let row = Route::ALL
            .iter()
            .position(|&candidate| candidate == route)
            .unwrap_or(Route::ALL.len() - 1);
        self.requests[row][column].fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn webhook(&self, hook: Hook, outcome: Outcome) {
        let row = Hook::ALL.iter().position(|&h| h == hook).unwrap_or(0);
        let column = Outcome::ALL.iter().position(|&o| o == outcome).unwrap_or(0);
        self.webhooks[row][column].fetch_add(1, Ordering::Relaxed);
    }

    /// The exposition text.
    pub(crate) fn render(&self) -> String {
        let mut text = String::with_capacity(4096);
        text.push_str(
            "# HELP smskit_http_requests_total HTTP requests answered, by route and status.\n\
             # TYPE smskit_http_requests_total counter\n",
        );
        for (route, row) in Route::ALL.iter().zip(&self.requests) {
            for (column, count) in row.iter().enumerate() {
                let count = count.load(Ordering::Relaxed);
                if count == 0 {
                    continue;
                }
                let status = STATUSES
                    .get(column)
                    .map_or_else(|| "other".to_owned(), u16::to_string);
                let _ = writeln!(
                    text,
                    "smskit_http_requests_total{{route=\"{}\",status=\"{status}\"}} {count}",
                    route.label()
                );
            }
        }
        for (name, help, counter) in [
            (
                "smskit_redirects_total",
                "Short-link redirects that recorded a click.",
                &self.redirects,
            ),
            (
                "smskit_clicks_counted_total",
                "Clicks that were the first of their trace (counted once per trace in the click statistics).",
                &self.first_clicks,
            ),
            (
                "smskit_bot_redirects_total",
                "Redirects of link-preview bots and HEAD requests, not recorded as clicks.",
                &self.bot_redirects,
            ),
            (
                "smskit_unknown_links_total",
                "Short-link requests for a link that does not exist.",
                &self.unknown_links,
            ),
            (
                "smskit_opt_outs_total",
                "Opt-outs confirmed on an opt-out page.",
                &self.opt_outs,
            ),
        ] {
            let _ = write!(
                text,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}\n",
                counter.load(Ordering::Relaxed)
            );
        }
        text.push_str(
            "# HELP smskit_webhooks_total Provider webhooks, by provider, endpoint and result.\n\
             # TYPE smskit_webhooks_total counter\n",
        );
        for (hook, row) in Hook::ALL.iter().zip(&self.webhooks) {
            let (provider, endpoint) = hook.labels();
            for (outcome, count) in Outcome::ALL.iter().zip(row) {
                let _ = writeln!(
                    text,
                    "smskit_webhooks_total{{provider=\"{provider}\",endpoint=\"{endpoint}\",result=\"{}\"}} {}",
                    outcome.label(),
                    count.load(Ordering::Relaxed)
                );
            }
        }
        text
    }
}

/// Counts every request the router answers, by route and status.
pub(crate) async fn count(
    State(metrics): State<Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let route = Route::of(request.uri().path());
    let response = next.run(request).await;
    metrics.request(route, response.status());
    response
}

/// `GET /metrics`.
pub(crate) fn exposition(metrics: &Metrics) -> Response {
    let mut response = metrics.render().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}
