//! The routes the world reaches: short links, opt-out pages, webhooks, health and metrics.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use smskit::Store;

use crate::state::AppState;
use crate::{metrics, optout, redirect, webhooks};

/// The public routes.
pub(crate) fn routes<S: Store + Send + 'static>() -> Router<AppState<S>> {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/metrics", get(exposition::<S>))
        // `get` answers `HEAD` too: a HEAD is redirected, never counted.
        .route("/r/{code}", get(redirect::follow::<S>))
        .route("/r/{code}/s/{trace}", get(redirect::follow::<S>))
        .route(
            "/sms/{mailing}/{trace}/{token}",
            get(optout::confirm::<S>).post(optout::apply::<S>),
        )
        .route(
            "/webhooks/twilio/status",
            get(webhooks::twilio_status::<S>).post(webhooks::twilio_status::<S>),
        )
        .route(
            "/webhooks/twilio/inbound",
            get(webhooks::twilio_inbound::<S>).post(webhooks::twilio_inbound::<S>),
        )
        .route(
            "/webhooks/vonage/dlr",
            get(webhooks::vonage_dlr::<S>).post(webhooks::vonage_dlr::<S>),
        )
        .route(
            "/webhooks/vonage/inbound",
            get(webhooks::vonage_inbound::<S>).post(webhooks::vonage_inbound::<S>),
        )
}

/// `GET /metrics`.
async fn exposition<S>(State(state): State<AppState<S>>) -> Response {
    metrics::exposition(&state.metrics)
}
