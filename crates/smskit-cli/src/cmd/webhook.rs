//! `smskit webhook`: provider webhooks.

use std::process::ExitCode;

use smskit::provider::parse_form;
use smskit::provider::twilio::validate_signature;

use crate::failure::Failure;
use crate::output;

const VERIFY_TWILIO_EXAMPLES: &str = "\
Examples:
  smskit webhook verify twilio --url 'https://mycompany.com/myapp.php?foo=1&bar=2' \\
    --token 12345 --signature 0/KCTR6DLpKmkAf8muzZqo1nDgQ= \\
    --param CallSid=CA1234567890ABCDE --param Caller=+12349013030 --param Digits=1234 \\
    --param From=+12349013030 --param To=+18005551212
  smskit webhook verify twilio --url https://example.com/sms/status --token \"$TWILIO_AUTH_TOKEN\" \\
    --signature \"$SIGNATURE\" --body 'MessageSid=SM1&MessageStatus=delivered'

Prints `valid` (exit 0) or `invalid` (exit 1).";

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
}

/// Arguments of `smskit webhook verify twilio`.
#[derive(Debug, clap::Args)]
pub(crate) struct TwilioVerifyArgs {
    /// The full URL Twilio requested, query string included.
    #[arg(long)]
    url: String,

    /// The account's auth token.
    #[arg(long)]
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
}

fn parse_param(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .ok_or_else(|| format!("`{text}` is not NAME=VALUE"))
}

/// Runs a `smskit webhook` subcommand.
pub(crate) fn run(command: WebhookCommand) -> Result<ExitCode, Failure> {
    match command {
        WebhookCommand::Verify(VerifyCommand::Twilio(args)) => verify_twilio(args),
    }
}

fn verify_twilio(args: TwilioVerifyArgs) -> Result<ExitCode, Failure> {
    let mut params = args.params;
    if let Some(body) = &args.body {
        params.extend(parse_form(body.as_bytes()));
    }
    if validate_signature(&args.token, &args.url, &params, &args.signature) {
        output::line("valid")?;
        Ok(ExitCode::SUCCESS)
    } else {
        output::line("invalid")?;
        Ok(ExitCode::from(1))
    }
}
