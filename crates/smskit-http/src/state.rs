//! The state every route shares.

use std::sync::Arc;

use crate::config::HttpConfig;
use crate::handle::EngineHandle;
use crate::metrics::Metrics;
use crate::webhooks::Webhooks;

/// The engine and the configuration, cloned into every request.
pub(crate) struct AppState<S> {
    pub(crate) engine: EngineHandle<S>,
    pub(crate) config: Arc<HttpConfig>,
    /// The public side's counters (`/metrics`).
    pub(crate) metrics: Arc<Metrics>,
    /// The webhook verifiers and the inbound messages seen lately.
    pub(crate) webhooks: Arc<Webhooks>,
}

impl<S> Clone for AppState<S> {
    fn clone(&self) -> Self {
        AppState {
            engine: self.engine.clone(),
            config: Arc::clone(&self.config),
            metrics: Arc::clone(&self.metrics),
            webhooks: Arc::clone(&self.webhooks),
        }
    }
}
