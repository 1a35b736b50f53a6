//! The HTTP side of smskit as an axum [`Router`] an application nests under its own routes:
//! short-link redirects with click recording, opt-out pages, provider webhooks, health and
//! metrics, and a statistics dashboard behind an admin token.
//!
//! (Work in progress: see the crate's modules.)

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
        .nest("/admin", admin::routes())
        .with_state(state)
}
