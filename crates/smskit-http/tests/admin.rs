//! The dashboard over real HTTP on 127.0.0.1: authorisation, the figures of a sent campaign,
//! trace filters, escaping, charts, A/B tests.

mod admin_support;

use admin_support::{
    FILLERS, HOSTILE_BODY, HOSTILE_CAMPAIGN, HOSTILE_CONTACT, HOSTILE_MAILING, Server, TOKEN,
    basic, bearer, count, get, row_numbers,
};
use smskit::{Engine, MemoryStore, Settings, Store};
use smskit_store_sqlite::SqliteStore;

fn memory_server() -> (Server<MemoryStore>, admin_support::Campaign) {
    let mut engine = Engine::new(MemoryStore::new(), Settings::new());
    let campaign = admin_support::campaign(&mut engine);
    (Server::new(engine), campaign)
}

#[test]
fn every_page_needs_the_token() {
    let (server, campaign) = memory_server();
    let paths = [
        "/admin".to_owned(),
        "/admin/".to_owned(),
        format!("/admin/mailings/{}", campaign.mailing),
        format!("/admin/mailings/{}?status=sent", campaign.mailing),
        format!("/admin/campaigns/{}", campaign.campaign),
        "/admin/ab-tests/1".to_owned(),
        "/admin/mailings/not-a-number".to_owned(),
        "/admin/no-such-page".to_owned(),
    ];
    let refused = [
        None,
        Some(bearer("wrong")),
        Some(bearer(&TOKEN[..TOKEN.len() - 1])),
        Some(bearer(&format!("{TOKEN}x"))),
        Some(bearer("")),
        Some(basic("admin", "wrong")),
        Some(basic(TOKEN, "")),
        Some(format!("Token {TOKEN}")),
        Some(TOKEN.to_owned()),
    ];
    for path in &paths {
        for authorization in &refused {
            let page = get(&format!("{}{path}", server.url), authorization.as_deref());
            assert_eq!(page.status, 401, "{path} with {authorization:?}");
            assert_eq!(
                page.challenge.as_deref(),
                Some("Basic realm=\"smskit\""),
                "{path}"
            );
            assert!(!page.body.contains("Filler"), "{path}");
            assert!(!page.body.contains("promo"), "{path}");
        }
    }
}

#[test]
fn bearer_and_basic_both_open_the_dashboard() {
    let (server, _) = memory_server();
    // Without the slash too.
    let page = get(&format!("{}/admin", server.url), Some(&bearer(TOKEN)));
    assert!(page.body.contains("<h1>Campaigns and mailings</h1>"));
    let url = format!("{}/admin/", server.url);
    for authorization in [
        bearer(TOKEN),
        format!("bearer {TOKEN}"),
        basic("admin", TOKEN),
        basic("", TOKEN),
        basic("anyone at all", TOKEN),
    ] {
        let page = get(&url, Some(&authorization));
        assert_eq!(page.status, 200, "{authorization}");
        assert!(page.body.contains("<h1>Campaigns and mailings</h1>"));
        assert!(page.challenge.is_none());
        let policy = page.policy.unwrap();
        assert!(policy.contains("default-src 'none'"), "{policy}");
    }
}

/// The figures the fixture's table promises, read off the pages of any store.
fn assert_pages_show_the_counts<S: Store + Send + 'static>(
    server: &Server<S>,
    campaign: admin_support::Campaign,
) {
    let mailing = campaign.mailing;
    let counts = server.call(move |engine| engine.counts(mailing).unwrap());
    assert_eq!(
        (
            counts.expected,
            counts.canceled,
            counts.sent,
            counts.delivered,
            counts.clicked,
            counts.failed
        ),
        (65, 3, 62, 2, 1, 1)
    );

    // The index: the mailing's row and the campaign's row (its only mailing), with the
    // columns Expected, Canceled, Sent, Delivered, Clicked, Replied, Bounced, Failed, ratios.
    let index = server.page("/admin/");
    assert_eq!(index.status, 200);
    let expected_row = [
        "65", "3", "62", "2", "1", "0", "0", "1", // 2 / 62, 1 / (62 - 1), 1 / 62
        "3.23", "1.64", "1.61",
    ];
    assert_eq!(
        row_numbers(&index.body, &format!("data-mailing=\"{mailing}\"")),
        expected_row
    );
    let mut campaign_row = vec!["1"];
    campaign_row.extend(expected_row);
    assert_eq!(
        row_numbers(
            &index.body,
            &format!("data-campaign=\"{}\"", campaign.campaign)
        ),
        campaign_row
    );

    // The mailing's page.
    let page = server.page(&format!("/admin/mailings/{mailing}"));
    assert_eq!(page.status, 200);
    for (name, value) in [
        ("expected", "65"),
        ("canceled", "3"),
        ("scheduled", "0"),
        ("sent", "62"),
        ("delivered", "2"),
        ("opened", "1"),
        ("clicked", "1"),
        ("failed", "1"),
        ("received-ratio", "3.23"),
        ("clicks-ratio", "1.64"),
        ("failed-ratio", "1.61"),
    ] {
        assert_eq!(count(&page.body, name), value, "{name}");
    }

    // The campaign's page: its totals are its one mailing's.
    let page = server.page(&format!("/admin/campaigns/{}", campaign.campaign));
    assert_eq!(page.status, 200);
    assert_eq!(count(&page.body, "sent"), "62");
    assert_eq!(count(&page.body, "clicked"), "1");
    assert!(
        page.body
            .contains(&format!("href=\"/admin/mailings/{mailing}\""))
    );
}

