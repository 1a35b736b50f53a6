//! Choosing and building a provider from command-line options: shared by `smskit send` and the
//! campaign commands that send (`mailing send`, `mailing retry`, `run-due`).
//!
//! Credentials come from the environment only (`TWILIO_ACCOUNT_SID` / `TWILIO_AUTH_TOKEN`,
//! `VONAGE_API_KEY` / `VONAGE_API_SECRET`), so they never show in `ps` or a shell history.

use std::env;
use std::fmt::Display;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use smskit::provider::twilio::{Twilio, TwilioConfig};
use smskit::provider::vonage::{Vonage, VonageConfig};
use smskit::provider::{FileProvider, Provider, Rate, Sender, StubProvider, UreqTransport};

use crate::failure::Failure;

/// The providers the command knows (the help of `--provider` says what each does).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ProviderName {
    Twilio,
    Vonage,
    File,
    Stub,
}

/// What a provider is built from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ProviderOptions<'a> {
    pub(crate) name: ProviderName,
    pub(crate) from: Option<&'a str>,
    pub(crate) outbox: Option<&'a Path>,
    pub(crate) api_base: Option<&'a str>,
    pub(crate) timeout: Duration,
}

/// The provider options of the commands that send a mailing.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct SendOptions {
    /// Send to another server than the provider's (a test double, a proxy): an absolute http(s)
    /// URL without query, fragment or credentials.
    #[arg(long, value_name = "URL")]
    pub(crate) api_base: Option<String>,

    /// The sender: a number (`+32460200000`), an alphanumeric id (`ACME`), a short code, or a
    /// Twilio Messaging Service SID (`MG…`). Required for Twilio and Vonage.
    #[arg(long, value_name = "NUMBER")]
    pub(crate) from: Option<String>,

    /// The outbox directory of the file provider (created if needed).
    #[arg(long, value_name = "DIR")]
    pub(crate) outbox: Option<PathBuf>,

    /// At most this many SMS parts (segments) per second, e.g. 1 for a long code, 100 for a
    /// short code, 0.5 for one every two seconds (default: no limit).
    #[arg(long, value_name = "SEGMENTS_PER_SECOND", value_parser = parse_rate)]
    pub(crate) rate: Option<Rate>,

    /// Give up on the provider after this many seconds per request; a timeout after the
    /// request left is an unknown outcome (the message may have been sent, it is not resent).
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = parse_timeout)]
    pub(crate) timeout: Duration,

    /// Messages claimed, sent and recorded together: after a crash, at most this many are
    /// in doubt (recorded as unknown, not resent).
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u16).range(1..))]
    pub(crate) batch_size: u16,

    /// How long another run may hold claimed messages before this one takes it for dead and
    /// records them as unknown (not resent). Default: 600; 0 for mailing send, retry and
    /// run-due on SQLite, which they take themselves for the only sender of (a crashed run's
    /// claims are resolved at once). After a crash, 0 resolves the dead run's claims without
    /// waiting, if no other sender is at work on the mailing.
    #[arg(long, value_name = "SECONDS")]
    pub(crate) claim_lease: Option<u32>,
}

impl SendOptions {
    /// The options [`build`] takes for the provider `name`.
    pub(crate) fn provider_options(&self, name: ProviderName) -> ProviderOptions<'_> {
        ProviderOptions {
            name,
            from: self.from.as_deref(),
            outbox: self.outbox.as_deref(),
            api_base: self.api_base.as_deref(),
            timeout: self.timeout,
        }
    }

    /// The sender of every message, checked.
    pub(crate) fn sender(&self) -> Result<Option<Sender>, Failure> {
        self.from
            .as_deref()
            .map(|from| {
                Sender::parse(from).map_err(|error| usage(format!("--from: {}", error.message())))
            })
            .transpose()
    }
}

/// `--timeout`: seconds, more than 0 and at most an hour.
pub(crate) fn parse_timeout(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !(seconds > 0.0 && seconds <= 3600.0) {
        return Err(format!(
            "the timeout must be between 0 and 3600 seconds, not {text}"
        ));
    }
    Duration::try_from_secs_f64(seconds).map_err(|error| error.to_string())
}

/// `--rate`: segments per second, more than 0 and at most 10,000; a fraction spaces the
/// segments by more than a second.
pub(crate) fn parse_rate(text: &str) -> Result<Rate, String> {
    let per_second: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of segments per second"))?;
    if !(per_second > 0.0 && per_second <= 10_000.0) {
        return Err(format!(
            "the rate must be more than 0 and at most 10000 segments per second, not {text}"
        ));
    }
    let rate = if per_second.fract() == 0.0 {
        // An integer in 1..=10_000: the cast is exact.
        Rate::per_second(per_second as u32)
    } else {
        Duration::try_from_secs_f64(1.0 / per_second)
            .ok()
            .and_then(|every| Rate::new(1, every))
    };
    rate.ok_or_else(|| format!("`{text}` is not a usable rate"))
}

/// The provider the options name.
pub(crate) fn build(options: ProviderOptions<'_>) -> Result<Box<dyn Provider>, Failure> {
    let transport = || {
        let connect = options.timeout.min(Duration::from_secs(10));
        Arc::new(UreqTransport::with_timeouts(connect, options.timeout))
    };
    let needs_from = |name: &str| {
        if options.from.is_none() {
            Err(usage(format!(
                "--provider {name} needs --from (the sender)"
            )))
        } else {
            Ok(())
        }
    };
    match options.name {
        ProviderName::Stub => Ok(Box::new(StubProvider::new())),
        ProviderName::File => {
            let Some(dir) = options.outbox else {
                return Err(usage("--provider file needs --outbox DIR"));
            };
            let outbox = FileProvider::new(dir).map_err(|error| Failure::new(error.message()))?;
            Ok(Box::new(outbox))
        }
        ProviderName::Twilio => {
            needs_from("twilio")?;
            let sid = credential("TWILIO_ACCOUNT_SID")?;
            let token = credential("TWILIO_AUTH_TOKEN")?;
            let mut config =
                TwilioConfig::new(&sid, &token).map_err(|error| usage(error.message()))?;
            if let Some(base) = options.api_base {
                config = config
                    .with_api_base(base)
                    .map_err(|error| usage(error.message()))?;
            }
            Ok(Box::new(Twilio::new(config, transport())))
        }
        ProviderName::Vonage => {
            needs_from("vonage")?;
            let key = credential("VONAGE_API_KEY")?;
            let secret = credential("VONAGE_API_SECRET")?;
            let mut config =
                VonageConfig::new(&key, &secret).map_err(|error| usage(error.message()))?;
            if let Some(base) = options.api_base {
                config = config
                    .with_api_base(base)
                    .map_err(|error| usage(error.message()))?;
            }
            Ok(Box::new(Vonage::new(config, transport())))
        }
    }
}

fn credential(name: &str) -> Result<String, Failure> {
    match env::var(name) {
        Ok(value) if !value.is_empty() => Ok(value),
        _ => Err(usage(format!("the environment variable {name} is not set"))),
    }
}

/// Invalid arguments or missing credentials: exit status 2.
pub(crate) fn usage(message: impl Display) -> Failure {
    Failure::with_code(message, 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_positive_and_bounded() {
        assert_eq!(parse_rate("10"), Ok(Rate::per_second(10).unwrap()));
        assert_eq!(
            parse_rate("0.5"),
            Ok(Rate::new(1, Duration::from_secs(2)).unwrap())
        );
        for bad in ["0", "-1", "abc", "10001", "NaN", "inf"] {
            assert!(parse_rate(bad).is_err(), "{bad}");
        }
    }
}
