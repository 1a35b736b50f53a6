//! The routes the world reaches: short links, opt-out pages, webhooks, health and metrics.

use axum::Router;
use axum::routing::get;
use smskit::Store;

use crate::state::AppState;

/// The public routes.
pub(crate) fn routes<S: Store + Send + 'static>() -> Router<AppState<S>> {
    Router::new().route("/healthz", get(|| async { "ok" }))
}
