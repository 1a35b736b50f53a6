//! The final text of each message of a mailing: the template rendered for the recipient, its
//! links rewritten to tracked short links with the recipient's suffix, the opt-out line.

use crate::engine::{Settings, contact_value, render_into};
use crate::error::Error;
use crate::links::{LinkStore, Rewriter, Rewritten, TraceId as LinkTrace, Tracking};
use crate::model::{Campaign, Contact, Mailing, TraceId};
use crate::template::Template;

/// The UTM values and mailing of the links of `mailing`: `utm_campaign` is its campaign's name,
/// `utm_source` its own name and `utm_medium` `sms`, as Odoo's SMS mailings set them.
pub(crate) fn tracking(mailing: &Mailing, campaign: Option<&Campaign>) -> Tracking {
    let mut tracking = Tracking::new()
        .with_source(mailing.name.clone())
        .with_medium("sms")
        .with_mailing(mailing.id.to_string());
    if let Some(campaign) = campaign {
        tracking = tracking.with_campaign(campaign.name.clone());
    }
    tracking
}

/// Composes the messages of one mailing, holding the link store while it does.
pub(crate) struct Composer<'a, L: LinkStore + ?Sized> {
    settings: &'a Settings,
    mailing: &'a Mailing,
    template: &'a Template,
    /// `None` when the settings track no links.
    rewriter: Option<Rewriter<'a, L>>,
    /// A template without placeholders, rewritten once: each message only personalises it.
    fixed: Option<Rewritten>,
    /// The literal pieces of a template with placeholders, each rewritten once, when no URL
    /// touches a placeholder (see [`literal_plan`]); a message whose placeholders write no `:`
    /// or `/` is then its rendered values between these.
    literals: Option<Vec<Rewritten>>,
    rendered: String,
    scratch: String,
}

impl<'a, L: LinkStore + ?Sized> Composer<'a, L> {
    pub(crate) fn new(
        settings: &'a Settings,
        mailing: &'a Mailing,
        template: &'a Template,
        tracking: &'a Tracking,
        links: &'a mut L,
    ) -> Result<Self, Error> {
        let mut rewriter = settings
            .shortener
            .as_ref()
            .map(|shortener| shortener.rewriter(tracking, links));
        let fixed = match &mut rewriter {
            Some(rewriter) if template.is_static() => Some(rewriter.rewrite(template.as_str())?),
            _ => None,
        };
        let literals = match &mut rewriter {
            Some(rewriter) if fixed.is_none() => literal_plan(template, rewriter)?,
            _ => None,
        };
        Ok(Composer {
            settings,
            mailing,
            template,
            rewriter,
            fixed,
            literals,
            rendered: String::new(),
            scratch: String::new(),
        })
    }

    /// Appends the message of `trace` to `contact` to `out`.
    pub(crate) fn compose_into(
        &mut self,
        contact: &Contact,
        trace: TraceId,
        out: &mut String,
    ) -> Result<(), Error> {
        let suffix = LinkTrace::from(trace.0.unsigned_abs());
        if let Some(fixed) = &self.fixed {
            fixed.personalize_into(&suffix, out);
        } else if let Some(literals) = &self.literals
            && {
                self.rendered.clear();
                let scratch = &mut self.scratch;
                !self.template.render_with_literals(
                    &mut self.rendered,
                    |path| contact_value(contact, path),
                    |index, out| {
                        if let Some(literal) = literals.get(index) {
                            literal.personalize_into(&suffix, scratch);
                            out.push_str(scratch);
                        }
                    },
                )
            }
        {
            out.clear();
            out.push_str(&self.rendered);
        } else if let Some(rewriter) = &mut self.rewriter {
            self.rendered.clear();
            render_into(self.template, contact, &mut self.rendered);
            rewriter
                .rewrite(&self.rendered)?
                .personalize_into(&suffix, out);
        } else {
            render_into(self.template, contact, out);
        }
        if self.mailing.include_opt_out_link {
            let links = self
                .settings
                .opt_out
                .as_ref()
                .ok_or(Error::NotConfigured("opt-out links"))?;
            out.push('\n');
            links.write_line(self.mailing.id, trace, out);
        }
        Ok(())
    }
}

/// Each literal piece of `template` rewritten on its own, when that gives the same links as
/// rewriting every rendered message: every `://` of a piece belongs to a URL it rewrote, and
/// each such URL has a space or a control character right before it and somewhere after it in
/// the same piece (or starts the template). What a placeholder writes cannot then change where
/// these URLs start or end, and, holding no `:` or `/`, cannot start another one.
fn literal_plan<L: LinkStore + ?Sized>(
    template: &Template,
    rewriter: &mut Rewriter<'_, L>,
) -> Result<Option<Vec<Rewritten>>, Error> {
    let separator = |c: char| c == ' ' || c.is_ascii_control();
    let mut plan = Vec::new();
    let starts_with_literal = !template.as_str().starts_with("{{");
    let ends_with_literal = !template.as_str().ends_with("}}");
    let last = template.literals().count().saturating_sub(1);
    for (index, literal) in template.literals().enumerate() {
        let rewritten = rewriter.rewrite(literal)?;
        let schemes = literal.matches("://").count();
        if rewritten.occurrences().len() != schemes {
            return Ok(None);
        }
        for occurrence in rewritten.occurrences() {
            let range = &occurrence.original;
            let at_template_start = index == 0 && starts_with_literal && range.start == 0;
            let before = literal[..range.start]
                .chars()
                .next_back()
                .is_some_and(separator);
            let at_template_end = index == last && ends_with_literal && range.end == literal.len();
            let after = literal[range.end..].contains(separator);
            if !(at_template_start || before) || !(at_template_end || after) {
                return Ok(None);
            }
        }
        plan.push(rewritten);
    }
    Ok(Some(plan))
}

