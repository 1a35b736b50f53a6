//! A campaign sent to three contacts over SQLite, and the router serving it over real HTTP on
//! 127.0.0.1; requests go out with ureq (redirects not followed, every status returned).

#![allow(dead_code, unreachable_pub)]

use std::net::SocketAddr;
use std::path::PathBuf;

use smskit::links::Shortener;
use smskit::model::{Audience, ListId, MailingId, NewContact, NewMailing, Trace};
use smskit::optout::OptOutLinks;
use smskit::provider::{SimulatedClock, StubProvider};
use smskit::{Engine, Settings, Store};
use smskit_http::{EngineHandle, EngineThread, HttpConfig, router};
use smskit_store_sqlite::SqliteStore;

pub const TWILIO_TOKEN: &str = "twilio-auth-token-for-tests";
pub const VONAGE_SECRET: &str = "vonage-signature-secret";
pub const OPT_OUT_SECRET: &[u8] = b"an opt-out secret of 32 bytes!!!";

/// A served campaign.
pub struct Served {
    /// `http://127.0.0.1:PORT`: the public URL too.
    pub base: String,
    pub mailing: MailingId,
    pub list: ListId,
    /// The SMS bodies as sent, one per contact.
    pub bodies: Vec<String>,
    /// The traces that were sent, by id.
    pub traces: Vec<Trace>,
    pub db: PathBuf,
    pub agent: ureq::Agent,
    runtime: Option<tokio::runtime::Runtime>,
    thread: Option<EngineThread<SqliteStore>>,
    _dir: tempfile::TempDir,
}

impl Served {
    /// Starts a server with `configure` applied to the configuration.
    pub fn start(configure: impl FnOnce(HttpConfig) -> HttpConfig) -> Served {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("smskit.db");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let address: SocketAddr = listener.local_addr().unwrap();
        let base = format!("http://{address}");

        let settings = Settings::new()
            .with_links(Shortener::new(&base).unwrap())
            .with_opt_out_links(OptOutLinks::new(&base, OPT_OUT_SECRET).unwrap());
        let mut engine = Engine::new(SqliteStore::open(&db).unwrap(), settings);
        let now = chrono::DateTime::UNIX_EPOCH;
        let list = engine.create_list("Spring news", true).unwrap();
        for (name, phone) in [
            ("Ana", "+32470000001"),
            ("Bo", "+32470000002"),
            ("Cy", "+32470000003"),
        ] {
            let contact = engine
                .add_contact(NewContact::new(name, phone), now)
                .unwrap();
            engine.subscribe(list, contact, now).unwrap();
        }
        let mailing = engine
            .create_mailing(
                NewMailing::new(
                    "Spring",
                    "Sale: https://shop.example/sale",
                    Audience::Lists(vec![list]),
                )
                .with_opt_out_link(),
                now,
            )
            .unwrap();
        engine.prepare(mailing).unwrap();
        let provider = StubProvider::new();
        engine
            .send(mailing, &provider, &SimulatedClock::new(), now)
            .unwrap();
        let bodies = provider.messages().into_iter().map(|m| m.body).collect();
        let mut traces = Vec::new();
        engine
            .store()
            .traces(mailing, &mut |trace| traces.push(trace.clone()))
            .unwrap();

        let config = configure(
            HttpConfig::new(&base, "admin-token")
                .with_twilio_auth_token(TWILIO_TOKEN)
                .with_vonage_signature_secret(VONAGE_SECRET),
        );
        let (handle, thread) = EngineHandle::spawn_joinable(engine);
        let app = router(handle, config).into_make_service_with_connect_info::<SocketAddr>();
        runtime.spawn(async move { axum::serve(listener, app).await });
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .max_redirects(0)
            .max_redirects_will_error(false)
            .http_status_as_error(false)
            .build()
            .into();
        Served {
            base,
            mailing,
            list,
            bodies,
            traces,
            db,
            agent,
            runtime: Some(runtime),
            thread: Some(thread),
            _dir: dir,
        }
    }

