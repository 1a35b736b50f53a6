//! What the dashboard's tests share: a server on 127.0.0.1 over a real socket, a blocking
//! client, and a prepared and sent campaign whose figures are known.

#![allow(dead_code, reason = "each test file uses part of it")]

use std::net::TcpListener;

use axum::Router;
use base64::Engine as _;
use chrono::{DateTime, Duration, TimeZone, Utc};
use smskit::ab::NewAbTest;
use smskit::model::{
    AbTestId, Audience, CampaignId, ContactId, MailingId, NewCampaign, NewContact, NewMailing,
    Trace, TraceId,
};
use smskit::phone::E164;
use smskit::provider::{DeliveryReport, FailureType, SimulatedClock, StubProvider, TraceStatus};
use smskit::{Engine, Store};
use smskit_http::{EngineHandle, HttpConfig, router};

pub(crate) const TOKEN: &str = "correct horse battery staple";

/// The router serving on a loopback port, on a runtime of its own.
pub(crate) struct Server<S> {
    pub(crate) url: String,
    pub(crate) engine: EngineHandle<S>,
    pub(crate) runtime: tokio::runtime::Runtime,
}

/// A loopback port bound before the engine is built, so that links can name it.
pub(crate) fn bind() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    (listener, url)
}

impl<S: Store + Send + 'static> Server<S> {
    /// Serves [`router`] over `engine` on `listener`, merged with the routes `extra` makes
    /// (over the same engine).
    pub(crate) fn start(
        listener: TcpListener,
        url: &str,
        engine: Engine<S>,
        extra: impl FnOnce(EngineHandle<S>) -> Router,
    ) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let engine = EngineHandle::spawn(engine);
        let app = router(engine.clone(), HttpConfig::new(url, TOKEN)).merge(extra(engine.clone()));
        listener.set_nonblocking(true).unwrap();
        runtime.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
        Server {
            url: url.to_owned(),
            engine,
            runtime,
        }
    }

    /// Serves `engine` on a fresh port.
    pub(crate) fn new(engine: Engine<S>) -> Self {
        let (listener, url) = bind();
        Self::start(listener, &url, engine, |_| Router::new())
    }

    /// Runs `job` on the engine thread and waits for it.
    pub(crate) fn call<R: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Engine<S>) -> R + Send + 'static,
    ) -> R {
        self.runtime.block_on(self.engine.call(job)).unwrap()
    }

    /// `GET path` with the admin token as a Bearer token.
    pub(crate) fn page(&self, path: &str) -> Page {
        get(&format!("{}{path}", self.url), Some(&bearer(TOKEN)))
    }
}

/// A response: status, `WWW-Authenticate` and `Content-Security-Policy` headers, body.
#[derive(Debug)]
pub(crate) struct Page {
    pub(crate) status: u16,
    pub(crate) challenge: Option<String>,
    pub(crate) policy: Option<String>,
    pub(crate) body: String,
}

/// `GET url` with this `Authorization` header, whatever the status.
pub(crate) fn get(url: &str, authorization: Option<&str>) -> Page {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut request = agent.get(url);
    if let Some(authorization) = authorization {
        request = request.header("Authorization", authorization);
    }
    let mut response = request.call().unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
    };
    let (challenge, policy) = (
        header("www-authenticate"),
        header("content-security-policy"),
    );
    Page {
        status: response.status().as_u16(),
        challenge,
        policy,
        body: response.body_mut().read_to_string().unwrap(),
    }
}

pub(crate) fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

pub(crate) fn basic(user: &str, password: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    format!("Basic {encoded}")
}

/// The numbers in the `td class="num"` cells of the first table row holding `marker`, in
/// order.
pub(crate) fn row_numbers(html: &str, marker: &str) -> Vec<String> {
    let row = html
        .split("<tr")
        .skip(1)
        .map(|rest| rest.split("</tr>").next().unwrap())
        .find(|row| format!("<tr{row}").contains(marker))
        .unwrap_or_else(|| panic!("no row with {marker}"));
    row.split("<td class=\"num\">")
        .skip(1)
        .map(|cell| cell.split('<').next().unwrap().to_owned())
        .collect()
}

/// The value of the counts table's cell named `name` (`sent`, `clicks-ratio`, ...).
pub(crate) fn count(html: &str, name: &str) -> String {
    let marker = format!("data-count=\"{name}\">");
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no count {name}"));
    html[at + marker.len()..]
        .split('<')
        .next()
        .unwrap()
        .to_owned()
}

pub(crate) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 10, 0, 0).unwrap()
}

pub(crate) const HOSTILE_CONTACT: &str = "<script>alert(\"pwned\")</script>";
pub(crate) const HOSTILE_MAILING: &str = "<img src=x onerror=alert(1)> promo";
pub(crate) const HOSTILE_CAMPAIGN: &str = "Spring <b>sale</b> & \"friends\"";
pub(crate) const HOSTILE_BODY: &str = "Hi {{ object.name }}! </pre><iframe src=//evil></iframe>";
/// Contacts beyond the five special ones: enough for two pages of traces.
pub(crate) const FILLERS: usize = 60;

