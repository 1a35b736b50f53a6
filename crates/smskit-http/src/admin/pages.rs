//! The dashboard's pages, rendered from what [`data`](super::data) gathered. Every value
//! from the store is escaped on the way out ([`Esc`]).

use std::collections::HashMap;
use std::fmt::Write as _;

use smskit::abtest::Goal;
use smskit::model::{
    AbTest, Audience, Campaign, CampaignId, Mailing, MailingId, MailingState, WinnerRule,
};
use smskit::provider::{FailureType, TraceStatus};
use smskit::stats::Counts;

use super::data::{
    AbView, CampaignOverview, MailingView, Overview, PAGE_SIZE, Timeline, TraceFilter,
};
use super::html::{self, COUNT_HEADERS, Esc, QueryValue, count_cells, counts_table};
use super::svg::{self, Series};

/// The counts of each mailing a page lists.
pub(crate) type MailingCounts = HashMap<MailingId, Counts>;

fn mailing_href(id: MailingId) -> String {
    format!("/admin/mailings/{id}")
}

fn campaign_href(id: CampaignId) -> String {
    format!("/admin/campaigns/{id}")
}

/// `A`, `B`, ... for the first 26 versions, then numbers.
fn version_label(index: usize) -> String {
    u8::try_from(index)
        .ok()
        .filter(|&index| index < 26)
        .map_or_else(
            || (index + 1).to_string(),
            |index| char::from(b'A' + index).to_string(),
        )
}

fn rule_text(rule: WinnerRule) -> &'static str {
    match rule {
        WinnerRule::ClicksRatio => "best clicks ratio, chosen at the deadline",
        WinnerRule::Metric(Goal::Minimize) => "lowest value of the application's metric",
        WinnerRule::Metric(_) => "highest value of the application's metric",
        WinnerRule::Manual => "chosen by hand",
        _ => "other",
    }
}

fn state_text(state: MailingState) -> &'static str {
    match state {
        MailingState::Draft => "draft",
        MailingState::InQueue => "in queue",
        MailingState::Sending => "sending",
        MailingState::Sent => "sent",
        _ => "other",
    }
}

