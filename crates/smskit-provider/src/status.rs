//! Trace statuses and failure types of the mailing spec, shared by every provider.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, ErrorKind, Result};

/// The status of a message's trace, as the mailing spec names them.
///
/// Providers report their own statuses; each provider module maps them onto these values
/// (for example Twilio `delivered` → [`TraceStatus::Sent`]). The values the facade sets itself
/// (`open` on a click, `reply`, `cancel` on exclusion) are here too so that one type covers a
/// trace's whole life.
///
/// ```
/// use smskit_provider::TraceStatus;
///
/// assert_eq!(TraceStatus::Pending.as_str(), "pending");
/// assert_eq!("sent".parse::<TraceStatus>(), Ok(TraceStatus::Sent));
/// // A late "accepted" never downgrades a delivered message.
/// assert!(!TraceStatus::Sent.is_superseded_by(TraceStatus::Pending));
/// assert!(TraceStatus::Pending.is_superseded_by(TraceStatus::Sent));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum TraceStatus {
    /// Waiting to be sent (queued, here or at the provider).
    Outgoing,
    /// Being handed to the network by the provider.
    Process,
    /// Accepted by the provider or carrier, not (yet) confirmed delivered; shown as "Sent".
    Pending,
    /// Delivered to the handset; shown as "Delivered".
    Sent,
    /// The recipient clicked a tracked link.
    Open,
    /// The recipient replied.
    Reply,
    /// Bounced.
    Bounce,
    /// Failed; the failure type says why.
    Error,
    /// Canceled before sending (excluded recipient or a canceled scheduled message).
    Cancel,
}

impl TraceStatus {
    /// Every status, in the order of the mailing spec.
    pub const ALL: [Self; 9] = [
        Self::Outgoing,
        Self::Process,
        Self::Pending,
        Self::Sent,
        Self::Open,
        Self::Reply,
        Self::Bounce,
        Self::Error,
        Self::Cancel,
    ];

    /// The spec's name of the status (`outgoing`, `process`, `pending`, ...).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Outgoing => "outgoing",
            Self::Process => "process",
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Open => "open",
            Self::Reply => "reply",
            Self::Bounce => "bounce",
            Self::Error => "error",
            Self::Cancel => "cancel",
        }
    }

    /// Whether the status is final for delivery: nothing a provider reports later changes it.
    #[must_use]
    pub const fn is_final(self) -> bool {
        matches!(self, Self::Error | Self::Bounce | Self::Cancel)
    }

    /// Progress along the delivery path, for the monotonic rule.
    const fn progress(self) -> u8 {
        match self {
            Self::Outgoing => 0,
            Self::Process => 1,
            Self::Pending => 2,
            Self::Sent => 3,
            Self::Open => 4,
            Self::Reply => 5,
            Self::Bounce | Self::Error | Self::Cancel => 6,
        }
    }

    /// Whether a report of `next` should replace the current status `self`.
    ///
    /// Delivery reports arrive late, twice or out of order; applying them through this rule
    /// makes them monotonic, as the mailing spec requires:
    /// - along `outgoing → process → pending → sent → open → reply` a status only moves forward
    ///   (a late `pending` never overwrites `sent`; a repeated report changes nothing);
    /// - `error` and `bounce` overwrite `outgoing`, `process`, `pending` and `sent` (a delivery
    ///   receipt may be followed by a failure report), but not a click or a reply, which prove
    ///   the message arrived;
    /// - `cancel` only overwrites a message that has not reached the provider
    ///   (`outgoing`, `process`);
    /// - `error`, `bounce` and `cancel` are final.
    #[must_use]
    pub const fn is_superseded_by(self, next: Self) -> bool {
        if self.is_final() {
            return false;
        }
        match next {
            Self::Error | Self::Bounce => matches!(
                self,
                Self::Outgoing | Self::Process | Self::Pending | Self::Sent
            ),
            Self::Cancel => matches!(self, Self::Outgoing | Self::Process),
            _ => next.progress() > self.progress(),
        }
    }
}

