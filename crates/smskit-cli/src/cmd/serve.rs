//! `smskit serve`: the HTTP side of smskit (`smskit_http::router`) over the database of
//! `--db`: short-link redirects, opt-out pages, provider webhooks, the dashboard, health and
//! metrics, until SIGTERM / SIGINT.

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;

use serde::Serialize;
use smskit::provider::vonage::SignatureMethod;
use smskit::{Engine, Settings};
use smskit_http::{EngineHandle, HttpConfig};

use crate::cmd::mailing::{OPT_OUT_SECRET, link_settings, opt_out_secret};
use crate::db::{self, DbArgs};
use crate::failure::Failure;
use crate::output;
use crate::providers::usage;

/// The admin token's variable: without it the command refuses to start.
const ADMIN_TOKEN: &str = "SMSKIT_ADMIN_TOKEN";

/// How often a SQLite database's log is checkpointed while serving: small checkpoints often,
/// each a short sync (see `SqliteStore::with_background_checkpoints`); on an idle database
/// one is a few microseconds' check.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(25);

const SERVE_EXAMPLES: &str = "\
Examples:
  SMSKIT_ADMIN_TOKEN=… TWILIO_AUTH_TOKEN=… smskit serve --db campaigns.db \\
    --public-url https://sms.example.com
  SMSKIT_ADMIN_TOKEN=… VONAGE_SIGNATURE_SECRET=… smskit serve --listen 0.0.0.0:8080 \\
    --public-url https://sms.example.com --db postgres://smskit@db.example/crm

Routes: /r/CODE and /r/CODE/s/TRACE (short links: a redirect, the click recorded),
/sms/MAILING/TRACE/TOKEN (opt-out pages: a GET asks, only the POST opts out),
/webhooks/twilio/status, /webhooks/twilio/inbound, /webhooks/vonage/dlr,
/webhooks/vonage/inbound (signatures checked against --public-url), /admin/ (the dashboard,
behind $SMSKIT_ADMIN_TOKEN as a Bearer token or the password of HTTP Basic), /healthz and
/metrics (Prometheus).

--public-url is the address the world reaches this server at, behind any proxy: the
providers sign their webhooks for it, and the short links and opt-out links of the mailings
(their --link-base) must be under it (or under --link-base, when the short links have a
domain of their own that reaches this server).