/// A table of mailings with their counts; `campaigns` names the campaign column (`None`:
/// no such column, as on a campaign's own page).
fn mailings_table(
    out: &mut String,
    caption: &str,
    mailings: &[Mailing],
    counts: &MailingCounts,
    campaigns: Option<&HashMap<CampaignId, &Campaign>>,
) {
    let _ = write!(
        out,
        "<div class=\"scroll\"><table class=\"mailings\"><caption>{}</caption><thead><tr>\
         <th scope=\"col\">Mailing</th>{}<th scope=\"col\">State</th>\
         <th scope=\"col\">Created</th>{COUNT_HEADERS}</tr></thead><tbody>",
        Esc(caption),
        if campaigns.is_some() {
            "<th scope=\"col\">Campaign</th>"
        } else {
            ""
        }
    );
    for mailing in mailings {
        let _ = write!(
            out,
            "<tr data-mailing=\"{}\"><td><a href=\"{}\">{}</a></td>",
            mailing.id,
            mailing_href(mailing.id),
            Esc(&mailing.name)
        );
        if let Some(campaigns) = campaigns {
            match mailing.campaign.and_then(|id| campaigns.get(&id)) {
                Some(campaign) => {
                    let _ = write!(
                        out,
                        "<td><a href=\"{}\">{}</a></td>",
                        campaign_href(campaign.id),
                        Esc(&campaign.name)
                    );
                }
                None => out.push_str("<td class=\"muted\">–</td>"),
            }
        }
        let _ = write!(
            out,
            "<td>{}</td><td>{}</td>",
            state_text(mailing.state),
            html::time(mailing.created_at)
        );
        count_cells(out, &counts.get(&mailing.id).copied().unwrap_or_default());
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
}

fn ab_tests_table(out: &mut String, tests: &[AbTest], campaigns: &HashMap<CampaignId, &Campaign>) {
    out.push_str(
        "<div class=\"scroll\"><table class=\"ab-tests\"><caption>A/B tests</caption><thead><tr>\
         <th scope=\"col\">Test</th><th scope=\"col\">Campaign</th>\
         <th class=\"num\" scope=\"col\">Versions</th><th class=\"num\" scope=\"col\">Share %</th>\
         <th scope=\"col\">Winner by</th><th scope=\"col\">Decides at</th>\
         <th scope=\"col\">Winner</th></tr></thead><tbody>",
    );
    for test in tests {
        let _ = write!(
            out,
            "<tr><td><a href=\"/admin/ab-tests/{id}\">A/B test {id}</a></td><td>",
            id = test.id
        );
        match campaigns.get(&test.campaign) {
            Some(campaign) => {
                let _ = write!(
                    out,
                    "<a href=\"{}\">{}</a>",
                    campaign_href(campaign.id),
                    Esc(&campaign.name)
                );
            }
            None => out.push('–'),
        }
        let winner = test
            .winner
            .and_then(|winner| test.versions.iter().position(|&v| v == winner))
            .map_or_else(|| "not yet".to_owned(), version_label);
        let _ = write!(
            out,
            "</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td>\
             <td>{winner}</td></tr>",
            test.versions.len(),
            test.share,
            rule_text(test.rule),
            html::time(test.final_at),
        );
    }
    out.push_str("</tbody></table></div>");
}

/// `/admin/`: every campaign and mailing with its counts, and the A/B tests.
pub(crate) fn index(overview: &Overview, counts: &MailingCounts) -> String {
    let mut body = String::new();
    let campaigns: HashMap<CampaignId, &Campaign> = overview
        .campaigns
        .iter()
        .map(|campaign| (campaign.id, campaign))
        .collect();

    body.push_str("<section><h2>Campaigns</h2>");
    if overview.campaigns.is_empty() {
        body.push_str("<p class=\"muted\">No campaign yet.</p>");
    } else {
        let _ = write!(
            body,
            "<div class=\"scroll\"><table class=\"campaigns\"><caption>Campaigns: the counts of \
             all their mailings</caption><thead><tr><th scope=\"col\">Campaign</th>\
             <th scope=\"col\">Stage</th><th class=\"num\" scope=\"col\">Mailings</th>\
             {COUNT_HEADERS}</tr></thead><tbody>"
        );
        // Each campaign's mailing count and totals, in one pass over the mailings.
        let mut totals: HashMap<CampaignId, (usize, Counts)> = HashMap::new();
        for mailing in &overview.mailings {
            if let Some(campaign) = mailing.campaign {
                let total = totals.entry(campaign).or_default();
                total.0 += 1;
                total.1 += counts.get(&mailing.id).copied().unwrap_or_default();
            }
        }
        for campaign in &overview.campaigns {
            let (mailings, total) = totals.get(&campaign.id).copied().unwrap_or_default();
            let _ = write!(
                body,
                "<tr data-campaign=\"{}\"><td><a href=\"{}\">{}</a></td><td>{}</td>\
                 <td class=\"num\">{}</td>",
                campaign.id,
                campaign_href(campaign.id),
                Esc(&campaign.name),
                Esc(&campaign.stage),
                mailings
            );
            count_cells(&mut body, &total);
            body.push_str("</tr>");
        }
        body.push_str("</tbody></table></div>");
    }
    body.push_str("</section><section><h2>Mailings</h2>");
    if overview.mailings.is_empty() {
        body.push_str("<p class=\"muted\">No mailing yet.</p>");
    } else {
        // Newest first: the mailing being sent is the one people look for.
        let mut mailings = overview.mailings.clone();
        mailings.sort_by_key(|mailing| std::cmp::Reverse(mailing.id));
        mailings_table(
            &mut body,
            "Mailings, newest first",
            &mailings,
            counts,
            Some(&campaigns),
        );
    }
    body.push_str("</section>");
    if !overview.ab_tests.is_empty() {
        body.push_str("<section><h2>A/B tests</h2>");
        ab_tests_table(&mut body, &overview.ab_tests, &campaigns);
        body.push_str("</section>");
    }
    html::page("Campaigns and mailings", &[], &body)
}

/// `/admin/campaigns/{id}`: the campaign, its totals, its mailings and A/B tests.
pub(crate) fn campaign(view: &CampaignOverview, counts: &MailingCounts) -> String {
    let campaign = &view.campaign;
    let mut body = String::new();
    let _ = write!(
        body,
        "<dl><dt>Stage</dt><dd>{}</dd><dt>Responsible</dt><dd>{}</dd><dt>Tags</dt><dd>{}</dd>\
         <dt>Created</dt><dd>{}</dd></dl>",
        Esc(&campaign.stage),
        Esc(campaign.responsible.as_deref().unwrap_or("–")),
        Esc(&campaign
            .tags
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ")),
        html::time(campaign.created_at)
    );
    let total: Counts = view
        .mailings
        .iter()
        .filter_map(|mailing| counts.get(&mailing.id).copied())
        .sum();
    body.push_str("<section><h2>Totals</h2>");
    counts_table(&mut body, "All mailings of the campaign", &total);
    body.push_str("</section><section><h2>Mailings</h2>");
    if view.mailings.is_empty() {
        body.push_str("<p class=\"muted\">No mailing in this campaign yet.</p>");
    } else {
        mailings_table(&mut body, "Mailings", &view.mailings, counts, None);
    }
    body.push_str("</section>");
    if !view.ab_tests.is_empty() {
        let campaigns = HashMap::from([(campaign.id, campaign)]);
        body.push_str("<section><h2>A/B tests</h2>");
        ab_tests_table(&mut body, &view.ab_tests, &campaigns);
        body.push_str("</section>");
    }
    html::page(&format!("Campaign: {}", campaign.name), &[], &body)
}

fn percent(value: f64) -> String {
    format!("{:.1}", value * 100.0)
}

/// `/admin/ab-tests/{id}`: the versions side by side, and whether the leader's lead is
/// significant.
pub(crate) fn ab_test(view: &AbView) -> String {
    let test = &view.results.test;
    let mut body = String::new();
    let winner = test
        .winner
        .and_then(|winner| test.versions.iter().position(|&v| v == winner));
    let _ = write!(
        body,
        "<dl><dt>Campaign</dt><dd><a href=\"{}\">{}</a></dd><dt>Share</dt><dd>{} % of the \
         audience per version</dd><dt>Winner by</dt><dd>{}</dd><dt>Decides at</dt><dd>{}</dd>\
         <dt>Winner</dt><dd>{}</dd>",
        campaign_href(view.campaign.id),
        Esc(&view.campaign.name),
        test.share,
        rule_text(test.rule),
        html::time(test.final_at),
        winner.map_or_else(
            || "not chosen yet".to_owned(),
            |index| format!("version {}", version_label(index))
        ),
    );
    if let Some(final_mailing) = &view.final_mailing {
        let _ = write!(
            body,
            "<dt>Final mailing</dt><dd><a href=\"{}\">{}</a></dd>",
            mailing_href(final_mailing.id),
            Esc(&final_mailing.name)
        );
    }
    body.push_str("</dl><section><h2>Versions side by side</h2>");

    let clicks = view.results.clicks.as_ref();
    body.push_str(
        "<div class=\"scroll\"><table class=\"versions\"><caption>Each version's figures \
         (clicks ratio: clicked over sent; interval: 95 % Wilson)</caption><thead><tr>\
         <td></td>",
    );
    for (index, mailing) in view.versions.iter().enumerate() {
        let _ = write!(
            body,
            "<th scope=\"col\"{}>Version {}{}<br><a href=\"{}\">{}</a></th>",
            if winner == Some(index) {
                " class=\"win\""
            } else {
                ""
            },
            version_label(index),
            if winner == Some(index) {
                " (winner)"
            } else {
                ""
            },
            mailing_href(mailing.id),
            Esc(&mailing.name)
        );
    }
    body.push_str("</tr></thead><tbody><tr><th scope=\"row\">Message</th>");
    for mailing in &view.versions {
        let _ = write!(body, "<td class=\"text\">{}</td>", Esc(&mailing.body));
    }
    body.push_str("</tr><tr><th scope=\"row\">State</th>");
    for (mailing, result) in view.versions.iter().zip(&view.results.versions) {
        let _ = write!(
            body,
            "<td>{}{}</td>",
            state_text(mailing.state),
            if result.finished {
                ""
            } else {
                " (not competing yet)"
            }
        );
    }
    body.push_str("</tr>");
    type Row = (&'static str, fn(&Counts) -> u64);
    let rows: [Row; 7] = [
        ("Expected", |c| c.expected),
        ("Sent", |c| c.sent),
        ("Delivered", |c| c.delivered),
        ("Clicked", |c| c.clicked),
        ("Replied", |c| c.replied),
        ("Bounced", |c| c.bounced),
        ("Failed", |c| c.failed),
    ];
    for (name, value) in rows {
        let _ = write!(body, "<tr><th scope=\"row\">{name}</th>");
        for result in &view.results.versions {
            let _ = write!(body, "<td class=\"num\">{}</td>", value(&result.counts));
        }
        body.push_str("</tr>");
    }
    body.push_str("<tr><th scope=\"row\">Clicks ratio %</th>");
    for (index, _) in view.results.versions.iter().enumerate() {
        match clicks.and_then(|clicks| clicks.versions.get(index)) {
            Some(summary) => {
                let _ = write!(
                    body,
                    "<td class=\"num\">{} <span class=\"muted\">({} – {})</span></td>",
                    percent(summary.rate),
                    percent(summary.interval.low),
                    percent(summary.interval.high)
                );
            }
            None => body.push_str("<td class=\"num\">–</td>"),
        }
    }
    body.push_str("</tr><tr><th scope=\"row\">Chance to be best %</th>");
    for result in &view.results.versions {
        let _ = write!(
            body,
            "<td class=\"num\">{}</td>",
            percent(result.probability_best)
        );
    }
    body.push_str("</tr></tbody></table></div></section><section><h2>Significance</h2>");
    match clicks {
        None => body.push_str("<p class=\"muted\">No message has left yet.</p>"),
        Some(clicks) => {
            let test = &clicks.test;
            let _ = write!(
                body,
                "<p class=\"significance\">Version {} leads version {} by {} points of clicks \
                 ratio (95 % interval {} to {}); z = {:.2}, p {}: <strong>{}</strong>.</p>",
                version_label(clicks.leader),
                version_label(clicks.runner_up),
                percent(test.difference),
                percent(test.interval.low),
                percent(test.interval.high),
                test.z,
                if test.p_value < 0.0001 {
                    "&lt; 0.0001".to_owned()
                } else {
                    format!("= {:.4}", test.p_value)
                },
                if clicks.significant() {
                    "significant at 5 %"
                } else {
                    "not significant at 5 %"
                },
            );
        }
    }
    body.push_str("</section>");
    html::page(
        &format!("A/B test {}", test.id),
        &[(&view.campaign.name, &campaign_href(view.campaign.id))],
        &body,
    )
}

/// A chart's values as a table, folded under the chart.
fn values_table(out: &mut String, headers: &[&str], rows: &[(String, Vec<u64>)]) {
    out.push_str("<details><summary>Values</summary><div class=\"scroll\"><table><thead><tr>");
    for (index, header) in headers.iter().enumerate() {
        let _ = write!(
            out,
            "<th scope=\"col\"{}>{}</th>",
            if index > 0 { " class=\"num\"" } else { "" },
            Esc(header)
        );
    }
    out.push_str("</tr></thead><tbody>");
    for (label, values) in rows {
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", Esc(label));
        for value in values {
            let _ = write!(out, "<td class=\"num\">{value}</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div></details>");
}

fn timeline_figure(out: &mut String, timeline: &Timeline) {
    let title = format!("Sent, delivered and clicked per {}", timeline.unit);
    let desc = format!(
        "{} messages sent, {} delivered and {} first clicks over {} bins of one {} (UTC); \
         delivered messages are counted when they were sent, clicks when they happened.",
        timeline.sent.iter().sum::<u64>(),
        timeline.delivered.iter().sum::<u64>(),
        timeline.clicked.iter().sum::<u64>(),
        timeline.labels.len(),
        timeline.unit
    );
    out.push_str("<figure class=\"chart timeline\">");
    svg::line_chart(
        out,
        "chart-time",
        if timeline.labels.is_empty() {
            "Sent, delivered and clicked over time"
        } else {
            &title
        },
        &desc,
        &timeline.labels,
        &[
            Series {
                name: "Sent",
                values: &timeline.sent,
                color: "#57606a",
                dash: "",
            },
            Series {
                name: "Delivered",
                values: &timeline.delivered,
                color: "#0969da",
                dash: "7 4",
            },
            Series {
                name: "Clicked",
                values: &timeline.clicked,
                color: "#1a7f37",
                dash: "2 3",
            },
        ],
    );
    let _ = write!(out, "<figcaption>{}</figcaption>", Esc(&desc));
    let rows: Vec<(String, Vec<u64>)> = timeline
        .labels
        .iter()
        .enumerate()
        .map(|(index, label)| {
            (
                label.clone(),
                vec![
                    timeline.sent[index],
                    timeline.delivered[index],
                    timeline.clicked[index],
                ],
            )
        })
        .collect();
    values_table(
        out,
        &["Starting (UTC)", "Sent", "Delivered", "Clicked"],
        &rows,
    );
    out.push_str("</figure>");
}

/// Countries shown as bars; the rest are summed into one bar.
const MAX_COUNTRY_BARS: usize = 12;

fn breakdown_figures(out: &mut String, view: &MailingView) {
    let failures: Vec<(String, u64)> = view
        .failures
        .iter()
        .map(|(failure, count)| (failure.as_str().to_owned(), *count))
        .collect();
    let total_failed: u64 = failures.iter().map(|(_, count)| count).sum();
    out.push_str("<figure class=\"chart failures\">");
    svg::bar_chart(
        out,
        "chart-failures",
        "Failure types",
        &format!("{total_failed} traces not sent or not delivered, by failure type."),
        &failures,
        "No failure",
    );
    out.push_str(
        "<figcaption>Why messages were not sent (exclusions) or not delivered.</figcaption>",
    );
    let rows: Vec<(String, Vec<u64>)> = failures
        .iter()
        .map(|(label, count)| (label.clone(), vec![*count]))
        .collect();
    values_table(out, &["Failure type", "Traces"], &rows);
    out.push_str("</figure>");

    let name = |region: Option<smskit::phone::Region>| {
        region.map_or_else(|| "unknown".to_owned(), |region| region.as_str().to_owned())
    };
    let mut bars: Vec<(String, u64)> = view
        .countries
        .iter()
        .take(MAX_COUNTRY_BARS)
        .map(|(region, counts)| (name(*region), counts.sent))
        .collect();
    let others: u64 = view
        .countries
        .iter()
        .skip(MAX_COUNTRY_BARS)
        .map(|(_, counts)| counts.sent)
        .sum();
    if view.countries.len() > MAX_COUNTRY_BARS {
        bars.push(("other countries".to_owned(), others));
    }
    out.push_str("<figure class=\"chart countries\">");
    svg::bar_chart(
        out,
        "chart-countries",
        "Messages sent by country",
        &format!(
            "{} messages sent to {} countries, by the country of the number.",
            view.counts.sent,
            view.countries.len()
        ),
        &bars,
        "No message",
    );
    out.push_str(
        "<figcaption>Messages sent by the country of the number (unknown: no readable \
         number).</figcaption>",
    );
    let rows: Vec<(String, Vec<u64>)> = view
        .countries
        .iter()
        .map(|(region, counts)| {
            (
                name(*region),
                vec![
                    counts.expected,
                    counts.sent,
                    counts.delivered,
                    counts.clicked,
                ],
            )
        })
        .collect();
    values_table(
        out,
        &["Country", "Expected", "Sent", "Delivered", "Clicked"],
        &rows,
    );
    out.push_str("</figure>");
}

/// The query string of `filter` at `page` (already percent-encoded; escape it for HTML).
fn filter_query(filter: &TraceFilter, page: u64) -> String {
    let mut query = String::new();
    if let Some(status) = filter.status {
        let _ = write!(query, "status={}&", status.as_str());
    }
    if let Some(failure) = filter.failure {
        let _ = write!(query, "failure={}&", failure.as_str());
    }
    if let Some(number) = &filter.number {
        let _ = write!(query, "q={}&", QueryValue(number));
    }
    let _ = write!(query, "page={page}");
    query
}

fn trace_list(out: &mut String, view: &MailingView, filter: &TraceFilter) {
    let _ = write!(
        out,
        "<form class=\"filters\" method=\"get\" action=\"{}\" role=\"search\">\
         <label>Status<select name=\"status\"><option value=\"\">any</option>",
        mailing_href(view.mailing.id)
    );
    for status in TraceStatus::ALL {
        let _ = write!(
            out,
            "<option value=\"{name}\"{}>{name}</option>",
            if filter.status == Some(status) {
                " selected"
            } else {
                ""
            },
            name = status.as_str()
        );
    }
    out.push_str(
        "</select></label><label>Failure type<select name=\"failure\">\
         <option value=\"\">any</option>",
    );
    for failure in FailureType::ALL {
        let _ = write!(
            out,
            "<option value=\"{name}\"{}>{name}</option>",
            if filter.failure == Some(failure) {
                " selected"
            } else {
                ""
            },
            name = failure.as_str()
        );
    }
    let _ = write!(
        out,
        "</select></label><label>Number contains<input name=\"q\" type=\"search\" \
         inputmode=\"tel\" maxlength=\"64\" value=\"{}\"></label>\
         <button type=\"submit\">Filter</button></form>",
        Esc(filter.number.as_deref().unwrap_or(""))
    );
    let pages = view.matching.div_ceil(PAGE_SIZE as u64).max(1);
    let _ = write!(
        out,
        "<p class=\"matching\"><span data-matching=\"{}\">{}</span> traces match; page {} of \
         {pages}.</p>",
        view.matching, view.matching, filter.page
    );
    out.push_str(
        "<div class=\"scroll\"><table class=\"traces\"><caption>Traces</caption><thead><tr>\
         <th class=\"num\" scope=\"col\">Trace</th><th scope=\"col\">Contact</th>\
         <th scope=\"col\">Number</th><th scope=\"col\">Status</th>\
         <th scope=\"col\">Failure</th><th scope=\"col\">Sent</th><th scope=\"col\">Clicked</th>\
         <th scope=\"col\">Reason</th></tr></thead><tbody>",
    );
    for row in &view.traces {
        let trace = &row.trace;
        let number = trace
            .number
            .map(|number| number.as_str().to_owned())
            .or_else(|| trace.raw_number.clone())
            .unwrap_or_else(|| "–".to_owned());
        let _ = write!(
            out,
            "<tr data-trace=\"{}\"><td class=\"num\">{}</td><td>{}</td><td>{}</td>\
             <td class=\"status\">{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td class=\"text\">{}</td></tr>",
            trace.id,
            trace.id,
            Esc(row.contact.as_deref().unwrap_or("(deleted)")),
            Esc(&number),
            trace.status.as_str(),
            trace.failure_type.map_or("", FailureType::as_str),
            html::maybe_time(trace.sent_at),
            html::maybe_time(trace.clicked_at),
            Esc(trace.failure_reason.as_deref().unwrap_or("")),
        );
    }
    out.push_str("</tbody></table></div><nav class=\"pages\" aria-label=\"Trace pages\">");
    let href = mailing_href(view.mailing.id);
    if filter.page > 1 {
        let _ = write!(
            out,
            "<a rel=\"prev\" href=\"{href}?{}\">← Previous</a> ",
            Esc(&filter_query(filter, (filter.page - 1).min(pages)))
        );
    }
    if filter.page < pages {
        let _ = write!(
            out,
            "<a rel=\"next\" href=\"{href}?{}\">Next →</a>",
            Esc(&filter_query(filter, filter.page + 1))
        );
    }
    out.push_str("</nav>");
}

fn audience_text(audience: &Audience, lists: &[String]) -> String {
    match audience {
        Audience::Lists(_) => format!(
            "{} {}",
            if lists.len() == 1 {
                "the mailing list"
            } else {
                "the mailing lists"
            },
            lists.join(", ")
        ),
        Audience::Domain(domain) => format!("contacts matching {domain}"),
        Audience::Contacts(contacts) => format!("{} chosen contacts", contacts.len()),
        Audience::Transactional => "one contact at a time (transactional)".to_owned(),
        _ => "other".to_owned(),
    }
}

/// `/admin/mailings/{id}`: counts, ratios, charts and the filtered trace list.
pub(crate) fn mailing(view: &MailingView, filter: &TraceFilter) -> String {
    let mailing = &view.mailing;
    let mut body = String::new();
    let _ = write!(
        body,
        "<dl><dt>State</dt><dd>{}</dd><dt>Audience</dt><dd>{}</dd><dt>Created</dt><dd>{}</dd>\
         <dt>Scheduled</dt><dd>{}</dd><dt>Responsible</dt><dd>{}</dd>",
        state_text(mailing.state),
        Esc(&audience_text(&mailing.audience, &view.lists)),
        html::time(mailing.created_at),
        html::maybe_time(mailing.scheduled_at),
        Esc(mailing.responsible.as_deref().unwrap_or("–")),
    );
    if let Some(test) = mailing.ab_test {
        let _ = write!(
            body,
            "<dt>A/B test</dt><dd><a href=\"/admin/ab-tests/{test}\">A/B test {test}</a></dd>"
        );
    }
    let _ = write!(
        body,
        "</dl><h2>Message</h2><pre class=\"body\">{}</pre>",
        Esc(&mailing.body)
    );
    body.push_str("<section><h2>Counts and ratios</h2>");
    counts_table(&mut body, "This mailing", &view.counts);
    body.push_str("</section><section><h2>Charts</h2>");
    timeline_figure(&mut body, &view.timeline);
    breakdown_figures(&mut body, view);
    body.push_str("</section><section><h2>Traces</h2>");
    trace_list(&mut body, view, filter);
    body.push_str("</section>");
    let campaign_href = view.campaign.as_ref().map(|c| campaign_href(c.id));
    let trail: Vec<(&str, &str)> = view
        .campaign
        .as_ref()
        .zip(campaign_href.as_deref())
        .map(|(campaign, href)| (campaign.name.as_str(), href))
        .into_iter()
        .collect();
    html::page(&format!("Mailing: {}", mailing.name), &trail, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_lettered_then_numbered() {
        assert_eq!(version_label(0), "A");
        assert_eq!(version_label(25), "Z");
        assert_eq!(version_label(26), "27");
    }

    #[test]
    fn filter_queries_carry_every_filter_encoded() {
        let filter = TraceFilter {
            status: Some(TraceStatus::Error),
            failure: Some(FailureType::Server),
            number: Some("+32&x".to_owned()),
            page: 3,
        };
        assert_eq!(
            filter_query(&filter, 4),
            "status=error&failure=sms_server&q=%2B32%26x&page=4"
        );
        assert_eq!(filter_query(&TraceFilter::default(), 1), "page=1");
    }
}
