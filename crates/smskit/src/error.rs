//! The one error type of the facade.

use crate::model::{ListId, MailingId};
use crate::store::StoreError;
use crate::template::TemplateError;

/// What went wrong, in terms a caller can act on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The message template is malformed or names a field the records do not have.
    #[error("invalid template: {0}")]
    Template(#[from] TemplateError),
    /// The audience's filter domain is malformed or does not fit the contact model.
    #[error("invalid filter: {0}")]
    Filter(#[from] crate::filter::Error),
    /// No mailing with this id.
    #[error("mailing {0} does not exist")]
    UnknownMailing(MailingId),
    /// No mailing list with this id.
    #[error("mailing list {0} does not exist")]
    UnknownList(ListId),
    /// The balance does not cover the messages still to send: nothing was sent.
    #[error("not enough credit: sending costs {needed}, the balance is {available}")]
    InsufficientCredit {
        /// What the messages cost.
        needed: crate::segment::Money,
        /// What the balance holds.
        available: crate::segment::Money,
    },
    /// The cost cannot be known (destinations without a price, or an amount too large), so
    /// the credit check cannot pass: nothing was sent.
    #[error("cannot price the mailing: {0}")]
    Unpriced(String),
    /// The application's balance could not be read: nothing was sent.
    #[error(transparent)]
    Balance(#[from] crate::credit::BalanceError),
    /// A schedule that is not in the future.
    #[error("cannot schedule at {at}: it is not after now ({now})")]
    ScheduleInPast {
        /// The requested time.
        at: chrono::DateTime<chrono::Utc>,
        /// The time of the request.
        now: chrono::DateTime<chrono::Utc>,
    },
    /// The action does not apply to a mailing in this state.
    #[error("mailing {mailing} is {state}: cannot {action}")]
    WrongState {
        /// The mailing.
        mailing: MailingId,
        /// Its state.
        state: crate::model::MailingState,
        /// What was asked.
        action: &'static str,
    },
    /// A setting cannot work (a short secret, a base URL with a query...).
    #[error("invalid setting: {0}")]
    InvalidSetting(String),
    /// A mailing asks for something the engine's settings do not provide.
    #[error("mailing needs {0}, which the engine's settings do not configure")]
    NotConfigured(&'static str),
    /// The path is not an opt-out link, or its token is wrong.
    #[error("not a valid opt-out link: {path:?}")]
    InvalidOptOutLink {
        /// The request path (at most 200 characters of it).
        path: String,
    },
    /// Tracked links: a link could not be stored, or a short-link path is not one of ours
    /// ([`links::Error::is_not_found`](crate::links::Error::is_not_found): answer 404).
    #[error(transparent)]
    Links(#[from] crate::links::Error),
    /// No A/B test with this id.
    #[error("A/B test {0} does not exist")]
    UnknownAbTest(crate::model::AbTestId),
    /// An A/B test cannot do what was asked: no version finished, a share outside 1..=100,
    /// metric values that do not match the versions...
    #[error("A/B test: {0}")]
    AbTest(#[from] crate::abtest::Error),
    /// A winner chosen by metric needs one value per version.
    #[error("the A/B test has {versions} versions but {values} metric values were given")]
    MetricValues {
        /// Versions of the test.
        versions: usize,
        /// Values given.
        values: usize,
    },
    /// A provider refused a webhook (forged, unsigned, malformed) or failed.
    #[error(transparent)]
    Provider(#[from] crate::provider::Error),
    /// No campaign with this id.
    #[error("campaign {0} does not exist")]
    UnknownCampaign(crate::model::CampaignId),
    /// A name that cannot be used (empty, or only spaces).
    #[error("invalid name {0:?}: it must have a visible character")]
    InvalidName(String),
    /// No trace with this id.
    #[error("trace {0} does not exist")]
    UnknownTrace(crate::model::TraceId),
    /// A record of the application cannot be read as a filter and template record.
    #[error("record {record}, field {field:?}: {reason}")]
    InvalidRecord {
        /// Its position in the input, from 1 (0: not about one record).
        record: usize,
        /// The field concerned (empty: the record as a whole).
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}
