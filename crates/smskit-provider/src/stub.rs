//! The stub provider: records messages, succeeds or fails as told.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use smskit_phone::E164;

use crate::error::{Error, Result};
use crate::message::{OutboundMessage, Receipt};
use crate::provider::Provider;
use crate::status::TraceStatus;

/// A provider for tests and dry runs: it records every message and succeeds, or fails as it
/// was told — always, for given numbers, or for a number's first attempts only (a transient
/// fault that a retry gets past).
///
/// Receipts carry ids `stub-1`, `stub-2`, ... in acceptance order, status `pending`.
///
/// ```
/// use smskit_phone::E164;
/// use smskit_provider::{Error, ErrorKind, OutboundMessage, Provider, StubProvider};
///
/// let bad = E164::parse("+32470000000").unwrap();
/// let good = E164::parse("+32470123456").unwrap();
/// let stub = StubProvider::new().failing_for(
///     bad.clone(),
///     Error::permanent(ErrorKind::InvalidNumber, "no such number"),
/// );
/// assert!(stub.send(&OutboundMessage::new(bad, "hi")).is_err());
/// assert_eq!(stub.send(&OutboundMessage::new(good, "hi")).unwrap().message_id, "stub-1");
/// assert_eq!(stub.messages().len(), 1); // accepted messages
/// assert_eq!(stub.attempts().len(), 2); // every call
/// ```
#[derive(Debug, Default)]
pub struct StubProvider {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    fail_all: Option<Error>,
    faults: HashMap<E164, Fault>,
    accepted: Vec<OutboundMessage>,
    attempts: Vec<OutboundMessage>,
    next_id: u64,
}

#[derive(Debug)]
struct Fault {
    error: Error,
    /// `None`: always; `Some(n)`: the next `n` attempts.
    remaining: Option<u32>,
}

impl StubProvider {
    /// A stub that accepts every message.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Fails every message with `error` (numbers with their own fault fail with theirs).
    #[must_use]
    pub fn failing_with(self, error: Error) -> Self {
        self.lock().fail_all = Some(error);
        self
    }

    /// Fails every message to `number` with `error`.
    #[must_use]
    pub fn failing_for(self, number: E164, error: Error) -> Self {
        self.lock().faults.insert(
            number,
            Fault {
                error,
                remaining: None,
            },
        );
        self
    }

    /// Fails the next `times` attempts to `number` with `error`, then accepts.
    #[must_use]
    pub fn failing_times(self, number: E164, times: u32, error: Error) -> Self {
        self.lock().faults.insert(
            number,
            Fault {
                error,
                remaining: Some(times),
            },
        );
        self
    }

    /// The accepted messages, in acceptance order.
    #[must_use]
    pub fn messages(&self) -> Vec<OutboundMessage> {
        self.lock().accepted.clone()
    }

    /// Every message the stub was asked to send (accepted or not), in call order.
    #[must_use]
    pub fn attempts(&self) -> Vec<OutboundMessage> {
        self.lock().attempts.clone()
    }

    /// Forgets the recorded messages (the faults stay).
    pub fn clear(&self) {
        let mut state = self.lock();
        state.accepted.clear();
        state.attempts.clear();
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state stays consistent even if a thread panicked while holding it: every update
        // is a single push or counter change.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Provider for StubProvider {
    fn name(&self) -> &str {
        "stub"
    }

    fn submit(&self, message: &OutboundMessage) -> Result<Receipt> {
        let mut state = self.lock();
        state.attempts.push(message.clone());
        if let Some(fault) = state.faults.get_mut(&message.to) {
            match &mut fault.remaining {
                None => return Err(fault.error.clone()),
                Some(0) => {}
                Some(n) => {
                    *n -= 1;
                    return Err(fault.error.clone());
                }
            }
        }
        if let Some(error) = &state.fail_all {
            return Err(error.clone());
        }
        state.next_id += 1;
        let id = format!("stub-{}", state.next_id);
        state.accepted.push(message.clone());
        Ok(Receipt::new("stub", id, TraceStatus::Pending, "accepted"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn message(to: &str) -> OutboundMessage {
        OutboundMessage::new(E164::parse(to).unwrap(), "hi")
    }

    #[test]
    fn transient_fault_then_success() {
        let to = E164::parse("+32470123456").unwrap();
        let stub = StubProvider::new().failing_times(
            to,
            2,
            Error::retryable(ErrorKind::RateLimited, "slow down"),
        );
        assert!(stub.send(&message("+32470123456")).is_err());
        assert!(stub.send(&message("+32470123456")).is_err());
        assert!(stub.send(&message("+32470123456")).is_ok());
        assert_eq!(stub.attempts().len(), 3);
        assert_eq!(stub.messages().len(), 1);
    }

    #[test]
    fn fail_all_and_clear() {
        let stub = StubProvider::new().failing_with(Error::permanent(ErrorKind::NoCredit, "broke"));
        let error = stub.send(&message("+32470123456")).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NoCredit);
        assert_eq!(stub.attempts().len(), 1);
        stub.clear();
        assert!(stub.attempts().is_empty());
    }

    #[test]
    fn failed_check_does_not_reach_the_stub() {
        let stub = StubProvider::new();
        let empty = OutboundMessage::new(E164::parse("+32470123456").unwrap(), "");
        assert_eq!(
            stub.send(&empty).unwrap_err().kind(),
            ErrorKind::InvalidRequest
        );
        assert!(stub.attempts().is_empty());
    }
}
