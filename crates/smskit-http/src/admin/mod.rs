//! The dashboard under `/admin/`, behind the admin token.

use axum::Router;
use smskit::Store;

use crate::state::AppState;

/// The dashboard's routes (nested under `/admin`).
pub(crate) fn routes<S: Store + Send + 'static>() -> Router<AppState<S>> {
    Router::new()
}
