//! The final text of each message of a mailing: the template rendered for the recipient, its
//! links rewritten to tracked short links with the recipient's suffix, the opt-out line.

use crate::engine::{Settings, render_into};
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
    rendered: String,
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
        Ok(Composer {
            settings,
            mailing,
            template,
            rewriter,
            fixed,
            rendered: String::new(),
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
