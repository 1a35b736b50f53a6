//! The engine behind the routes: owned by one dedicated thread, so that store calls (blocking
//! SQLite or PostgreSQL I/O) never run on the async runtime's workers.
//!
//! Requests hand the thread a job and await its answer; the thread runs the jobs in arrival
//! order. Clicks are jobs of their own kind ([`EngineHandle::click`]): the thread takes every
//! click waiting in the queue (up to [`MAX_CLICK_GROUP`]) and records them with one
//! [`Engine::clicks`] call, which a SQL store writes in one transaction. A burst of taps thus
//! costs one commit per group, not one per tap, and each request is answered only after its
//! click is committed: an answered redirect is a recorded click.

use std::fmt;
use std::sync::mpsc;
use std::thread;

use smskit::{ClickRequest, Engine, Redirect, Store};
use tokio::sync::oneshot;

/// A job for the engine thread.
type Job<S> = Box<dyn FnOnce(&mut Engine<S>) + Send>;

/// The most clicks written in one group (one transaction): enough to amortise a commit, few
/// enough that the first click of a group is not kept waiting long.
pub const MAX_CLICK_GROUP: usize = 256;

/// What the engine thread is asked to do.
enum Work<S> {
    /// Run a closure.
    Job(Job<S>),
    /// Record a click, grouped with the other clicks waiting.
    Click(ClickJob),
}

/// A click waiting for the engine thread, with where its answer goes.
struct ClickJob {
    request: ClickRequest,
    answer: oneshot::Sender<Result<Redirect, smskit::Error>>,
}

/// A cloneable handle to an engine running on its own thread.
pub struct EngineHandle<S> {
    jobs: mpsc::Sender<Work<S>>,
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

/// The engine thread itself, to wait for: [`EngineThread::join`] returns once every
/// [`EngineHandle`] is dropped and the jobs queued before were run (a server's graceful
/// shutdown waits for it, so that no click in flight is lost).
pub struct EngineThread<S> {
    thread: Option<thread::JoinHandle<Engine<S>>>,
}

impl<S> fmt::Debug for EngineThread<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EngineThread")
            .field("running", &self.thread.is_some())
            .finish()
    }
}

impl<S> EngineThread<S> {
    /// Blocks until the thread has run every job queued and stopped (which it does once every
    /// handle is dropped), and gives the engine back.
    ///
    /// # Errors
    /// [`EngineGone`] when the thread panicked or could not be started.
    pub fn join(self) -> Result<Engine<S>, EngineGone> {
        self.thread
            .ok_or(EngineGone)?
            .join()
            .map_err(|_| EngineGone)
    }
}

impl<S: Store + Send + 'static> EngineHandle<S> {
    /// Moves `engine` to a new thread and returns a handle to it. The thread ends when the
    /// last handle is dropped, after the jobs already queued.
    pub fn spawn(engine: Engine<S>) -> Self {
        Self::spawn_joinable(engine).0
    }

    /// [`EngineHandle::spawn`], with the thread to [`join`](EngineThread::join) once the
    /// server stopped.
    ///
    /// ```
    /// use smskit::{Engine, MemoryStore, Settings};
    /// use smskit_http::EngineHandle;
    ///
    /// let (handle, thread) = EngineHandle::spawn_joinable(Engine::new(MemoryStore::new(), Settings::new()));
    /// drop(handle); // the server stopped: every handle is gone
    /// let engine = thread.join()?; // every job queued was run
    /// # let _ = engine;
    /// # Ok::<(), smskit_http::EngineGone>(())
    /// ```
    pub fn spawn_joinable(engine: Engine<S>) -> (Self, EngineThread<S>) {
        let (jobs, queue) = mpsc::channel::<Work<S>>();
        let spawned = thread::Builder::new()
            .name("smskit-engine".to_owned())
            .spawn(move || run(engine, &queue));
        match spawned {
            Ok(thread) => (
                EngineHandle { jobs },
                EngineThread {
                    thread: Some(thread),
                },
            ),
            // Spawning a thread fails only when the OS is out of resources; the handle then
            // answers every call with EngineGone.
            Err(_) => (
                EngineHandle {
                    jobs: mpsc::channel().0,
                },
                EngineThread { thread: None },
            ),
        }
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
            .send(Work::Job(Box::new(move |engine| {
                let _ = answer.send(job(engine));
            })))
            .map_err(|_| EngineGone)?;
        answered.await.map_err(|_| EngineGone)
    }

    /// Records a click ([`Engine::click`]) together with the other clicks waiting, and
    /// returns where to redirect once it is committed.
    ///
    /// # Errors
    /// [`EngineGone`] when the thread stopped; the engine's own error (an unknown link, a
    /// store failure) inside.
    pub async fn click(
        &self,
        request: ClickRequest,
    ) -> Result<Result<Redirect, smskit::Error>, EngineGone> {
        let (answer, answered) = oneshot::channel();
        self.jobs
            .send(Work::Click(ClickJob { request, answer }))
            .map_err(|_| EngineGone)?;
        answered.await.map_err(|_| EngineGone)
    }
}

/// The engine thread: runs the work in arrival order, clicks in groups, until every handle
/// is dropped and the queue is empty; then gives the engine back.
fn run<S: Store>(mut engine: Engine<S>, queue: &mpsc::Receiver<Work<S>>) -> Engine<S> {
    let mut clicks: Vec<ClickJob> = Vec::new();
    while let Ok(first) = queue.recv() {
        let mut next = Some(first);
        while let Some(work) = next {
            match work {
                Work::Click(click) => {
                    clicks.push(click);
                    if clicks.len() >= MAX_CLICK_GROUP {
                        record(&mut engine, &mut clicks);
                    }
                }
                Work::Job(job) => {
                    // Work keeps its order: the clicks that came first are written first.
                    record(&mut engine, &mut clicks);
                    job(&mut engine);
                }
            }
            next = queue.try_recv().ok();
        }
        record(&mut engine, &mut clicks);
    }
    engine
}

/// Records the waiting clicks in one group and answers each.
fn record<S: Store>(engine: &mut Engine<S>, clicks: &mut Vec<ClickJob>) {
    if clicks.is_empty() {
        return;
    }
    let jobs = std::mem::take(clicks);
    let requests: Vec<ClickRequest> = jobs.iter().map(|job| job.request.clone()).collect();
    match engine.clicks(&requests) {
        Ok(results) => {
            for (job, result) in jobs.into_iter().zip(results) {
                let _ = job.answer.send(result);
            }
        }
        Err(_) => {
            // The group failed as a whole (nothing was written): each click gets its own
            // attempt and its own error.
            for job in jobs {
                let request = job.request;
                let result = engine.click(
                    &request.path,
                    request.at,
                    request.ip,
                    request.country.as_deref(),
                );
                let _ = job.answer.send(result);
            }
        }
    }
}
