//! Sending workers: any number of processes, on any number of hosts, sharing one store.
//!
//! [`Engine::work`] is the loop a worker process runs (the `smskit worker` command runs it):
//! pass after pass it chooses the winners of A/B tests whose deadline has come, prepares the
//! mailings that are due and sends their messages, batch by batch, until it is told to stop.
//! The store is the queue and the lock; nothing else coordinates the workers:
//!
//! | what | how it holds across workers |
//! |---|---|
//! | every message sent once | a batch is claimed before its messages leave ([`Store::claim_outgoing`]: `FOR UPDATE SKIP LOCKED` in PostgreSQL), and renewed right before ([`Store::renew_claims`]) |
//! | a killed worker's messages are never resent | its claims outlive their lease ([`Settings::with_claim_lease`]); the next send marks them `unknown` ([`Store::abandon_claims`]) |
//! | the rate limit of a sender | each batch books its segments on the sender's schedule in the store ([`Store::book_send_time`]) and waits for its turn |
//! | a mailing prepared once | under the lease `prepare:<id>` ([`Store::acquire_lease`]); preparing is idempotent anyway |
//! | an A/B test's winner chosen once | under the lease `ab-winners` |
//!
//! The lease of a claim must outlast the dispatch of one batch (its messages in flight at the
//! configured concurrency, with their retries): a worker that takes longer is taken for dead,
//! and its batch ends `unknown` rather than sent twice.
//!
//! [`Settings::with_claim_lease`]: crate::Settings::with_claim_lease

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::engine::{DueRun, Engine, Sent};
use crate::error::Error;
use crate::model::{MailingId, MailingState};
use crate::pace::WallClock;
use crate::provider::{Clock, Provider};
use crate::store::Store;

/// The lease under which one worker at a time chooses A/B winners.
const AB_WINNERS_LEASE: &str = "ab-winners";

/// How a worker runs ([`Engine::work`]).
///
/// ```
/// use std::time::Duration;
/// use smskit::worker::WorkOptions;
///
/// let options = WorkOptions::new("mail-1:4242").with_poll(Duration::from_millis(500));
/// assert_eq!(options.name(), "mail-1:4242");
/// ```
#[derive(Debug, Clone)]
pub struct WorkOptions {
    name: String,
    poll: Duration,
    lease: Duration,
    until_idle: bool,
    stop: Option<Arc<AtomicBool>>,
}

impl WorkOptions {
    /// Options for the worker called `name`, unique among the workers of a store (host and
    /// process id, say): leases are held in that name.
    #[must_use]
    pub fn new(name: impl Into<String>) -> Self {
        WorkOptions {
            name: name.into(),
            poll: Duration::from_secs(1),
            lease: Duration::from_secs(300),
            until_idle: false,
            stop: None,
        }
    }

    /// How long the worker waits after a pass that found nothing to do (default 1 s).
    #[must_use]
    pub fn with_poll(mut self, poll: Duration) -> Self {
        self.poll = poll;
        self
    }

    /// How long the leases of the worker's own tasks (preparing a mailing, choosing A/B
    /// winners) last before another worker may take over (default 5 minutes).
    #[must_use]
    pub fn with_lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// Returns after the first pass that found nothing to do, instead of waiting for more.
    #[must_use]
    pub fn until_idle(mut self) -> Self {
        self.until_idle = true;
        self
    }

    /// Stops the worker once `stop` is set (from a signal handler, say): it finishes the batch
    /// in flight, records its outcomes and returns.
    #[must_use]
    pub fn with_stop(mut self, stop: Arc<AtomicBool>) -> Self {
        self.stop = Some(stop);
        self
    }

    /// The worker's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// What [`Engine::work`] did until it returned.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Worked {
    /// Passes over the due mailings.
    pub passes: u64,
    /// The sends of mailings that did something, added up.
    pub sent: Sent,
    /// Mailings whose preparation or send failed in some pass (each reported to the callback).
    pub failures: u64,
    /// Final mailings of A/B tests this worker created.
    pub ab_winners: u64,
}

/// A stop request that may not exist.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stop<'a>(Option<&'a AtomicBool>);

impl Stop<'_> {
    pub(crate) fn never() -> Self {
        Stop(None)
    }

    pub(crate) fn requested(self) -> bool {
        self.0.is_some_and(|stop| stop.load(Ordering::Relaxed))
    }
}