impl fmt::Display for TraceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a name this crate does not know (a status or a failure type read
/// back from storage or from a provider), the name cut to 64 characters.
pub(crate) fn unknown_name(what: &str, name: &str) -> Error {
    Error::permanent(
        ErrorKind::InvalidResponse,
        format!(
            "unknown {what} `{}`",
            name.chars().take(64).collect::<String>()
        ),
    )
}

impl FromStr for TraceStatus {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| unknown_name("trace status", s))
    }
}

/// Why a message was not sent or not delivered: the failure types of the mailing spec.
///
/// Every [`Error`](crate::Error) and every failed [`DeliveryReport`](crate::DeliveryReport)
/// carries one, so a trace can store it without knowing which provider was used.
///
/// ```
/// use smskit_provider::FailureType;
///
/// assert_eq!(FailureType::InvalidDestination.as_str(), "sms_invalid_destination");
/// assert_eq!("sms_optout".parse::<FailureType>(), Ok(FailureType::OptOut));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum FailureType {
    /// `sms_blacklist`: the number is on the (active) blacklist.
    #[cfg_attr(feature = "serde", serde(rename = "sms_blacklist"))]
    Blacklist,
    /// `sms_optout`: the recipient opted out (for providers: replied STOP).
    #[cfg_attr(feature = "serde", serde(rename = "sms_optout"))]
    OptOut,
    /// `sms_duplicate`: the same number was already targeted.
    #[cfg_attr(feature = "serde", serde(rename = "sms_duplicate"))]
    Duplicate,
    /// `sms_number_missing`: no number.
    #[cfg_attr(feature = "serde", serde(rename = "sms_number_missing"))]
    NumberMissing,
    /// `sms_number_format`: not a valid phone number.
    #[cfg_attr(feature = "serde", serde(rename = "sms_number_format"))]
    NumberFormat,
    /// `sms_credit`: not enough credit.
    #[cfg_attr(feature = "serde", serde(rename = "sms_credit"))]
    Credit,
    /// `sms_server`: the provider or the network between us failed.
    #[cfg_attr(feature = "serde", serde(rename = "sms_server"))]
    Server,
    /// `sms_acc`: a problem with the provider account (credentials, sender, trial limits).
    #[cfg_attr(feature = "serde", serde(rename = "sms_acc"))]
    Acc,
    /// `sms_country_not_supported`: the destination country is not enabled.
    #[cfg_attr(feature = "serde", serde(rename = "sms_country_not_supported"))]
    CountryNotSupported,
    /// `sms_registration_needed`: the destination requires a sender registration.
    #[cfg_attr(feature = "serde", serde(rename = "sms_registration_needed"))]
    RegistrationNeeded,
    /// `sms_expired`: the message expired before it could be delivered.
    #[cfg_attr(feature = "serde", serde(rename = "sms_expired"))]
    Expired,
    /// `sms_invalid_destination`: the destination handset is unknown or unreachable.
    #[cfg_attr(feature = "serde", serde(rename = "sms_invalid_destination"))]
    InvalidDestination,
    /// `sms_not_allowed`: the destination cannot receive this message (landline, barred).
    #[cfg_attr(feature = "serde", serde(rename = "sms_not_allowed"))]
    NotAllowed,
    /// `sms_not_delivered`: not delivered, for another or an unknown reason.
    #[cfg_attr(feature = "serde", serde(rename = "sms_not_delivered"))]
    NotDelivered,
    /// `sms_rejected`: blocked or filtered by the provider or the carrier.
    #[cfg_attr(feature = "serde", serde(rename = "sms_rejected"))]
    Rejected,
    /// `unknown`: no better classification.
    #[cfg_attr(feature = "serde", serde(rename = "unknown"))]
    Unknown,
}

impl FailureType {
    /// Every failure type, in the order of the mailing spec.
    pub const ALL: [Self; 16] = [
        Self::Blacklist,
        Self::OptOut,
        Self::Duplicate,
        Self::NumberMissing,
        Self::NumberFormat,
        Self::Credit,
        Self::Server,
        Self::Acc,
        Self::CountryNotSupported,
        Self::RegistrationNeeded,
        Self::Expired,
        Self::InvalidDestination,
        Self::NotAllowed,
        Self::NotDelivered,
        Self::Rejected,
        Self::Unknown,
    ];

