//! What every page shares: the header (who is signed in, what they may
//! open), rendering, and the Vietnamese way of writing numbers and dates.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use kehoach_domain::evaluate::Status;
use kehoach_domain::number::format_vi_rounded;
use rust_decimal::Decimal;

use crate::i18n::Lang;

/// One link of the navigation bar.
pub(crate) struct NavItem {
    pub href: String,
    pub label: &'static str,
    pub active: bool,
}

/// The frame around every page. Built for a signed-in person by
/// `Viewer::chrome`; for someone unknown (an error before anyone is known)
/// by [`Chrome::anonymous`].
pub(crate) struct Chrome {
    /// `vi` or `en`, for `<html lang>`.
    pub lang: &'static str,
    language: Lang,
    pub other_lang: &'static str,
    pub other_lang_label: &'static str,
    pub title: String,
    pub user_name: Option<String>,
    pub role: String,
    pub csrf: String,
    pub nav: Vec<NavItem>,
    /// What the addresses of the plan viewed start with: "" at the plan
    /// followed's own addresses, "/plans/N" under another's.
    pub base: String,
    /// The plan's overview: "/" or "/plans/N".
    pub home: String,
    /// The plan viewed, as the header names it; empty on pages of no plan.
    pub plan_label: String,
}

/// A plan's overview: the root, or its own address.
fn home(base: &str) -> String {
    if base.is_empty() { "/".into() } else { base.to_string() }
}

/// Who a page is for, as the frame shows it.
pub(crate) struct Who {
    pub name: String,
    /// The role's name in the viewer's language.
    pub role: String,
    pub csrf: String,
}

impl Chrome {
    /// The frame of a page titled `title` (in `language` already), with
    /// the links given (labels by key), the one of `page` marked as the
    /// current one.
    pub fn new(
        language: Lang,
        title: String,
        page: &str,
        who: Option<Who>,
        links: &[(&'static str, &'static str, &str)],
    ) -> Self {
        let nav = links
            .iter()
            .map(|(href, label, key)| NavItem { href: (*href).to_string(), label, active: *key == page })
            .collect();
        let other = if language == Lang::Vi { Lang::En } else { Lang::Vi };
        let (user_name, role, csrf) = match who {
            Some(w) => (Some(w.name), w.role, w.csrf),
            None => (None, String::new(), String::new()),
        };
        Self {
            lang: language.code(),
            language,
            other_lang: other.code(),
            other_lang_label: if other == Lang::En { "English" } else { "Tiếng Việt" },
            title,
            user_name,
            role,
            csrf,
            nav,
            base: String::new(),
            home: "/".into(),
            plan_label: String::new(),
        }
    }

    /// The same frame on the pages of a plan: links under `base`, the plan
    /// named in the header.
    pub fn of_plan(mut self, base: &str, label: String, scoped: &[&str]) -> Self {
        for item in &mut self.nav {
            if scoped.contains(&item.href.as_str()) {
                item.href = if item.href == "/" { home(base) } else { format!("{base}{}", item.href) };
            }
        }
        self.home = home(base);
        self.base = base.to_string();
        self.plan_label = label;
        self
    }

    /// The frame for someone not (yet) known: the public page only.
    pub fn anonymous(language: Lang, title: &str) -> Self {
        Self::new(language, title.to_string(), "", None, &[("/public", "public", "public")])
    }

    /// The interface text under `key` in the viewer's language.
    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        self.language.t(key)
    }

    /// The text under `key` with its one named value filled in.
    pub fn f1(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        self.language.fill(key, &[(name, &value)])
    }

    /// The text under `key` with its two named values filled in.
    pub fn f2(
        &self,
        key: &str,
        a: &str,
        a_value: impl std::fmt::Display,
        b: &str,
        b_value: impl std::fmt::Display,
    ) -> String {
        self.language.fill(key, &[(a, &a_value), (b, &b_value)])
    }
}

/// Renders a page; a template that fails is a server error, said plainly.
pub(crate) fn html<T: Template>(page: &T) -> Response {
    match page.render() {
        Ok(body) => Html(body).into_response(),
        Err(e) => {
            tracing::error!("template: {e}");
            (StatusCode::INTERNAL_SERVER_ERROR, crate::i18n::current_lang().t("page-render-failed").to_string())
                .into_response()
        }
    }
}

/// `1.850,5`: a figure as a Vietnamese report writes it.
pub(crate) fn number(d: Option<Decimal>) -> String {
    d.map(|d| format_vi_rounded(d, 2)).unwrap_or_else(|| "—".into())
}

pub(crate) fn percent(d: Option<Decimal>) -> String {
    d.map(|d| format!("{}%", format_vi_rounded(d, 1))).unwrap_or_default()
}

/// `31/12/2025 14:05` in Vietnam's time from a stored RFC 3339 time.
pub(crate) fn when(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| {
            t.with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7"))
                .format("%d/%m/%Y %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| rfc3339.to_string())
}

/// The CSS class of a status chip.
pub(crate) fn chip(status: Status) -> &'static str {
    match status {
        Status::Exceeded => "chip exceeded",
        Status::Achieved => "chip achieved",
        Status::OnTrack => "chip on-track",
        Status::AtRisk => "chip at-risk",
        Status::NotAchieved => "chip not-achieved",
        Status::NoData => "chip no-data",
    }
}

/// Vietnamese alphabetical order, for lists people scan by name.
pub(crate) use kehoach_country::sort_vi;

/// Percent-encodes a path for a query string or a link.
pub(crate) fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_and_times_are_written_the_vietnamese_way() {
        assert_eq!(number(Some("1850.5".parse().unwrap())), "1.850,5");
        assert_eq!(number(None), "—");
        assert_eq!(percent(Some("102.654".parse().unwrap())), "102,7%");
        assert_eq!(when("2025-12-31T17:05:00.000Z"), "01/01/2026 00:05");
    }
}
