//! The dashboard and the opt-out page in a real browser: headless Chromium driven through
//! chromedriver (W3C WebDriver, with fantoccini). The dashboard is opened with HTTP Basic
//! credentials, the opt-out page of a sent message is opened and its button clicked, and the
//! store is checked. Screenshots go to the test's temporary directory, and to
//! `$SMSKIT_SCREENSHOT_DIR` when it is set.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them): without
//! `/usr/bin/chromedriver` the test fails and says so, it never skips.

mod admin_support;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use admin_support::{Server, TOKEN};
use fantoccini::{Client, ClientBuilder, Locator};
use smskit::model::{Audience, ListId, NewContact, NewMailing};
use smskit::optout::OptOutLinks;
use smskit::provider::{SimulatedClock, StubProvider};
use smskit::{Engine, MemoryStore, Settings, Store};
use smskit_http::EngineHandle;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// chromedriver on a free loopback port, stopped when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    fn start(log: &Path) -> Driver {
        assert!(
            Path::new(CHROMEDRIVER).exists() && Path::new(CHROMIUM).exists(),
            "the browser test needs headless Chromium and chromedriver: install Debian's \
             packages with `apt-get install -y chromium chromium-driver` (.ci/run does it \
             when {CHROMEDRIVER} is missing)"
        );
        // A port that was free a moment ago; chromedriver binds it right away.
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {CHROMEDRIVER}: {error}"));
        Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A headless Chromium session, retried while chromedriver starts up.
async fn browser(driver: &Driver, profile: &Path) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".to_owned(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new",
                // Root in a container has no user namespace to sandbox with.
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    let mut last_error = None;
    // chromedriver needs a moment before it listens; 30 s is far more than it ever takes.
    for _ in 0..300 {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(capabilities.clone())
            .connect(&driver.url)
            .await
        {
            Ok(client) => return client,
            Err(error) => last_error = Some(error),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "chromedriver at {} did not start: {last_error:?}",
        driver.url
    );
}