    /// The spec's name (`sms_blacklist`, ..., `unknown`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Blacklist => "sms_blacklist",
            Self::OptOut => "sms_optout",
            Self::Duplicate => "sms_duplicate",
            Self::NumberMissing => "sms_number_missing",
            Self::NumberFormat => "sms_number_format",
            Self::Credit => "sms_credit",
            Self::Server => "sms_server",
            Self::Acc => "sms_acc",
            Self::CountryNotSupported => "sms_country_not_supported",
            Self::RegistrationNeeded => "sms_registration_needed",
            Self::Expired => "sms_expired",
            Self::InvalidDestination => "sms_invalid_destination",
            Self::NotAllowed => "sms_not_allowed",
            Self::NotDelivered => "sms_not_delivered",
            Self::Rejected => "sms_rejected",
            Self::Unknown => "unknown",
        }
    }
}

impl fmt::Display for FailureType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FailureType {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|failure| failure.as_str() == s)
            .ok_or_else(|| unknown_name("failure type", s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Unknown names are the crate's one error type, naming the input.
    #[test]
    fn unknown_names_are_errors() {
        let error = "teleported".parse::<TraceStatus>().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidResponse);
        assert!(error.message().contains("`teleported`"), "{error}");
        let error = "sms_lost".parse::<FailureType>().unwrap_err();
        assert!(
            error.message().contains("failure type `sms_lost`"),
            "{error}"
        );
        let long = "x".repeat(1000);
        assert!(long.parse::<TraceStatus>().unwrap_err().message().len() < 120);
    }

    proptest! {
        /// Applying reports through the rule: a repeated report changes nothing, and along the
        /// delivery path a trace never moves backwards.
        #[test]
        fn applying_reports_is_monotonic(reports in proptest::collection::vec(0usize..9, 0..30)) {
            let mut current = TraceStatus::Outgoing;
            for index in reports {
                let next = TraceStatus::ALL[index];
                let before = current;
                if current.is_superseded_by(next) {
                    current = next;
                }
                prop_assert!(!current.is_superseded_by(current));
                if !current.is_final() {
                    prop_assert!(current.progress() >= before.progress());
                }
                if before.is_final() {
                    prop_assert_eq!(current, before);
                }
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for status in TraceStatus::ALL {
            assert_eq!(status.as_str().parse::<TraceStatus>(), Ok(status));
        }
        for failure in FailureType::ALL {
            assert_eq!(failure.as_str().parse::<FailureType>(), Ok(failure));
        }
        assert!("delivered".parse::<TraceStatus>().is_err());
        assert!("sms_whatever".parse::<FailureType>().is_err());
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_uses_spec_names() {
        for status in TraceStatus::ALL {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
        for failure in FailureType::ALL {
            let json = serde_json::to_string(&failure).unwrap();
            assert_eq!(json, format!("\"{}\"", failure.as_str()));
            assert_eq!(serde_json::from_str::<FailureType>(&json).unwrap(), failure);
        }
    }

    #[test]
    fn monotonic_rule() {
        use TraceStatus::*;
        // Forward moves along the delivery path are accepted, backward ones are not.
        assert!(Outgoing.is_superseded_by(Process));
        assert!(Process.is_superseded_by(Pending));
        assert!(Pending.is_superseded_by(Sent));
        assert!(Outgoing.is_superseded_by(Sent));
        assert!(!Sent.is_superseded_by(Pending));
        assert!(!Pending.is_superseded_by(Outgoing));
        assert!(!Sent.is_superseded_by(Sent));
        // An error may overwrite pending and sent, not a click.
        assert!(Pending.is_superseded_by(Error));
        assert!(Sent.is_superseded_by(Error));
        assert!(!Open.is_superseded_by(Error));
        // Final statuses stay.
        for next in TraceStatus::ALL {
            assert!(!Error.is_superseded_by(next));
            assert!(!Cancel.is_superseded_by(next));
            assert!(!Bounce.is_superseded_by(next));
        }
        assert!(Outgoing.is_superseded_by(Cancel));
        assert!(!Pending.is_superseded_by(Cancel));
    }
}
