//! `smskit webhook`: provider webhooks.

use std::io::Read as _;
use std::process::ExitCode;
use std::time::Duration;

use smskit::chrono::{DateTime, Utc};
use smskit::provider::twilio::SignatureValidator;
use smskit::provider::vonage::{
    DEFAULT_TOLERANCE, SignatureMethod, SignatureVerifier, webhook_params,
};
use smskit::provider::{Body, http, parse_form};

use crate::failure::Failure;
use crate::output;

const VERIFY_TWILIO_EXAMPLES: &str = "\
Examples:
  smskit webhook verify twilio --url 'https://mycompany.com/myapp.php?foo=1&bar=2' \\
    --token 12345 --signature 0/KCTR6DLpKmkAf8muzZqo1nDgQ= \\
    --param CallSid=CA1234567890ABCDE --param Caller=+12349013030 --param Digits=1234 \\
    --param From=+12349013030 --param To=+18005551212
  TWILIO_AUTH_TOKEN=… smskit webhook verify twilio --url https://example.com/sms/status \\
    --signature \"$SIGNATURE\" --body 'MessageSid=SM1&MessageStatus=delivered' --json

Prints `valid` (exit 0) or `invalid` (exit 1); with --json, {\"valid\": true|false}. An empty
token is a usage error (exit 2).";

const VERIFY_VONAGE_EXAMPLES: &str = "\
Examples:
  smskit webhook verify vonage --secret my_secret_key_for_testing --method md5hash \\
    --now 1385047698 --param 'message-timestamp=2013-11-21 15:27:30' \\
    --param messageId=020000001B0FE827 --param msisdn=14843472194 --param 'text=Test again' \\
    --param timestamp=1385047698 --param to=13239877404 --param type=text \\
    --param sig=d2e7b1dc968737c5998ad624e02f90b7
  VONAGE_SIGNATURE_SECRET=… smskit webhook verify vonage --method sha256 --json < receipt.json
  echo 'messageId=X&status=delivered&timestamp=1700000000&sig=…' | \\
    VONAGE_SIGNATURE_SECRET=… smskit webhook verify vonage --method sha512 --tolerance 60

Prints `valid` (exit 0), or `invalid` and the reason on stderr (exit 1); with --json,
{\"valid\": true} or {\"valid\": false, \"error\": \"…\"}. A missing or empty secret, an unknown
method or an unreadable --now is a usage error (exit 2).";

/// Webhook tools.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum WebhookCommand {
    /// Check a webhook's signature.
    #[command(subcommand, after_help = crate::help::WEBHOOK)]
    Verify(VerifyCommand),
}

/// The providers whose webhook signatures can be checked.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum VerifyCommand {
    /// Check an `X-Twilio-Signature`: base64 HMAC-SHA1 of the URL and the sorted POST
    /// parameters with the auth token. The URL is also tried with the default port added or
    /// removed; the comparison is constant-time.
    #[command(after_help = VERIFY_TWILIO_EXAMPLES)]
    Twilio(TwilioVerifyArgs),
    /// Check a Vonage signed webhook (delivery receipt or inbound SMS): the `sig` parameter
    /// over the other parameters sorted by name, with the account's signature secret and the
    /// dashboard's method, and a `timestamp` within the tolerance of now. The comparison is
    /// constant-time.
    #[command(after_help = VERIFY_VONAGE_EXAMPLES)]
    Vonage(VonageVerifyArgs),
}

/// Arguments of `smskit webhook verify twilio`.
#[derive(Debug, clap::Args)]
pub(crate) struct TwilioVerifyArgs {
    /// The full URL Twilio requested, query string included.
    #[arg(long)]
    url: String,

    /// The account's auth token (not empty).
    #[arg(long, env = "TWILIO_AUTH_TOKEN", hide_env_values = true)]
    token: String,

    /// The value of the `X-Twilio-Signature` header.
    #[arg(long)]
    signature: String,

    /// A POST parameter, `NAME=VALUE` (repeat for each; a name may repeat).
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = parse_param)]
    params: Vec<(String, String)>,

    /// The raw form-encoded POST body; its parameters are added to the --param ones.
    #[arg(long, value_name = "FORM")]
    body: Option<String>,

    /// Print `{"valid": true|false}`.
    #[arg(long)]
    json: bool,
}

/// Arguments of `smskit webhook verify vonage`.
#[derive(Debug, clap::Args)]
pub(crate) struct VonageVerifyArgs {
    /// The account's signature secret (not empty).
    #[arg(long, env = "VONAGE_SIGNATURE_SECRET", hide_env_values = true)]
    secret: String,

