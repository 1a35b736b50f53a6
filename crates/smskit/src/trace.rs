//! Traces: the outcome of one mailing for one recipient, and the order in which news about it
//! may change it.

use core::fmt;
use core::str::FromStr;

/// The status of a trace, with Odoo's names (`spec/mailing.md`).
///
/// | status | meaning | Odoo shows |
/// |---|---|---|
/// | `outgoing` | waiting to be sent | Outgoing |
/// | `process` | claimed: its message is leaving now | Processing |
/// | `pending` | accepted by the provider | Sent |
/// | `sent` | delivered to the handset | Delivered |
/// | `open` | a link was clicked | Clicked |
/// | `reply` | the recipient answered | Replied |
/// | `bounce` | the destination refused it | Bounced |
/// | `error` | sending or delivery failed | Error |
/// | `cancel` | excluded before sending (blacklist, opt-out, duplicate, number) | Canceled |
///
/// ```
/// use smskit::trace::TraceStatus;
///
/// let status: TraceStatus = "pending".parse()?;
/// assert!(status.accepts(TraceStatus::Sent));
/// // A late "accepted" never hides a delivery.
/// assert!(!TraceStatus::Sent.accepts(TraceStatus::Pending));
/// # Ok::<(), smskit::trace::UnknownStatus>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum TraceStatus {
    /// Waiting to be sent.
    Outgoing,
    /// Claimed by a sender: its message is leaving, its outcome not yet recorded.
    Process,
    /// Accepted by the provider.
    Pending,
    /// Delivered to the handset.
    Sent,
    /// A link in the message was clicked.
    Open,
    /// The recipient replied.
    Reply,
    /// The destination refused the message.
    Bounce,
    /// Sending or delivery failed (the failure type says why, `unknown` when it may have left).
    Error,
    /// Excluded before sending.
    Cancel,
}

impl TraceStatus {
    /// Every status, in the order of the table above.
    pub const ALL: [TraceStatus; 9] = [
        TraceStatus::Outgoing,
        TraceStatus::Process,
        TraceStatus::Pending,
        TraceStatus::Sent,
        TraceStatus::Open,
        TraceStatus::Reply,
        TraceStatus::Bounce,
        TraceStatus::Error,
        TraceStatus::Cancel,
    ];

    /// The status's name: `outgoing`, `process`, `pending`, `sent`, `open`, `reply`, `bounce`,
    /// `error` or `cancel`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            TraceStatus::Outgoing => "outgoing",
            TraceStatus::Process => "process",
            TraceStatus::Pending => "pending",
            TraceStatus::Sent => "sent",
            TraceStatus::Open => "open",
            TraceStatus::Reply => "reply",
            TraceStatus::Bounce => "bounce",
            TraceStatus::Error => "error",
            TraceStatus::Cancel => "cancel",
        }
    }

    /// Whether news that the trace reached `next` may replace this status, so that reports
    /// arriving late or out of order never move a trace backwards:
    ///
    /// - `pending` (accepted) only replaces `outgoing` and `process`: a late acceptance never
    ///   hides a delivery or a failure;
    /// - `sent` (delivered) replaces anything before it, and `error` and `bounce` too: a
    ///   delivery receipt is proof, also for a message whose outcome was lost (`unknown`);
    /// - `error` and `bounce` replace `outgoing`, `process`, `pending` and `sent` (a carrier
    ///   may report a failure after a first delivery report), never a click or a reply;
    /// - `open` (a click) and `reply` prove delivery: they replace every status that left or
    ///   may have left, `reply` also `open`;
    /// - nothing replaces `cancel`, and news never moves a trace back to `outgoing` or
    ///   `process` (claiming and retrying are actions, not news).
    #[must_use]
    pub const fn accepts(self, next: TraceStatus) -> bool {
        use TraceStatus::{Bounce, Cancel, Error, Open, Outgoing, Pending, Process, Reply, Sent};
        match (self, next) {
            (Cancel, _) | (_, Outgoing | Process | Cancel) => false,
            (Outgoing | Process, _) => true,
            (Pending, Pending) => false,
            (Pending, _) => true,
            (Sent, Pending | Sent) => false,
            (Sent, _) => true,
            (Bounce | Error, Sent | Open | Reply) => true,
            (Bounce | Error, _) => false,
            (Open, Reply) => true,
            (Open | Reply, _) => false,
        }
    }
}

impl fmt::Display for TraceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A trace status name that is not one of [`TraceStatus::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown trace status `{0}`: expected outgoing, process, pending, sent, open, reply, bounce, error or cancel"
)]
pub struct UnknownStatus(String);

impl FromStr for TraceStatus {
    type Err = UnknownStatus;

    fn from_str(name: &str) -> Result<Self, UnknownStatus> {
        TraceStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == name)
            .ok_or_else(|| UnknownStatus(name.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::TraceStatus::{self, *};

    #[test]
    fn names_round_trip() {
        for status in TraceStatus::ALL {
            assert_eq!(status.as_str().parse::<TraceStatus>(), Ok(status));
        }
        let error = "delivered".parse::<TraceStatus>().unwrap_err();
        assert!(error.to_string().contains("`delivered`"), "{error}");
    }

    #[test]
    fn late_news_never_moves_a_trace_backwards() {
        // (current, next, accepted)
        let table = [
            (Outgoing, Pending, true),
            (Process, Pending, true),
            (Process, Error, true),
            (Pending, Sent, true),
            (Pending, Pending, false),
            (Sent, Pending, false),
            (Sent, Error, true),
            (Sent, Bounce, true),
            (Sent, Open, true),
            (Error, Sent, true),
            (Error, Pending, false),
            (Bounce, Error, false),
            (Open, Pending, false),
            (Open, Sent, false),
            (Open, Error, false),
            (Open, Reply, true),
            (Reply, Open, false),
            (Reply, Sent, false),
            (Cancel, Sent, false),
            (Cancel, Reply, false),
            (Error, Outgoing, false),
            (Pending, Process, false),
            (Outgoing, Cancel, false),
        ];
        for (current, next, accepted) in table {
            assert_eq!(current.accepts(next), accepted, "{current} -> {next}");
        }
    }

    #[test]
    fn no_status_accepts_itself() {
        for status in TraceStatus::ALL {
            assert!(!status.accepts(status), "{status}");
        }
    }

    #[test]
    fn acceptance_has_no_cycle_through_delivery() {
        // Once a trace has proof of delivery (a click or a reply), no report undoes it.
        for proof in [Open, Reply] {
            for next in TraceStatus::ALL {
                if proof.accepts(next) {
                    assert_eq!(next, Reply);
                }
            }
        }
    }
}