    /// The short link of the `n`th message, with its per-recipient suffix, as a path.
    pub fn short_path(&self, n: usize) -> String {
        let body = &self.bodies[n];
        let start = body.find(&format!("{}/r/", self.base)).unwrap() + self.base.len();
        body[start..].split_whitespace().next().unwrap().to_owned()
    }

    /// The opt-out link of the `n`th message, as a path.
    pub fn opt_out_path(&self, n: usize) -> String {
        let body = &self.bodies[n];
        let start = body.find(&format!("{}/sms/", self.base)).unwrap() + self.base.len();
        body[start..].split_whitespace().next().unwrap().to_owned()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A second connection to the database, to check what the server wrote.
    pub fn store(&self) -> SqliteStore {
        SqliteStore::open(&self.db).unwrap()
    }

    /// Stops the server and waits for the engine thread: every job queued was run.
    pub fn stop(mut self) -> SqliteStore {
        drop(self.runtime.take());
        let engine = self.thread.take().unwrap().join().unwrap();
        engine.into_store()
    }

    /// `GET /metrics` as (series, value) pairs, checking the exposition format on the way.
    pub fn metrics(&self) -> Vec<(String, f64)> {
        let mut response = self.agent.get(self.url("/metrics")).call().unwrap();
        assert_eq!(response.status(), 200);
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            content_type.starts_with("text/plain; version=0.0.4"),
            "{content_type}"
        );
        let text = response.body_mut().read_to_string().unwrap();
        parse_prometheus(&text)
    }

    /// The value of the series `series` (name and labels as printed), 0 when absent.
    pub fn metric(&self, series: &str) -> f64 {
        self.metrics()
            .into_iter()
            .find(|(name, _)| name == series)
            .map_or(0.0, |(_, value)| value)
    }
}

/// Parses the Prometheus text format strictly enough to catch a malformed line: comments are
/// `# HELP name text` or `# TYPE name counter|gauge`; samples are `name{labels} value` with a
/// valid metric name, quoted label values and a number.
pub fn parse_prometheus(text: &str) -> Vec<(String, f64)> {
    let name_ok = |name: &str| {
        !name.is_empty()
            && name.chars().enumerate().all(|(i, c)| {
                c.is_ascii_alphabetic() || c == '_' || c == ':' || (i > 0 && c.is_ascii_digit())
            })
    };
    let mut samples = Vec::new();
    assert!(text.ends_with('\n'), "the exposition ends with a newline");
    for line in text.lines() {
        if let Some(comment) = line.strip_prefix("# ") {
            let mut parts = comment.splitn(3, ' ');
            let kind = parts.next().unwrap();
            let name = parts.next().unwrap();
            assert!(name_ok(name), "{line}");
            match kind {
                "HELP" => assert!(parts.next().is_some(), "{line}"),
                "TYPE" => assert!(matches!(parts.next(), Some("counter" | "gauge")), "{line}"),
                _ => panic!("unknown comment {line}"),
            }
            continue;
        }
        let (series, value) = line.rsplit_once(' ').unwrap();
        let value: f64 = value.parse().unwrap_or_else(|_| panic!("{line}"));
        let name = series.split('{').next().unwrap();
        assert!(name_ok(name), "{line}");
        let labels = &series[name.len()..];
        if !labels.is_empty() {
            let inner = labels
                .strip_prefix('{')
                .and_then(|l| l.strip_suffix('}'))
                .unwrap_or_else(|| panic!("{line}"));
            for label in inner.split(',') {
                let (key, quoted) = label.split_once('=').unwrap();
                assert!(name_ok(key), "{line}");
                assert!(
                    quoted.len() >= 2 && quoted.starts_with('"') && quoted.ends_with('"'),
                    "{line}"
                );
            }
        }
        samples.push((series.to_owned(), value));
    }
    samples
}
