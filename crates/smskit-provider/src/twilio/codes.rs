//! Twilio statuses, error codes and their mapping to classes and failure types.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, ErrorKind, Result};
use crate::status::{FailureType, TraceStatus, unknown_name};

/// A Twilio Message status.
///
/// ```
/// use smskit_provider::TraceStatus;
/// use smskit_provider::twilio::TwilioStatus;
///
/// let status: TwilioStatus = "delivered".parse().unwrap();
/// assert_eq!(status.trace_status(), Some(TraceStatus::Sent));
/// assert_eq!(TwilioStatus::Sent.trace_status(), Some(TraceStatus::Pending));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum TwilioStatus {
    /// `queued`: waiting to be sent.
    Queued,
    /// `accepted`: a Messaging Service accepted it and is choosing a sender.
    Accepted,
    /// `scheduled`: scheduled for later.
    Scheduled,
    /// `sending`: being handed to the carrier.
    Sending,
    /// `sent`: accepted by the carrier, not confirmed delivered.
    Sent,
    /// `delivered`: confirmed delivered.
    Delivered,
    /// `undelivered`: the carrier could not deliver it.
    Undelivered,
    /// `failed`: it could not be sent.
    Failed,
    /// `receiving` (inbound).
    Receiving,
    /// `received` (inbound).
    Received,
    /// `read`: delivered and read (channels with read receipts).
    Read,
    /// `partially_delivered`: some of it was delivered.
    PartiallyDelivered,
    /// `canceled`: a scheduled message was canceled.
    Canceled,
}

impl TwilioStatus {
    const ALL: [Self; 13] = [
        Self::Queued,
        Self::Accepted,
        Self::Scheduled,
        Self::Sending,
        Self::Sent,
        Self::Delivered,
        Self::Undelivered,
        Self::Failed,
        Self::Receiving,
        Self::Received,
        Self::Read,
        Self::PartiallyDelivered,
        Self::Canceled,
    ];

    /// Twilio's name of the status.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Accepted => "accepted",
            Self::Scheduled => "scheduled",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Delivered => "delivered",
            Self::Undelivered => "undelivered",
            Self::Failed => "failed",
            Self::Receiving => "receiving",
            Self::Received => "received",
            Self::Read => "read",
            Self::PartiallyDelivered => "partially_delivered",
            Self::Canceled => "canceled",
        }
    }

    /// The trace status: queued/accepted/scheduled → `outgoing`; sending → `process`;
    /// sent → `pending`; delivered → `sent`; canceled → `cancel`; failed/undelivered →
    /// `error`. Beyond the spec's map: `read` (delivered, then read) → `sent`;
    /// `partially_delivered` → `pending` (accepted, delivery not complete). `None` for the
    /// inbound statuses (`receiving`, `received`), which are not about a message we sent.
    #[must_use]
    pub const fn trace_status(self) -> Option<TraceStatus> {
        match self {
            Self::Queued | Self::Accepted | Self::Scheduled => Some(TraceStatus::Outgoing),
            Self::Sending => Some(TraceStatus::Process),
            Self::Sent | Self::PartiallyDelivered => Some(TraceStatus::Pending),
            Self::Delivered | Self::Read => Some(TraceStatus::Sent),
            Self::Canceled => Some(TraceStatus::Cancel),
            Self::Failed | Self::Undelivered => Some(TraceStatus::Error),
            Self::Receiving | Self::Received => None,
        }
    }
}

impl fmt::Display for TwilioStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TwilioStatus {
    type Err = Error;

    /// Case-insensitive, surrounding white space ignored.
    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|status| status.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| unknown_name("Twilio status", s))
    }
}

/// What a Twilio REST API error code means: the kind and failure type, or `None` for codes
/// the spec does not name (the HTTP status classifies those).
///
/// | code | kind | failure type |
/// |---|---|---|
/// | 21211, 21614, 21265 | invalid number | `sms_number_format` |
/// | 21604 | missing number | `sms_number_missing` |
/// | 21610 | opted out (replied STOP: record it) | `sms_optout` |
/// | 21408 | country not supported | `sms_country_not_supported` |
/// | 21606, 21603, 21266, 21212 | invalid sender | `sms_acc` |
/// | 21608 | account restricted (unverified recipient on a trial account) | `sms_acc` |
/// | 20003 | unauthorized | `sms_acc` |
/// | 20429 | rate limited (retryable) | `sms_server` |
///
/// ```
/// use smskit_provider::{ErrorKind, FailureType};
/// use smskit_provider::twilio::error_code_meaning;
///
/// assert_eq!(error_code_meaning(21610), Some((ErrorKind::OptedOut, FailureType::OptOut)));
/// assert_eq!(error_code_meaning(12345), None);
/// ```
#[must_use]
pub const fn error_code_meaning(code: u32) -> Option<(ErrorKind, FailureType)> {
    let kind = match code {
        21211 | 21614 | 21265 => ErrorKind::InvalidNumber,
        21604 => ErrorKind::MissingNumber,
        21610 => ErrorKind::OptedOut,
        21408 => ErrorKind::CountryNotSupported,
        21606 | 21603 | 21266 | 21212 => ErrorKind::InvalidSender,
        21608 => ErrorKind::AccountRestricted,
        20003 => ErrorKind::Unauthorized,
        20429 => ErrorKind::RateLimited,
        _ => return None,
    };
    Some((kind, kind.default_failure()))
}

