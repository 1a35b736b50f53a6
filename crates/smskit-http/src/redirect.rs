//! Short links: `GET` (and `HEAD`) of `/r/<code>` or `/r/<code>/s/<trace>` redirects to the
//! link's target with its UTM parameters; a person's tap is recorded as a click, a
//! link-preview bot's fetch is not.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;

use axum::extract::connect_info::ConnectInfo;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use smskit::{ClickRequest, Store};

use crate::pages;
use crate::state::AppState;

/// User agents of link-preview fetchers: the bots that open a link to show a preview when it
/// is pasted or received in a chat or a social network. They are redirected (the preview still
/// works) but their fetch is not a person's click. Matched as case-insensitive substrings; keep
/// them specific, so that no browser matches.
pub const LINK_PREVIEW_BOTS: &[&str] = &[
    "facebookexternalhit", // Facebook, Messenger, Instagram
    "facebot",
    "twitterbot",             // X / Twitter cards
    "slackbot-linkexpanding", // Slack unfurls
    "slack-imgproxy",
    "whatsapp",    // WhatsApp previews
    "telegrambot", // Telegram previews
    "discordbot",
    "linkedinbot",
    "googlebot",
    "google-pagerenderer",
    "bingbot",
    "skypeuripreview", // Skype, Teams
    "applebot",        // iMessage previews, Siri
    "pinterestbot",
    "redditbot",
    "embedly",
    "iframely",
    "vkshare",
    "snapchat",
    "mastodon",
];

/// Whether `user_agent` is one of [`LINK_PREVIEW_BOTS`].
pub(crate) fn is_preview_bot(user_agent: &str) -> bool {
    let lowered = user_agent.to_ascii_lowercase();
    LINK_PREVIEW_BOTS.iter().any(|bot| lowered.contains(bot))
}

/// `GET` / `HEAD` of a short link.
pub(crate) async fn follow<S: Store + Send + 'static>(
    State(state): State<AppState<S>>,
    request: Request,
) -> Response {
    let path = format!("{}{}", state.config.public_path(), request.uri().path());
    let bot = request.method() == Method::HEAD
        || request
            .headers()
            .get(header::USER_AGENT)
            .and_then(|agent| agent.to_str().ok())
            .is_some_and(is_preview_bot);
    let metrics = &state.metrics;
    if bot {
        let resolved = state
            .engine
            .call(move |engine| engine.resolve_link(&path))
            .await;
        return match resolved {
            Ok(Ok(target)) => {
                metrics.bot_redirects.fetch_add(1, Ordering::Relaxed);
                found(&target)
            }
            Ok(Err(error)) => failed(&state, &error),
            Err(_) => pages::unavailable(),
        };
    }
    let mut click = ClickRequest::new(path, (state.config.now)());
    if let Some(ConnectInfo(address)) = request.extensions().get::<ConnectInfo<SocketAddr>>() {
        click = click.with_ip(address.ip());
    }
    match state.engine.click(click).await {
        Ok(Ok(redirect)) => {
            metrics.redirects.fetch_add(1, Ordering::Relaxed);
            if redirect.first_click {
                metrics.first_clicks.fetch_add(1, Ordering::Relaxed);
            }
            found(&redirect.target)
        }
        Ok(Err(error)) => failed(&state, &error),
        Err(_) => pages::unavailable(),
    }
}

/// `302 Found` to `target`, never cached (a later tap must reach the server to count).
fn found(target: &str) -> Response {
    let Ok(location) = HeaderValue::from_str(target) else {
        return pages::unavailable();
    };
    let mut response = StatusCode::FOUND.into_response();
    let headers = response.headers_mut();
    headers.insert(header::LOCATION, location);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The answer to a short link the engine could not follow: `404` for a link that is not one
/// of ours, else a `503`.
fn failed<S>(state: &AppState<S>, error: &smskit::Error) -> Response {
    match error {
        smskit::Error::Links(links) if links.is_not_found() => {
            state.metrics.unknown_links.fetch_add(1, Ordering::Relaxed);
            pages::not_found()
        }
        smskit::Error::NotConfigured(_) => pages::not_found(),
        _ => pages::unavailable(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_bots_and_browsers() {
        for bot in [
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            "Twitterbot/1.0",
            "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
            "WhatsApp/2.23.20.0",
            "TelegramBot (like TwitterBot)",
            "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
            "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0",
            "Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1)",
        ] {
            assert!(is_preview_bot(bot), "{bot}");
        }
        for person in [
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
            "",
        ] {
            assert!(!is_preview_bot(person), "{person}");
        }
    }
}
