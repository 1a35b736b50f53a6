//! The engine behind the routes: owned by one dedicated thread, so that store calls (blocking
//! SQLite or PostgreSQL I/O) never run on the async runtime's workers.
//!
//! Requests hand the thread a job and await its answer; the thread runs the jobs in arrival
//! order.

use std::fmt;
use std::sync::mpsc;
use std::thread;

use smskit::{Engine, Store};
use tokio::sync::oneshot;

/// A job for the engine thread.
type Job<S> = Box<dyn FnOnce(&mut Engine<S>) + Send>;

/// A cloneable handle to an engine running on its own thread.
pub struct EngineHandle<S> {
    jobs: mpsc::Sender<Job<S>>,
}

impl<S> Clone for EngineHandle<S> {
    fn clone(&self) -> Self {
        EngineHandle {
            jobs: self.jobs.clone(),
        }
    }
}

impl<S> fmt::Debug for EngineHandle<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EngineHandle").finish_non_exhaustive()
    }
}

/// The engine thread is gone (it panicked, or every handle was dropped while a call waited).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the engine thread stopped")]
pub struct EngineGone;

impl<S: Store + Send + 'static> EngineHandle<S> {
    /// Moves `engine` to a new thread and returns a handle to it. The thread ends when the
    /// last handle is dropped, after the jobs already queued.
    pub fn spawn(engine: Engine<S>) -> Self {
        let (jobs, queue) = mpsc::channel::<Job<S>>();
        thread::Builder::new()
            .name("smskit-engine".to_owned())
            .spawn(move || {
                let mut engine = engine;
                while let Ok(job) = queue.recv() {
                    job(&mut engine);
                }
            })
            .map_or_else(
                // Spawning a thread fails only when the OS is out of resources; the handle
                // then answers every call with EngineGone.
                |_| EngineHandle {
                    jobs: mpsc::channel().0,
                },
                |_| EngineHandle { jobs },
            )
    }

    /// Runs `job` on the engine thread and returns its result.
    ///
    /// # Errors
    /// [`EngineGone`] when the thread stopped.
    pub async fn call<R: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Engine<S>) -> R + Send + 'static,
    ) -> Result<R, EngineGone> {
        let (answer, answered) = oneshot::channel();
        self.jobs
            .send(Box::new(move |engine| {
                let _ = answer.send(job(engine));
            }))
            .map_err(|_| EngineGone)?;
        answered.await.map_err(|_| EngineGone)
    }
}
