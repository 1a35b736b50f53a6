//! The HTTP side of smskit as an axum [`Router`] an application nests under its own routes:
//! short-link redirects with click recording, opt-out pages, provider webhooks, health and
//! metrics, and a statistics dashboard behind an admin token.
//!
//! (Work in progress: see the crate's modules.)
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
//!
//! Every read goes through the engine thread. A mailing's page reads its traces in one
//! streaming pass that keeps only the page of traces shown, and pages listing many mailings
//! read each mailing's counts in a call of its own, so clicks and webhooks are served between
//! them.

#![forbid(unsafe_code)]

mod admin;
mod config;
mod handle;
mod public;
mod state;

use std::sync::Arc;

use axum::Router;
use smskit::Store;

pub use config::HttpConfig;
pub use handle::{EngineGone, EngineHandle};

use state::AppState;

/// Every route of smskit's HTTP side over the engine behind `engine`: mount it with
/// [`Router::merge`] or [`Router::nest`] in the application's router.
pub fn router<S: Store + Send + 'static>(engine: EngineHandle<S>, config: HttpConfig) -> Router {
    let state = AppState {
        engine,
        config: Arc::new(config),
    };
    Router::new()
        .merge(public::routes())
        .merge(admin::routes())
        .with_state(state)
}
