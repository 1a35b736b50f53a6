//! The dashboard's HTML: escaping, the page frame and its stylesheet, and the small pieces
//! every page repeats (count tables, links with a query).
//!
//! Everything that reaches a page from the store (contact names, mailing names and bodies,
//! failure reasons, numbers as entered) was typed by someone else: it goes through [`Esc`],
//! which is safe both in text and in double-quoted attribute values.

use std::fmt::{self, Write as _};

use chrono::{DateTime, Utc};
use smskit::stats::Counts;

pub(crate) use crate::pages::Esc;

/// A query-string component, percent-encoded (everything but RFC 3986's unreserved
/// characters), so a user's search text cannot break out of the link it is carried in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct QueryValue<'a>(pub(crate) &'a str);

impl fmt::Display for QueryValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.0.bytes() {
            if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
                f.write_char(char::from(byte))?;
            } else {
                write!(f, "%{byte:02X}")?;
            }
        }
        Ok(())
    }
}

/// A time as the dashboard shows it (minutes, UTC).
pub(crate) fn time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// An optional time, or a dash.
pub(crate) fn maybe_time(at: Option<DateTime<Utc>>) -> String {
    at.map_or_else(|| "–".to_owned(), time)
}

/// Small, readable on a phone: one column, tables that scroll sideways inside their box
/// instead of widening the page, system fonts, no external resource.
const STYLE: &str = "\
*{box-sizing:border-box}\
body{font:16px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0 auto;\
max-width:96rem;padding:.75rem;color:#1b1f24;background:#fff}\
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}\
nav{font-size:.9rem}nav a{margin-right:.5rem}\
a{color:#0550ae}\
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%}\
table{border-collapse:collapse;font-size:.9rem;min-width:100%}\
th,td{padding:.3rem .5rem;border-bottom:1px solid #d0d7de;text-align:left;vertical-align:top;\
white-space:nowrap}\
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\
td.text{white-space:pre-wrap;min-width:12rem}\
caption{text-align:left;font-weight:600;padding:.3rem 0}\
pre{white-space:pre-wrap;word-break:break-word;background:#f6f8fa;padding:.5rem;margin:0}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}dt{font-weight:600}dd{margin:0}\
figure{margin:1rem 0}figcaption{font-size:.9rem;color:#57606a}\
svg{max-width:100%;height:auto;display:block}\
figure.chart{overflow-x:auto}figure.chart svg{min-width:540px}\
details{margin:.3rem 0}\
.pair{display:flex;flex-wrap:wrap;gap:0 2rem}.pair>div{flex:1 1 16rem}\
.pair table{min-width:0;width:100%}\
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:.5rem 0}\
form.filters label{display:flex;flex-direction:column;font-size:.85rem}\
input,select,button{font:inherit;padding:.25rem .4rem}\
.win{font-weight:600;color:#1a7f37}\
.muted{color:#57606a}";

/// A whole page: `title` in the tab and as the heading, a breadcrumb trail, then `body`.
pub(crate) fn page(title: &str, trail: &[(&str, &str)], body: &str) -> String {
    let mut html = String::with_capacity(body.len() + STYLE.len() + 512);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\">\
         <title>{} · smskit</title><style>{STYLE}</style></head><body>\
         <header><nav aria-label=\"Breadcrumb\"><a href=\"/admin/\">smskit dashboard</a>",
        Esc(title)
    );
    for (label, href) in trail {
        let _ = write!(html, "› <a href=\"{}\">{}</a>", Esc(href), Esc(label));
    }
    let _ = writeln!(
        html,
        "</nav><h1>{}</h1></header><main>{body}</main></body></html>",
        Esc(title)
    );
    html
}

/// The columns of a row of counts: what a campaign, a mailing or an A/B version shows.
pub(crate) const COUNT_HEADERS: &str = "<th class=\"num\" scope=\"col\">Expected</th>\
<th class=\"num\" scope=\"col\">Canceled</th><th class=\"num\" scope=\"col\">Sent</th>\
<th class=\"num\" scope=\"col\">Delivered</th><th class=\"num\" scope=\"col\">Clicked</th>\
<th class=\"num\" scope=\"col\">Replied</th><th class=\"num\" scope=\"col\">Bounced</th>\
<th class=\"num\" scope=\"col\">Failed</th>\
<th class=\"num\" scope=\"col\">Received %</th><th class=\"num\" scope=\"col\">Clicks %</th>\
<th class=\"num\" scope=\"col\">Failed %</th>";

