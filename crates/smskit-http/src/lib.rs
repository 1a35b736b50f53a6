//! The HTTP side of smskit as an axum [`Router`] an application nests under its own routes:
//! short-link redirects with click recording, opt-out pages, provider webhooks, health and
//! metrics, and a statistics dashboard behind an admin token.
//!
//! (Work in progress: see the crate's modules.)

#![forbid(unsafe_code)]

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
        .nest("/admin", admin::routes())
        .with_state(state)
        .layer(axum::middleware::from_fn_with_state(
            metrics,
            metrics::count,
        ))
}
