//! `smskit report`: apply a provider's delivery report given as its webhook's parameters.

use std::io::Read as _;
use std::process::ExitCode;

use serde::Serialize;
use smskit::chrono::{DateTime, Utc};
use smskit::phone::E164;
use smskit::provider::DeliveryReport;
use smskit::provider::parse_form;
use smskit::provider::twilio::parse_status_callback;
use smskit::provider::vonage::{SignatureMethod, SignatureVerifier, parse_delivery_receipt};
use smskit::{Engine, Settings, Store};

use crate::cmd::blacklist::print;
use crate::db::{self, DbArgs};
use crate::failure::Failure;
use crate::output;

const TWILIO_EXAMPLES: &str = "\
Examples:
  smskit report twilio --param MessageSid=SM1f0e8ae6ade43cb3c0ce4525424e404f \\
    --param MessageStatus=delivered
  smskit report twilio --param MessageSid=SM1f0e8ae6ade43cb3c0ce4525424e404f \\
    --param MessageStatus=undelivered --param ErrorCode=30003 --at 2026-05-01T09:00:00Z --json
  echo 'MessageSid=SM1f0e8ae6ade43cb3c0ce4525424e404f&MessageStatus=sent' | smskit report twilio --body -

The parameters are those of Twilio's status callback (MessageSid, MessageStatus, ErrorCode,
ErrorMessage...), trusted as given: no signature is checked (an operator replaying reports
from a log). A report changes its trace only when it brings news: a late `sent` never
downgrades a `delivered`. A report that the recipient opted out (error 21610: they replied
STOP) also blacklists the number.

Exit status: 0 the report was read (applied, or old news, or about a message the database
does not know: the output says which), 2 it is not a delivery report.";

const VONAGE_EXAMPLES: &str = "\
Examples:
  smskit report vonage --param messageId=0A0000001234567B --param status=delivered \\
    --param msisdn=447700900000 --param 'message-timestamp=2026-01-01 14:00:00'
  smskit report vonage --param messageId=0A0000001234567B --param status=failed \\
    --param err-code=1 --json

The parameters are those of Vonage's delivery receipt (messageId, status, err-code,
message-timestamp, msisdn...), trusted as given: no signature is checked, `sig` and
`timestamp` are ignored.

Exit status: 0 the report was read (applied, or old news, or about a message the database
does not know: the output says which), 2 it is not a delivery report.";

/// Apply a delivery report given as a provider webhook's parameters.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum ReportCommand {
    /// A Twilio status callback.
    #[command(after_help = TWILIO_EXAMPLES)]
    Twilio(ReportArgs),
    /// A Vonage delivery receipt.
    #[command(after_help = VONAGE_EXAMPLES)]
    Vonage(ReportArgs),
}

/// Arguments of `smskit report twilio|vonage`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("params").required(true).args(["param", "body"])))]
pub(crate) struct ReportArgs {
    /// A parameter of the webhook, as NAME=VALUE (repeat the option).
    #[arg(long, value_name = "NAME=VALUE", value_parser = parse_param)]
    param: Vec<(String, String)>,

    /// The webhook's form body (`a=1&b=2`, percent-encoded), or `-` to read it from standard
    /// input.
    #[arg(long, value_name = "FORM")]
    body: Option<String>,

    /// When the provider posted the report (RFC 3339), for a report replayed from a log
    /// (default: now; a Vonage receipt's own message-timestamp wins).
    #[arg(long, value_name = "TIME", value_parser = db::parse_time)]
    at: Option<DateTime<Utc>>,

    /// Print JSON: {"message_id", "status", "failure_type", "trace"} (trace null when nothing
    /// changed).
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    db: DbArgs,
}

fn parse_param(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .ok_or_else(|| format!("`{text}` is not NAME=VALUE"))
}

/// What applying a report did.
#[derive(Debug, Serialize)]
struct Applied {
    provider: String,
    message_id: String,
    status: &'static str,
    failure_type: Option<&'static str>,
    /// The trace it changed, if any.
    trace: Option<i64>,
    /// The number blacklisted because the report says its owner opted out.
    blacklisted: Option<E164>,
}