Secrets come from the environment: SMSKIT_ADMIN_TOKEN (required), TWILIO_AUTH_TOKEN and
VONAGE_SIGNATURE_SECRET (a provider's webhooks are refused with 403 without its secret),
VONAGE_SIGNATURE_METHOD (md5hash, md5, sha1, sha256 or sha512; default md5hash) and
SMSKIT_OPT_OUT_SECRET (the secret the mailings' opt-out links were signed with).

SIGTERM or SIGINT stops the server gracefully: the requests in flight are answered and every
click answered is written before the command exits.

Exit status: 0 stopped by a signal; 1 the address or the database could not be used; 2
invalid arguments or a missing admin token.";

/// Arguments of `smskit serve`.
#[derive(Debug, clap::Args)]
#[command(after_help = SERVE_EXAMPLES)]
pub(crate) struct ServeArgs {
    /// The address to listen on (port 0 picks a free port).
    #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,

    /// The URL the world reaches this server at (an http or https URL; a path when the server
    /// is behind a proxy under a prefix).
    #[arg(long, value_name = "URL")]
    public_url: String,

    /// The base of the short links, when not --public-url (the --link-base the mailings were
    /// created with; its path must be that of --public-url).
    #[arg(long, value_name = "URL")]
    link_base: Option<String>,

    /// Print the listening address as JSON once bound.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    db: DbArgs,
}

/// What `smskit serve` prints once it listens.
#[derive(Debug, Serialize)]
struct Listening {
    listening: SocketAddr,
    public_url: String,
}

/// Runs `smskit serve`.
pub(crate) fn run(args: &ServeArgs) -> Result<ExitCode, Failure> {
    let admin_token = secret(ADMIN_TOKEN).ok_or_else(|| {
        usage(format_args!(
            "set {ADMIN_TOKEN}: the dashboard is not served without an admin token"
        ))
    })?;
    let public_url = args.public_url.trim().trim_end_matches('/');
    let link_base = args.link_base.as_deref().unwrap_or(public_url);
    let settings = link_settings(
        Settings::new(),
        "--public-url",
        Some(link_base),
        opt_out_secret().is_some(),
    )?;
    let mut config = HttpConfig::new(public_url, admin_token);
    if let Some(token) = secret("TWILIO_AUTH_TOKEN") {
        config = config.with_twilio_auth_token(token);
    }
    if let Some(secret) = secret("VONAGE_SIGNATURE_SECRET") {
        config = config.with_vonage_signature_secret(secret);
    }
    if let Some(method) = secret("VONAGE_SIGNATURE_METHOD") {
        let method: SignatureMethod = method.parse().map_err(|_| {
            usage(format_args!(
                "VONAGE_SIGNATURE_METHOD: `{}` is not md5hash, md5, sha1, sha256 or sha512",
                output::printable(&method)
            ))
        })?;
        config = config.with_vonage_signature_method(method);
    }
    if opt_out_secret().is_none() {
        output::warning(format_args!(
            "{OPT_OUT_SECRET} is not set: opt-out links answer 404"
        ));
    }

    // A click is answered once committed: on SQLite the log's checkpoints must not run
    // inside those commits (the latency tail), so a thread of their own runs them.
    let store = match db::open_store(&args.db.db)? {
        db::Db::Sqlite(store) => db::Db::Sqlite(
            store
                .with_background_checkpoints(CHECKPOINT_EVERY)
                .map_err(|error| {
                    Failure::new(format_args!("cannot start the checkpoint thread: {error}"))
                })?,
        ),
        other => other,
    };
    let (engine, engine_thread) = EngineHandle::spawn_joinable(Engine::new(store, settings));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("smskit-serve")
        .build()
        .map_err(|error| Failure::new(format_args!("cannot start the runtime: {error}")))?;
    let served = runtime.block_on(serve(args, public_url, engine, config));
    // Every connection is closed: dropping the runtime drops the last handles to the engine,
    // whose thread then writes what is queued and stops.
    drop(runtime);
    let joined = engine_thread.join();
    served?;
    joined.map_err(|error| Failure::new(format_args!("the engine thread failed: {error}")))?;
    output::stderr_text("smskit serve: stopped\n");
    Ok(ExitCode::SUCCESS)
}

/// Binds, says where, and serves until a signal.
async fn serve(
    args: &ServeArgs,
    public_url: &str,
    engine: EngineHandle<db::Db>,
    config: HttpConfig,
) -> Result<(), Failure> {
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|error| Failure::new(format_args!("cannot listen on {}: {error}", args.listen)))?;
    let listening = listener
        .local_addr()
        .map_err(|error| Failure::new(format_args!("cannot listen on {}: {error}", args.listen)))?;
    let report = Listening {
        listening,
        public_url: public_url.to_owned(),
    };
    {
        let mut out = output::stdout();
        if args.json {
            serde_json::to_writer(&mut out, &report)?;
            writeln!(out)?;
        } else {
            writeln!(
                out,
                "listening on http://{listening} (public URL {})",
                output::printable(public_url)
            )?;
        }
        out.flush()?;
    }
    let app =
        smskit_http::router(engine, config).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(stop_signal())
        .await
        .map_err(|error| Failure::new(format_args!("the server failed: {error}")))
}

/// Resolves on the first SIGTERM or SIGINT.
async fn stop_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut interrupt)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        // Without signal handlers the server runs until killed.
        return std::future::pending().await;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = interrupt.recv() => {}
    }
    output::stderr_text("smskit serve: stopping (answering the requests in flight)\n");
}

/// A non-empty environment variable.
fn secret(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}
