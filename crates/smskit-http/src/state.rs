//! The state every route shares.

use std::sync::Arc;

use crate::config::HttpConfig;
use crate::handle::EngineHandle;

/// The engine and the configuration, cloned into every request.
pub(crate) struct AppState<S> {
    pub(crate) engine: EngineHandle<S>,
    pub(crate) config: Arc<HttpConfig>,
}

impl<S> Clone for AppState<S> {
    fn clone(&self) -> Self {
        AppState {
            engine: self.engine.clone(),
            config: Arc::clone(&self.config),
        }
    }
}
