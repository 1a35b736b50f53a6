//! The HTTP side of smskit as an axum [`Router`] an application nests under its own routes:
//! short-link redirects with click recording, opt-out pages, provider webhooks, health and
//! metrics, and a statistics dashboard behind an admin token.
//!
//! - **Short links.** `GET` (and `HEAD`) of `/r/<code>` or `/r/<code>/s/<trace>` answers
//!   `302` to the link's target with its UTM parameters. A person's tap is recorded (the
//!   trace moves to `open`, counted once per trace) before the answer leaves; `HEAD` and
//!   link-preview bots ([`LINK_PREVIEW_BOTS`]) are redirected but not counted; an unknown link
//!   is a small `404` page.
//! - **Opt-out pages.** `GET /sms/<mailing>/<trace>/<token>` shows what will happen and one
//!   button; only the `POST` of that form opts out, so link scanners that prefetch GETs never
//!   unsubscribe anyone. A forged or altered token is a `404`.
//! - **Webhooks.** `/webhooks/twilio/status`, `/webhooks/twilio/inbound`,
//!   `/webhooks/vonage/dlr`, `/webhooks/vonage/inbound`, checked with the provider crate's
//!   signature verification against [`HttpConfig::public_url`] (`403` and nothing applied
//!   otherwise). Reports are applied monotonically, retries change nothing, a STOP reply
//!   blacklists its sender.
//! - **Operations.** `GET /healthz`; `GET /metrics` in the Prometheus text format (requests
//!   by route and status, redirects, counted clicks, bot redirects, webhook outcomes).
//! - **No blocking on the runtime.** The engine runs on a thread of its own
//!   ([`EngineHandle`]); requests hand it jobs. Clicks waiting are written in groups (one
//!   transaction each on SQLite), so a burst of taps does not wait on a commit per tap.
//!
//! The router is meant to be mounted at the path of the public URL (with [`Router::merge`] at
//! the root, or [`Router::nest`] under the URL's path): the links the mailings carry must lead
//! to it. `smskit serve` (the CLI) runs the same router over a database.
//!
//! # The dashboard
//!
//! Under `/admin/`, for whoever holds the admin token of [`HttpConfig::new`]: scripts send
//! `Authorization: Bearer TOKEN`; a browser logs in through its HTTP Basic prompt with any user
//! name and the token as password. Anything else gets `401` with a Basic challenge, and an
//! empty token keeps the dashboard closed to everyone. The token is compared in constant time.
//!
//! | page | shows |
//! |---|---|
//! | `/admin/` | every campaign (the totals of its mailings) and mailing with its counts and ratios, and the A/B tests |
//! | `/admin/campaigns/{id}` | a campaign's totals, its mailings and A/B tests |
//! | `/admin/mailings/{id}` | a mailing's counts and ratios; charts of messages sent, delivered and clicked over time (hourly or daily bins), of failure types and of countries; its traces, filtered by status, failure type and number (`?status=error&failure=sms_server&q=+3247&page=2`), 50 a page |
//! | `/admin/ab-tests/{id}` | the versions side by side (counts, clicks ratio with its 95 % interval, chance to be best) and whether the leader's lead is significant |
//!
//! The pages are plain server-rendered HTML that work on a phone, with no JavaScript at all
//! (their `Content-Security-Policy` allows none); the charts are inline SVG with a title, a
//! description, text labels and their values in a table beside them. Everything that comes
//! from the store (names, message bodies, numbers as entered, failure reasons) is escaped.
//! Under a prefix (a public URL with a path, the router nested there), the pages' links keep
//! the prefix.
//!
//! Every read goes through the engine thread. A mailing's page reads its traces in one
//! streaming pass that keeps only the page of traces shown, and pages listing many mailings
//! read each mailing's counts in a call of its own, so clicks and webhooks are served between
//! them.
//!
//! # Example
//!
//! An application's own routes, with smskit's merged in, over a [`MemoryStore`]:
//!
//! ```
//! use std::net::SocketAddr;
//!
//! use smskit::links::{LinkRequest, LinkStore, Shortener, Tracking};
//! use smskit::{Engine, MemoryStore, Settings};
//! use smskit_http::{EngineHandle, HttpConfig, router};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let runtime = tokio::runtime::Runtime::new()?;
//! let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
//! let public_url = format!("http://{}", listener.local_addr()?);
//!
//! let settings = Settings::new().with_links(Shortener::new(&public_url)?);
//! let mut engine = Engine::new(MemoryStore::new(), settings);
//! // A link as a mailing would have made it.
//! let tracking = Tracking::new().with_campaign("spring").with_medium("sms");
//! let link = engine
//!     .store_mut()
//!     .get_or_create(&LinkRequest::new("https://shop.example/sale", &tracking)?)?;
//!
//! let config = HttpConfig::new(&public_url, "an admin token")
//!     .with_twilio_auth_token("the account's auth token");
//! let app = axum::Router::new()
//!     .route("/", axum::routing::get(|| async { "the shop" }))
//!     .merge(router(EngineHandle::spawn(engine), config));
//! // ConnectInfo gives the clicks their client address.
//! runtime.spawn(async move {
//!     axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await
//! });
//!
//! let agent: ureq::Agent = ureq::Agent::config_builder().max_redirects(0).build().into();
//! let tap = agent.get(format!("{public_url}/r/{}", link.code())).call()?;
//! assert_eq!(tap.status(), 302);
//! assert_eq!(
//!     tap.headers()["location"],
//!     "https://shop.example/sale?utm_campaign=spring&utm_medium=sms"
//! );
//! # Ok(())
//! # }
//! ```
//!
//! # Features
//!
//! | feature | default | enables |
//! |---|---|---|
//! | (none) | | the crate has no optional parts: it is the optional HTTP part of smskit |
//!
//! [`MemoryStore`]: smskit::MemoryStore

#![forbid(unsafe_code)]
#![warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod admin;
mod config;
mod handle;
mod metrics;
mod optout;
mod pages;
mod public;
mod redirect;
mod state;
mod webhooks;

use std::sync::Arc;

use axum::Router;
use smskit::Store;

pub use config::HttpConfig;
pub use handle::{EngineGone, EngineHandle, EngineThread, MAX_CLICK_GROUP};
pub use redirect::LINK_PREVIEW_BOTS;

use state::AppState;

/// Every route of smskit's HTTP side over the engine behind `engine`: mount it with
/// [`Router::merge`] or [`Router::nest`] in the application's router.
pub fn router<S: Store + Send + 'static>(engine: EngineHandle<S>, config: HttpConfig) -> Router {
    let metrics = Arc::new(metrics::Metrics::default());
    let state = AppState {
        engine,
        webhooks: Arc::new(webhooks::Webhooks::new(&config)),
        config: Arc::new(config),
        metrics: Arc::clone(&metrics),
    };
    Router::new()
        .merge(public::routes())
        .merge(admin::routes())
        .with_state(state)
        .layer(axum::middleware::from_fn_with_state(
            metrics,
            metrics::count,
        ))
}
