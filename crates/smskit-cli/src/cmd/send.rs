//! `smskit send`: send one SMS through a provider and print the receipt.

use std::env;
use std::fmt::Display;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use smskit::phone::{self, Region};
use smskit::provider::twilio::{Twilio, TwilioConfig};
use smskit::provider::vonage::{Vonage, VonageConfig};
use smskit::provider::{
    FileProvider, OutboundMessage, Provider, Sender, StubProvider, UreqTransport,
};

use crate::failure::Failure;
use crate::output;

const SEND_EXAMPLES: &str = "\
Examples:
  smskit send --provider stub --to +32470123456 --body \"Hello\"
  smskit send --provider file --outbox ./outbox --to +32470123456 --body \"Hello\"
  smskit send --provider stub --country BE --to \"0470 12 34 56\" --body \"Hello\"
  TWILIO_ACCOUNT_SID=AC… TWILIO_AUTH_TOKEN=… \\
    smskit send --provider twilio --from +32460200000 --to +32470123456 --body \"Hello\" \\
      --status-callback https://example.com/sms/status
  VONAGE_API_KEY=… VONAGE_API_SECRET=… \\
    smskit send --provider vonage --from ACME --to +447700900000 --body \"Hello\"

Exit status: 0 sent (the receipt is printed as JSON), 1 the provider refused or failed
(the error class — retryable, permanent or unknown —, the provider's code and message are
printed on stderr), 2 invalid arguments or missing credentials.";

/// Send one SMS through a provider and print the receipt as JSON.
///
/// Credentials come from the environment: `TWILIO_ACCOUNT_SID` and `TWILIO_AUTH_TOKEN` for
/// Twilio, `VONAGE_API_KEY` and `VONAGE_API_SECRET` for Vonage. Errors about them never show
/// their values.
#[derive(Debug, clap::Args)]
#[command(after_help = SEND_EXAMPLES)]
pub(crate) struct SendArgs {
    /// The provider: `twilio`, `vonage`, `file` (writes the message as JSON into --outbox) or
    /// `stub` (accepts without sending).
    #[arg(long, value_enum)]
    provider: ProviderName,

    /// The destination, in international form (`+32470123456` or `0032470123456`), or national
    /// with --country.
    #[arg(long, value_name = "NUMBER")]
    to: String,

    /// Country (ISO 3166-1 alpha-2, e.g. BE) in which a national --to such as `0470 12 34 56`
    /// is read.
    #[arg(long, short = 'c', value_name = "CC")]
    country: Option<Region>,

    /// The text (not empty).
    #[arg(long, value_name = "TEXT", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    body: String,

    /// The sender: a number (`+32460200000`), an alphanumeric id (`ACME`), a short code, or a
    /// Twilio Messaging Service SID (`MG…`). Required for Twilio and Vonage.
    #[arg(long, value_name = "NUMBER")]
    from: Option<String>,

    /// Where the provider posts delivery reports for this message.
    #[arg(long, value_name = "URL")]
    status_callback: Option<String>,

    /// The outbox directory of the file provider (created if needed).
    #[arg(long, value_name = "DIR")]
    outbox: Option<PathBuf>,

    /// Send to another server than the provider's (a test double, a proxy): an absolute http(s)
    /// URL without query, fragment or credentials.
    #[arg(long, value_name = "URL")]
    api_base: Option<String>,

    /// Give up on the provider after this many seconds; a timeout after the request left is
    /// reported as an unknown outcome (the message may have been sent).
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = parse_timeout)]
    timeout: Duration,
}

/// The providers `smskit send` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ProviderName {
    Twilio,
    Vonage,
    File,
    Stub,
}

fn parse_timeout(text: &str) -> Result<Duration, String> {
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

/// Runs `smskit send`.
pub(crate) fn run(args: SendArgs) -> Result<ExitCode, Failure> {
    let to = phone::parse(&args.to, args.country)
        .map_err(|error| usage(format!("--to {}: {error}", args.to)))?;
    let mut message = OutboundMessage::new(to, args.body.clone());
    if let Some(from) = &args.from {
        let sender =
            Sender::parse(from).map_err(|error| usage(format!("--from: {}", error.message())))?;
        message = message.with_from(sender);
    }
    if let Some(url) = &args.status_callback {
        message = message.with_status_callback(url.clone());
    }
    let provider = provider(&args)?;
    match provider.send(&message) {
        Ok(receipt) => {
            let json = serde_json::to_string_pretty(&receipt)
                .map_err(|error| Failure::new(format!("cannot print the receipt: {error}")))?;
            output::line(json)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => Err(Failure::new(format!(
            "{} [failure type {}]",
            output::printable(&error.to_string()),
            error.failure_type()
        ))),
    }
}

fn provider(args: &SendArgs) -> Result<Box<dyn Provider>, Failure> {
    let transport = || {
        let connect = args.timeout.min(Duration::from_secs(10));
        Arc::new(UreqTransport::with_timeouts(connect, args.timeout))
    };
    let needs_from = |name: &str| {
        if args.from.is_none() {
            Err(usage(format!(
                "--provider {name} needs --from (the sender)"
            )))
        } else {
            Ok(())
        }
    };
    match args.provider {
        ProviderName::Stub => Ok(Box::new(StubProvider::new())),
        ProviderName::File => {
            let Some(dir) = &args.outbox else {
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
            if let Some(base) = &args.api_base {
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
            if let Some(base) = &args.api_base {
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
fn usage(message: impl Display) -> Failure {
    Failure::with_code(message, 2)
}