#[test]
fn the_pages_show_the_counts_of_a_sent_mailing_in_memory() {
    let (server, campaign) = memory_server();
    assert_pages_show_the_counts(&server, campaign);
}

#[test]
fn the_pages_show_the_counts_of_a_sent_mailing_on_sqlite() {
    let directory = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(directory.path().join("smskit.db")).unwrap();
    let mut engine = Engine::new(store, Settings::new());
    let campaign = admin_support::campaign(&mut engine);
    let server = Server::new(engine);
    assert_pages_show_the_counts(&server, campaign);
}

/// The ids of the traces listed on a page.
fn listed(html: &str) -> Vec<i64> {
    html.split("<tr data-trace=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().parse().unwrap())
        .collect()
}

fn matching(html: &str) -> u64 {
    let rest = html.split("data-matching=\"").nth(1).unwrap();
    rest.split('"').next().unwrap().parse().unwrap()
}

#[test]
fn trace_filters_select_and_page_the_traces() {
    let (server, campaign) = memory_server();
    let mailing = campaign.mailing;
    let all = server.call(move |engine| admin_support::traces(engine, mailing));
    let path = |query: &str| format!("/admin/mailings/{mailing}?{query}");

    // Unfiltered: 65 traces, 50 on the first page, 15 on the second, by id.
    let first = server.page(&path(""));
    assert_eq!(matching(&first.body), 65);
    let ids: Vec<i64> = all.iter().map(|trace| trace.id.0).collect();
    assert_eq!(listed(&first.body), ids[..50]);
    assert!(first.body.contains("rel=\"next\""));
    assert!(!first.body.contains("rel=\"prev\""));
    let second = server.page(&path("page=2"));
    assert_eq!(listed(&second.body), ids[50..]);
    assert!(!second.body.contains("rel=\"next\""));
    assert!(second.body.contains("rel=\"prev\""));
    let beyond = server.page(&path("page=9"));
    assert_eq!(beyond.status, 200);
    assert!(listed(&beyond.body).is_empty());

    // By status.
    let canceled = server.page(&path("status=cancel"));
    assert_eq!(matching(&canceled.body), 3);
    assert_eq!(listed(&canceled.body).len(), 3);
    let open = server.page(&path("status=open"));
    assert_eq!(listed(&open.body), [campaign.bo.0]);
    let sent = server.page(&path("status=sent"));
    assert_eq!(listed(&sent.body), [campaign.hostile.0]);
    assert_eq!(matching(&server.page(&path("status=pending")).body), 62 - 3);

    // By failure type.
    let duplicate = server.page(&path("failure=sms_duplicate"));
    assert_eq!(matching(&duplicate.body), 1);
    assert!(duplicate.body.contains(">Cy<"));
    let unreachable = server.page(&path("failure=sms_invalid_destination"));
    assert_eq!(matching(&unreachable.body), 1);
    assert!(unreachable.body.contains("Filler 00"));
    assert_eq!(
        matching(
            &server
                .page(&path("status=error&failure=sms_blacklist"))
                .body
        ),
        0
    );

    // By number, typed any way: Bo and Cy share a number.
    let french = server.page(&path("q=%2B33+6+12"));
    assert_eq!(matching(&french.body), 2);
    assert!(french.body.contains(">Bo<") && french.body.contains(">Cy<"));
    assert!(french.body.contains("value=\"+33612\""));
    // A number that could not be read is searched as entered.
    assert_eq!(matching(&server.page(&path("q=not")).body), 1);
    // Fillers 10..19: +3247100001x.
    let fillers = server.page(&path("q=47100001&status=pending"));
    assert_eq!(matching(&fillers.body), 10);

    // Paging keeps the filters.
    let pending = server.page(&path("status=pending"));
    assert!(pending.body.contains("href=\"/admin/mailings/"));
    assert!(pending.body.contains("?status=pending&amp;page=2\""));

    // Nonsense is refused, not ignored.
    for query in ["status=teleported", "failure=nope", "page=0", "page=x"] {
        assert_eq!(server.page(&path(query)).status, 400, "{query}");
    }
    assert_eq!(FILLERS, 60);
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    let (server, campaign) = memory_server();
    let pages = [
        "/admin/".to_owned(),
        format!("/admin/campaigns/{}", campaign.campaign),
        format!("/admin/mailings/{}", campaign.mailing),
        format!("/admin/mailings/{}?status=sent", campaign.mailing),
        format!("/admin/mailings/{}?q=%3Cscript%3E", campaign.mailing),
        format!(
            "/admin/mailings/{}?failure=sms_invalid_destination",
            campaign.mailing
        ),
    ];
    for path in &pages {
        let page = server.page(path);
        assert_eq!(page.status, 200, "{path}");
        for raw in [
            "<script",
            "<img",
            "<iframe",
            "<b>sale</b>",
            "<b>handset",
            "\"friends\"",
        ] {
            assert!(!page.body.contains(raw), "{path} contains {raw}");
        }
    }
    let index = server.page("/admin/");
    assert!(
        index
            .body
            .contains("Spring &lt;b&gt;sale&lt;/b&gt; &amp; &quot;friends&quot;")
    );
    assert!(
        index
            .body
            .contains("&lt;img src=x onerror=alert(1)&gt; promo")
    );
    let sent = server.page(&format!("/admin/mailings/{}?status=sent", campaign.mailing));
    assert!(
        sent.body
            .contains("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;")
    );
    assert!(
        sent.body
            .contains("Hi {{ object.name }}! &lt;/pre&gt;&lt;iframe src=//evil&gt;&lt;/iframe&gt;")
    );
    let failed = server.page(&format!(
        "/admin/mailings/{}?failure=sms_invalid_destination",
        campaign.mailing
    ));
    assert!(
        failed
            .body
            .contains("&lt;b&gt;handset&lt;/b&gt; unreachable")
    );
    // The search box gives back what was typed, escaped.
    let searched = server.page(&format!(
        "/admin/mailings/{}?q=%22%3E%3Cscript%3E",
        campaign.mailing
    ));
    assert!(searched.body.contains("value=\"&quot;&gt;&lt;script&gt;\""));
    // The names are what the fixture made them (the test would pass vacuously otherwise).
    assert!(HOSTILE_CONTACT.contains("<script>") && HOSTILE_MAILING.contains("<img"));
    assert!(HOSTILE_CAMPAIGN.contains("<b>") && HOSTILE_BODY.contains("<iframe"));
}

#[test]
fn a_mailing_page_draws_its_charts_in_svg() {
    let (server, campaign) = memory_server();
    let page = server.page(&format!("/admin/mailings/{}", campaign.mailing));
    let body = &page.body;
    assert_eq!(body.matches("<svg ").count(), 3);
    assert_eq!(body.matches("role=\"img\"").count(), 3);
    // Over time: sent at 10:00, the click at 12:00, hourly bins.
    assert!(
        body.contains(
            "<title id=\"chart-time-title\">Sent, delivered and clicked per hour</title>"
        )
    );
    assert!(body.contains("<title>Sent, 01-01 10:00: 62</title>"));
    assert!(body.contains("<title>Delivered, 01-01 10:00: 2</title>"));
    assert!(body.contains("<title>Clicked, 01-01 12:00: 1</title>"));
    assert!(body.contains("<title>Clicked, 01-01 10:00: 0</title>"));
    // Failure types, as bars with their values written out.
    for (failure, traces) in [
        ("sms_blacklist", 1),
        ("sms_duplicate", 1),
        ("sms_number_format", 1),
        ("sms_invalid_destination", 1),
    ] {
        assert!(
            body.contains(&format!("<title>{failure}: {traces}</title>")),
            "{failure}"
        );
    }
    // Countries: 60 fillers and the hostile contact in Belgium, Bo in France.
    assert!(body.contains("<title>BE: 61</title>"));
    assert!(body.contains("<title>FR: 1</title>"));
    // The values as text beside each chart.
    assert_eq!(body.matches("<summary>Values</summary>").count(), 3);
}

#[test]
fn an_ab_test_shows_its_versions_side_by_side() {
    let mut engine = Engine::new(MemoryStore::new(), Settings::new());
    let (test, versions) = admin_support::ab_test(&mut engine);
    let server = Server::new(engine);
    let page = server.page(&format!("/admin/ab-tests/{test}"));
    assert_eq!(page.status, 200);
    let body = &page.body;
    assert!(body.contains("Version A<br><a href=\"/admin/mailings/"));
    assert!(body.contains("Short &lt;v1&gt;"));
    assert!(body.contains("Our spring sale starts today!"));
    let sent = row_numbers(body, "<tr><th scope=\"row\">Sent");
    assert_eq!(sent, ["20", "20"]);
    let clicked = row_numbers(body, "<tr><th scope=\"row\">Clicked");
    assert_eq!(clicked, ["0", "20"]);
    assert!(body.contains("Version B leads version A by 100.0 points"));
    assert!(body.contains("z = 6.32, p &lt; 0.0001"));
    assert!(body.contains("<strong>significant at 5 %</strong>"));
    // The campaign page and the index link to it; each version links back.
    let index = server.page("/admin/");
    assert!(
        index
            .body
            .contains(&format!("href=\"/admin/ab-tests/{test}\""))
    );
    // The campaign's row sums its two versions: mailings, expected, canceled, sent, delivered,
    // clicked.
    let campaign = server.call(move |engine| engine.ab_test(test).unwrap().campaign);
    let row = row_numbers(&index.body, &format!("data-campaign=\"{campaign}\""));
    assert_eq!(row[..6], ["2", "40", "0", "40", "20", "20"]);
    let version = server.page(&format!("/admin/mailings/{}", versions[1]));
    assert!(
        version
            .body
            .contains(&format!("href=\"/admin/ab-tests/{test}\""))
    );
}

#[test]
fn an_ab_test_with_no_difference_is_not_significant() {
    let mut engine = Engine::new(MemoryStore::new(), Settings::new());
    let (test, versions) = admin_support::ab_test(&mut engine);
    // One click in version A as well as B's twenty would still be significant; clear B's
    // lead instead by clicking all of A too.
    for trace in admin_support::traces(&engine, versions[0]) {
        engine
            .store_mut()
            .mark_clicked(trace.id, admin_support::now())
            .unwrap();
    }
    let server = Server::new(engine);
    let page = server.page(&format!("/admin/ab-tests/{test}"));
    assert!(
        page.body
            .contains("<strong>not significant at 5 %</strong>"),
        "{}",
        page.body
    );
}

#[test]
fn unknown_records_are_not_found() {
    let (server, _) = memory_server();
    for path in [
        "/admin/mailings/999",
        "/admin/campaigns/999",
        "/admin/ab-tests/999",
        "/admin/nothing/here",
    ] {
        let page = server.page(path);
        assert_eq!(page.status, 404, "{path}");
        assert!(page.body.contains("<h1>Not found</h1>"), "{path}");
    }
    assert_eq!(server.page("/admin/mailings/abc").status, 400);
}

#[test]
fn an_empty_store_has_an_empty_dashboard() {
    let server = Server::new(Engine::new(MemoryStore::new(), Settings::new()));
    let page = server.page("/admin/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("No campaign yet."));
    assert!(page.body.contains("No mailing yet."));
}

#[test]
fn pages_fit_a_phone() {
    let (server, campaign) = memory_server();
    let page = server.page(&format!("/admin/mailings/{}", campaign.mailing));
    assert!(
        page.body
            .contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
    );
    // Wide tables scroll inside their box; no script at all.
    assert!(
        page.body
            .contains("<div class=\"scroll\"><table class=\"traces\">")
    );
    assert!(!page.body.contains("<script"));
}

#[test]
fn under_a_prefix_the_links_keep_it() {
    let mut engine = Engine::new(MemoryStore::new(), Settings::new());
    let campaign = admin_support::campaign(&mut engine);
    let engine = smskit_http::EngineHandle::spawn(engine);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let address = listener.local_addr().unwrap();
    let config = smskit_http::HttpConfig::new(format!("http://{address}/shop"), TOKEN);
    let app = axum::Router::new().nest("/shop", smskit_http::router(engine, config));
    runtime.spawn(async move { axum::serve(listener, app).await });
    let page = get(
        &format!("http://{address}/shop/admin/mailings/{}", campaign.mailing),
        Some(&bearer(TOKEN)),
    );
    assert_eq!(page.status, 200);
    assert!(page.body.contains("href=\"/shop/admin/\""));
    assert!(page.body.contains(&format!(
        "href=\"/shop/admin/campaigns/{}\"",
        campaign.campaign
    )));
    assert!(page.body.contains(&format!(
        "action=\"/shop/admin/mailings/{}\"",
        campaign.mailing
    )));
    assert!(!page.body.contains("href=\"/admin"));
    assert!(!page.body.contains("action=\"/admin"));
}