/// Resizes the window to show the whole page at `width`, then saves a screenshot as `name`.
async fn screenshot(client: &Client, width: u32, directory: &Path, name: &str) -> PathBuf {
    client.set_window_size(width, 800).await.unwrap();
    // The window's size includes what the browser draws around the page.
    let height = client
        .execute(
            "return document.documentElement.scrollHeight + window.outerHeight - window.innerHeight",
            Vec::new(),
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap();
    client
        .set_window_size(width, u32::try_from(height.clamp(400, 8_000)).unwrap())
        .await
        .unwrap();
    let png = client.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{name} is not a PNG");
    let path = directory.join(name);
    std::fs::write(&path, &png).unwrap();
    if let Some(shared) = std::env::var_os("SMSKIT_SCREENSHOT_DIR") {
        std::fs::create_dir_all(&shared).unwrap();
        std::fs::copy(&path, Path::new(&shared).join(name)).unwrap();
    }
    path
}

/// Waits until the browser left the page `element` was on and loaded the next one (a click
/// may return before the navigation it starts).
async fn left(client: &Client, element: &fantoccini::elements::Element) {
    for _ in 0..300 {
        if element.tag_name().await.is_err() {
            let state = client
                .execute("return document.readyState", Vec::new())
                .await
                .unwrap();
            if state.as_str() == Some("complete") {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "the browser stayed on {}",
        client.current_url().await.unwrap()
    );
}

async fn body_text(client: &Client) -> String {
    client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Ana, on the list `News`, got a newsletter with an opt-out link: returns the list and the
/// link.
fn newsletter(engine: &mut Engine<MemoryStore>) -> (ListId, String) {
    let now = admin_support::now();
    let news = engine.create_list("News", true).unwrap();
    let ana = engine
        .add_contact(NewContact::new("Ana", "+32470123456"), now)
        .unwrap();
    engine.subscribe(news, ana, now).unwrap();
    let mailing = engine
        .create_mailing(
            NewMailing::new("Newsletter", "Our news!", Audience::Lists(vec![news]))
                .with_opt_out_link(),
            now,
        )
        .unwrap();
    engine.prepare(mailing).unwrap();
    let provider = StubProvider::new();
    engine
        .send(mailing, &provider, &SimulatedClock::new(), now)
        .unwrap();
    let body = provider.messages()[0].body.clone();
    let link = body
        .lines()
        .last()
        .and_then(|line| line.strip_prefix(smskit::optout::LINE_PREFIX))
        .unwrap()
        .to_owned();
    (news, link)
}

async fn opted_out(engine: &EngineHandle<MemoryStore>, list: ListId) -> bool {
    engine
        .call(move |engine| engine.store().subscriptions(list).unwrap()[0].opt_out)
        .await
        .unwrap()
}

#[test]
fn the_dashboard_and_the_opt_out_page_work_in_chromium() {
    let directory = tempfile::tempdir().unwrap();
    let (listener, url) = admin_support::bind();
    let settings = Settings::new()
        .with_opt_out_links(OptOutLinks::new(&url, b"the browser test's opt-out secret").unwrap());
    let mut engine = Engine::new(MemoryStore::new(), settings);
    let campaign = admin_support::campaign(&mut engine);
    let (ab_test, _) = admin_support::ab_test(&mut engine);
    let (news, link) = newsletter(&mut engine);
    assert!(link.starts_with(&format!("{url}/sms/")), "{link}");
    // The opt-out page is smskit-http's own (`/sms/<mailing>/<trace>/<token>`).
    let server = Server::start(listener, &url, engine, |_| axum::Router::new());
    let driver = Driver::start(&directory.path().join("chromedriver.log"));
    let profile = directory.path().join("profile");

    let shots = server.runtime.block_on(async {
        let client = browser(&driver, &profile).await;
        let mut shots = Vec::new();

        // Without credentials the browser gets a 401 and waits at its login prompt: nothing
        // of the dashboard shows.
        client.goto(&format!("{url}/admin/")).await.unwrap();
        let refused = client.source().await.unwrap();
        assert!(!refused.contains("Campaigns and mailings"), "{refused}");

        // With HTTP Basic credentials in the address (any user, the token as password).
        let address = url.strip_prefix("http://").unwrap();
        let password = TOKEN.replace(' ', "%20");
        client
            .goto(&format!("http://admin:{password}@{address}/admin/"))
            .await
            .unwrap();
        let index = body_text(&client).await;
        assert!(index.contains("Campaigns and mailings"), "{index}");
        // Hostile names are shown as text, not run: no dialog opened, the text is there.
        assert!(
            index.contains("<img src=x onerror=alert(1)> promo"),
            "{index}"
        );
        shots.push(screenshot(&client, 1280, directory.path(), "dashboard-index.png").await);

        // Follow the link to the mailing, as a user would.
        client
            .find(Locator::LinkText("<img src=x onerror=alert(1)> promo"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        client
            .wait()
            .for_element(Locator::Css("svg[role=img]"))
            .await
            .unwrap();
        let page = body_text(&client).await;
        assert!(page.contains("Counts and ratios"), "{page}");
        assert!(page.contains("<script>alert(\"pwned\")</script>"), "{page}");
        let charts = client.find_all(Locator::Css("figure svg")).await.unwrap();
        assert_eq!(charts.len(), 3);
        let current = client.current_url().await.unwrap();
        assert_eq!(
            current.path(),
            format!("/admin/mailings/{}", campaign.mailing)
        );
        shots.push(screenshot(&client, 1280, directory.path(), "dashboard-mailing.png").await);
        // On a phone the page keeps its width: wide tables scroll inside their box.
        shots.push(screenshot(&client, 390, directory.path(), "dashboard-phone.png").await);
        let overflow = client
            .execute(
                "return document.documentElement.scrollWidth - window.innerWidth",
                Vec::new(),
            )
            .await
            .unwrap();
        assert_eq!(overflow.as_i64(), Some(0), "the page is wider than a phone");

        // The filter form, submitted like a person would.
        let select = client
            .find(Locator::Css("select[name=status]"))
            .await
            .unwrap();
        select.select_by_value("cancel").await.unwrap();
        client
            .find(Locator::Css("form.filters button"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        client
            .wait()
            .for_element(Locator::Css(
                "select[name=status] option[value=cancel][selected]",
            ))
            .await
            .unwrap();
        let rows = client
            .find_all(Locator::Css("table.traces tbody tr"))
            .await
            .unwrap();
        assert_eq!(rows.len(), 3);

        // An A/B test's versions side by side.
        client
            .goto(&format!(
                "http://admin:{password}@{address}/admin/ab-tests/{ab_test}"
            ))
            .await
            .unwrap();
        let page = body_text(&client).await;
        assert!(page.contains("Version B leads version A"), "{page}");
        shots.push(screenshot(&client, 1280, directory.path(), "dashboard-ab-test.png").await);

        // The opt-out page on a phone: opening it changes nothing.
        client.set_window_size(390, 844).await.unwrap();
        client.goto(&link).await.unwrap();
        let page = body_text(&client).await;
        assert!(page.contains("News"), "the page names the list: {page}");
        assert!(
            !opted_out(&server.engine, news).await,
            "a GET must not opt out"
        );
        shots.push(screenshot(&client, 390, directory.path(), "opt-out-page.png").await);

        // The one button does.
        let button = client
            .find(Locator::Css(
                "form[method=post] button, form[method=post] input[type=submit], \
                 form[method=POST] button",
            ))
            .await
            .unwrap_or_else(|_| panic!("no button on the opt-out page: {page}"));
        button.click().await.unwrap();
        left(&client, &button).await;
        let done = body_text(&client).await;
        assert!(
            opted_out(&server.engine, news).await,
            "the button did not opt out: {done}"
        );
        shots.push(screenshot(&client, 390, directory.path(), "opt-out-done.png").await);
        client.close().await.unwrap();
        shots
    });
    for shot in shots {
        assert!(std::fs::metadata(&shot).unwrap().len() > 1_000, "{shot:?}");
    }
}
