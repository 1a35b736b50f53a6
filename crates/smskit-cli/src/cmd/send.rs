//! `smskit send`: send one SMS through a provider and print the receipt.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use smskit::phone::{self, Region};
use smskit::provider::{OutboundMessage, Provider, Sender};

use crate::failure::Failure;
use crate::output;
use crate::providers::{self, ProviderName, ProviderOptions, parse_timeout, usage};

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
    providers::build(ProviderOptions {
        name: args.provider,
        from: args.from.as_deref(),
        outbox: args.outbox.as_deref(),
        api_base: args.api_base.as_deref(),
        timeout: args.timeout,
    })
}