/// The failure type of a `failed` or `undelivered` message from its error code: 30002
/// expired; 30003, 30005 invalid destination; 30004, 30007 rejected; 30006 not allowed; a
/// REST API code of [`error_code_meaning`] (a `failed` message with 21610 is an opt-out) its
/// failure type; 30008 and anything else not delivered.
///
/// ```
/// use smskit_provider::FailureType;
/// use smskit_provider::twilio::delivery_failure;
///
/// assert_eq!(delivery_failure(Some(30005)), FailureType::InvalidDestination);
/// assert_eq!(delivery_failure(Some(30008)), FailureType::NotDelivered);
/// assert_eq!(delivery_failure(None), FailureType::NotDelivered);
/// ```
#[must_use]
pub const fn delivery_failure(code: Option<u32>) -> FailureType {
    match code {
        Some(30002) => FailureType::Expired,
        Some(30003 | 30005) => FailureType::InvalidDestination,
        Some(30004 | 30007) => FailureType::Rejected,
        Some(30006) => FailureType::NotAllowed,
        Some(code) => match error_code_meaning(code) {
            Some((_, failure)) => failure,
            None => FailureType::NotDelivered,
        },
        None => FailureType::NotDelivered,
    }
}

/// Reads an error code leniently: `30008`, `"30008"`, `" 30008 "`.
pub(crate) fn parse_code(text: &str) -> Option<u32> {
    let text = text.trim();
    if text.is_empty() || text.len() > 9 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_prints_as_twilio_writes_it() {
        assert_eq!(
            TwilioStatus::PartiallyDelivered.to_string(),
            "partially_delivered"
        );
        assert_eq!(TwilioStatus::Queued.to_string(), "queued");
    }

    #[test]
    fn status_map_is_the_spec() {
        use TraceStatus as T;
        let expected = [
            ("queued", Some(T::Outgoing)),
            ("accepted", Some(T::Outgoing)),
            ("scheduled", Some(T::Outgoing)),
            ("sending", Some(T::Process)),
            ("sent", Some(T::Pending)),
            ("delivered", Some(T::Sent)),
            ("canceled", Some(T::Cancel)),
            ("failed", Some(T::Error)),
            ("undelivered", Some(T::Error)),
            ("read", Some(T::Sent)),
            ("partially_delivered", Some(T::Pending)),
            ("receiving", None),
            ("received", None),
        ];
        for (name, trace) in expected {
            let status: TwilioStatus = name.parse().unwrap();
            assert_eq!(status.as_str(), name);
            assert_eq!(status.trace_status(), trace, "{name}");
        }
        assert_eq!(
            " Delivered ".parse::<TwilioStatus>(),
            Ok(TwilioStatus::Delivered)
        );
        assert!("cancelled".parse::<TwilioStatus>().is_err());
    }

    #[test]
    fn delivery_codes_are_the_spec() {
        let expected = [
            (30002, FailureType::Expired),
            (30003, FailureType::InvalidDestination),
            (30005, FailureType::InvalidDestination),
            (30004, FailureType::Rejected),
            (30007, FailureType::Rejected),
            (30006, FailureType::NotAllowed),
            (30008, FailureType::NotDelivered),
            (30001, FailureType::NotDelivered),
            (30034, FailureType::NotDelivered),
            (21610, FailureType::OptOut),
        ];
        for (code, failure) in expected {
            assert_eq!(delivery_failure(Some(code)), failure, "{code}");
        }
    }

    #[test]
    fn api_codes_are_the_spec() {
        for code in [21211, 21614, 21265] {
            assert_eq!(
                error_code_meaning(code),
                Some((ErrorKind::InvalidNumber, FailureType::NumberFormat))
            );
        }
        assert_eq!(
            error_code_meaning(21604),
            Some((ErrorKind::MissingNumber, FailureType::NumberMissing))
        );
        assert_eq!(
            error_code_meaning(21408),
            Some((
                ErrorKind::CountryNotSupported,
                FailureType::CountryNotSupported
            ))
        );
        for code in [21606, 21603, 21266] {
            assert_eq!(
                error_code_meaning(code).map(|m| m.0),
                Some(ErrorKind::InvalidSender)
            );
        }
        assert_eq!(
            error_code_meaning(21608).map(|m| m.0),
            Some(ErrorKind::AccountRestricted)
        );
        assert_eq!(
            error_code_meaning(20003).map(|m| m.0),
            Some(ErrorKind::Unauthorized)
        );
        assert_eq!(
            error_code_meaning(20429).map(|m| m.0),
            Some(ErrorKind::RateLimited)
        );
    }

    #[test]
    fn lenient_codes() {
        assert_eq!(parse_code(" 30008 "), Some(30008));
        assert_eq!(parse_code(""), None);
        assert_eq!(parse_code("-1"), None);
        assert_eq!(parse_code("3000800000000"), None);
        // Nine digits fit a u32; ten may not and are refused before parsing.
        assert_eq!(parse_code("123456789"), Some(123_456_789));
        assert_eq!(parse_code("1234567890"), None);
        assert_eq!(parse_code("+5"), None);
    }
}