/// Runs `smskit report ...`.
pub(crate) fn run(command: ReportCommand) -> Result<ExitCode, Failure> {
    let (args, vonage) = match command {
        ReportCommand::Twilio(args) => (args, false),
        ReportCommand::Vonage(args) => (args, true),
    };
    let mut params = args.param.clone();
    if let Some(body) = &args.body {
        let mut text = body.clone();
        if body == "-" {
            text.clear();
            std::io::stdin().read_to_string(&mut text)?;
        }
        params.extend(parse_form(text.trim().as_bytes()));
    }
    let now = args.at.unwrap_or_else(db::now);
    let report = if vonage {
        vonage_report(&params, now)
    } else {
        parse_status_callback(&params, now)
    }
    .map_err(|error| Failure::with_code(output::printable(&error.to_string()), 2))?;
    let mut engine = db::open(&args.db.db, Settings::new())?;
    let applied = apply(&mut engine, &report)?;
    if let Some(number) = applied.blacklisted {
        output::warning(format_args!(
            "{number} opted out at the provider: it is blacklisted"
        ));
    }
    print(args.json, &applied, || match applied.trace {
        Some(trace) => format!(
            "trace {trace} is now {}{}",
            applied.status,
            applied
                .failure_type
                .map(|failure| format!(" ({failure})"))
                .unwrap_or_default()
        ),
        None => format!(
            "nothing changed: no trace has the message {}, or it already has later news",
            output::printable(&applied.message_id)
        ),
    })
}

/// Applies `report`; one that says the recipient opted out (Twilio's 21610) also blacklists
/// the number (the report's `To`, else the number of the message's trace).
fn apply<S: Store>(engine: &mut Engine<S>, report: &DeliveryReport) -> Result<Applied, Failure> {
    let blacklisted_before = |engine: &Engine<S>, number| {
        engine
            .store()
            .blacklist_entry(number)
            .map(|entry| entry.is_some_and(|entry| entry.active))
            .map_err(db::store_failure)
    };
    // The engine blacklists the number of an opt-out report; this only says whether it was
    // news (known when the report names its recipient).
    let blacklisted = match report.to {
        Some(to) if report.is_opt_out() && !blacklisted_before(engine, to)? => Some(to),
        _ => None,
    };
    let trace = engine.apply_report(report).map_err(db::failure)?;
    Ok(Applied {
        blacklisted,
        provider: report.provider.clone(),
        message_id: report.message_id.clone(),
        status: report.status.as_str(),
        failure_type: report.failure.map(|failure| failure.as_str()),
        trace: trace.map(|trace| trace.0),
    })
}

/// A Vonage receipt from trusted parameters. The provider crate reads receipts only after
/// their signature is checked, so the parameters are signed here with a key of our own and
/// checked at once: the parser is the provider crate's, unchanged.
fn vonage_report(
    params: &[(String, String)],
    now: DateTime<Utc>,
) -> smskit::provider::Result<DeliveryReport> {
    // The key signs parameters this process holds and forgets at once: it guards nothing.
    let verifier = SignatureVerifier::new(
        "smskit report vonage: trusted parameters",
        SignatureMethod::Sha256Hmac,
    )?;
    let mut signed: Vec<(String, String)> = params
        .iter()
        .filter(|(name, _)| name != "sig" && name != "timestamp")
        .cloned()
        .collect();
    signed.push(("timestamp".to_owned(), now.timestamp().to_string()));
    let sig = verifier.sign(&signed);
    signed.push(("sig".to_owned(), sig));
    let verified = verifier.verify(&signed, now)?;
    parse_delivery_receipt(&verified, None, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use smskit::provider::{FailureType, TraceStatus};

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn vonage_receipts_are_read_without_a_signature() {
        let now = DateTime::from_timestamp(1_767_276_000, 0).unwrap();
        let report = vonage_report(
            &params(&[
                ("messageId", "0A01"),
                ("status", "failed"),
                ("err-code", "1"),
                ("timestamp", "1"),
                ("sig", "forged"),
                ("message-timestamp", "2026-01-01 14:00:00"),
            ]),
            now,
        )
        .unwrap();
        assert_eq!(report.message_id, "0A01");
        assert_eq!(report.status, TraceStatus::Error);
        assert!(report.failure.is_some_and(|f| f != FailureType::Unknown));
        assert_eq!(report.at.to_rfc3339(), "2026-01-01T14:00:00+00:00");
        // A repeated parameter is ambiguous: refused, as from the provider.
        assert!(
            vonage_report(
                &params(&[
                    ("messageId", "a"),
                    ("messageId", "b"),
                    ("status", "delivered")
                ]),
                now
            )
            .is_err()
        );
        assert!(vonage_report(&params(&[("status", "delivered")]), now).is_err());
    }
}
