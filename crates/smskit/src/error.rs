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
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}