    /// The signature method set in the Vonage dashboard: md5hash, md5, sha1, sha256 or sha512
    /// (the HMACs).
    #[arg(long, default_value = "md5hash", value_parser = parse_method)]
    method: SignatureMethod,

    /// A webhook parameter, `NAME=VALUE` (repeat for each, `sig` and `timestamp` included).
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = parse_param)]
    params: Vec<(String, String)>,

    /// The webhook's body (a form or a JSON object); read from standard input when neither
    /// --param nor --body is given.
    #[arg(long, value_name = "BODY")]
    body: Option<String>,

    /// The time to check the webhook's `timestamp` against: Unix seconds or RFC 3339; the
    /// clock by default.
    #[arg(long, value_name = "TIME", value_parser = parse_now)]
    now: Option<DateTime<Utc>>,

    /// How far, in seconds, the `timestamp` may be from now.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_TOLERANCE.as_secs())]
    tolerance: u64,

    /// Print `{"valid": true}` or `{"valid": false, "error": "…"}`.
    #[arg(long)]
    json: bool,
}

fn parse_param(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .ok_or_else(|| format!("`{text}` is not NAME=VALUE"))
}

fn parse_method(text: &str) -> Result<SignatureMethod, String> {
    text.parse()
        .map_err(|error: smskit::provider::Error| error.message().to_owned())
}

fn parse_now(text: &str) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<i64>() {
        return DateTime::from_timestamp(seconds, 0)
            .ok_or_else(|| format!("{seconds} is out of range"));
    }
    DateTime::parse_from_rfc3339(text)
        .map(|time| time.with_timezone(&Utc))
        .map_err(|_| format!("`{text}` is neither Unix seconds nor an RFC 3339 time"))
}

/// Runs a `smskit webhook` subcommand.
pub(crate) fn run(command: WebhookCommand) -> Result<ExitCode, Failure> {
    match command {
        WebhookCommand::Verify(VerifyCommand::Twilio(args)) => verify_twilio(args),
        WebhookCommand::Verify(VerifyCommand::Vonage(args)) => verify_vonage(args),
    }
}

fn verify_twilio(args: TwilioVerifyArgs) -> Result<ExitCode, Failure> {
    let validator = SignatureValidator::new(&args.token)
        .map_err(|error| Failure::with_code(format!("--token: {}", error.message()), 2))?;
    let mut params = args.params;
    if let Some(body) = &args.body {
        params.extend(parse_form(body.as_bytes()));
    }
    let valid = validator.is_valid(&args.url, &params, &args.signature);
    if args.json {
        output::line(serde_json::json!({ "valid": valid }))?;
    } else {
        output::line(if valid { "valid" } else { "invalid" })?;
    }
    Ok(if valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn verify_vonage(args: VonageVerifyArgs) -> Result<ExitCode, Failure> {
    let verifier = SignatureVerifier::new(&args.secret, args.method)
        .map_err(|error| Failure::with_code(format!("--secret: {}", error.message()), 2))?
        .with_tolerance(Duration::from_secs(args.tolerance));
    let body = match args.body {
        Some(body) => body.into_bytes(),
        None if args.params.is_empty() => {
            let mut body = Vec::new();
            std::io::stdin().read_to_end(&mut body)?;
            body
        }
        None => Vec::new(),
    };
    // The body is read as Vonage posts it (a form or a JSON object); --param adds to it.
    let request = http::Request::post("https://webhook.invalid/")
        .body(Body::from(body))
        .map_err(|error| Failure::new(format_args!("cannot hold the webhook body: {error}")))?;
    let now = args
        .now
        .unwrap_or_else(|| DateTime::<Utc>::from(std::time::SystemTime::now()));
    let outcome = if args.params.is_empty() {
        verifier.verify_request(&request, now)
    } else if request.body().is_empty() {
        verifier.verify(&args.params, now)
    } else {
        let mut params = args.params;
        params.extend(
            webhook_params(&request)
                .map_err(|error| Failure::with_code(format!("--body: {}", error.message()), 2))?,
        );
        verifier.verify(&params, now)
    };
    match (outcome, args.json) {
        (Ok(_), true) => output::line(serde_json::json!({ "valid": true }))?,
        (Ok(_), false) => output::line("valid")?,
        (Err(error), true) => {
            output::line(serde_json::json!({ "valid": false, "error": error.message() }))?;
            return Ok(ExitCode::from(1));
        }
        (Err(error), false) => {
            output::line("invalid")?;
            return Err(Failure::new(error.message()));
        }
    }
    Ok(ExitCode::SUCCESS)
}