impl<S: Store> Engine<S> {
    /// Runs a sending worker until it is told to stop ([`WorkOptions::with_stop`]) or, with
    /// [`WorkOptions::until_idle`], until a pass finds nothing to do. `start` is the wall time
    /// now; later times are read from `clock` (so a simulated clock simulates them).
    ///
    /// Each pass: the A/B tests whose `final_at` has come and whose winner goes by clicks get
    /// their final mailing (one worker at a time); mailings queued and due are prepared (one
    /// worker each) and sent, and mailings `sending` are sent, alongside any other worker
    /// sending them. `on_run` hears of every send that did something and of every failure
    /// (once per mailing until its error changes). A store failure ends the loop with the
    /// error; the messages in flight keep their claims and become `unknown` after the lease.
    ///
    /// ```
    /// use smskit::model::{Audience, NewContact, NewMailing};
    /// use smskit::provider::{SimulatedClock, StubProvider};
    /// use smskit::worker::WorkOptions;
    /// use smskit::{Engine, MemoryStore, Settings};
    ///
    /// let now = chrono::DateTime::UNIX_EPOCH;
    /// let mut engine = Engine::new(MemoryStore::new(), Settings::new());
    /// let list = engine.create_list("Newsletter", true)?;
    /// for phone in ["+32470000001", "+32470000002"] {
    ///     let contact = engine.add_contact(NewContact::new("Ana", phone), now)?;
    ///     engine.subscribe(list, contact, now)?;
    /// }
    /// let mailing = engine.create_mailing(
    ///     NewMailing::new("Spring", "-20% today!", Audience::Lists(vec![list])),
    ///     now,
    /// )?;
    /// engine.send_now(mailing)?;
    ///
    /// let provider = StubProvider::new();
    /// let options = WorkOptions::new("worker-1").until_idle();
    /// let worked = engine.work(&provider, &SimulatedClock::new(), now, &options, &mut |_| {})?;
    /// assert_eq!(worked.sent.accepted, 2);
    /// assert_eq!(engine.counts(mailing)?.sent, 2);
    /// # Ok::<(), smskit::Error>(())
    /// ```
    pub fn work(
        &mut self,
        provider: &dyn Provider,
        clock: &dyn Clock,
        start: DateTime<Utc>,
        options: &WorkOptions,
        on_run: &mut dyn FnMut(&DueRun),
    ) -> Result<Worked, Error> {
        let wall = WallClock::new(clock, start);
        let stop = Stop(options.stop.as_deref());
        let lease = chrono::Duration::from_std(options.lease).unwrap_or(chrono::Duration::MAX);
        let mut worked = Worked::default();
        let mut reported_errors: HashMap<MailingId, String> = HashMap::new();
        while !stop.requested() {
            worked.passes += 1;
            let mut busy = false;
            let now = wall.now();
            let until = now
                .checked_add_signed(lease)
                .unwrap_or(DateTime::<Utc>::MAX_UTC);
            if self
                .store
                .acquire_lease(AB_WINNERS_LEASE, &options.name, now, until)?
            {
                let chosen = self.choose_due_winners(now);
                self.store.release_lease(AB_WINNERS_LEASE, &options.name)?;
                let chosen = chosen?.len();
                worked.ab_winners += chosen as u64;
                busy |= chosen > 0;
            }
            for mailing in self.store.mailings()? {
                if stop.requested() {
                    break;
                }
                let now = wall.now();
                let result = match mailing.state {
                    MailingState::InQueue if mailing.scheduled_at.is_none_or(|at| at <= now) => {
                        let name = format!("prepare:{}", mailing.id);
                        let until = now
                            .checked_add_signed(lease)
                            .unwrap_or(DateTime::<Utc>::MAX_UTC);
                        if !self.store.acquire_lease(&name, &options.name, now, until)? {
                            // Another worker prepares it; its traces are sent once it is done.
                            continue;
                        }
                        let prepared = self.prepare(mailing.id);
                        self.store.release_lease(&name, &options.name)?;
                        prepared.and_then(|_| {
                            self.send_until(mailing.id, provider, clock, wall.now(), &stop)
                        })
                    }
                    MailingState::Sending => {
                        self.send_until(mailing.id, provider, clock, now, &stop)
                    }
                    _ => continue,
                };
                match &result {
                    Ok(sent) if *sent == Sent::default() => continue,
                    Ok(sent) => {
                        busy = true;
                        reported_errors.remove(&mailing.id);
                        add(&mut worked.sent, sent);
                    }
                    Err(error) => {
                        worked.failures += 1;
                        let message = error.to_string();
                        if reported_errors.get(&mailing.id) == Some(&message) {
                            continue;
                        }
                        reported_errors.insert(mailing.id, message);
                    }
                }
                on_run(&DueRun {
                    mailing: mailing.id,
                    result,
                });
            }
            if !busy && !stop.requested() {
                if options.until_idle {
                    break;
                }
                clock.sleep_until(clock.now().saturating_add(options.poll));
            }
        }
        Ok(worked)
    }
}

fn add(total: &mut Sent, sent: &Sent) {
    total.accepted += sent.accepted;
    total.failed += sent.failed;
    total.unknown += sent.unknown;
    total.segments += sent.segments;
    total.abandoned += sent.abandoned;
    total.blacklisted += sent.blacklisted;
}