/// A link store that creates nothing: every link gets the code `xxx` (the length nearly every
/// code has), so an estimate or a preview shows the final length of each message without
/// drawing codes or storing links.
#[derive(Debug, Default)]
pub(crate) struct PlaceholderLinks;

impl LinkStore for PlaceholderLinks {
    fn get_or_create(
        &mut self,
        request: &crate::links::LinkRequest,
    ) -> Result<crate::links::Link, crate::links::Error> {
        Ok(request.clone().into_link(crate::links::Code::new("xxx")?))
    }

    fn link(
        &self,
        _code: &crate::links::Code,
    ) -> Result<Option<crate::links::Link>, crate::links::Error> {
        Ok(None)
    }

    fn record_click(
        &mut self,
        click: crate::links::Click,
    ) -> Result<crate::links::RecordedClick, crate::links::Error> {
        Err(crate::links::Error::UnknownLink {
            code: click.code().to_string(),
        })
    }

    fn click_stats(
        &self,
        _scope: &crate::links::ClickScope,
    ) -> Result<crate::links::ClickStats, crate::links::Error> {
        Ok(crate::links::ClickStats::default())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::links::{MemoryLinkStore, Shortener};
    use crate::model::{Audience, MailingId, MailingState};

    fn mailing(body: &str) -> Mailing {
        Mailing {
            id: MailingId(1),
            name: "m".into(),
            body: body.into(),
            audience: Audience::Transactional,
            include_opt_out_link: false,
            campaign: None,
            responsible: None,
            tags: BTreeSet::new(),
            ab_test: None,
            state: MailingState::Draft,
            scheduled_at: None,
            created_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    fn contact(name: &str) -> Contact {
        Contact {
            id: crate::model::ContactId(1),
            name: name.into(),
            phone: String::new(),
            country: None,
            fields: BTreeMap::from([("city".to_owned(), "Gent".to_owned())]),
            created_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    /// Every message composed from the literal plan equals the one composed by rewriting the
    /// whole rendered text, whatever the placeholders write and wherever the URLs are.
    #[test]
    fn the_literal_plan_composes_what_a_full_rewrite_composes() {
        let settings = Settings::new().with_links(Shortener::new("https://sho.rt").unwrap());
        // Each template, and whether the plan may be used for it.
        let templates = [
            (
                "Hi {{ object.name }}, sale: https://shop.example/a until Sunday!",
                true,
            ),
            ("https://shop.example/start {{ object.name }}", true),
            ("{{ object.name }} https://shop.example/end", true),
            (
                "Go https://shop.example/x?y=1#top, {{ object.name }}: https://shop.example/x?y=1#top.",
                false,
            ),
            (
                "Go https://shop.example/x, {{ object.name }}: https://shop.example/x now",
                true,
            ),
            ("Link:https://shop.example/glued {{ object.name }}", false),
            ("See https://shop.example/{{ object.name }} now", false),
            ("See {{ object.name }}https://shop.example/b now", false),
            (
                "Say \"https://shop.example/q\" {{ object.name ||| you }}",
                false,
            ),
            (
                "https:{{ object.name }} and ftp://x.example {{ object.city }}",
                false,
            ),
            (
                "{{ object.city }}://shop.example/c {{ object.name }}",
                false,
            ),
            ("Plain {{ object.name }} text", true),
        ];
        let names = [
            "Ana",
            "",
            "Dr. Who",
            "https://evil.example",
            "a:b",
            "x/y",
            "\"",
            "(",
            "café 🎉",
            "https",
            "://",
        ];
        let tracking = tracking(&mailing(""), None);
        let mut links = MemoryLinkStore::seeded(3);
        for (body, plan_is_safe) in templates {
            let record = mailing(body);
            let template = Template::parse(body).unwrap();
            for name in names {
                let mut planned = String::new();
                let mut composer =
                    Composer::new(&settings, &record, &template, &tracking, &mut links).unwrap();
                composer
                    .compose_into(&contact(name), TraceId(7), &mut planned)
                    .unwrap();
                let used_plan = composer.literals.is_some();
                composer.literals = None;
                let mut full = String::new();
                composer
                    .compose_into(&contact(name), TraceId(7), &mut full)
                    .unwrap();
                assert_eq!(planned, full, "template {body:?}, name {name:?}");
                assert_eq!(used_plan, plan_is_safe, "template {body:?}");
            }
        }
    }
}