/// A campaign with one mailing, prepared, sent and answered.
///
/// | contact | number | outcome |
/// |---|---|---|
/// | the hostile name | +32 470 00 00 01 | delivered |
/// | Bo | +33 6 12 34 56 78 | clicked (open) |
/// | Cy | Bo's number | canceled: duplicate |
/// | Di | `not a number` | canceled: number format |
/// | Ed | +32 470 99 99 99, blacklisted | canceled: blacklist |
/// | Filler 00 | +32 471 00 00 00 | failed: invalid destination |
/// | Filler 01..59 | +32 471 00 00 01.. | sent, no report |
///
/// So: expected 65, canceled 3, sent 62, delivered 2, clicked 1, failed 1.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Campaign {
    pub(crate) campaign: CampaignId,
    pub(crate) mailing: MailingId,
    pub(crate) hostile: TraceId,
    pub(crate) bo: TraceId,
}

pub(crate) fn campaign<S: Store>(engine: &mut Engine<S>) -> Campaign {
    let now = now();
    let campaign = engine
        .create_campaign(NewCampaign::new(HOSTILE_CAMPAIGN), now)
        .unwrap();
    let list = engine.create_list("Everyone", false).unwrap();
    let mut contacts: Vec<(String, String)> = vec![
        (HOSTILE_CONTACT.to_owned(), "+32470000001".to_owned()),
        ("Bo".to_owned(), "+33612345678".to_owned()),
        ("Cy".to_owned(), "+33 6 12 34 56 78".to_owned()),
        ("Di".to_owned(), "not a number".to_owned()),
        ("Ed".to_owned(), "+32470999999".to_owned()),
    ];
    for index in 0..FILLERS {
        contacts.push((format!("Filler {index:02}"), format!("+3247100{index:04}")));
    }
    let mut ids: Vec<ContactId> = Vec::new();
    for (name, phone) in contacts {
        let contact = engine
            .add_contact(NewContact::new(name, phone), now)
            .unwrap();
        engine.subscribe(list, contact, now).unwrap();
        ids.push(contact);
    }
    engine
        .store_mut()
        .blacklist_add(E164::parse("+32470999999").unwrap(), Some("test"), now)
        .unwrap();
    let mailing = engine
        .create_mailing(
            NewMailing::new(HOSTILE_MAILING, HOSTILE_BODY, Audience::Lists(vec![list]))
                .with_campaign(campaign),
            now,
        )
        .unwrap();
    engine.prepare(mailing).unwrap();
    engine
        .send(mailing, &StubProvider::new(), &SimulatedClock::new(), now)
        .unwrap();

    let traces = traces(engine, mailing);
    let of = |contact: ContactId| traces.iter().find(|t| t.contact == contact).unwrap();
    let (hostile, bo, filler) = (of(ids[0]), of(ids[1]), of(ids[5]));
    let delivered = DeliveryReport::new(
        "stub",
        hostile.provider_message_id.clone().unwrap(),
        TraceStatus::Sent,
        "delivered",
        now + Duration::minutes(5),
    );
    engine.apply_report(&delivered).unwrap();
    let mut failed = DeliveryReport::new(
        "stub",
        filler.provider_message_id.clone().unwrap(),
        TraceStatus::Error,
        "undelivered",
        now + Duration::minutes(6),
    );
    failed.failure = Some(FailureType::InvalidDestination);
    failed.error_message = Some("<b>handset</b> unreachable".to_owned());
    engine.apply_report(&failed).unwrap();
    assert!(
        engine
            .store_mut()
            .mark_clicked(bo.id, now + Duration::hours(2))
            .unwrap()
    );
    Campaign {
        campaign,
        mailing,
        hostile: hostile.id,
        bo: bo.id,
    }
}

/// Every trace of `mailing`.
pub(crate) fn traces<S: Store>(engine: &Engine<S>, mailing: MailingId) -> Vec<Trace> {
    let mut traces = Vec::new();
    engine
        .store()
        .traces(mailing, &mut |trace| traces.push(trace.clone()))
        .unwrap();
    traces
}

/// An A/B test of two versions to 50 % of 40 contacts each, both sent; every recipient of
/// version B clicked, none of version A.
pub(crate) fn ab_test<S: Store>(engine: &mut Engine<S>) -> (AbTestId, Vec<MailingId>) {
    let now = now();
    let campaign = engine
        .create_campaign(NewCampaign::new("Tested"), now)
        .unwrap();
    let list = engine.create_list("Testers", false).unwrap();
    for index in 0..40 {
        let contact = engine
            .add_contact(
                NewContact::new(format!("Tester {index:02}"), format!("+3247200{index:04}")),
                now,
            )
            .unwrap();
        engine.subscribe(list, contact, now).unwrap();
    }
    let test = engine
        .create_ab_test(
            NewAbTest::new(campaign, Audience::Lists(vec![list]), 7)
                .with_version("Short <v1>", "Sale!")
                .with_version("Long", "Our spring sale starts today!")
                .with_share(50),
            now,
        )
        .unwrap();
    let versions = engine.ab_test(test).unwrap().versions;
    engine.prepare(versions[0]).unwrap();
    let provider = StubProvider::new();
    for &version in &versions {
        engine
            .send(version, &provider, &SimulatedClock::new(), now)
            .unwrap();
    }
    for trace in traces(engine, versions[1]) {
        engine
            .store_mut()
            .mark_clicked(trace.id, now + Duration::hours(1))
            .unwrap();
    }
    (test, versions)
}