/// The cells that go under [`COUNT_HEADERS`].
pub(crate) fn count_cells(out: &mut String, counts: &Counts) {
    let ratios = counts.ratios();
    for value in [
        counts.expected,
        counts.canceled,
        counts.sent,
        counts.delivered,
        counts.clicked,
        counts.replied,
        counts.bounced,
        counts.failed,
    ] {
        let _ = write!(out, "<td class=\"num\">{value}</td>");
    }
    for ratio in [ratios.received, ratios.clicks, ratios.failed] {
        let _ = write!(out, "<td class=\"num\">{ratio}</td>");
    }
}

/// Every count and ratio of one set of traces: two small tables side by side (one above the
/// other on a phone). Each value cell is named by `data-count` (`sent`, `clicks-ratio`).
pub(crate) fn counts_table(out: &mut String, caption: &str, counts: &Counts) {
    let ratios = counts.ratios();
    let numbers: [(&str, u64); 10] = [
        ("Expected", counts.expected),
        ("Canceled", counts.canceled),
        ("Scheduled", counts.scheduled),
        ("Sent", counts.sent),
        ("Delivered", counts.delivered),
        ("Opened", counts.opened),
        ("Clicked", counts.clicked),
        ("Replied", counts.replied),
        ("Bounced", counts.bounced),
        ("Failed", counts.failed),
    ];
    let percents = [
        ("Received", ratios.received),
        ("Opened", ratios.opened),
        ("Clicks", ratios.clicks),
        ("Replied", ratios.replied),
        ("Bounced", ratios.bounced),
        ("Failed", ratios.failed),
    ];
    let _ = write!(
        out,
        "<div class=\"pair\"><div class=\"scroll\"><table class=\"counts\"><caption>{}: \
         counts</caption><tbody>",
        Esc(caption)
    );
    for (name, value) in numbers {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{name}</th><td class=\"num\" data-count=\"{}\">{value}</td></tr>",
            name.to_ascii_lowercase()
        );
    }
    let _ = write!(
        out,
        "</tbody></table></div><div class=\"scroll\"><table class=\"ratios\"><caption>{}: \
         ratios (%)</caption><tbody>",
        Esc(caption)
    );
    for (name, value) in percents {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{name}</th><td class=\"num\" data-count=\"{}-ratio\">{value}</td></tr>",
            name.to_ascii_lowercase()
        );
    }
    out.push_str("</tbody></table></div></div>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Reverses [`Esc`] (`&amp;` last, so `&amp;lt;` reads back as `&lt;`).
    fn unescape(text: &str) -> String {
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    fn percent_decode(text: &str) -> Vec<u8> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            if bytes[at] == b'%' {
                out.push(u8::from_str_radix(&text[at + 1..at + 3], 16).unwrap());
                at += 3;
            } else {
                out.push(bytes[at]);
                at += 1;
            }
        }
        out
    }

    proptest! {
        /// Escaped text holds no character that could open a tag or close an attribute, and
        /// reads back as the text.
        #[test]
        fn escaped_text_is_inert_and_lossless(text in any::<String>()) {
            let escaped = Esc(&text).to_string();
            prop_assert!(!escaped.contains(['<', '>', '"', '\'']));
            prop_assert_eq!(unescape(&escaped), text);
        }

        /// A query value holds only unreserved characters and `%XX`, and decodes back.
        #[test]
        fn query_values_are_unreserved_and_lossless(text in any::<String>()) {
            let encoded = QueryValue(&text).to_string();
            prop_assert!(encoded
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)));
            prop_assert_eq!(percent_decode(&encoded), text.as_bytes());
        }
    }

    #[test]
    fn escapes_every_markup_character() {
        assert_eq!(
            Esc("<script>alert('x' & \"y\")</script>").to_string(),
            "&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;"
        );
        assert_eq!(Esc("Zoë ✓ plain").to_string(), "Zoë ✓ plain");
        assert_eq!(Esc("").to_string(), "");
        assert_eq!(Esc("&&").to_string(), "&amp;&amp;");
    }

    #[test]
    fn query_values_keep_only_unreserved_characters() {
        assert_eq!(QueryValue("+32 470").to_string(), "%2B32%20470");
        assert_eq!(QueryValue("a&b=c\"<").to_string(), "a%26b%3Dc%22%3C");
        assert_eq!(QueryValue("é").to_string(), "%C3%A9");
        assert_eq!(QueryValue("AZaz09-._~").to_string(), "AZaz09-._~");
    }

    #[test]
    fn a_page_escapes_its_title_and_trail() {
        let html = page("<b>", &[("<i>", "/admin/x?a=1&b=\"2\"")], "<p>body</p>");
        assert!(html.contains("<title>&lt;b&gt; · smskit</title>"));
        assert!(html.contains("<h1>&lt;b&gt;</h1>"));
        assert!(html.contains("href=\"/admin/x?a=1&amp;b=&quot;2&quot;\">&lt;i&gt;</a>"));
        assert!(html.contains("<main><p>body</p></main>"));
        assert!(html.contains("name=\"viewport\""));
    }
}
