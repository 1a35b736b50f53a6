//! The opt-out link of an SMS, `/sms/<mailing>/<trace>/<token>`: `GET` shows what will happen
//! and one button; only the `POST` of that form opts out. Link scanners and previews fetch
//! GETs, and must never unsubscribe anyone. A forged or altered token is a `404`.

use std::fmt::Write as _;
use std::sync::atomic::Ordering;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use smskit::model::MailingList;
use smskit::phone::E164;
use smskit::{OptOut, Store};

use crate::pages::{self, escape};
use crate::state::AppState;

/// `GET`: the confirmation page.
pub(crate) async fn confirm<S: Store + Send + 'static>(
    State(state): State<AppState<S>>,
    request: Request,
) -> Response {
    let path = format!("{}{}", state.config.public_path(), request.uri().path());
    let answer = state
        .engine
        .call(move |engine| {
            let opt_out = engine.opt_out_page(&path)?;
            let lists = list_names(engine.store(), &opt_out)?;
            Ok::<_, smskit::Error>((opt_out, lists))
        })
        .await;
    match answer {
        Ok(Ok((opt_out, lists))) => {
            let mut body = String::new();
            body.push_str("<p>You are about to stop receiving these text messages.</p>\n");
            describe(&mut body, &opt_out, &lists, false);
            // An empty action posts to this very URL (token included).
            body.push_str(
                "<form method=\"post\" action=\"\">\n<button type=\"submit\">Stop these messages</button>\n</form>\n\
                 <p><small>Nothing changes until you press the button.</small></p>",
            );
            pages::page(StatusCode::OK, "Stop text messages?", &body)
        }
        Ok(Err(error)) => refused(&error),
        Err(_) => pages::unavailable(),
    }
}

/// `POST`: opts out, then says what was done.
pub(crate) async fn apply<S: Store + Send + 'static>(
    State(state): State<AppState<S>>,
    request: Request,
) -> Response {
    let path = format!("{}{}", state.config.public_path(), request.uri().path());
    let now = (state.config.now)();
    let answer = state
        .engine
        .call(move |engine| {
            let opt_out = engine.opt_out(&path, now)?;
            let lists = list_names(engine.store(), &opt_out)?;
            Ok::<_, smskit::Error>((opt_out, lists))
        })
        .await;
    match answer {
        Ok(Ok((opt_out, lists))) => {
            state.metrics.opt_outs.fetch_add(1, Ordering::Relaxed);
            let mut body = String::new();
            describe(&mut body, &opt_out, &lists, true);
            pages::page(
                StatusCode::OK,
                "You will not receive these messages any more",
                &body,
            )
        }
        Ok(Err(error)) => refused(&error),
        Err(_) => pages::unavailable(),
    }
}

/// The names of the lists the recipient leaves, in the order of the opt-out.
fn list_names<S: Store>(store: &S, opt_out: &OptOut) -> Result<Vec<String>, smskit::Error> {
    if opt_out.lists.is_empty() {
        return Ok(Vec::new());
    }
    let lists: Vec<MailingList> = store.lists()?;
    Ok(opt_out
        .lists
        .iter()
        .map(|id| {
            lists
                .iter()
                .find(|list| list.id == *id)
                .map_or_else(|| format!("list {id}"), |list| list.name.clone())
        })
        .collect())
}

/// What the opt-out does (`done`: did), as HTML.
fn describe(body: &mut String, opt_out: &OptOut, lists: &[String], done: bool) {
    if !lists.is_empty() {
        let _ = writeln!(
            body,
            "<p>{} unsubscribed from:</p>\n<ul>",
            if done { "You are" } else { "You will be" }
        );
        for name in lists {
            let _ = writeln!(body, "<li>{}</li>", escape(name));
        }
        body.push_str("</ul>\n");
    } else if let Some(number) = opt_out.blacklisted {
        let _ = writeln!(
            body,
            "<p>The number {} will no longer receive our marketing messages.</p>",
            escape(&masked(number)),
        );
    } else if done {
        body.push_str("<p>Your request was recorded.</p>\n");
    }
}

/// A number with all but its last three digits hidden: the page may be seen by whoever holds
/// the link.
fn masked(number: E164) -> String {
    let digits = number.as_str();
    let keep = digits.len().saturating_sub(3);
    digits
        .char_indices()
        .map(|(at, character)| {
            if at == 0 || at >= keep {
                character
            } else {
                '•'
            }
        })
        .collect()
}

/// A link the engine refused: `404` for anything but a failure of ours.
fn refused(error: &smskit::Error) -> Response {
    match error {
        smskit::Error::InvalidOptOutLink { .. } | smskit::Error::NotConfigured(_) => {
            pages::not_found()
        }
        _ => pages::unavailable(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_masked_but_their_end() {
        let number = E164::parse("+32470123456").unwrap();
        assert_eq!(masked(number), "+••••••••456");
    }
}
