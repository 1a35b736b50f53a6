//! The `Provider` trait.

use std::fmt;

use chrono::{DateTime, Utc};

use crate::error::{Error, ErrorKind, Result};
use crate::message::{DeliveryReport, InboundMessage, OutboundMessage, Receipt};
use crate::transport::HttpRequest;

/// Something that sends SMS: Twilio, Vonage, the file outbox, the stub, or yours.
///
/// Object-safe and `Send + Sync`, so a `Box<dyn Provider>` (or `Arc<dyn Provider>`) can be
/// chosen from configuration at run time and shared by the dispatcher's threads. One receipt
/// type, one error type, for every provider.
///
/// Modelled on lettre's `Transport`: the high-level [`Provider::send`] runs the checks every
/// provider needs ([`OutboundMessage::check`]) and delegates to the one required low-level
/// method, [`Provider::submit`]; [`Provider::shutdown`] is a no-op by default.
///
/// ```
/// use smskit_phone::E164;
/// use smskit_provider::{OutboundMessage, Provider, StubProvider};
///
/// let provider: Box<dyn Provider> = Box::new(StubProvider::new());
/// let to = E164::parse("+32470123456").unwrap();
/// let receipt = provider.send(&OutboundMessage::new(to, "Hello")).unwrap();
/// assert_eq!(receipt.provider, "stub");
/// ```
pub trait Provider: Send + Sync + fmt::Debug {
    /// A short name for receipts, reports and logs (`twilio`, `vonage`, ...).
    fn name(&self) -> &str;

    /// Sends one message that passed [`OutboundMessage::check`].
    ///
    /// # Errors
    /// A classified [`Error`]: retryable, permanent, or unknown (may have been sent).
    fn submit(&self, message: &OutboundMessage) -> Result<Receipt>;

    /// Checks and sends one message.
    ///
    /// # Errors
    /// A permanent error for a message that fails the common checks (the provider is not
    /// called), else whatever [`Provider::submit`] returns.
    fn send(&self, message: &OutboundMessage) -> Result<Receipt> {
        message.check()?;
        self.submit(message)
    }

    /// Verifies and parses a delivery report this provider posted to a webhook of the
    /// application (the request as the application's web server received it, `received_at`
    /// by the caller's clock).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidWebhook`] for a request that fails verification or parsing;
    /// [`ErrorKind::Unsupported`] (the default) for providers without delivery reports.
    fn parse_delivery_report(
        &self,
        request: &HttpRequest,
        received_at: DateTime<Utc>,
    ) -> Result<DeliveryReport> {
        let _ = (request, received_at);
        Err(Error::permanent(
            ErrorKind::Unsupported,
            format!("the {} provider has no delivery reports", self.name()),
        ))
    }

    /// Verifies and parses an SMS someone sent to the account (the provider's inbound webhook,
    /// as the application's web server received it, `received_at` by the caller's clock).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidWebhook`] for a request that fails verification or parsing;
    /// [`ErrorKind::Unsupported`] (the default) for providers without inbound messages.
    fn parse_inbound_message(
        &self,
        request: &HttpRequest,
        received_at: DateTime<Utc>,
    ) -> Result<InboundMessage> {
        let _ = (request, received_at);
        Err(Error::permanent(
            ErrorKind::Unsupported,
            format!("the {} provider has no inbound messages", self.name()),
        ))
    }

    /// Releases resources (open connections); the provider may not be used afterwards.
    fn shutdown(&self) {}
}

impl<P: Provider + ?Sized> Provider for Box<P> {
    fn name(&self) -> &str {
        (**self).name()
    }

    fn submit(&self, message: &OutboundMessage) -> Result<Receipt> {
        (**self).submit(message)
    }

    fn send(&self, message: &OutboundMessage) -> Result<Receipt> {
        (**self).send(message)
    }

    fn parse_delivery_report(
        &self,
        request: &HttpRequest,
        received_at: DateTime<Utc>,
    ) -> Result<DeliveryReport> {
        (**self).parse_delivery_report(request, received_at)
    }

    fn parse_inbound_message(
        &self,
        request: &HttpRequest,
        received_at: DateTime<Utc>,
    ) -> Result<InboundMessage> {
        (**self).parse_inbound_message(request, received_at)
    }

    fn shutdown(&self) {
        (**self).shutdown();
    }
}

impl<P: Provider + ?Sized> Provider for std::sync::Arc<P> {
    fn name(&self) -> &str {
        (**self).name()
    }

    fn submit(&self, message: &OutboundMessage) -> Result<Receipt> {
        (**self).submit(message)
    }

    fn send(&self, message: &OutboundMessage) -> Result<Receipt> {
        (**self).send(message)
    }

    fn parse_delivery_report(
        &self,
        request: &HttpRequest,
        received_at: DateTime<Utc>,
    ) -> Result<DeliveryReport> {
        (**self).parse_delivery_report(request, received_at)
    }

    fn parse_inbound_message(
        &self,
        request: &HttpRequest,
        received_at: DateTime<Utc>,
    ) -> Result<InboundMessage> {
        (**self).parse_inbound_message(request, received_at)
    }

    fn shutdown(&self) {
        (**self).shutdown();
    }
}
